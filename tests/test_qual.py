"""The qualitative engine: codebook, transcripts, Finnish/English text handling, the cue coder, agreement.

Known answers come from published worked examples (Cohen's kappa), another
implementation (statsmodels' ``cohens_kappa``), the Universal Dependencies
treebank UD_Finnish-OOD (gold lemmas, in ``tests/fixtures/finnish``), and
the codes ``cxresearch synth`` planted in the bundled example's transcripts.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.config import DRIVERS
from cxresearch.exceptions import CodebookError, TranscriptError
from cxresearch.qual.agreement import cohen_kappa, compare_to_reference
from cxresearch.qual.codebook import load_codebook
from cxresearch.qual.coding import Coder, code_segments
from cxresearch.qual.text import detect_language, lemma, negated_positions, tokenize
from cxresearch.qual.transcripts import read_interviews, read_transcript

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "example"
FIXTURES = ROOT / "tests" / "fixtures" / "finnish"  # copied from ../shared/fixtures; sources in its README
UD_LEMMAS = FIXTURES / "UD_Finnish-OOD_thread_first40_lemmas.tsv"
UD_CONLLU = FIXTURES / "UD_Finnish-OOD_thread_first40.conllu"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def coder(codebook):
    return Coder(codebook)


def _codes(coder, text, lang):
    rows, _ = coder.code_text(text, lang)
    return {r["code"]: r["valence"] for r in rows}


# --------------------------------------------------------------------------- codebook


def test_default_codebook_covers_every_driver_and_the_customer_codes(codebook):
    """DESIGN §3: the eight EX drivers plus the customer-side codes, each with fi and en labels and cues."""
    assert set(DRIVERS) <= set(codebook.codes)
    for cid in ("empathy", "expectation", "effort", "hygiene_delivery", "hygiene_checkout",
                "hygiene_availability", "hygiene_reachability", "wow", "price_value", "delivery_reliability"):
        assert cid in codebook.codes
    for code in codebook.codes.values():
        assert set(code.label) == {"fi", "en"} and all(code.label.values())
    for lang in ("fi", "en"):
        assert {c.code for c in codebook.cues[lang]} == set(codebook.codes)


def test_a_broken_codebook_reports_every_problem_at_once(tmp_path):
    bad = tmp_path / "codebook.yaml"
    bad.write_text(
        """
themes:
  - id: staff
    label: {fi: Henkilöstö, en: Staff}
codes:
  - id: staffing
    theme: staff
    label: {fi: Riittävä henkilöstö, en: Enough staff}
    definition: {fi: x, en: x}
    valence: both
    cues: {fi: [henkilökunta], en: [staff]}
  - id: staffing
    theme: people
    label: {fi: Kaksoiskappale}
    definition: {fi: x, en: x}
    valence: good
    cues: {fi: [kiire], en: [busy]}
""",
        encoding="utf-8",
    )
    with pytest.raises(CodebookError) as err:
        load_codebook(bad)
    problems = err.value.problems
    text = "\n".join(problems)
    # file:line:field — the line the field is on in the YAML (a missing field: the line of its parent)
    assert "codebook.yaml:12:codes[1].id: 'staffing' — expected a unique code id (duplicate)" in text
    assert "codebook.yaml:13:codes[1].theme: 'people' — expected one of staff" in text
    assert "codebook.yaml:16:codes[1].valence: 'good' — expected one of" in text
    assert "codebook.yaml:14:codes[1].label.en: missing" in text
    assert len(problems) >= 4
    assert all(p.startswith("codebook.yaml:") for p in problems)


# --------------------------------------------------------------------------- transcripts


def test_transcript_turns_keep_character_spans_into_the_body():
    meta, body, turns = read_transcript(EXAMPLE / "interviews" / "int_001.md")
    assert meta["id"] == "int_001"
    assert len(turns) >= 4
    for t in turns.itertuples():
        assert body[t.start:t.end] == t.text
    assert turns["is_interviewer"].any() and (~turns["is_interviewer"]).any()


def test_transcript_problems_name_file_and_line_all_at_once(tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "a.md").write_text("Asiakas: ei front matteria\n", encoding="utf-8")
    (folder / "b.md").write_text(
        "---\nid: b\nrole: customer\nunit_id: U01\nlang: fi\ndate: 2026-03-01\nspeakers: [Haastattelija, Asiakas]\n---\n"
        "Haastattelija: Kertoisitko käynnistäsi?\n"
        "Asikas: Kassalla oli jonoa.\n"
        "tämä rivi ei ole vuoro\n",
        encoding="utf-8",
    )
    (folder / "c.md").write_text(
        "---\nid: b\nrole: supplier\nunit_id: U02\nlang: sv\ndate: 2026-03-02\n---\nAsiakas: Hyvä palvelu.\n",
        encoding="utf-8",
    )
    with pytest.raises(TranscriptError) as err:
        read_interviews(folder)
    problems = err.value.problems
    assert "interviews/a.md:1:front matter: missing — expected the file to start with a '---' line" in problems
    assert "interviews/b.md:10:speaker: 'Asikas' — expected one of Haastattelija, Asiakas" in problems
    assert any(p.startswith("interviews/b.md:11:turn: 'tämä rivi ei ole vuoro'") for p in problems)
    assert "interviews/c.md:1:role: 'supplier' — expected one of customer, employee" in problems
    assert "interviews/c.md:1:lang: 'sv' — expected fi or en" in problems


# --------------------------------------------------------------------------- text handling


def test_finnish_lemmas_against_the_ud_treebank():
    """Gold lemmas of UD_Finnish-OOD (first 40 sentences; '#' marks compound boundaries and is removed).

    simplemma was measured at 0.908 of 358 word tokens (punctuation, symbols and
    numbers excluded); the floor leaves room for lemmatiser updates, not for a
    broken pipeline (lower-casing or caching errors drop it far below).
    """
    gold = pd.read_csv(UD_LEMMAS, sep="\t", quoting=3, keep_default_na=False)
    words = gold[~gold["upos"].isin(["PUNCT", "SYM", "NUM"])]
    predicted = np.array([lemma(form.lower(), "fi") for form in words["form"]])
    expected = words["lemma"].str.lower().str.replace("#", "", regex=False).to_numpy()
    accuracy = float(np.mean(predicted == expected))
    assert len(words) > 300
    assert accuracy >= 0.88, accuracy


def test_language_detection_on_treebank_sentences_and_example_turns():
    """Finnish UD sentences, and every respondent turn of the example against its front-matter language."""
    texts = [line[len("# text = "):].strip() for line in UD_CONLLU.read_text(encoding="utf-8").splitlines()
             if line.startswith("# text = ")]
    assert len(texts) == 40
    finnish = sum(detect_language(t, default="en") == "fi" for t in texts)
    assert finnish >= 38  # measured 39; the miss is the one-token sentence "H."
    turns = read_interviews(EXAMPLE / "interviews")
    turns = turns[~turns["is_interviewer"]]
    hits = np.mean([detect_language(t, default="xx") == lang for t, lang in zip(turns["text"], turns["lang"])])
    assert hits >= 0.97  # measured 134 of 135


@pytest.mark.parametrize(
    ("text", "lang", "scoped"),
    [
        ("ei ole tarpeeksi henkilökuntaa", "fi", {"tarpeeksi", "henkilökuntaa", "ole"}),
        ("henkilökuntaa ei ole tarpeeksi", "fi", {"henkilökuntaa", "ole", "tarpeeksi"}),
        ("there was not enough staff", "en", {"enough", "staff"}),
        ("the staff weren't rude, but the queue was slow", "en", {"rude"}),
    ],
)
def test_negation_scope(text, lang, scoped):
    toks = tokenize(text)
    got = {toks[i] for i in negated_positions(toks, lang)}
    assert scoped <= got
    if "but" in toks:
        assert "slow" not in got  # the clause break ends the scope


@pytest.mark.parametrize(
    ("text", "lang", "code", "valence"),
    [
        ("Meillä ei ole tarpeeksi henkilökuntaa iltaisin.", "fi", "staffing", "negative"),
        ("Henkilökuntaa on onneksi tarpeeksi.", "fi", "staffing", "positive"),
        ("There was not enough staff on the floor.", "en", "staffing", "negative"),
        ("The staff were great and there were plenty of us on the floor.", "en", "staffing", "positive"),
        ("Myyjä ei ollut yhtään ystävällinen.", "fi", "empathy", "negative"),
        ("The manager never gives us any feedback.", "en", "leadership", "negative"),
    ],
)
def test_negation_flips_valence_rather_than_being_missed(coder, text, lang, code, valence):
    codes = _codes(coder, text, lang)
    assert codes.get(code) == valence, codes


def test_finnish_compounds_match_their_parts(coder, codebook):
    """``asiakaspalvelussa`` carries the cue ``palvelu``; inflected compounds still reach their code: the cue
    coder finds staffing (negative) in *henkilökuntamäärä* through its part *henkilökunta*. The full coder's
    learned veto scores that unusual phrasing 0.52 since the eighth training bank, just under the Finnish keep
    threshold (0.55) that cross-validation chose, and drops it — recorded here, not hidden; the plain phrasing
    *henkilökuntaa on liian vähän* keeps it (0.91)."""
    cue_lemmas = {c.lemmas for c in codebook.cues["fi"]}
    assert ("palvelu",) in cue_lemmas or ("asiakaspalvelu",) in cue_lemmas
    rows, _ = coder.code_text("Asiakaspalvelussa kukaan ei vastannut puhelimeen, tosi huono kokemus.", "fi")
    assert rows, "a compound noun plus a negative statement should code something"
    cues_only = Coder(codebook, learned=False)
    staffing = _codes(cues_only, "Henkilökuntamäärä on aivan liian pieni ja kiire on kova.", "fi")
    assert staffing.get("staffing") == "negative", staffing
    plain = _codes(coder, "Henkilökuntaa on aivan liian vähän ja kiire on kova.", "fi")
    assert plain.get("staffing") == "negative", plain


def test_a_topic_word_alone_codes_nothing(coder):
    """Mentioning the till is not a statement about it: no sentiment, no valence cue, no code."""
    assert _codes(coder, "Maksoin kassalla.", "fi") == {}
    assert _codes(coder, "I paid at the till.", "en") == {}


def test_the_coder_says_why(coder):
    rows, _ = coder.code_text("There was not enough staff and the queue took ages.", "en")
    by_code = {r["code"]: r for r in rows}
    assert "staffing" in by_code
    assert "staff" in by_code["staffing"]["cue"]
    assert 0 < by_code["staffing"]["score"] <= 1


# --------------------------------------------------------------------------- coder against planted truth


def test_auto_coder_against_the_codes_synth_planted():
    """The example's truth.json names the codes each respondent turn was written to carry.

    Measured on the bundled example: recall 0.84, precision 0.54 against the
    planted codes (the cue coder also finds codes that the generator's phrases
    carry incidentally). Floors guard against regressions, not a target.
    """
    truth = json.loads((EXAMPLE / "truth.json").read_text(encoding="utf-8"))
    planted = pd.DataFrame(
        [{"interview_id": iid, "turn": t["turn"], "code": c["code"]}
         for iid, turns in truth["interviews"].items() for t in turns for c in t["codes"]]
    )
    turns = read_interviews(EXAMPLE / "interviews")
    auto = code_segments(turns, load_codebook(EXAMPLE / "codebook.yaml"))
    overall = compare_to_reference(auto, planted).set_index("code").loc["__all__"]
    assert overall["recall"] >= 0.75, overall.to_dict()
    assert overall["precision"] >= 0.45, overall.to_dict()


def test_coding_throughput(codebook):
    """Segments per second of the cue coder on distinct realistic turns (measured about 5,800/s on 2 cores).

    A generous floor: this is a regression guard; the benchmark (``make bench``) reports the real rate.
    """
    turns = read_interviews(EXAMPLE / "interviews")
    turns = turns[~turns["is_interviewer"]]
    segments = pd.concat([turns] * 20, ignore_index=True)
    # every segment distinct (a number appended), so the coder's per-text cache cannot help
    segments["text"] = [f"{t} ({i})" for i, t in enumerate(segments["text"])]
    code_segments(segments.head(50), codebook)  # warm the lemma cache, as a long run would be
    start = time.perf_counter()
    code_segments(segments, codebook)
    rate = len(segments) / (time.perf_counter() - start)
    assert rate >= 500, f"{rate:.0f} segments/s"


# --------------------------------------------------------------------------- agreement


def test_cohen_kappa_worked_example():
    """Wikipedia 'Cohen's kappa', worked example: 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15.

    p_o = 0.70, p_e = 0.5·0.6 + 0.5·0.4 = 0.50, κ = 0.40.
    """
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)


def test_cohen_kappa_equals_statsmodels():
    """Another implementation: statsmodels.stats.inter_rater.cohens_kappa on the contingency table."""
    from statsmodels.stats.inter_rater import cohens_kappa

    rng = np.random.default_rng(5)
    a = rng.integers(0, 3, 200)
    b = np.where(rng.random(200) < 0.6, a, rng.integers(0, 3, 200))
    table = pd.crosstab(a, b).to_numpy()
    assert cohen_kappa(a, b) == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)


def test_kappa_per_code_counts_turns_neither_coder_coded_as_agreement():
    turns = pd.DataFrame({"interview_id": ["i1"] * 10, "turn": range(10)})
    codings = pd.DataFrame(
        [("i1", t, "staffing", "a") for t in (0, 1, 2, 3)] + [("i1", t, "staffing", "b") for t in (0, 1, 2, 4)],
        columns=["interview_id", "turn", "code", "coder"],
    )
    from cxresearch.qual.reliability import per_code_reliability

    row = per_code_reliability(codings, turns, ["a", "b"], n_boot=0).iloc[0]
    # 10 turns: both 3, a-only 1, b-only 1, neither 5 → p_o = 0.8, p_e = 0.4·0.4 + 0.6·0.6 = 0.52.
    assert row["agreement"] == pytest.approx(0.8)
    assert row["kappa"] == pytest.approx((0.8 - 0.52) / (1 - 0.52))


def test_precision_and_recall_against_a_reference():
    ref = pd.DataFrame({"interview_id": ["i1", "i1", "i1"], "turn": [1, 2, 3], "code": ["wow", "wow", "effort"]})
    auto = pd.DataFrame({"interview_id": ["i1", "i1", "i2"], "turn": [1, 3, 1], "code": ["wow", "wow", "wow"]})
    out = compare_to_reference(auto, ref).set_index("code")
    # i2 is not in the reference and is left out; wow: auto {1,3}, ref {1,2} → P = R = 0.5.
    assert out.loc["wow", "precision"] == pytest.approx(0.5)
    assert out.loc["wow", "recall"] == pytest.approx(0.5)
    assert out.loc["effort", "recall"] == 0
    assert out.loc["__all__", "n_both"] == 1


def test_coding_output_does_not_depend_on_string_hashing():
    """The same transcripts give the same coded table, cue order included, under different PYTHONHASHSEEDs
    (Python randomises set order per process; the pipeline's Parquet outputs must not change with it)."""
    import os
    import subprocess
    import sys

    script = (
        "from cxresearch.qual.transcripts import read_interviews;"
        "from cxresearch.qual.coding import code_segments;"
        "from cxresearch.qual.codebook import load_codebook;"
        f"print(code_segments(read_interviews({str(EXAMPLE / 'interviews')!r}), load_codebook()).to_csv())"
    )
    outputs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")]
    assert outputs[0] and outputs[0] == outputs[1] == outputs[2]


def test_a_valence_cue_holding_its_own_negator_keeps_its_valence(coder):
    """'no idea' is a negative cue of core_skills: its own 'no' must not flip it to positive (it did before)."""
    assert _codes(coder, "The girl at the counter had no idea about the product.", "en")["core_skills"] == "negative"
