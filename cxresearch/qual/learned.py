"""Learned coding: finds the codes the cue lists miss, from coded example passages.

The cue coder (:mod:`cxresearch.qual.coding`) fires on the words its codebook
lists; talk that names a code in other words (*there seemed to be just one
salesperson in the whole store* — staffing) slips through. This module learns,
per language, one L2-penalised logistic regression per code (one code against
all other passages, uncoded talk included) over the passage's lemmas, lemma
pairs, lemmas in a negation's scope and, in Finnish, the tails of compounds.
A second small model per code learns its valence from that code's examples.

Training passages come from

* the codebook's own ``examples``;
* for the default codebook's code ids, the example bank shipped with the package
  (``cxresearch/qual/_training_bank.py`` and the phrase bank of ``synth``), each
  passage written to carry one code and valence;
* *uncoded* talk (questions, context, small talk) as the negative class.

The decision threshold is chosen by k-fold cross-validation *on the training
passages* (never on evaluation data): the value that maximises the pooled F1 of
the cue coder and this model together. A learned code is reported with its
probability as ``score`` and with the present features that weigh most for it
as ``cue``, written ``≈ feature, feature`` so that a researcher sees it was
inferred, not matched.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
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
    """The sorted features of one passage: lemmas, ``¬lemma`` in a negation's scope, adjacent lemma pairs, and in
    Finnish ``…tail`` for the last 4–8 letters of compounds of nine letters or more."""
    out: set[str] = set()
    stop = _STOP.get(lang, frozenset())
    for sentence in sentences(text):
        toks = tokenize(sentence)
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
    return sorted(out)


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


def _fit_logistic(X, y: np.ndarray, l2: float, balanced: bool = True) -> tuple[np.ndarray, float]:
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

    res = minimize(loss, np.zeros(p + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return res.x[:p], float(res.x[p])


class LearnedCoder:
    """Per-language code and valence models fitted on example passages (see the module docstring)."""

    def __init__(self, models: dict[str, dict], threshold: dict[str, float]):
        self.models = models  # lang -> {"vocab", "codes", "B", "b0", "valence": {code: (beta, b0) | str}}
        self.threshold = threshold

    # ---- fitting -----------------------------------------------------------------------------------------
    @classmethod
    def fit(cls, examples: list[Example], l2: float = 1.0, cue_codes=None, folds: int = 5,
            min_examples: int = 6) -> "LearnedCoder":
        """Fit the models and choose the threshold per language by ``folds``-fold cross-validation.

        ``cue_codes(text, lang, role) -> set`` gives the cue coder's codes of a passage, so that the threshold is
        the one that maximises the F1 of both coders together (``None``: of this model alone).
        Codes with fewer than ``min_examples`` passages in a language are not learned in it.
        """
        models, threshold = {}, {}
        for lang in sorted({e.lang for e in examples}):
            ex = [e for e in examples if e.lang == lang]
            feats = [features(e.text, lang) for e in ex]
            counts: dict[str, int] = {}
            for e in ex:
                if e.code:
                    counts[e.code] = counts.get(e.code, 0) + 1
            codes = sorted(c for c, k in counts.items() if k >= min_examples)
            if not codes:
                continue
            models[lang] = cls._fit_lang(ex, feats, codes, l2)
            # cross-validated probabilities for the threshold
            rng = np.random.default_rng(0)
            fold_of = rng.permutation(len(ex)) % folds
            probs = np.zeros((len(ex), len(codes)))
            for k in range(folds):
                train = [i for i in range(len(ex)) if fold_of[i] != k]
                test = [i for i in range(len(ex)) if fold_of[i] == k]
                m = cls._fit_lang([ex[i] for i in train], [feats[i] for i in train], codes, l2, valence=False)
                X = _design([feats[i] for i in test], m["vocab"])
                probs[test] = expit(X @ m["B"] + m["b0"])
            truth = [{e.code} if e.code else set() for e in ex]
            base = [cue_codes(e.text, lang, e.role) if cue_codes else set() for e in ex]
            best = (-1.0, 0.5)
            for t in np.arange(0.30, 0.96, 0.025):
                tp = fp = fn = 0
                for i in range(len(ex)):
                    got = set(base[i]) | {codes[j] for j in np.flatnonzero(probs[i] >= t)}
                    tp += len(got & truth[i])
                    fp += len(got - truth[i])
                    fn += len(truth[i] - got)
                f1 = 2 * tp / max(1, 2 * tp + fp + fn)
                if f1 > best[0] + 1e-9:
                    best = (f1, float(round(t, 3)))
            threshold[lang] = best[1]
            models[lang]["cv_f1"] = round(best[0], 4)
        return cls(models, threshold)

    @staticmethod
    def _fit_lang(ex: list[Example], feats: list[list[str]], codes: list[str], l2: float, valence: bool = True):
        df: dict[str, int] = {}
        for fs in feats:
            for f in fs:
                df[f] = df.get(f, 0) + 1
        vocab = {f: j for j, f in enumerate(sorted(f for f, k in df.items() if k >= 2 or not f.startswith("…")))}
        X = _design(feats, vocab)
        B = np.zeros((len(vocab), len(codes)))
        b0 = np.zeros(len(codes))
        for j, code in enumerate(codes):
            y = np.array([e.code == code for e in ex], dtype=float)
            B[:, j], b0[j] = _fit_logistic(X, y, l2)
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
    def predict(self, text: str, lang: str, exclude: set[str] | frozenset = frozenset(),
                allowed=None) -> list[dict]:
        """Codes the model finds in ``text`` beyond ``exclude``: ``{code, valence, score, cue}`` each.

        ``allowed(code) -> bool`` leaves out codes (e.g. those reserved for the other role)."""
        m = self.models.get(lang)
        if m is None:
            return []
        fs = [f for f in features(text, lang) if f in m["vocab"]]
        if not fs:
            return []
        idx = np.array([m["vocab"][f] for f in fs])
        z = m["B"][idx].sum(axis=0) + m["b0"]
        p = expit(z)
        out = []
        for j in np.flatnonzero(p >= self.threshold[lang]):
            code = m["codes"][j]
            if code in exclude or (allowed is not None and not allowed(code)):
                continue
            v = m["valence"].get(code, "neutral")
            if not isinstance(v, str):
                beta, c0 = v
                v = "positive" if beta[idx].sum() + c0 >= 0 else "negative"
            weight = m["B"][idx, j]
            top = [fs[i] for i in np.argsort(-weight)[:3] if weight[i] > 0]
            out.append({"code": code, "valence": v, "score": round(float(p[j]), 4),
                        "cue": f"{LEARNED_MARK} " + ", ".join(top)})
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
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        os.replace(tmp, path)

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
    from cxresearch.qual import _training_bank

    ids = set(codebook.codes)
    out: list[Example] = []
    for code_id, code in codebook.codes.items():
        for lang, texts in (code.examples or {}).items():
            for t in texts:
                out.append(Example(t, lang, code_id, code.valence if code.valence in ("positive", "negative") else None))
    for (code, valence), entries in _training_bank.TRAIN_SENTENCES.items():
        if code in ids:
            for e in entries:
                for lang in ("fi", "en"):
                    out.append(Example(e[lang], lang, code, valence, e["role"]))
    for (code, valence), by_lang in T.CODE_SENTENCES.items():
        if code in ids:
            for lang, texts in by_lang.items():
                out.extend(Example(t, lang, code, valence) for t in texts)
    for lang in ("fi", "en"):
        uncoded = [*T.SMALL_TALK[lang], *T.COMMENT_TONE["neutral"][lang], *_training_bank.UNCODED[lang]]
        for bank in (T.MOMENT_CONTEXT, T.EMPLOYEE_CONTEXT):
            for by_lang in bank.values():
                uncoded.extend(by_lang[lang])
        for role in ("customer", "employee"):
            uncoded.extend(T.QUESTIONS[role][lang])
        out.extend(Example(t, lang, None) for t in dict.fromkeys(uncoded))
    return out


def _cache_dir() -> Path:
    base = os.environ.get("CXRESEARCH_LEMMA_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cxresearch"


def learned_coder_for(codebook, cue_codes=None) -> LearnedCoder | None:
    """The learned model of ``codebook``, fitted once and cached on disk by a hash of its training passages."""
    examples = training_examples(codebook)
    if not any(e.code for e in examples):
        return None
    from cxresearch import __version__

    here = Path(__file__).parent
    sources = [hashlib.sha256((here / f).read_bytes()).hexdigest() for f in ("learned.py", "coding.py", "text.py")]
    digest = hashlib.sha256(json.dumps(
        [__version__, sources, [(e.text, e.lang, e.code, e.valence, e.role) for e in examples],
         repr(sorted(codebook.codes.items())), repr(codebook.cues)], ensure_ascii=False).encode()).hexdigest()[:16]
    hit = _MEMO.get(digest)
    if hit is not None:
        return hit
    path = _cache_dir() / f"learned-{digest}.npz"
    model = None
    if path.exists():
        try:
            model = LearnedCoder.load(path)
        except Exception:  # a damaged cache file is rebuilt
            model = None
    if model is None:
        model = LearnedCoder.fit(examples, cue_codes=cue_codes)
        try:
            model.save(path)
        except OSError:
            pass  # a read-only cache folder only costs the refit next time
    _MEMO[digest] = model
    return model


_MEMO: dict[str, LearnedCoder] = {}
