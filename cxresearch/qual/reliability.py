"""Reliability of coding: Krippendorff's alpha (any number of coders, missing values, four levels) and Cohen's kappa.

Krippendorff's alpha follows Krippendorff (2011), *Computing Krippendorff's
Alpha-Reliability*: values are paired within each unit into a coincidence
matrix ``o`` (a unit with ``m_u`` values adds ``1/(m_u − 1)`` per ordered pair),
``n_c`` are its margins, and

    α = 1 − (n − 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck

with the difference function δ² of the level: nominal (0/1), ordinal (the
squared count of values between two ranks, from the margins), interval
(squared difference) and ratio (squared difference over sum). Units with fewer
than two values are not pairable and drop out.

Intervals come from a percentile bootstrap that resamples **units** (coded
segments) with replacement — the sampling unit of a coding study is the
segment, so this interval says how much α would move with another sample of
segments. (Krippendorff's own bootstrap resamples pairable values under the
observed coincidences; the two agree closely when units carry similar numbers
of values.)

Per-code agreement on segments: for each code, every coder either applied the
code to a segment or did not. The segments are all respondent turns of the
interviews that *every* compared coder coded — a turn neither applied the code
to is agreement that it is absent, but turns of interviews someone did not code
are left out (absence there is not a decision). Alpha and kappa are reported per
code, because a pooled figure over many rare codes is dominated by easy
"absent" agreements and flatters the coders.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVELS = ("nominal", "ordinal", "interval", "ratio")


def reliability_matrix(long: pd.DataFrame, unit: str = "unit", coder: str = "coder", value: str = "value") -> pd.DataFrame:
    """Pivot a long table ``unit, coder, value`` into coders × units (missing where a coder did not code a unit).

    Raises ``ValueError`` when a coder has two values for one unit.
    """
    missing = [c for c in (unit, coder, value) if c not in long.columns]
    if missing:
        raise ValueError(f"reliability table: column(s) {', '.join(missing)} missing — expected {unit}, {coder}, {value}")
    dup = long.duplicated([unit, coder], keep=False)
    if dup.any():
        first = long[dup].iloc[0]
        raise ValueError(f"reliability table: coder {first[coder]!r} has more than one value for unit "
                         f"{first[unit]!r} — expected one value per unit and coder")
    return long.pivot(index=coder, columns=unit, values=value)


def _values_by_unit(data) -> tuple[np.ndarray, np.ndarray]:
    """(categories, units × categories counts) from a coders × units array-like with missing values."""
    frame = pd.DataFrame(data)
    values = frame.to_numpy(dtype=object)
    mask = pd.notna(frame).to_numpy()
    present = values[mask]
    if present.size == 0:
        return np.array([]), np.zeros((frame.shape[1], 0))
    try:
        categories = np.unique(present.astype(float))
        coded = np.full(values.shape, -1)
        coded[mask] = np.searchsorted(categories, values[mask].astype(float))
    except (TypeError, ValueError):
        categories = np.unique(present.astype(str))
        coded = np.full(values.shape, -1)
        coded[mask] = np.searchsorted(categories, values[mask].astype(str))
    k = len(categories)
    counts = np.zeros((values.shape[1], k))
    for c in range(k):
        counts[:, c] = (coded == c).sum(axis=0)
    return categories, counts


def _delta2(categories: np.ndarray, n_c: np.ndarray, level: str) -> np.ndarray:
    if level == "nominal":
        return 1.0 - np.eye(len(categories))
    v = categories.astype(float)
    if level == "interval":
        return (v[:, None] - v[None, :]) ** 2
    if level == "ratio":
        s = v[:, None] + v[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(s == 0, 0.0, ((v[:, None] - v[None, :]) / np.where(s == 0, 1, s)) ** 2)
        return d
    if level == "ordinal":
        cum = np.concatenate([[0.0], np.cumsum(n_c)])
        i, j = np.meshgrid(np.arange(len(v)), np.arange(len(v)), indexing="ij")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        between = cum[hi + 1] - cum[lo]  # n_lo + … + n_hi
        return (between - (n_c[lo] + n_c[hi]) / 2.0) ** 2
    raise ValueError(f"level '{level}' — expected one of {', '.join(LEVELS)}")


def _alpha_from_counts(counts: np.ndarray, categories: np.ndarray, level: str) -> float:
    m = counts.sum(axis=1)
    counts = counts[m >= 2]
    m = m[m >= 2]
    if counts.shape[0] == 0:
        return float("nan")
    w = 1.0 / (m - 1.0)
    o = (counts * w[:, None]).T @ counts - np.diag((counts * w[:, None]).sum(axis=0))
    n_c = o.sum(axis=1)
    n = n_c.sum()
    d2 = _delta2(categories, n_c, level)
    d_o = (o * d2).sum()
    d_e = (np.outer(n_c, n_c) * d2).sum()
    if d_e == 0:
        return float("nan")  # one value only: no variation to disagree about, alpha is undefined
    return float(1.0 - (n - 1.0) * d_o / d_e)


def krippendorff_alpha(data, level: str = "nominal") -> float:
    """Krippendorff's alpha of a coders × units table (NaN/None = not coded).

    Parameters
    ----------
    data : array-like or DataFrame
        Rows are coders, columns units. Values may be strings at the nominal level.
    level : {"nominal", "ordinal", "interval", "ratio"}

    Returns
    -------
    float
        Alpha; NaN when no unit has two values or when all values are the same
        (no variation: agreement cannot be told apart from chance).
    """
    if level not in LEVELS:
        raise ValueError(f"level '{level}' — expected one of {', '.join(LEVELS)}")
    frame = pd.DataFrame(data)
    if frame.shape[0] < 2:
        raise ValueError("krippendorff_alpha: at least two coders (rows) are needed")
    categories, counts = _values_by_unit(frame)
    if level != "nominal" and categories.dtype.kind not in "fiu":
        raise ValueError(f"level '{level}' needs numeric values — got text")
    return _alpha_from_counts(counts, categories, level)


def bootstrap_alpha(data, level: str = "nominal", n_boot: int = 1000, seed: int = 1,
                    ci: float = 0.95) -> tuple[float, float, float]:
    """``(alpha, low, high)``: alpha and its percentile bootstrap interval over resampled units."""
    frame = pd.DataFrame(data)
    categories, counts = _values_by_unit(frame)
    alpha = _alpha_from_counts(counts, categories, level)
    pairable = counts[counts.sum(axis=1) >= 2]
    if len(pairable) < 2 or n_boot <= 0 or np.isnan(alpha):
        return alpha, float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    draws = np.empty(n_boot)
    for b in range(n_boot):
        draws[b] = _alpha_from_counts(pairable[rng.integers(0, len(pairable), len(pairable))], categories, level)
    draws = draws[~np.isnan(draws)]
    if not len(draws):
        return alpha, float("nan"), float("nan")
    lo, hi = np.quantile(draws, [(1 - ci) / 2, 1 - (1 - ci) / 2])
    return alpha, float(lo), float(hi)


def cohen_kappa_weighted(a, b, weights: str | None = None, categories=None) -> float:
    """Cohen's kappa for two coders; ``weights`` None (unweighted), ``"linear"`` or ``"quadratic"``.

    Weighted kappa is ``1 − Σ w·p_obs / Σ w·p_exp`` with disagreement weights
    ``|i − j| / (K − 1)`` (linear) or its square (quadratic) over the ordered
    ``categories`` (default: the sorted values seen).
    """
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.size == 0:
        raise ValueError("cohen_kappa: two equally long, non-empty label sequences are needed")
    cats = list(categories) if categories is not None else sorted(set(a.tolist()) | set(b.tolist()))
    index = {c: i for i, c in enumerate(cats)}
    k = len(cats)
    table = np.zeros((k, k))
    for x, y in zip(a.tolist(), b.tolist()):
        table[index[x], index[y]] += 1
    p = table / table.sum()
    expected = np.outer(p.sum(axis=1), p.sum(axis=0))
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    if weights is None:
        w = (i != j).astype(float)
    elif weights == "linear":
        w = np.abs(i - j) / max(k - 1, 1)
    elif weights == "quadratic":
        w = (np.abs(i - j) / max(k - 1, 1)) ** 2
    else:
        raise ValueError(f"weights '{weights}' — expected None, linear or quadratic")
    denom = (w * expected).sum()
    if denom == 0:
        return float("nan")
    return float(1.0 - (w * p).sum() / denom)


def bootstrap_kappa(a, b, weights: str | None = None, n_boot: int = 1000, seed: int = 1,
                    ci: float = 0.95) -> tuple[float, float, float]:
    """``(kappa, low, high)`` with a percentile bootstrap over resampled items."""
    a, b = np.asarray(a), np.asarray(b)
    cats = sorted(set(a.tolist()) | set(b.tolist()))
    kappa = cohen_kappa_weighted(a, b, weights, cats)
    if len(a) < 2 or n_boot <= 0:
        return kappa, float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(n_boot):
        idx = rng.integers(0, len(a), len(a))
        draws.append(cohen_kappa_weighted(a[idx], b[idx], weights, cats))
    draws = np.array(draws)
    draws = draws[~np.isnan(draws)]
    if not len(draws):
        return kappa, float("nan"), float("nan")
    lo, hi = np.quantile(draws, [(1 - ci) / 2, 1 - (1 - ci) / 2])
    return kappa, float(lo), float(hi)


def reliability_report(long: pd.DataFrame, level: str = "nominal", n_boot: int = 1000, seed: int = 1,
                       unit: str = "unit", coder: str = "coder", value: str = "value") -> dict:
    """What ``cxresearch reliability`` prints: alpha with its interval, counts, and Cohen's kappa for two coders."""
    matrix = reliability_matrix(long, unit, coder, value)
    if matrix.shape[0] < 2:
        raise ValueError(f"reliability table: {matrix.shape[0]} coder(s) — expected at least two")
    alpha, lo, hi = bootstrap_alpha(matrix, level, n_boot=n_boot, seed=seed)
    counts = pd.notna(matrix).sum(axis=0)
    out = {
        "alpha": _num(alpha), "alpha_ci_low": _num(lo), "alpha_ci_high": _num(hi), "level": level,
        "n_units": int((counts >= 2).sum()), "n_units_total": int(matrix.shape[1]),
        "n_coders": int(matrix.shape[0]), "n_pairable_values": int(counts[counts >= 2].sum()),
        "bootstrap": {"resamples": n_boot, "unit": "unit", "seed": seed},
    }
    if matrix.shape[0] == 2:
        both = matrix.T.dropna()
        a, b = both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()
        weights = None if level == "nominal" else ("linear" if level == "ordinal" else "quadratic")
        kappa, klo, khi = bootstrap_kappa(a, b, weights, n_boot=n_boot, seed=seed) if len(a) else (np.nan,) * 3
        out.update({"cohen_kappa": _num(kappa), "cohen_kappa_ci_low": _num(klo), "cohen_kappa_ci_high": _num(khi),
                    "cohen_kappa_weights": weights or "none", "n_units_both": int(len(a))})
    return out


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else round(float(x), 6)


def per_code_reliability(codings: pd.DataFrame, turns: pd.DataFrame, coders: list[str], n_boot: int = 500,
                         seed: int = 1) -> pd.DataFrame:
    """Per code: nominal alpha (with bootstrap interval) and, for two coders, Cohen's kappa on segments.

    Parameters
    ----------
    codings : DataFrame
        ``interview_id, turn, code, coder`` — one row per code a coder applied to a turn.
        The auto-coder is just another coder name.
    turns : DataFrame
        The segment universe: ``interview_id, turn`` of respondent turns.
    coders : list of str
        The coders to compare (two or more).

    Returns
    -------
    DataFrame
        ``code, n_segments, applied`` (per coder, ``a/b/…`` counts as text), ``alpha, alpha_ci_low,
        alpha_ci_high, kappa`` (NaN unless exactly two coders), one row per code any compared coder applied.
    """
    cols = ["code", "n_segments", "applied", "alpha", "alpha_ci_low", "alpha_ci_high", "kappa"]
    rows = codings[codings["coder"].isin(coders)]
    shared = None
    for c in coders:
        ids = set(rows.loc[rows["coder"] == c, "interview_id"].astype(str))
        shared = ids if shared is None else shared & ids
    universe = turns[turns["interview_id"].astype(str).isin(shared or set())]
    keys = pd.MultiIndex.from_arrays([universe["interview_id"].astype(str), universe["turn"].astype(int)])
    out = []
    for code in sorted(rows["code"].dropna().unique()):
        matrix = []
        for c in coders:
            own = rows[(rows["coder"] == c) & (rows["code"] == code)]
            applied = pd.MultiIndex.from_arrays([own["interview_id"].astype(str), own["turn"].astype(int)])
            matrix.append(keys.isin(applied).astype(int))
        matrix = np.array(matrix)
        if not len(keys):
            continue
        alpha, lo, hi = bootstrap_alpha(matrix, "nominal", n_boot=n_boot, seed=seed)
        kappa = cohen_kappa_weighted(matrix[0], matrix[1]) if len(coders) == 2 else float("nan")
        out.append({"code": code, "n_segments": len(keys), "applied": "/".join(str(int(r.sum())) for r in matrix),
                    "alpha": alpha, "alpha_ci_low": lo, "alpha_ci_high": hi, "kappa": kappa})
    return pd.DataFrame(out, columns=cols)
