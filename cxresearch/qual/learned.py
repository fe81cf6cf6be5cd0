"""Learned coding: a second reading of every passage, learned from coded example passages.

The cue coder (:mod:`cxresearch.qual.coding`) fires on the words its codebook
lists. Talk that names a code in other words (*there seemed to be just one
salesperson in the whole store* — staffing) slips through, and a cue word used
in another sense (*in the same line of business*) fires where it should not.
This module learns, per language, one L2-penalised logistic regression per code
(one code against all other passages, uncoded talk included) over the passage's
lemmas, lemma pairs, lemmas in a negation's scope, letter 4- and 5-grams of its
words (inflected and colloquial forms the lemmatiser misses, Finnish compound
parts) and, as features too, *which codes the cue coder found in it*. It is a
stacked model: it learns how far each cue is to be trusted in context.

* A code the cues found is kept when the model's probability reaches the
  *keep* threshold (low: the model only vetoes cue hits it finds implausible).
* A code no cue found is added when its probability reaches the *add* threshold;
  its ``cue`` column shows the present features that weigh most for it, written
  ``≈ feature, feature`` so that a researcher sees it was inferred, not matched.

A second small model per code learns its valence from that code's examples
(used for inferred codes; cue hits keep the cue coder's valence).

Training passages come from

* the codebook's own ``examples``;
* for the default codebook's code ids, the example banks shipped with the package
  (``cxresearch/qual/_training_bank.py`` and ``_training_bank2.py`` to ``_training_bank8.py``,
  and the phrase bank of ``synth``), each passage written to carry one code and valence;
* *uncoded* talk (questions, context, small talk, neutral mentions of each code's
  topic) as the negative class.

A *bilingual* model reads both languages in one space, so that a passage and
its translation are weighed on the same evidence. A lexicon of Finnish lemma →
English lemmas is learned from the parallel training passages by Dice
(:func:`bilingual_lexicon`); a Finnish passage's lemmas become their English
translations, an English passage's lemmas stay as they are, and one logistic
regression per code over these shared lemmas and the cue codes is fitted on both
languages together. Each language's probability is a weighted mean of its own
model's and the bilingual model's.

The bilingual weight and both thresholds per language are chosen by k-fold
cross-validation *on the training passages* (never on evaluation data; a passage
and its translation always in the same fold): the thresholds that maximise the
pooled F1 of the coding, and the weight that maximises the mean F1 of the two
languages.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from cxresearch.qual.text import FI_NEGATORS, EN_NEGATORS, lemmas, negated_positions, sentences, tokenize


def expit(z):
    """The logistic function ``1 / (1 + e^-z)``, elementwise.

    What ``scipy.special.expit`` returns for float64 to a few units in the last place (bit for bit where NumPy's
    exp is libm's; up to 2 ulp apart where it takes its AVX-512 kernel; tested), without importing
    ``scipy.special``: that import alone takes 0.25 s, a tenth of coding 10,000 segments in a fresh process."""
    with np.errstate(over="ignore"):  # e^-z overflows to inf for z < -709, and 1 / inf is the right 0
        return 1.0 / (1.0 + np.exp(-z))

NEGATORS = {"fi": FI_NEGATORS, "en": EN_NEGATORS}
#: Lemmas too common to carry a code by themselves (articles, pronouns, auxiliaries).
_STOP = {
    "en": frozenset("the a an and or to of in on at for with it its is be was were are been i me my we our us you "
                    "your he she they them their this that there here as by from so do did does have has had "
                    "just then than which who what when".split()),
    "fi": frozenset("ja tai se ne että kun niin kuin myös olla minä sinä hän me te he tämä tuo joka mikä "
                    "sitten jo vain nyt siellä täällä mä sä".split()),
}
#: Marks a learned code's evidence in the ``cue`` column.
LEARNED_MARK = "≈"


#: The valence model's log-odds from which its reading of a code's valence is taken over the cue coder's (|z| ≥ 1,
#: a probability outside 0.27–0.73). Cross-validated on the training banks, the valence of cue-found codes was right
#: 80 % of the time as the cue coder read it, 93 % as the valence model reads it where sure and the cue coder
#: elsewhere.
SURE_VALENCE = 1.0


@dataclass(frozen=True)
class Example:
    """One training passage: ``code`` None for uncoded talk."""

    text: str
    lang: str
    code: str | None
    valence: str | None = None
    role: str | None = None
    #: Passages that say the same thing in Finnish and in English share a ``pair`` id (None: no twin).
    pair: int | None = None


def features(text: str, lang: str) -> list[str]:
    """The sorted features of one passage (see :func:`_feature_set`)."""
    return sorted(_feature_set(text, lang))


def _feature_set(text: str, lang: str) -> set[str]:
    """The features of one passage: lemmas, ``¬lemma`` in a negation's scope, adjacent lemma pairs, in
    Finnish ``…tail`` for the last 4–8 letters of compounds of nine letters or more, and ``#`` letter 4- and
    5-grams of the words of four letters or more (``<`` and ``>`` mark the word's start and end)."""
    return _with_letter_grams(*_word_features(text, lang))


def _with_letter_grams(words: set[str], tokens: set[str]) -> set[str]:
    """:func:`_word_features`' features plus the letter n-grams of its tokens (a new set)."""
    return words.union(*map(_letter_grams, tokens))


def _row_sums(B: np.ndarray, idxs: list[np.ndarray]) -> np.ndarray:
    """Row ``r``: the sum of ``B``'s rows ``idxs[r]`` (zeros where ``idxs[r]`` is empty), for all ``r`` at once."""
    lens = np.fromiter(map(len, idxs), dtype=np.intp, count=len(idxs))
    out = np.zeros((len(idxs), B.shape[1]))
    some = lens > 0
    if some.any():
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        out[some] = np.add.reduceat(B[np.concatenate(idxs)], starts[some], axis=0)
    return out


def _word_features(text: str, lang: str) -> tuple[set[str], set[str]]:
    """The features of :func:`_feature_set` other than letter n-grams, and the passage's distinct tokens.

    Prediction gathers the same features' columns token by token instead (:meth:`LearnedCoder._columns`)."""
    out: set[str] = set()
    tokens: set[str] = set()
    stop = _STOP.get(lang, frozenset())
    for toks in map(tokenize, sentences(text)):
        lems = lemmas(toks, lang)
        neg = negated_positions(toks, lang)
        words = [(i, lem) for i, lem in enumerate(lems) if lem[:1].isalpha()]
        for i, lem in words:
            if toks[i] in NEGATORS[lang]:
                out.add("<neg>")
                continue
            if lem in stop:
                continue
            out.add(lem)
            if i in neg:
                out.add("¬" + lem)
            if lang == "fi" and len(lem) >= 9:
                for k in range(4, min(8, len(lem) - 4) + 1):
                    out.add("…" + lem[-k:])
        kept = [lem for i, lem in words if lem not in stop]
        out.update(f"{a} {b}" for a, b in zip(kept, kept[1:]))
        tokens.update(toks)
    return out, tokens


@lru_cache(maxsize=200_000)
def _letter_grams(tok: str) -> tuple[str, ...]:
    """``#`` letter 4- and 5-grams of a word of four letters or more, ``<`` and ``>`` marking its ends."""
    if len(tok) < 4 or not tok[:1].isalpha():
        return ()
    w = f"<{tok.lower()}>"
    return tuple("#" + w[i:i + n] for n in (4, 5) for i in range(len(w) - n + 1))


def _lemma_set(words) -> set[str]:
    """The plain lemmas among :func:`_word_features`' features (no pairs, negation marks or compound tails)."""
    return {f for f in words if f[:1].isalpha() and " " not in f}


def bilingual_lexicon(pairs, min_count: int = 3, min_dice: float = 0.2, top: int = 2) -> dict[str, list[str]]:
    """Finnish lemma → the English lemmas it translates to, learned from parallel passages.

    ``pairs``: ``(finnish lemma set, english lemma set)`` per parallel passage. A Finnish lemma *f* and an
    English lemma *e* are paired by their Dice coefficient over passages, ``2·n(f, e) / (n(f) + n(e))``
    (Smadja, McKeown & Hatzivassiloglou 1996), when each occurs in at least ``min_count`` passages, together in
    at least two, and Dice reaches ``min_dice``; each Finnish lemma keeps its ``top`` best partners."""
    nf: dict[str, int] = {}
    ne: dict[str, int] = {}
    nfe: dict[tuple[str, str], int] = {}
    for F, E in pairs:
        for f in F:
            nf[f] = nf.get(f, 0) + 1
        for e in E:
            ne[e] = ne.get(e, 0) + 1
        for f in F:
            for e in E:
                nfe[f, e] = nfe.get((f, e), 0) + 1
    best: dict[str, list[tuple[float, str]]] = {}
    for (f, e), n in nfe.items():
        if n >= 2 and nf[f] >= min_count and ne[e] >= min_count:
            dice = 2 * n / (nf[f] + ne[e])
            if dice >= min_dice:
                best.setdefault(f, []).append((dice, e))
    return {f: [e for _, e in sorted(v, key=lambda t: (-t[0], t[1]))[:top]] for f, v in sorted(best.items())}


def concept_features(lemmas_: set[str], lang: str, lexicon: dict[str, list[str]], targets: set[str]) -> set[str]:
    """A passage's lemmas in the shared bilingual space: Finnish lemmas by their English translations in
    ``lexicon``, English lemmas that are some translation's target (``targets``) as themselves."""
    if lang == "fi":
        return {"≡" + e for f in lemmas_ for e in lexicon.get(f, ())}
    if lang == "en":
        return {"≡" + e for e in lemmas_ if e in targets}
    return set()


def _with_cues(feats: list[str], cues) -> list[str]:
    """A passage's features plus ``cue:CODE`` for each code the cue coder found in it."""
    return feats + [f"cue:{c}" for c in sorted(cues)]


def _design(feats: list[list[str]], vocab: dict[str, int]):
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for r, fs in enumerate(feats):
        for f in fs:
            j = vocab.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(feats), len(vocab)))


def _fit_logistic(X, y: np.ndarray, l2: float, balanced: bool = True, tol: float | None = None) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression (intercept unpenalised) by L-BFGS; class-balanced sample weights."""
    from scipy.optimize import minimize

    n, p = X.shape
    w = np.ones(n)
    if balanced and 0 < y.sum() < n:
        w = np.where(y == 1, n / (2 * y.sum()), n / (2 * (n - y.sum())))

    def loss(theta):
        beta, b0 = theta[:p], theta[p]
        z = X @ beta + b0
        prob = expit(z)
        # log(1 + e^z) − y z, stable
        val = np.sum(w * (np.logaddexp(0, z) - y * z)) + 0.5 * l2 * beta @ beta
        r = w * (prob - y)
        grad = np.concatenate([X.T @ r + l2 * beta, [r.sum()]])
        return val, grad

    res = minimize(loss, np.zeros(p + 1), jac=True, method="L-BFGS-B", tol=tol, options={"maxiter": 500})
    return res.x[:p], float(res.x[p])


def _fit_logistic_many(X, Y: np.ndarray, l2: float, tol: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One L2-penalised, class-balanced logistic regression per column of ``Y`` (n × K), fitted jointly.

    The objective is the sum of the K separate ones, so its optimum is theirs; one run over all columns costs
    a sparse product per step instead of K of them."""
    from scipy.optimize import minimize

    n, p = X.shape
    K = Y.shape[1]
    pos = Y.sum(axis=0)
    W = np.where(Y == 1, n / (2 * np.maximum(pos, 1)), n / (2 * np.maximum(n - pos, 1)))
    W[:, (pos == 0) | (pos == n)] = 1.0
    XT = X.T.tocsr()

    def loss(theta):
        B = theta[:p * K].reshape(p, K)
        b0 = theta[p * K:]
        Z = X @ B + b0
        val = float(np.sum(W * (np.logaddexp(0, Z) - Y * Z)) + 0.5 * l2 * np.sum(B * B))
        R = W * (expit(Z) - Y)
        grad = np.concatenate([(XT @ R + l2 * B).ravel(), R.sum(axis=0)])
        return val, grad

    def hessp(theta, v):
        # the Hessian of each column's objective times v: X' diag(w·π(1−π)) X v + λ v (intercept unpenalised)
        B = theta[:p * K].reshape(p, K)
        prob = expit(X @ B + theta[p * K:])
        S = W * prob * (1 - prob)
        V = v[:p * K].reshape(p, K)
        U = S * (X @ V + v[p * K:])
        return np.concatenate([(XT @ U + l2 * V).ravel(), U.sum(axis=0)])

    # Newton-CG: a few Newton steps, each solved by conjugate gradients on Hessian-vector products — sparse
    # products only, where L-BFGS spent its time on vector algebra over all K·p coefficients
    res = minimize(loss, np.zeros(p * K + K), jac=True, hessp=hessp, method="Newton-CG",
                   tol=1e-6 if tol is None else tol, options={"maxiter": 200})
    return res.x[:p * K].reshape(p, K), res.x[p * K:]


def _best_thresholds(ex: list[Example], base: list[set], codes: list[str], probs: np.ndarray):
    """The (*keep*, *add*) pair on a 0.025 grid that maximises the pooled F1 of the coding of ``ex`` given
    cross-validated ``probs`` (passages × ``codes``) and the cue coder's codes ``base``; returns (F1, keep, add).
    Cue codes the model does not learn are kept as the cues say."""
    truth = np.array([[e.code == c for c in codes] for e in ex]).reshape(len(ex), len(codes))
    cued = np.array([[c in b for c in codes] for b in base]).reshape(len(ex), len(codes))
    learned = set(codes)
    fp_rest = sum(len(b - learned - {e.code}) for e, b in zip(ex, base))
    tp_rest = sum(int(e.code in b and e.code not in learned) for e, b in zip(ex, base))
    fn_rest = sum(1 for e, b in zip(ex, base) if e.code and e.code not in learned and e.code not in b)
    best = (-1.0, 0.5, 0.5)
    grid = np.round(np.arange(0.025, 0.96, 0.025), 3)
    for keep in grid:
        for add in grid:
            got = np.where(cued, probs >= keep, probs >= add)
            tp = int((got & truth).sum()) + tp_rest
            fp = int((got & ~truth).sum()) + fp_rest
            fn = int((~got & truth).sum()) + fn_rest
            f1 = 2 * tp / max(1, 2 * tp + fp + fn)
            if f1 > best[0] + 1e-9:
                best = (f1, float(keep), float(add))
    return best


class LearnedCoder:
    """Per-language code and valence models fitted on example passages (see the module docstring)."""

    def __init__(self, models: dict[str, dict], threshold: dict[str, dict[str, float]], concept: dict | None = None):
        self.models = models  # lang -> {"vocab", "codes", "B", "b0", "valence": {code: (beta, b0) | str}}
        self.threshold = threshold  # lang -> {"keep": p, "add": p}
        # the bilingual model: {"vocab", "codes", "B", "b0", "lexicon", "weight"}; a language's probability is
        # weight · its own model's + (1 − weight) · this one's
        self.concept = concept
        if concept is not None:
            concept["targets"] = {e for v in concept["lexicon"].values() for e in v}
            concept["_lemma_columns"] = {}
            concept["columns"] = {lang: np.array([concept["codes"].index(c) for c in m["codes"]], dtype=np.intp)
                                  for lang, m in models.items()}

    # ---- fitting -----------------------------------------------------------------------------------------
    @classmethod
    def fit(cls, examples: list[Example], l2: float = 1.0, cue_codes=None, folds: int = 5,
            min_examples: int = 6, weights=(1.0, 0.8, 0.7, 0.6, 0.5, 0.4)) -> "LearnedCoder":
        """Fit the models; choose the bilingual weight and the two thresholds per language by ``folds``-fold
        cross-validation (parallel passages in the same fold).

        ``cue_codes(text, lang, role) -> set`` gives the cue coder's codes of a passage: they are features of
        the model and the codes the *keep* threshold applies to (``None``: no cue coder, every code is *add*).
        Codes with fewer than ``min_examples`` passages in a language are not learned in it. ``weights``: the
        own-language model's weights tried against the bilingual model (used when there are parallel passages);
        the one with the highest mean cross-validated F1 over the languages wins, the larger on a tie.
        """
        rng = np.random.default_rng(0)
        group_of = [("pair", e.pair) if e.pair is not None else ("one", i) for i, e in enumerate(examples)]
        groups = {g: k for k, g in enumerate(dict.fromkeys(group_of))}  # numbered in order of first appearance
        fold_of_group = rng.permutation(len(groups)) % folds
        fold = np.array([fold_of_group[groups[g]] for g in group_of])
        base = [set(cue_codes(e.text, e.lang, e.role)) if cue_codes else set() for e in examples]
        words = [_word_features(e.text, e.lang) for e in examples]
        feats = [_with_cues(sorted(_with_letter_grams(w, toks)), b) for (w, toks), b in zip(words, base)]
        lems = [_lemma_set(w) for w, _ in words]
        langs = np.array([e.lang for e in examples])

        models, own_cv = {}, {}
        for lang in sorted({e.lang for e in examples}):
            rows = np.flatnonzero(langs == lang)
            counts: dict[str, int] = {}
            for i in rows:
                if examples[i].code:
                    counts[examples[i].code] = counts.get(examples[i].code, 0) + 1
            codes = sorted(c for c, k in counts.items() if k >= min_examples)
            if not codes:
                continue
            models[lang] = cls._fit_lang([examples[i] for i in rows], [feats[i] for i in rows], codes, l2)
            probs = np.zeros((len(rows), len(codes)))
            for k in range(folds):
                train, test = rows[fold[rows] != k], np.flatnonzero(fold[rows] == k)
                m = cls._fit_lang([examples[i] for i in train], [feats[i] for i in train], codes, l2, valence=False)
                probs[test] = expit(_design([feats[rows[i]] for i in test], m["vocab"]) @ m["B"] + m["b0"])
            own_cv[lang] = (rows, probs)

        concept, concept_cv = None, None
        paired = [e.pair for e in examples if e.pair is not None]
        if len(models) > 1 and len(paired) > len(set(paired)) and min(weights) < 1:
            codes_c = sorted({c for m in models.values() for c in m["codes"]})

            def fit_concept(rows):
                twins: dict[int, dict[str, set]] = {}
                for i in rows:
                    if examples[i].pair is not None:
                        twins.setdefault(examples[i].pair, {})[examples[i].lang] = lems[i]
                lexicon = bilingual_lexicon((t["fi"], t["en"]) for t in twins.values() if "fi" in t and "en" in t)
                targets = {e for v in lexicon.values() for e in v}
                cf = [_with_cues(sorted(concept_features(lems[i], examples[i].lang, lexicon, targets)), base[i])
                      for i in range(len(examples))]
                m = cls._fit_lang([examples[i] for i in rows], [cf[i] for i in rows], codes_c, l2, valence=False)
                m["lexicon"] = lexicon
                return m, cf

            concept, _ = fit_concept(np.arange(len(examples)))
            concept_cv = np.zeros((len(examples), len(codes_c)))
            for k in range(folds):
                m, cf = fit_concept(np.flatnonzero(fold != k))
                test = np.flatnonzero(fold == k)
                concept_cv[test] = expit(_design([cf[i] for i in test], m["vocab"]) @ m["B"] + m["b0"])

        best = None
        for weight in sorted(weights, reverse=True) if concept is not None else [1.0]:
            threshold, cv_f1 = {}, {}
            for lang, (rows, probs) in own_cv.items():
                codes = models[lang]["codes"]
                if weight < 1:
                    cols = [codes_c.index(c) for c in codes]
                    probs = weight * probs + (1 - weight) * concept_cv[np.ix_(rows, cols)]
                f1, keep, add = _best_thresholds([examples[i] for i in rows], [base[i] for i in rows], codes, probs)
                threshold[lang], cv_f1[lang] = {"keep": keep, "add": add}, f1
            score = float(np.mean(list(cv_f1.values())))
            if best is None or score > best[0] + 1e-9:
                best = (score, weight, threshold, cv_f1)
        _, weight, threshold, cv_f1 = best
        for lang, f1 in cv_f1.items():
            models[lang]["cv_f1"] = round(f1, 4)
        if concept is not None:
            if weight < 1:
                concept = {k: concept[k] for k in ("vocab", "codes", "B", "b0", "lexicon")} | {"weight": weight}
            else:
                concept = None
        return cls(models, threshold, concept)

    @staticmethod
    def _fit_lang(ex: list[Example], feats: list[list[str]], codes: list[str], l2: float, valence: bool = True):
        df: dict[str, int] = {}
        for fs in feats:
            for f in fs:
                df[f] = df.get(f, 0) + 1
        # compound tails and letter n-grams seen in one passage only carry nothing that generalises
        vocab = {f: j for j, f in enumerate(sorted(f for f, k in df.items() if k >= 2 or f[:1] not in "…"))}
        X = _design(feats, vocab)
        Y = np.array([[e.code == code for code in codes] for e in ex], dtype=float)
        B, b0 = _fit_logistic_many(X, Y, l2)
        out = {"vocab": vocab, "codes": codes, "B": B, "b0": b0, "valence": {}}
        if valence:
            for j, code in enumerate(codes):
                rows = [i for i, e in enumerate(ex) if e.code == code and e.valence in ("positive", "negative")]
                vals = {ex[i].valence for i in rows}
                if len(vals) == 1:
                    out["valence"][code] = vals.pop()
                elif rows:
                    y = np.array([ex[i].valence == "positive" for i in rows], dtype=float)
                    out["valence"][code] = _fit_logistic(X[rows], y, l2)
        return out

    # ---- prediction --------------------------------------------------------------------------------------
    def predict(self, text: str, lang: str, cues=frozenset(), allowed=None, analysed=None) -> list[dict]:
        """The model's codes of ``text`` given the codes its ``cues`` (the cue coder) found.

        Returns ``{code, valence, score, cue, cued}`` per code: a cue code with ``cued`` True when the model keeps
        it, and an inferred code (``cued`` False, ``cue`` marked ``≈``) when it adds one. Cue codes the model
        does not learn in this language are kept as they are (``score`` None). ``allowed(code) -> bool`` leaves
        out codes (e.g. those reserved for the other role). ``analysed``: see :meth:`_columns`."""
        return self.predict_many([(text, lang, cues, allowed, analysed)])[0]

    #: Passages scored together by :meth:`predict_many` (bounds the gathered weight rows: some 60 MB).
    CHUNK = 2000

    def predict_many(self, items) -> list[list[dict]]:
        """:meth:`predict` of many passages, ``[(text, lang, cues, allowed, analysed), …]``, in the same order.

        Passages of a language are scored together: one gather of the weight rows of all their features and one
        sum per passage (``np.add.reduceat``), instead of a dozen small array operations per passage, which cost
        more than the sums themselves."""
        out: list = [None] * len(items)
        by_lang: dict[str, list[int]] = {}
        for k, (_, lang, cues, _, _) in enumerate(items):
            if lang in self.models:
                by_lang.setdefault(lang, []).append(k)
            else:
                out[k] = [{"code": c, "valence": None, "score": None, "cue": None, "cued": True} for c in sorted(cues)]
        for lang, ks in by_lang.items():
            for a in range(0, len(ks), self.CHUNK):
                part = ks[a:a + self.CHUNK]
                for k, got in zip(part, self._predict_lang(lang, [items[k] for k in part])):
                    out[k] = got
        return out

    def _predict_lang(self, lang: str, items) -> list[list[dict]]:
        m = self.models[lang]
        vocab, codes, con = m["vocab"], m["codes"], self.concept
        code_index = m.setdefault("_code_index", {c: j for j, c in enumerate(codes)})
        get = vocab.get
        idxs, concept_rows = [], []
        cued = np.zeros((len(items), len(codes)), dtype=bool)
        for r, (text, _, cues, _, analysed) in enumerate(items):
            present, cidx = self._columns(m, lang, text, analysed)
            for c in cues:
                if (j := get(f"cue:{c}")) is not None:
                    present.add(j)
                if (j := code_index.get(c)) is not None:
                    cued[r, j] = True
                if con is not None and (j := con["vocab"].get(f"cue:{c}")) is not None:
                    cidx.add(j)
            idxs.append(np.sort(np.fromiter(present, dtype=np.intp, count=len(present))))
            if con is not None:
                concept_rows.append(np.sort(np.fromiter(cidx, dtype=np.intp, count=len(cidx))))
        p = expit(_row_sums(m["B"], idxs) + m["b0"])
        if con is not None:
            p_shared = expit(_row_sums(con["B"], concept_rows) + con["b0"])[:, con["columns"][lang]]
            p = con["weight"] * p + (1 - con["weight"]) * p_shared
        t = self.threshold[lang]
        passed = np.where(cued, p >= t["keep"], p >= t["add"])
        results = []
        for r, (_, _, cues, allowed, _) in enumerate(items):
            idx = idxs[r]
            res = [{"code": c, "valence": None, "score": None, "cue": None, "cued": True}
                   for c in sorted(set(cues) - set(codes))]
            for j in np.flatnonzero(passed[r]):
                code = codes[j]
                if allowed is not None and not allowed(code):
                    continue
                valence, sure = self._valence(m, code, idx)
                if cued[r, j]:
                    # the valence model where it is sure, else the cue coder's reading (None here)
                    res.append({"code": code, "valence": valence if sure else None,
                                "score": round(float(p[r, j]), 4), "cue": None, "cued": True})
                    continue
                res.append({"code": code, "valence": valence, "score": round(float(p[r, j]), 4),
                            "cue": f"{LEARNED_MARK} " + ", ".join(self._evidence(m, idx, j)), "cued": False})
            results.append(res)
        return results

    @staticmethod
    def _valence(m: dict, code: str, idx: np.ndarray) -> tuple[str, bool]:
        """The valence model's reading of a passage (columns ``idx``) for ``code``, and whether it is sure: its
        log-odds at least :data:`SURE_VALENCE` from 0 (a code learned with one valence only is always sure)."""
        v = m["valence"].get(code, "neutral")
        if isinstance(v, str):
            return v, v in ("positive", "negative")
        beta, c0 = v
        z = float(beta[idx].sum() + c0)
        return ("positive" if z >= 0 else "negative"), abs(z) >= SURE_VALENCE

    @staticmethod
    def _evidence(m: dict, idx: np.ndarray, j: int) -> list[str]:
        """The (up to three) features of a passage that weigh most for code ``j``: words, or letter n-grams only
        when no whole word weighs for it."""
        if "_names" not in m:
            m["_names"] = sorted(m["vocab"], key=m["vocab"].get)
        names = m["_names"]
        weight = m["B"][idx, j]
        positive = np.flatnonzero(weight > 0)
        top, grams_first = [], []
        for i in positive[np.argsort(-weight[positive], kind="stable")]:
            name = names[idx[i]]
            if name.startswith("cue:"):
                continue
            if name.startswith("#"):
                if len(grams_first) < 3:
                    grams_first.append(name)
                continue
            top.append(name)
            if len(top) == 3:
                break
        return top or grams_first

    def _columns(self, m: dict, lang: str, text: str, analysed=None) -> tuple[set[int], set[int]]:
        """The columns of ``text``'s features (:func:`_feature_set`, cues aside) in the language model ``m``, and
        in the bilingual model.

        The same sets as looking up every feature string of :func:`_feature_set`, built from a record per token
        instead (worked out once per model, see :meth:`_token_record`): only negation and word pairs depend on
        the neighbours. ``analysed``: ``[(tokens, lemmas, negated positions), …]`` per sentence."""
        if analysed is None:
            analysed = [(toks, lems, negated_positions(toks, lang))
                        for toks in map(tokenize, sentences(text)) for lems in (lemmas(toks, lang),)]
        records = m.setdefault("_tokens", {})
        get = m["vocab"].get
        present: set[int] = set()
        concept: set[int] = set()
        for toks, lems, negated in analysed:
            prev = None
            for i, tok in enumerate(toks):
                rec = records.get(tok)
                if rec is None:
                    rec = self._token_record(m, lang, tok, lems[i])
                    if len(records) < 500_000:
                        records[tok] = rec
                cols, not_col, concept_cols, kept = rec
                present.update(cols)
                if not_col is not None and i in negated:
                    present.add(not_col)
                if concept_cols:
                    concept.update(concept_cols)
                if kept is not None:  # a word pair: consecutive lemmas of the sentence, stop words left out
                    if prev is not None and (j := get(f"{prev} {kept}")) is not None:
                        present.add(j)
                    prev = kept
        return present, concept

    def _token_record(self, m: dict, lang: str, tok: str, lem: str):
        """What one token adds to a passage's columns wherever it stands (see :func:`_word_features`).

        ``(columns, column of ¬lemma or None, bilingual-model columns, lemma in word pairs or None)``: the columns
        of its letter n-grams, and for a word its lemma and compound tails, or ``<neg>`` for a negator."""
        get = m["vocab"].get
        feats = list(_letter_grams(tok))
        not_col, concept_cols, kept = None, (), None
        if lem[:1].isalpha():
            stop = _STOP.get(lang, frozenset())
            if lem not in stop:
                kept = lem
            if tok in NEGATORS[lang]:
                feats.append("<neg>")
            elif lem not in stop:
                feats.append(lem)
                not_col = get("¬" + lem)
                if lang == "fi" and len(lem) >= 9:
                    feats.extend("…" + lem[-k:] for k in range(4, min(8, len(lem) - 4) + 1))
                con = self.concept
                if con is not None:
                    by_lemma = con["_lemma_columns"].get(lang)
                    if by_lemma is None:  # lemma -> its columns in the bilingual model, once per model and language
                        by_lemma = con["_lemma_columns"][lang] = self._lemma_columns(lang)
                    concept_cols = by_lemma.get(lem, ())
        cols = tuple(dict.fromkeys(j for j in map(get, feats) if j is not None))
        return cols, not_col, concept_cols, kept

    def _lemma_columns(self, lang: str) -> dict[str, tuple[int, ...]]:
        """Each lemma of ``lang`` that the bilingual model reads: its columns (see :func:`concept_features`)."""
        con = self.concept
        lemmas_ = con["lexicon"] if lang == "fi" else con["targets"] if lang == "en" else ()
        out = {}
        for lem in lemmas_:
            cols = tuple(sorted({j for f in concept_features({lem}, lang, con["lexicon"], con["targets"])
                                 if (j := con["vocab"].get(f)) is not None}))
            if cols:
                out[lem] = cols
        return out

    # ---- persistence -------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the fitted models to ``path`` (a ``.npz``), atomically."""
        arrays, meta = {}, {"threshold": self.threshold, "langs": {}}
        for lang, m in self.models.items():
            arrays[f"{lang}_B"], arrays[f"{lang}_b0"] = m["B"], m["b0"]
            val_meta = {}
            for code, v in m["valence"].items():
                if isinstance(v, str):
                    val_meta[code] = v
                else:
                    arrays[f"{lang}_val_{code}"] = np.concatenate([v[0], [v[1]]])
                    val_meta[code] = None
            meta["langs"][lang] = {"vocab": sorted(m["vocab"], key=m["vocab"].get), "codes": m["codes"],
                                   "valence": val_meta, "cv_f1": m.get("cv_f1")}
        if self.concept is not None:
            c = self.concept
            arrays["concept_B"], arrays["concept_b0"] = c["B"], c["b0"]
            meta["concept"] = {"vocab": sorted(c["vocab"], key=c["vocab"].get), "codes": c["codes"],
                               "lexicon": c["lexicon"], "weight": c["weight"]}
        arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        from cxresearch.cache import replacing

        with replacing(path) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> "LearnedCoder":
        with np.load(path) as z:
            meta = json.loads(bytes(z["meta"]).decode("utf-8"))
            models = {}
            for lang, lm in meta["langs"].items():
                valence = {}
                for code, v in lm["valence"].items():
                    if v is None:
                        arr = z[f"{lang}_val_{code}"]
                        valence[code] = (arr[:-1], float(arr[-1]))
                    else:
                        valence[code] = v
                models[lang] = {"vocab": {f: j for j, f in enumerate(lm["vocab"])}, "codes": lm["codes"],
                                "B": z[f"{lang}_B"], "b0": z[f"{lang}_b0"], "valence": valence, "cv_f1": lm["cv_f1"]}
            concept = None
            if "concept" in meta:
                c = meta["concept"]
                concept = {"vocab": {f: j for j, f in enumerate(c["vocab"])}, "codes": c["codes"],
                           "B": z["concept_B"], "b0": z["concept_b0"], "lexicon": c["lexicon"],
                           "weight": c["weight"]}
        return cls(models, meta["threshold"], concept)


# ---- the training passages of a codebook ------------------------------------------------------------------
def training_examples(codebook) -> list[Example]:
    """The passages a codebook's learned model is fitted on (see the module docstring), in a fixed order."""
    from cxresearch import _synth_text as T
    from cxresearch.qual import (_training_bank, _training_bank2, _training_bank3, _training_bank4, _training_bank5,
                                 _training_bank6, _training_bank7, _training_bank8)

    ids = set(codebook.codes)
    out: list[Example] = []
    for code_id, code in codebook.codes.items():
        for lang, texts in (code.examples or {}).items():
            for t in texts:
                out.append(Example(t, lang, code_id, code.valence if code.valence in ("positive", "negative") else None))
    banks = [_training_bank.TRAIN_SENTENCES, _training_bank2.TRAIN_SENTENCES_2, _training_bank2.FORMER_HELDOUT,
             _training_bank3.TRAIN_SENTENCES_3, _training_bank4.TRAIN_SENTENCES_4,
             _training_bank5.TRAIN_SENTENCES_5, _training_bank6.TRAIN_SENTENCES_6,
             _training_bank7.TRAIN_SENTENCES_7, _training_bank8.TRAIN_SENTENCES_8]
    pair = 0
    for (code, valence), entries in ((k, v) for bank in banks for k, v in bank.items()):
        if code in ids:
            for e in entries:
                for lang in ("fi", "en"):
                    out.append(Example(e[lang], lang, code, valence, e["role"], pair))
                pair += 1
    for (code, valence), by_lang in T.CODE_SENTENCES.items():
        if code in ids:
            for lang, texts in by_lang.items():
                out.extend(Example(t, lang, code, valence) for t in texts)
    uncoded_pairs = [*_training_bank2.UNCODED_2, *_training_bank3.UNCODED_3, *_training_bank4.UNCODED_4,
                     *_training_bank5.UNCODED_5, *_training_bank6.UNCODED_6, *_training_bank7.UNCODED_7,
                     *_training_bank8.UNCODED_8]
    for u in uncoded_pairs:
        out.extend(Example(u[lang], lang, None, pair=pair) for lang in ("fi", "en"))
        pair += 1
    for lang in ("fi", "en"):
        uncoded = [*T.SMALL_TALK[lang], *T.COMMENT_TONE["neutral"][lang], *_training_bank.UNCODED[lang]]
        for bank in (T.MOMENT_CONTEXT, T.EMPLOYEE_CONTEXT):
            for by_lang in bank.values():
                uncoded.extend(by_lang[lang])
        for role in ("customer", "employee"):
            uncoded.extend(T.QUESTIONS[role][lang])
        paired = {u[lang] for u in uncoded_pairs}
        out.extend(Example(t, lang, None) for t in dict.fromkeys(uncoded) if t not in paired)
    return out


def learned_coder_for(codebook, cue_codes=None) -> LearnedCoder | None:
    """The learned model of ``codebook``, fitted once and cached on disk by a hash of what it is fitted from.

    The hash covers this package's version, the source of the coder and of every training bank, and the
    codebook (its own examples and cues included), so reading the banks' bytes stands in for building every
    training passage (0.2 s) on the common path where the model is already cached."""
    from cxresearch import __version__
    from cxresearch import _synth_text

    here = Path(__file__).parent
    files = [here / f for f in ("learned.py", "coding.py", "text.py")] + sorted(here.glob("_training_bank*.py"))
    files.append(Path(_synth_text.__file__))
    sources = [hashlib.sha256(f.read_bytes()).hexdigest() for f in files]
    digest = hashlib.sha256(json.dumps(
        [__version__, sources, repr(sorted(codebook.codes.items())), repr(codebook.cues)],
        ensure_ascii=False).encode()).hexdigest()[:16]
    hit = _MEMO.get(digest)
    if hit is not None:
        return hit
    from cxresearch.cache import cache_dir

    path = cache_dir() / f"learned-{digest}.npz"
    model = None
    if path.exists():
        try:
            model = LearnedCoder.load(path)
            os.utime(path)  # recently used: kept when old models are pruned
        except Exception:  # a damaged cache file is rebuilt
            model = None
    if model is None:
        examples = training_examples(codebook)
        if not any(e.code for e in examples):
            return None
        model = LearnedCoder.fit(examples, cue_codes=cue_codes)
        try:
            model.save(path)
            _prune_models(path.parent, keep=KEEP_MODELS)
        except OSError:
            pass  # a read-only cache folder only costs the refit next time
    _MEMO[digest] = model
    return model


_MEMO: dict[str, LearnedCoder] = {}

#: Fitted models kept in the cache folder (the most recently used); each is some 40 MB, and every change to a
#: codebook or a training bank fits a new one.
KEEP_MODELS = 4


def _prune_models(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` most recently used fitted models in ``folder``; returns what was deleted."""
    models = sorted(folder.glob("learned-*.npz"), key=lambda f: f.stat().st_mtime, reverse=True)
    gone = []
    for old in models[keep:]:
        try:
            old.unlink()
            gone.append(old)
        except OSError:
            pass
    return gone
