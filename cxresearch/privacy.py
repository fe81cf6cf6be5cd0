"""Personal data out of free text: typed placeholders instead of e-mails, phones, ids, accounts, addresses, names.

``redact_text`` replaces, in this order (later patterns never see what earlier ones replaced):

========== =================================================================================
[EMAIL]    e-mail addresses
[IBAN]     IBANs (any country, spaces allowed) whose ISO 7064 mod-97 check holds
[HETU]     Finnish personal identity codes (``131052-308T``; century signs ``+ - A–F U–Y``)
           whose check character is right — a look-alike with a wrong check is left alone
[PHONE]    phone numbers: Finnish (``040 123 4567``, ``09 1234 567``, ``+358 40 1234567``)
           and international (``+44 20 7946 0958``)
[ADDRESS]  street addresses: a Finnish street name (``…katu``, ``…tie``, ``…kuja`` …) or an
           English one (``… Street``, ``Road`` …) with a house number
[NAME]     names a speaker introduces (*olen Maija*, *nimeni on Maija Virtanen*,
           *my name is …*, *I'm …*, *this is …*) and names in an optional roster
========== =================================================================================

It is a first line of defence tuned to avoid silent misses on the forms above;
it is not a guarantee, and the report stages never quote more than a short passage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
HETU = re.compile(r"\b(\d{2})(\d{2})(\d{2})([-+A-FU-Y])(\d{3})([0-9A-Y])\b")
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ -]?(?:\(0\))?[ -]?\d{1,4}(?:[ -]?\d{2,4}){2,4}"  # international
    r"|0\d{1,3}[ -]?\d{3,4}[ -]?\d{2,4}(?:[ -]?\d{2,4})?)(?![\w])"  # Finnish national
)
_FI_STREET = r"[A-ZÅÄÖ][a-zåäö]+(?:katu|tie|kuja|polku|väylä|raitti|rinne|kaari|puistikko|tori|ranta)"
ADDRESS = re.compile(
    rf"\b{_FI_STREET}\s\d{{1,4}}(?:\s?[A-Z](?:\s?\d{{1,3}})?)?\b"
    rf"|\b\d{{1,4}}\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Way)\b"
)
_CAP = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?"
INTRO = re.compile(
    rf"(?P<lead>\b(?:[Nn]imeni on|[Oo]len|[Mm]inä olen|[Tt]ässä on|[Mm]y name is|[Mm]y name's|I'm|I am|[Tt]his is|"
    rf"[Cc]all me))\s+(?P<name>{_CAP}(?:\s{_CAP})?)"
)
#: Capitalised words after an introduction that are not names (*olen Helsingistä*, *I'm Finnish*).
NOT_NAMES = frozenset(
    "Helsingistä Tampereelta Turusta Oulusta Suomesta Finnish English British Swedish Not Just Very Really So Sorry "
    "Happy Glad Sure The A An It Yes No Kyllä Ei Myyjä Asiakas Työntekijä Esimies Tyytyväinen".split()
)
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu_valid(code: str) -> bool:
    """True when a Finnish personal identity code's check character is right (mod 31 of DDMMYY + NNN)."""
    m = HETU.fullmatch(code.strip().upper())
    if not m:
        return False
    dd, mm, _, _, nnn, check = m.groups()
    if not (1 <= int(dd) <= 31 and 1 <= int(mm) <= 12):
        return False
    number = int(m.group(1) + m.group(2) + m.group(3) + nnn)
    return _HETU_CHECK[number % 31] == check


def iban_valid(iban: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    s = re.sub(r"\s", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", s):
        return False
    digits = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(digits) % 97 == 1


def _sub_valid(pattern: re.Pattern, check, placeholder: str, text: str) -> str:
    return pattern.sub(lambda m: placeholder if check(m.group(0)) else m.group(0), text)


def redact_text(text, roster: Iterable[str] = ()) -> str:
    """``text`` with personal data replaced by typed placeholders (see the module docstring).

    Non-text values (None, NaN) come back unchanged. ``roster`` is a list of
    names (first names, surnames or both) to replace wherever they occur as words.
    """
    if not isinstance(text, str) or not text:
        return text
    out = EMAIL.sub("[EMAIL]", text)
    out = _sub_valid(IBAN, iban_valid, "[IBAN]", out)
    out = _sub_valid(HETU, hetu_valid, "[HETU]", out)
    out = PHONE.sub("[PHONE]", out)
    out = ADDRESS.sub("[ADDRESS]", out)

    def _intro(m: re.Match) -> str:
        words = m.group("name").split()
        if words[0] in NOT_NAMES:
            return m.group(0)
        kept = [w for w in words[1:] if w in NOT_NAMES]
        return f"{m.group('lead')} [NAME]" + ("".join(f" {w}" for w in kept) if kept else "")

    out = INTRO.sub(_intro, out)
    names = sorted({n.strip() for n in roster if isinstance(n, str) and len(n.strip()) >= 2}, key=len, reverse=True)
    if names:
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")(?:n|a|ä|lle|lta|ltä|sta|stä)?\b")
        out = pattern.sub("[NAME]", out)
    return out
