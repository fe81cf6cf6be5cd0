"""Personal data out of free text: typed placeholders instead of e-mails, phones, ids, accounts, addresses, names.

``redact_text`` replaces, in this order (later patterns never see what earlier ones replaced):

========== =================================================================================
[EMAIL]    e-mail addresses, also written ``name(at)example.fi`` or ``name [at] example [dot] fi``
[IBAN]     IBANs (any country, spaces allowed) whose ISO 7064 mod-97 check holds
[HETU]     Finnish personal identity codes (``131052-308T``; century signs ``+ - A–F U–Y``, a dash
           a word processor made of the hyphen, letters in either case) whose check character is
           right — a look-alike with a wrong check is left alone
[PHONE]    phone numbers: Finnish (``040 123 4567``, ``09 1234 567``, ``+358 40 1234567``)
           with the area code in brackets (``(09) 123 4567``) and international (``+44 20 7946 0958``)
[ADDRESS]  street addresses: a Finnish street name (``…katu``, ``…tie``, ``…kuja`` …) or an
           English one (``… Street``, ``Road`` …) with a house number
[NAME]     names a speaker introduces (*olen Maija*, *nimeni on Maija Virtanen*,
           *my name is …*, *I'm …*, *this is …*) or signs with (*Terveisin Matti Virtanen*,
           *Best regards, John*), and names in an optional roster
========== =================================================================================

It is a first line of defence tuned to avoid silent misses on the forms above;
it is not a guarantee, and the report stages never quote more than a short passage.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
    # the forms people write to dodge address harvesters: matti(at)example.fi, matti [at] example [dot] fi
    r"|[A-Za-z0-9._%+-]+\s?[(\[](?:at|AT|ät)[)\]]\s?[A-Za-z0-9-]+(?:(?:\.|\s?[(\[](?:dot|DOT|piste)[)\]]\s?)[A-Za-z0-9-]+)+"
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
#: the century sign may come as a dash a word processor made of the hyphen (‐ ‑ ‒ – — −), letters in either case
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
HETU = re.compile(rf"\b(\d{{2}})(\d{{2}})(\d{{2}})([-+A-FU-Ya-fu-y{_DASHES}])(\d{{3}})([0-9A-Ya-y])\b")
PHONE = re.compile(
    r"(?<![\w+])(?:\+\d{1,3}[ -]?(?:\(0\))?[ -]?\d{1,4}(?:[ -]?\d{2,4}){2,4}"  # international
    r"|0\d{1,3}[ -]?\d{3,4}[ -]?\d{2,4}(?:[ -]?\d{2,4})?"  # Finnish national
    r"|\(0\d{1,3}\)[ -]?\d{3,4}[ -]?\d{2,4}(?:[ -]?\d{2,4})?)(?![\w])"  # area code in brackets: (09) 123 4567
)
_FI_STREET = r"[A-ZÅÄÖ][a-zåäö]+(?:katu|tie|kuja|polku|väylä|raitti|rinne|kaari|puistikko|tori|ranta)"
ADDRESS = re.compile(
    rf"\b{_FI_STREET}\s\d{{1,4}}(?:\s?[A-Z](?:\s?\d{{1,3}})?)?\b"
    rf"|\b\d{{1,4}}\s+[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Way)\b"
)
_CAP = r"[A-ZÅÄÖ][a-zåäöéü]+(?:-[A-ZÅÄÖ][a-zåäö]+)?"
INTRO = re.compile(
    rf"(?P<lead>\b(?:[Nn]imeni on|[Oo]len|[Mm]inä olen|[Tt]ässä on|[Mm]y name is|[Mm]y name's|I'm|I am|[Tt]his is|"
    rf"[Cc]all me|"
    # sign-offs of comments and e-mails
    rf"(?:[Yy]stävällisin |[Pp]arhain |[Hh]yvää päivää toivotellen )?[Tt]erveisin,?|[Tt]erv\.|[Kk]iittäen,?|"
    rf"(?:[Bb]est|[Kk]ind|[Ww]arm) regards,?|[Rr]egards,?|[Ss]incerely,?|[Yy]ours sincerely,?|[Yy]ours truly,?))"
    rf"\s+(?P<name>{_CAP}(?:\s{_CAP})?)"
)
#: Capitalised words after an introduction that are not names (*olen Helsingistä*, *I'm Finnish*).
NOT_NAMES = frozenset(
    "Helsingistä Tampereelta Turusta Oulusta Suomesta Finnish English British Swedish Not Just Very Really So Sorry "
    "Happy Glad Sure The A An It Yes No Kyllä Ei Myyjä Asiakas Työntekijä Esimies Tyytyväinen".split()
)
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def hetu_valid(code: str) -> bool:
    """True when a Finnish personal identity code's check character is right (mod 31 of DDMMYY + NNN)."""
    m = HETU.fullmatch(re.sub(f"[{_DASHES}]", "-", code.strip().upper()))
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


#: Speaker labels that name a role, not a person (kept in transcripts); any other speaker label is a name.
ROLE_LABELS = frozenset(
    "interviewer haastattelija customer asiakas employee työntekijä respondent vastaaja moderator "
    "fasilitaattori manager esihenkilö esimies staff henkilökunta".split()
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in a text: ``text[start:end]`` is replaced by ``placeholder``."""

    start: int
    end: int
    placeholder: str


def find_personal_data(text: str, roster: Iterable[str] = ()) -> list[Finding]:
    """Every piece of personal data in ``text`` (see the module docstring), in text order, never overlapping.

    Patterns are tried in the order of the table above; a later one never claims characters an earlier one has.
    """
    if not isinstance(text, str) or not text:
        return []
    claimed: list[Finding] = []

    def free(a: int, b: int) -> bool:
        return all(b <= f.start or a >= f.end for f in claimed)

    def take(a: int, b: int, placeholder: str) -> None:
        if a < b and free(a, b):
            claimed.append(Finding(a, b, placeholder))

    for m in EMAIL.finditer(text):
        take(m.start(), m.end(), "[EMAIL]")
    for m in IBAN.finditer(text):
        if iban_valid(m.group(0)):
            take(m.start(), m.end(), "[IBAN]")
    for m in HETU.finditer(text):
        if hetu_valid(m.group(0)):
            take(m.start(), m.end(), "[HETU]")
    for m in PHONE.finditer(text):
        take(m.start(), m.end(), "[PHONE]")
    for m in ADDRESS.finditer(text):
        take(m.start(), m.end(), "[ADDRESS]")
    for m in INTRO.finditer(text):
        words = list(re.finditer(r"\S+", m.group("name")))
        if words[0].group(0) in NOT_NAMES:
            continue
        base = m.start("name")
        last = words[1] if len(words) > 1 and words[1].group(0) not in NOT_NAMES else words[0]
        take(base + words[0].start(), base + last.end(), "[NAME]")
    names = sorted({n.strip() for n in roster if isinstance(n, str) and len(n.strip()) >= 2}, key=len, reverse=True)
    if names:
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")(?:n|a|ä|lle|lta|ltä|sta|stä)?\b")
        for m in pattern.finditer(text):
            take(m.start(), m.end(), "[NAME]")
    return sorted(claimed, key=lambda f: f.start)


def redact_text(text, roster: Iterable[str] = ()) -> str:
    """``text`` with personal data replaced by typed placeholders (see the module docstring).

    Non-text values (None, NaN) come back unchanged. ``roster`` is a list of
    names (first names, surnames or both) to replace wherever they occur as words.
    """
    if not isinstance(text, str) or not text:
        return text
    return redact_with_offsets(text, roster)[0]


def redact_with_offsets(text: str, roster: Iterable[str] = ()) -> tuple[str, "OffsetMap"]:
    """The redacted text and the map from character positions in ``text`` to positions in it.

    Spans into the original (interview turns, a coder's selections) stay on the same words: a position inside
    a replaced piece maps to the start of its placeholder, one at its end to the placeholder's end."""
    findings = find_personal_data(text, roster)
    parts, pos = [], 0
    for f in findings:
        parts += [text[pos:f.start], f.placeholder]
        pos = f.end
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(findings)


class OffsetMap:
    """Maps positions of an original text to the redacted one (see :func:`redact_with_offsets`)."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings

    def __call__(self, pos: int) -> int:
        shift = 0
        for f in self.findings:
            if pos >= f.end:
                shift += len(f.placeholder) - (f.end - f.start)
            elif pos > f.start:
                return f.start + shift
            else:
                break
        return pos + shift


def pseudonym_key(root: str | Path, env: str = "CXRESEARCH_PSEUDONYM_KEY") -> tuple[bytes, str]:
    """The key respondent ids are pseudonymised with, and where it came from.

    Read from the environment variable ``env`` when set, else from ``.cxresearch_key`` in the project root
    (git-ignored, never committed); when neither exists a random key is written to that file. The same key
    gives the same pseudonyms, so runs stay reproducible on one machine."""
    value = os.environ.get(env)
    if value:
        return value.encode("utf-8"), f"the environment variable {env}"
    path = Path(root) / ".cxresearch_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
        return path.read_text().strip().encode("utf-8"), f"a new random key in {path.name} (git-ignored)"
    return path.read_text().strip().encode("utf-8"), f"{path.name} (git-ignored)"


def pseudonymise(values, key: bytes, prefix: str = "R") -> list:
    """Keyed pseudonyms (BLAKE2b in its keyed MAC mode, 8 bytes as 16 hex digits) for respondent ids; missing
    values stay missing.

    Without the key a pseudonym cannot be traced back to the id, nor recomputed from a guessed id. Keyed BLAKE2b
    is a MAC by design (RFC 7693) and one C call per id: a million ids take 0.9 s, where HMAC-SHA256 took 1.8 s.
    Each distinct id is hashed once."""
    import numpy as np
    import pandas as pd

    from cxresearch.io.tables import per_distinct

    key = hashlib.sha256(key).digest() if len(key) > 64 else key  # BLAKE2b takes keys of up to 64 bytes
    series = values if isinstance(values, pd.Series) else pd.Series(values, dtype=object)
    return per_distinct(series, lambda d: np.array(
        [prefix + hashlib.blake2b(str(v).encode("utf-8"), key=key, digest_size=8).hexdigest() for v in d],
        dtype=object), np.asarray(values, dtype=object)).tolist()


def read_roster(data_dir: str | Path) -> list[str]:
    """Names listed in the data folder's optional ``roster.txt`` (one name a line, ``#`` starts a comment)."""
    path = Path(data_dir) / "roster.txt"
    if not path.exists():
        return []
    names = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(line)
            names.extend(part for part in line.split() if len(part) >= 2)
    return names


def redact_transcripts(turns, bodies, codings=None, roster: Iterable[str] = ()):
    """Interview turns, transcript bodies and human codings with personal data replaced, spans kept on their words.

    ``bodies``: ``interview_id, body``; ``turns`` and ``codings`` carry ``start``/``end`` offsets into a body,
    which are mapped into the redacted body (so a coder's selection still covers the same words). Speaker labels
    that are not role words (*Interviewer*, *Asiakas* …) are people's names: they become ``[NAME]`` and are
    redacted wherever the transcript says them. Returns ``(turns, bodies, codings, n_replaced)``.
    """
    import pandas as pd

    turns, bodies = turns.copy(), bodies.copy()
    codings = codings.copy() if codings is not None else None
    roster = list(roster)
    replaced = 0
    # positions of each interview's rows, found once; new values collected in lists and set once at the end
    at = turns.groupby("interview_id", sort=False).indices if len(turns) else {}
    starts, ends = turns["start"].tolist(), turns["end"].tolist()
    texts, speakers = turns["text"].tolist(), turns["speaker"].tolist()
    has_codings = codings is not None and len(codings) > 0 and "start" in codings
    c_at = codings.groupby("interview_id", sort=False).indices if has_codings else {}
    c_starts = codings["start"].tolist() if has_codings else []
    c_ends = codings["end"].tolist() if has_codings else []
    new_bodies, done = [], set()
    for iid, body in zip(bodies["interview_id"].tolist(), bodies["body"].tolist()):
        rows = at.get(iid, [])
        said = {str(speakers[i]) for i in rows if isinstance(speakers[i], str)}
        named = sorted(x for x in said if x.strip().lower() not in ROLE_LABELS and len(x.strip()) >= 2)
        names = roster + named + [w for x in named for w in x.split() if len(w) >= 2]
        new, offset = redact_with_offsets(body, names)
        replaced += len(offset.findings)
        new_bodies.append(new)
        done.add(iid)
        for i in rows:
            starts[i], ends[i] = offset(int(starts[i])), offset(int(ends[i]))
            texts[i] = new[starts[i]:ends[i]]
            if speakers[i] in named:
                speakers[i] = "[NAME]"
        for i in c_at.get(iid, []):
            c_starts[i], c_ends[i] = offset(int(c_starts[i])), offset(int(c_ends[i]))
    bodies["body"] = pd.Series(new_bodies, index=bodies.index, dtype="object")
    # turns of interviews without a body row (none in practice) are redacted on their own
    for iid, rows in at.items():
        if iid not in done:
            for i in rows:
                texts[i] = redact_text(texts[i], roster)
    if len(turns):
        turns["start"] = pd.Series(starts, index=turns.index).astype(turns["start"].dtype)
        turns["end"] = pd.Series(ends, index=turns.index).astype(turns["end"].dtype)
        turns["text"] = pd.Series(texts, index=turns.index, dtype=turns["text"].dtype)
        turns["speaker"] = pd.Series(speakers, index=turns.index, dtype=turns["speaker"].dtype)
    if has_codings:
        codings["start"] = pd.Series(c_starts, index=codings.index).astype(codings["start"].dtype)
        codings["end"] = pd.Series(c_ends, index=codings.index).astype(codings["end"].dtype)
    return turns, bodies, codings, replaced


def small_employee_groups(employees, min_group_size: int = 5) -> set[str]:
    """Units whose employee group is smaller than ``min_group_size``: fewer respondents than that in every wave
    of the employee survey (the same rule that suppresses their EX figures). A unit with no employee survey
    responses at all counts as small: nothing shows how many people a quote could come from."""
    if employees is None or not len(employees) or "unit_id" not in employees:
        return set()
    by = ["unit_id", "wave"] if "wave" in employees else ["unit_id"]
    largest = employees.groupby(by, observed=True).size().groupby(level=0).max()
    return {str(u) for u, n in largest.items() if n < min_group_size}


def mark_quotable(coded, small_units: set[str], units_surveyed: set[str] | None = None):
    """``coded`` with a ``quotable`` column: False for employees' words from a unit in ``small_units`` (or not in
    ``units_surveyed`` when given), whose quote would point at a group under the minimum size."""
    import numpy as np

    unit = coded["unit_id"].astype(str) if "unit_id" in coded else None
    small = np.zeros(len(coded), dtype=bool)
    if unit is not None and "role" in coded:
        employee = (coded["role"] == "employee").to_numpy()
        in_small = unit.isin(small_units).to_numpy()
        if units_surveyed is not None:
            in_small = in_small | ~unit.isin(units_surveyed).to_numpy()
        small = employee & in_small
    return coded.assign(quotable=~small)
