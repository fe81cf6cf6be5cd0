"""The learned coder: what it adds to the cues, how it shows its evidence, and that it is reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from cxresearch.qual.codebook import load_codebook
from cxresearch.qual.coding import Coder
from cxresearch.qual.learned import LEARNED_MARK, Example, LearnedCoder, features, training_examples


@pytest.fixture(scope="module")
def codebook():
    return load_codebook()


@pytest.fixture(scope="module")
def coders(codebook):
    return Coder(codebook, learned=False), Coder(codebook)


def test_training_passages_cover_every_code_in_both_languages(codebook):
    """The default codebook's learned model has passages for every code and language, and uncoded talk."""
    ex = training_examples(codebook)
    for lang in ("fi", "en"):
        per = {c: sum(e.code == c and e.lang == lang for e in ex) for c in codebook.codes}
        assert min(per.values()) >= 10, per
        assert sum(e.code is None and e.lang == lang for e in ex) >= 100


@pytest.mark.parametrize("text, lang", [("I rang them four times and nobody ever picked up.", "en"),
                                        ("Soitin neljä kertaa eikä kukaan vastannut.", "fi")])
def test_it_finds_a_code_said_without_any_cue_and_marks_it_as_inferred(coders, text, lang):
    """Nobody answering the phone names no reachability cue; the cue coder misses it, the learned model finds
    hygiene_reachability (negative) and says which features weighed most, marked ≈."""
    cue_only, full = coders
    assert "hygiene_reachability" not in {r["code"] for r in cue_only.code_text(text, lang, role="customer")[0]}
    rows = {r["code"]: r for r in full.code_text(text, lang, role="customer")[0]}
    assert "hygiene_reachability" in rows
    assert rows["hygiene_reachability"]["valence"] == "negative"
    assert rows["hygiene_reachability"]["cue"].startswith(LEARNED_MARK)
    assert 0 < rows["hygiene_reachability"]["score"] <= 1


def test_cue_codes_are_kept_and_role_reserved_codes_stay_out(coders):
    """Codes the cues find are not duplicated or replaced; a code reserved for employees (leadership) is not
    added to a customer's turn however leadership-like the words."""
    cue_only, full = coders
    text = "The queue at the till was far too long."
    base = {(r["code"], r["cue"]) for r in cue_only.code_text(text, "en")[0]}
    got = full.code_text(text, "en")[0]
    assert base <= {(r["code"], r["cue"]) for r in got}
    assert len({r["code"] for r in got}) == len(got)
    boss = "My manager gives me honest feedback every week and backs me up when things go wrong."
    assert "leadership" in {r["code"] for r in full.code_text(boss, "en", role="employee")[0]}
    assert "leadership" not in {r["code"] for r in full.code_text(boss, "en", role="customer")[0]}


def test_saved_model_predicts_the_same(tmp_path, coders):
    """Written to .npz and read back, the model gives identical predictions (the on-disk cache is faithful)."""
    model = coders[1].learned
    model.save(tmp_path / "m.npz")
    again = LearnedCoder.load(tmp_path / "m.npz")
    assert again.threshold == model.threshold
    for text, lang in [("Myyjä ei tiennyt tuotteesta mitään ja joutui kysymään kollegalta.", "fi"),
                       ("The parcel turned up three days after the date they promised.", "en")]:
        assert again.predict(text, lang) == model.predict(text, lang)


def test_threshold_comes_from_cross_validation_on_training_passages():
    """A toy set: two codes with distinct words plus uncoded talk. The cross-validated threshold separates them
    (CV F1 1.0) and the model codes a new sentence with the right code."""
    ex = [Example(f"the queue was long {w}", "en", "q", "negative") for w in "ab cd ef gh ij kl mn op".split()]
    ex += [Example(f"the price was high {w}", "en", "p", "negative") for w in "ab cd ef gh ij kl mn op".split()]
    ex += [Example(f"we went there on {w}", "en", None) for w in "monday tuesday friday sunday noon evening".split()]
    model = LearnedCoder.fit(ex, folds=4)
    assert model.models["en"]["cv_f1"] == pytest.approx(1.0)
    assert [r["code"] for r in model.predict("such a long queue", "en")] == ["q"]
    assert model.predict("we went there on saturday", "en") == []


def test_features_mark_negation_and_finnish_compound_tails():
    """A lemma in a negation's scope gets a ¬ twin; a long Finnish compound also gives its tails."""
    en = features("They did not help me", "en")
    assert "help" in en and "¬help" in en and "<neg>" in en
    fi = features("Asiakaspalvelu oli hidas", "fi")
    assert any(f.startswith("…") and "palvelu".endswith(f[1:]) for f in fi)
    assert np.all(np.array(fi) == np.array(sorted(fi)))


def test_a_cue_word_used_in_another_sense_is_vetoed_and_a_fitting_one_trusted_more(coders):
    """Stacking: the model sees which codes the cues found and learns how far each is to be trusted in context.
    *phone* is a reachability cue, but here it is a simile; *bored* is a passion cue that fits. (Written for
    this test; neither sentence is in a training bank.) The misfit is dropped, and the model trusts the fitting
    cue far more: 0.03 against 0.47 with the own-language model alone, 0.14 against 0.59 once the bilingual
    model (less sharp, weight 0.3) was blended in, 0.18 against 0.67 with the eighth bank. Whether *bored* is
    kept depends on the English *keep* threshold that cross-validation chooses: with the first three banks it was
    low and the hit stayed; with seven it was 0.525–0.6 and this hit went too; with eight it is 0.525 and the hit
    is kept again."""
    cues_only, full = coders
    text = "He talked about the products like he was reading the phone directory, bored stiff."
    assert {r["code"] for r in cues_only.code_text(text, "en", role="customer")[0]} == {"hygiene_reachability",
                                                                                       "passion"}
    rows = full.code_text(text, "en", role="customer")[0]
    assert "hygiene_reachability" not in {r["code"] for r in rows}
    model = full.learned
    keep = model.threshold["en"]["keep"]
    model.threshold["en"]["keep"] = 0.0  # every cue hit kept, with the model's probability as its score
    try:
        scores = {h["code"]: h["score"] for h in model.predict(text, "en", cues={"hygiene_reachability", "passion"})}
    finally:
        model.threshold["en"]["keep"] = keep
    assert scores["hygiene_reachability"] < keep <= 1
    assert scores["passion"] > 3 * scores["hygiene_reachability"]
    assert scores["passion"] - scores["hygiene_reachability"] > 0.3


def test_joint_fit_equals_one_logistic_regression_per_code():
    """The K class-balanced L2 logistic regressions fitted jointly (one L-BFGS run) equal the K separate fits
    (``_fit_logistic``, the reference) to 1e-6 when both are run to a tight tolerance: the joint objective is
    their sum."""
    from scipy.sparse import random as sparse_random

    from cxresearch.qual.learned import _fit_logistic, _fit_logistic_many

    rng = np.random.default_rng(3)
    X = sparse_random(300, 40, density=0.1, random_state=3, data_rvs=lambda k: np.ones(k)).tocsr()
    Y = (rng.random((300, 3)) < np.array([0.1, 0.3, 0.5])).astype(float)
    Y[:, 1] = np.maximum(Y[:, 1], (X[:, 0].toarray()[:, 0] > 0))  # one column with signal
    B, b0 = _fit_logistic_many(X, Y, l2=1.0, tol=1e-14)
    for j in range(3):
        beta, c0 = _fit_logistic(X, Y[:, j], l2=1.0, tol=1e-14)
        np.testing.assert_allclose(B[:, j], beta, atol=1e-6)
        assert b0[j] == pytest.approx(c0, abs=1e-6)


def test_old_fitted_models_are_pruned_from_the_cache(tmp_path):
    """Every codebook or training-bank change fits a new model of some 40 MB; only the most recently used few
    stay in the cache folder (expected: the newest ``keep`` by modification time survive, other files stay)."""
    import os

    from cxresearch.qual.learned import _prune_models

    for i in range(6):
        f = tmp_path / f"learned-{i:016x}.npz"
        f.write_bytes(b"x")
        os.utime(f, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "fi.dic").write_bytes(b"lemmas")  # other cached files are not touched
    gone = _prune_models(tmp_path, keep=4)
    assert sorted(p.name for p in gone) == ["learned-0000000000000000.npz", "learned-0000000000000001.npz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fi.dic"] + [f"learned-{i:016x}.npz" for i in range(2, 6)]


def test_cache_files_are_replaced_whole_or_not_at_all(tmp_path):
    """``cache.replacing``: the target changes only when the write succeeds; a failed write leaves the old file
    and no temporary file behind (expected: the literal contents written here)."""
    from cxresearch.cache import replacing

    target = tmp_path / "sub" / "model.npz"
    with replacing(target) as tmp:
        tmp.write_bytes(b"first")
    assert target.read_bytes() == b"first"
    with pytest.raises(RuntimeError):
        with replacing(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("write failed")
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["model.npz"]


def test_bilingual_lexicon_pairs_lemmas_by_dice_over_parallel_passages():
    """Worked by hand over five parallel passages. *jono* and *queue* occur in passages 1–3 each, together in
    all three: Dice 2·3/(3+3) = 1. *pitkä* is in 1, 4, 5 and *long* in 1, 4, 5, 6: Dice 2·3/(3+4) = 0.857.
    *odotus*/*wait* occur twice only (below ``min_count`` 3), *kassa*/*till* once. *jono* also meets *long* in
    passage 1 only (together once, below two), so each Finnish lemma keeps the one partner found."""
    from cxresearch.qual.learned import bilingual_lexicon

    pairs = [({"jono", "pitkä"}, {"queue", "long"}), ({"jono", "lyhyt", "odotus"}, {"queue", "short", "wait"}),
             ({"jono", "kassa"}, {"queue", "till"}), ({"pitkä", "odotus"}, {"long", "wait"}),
             ({"pitkä", "päivä"}, {"long", "day"}), ({"kauan"}, {"long"})]
    assert bilingual_lexicon(pairs) == {"jono": ["queue"], "pitkä": ["long"]}
    assert bilingual_lexicon(pairs, min_dice=0.9) == {"jono": ["queue"]}  # 0.857 < 0.9
    assert bilingual_lexicon(pairs, min_count=2)["odotus"] == ["wait"]  # 2·2/(2+2) = 1


def test_bilingual_model_blends_into_each_language_and_survives_the_cache(tmp_path):
    """With parallel passages and a fixed weight of 0.5, each language's probability is half its own model's
    and half the bilingual model's, which reads the Finnish passage through the learned lexicon (expected value
    computed here from the two fitted components); the saved model predicts the same after loading."""
    from scipy.special import expit

    from cxresearch.qual.learned import _lemma_set, _letter_grams, _word_features, concept_features

    fi_tail = "aa bb cc dd ee ff gg hh".split()
    en_tail = "ab cd ef gh ij kl mn op".split()
    ex = []
    for i, (a, b) in enumerate(zip(fi_tail, en_tail)):
        ex += [Example(f"jono oli pitkä {a}", "fi", "q", "negative", pair=i),
               Example(f"the queue was long {b}", "en", "q", "negative", pair=i),
               Example(f"hinta oli korkea {a}", "fi", "p", "negative", pair=100 + i),
               Example(f"the price was high {b}", "en", "p", "negative", pair=100 + i)]
    for i, (a, b) in enumerate(zip("maanantaina tiistaina perjantaina sunnuntaina aamulla illalla".split(),
                                   "monday tuesday friday sunday noon evening".split())):
        ex += [Example(f"kävimme siellä {a}", "fi", None, pair=200 + i), Example(f"we went there on {b}", "en", None,
                                                                                pair=200 + i)]
    model = LearnedCoder.fit(ex, folds=4, weights=(0.5,))
    con = model.concept
    # jono and pitkä always come together, as do queue and long: each Finnish lemma gets both (Dice 1)
    assert con["weight"] == 0.5 and con["lexicon"]["jono"] == ["long", "queue"]
    assert con["lexicon"]["hinta"] == ["high", "price"]
    text = "jono oli pitkä"
    words, tokens = _word_features(text, "fi")
    shared = concept_features(_lemma_set(words), "fi", con["lexicon"], con["targets"])
    assert "≡queue" in shared and "≡long" in shared
    m = model.models["fi"]
    own_cols = [m["vocab"][f] for f in words | {g for t in tokens for g in _letter_grams(t)} if f in m["vocab"]]
    own = expit(m["B"][sorted(set(own_cols))].sum(axis=0) + m["b0"])
    both = expit(con["B"][[con["vocab"][f] for f in shared if f in con["vocab"]]].sum(axis=0) + con["b0"])
    expected = 0.5 * own[m["codes"].index("q")] + 0.5 * both[con["codes"].index("q")]
    model.threshold["fi"]["add"] = 0.0  # every code reported, with its blended probability
    scores = {r["code"]: r["score"] for r in model.predict(text, "fi")}
    assert scores["q"] == pytest.approx(expected, abs=1e-4)
    model.save(tmp_path / "m.npz")
    again = LearnedCoder.load(tmp_path / "m.npz")
    assert again.concept["weight"] == 0.5 and again.concept["lexicon"] == con["lexicon"]
    for t, lang in [(text, "fi"), ("the price was so high", "en")]:
        assert again.predict(t, lang) == model.predict(t, lang)


def test_logistic_function_equals_scipys_to_a_few_ulp():
    """The coder's own logistic function (it spares prediction the 0.25 s import of scipy.special) returns
    scipy.special.expit's float64 values to within 4 units in the last place, overflow, ±inf and the exact 0 and ½
    included; expected values from scipy itself. Not bit for bit on every CPU: NumPy's exp takes a SIMD kernel where
    the CPU has AVX-512F and libm's elsewhere; measured 0 ulp apart on one machine kind, up to 2 ulp (4,291 of
    220,005 values) on an AVX-512 one."""
    from scipy.special import expit as scipy_expit

    from cxresearch.qual.learned import expit

    rng = np.random.default_rng(3)
    z = np.concatenate([rng.normal(0, 4, 200_000), rng.normal(0, 300, 20_000), [0.0, -750.0, 750.0, -np.inf, np.inf]])
    ours, theirs = expit(z), scipy_expit(z)
    np.testing.assert_array_max_ulp(ours, theirs, maxulp=4)
    assert np.array_equal(ours == 0, theirs == 0) and np.array_equal(ours == 1, theirs == 1)
    assert expit(-800.0) == 0.0 and expit(0.0) == 0.5 and expit(np.inf) == 1.0 and expit(-np.inf) == 0.0


def test_prediction_reads_the_same_columns_as_the_feature_strings(coders):
    """Prediction gathers a passage's columns from a record per token; they are exactly the columns of its
    feature strings (:func:`_feature_set`, the fit's features) in the language model, and of
    :func:`concept_features` of its lemmas in the bilingual model. Passages: every held-out passage (negation,
    compounds, stop words, punctuation, two sentences), each read twice so the second read comes from the
    records the first one left."""
    from cxresearch._synth_heldout import HELDOUT_SENTENCES
    from cxresearch.qual.learned import _feature_set, _lemma_set, _word_features, concept_features

    model = coders[1].learned
    con = model.concept
    passages = [(e[lang], lang) for entries in HELDOUT_SENTENCES.values() for e in entries for lang in ("fi", "en")]
    passages += [("Ei ole tarpeeksi henkilökuntaa. Asiakaspalvelussa jonotettiin tunti!", "fi"),
                 ("We couldn't reach anyone, and nobody called back; 3 days.", "en")]
    assert len(passages) > 400
    for _ in range(2):
        for text, lang in passages:
            m = model.models[lang]
            expected = {m["vocab"][f] for f in _feature_set(text, lang) if f in m["vocab"]}
            lemmas_ = _lemma_set(_word_features(text, lang)[0])
            expected_concept = {con["vocab"][f] for f in concept_features(lemmas_, lang, con["lexicon"], con["targets"])
                                if f in con["vocab"]}
            assert model._columns(m, lang, text) == (expected, expected_concept), text


def test_passages_scored_together_get_what_each_gets_alone(coders, monkeypatch):
    """predict_many (passages of both languages scored together, a chunk at a time) returns for each passage what
    predict returns for it alone, in the order given: cue codes, roles, a passage with no features at all
    ("!!!") and a language without a model included; chunks of 7 so that several chunks and a short last one
    are crossed. The expected values come from predict itself."""
    from cxresearch._synth_heldout import HELDOUT_SENTENCES

    model = coders[1].learned
    items = []
    for n, entries in enumerate(HELDOUT_SENTENCES.values()):
        for e in entries[:2]:
            for lang in ("fi", "en"):
                cues = {r["code"] for r in coders[0].code_text(e[lang], lang)[0]}
                allowed = None if n % 2 else (lambda c: c != "staffing")
                items.append((e[lang], lang, cues, allowed, None))
    items += [("!!!", "fi", set(), None, None), ("Bonjour tout le monde", "fr", {"empathy"}, None, None)]
    monkeypatch.setattr(type(model), "CHUNK", 7)
    alone = [model.predict(*item) for item in items]
    assert model.predict_many(items) == alone
    assert any(r["cued"] for rs in alone for r in rs) and any(not r["cued"] for rs in alone for r in rs)
    assert alone[-1] == [{"code": "empathy", "valence": None, "score": None, "cue": None, "cued": True}]
