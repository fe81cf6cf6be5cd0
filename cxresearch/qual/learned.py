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
  (``cxresearch/qual/_training_bank.py`` and ``_training_bank2.py`` to ``_training_bank7.py``,
  and the phrase bank of ``synth``), each passage written to carry one code and valence;
* *uncoded* talk (questions, context, small talk, neutral mentions of each code's
  topic) as the negative class.

Both thresholds are chosen per language by k-fold cross-validation *on the
training passages* (never on evaluation data): the pair that maximises the
pooled F1 of the coding.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.special import expit

from cxresearch.qual.text import FI_NEGATORS, EN_NEGATORS, lemmas, negated_positions, sentences, tokenize

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


@dataclass(frozen=True)
class Example:
    """One training passage: ``code`` None for uncoded talk."""

    text: str
    lang: str
    code: str | None
    valence: str | None = None
    role: str | None = None


def features(text: str, lang: str) -> list[str]:
    """The sorted features of one passage (see :func:`_feature_set`)."""
    return sorted(_feature_set(text, lang))


def _feature_set(text: str, lang: str) -> set[str]:
    """The features of one passage: lemmas, ``¬lemma`` in a negation's scope, adjacent lemma pairs, in
    Finnish ``…tail`` for the last 4–8 letters of compounds of nine letters or more, and ``#`` letter 4- and
    5-grams of the words of four letters or more (``<`` and ``>`` mark the word's start and end)."""
    out, tokens = _word_features(text, lang)
    for tok in tokens:
        out.update(_letter_grams(tok))
    return out


def _word_features(text: str, lang: str, analysed=None) -> tuple[set[str], set[str]]:
    """The features of :func:`_feature_set` other than letter n-grams, and the passage's distinct tokens.

    ``analysed``: the passage's sentences already tokenised and lemmatised, ``[(tokens, lemmas), …]`` (the cue
    coder has done that work)."""
    out: set[str] = set()
    tokens: set[str] = set()
    stop = _STOP.get(lang, frozenset())
    if analysed is None:
        analysed = [(toks, lemmas(toks, lang)) for toks in map(tokenize, sentences(text))]
    for toks, lems in analysed:
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


class LearnedCoder:
    """Per-language code and valence models fitted on example passages (see the module docstring)."""

    def __init__(self, models: dict[str, dict], threshold: dict[str, dict[str, float]]):
        self.models = models  # lang -> {"vocab", "codes", "B", "b0", "valence": {code: (beta, b0) | str}}
        self.threshold = threshold  # lang -> {"keep": p, "add": p}

    # ---- fitting -----------------------------------------------------------------------------------------
    @classmethod
    def fit(cls, examples: list[Example], l2: float = 1.0, cue_codes=None, folds: int = 5,
            min_examples: int = 6) -> "LearnedCoder":
        """Fit the models and choose the two thresholds per language by ``folds``-fold cross-validation.

        ``cue_codes(text, lang, role) -> set`` gives the cue coder's codes of a passage: they are features of
        the model and the codes the *keep* threshold applies to (``None``: no cue coder, every code is *add*).
        Codes with fewer than ``min_examples`` passages in a language are not learned in it.
        """
        models, threshold = {}, {}
        for lang in sorted({e.lang for e in examples}):
            ex = [e for e in examples if e.lang == lang]
            base = [set(cue_codes(e.text, lang, e.role)) if cue_codes else set() for e in ex]
            feats = [_with_cues(features(e.text, lang), b) for e, b in zip(ex, base)]
            counts: dict[str, int] = {}
            for e in ex:
                if e.code:
                    counts[e.code] = counts.get(e.code, 0) + 1
            codes = sorted(c for c, k in counts.items() if k >= min_examples)
            if not codes:
                continue
            models[lang] = cls._fit_lang(ex, feats, codes, l2)
            # cross-validated probabilities for the thresholds
            rng = np.random.default_rng(0)
            fold_of = rng.permutation(len(ex)) % folds
            probs = np.zeros((len(ex), len(codes)))
            for k in range(folds):
                train = [i for i in range(len(ex)) if fold_of[i] != k]
                test = [i for i in range(len(ex)) if fold_of[i] == k]
                m = cls._fit_lang([ex[i] for i in train], [feats[i] for i in train], codes, l2, valence=False)
                X = _design([feats[i] for i in test], m["vocab"])
                probs[test] = expit(X @ m["B"] + m["b0"])
            truth = np.array([[e.code == c for c in codes] for e in ex])
            cued = np.array([[c in b for c in codes] for b in base])
            # cue codes the model does not learn are kept as the cues say
            rest = [(len(b - set(codes) - {e.code}), int(e.code in b and e.code not in codes)) for e, b in zip(ex, base)]
            fp_rest = sum(r[0] for r in rest)
            tp_rest = sum(r[1] for r in rest)
            fn_rest = sum(1 for e, b in zip(ex, base) if e.code and e.code not in codes and e.code not in b)
            best = (-1.0, (0.5, 0.5))
            grid = np.round(np.arange(0.025, 0.96, 0.025), 3)
            for keep in grid:
                for add in grid:
                    got = np.where(cued, probs >= keep, probs >= add)
                    tp = int((got & truth).sum()) + tp_rest
                    fp = int((got & ~truth).sum()) + fp_rest
                    fn = int((~got & truth).sum()) + fn_rest
                    f1 = 2 * tp / max(1, 2 * tp + fp + fn)
                    if f1 > best[0] + 1e-9:
                        best = (f1, (float(keep), float(add)))
            threshold[lang] = {"keep": best[1][0], "add": best[1][1]}
            models[lang]["cv_f1"] = round(best[0], 4)
        return cls(models, threshold)

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
        out codes (e.g. those reserved for the other role)."""
        m = self.models.get(lang)
        cues = set(cues)
        if m is None:
            return [{"code": c, "valence": None, "score": None, "cue": None, "cued": True} for c in sorted(cues)]
        vocab, codes = m["vocab"], m["codes"]
        words, tokens = _word_features(text, lang, analysed)
        words.update(f"cue:{c}" for c in cues)
        grams = m.setdefault("_grams", {})  # token -> its letter n-grams' columns, worked out once per model
        parts = [np.fromiter((j for f in words if (j := vocab.get(f)) is not None), dtype=np.intp)]
        for tok in tokens:
            cols = grams.get(tok)
            if cols is None:
                cols = grams[tok] = np.fromiter((j for f in _letter_grams(tok) if (j := vocab.get(f)) is not None),
                                                dtype=np.intp)
            parts.append(cols)
        idx = np.unique(np.concatenate(parts))  # each feature once: the model is on presence, not counts
        p = expit(m["B"][idx].sum(axis=0) + m["b0"])
        t = self.threshold[lang]
        cued = np.fromiter((c in cues for c in codes), dtype=bool, count=len(codes))
        passed = np.where(cued, p >= t["keep"], p >= t["add"])
        out = [{"code": c, "valence": None, "score": None, "cue": None, "cued": True}
               for c in sorted(cues - set(codes))]
        for j in np.flatnonzero(passed):
            code = codes[j]
            if allowed is not None and not allowed(code):
                continue
            if cued[j]:
                out.append({"code": code, "valence": None, "score": round(float(p[j]), 4), "cue": None,
                            "cued": True})
                continue
            v = m["valence"].get(code, "neutral")
            if not isinstance(v, str):
                beta, c0 = v
                v = "positive" if beta[idx].sum() + c0 >= 0 else "negative"
            # the words that weigh most for it (letter n-grams only when no whole word does)
            if "_names" not in m:
                m["_names"] = sorted(vocab, key=vocab.get)
            names = [m["_names"][k] for k in idx]
            weight = m["B"][idx, j]
            ranked = [names[i] for i in np.argsort(-weight, kind="stable")
                      if weight[i] > 0 and not names[i].startswith("cue:")]
            words = [f for f in ranked if not f.startswith("#")]
            top = (words or ranked)[:3]
            out.append({"code": code, "valence": v, "score": round(float(p[j]), 4),
                        "cue": f"{LEARNED_MARK} " + ", ".join(top), "cued": False})
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
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
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
        return cls(models, meta["threshold"])


# ---- the training passages of a codebook ------------------------------------------------------------------
def training_examples(codebook) -> list[Example]:
    """The passages a codebook's learned model is fitted on (see the module docstring), in a fixed order."""
    from cxresearch import _synth_text as T
    from cxresearch.qual import _training_bank, _training_bank2, _training_bank3, _training_bank4, _training_bank5, _training_bank6, _training_bank7

    ids = set(codebook.codes)
    out: list[Example] = []
    for code_id, code in codebook.codes.items():
        for lang, texts in (code.examples or {}).items():
            for t in texts:
                out.append(Example(t, lang, code_id, code.valence if code.valence in ("positive", "negative") else None))
    banks = [_training_bank.TRAIN_SENTENCES, _training_bank2.TRAIN_SENTENCES_2, _training_bank2.FORMER_HELDOUT,
             _training_bank3.TRAIN_SENTENCES_3, _training_bank4.TRAIN_SENTENCES_4,
             _training_bank5.TRAIN_SENTENCES_5, _training_bank6.TRAIN_SENTENCES_6,
             _training_bank7.TRAIN_SENTENCES_7]
    for (code, valence), entries in ((k, v) for bank in banks for k, v in bank.items()):
        if code in ids:
            for e in entries:
                for lang in ("fi", "en"):
                    out.append(Example(e[lang], lang, code, valence, e["role"]))
    for (code, valence), by_lang in T.CODE_SENTENCES.items():
        if code in ids:
            for lang, texts in by_lang.items():
                out.extend(Example(t, lang, code, valence) for t in texts)
    for lang in ("fi", "en"):
        uncoded = [*T.SMALL_TALK[lang], *T.COMMENT_TONE["neutral"][lang], *_training_bank.UNCODED[lang],
                   *(u[lang] for u in _training_bank2.UNCODED_2), *(u[lang] for u in _training_bank3.UNCODED_3),
                   *(u[lang] for u in _training_bank4.UNCODED_4),
                   *(u[lang] for u in _training_bank5.UNCODED_5),
                   *(u[lang] for u in _training_bank6.UNCODED_6),
                   *(u[lang] for u in _training_bank7.UNCODED_7)]
        for bank in (T.MOMENT_CONTEXT, T.EMPLOYEE_CONTEXT):
            for by_lang in bank.values():
                uncoded.extend(by_lang[lang])
        for role in ("customer", "employee"):
            uncoded.extend(T.QUESTIONS[role][lang])
        out.extend(Example(t, lang, None) for t in dict.fromkeys(uncoded))
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
