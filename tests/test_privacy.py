"""Personal data out of free text and ids: what each pattern catches, what it leaves, and that spans survive.

Expected values are worked by hand from the definitions: the Finnish identity code check character is
``"0123456789ABCDEFHJKLMNPRSTUVWXY"[DDMMYYNNN mod 31]`` (131052-308T is the Digital and Population Data
Services Agency's published example); an IBAN is valid when its ISO 13616 mod-97 remainder is 1
(FI21 1234 5600 0007 85 is the Finnish banks' published example).
"""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from cxresearch.privacy import (find_personal_data, hetu_valid, iban_valid, pseudonym_key, pseudonymise,
                                redact_text, redact_transcripts, redact_with_offsets)


@pytest.mark.parametrize("text, expected", [
    ("Write to maija.virtanen@example.fi please", "Write to [EMAIL] please"),
    ("Tilini FI21 1234 5600 0007 85 on OK", "Tilini [IBAN] on OK"),
    ("Tilini FI21 1234 5600 0007 86 on OK", "Tilini FI21 1234 5600 0007 86 on OK"),  # check digits wrong
    ("hetu 131052-308T kiitos", "hetu [HETU] kiitos"),
    ("hetu 131052-308U kiitos", "hetu 131052-308U kiitos"),  # wrong check character: left alone
    ("Soita 040 123 4567 tai +358 40 1234567", "Soita [PHONE] tai [PHONE]"),
    ("Call +44 20 7946 0958 today", "Call [PHONE] today"),
    ("Asun Mannerheimintie 12 B 5 Helsingissä", "Asun [ADDRESS] Helsingissä"),
    ("I live at 221 Baker Street now", "I live at [ADDRESS] now"),
    ("Moi, olen Maija Virtanen ja asun Oulussa", "Moi, olen [NAME] ja asun Oulussa"),
    ("Nimeni on Pekka, hei", "Nimeni on [NAME], hei"),
    ("Hi, my name is John Smith.", "Hi, my name is [NAME]."),
    ("olen Helsingistä kotoisin", "olen Helsingistä kotoisin"),  # a place, not a name
    ("I'm Finnish by birth", "I'm Finnish by birth"),
    # forms seen in real comments (a review of the ingest): case, word-processor dashes, brackets, dodges, sign-offs
    ("hetu 131052-308t kiitos", "hetu [HETU] kiitos"),
    ("hetu 131052\u2013308T kiitos", "hetu [HETU] kiitos"),
    ("Soita (09) 123 4567 heti", "Soita [PHONE] heti"),
    ("Mail matti(at)example.fi tai maija [at] example [dot] fi", "Mail [EMAIL] tai [EMAIL]"),
    ("Palvelu pelasi. Terveisin Matti Virtanen", "Palvelu pelasi. Terveisin [NAME]"),
    ("Ystävällisin terveisin Maija", "Ystävällisin terveisin [NAME]"),
    ("Great staff. Best regards, John Smith", "Great staff. Best regards, [NAME]"),
    ("Terveisin tyytyväinen asiakas", "Terveisin tyytyväinen asiakas"),  # no name signed
    ("I was at the shop at 9 (09) ok", "I was at the shop at 9 (09) ok"),
])
def test_each_kind_of_personal_data_gets_its_placeholder(text, expected):
    assert redact_text(text) == expected


def test_roster_names_are_found_in_finnish_case_forms():
    """A roster name is replaced as a word and in its common case endings (Sarin, Sarille, Sarilta)."""
    out = redact_text("Kysyin Sarilta ja Sari vastasi; Sarin esimies oli paikalla. Sarianna ei.", ["Sari"])
    assert out == "Kysyin [NAME] ja [NAME] vastasi; [NAME] esimies oli paikalla. Sarianna ei."


def test_checksums_by_hand():
    assert hetu_valid("131052-308T") and not hetu_valid("131052-308A")
    assert iban_valid("FI21 1234 5600 0007 85") and not iban_valid("FI21 1234 5600 0007 84")


def test_spans_stay_on_their_words_after_redaction():
    """A selection made on the original text covers the same words in the redacted one."""
    text = "Olen Maija Virtanen. Palvelu oli hidas, soitin 040 123 4567 kolme kertaa."
    new, offset = redact_with_offsets(text)
    a, b = text.index("Palvelu oli hidas"), text.index("hidas") + len("hidas")
    assert new[offset(a):offset(b)] == "Palvelu oli hidas"
    a, b = text.index("kolme"), len(text)
    assert new[offset(a):offset(b)] == "kolme kertaa."
    # a position inside a replaced piece maps to its placeholder's start
    assert new[offset(text.index("Virtanen")):].startswith("[NAME]")
    assert [f.placeholder for f in find_personal_data(text)] == ["[NAME]", "[PHONE]"]


def test_transcripts_redacted_with_turn_and_coding_spans_moved():
    body = "Haastattelija: Kuka olet?\nMaija: Olen Maija, puh 040 123 4567. Jono oli pitkä."
    start = body.index("Olen")
    turns = pd.DataFrame({"interview_id": ["i1", "i1"], "turn": [0, 1], "speaker": ["Haastattelija", "Maija"],
                          "start": [body.index("Kuka"), start], "end": [body.index("?") + 1, len(body)],
                          "text": ["Kuka olet?", body[start:]]})
    codings = pd.DataFrame({"interview_id": ["i1"], "start": [body.index("Jono")], "end": [len(body)],
                            "code": ["hygiene_checkout"]})
    t, bodies, c, n = redact_transcripts(turns, pd.DataFrame({"interview_id": ["i1"], "body": [body]}), codings)
    new = bodies["body"].iloc[0]
    assert "Maija" not in new and "040" not in new and n == 3  # the speaker label, the name said, the phone
    assert t["speaker"].tolist() == ["Haastattelija", "[NAME]"]
    assert t["text"].iloc[1] == "Olen [NAME], puh [PHONE]. Jono oli pitkä."
    assert new[t["start"].iloc[1]:t["end"].iloc[1]] == t["text"].iloc[1]
    assert new[c["start"].iloc[0]:c["end"].iloc[0]] == "Jono oli pitkä."


def test_pseudonyms_are_keyed_stable_and_untraceable(tmp_path, monkeypatch):
    monkeypatch.delenv("CXRESEARCH_PSEUDONYM_KEY", raising=False)
    key, source = pseudonym_key(tmp_path)
    assert "new random key" in source
    mode = stat.S_IMODE(os.stat(tmp_path / ".cxresearch_key").st_mode)
    assert mode == 0o600
    assert pseudonym_key(tmp_path)[0] == key  # the file is reused
    ids = ["maija.virtanen@example.fi", "R_001", None]
    a = pseudonymise(ids, key, "C")
    assert a == pseudonymise(ids, key, "C") and a[2] is None
    assert a[0] != pseudonymise(ids, b"another key", "C")[0]
    assert all("maija" not in x and "001" not in x for x in a[:2])
    monkeypatch.setenv("CXRESEARCH_PSEUDONYM_KEY", "from-env")
    assert pseudonym_key(tmp_path) == (b"from-env", "the environment variable CXRESEARCH_PSEUDONYM_KEY")


def test_small_employee_groups_and_quotability():
    """A unit is small when its largest wave has fewer respondents than the minimum: U1 has 5 and 2 → not small;
    U2 has 4 and 4 → small. Only employees' words from small or unsurveyed units lose their quotability."""
    from cxresearch.privacy import mark_quotable, small_employee_groups

    employees = pd.DataFrame({"unit_id": ["U1"] * 7 + ["U2"] * 8, "wave": ["a"] * 5 + ["b"] * 2 + ["a"] * 4 + ["b"] * 4})
    small = small_employee_groups(employees, 5)
    assert small == {"U2"}
    coded = pd.DataFrame({"unit_id": ["U1", "U2", "U2", "U3"], "role": ["employee", "employee", "customer", "employee"]})
    assert mark_quotable(coded, small, {"U1", "U2"})["quotable"].tolist() == [True, False, True, False]
