"""Reliability of coding: Krippendorff's alpha, Cohen's (weighted) kappa, Fleiss' kappa, bootstrap intervals.

Krippendorff's alpha follows Krippendorff (2011), *Computing Krippendorff's
Alpha-Reliability*: within every unit the values of all coders are paired into a
coincidence matrix ``o`` (a unit with ``m_u`` values adds ``1/(m_u − 1)`` for
each ordered pair of its values), ``n_c`` are the margins of ``o`` and ``n`` its
total, and

    α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck

with the difference function δ² of the level of measurement:

* nominal: 0 when ``c = k``, else 1;
* ordinal: ``(Σ_{g=c..k} n_g − (n_c + n_k)/2)²`` — from the *margins*, not rank
  differences; this equals the squared distance of the categories' mid-ranks,
  so ordinal alpha is interval alpha on mid-ranks of the pooled pairable values;
* interval: ``(c − k)²``;
* ratio: ``((c − k)/(c + k))²`` (values ≥ 0).

Units with fewer than two values are not pairable and drop out. Data come as a
*coders × units* table (rows coders, columns units; NaN/None where a coder did
not code a unit), or as a long table ``unit, coder, value`` through
:func:`reliability_matrix`.

Intervals are percentile bootstraps that resample **units** (see
:func:`bootstrap_alpha` for why). Everything is vectorised over resamples: a
resample is a row of unit weights, so 1,000 resamples cost a few matrix products.

For coded segments, :func:`segment_code_matrix` and :func:`per_code_reliability`
turn a table of applied codes into one binary coders × segments table per code
and report nominal alpha (and Cohen's kappa for two coders) **per code**. The
auto-coder is just another coder name.

R equivalents: ``irr::kripp.alpha(data, method)`` (also coders × units),
``irr::kappa2(cbind(a, b), weight = "unweighted"/"equal"/"squared")``,
``irr::kappam.fleiss(ratings)``.

References
----------
Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg
School for Communication, University of Pennsylvania.
https://repository.upenn.edu/asc_papers/43

Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard
reliability measure for coding data. *Communication Methods and Measures*, 1(1), 77–89.

Cohen, J. (1968). Weighted kappa. *Psychological Bulletin*, 70(4), 213–220.

Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
*Psychological Bulletin*, 76(5), 378–382.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import sparse

LEVELS = ("nominal", "ordinal", "interval", "ratio")
KAPPA_WEIGHTS = (None, "linear", "quadratic")
#: Kappa weighting that ``reliability_report`` pairs with each level of measurement.
KAPPA_WEIGHTS_FOR_LEVEL = {"nominal": None, "ordinal": "linear", "interval": "quadratic", "ratio": "quadratic"}
_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "boolean", "decimal"}
_CHUNK = 4_000_000  # largest temporary array (elements) the vectorised bootstrap builds at once


class BootstrapResult(NamedTuple):
    """A statistic with its percentile bootstrap interval.

    ``estimate`` is the statistic on the data as given; ``low``/``high`` the
    interval (NaN when it cannot be formed); ``n_boot`` the resamples drawn and
    ``n_valid`` those on which the statistic was defined (a resample without
    variation, e.g. no unit with the code, leaves alpha undefined and is dropped).
    """

    estimate: float
    low: float
    high: float
    n_boot: int
    n_valid: int


class _Pairable(NamedTuple):
    """Pairable units of a coders × units table, values as category indices."""

    categories: np.ndarray  # sorted distinct values (float, or str for text)
    index: np.ndarray  # coders × pairable units: category index, −1 where missing


# --------------------------------------------------------------------------- input


def reliability_matrix(long: pd.DataFrame, unit: str = "unit", coder: str = "coder",
                       value: str = "value") -> pd.DataFrame:
    """Pivot a long table ``unit, coder, value`` into the coders × units table the alpha functions take.

    Parameters
    ----------
    long : DataFrame
        One row per value a coder gave a unit. Rows with a missing value are kept
        as missing (the coder did not code the unit).
    unit, coder, value : str
        Column names.

    Returns
    -------
    DataFrame
        Index: coders (sorted), columns: units (sorted), cells: the values, NaN
        where a coder did not code a unit.

    Raises
    ------
    ValueError
        When a column is missing, a unit or coder id is missing, or a coder gave
        one unit more than one value (all such pairs are listed, up to ten).
    """
    if not isinstance(long, pd.DataFrame):
        raise ValueError(f"reliability table: expected a DataFrame with columns {unit}, {coder}, {value} "
                         f"— got {type(long).__name__}")
    missing = [c for c in (unit, coder, value) if c not in long.columns]
    if missing:
        raise ValueError(f"reliability table: column(s) {', '.join(missing)} missing — expected {unit}, {coder}, "
                         f"{value} (has {', '.join(map(str, long.columns))})")
    no_id = long[[unit, coder]].isna().any(axis=1)
    if no_id.any():
        rows = ", ".join(str(i) for i in long.index[no_id][:10])
        raise ValueError(f"reliability table: row(s) {rows} have no {unit} or {coder} — expected both on every row")
    dup = long.duplicated([unit, coder], keep=False)
    if dup.any():
        pairs = long.loc[dup, [coder, unit]].drop_duplicates().head(10)
        listed = "; ".join(f"coder {c!r}, unit {u!r}" for c, u in pairs.itertuples(index=False))
        raise ValueError(f"reliability table: more than one value for {listed} — expected one value per unit "
                         "and coder")
    matrix = long.pivot(index=coder, columns=unit, values=value)
    matrix.index.name, matrix.columns.name = "coder", "unit"
    return matrix


def _as_table(data: Any) -> np.ndarray:
    """A coders × units object array from an array-like or DataFrame."""
    if isinstance(data, pd.DataFrame):
        table = data.to_numpy(dtype=object)
    else:
        try:
            table = np.asarray(data, dtype=object)
        except ValueError as err:  # ragged rows
            raise ValueError(f"reliability data: expected a coders × units table with equally long rows ({err})") \
                from None
    if table.ndim != 2:
        raise ValueError(f"reliability data: expected a coders × units table (2 dimensions) — got {table.ndim}")
    if table.shape[0] < 2:
        raise ValueError(f"reliability data: {table.shape[0]} coder(s) — expected at least two coders (rows)")
    return table


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"level {level!r} — expected one of {', '.join(LEVELS)}")


def _pairable(data: Any, level: str) -> _Pairable:
    """Validate ``data`` for ``level`` and keep the units with at least two values."""
    _check_level(level)
    table = _as_table(data)
    present = ~pd.isna(table)
    keep = present.sum(axis=0) >= 2
    table, present = table[:, keep], present[:, keep]
    values = table[present]
    kind = pd.api.types.infer_dtype(values, skipna=False) if values.size else "empty"
    numeric = kind in _NUMERIC_KINDS or kind == "empty"
    if not numeric and level != "nominal":
        raise ValueError(f"level {level!r} needs numeric values — got text (e.g. {values[0]!r}); "
                         "map ordered labels to numbers first, or use level='nominal'")
    values = values.astype(float) if numeric else values.astype(str)
    if level == "ratio" and values.size and values.min() < 0:
        raise ValueError(f"level 'ratio' needs values ≥ 0 (an absolute zero) — got {values.min():g}")
    categories, inverse = np.unique(values, return_inverse=True)
    index = np.full(table.shape, -1, dtype=np.int64)
    index[present] = inverse.ravel()
    return _Pairable(categories, index)


# --------------------------------------------------------------------------- alpha core


def _unit_margins(index: np.ndarray, k: int) -> sparse.csr_matrix:
    """Units × categories counts of a coders × units index table (sparse)."""
    coders, units = np.nonzero(index >= 0)
    return sparse.csr_matrix((np.ones(len(units)), (units, index[coders, units])), shape=(index.shape[1], k))


def _ratio_delta(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    s = a + b
    return np.where(s == 0, 0.0, (a - b) / np.where(s == 0, 1.0, s)) ** 2


def _quadratic_form(nb: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Σ_ck n_c n_k δ²_ratio(c, k) for every row of ``nb``, building δ² in row blocks."""
    k = len(v)
    out = np.zeros(nb.shape[0])
    step = max(1, _CHUNK // max(k, 1))
    for start in range(0, k, step):
        block = _ratio_delta(v[start:start + step, None], v[None, :])
        out += ((nb[:, start:start + step] @ block) * nb).sum(axis=1)
    return out


def _alpha_weighted(p: _Pairable, level: str, weights: np.ndarray) -> np.ndarray:
    """Alpha for each row of ``weights`` (resamples × pairable units: how often each unit is drawn)."""
    index, categories = p.index, p.categories
    k = len(categories)
    present = index >= 0
    m = present.sum(axis=0).astype(float)
    margins = _unit_margins(index, k)
    nb = np.asarray((margins.T @ weights.T).T)  # resamples × categories: n_c
    n = nb.sum(axis=1)
    if level == "nominal":
        squares = np.asarray(margins.multiply(margins).sum(axis=1)).ravel()
        d_obs = weights @ ((m ** 2 - squares) / (m - 1))
        d_exp = n ** 2 - (nb ** 2).sum(axis=1)
    elif level == "interval":
        v = categories - categories.mean()  # differences are shift-invariant; centring avoids cancellation
        x = np.where(present, v[index], 0.0)
        d_obs = weights @ (2 * (m * (x ** 2).sum(axis=0) - x.sum(axis=0) ** 2) / (m - 1))
        d_exp = 2 * (n * (nb @ v ** 2) - (nb @ v) ** 2)
    elif level == "ratio":
        d_unit = np.zeros(index.shape[1])
        for r in range(index.shape[0]):
            for s in range(r + 1, index.shape[0]):
                both = present[r] & present[s]
                d_unit[both] += 2 * _ratio_delta(categories[index[r, both]], categories[index[s, both]])
        d_obs = weights @ (d_unit / (m - 1))
        d_exp = _quadratic_form(nb, categories)
    else:  # ordinal: interval on the mid-ranks of the (resampled) pooled values
        t = np.cumsum(nb, axis=1) - nb / 2 - n[:, None] / 2
        d_exp = 2 * (n * (nb * t ** 2).sum(axis=1) - (nb * t).sum(axis=1) ** 2)
        d_obs = np.empty(len(weights))
        step = max(1, _CHUNK // index.size)
        safe = np.where(present, index, 0)
        for start in range(0, len(weights), step):
            x = np.where(present, t[start:start + step][:, safe], 0.0)  # resamples × coders × units
            d_unit = 2 * (m * (x ** 2).sum(axis=1) - x.sum(axis=1) ** 2) / (m - 1)
            d_obs[start:start + step] = (weights[start:start + step] * d_unit).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * d_obs / d_exp
    # fewer than two distinct values: no variation, agreement cannot be told from chance
    alpha[(nb > 0).sum(axis=1) < 2] = np.nan
    return alpha


def krippendorff_alpha(data: Any, level: str = "nominal") -> float:
    """Krippendorff's alpha for any number of coders, with missing values, at any level of measurement.

    Parameters
    ----------
    data : array-like or DataFrame
        Coders × units: one row per coder, one column per unit; NaN/None where a
        coder did not code a unit. Text values are allowed at the nominal level.
        A long ``unit, coder, value`` table goes through :func:`reliability_matrix` first.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement, which picks the difference function.

    Returns
    -------
    float
        Alpha: 1 is perfect agreement, 0 agreement at chance, below 0 systematic
        disagreement. NaN when no unit has two values, or when all pairable
        values are the same: with no variation the expected disagreement is 0
        and alpha is 0/0 — such data cannot tell agreement from chance
        (Krippendorff 2011 calls them uninformative), so we do not report 1.

    Raises
    ------
    ValueError
        Fewer than two coders, an unknown level, text at a level other than
        nominal, negative values at the ratio level, or a table that is not 2-D.

    Notes
    -----
    ``α = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck`` over the coincidence
    matrix of pairable values (see the module docstring for δ²). Text and
    numbers mixed in one table are compared as text (``1`` and ``"1"`` match,
    ``1.0`` and ``"1"`` do not).

    Examples
    --------
    Krippendorff (2011), two coders, ten units, binary data:

    >>> a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    >>> b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    >>> round(krippendorff_alpha([a, b]), 3)
    0.095
    """
    p = _pairable(data, level)
    if p.index.shape[1] == 0:
        return float("nan")
    return float(_alpha_weighted(p, level, np.ones((1, p.index.shape[1])))[0])


# --------------------------------------------------------------------------- bootstrap


def _check_boot(n_boot: int, level_ci: float) -> None:
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot {n_boot!r} — expected a whole number ≥ 0")
    if not 0 < level_ci < 1:
        raise ValueError(f"level_ci {level_ci!r} — expected a coverage between 0 and 1, e.g. 0.95")


def _resample_weights(rng: np.random.Generator, counts: np.ndarray, n_boot: int) -> Iterator[np.ndarray]:
    """Yield blocks of resamples × patterns draw counts for a bootstrap over units.

    ``counts[j]`` units share pattern ``j`` (the same values from the same coders). Drawing all ``n`` units with
    replacement and counting how often each pattern came up is one multinomial draw of ``n`` over the patterns'
    shares, so the bootstrap works on the distinct patterns (at most K² for two coders with K categories)
    instead of on every unit: the same resampling distribution at a cost that does not grow with ``n``."""
    counts = np.asarray(counts, dtype=np.int64)
    n = int(counts.sum())
    shares = counts / n
    step = max(1, _CHUNK // max(len(counts), 1))
    for start in range(0, n_boot, step):
        rows = min(step, n_boot - start)
        yield rng.multinomial(n, shares, size=rows).astype(float)


def _distinct_units(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct columns of a coders × units table of category indices (−1: missing) and how many units each
    stands for, in the order ``np.unique(index, axis=1)`` gives them.

    Each column is read as one number in base K + 1 (K categories, missing as digit 0, the first coder the most
    significant digit), so finding the patterns is a count over at most (K + 1)^m numbers instead of a sort of
    columns."""
    index = np.asarray(index, dtype=np.int64)
    m, n = index.shape
    base = int(index.max(initial=-1)) + 2
    if n == 0 or base ** m > 2**24:
        patterns, counts = np.unique(index, axis=1, return_counts=True)
        return patterns, counts
    weights = base ** np.arange(m - 1, -1, -1, dtype=np.int64)  # the first row most significant: np.unique's order
    number = (index + 1).T @ weights
    counts = np.bincount(number, minlength=base ** m)
    present = np.flatnonzero(counts)
    patterns = (present[None, :] // weights[:, None]) % base - 1
    return patterns, counts[present]


def _percentile(estimate: float, draws: np.ndarray, n_boot: int, level_ci: float) -> BootstrapResult:
    valid = draws[~np.isnan(draws)]
    if not len(valid):
        return BootstrapResult(estimate, float("nan"), float("nan"), n_boot, 0)
    low, high = np.quantile(valid, [(1 - level_ci) / 2, (1 + level_ci) / 2])
    return BootstrapResult(estimate, float(low), float(high), n_boot, int(len(valid)))


def bootstrap_alpha(data: Any, level: str = "nominal", n_boot: int = 1000, seed: int | None = 1,
                    level_ci: float = 0.95) -> BootstrapResult:
    """Krippendorff's alpha with a percentile bootstrap interval from resampled units.

    Parameters
    ----------
    data : array-like or DataFrame
        Coders × units, as for :func:`krippendorff_alpha`.
    level : {"nominal", "ordinal", "interval", "ratio"}
    n_boot : int
        Resamples (0: no interval).
    seed : int or None
        Seed of ``numpy.random.default_rng``; the same seed gives the same interval.
    level_ci : float
        Coverage of the interval (0.95: the 2.5th and 97.5th percentiles).

    Returns
    -------
    BootstrapResult
        ``estimate, low, high, n_boot, n_valid``. Resamples on which alpha is
        undefined (no variation) are dropped and ``n_valid`` says how many were
        left; ``low``/``high`` are NaN when none were.

    Notes
    -----
    Each resample draws the pairable units with replacement, keeping every unit
    with all its coders' values, and recomputes alpha (margins, and for the
    ordinal level its differences, included). This is the ordinary nonparametric
    bootstrap with the *unit* (for us: a coded segment or response) as the
    sampling unit, so the interval says how much alpha would move with another
    sample of units coded by the same coders. Krippendorff's own bootstrap
    (Hayes & Krippendorff 2007, the KALPHA macro) instead resamples pairable
    values from the observed coincidences. We resample units because units are
    what a study samples, because a unit's values are not independent of each
    other (they share the unit), and because the same scheme then serves
    Cohen's kappa (:func:`bootstrap_kappa`) so both intervals mean the same.
    Units with fewer than two values carry no pairs and are not resampled.
    """
    _check_boot(n_boot, level_ci)
    p = _pairable(data, level)
    n_units = p.index.shape[1]
    if n_units == 0:
        return BootstrapResult(float("nan"), float("nan"), float("nan"), int(n_boot), 0)
    patterns, counts = _distinct_units(p.index)
    p = _Pairable(p.categories, patterns)  # each distinct unit once, weighted by how many units it stands for
    estimate = float(_alpha_weighted(p, level, counts[None, :].astype(float))[0])
    if n_boot == 0 or n_units < 2:
        return BootstrapResult(estimate, float("nan"), float("nan"), int(n_boot), 0)
    rng = np.random.default_rng(seed)
    draws = np.concatenate([_alpha_weighted(p, level, w) for w in _resample_weights(rng, counts, n_boot)])
    return _percentile(estimate, draws, int(n_boot), level_ci)


# --------------------------------------------------------------------------- kappa


def _kappa_pairs(a: Any, b: Any, weights: str | None, categories: Sequence | None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Category indices of the items both coders coded, and the disagreement weight matrix."""
    if weights not in KAPPA_WEIGHTS:
        raise ValueError(f"weights {weights!r} — expected None, 'linear' or 'quadratic'")
    a, b = np.asarray(a, dtype=object).ravel(), np.asarray(b, dtype=object).ravel()
    if a.shape != b.shape:
        raise ValueError(f"cohen_kappa: {len(a)} and {len(b)} labels — expected two equally long sequences")
    both = ~(pd.isna(a) | pd.isna(b))
    a, b = a[both], b[both]
    if not len(a):
        raise ValueError("cohen_kappa: no item has labels from both coders — expected at least one")
    if categories is None:
        pooled = np.concatenate([a, b])
        numeric = pd.api.types.infer_dtype(pooled, skipna=False) in _NUMERIC_KINDS
        if weights is not None and not numeric:
            raise ValueError("weighted kappa on text labels needs categories=[...] in their order — "
                             "sorting text would order them alphabetically")
        a, b = (a.astype(float), b.astype(float)) if numeric else (a.astype(str), b.astype(str))
        cats = list(np.unique(np.concatenate([a, b])))
    else:
        cats = list(categories)
    lookup = pd.Index(cats)
    if not lookup.is_unique:
        raise ValueError("cohen_kappa: categories contain duplicates — expected each category once")
    ia, ib = lookup.get_indexer(a), lookup.get_indexer(b)
    if (ia < 0).any() or (ib < 0).any():
        unknown = sorted({str(x) for x in np.concatenate([a[ia < 0], b[ib < 0]])})
        raise ValueError(f"cohen_kappa: label(s) {', '.join(unknown[:10])} not among categories {cats}")
    k = len(cats)
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    if weights is None:
        w = (i != j).astype(float)
    elif weights == "linear":
        w = np.abs(i - j) / max(k - 1, 1)
    else:
        w = ((i - j) / max(k - 1, 1)) ** 2
    return ia, ib, w


def _kappa_weighted_draws(ia: np.ndarray, ib: np.ndarray, w: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Kappa for each row of ``weights`` (resamples × items: how often each item is drawn)."""
    n_items, k = len(ia), w.shape[0]
    rows = np.arange(n_items)
    one_a = sparse.csr_matrix((np.ones(n_items), (rows, ia)), shape=(n_items, k))
    one_b = sparse.csr_matrix((np.ones(n_items), (rows, ib)), shape=(n_items, k))
    total = weights.sum(axis=1)
    pa = np.asarray((one_a.T @ weights.T).T) / total[:, None]
    pb = np.asarray((one_b.T @ weights.T).T) / total[:, None]
    observed = weights @ w[ia, ib] / total
    expected = ((pa @ w) * pb).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = 1.0 - observed / expected
    kappa[expected <= 0] = np.nan
    return kappa


def cohen_kappa_weighted(a: Any, b: Any, weights: str | None = None, categories: Sequence | None = None) -> float:
    """Cohen's kappa for two coders, unweighted or with linear or quadratic disagreement weights.

    Parameters
    ----------
    a, b : sequence
        The two coders' labels for the same items, in the same order. Items
        where either label is missing (NaN/None) are left out.
    weights : {None, "linear", "quadratic"}
        None: unweighted (Cohen 1960). "linear": ``|i − j|/(K − 1)``
        (Cicchetti–Allison); "quadratic": ``((i − j)/(K − 1))²`` (Fleiss–Cohen),
        where ``i, j`` are **positions** in the ordered categories.
    categories : sequence, optional
        All categories in their order. Default: the sorted labels seen. Give them
        when a category nobody used lies between others (it changes the
        positions, hence weighted kappa) or when labels are text.

    Returns
    -------
    float
        Kappa; NaN when the expected disagreement is 0 (both coders used one and
        the same category throughout).

    Raises
    ------
    ValueError
        Unequal lengths, no item coded by both, an unknown weighting, a label
        outside ``categories``, or weights on text labels without ``categories``.

    Notes
    -----
    ``κ_w = 1 − Σ w_ij p_ij / Σ w_ij p_i· p_·j`` with ``p`` the proportions of
    the two coders' cross-table (Cohen 1968). With ``w = 1 − I`` this is
    ``(p_o − p_e)/(1 − p_e)``. Weights depend on category positions, not on the
    values themselves, as in statsmodels' ``cohens_kappa(table, wt=...)``,
    scikit-learn's ``cohen_kappa_score`` and R's ``irr::kappa2``.

    Examples
    --------
    >>> round(cohen_kappa_weighted([1, 2, 3, 3], [1, 2, 2, 3], "quadratic"), 3)
    0.8
    """
    ia, ib, w = _kappa_pairs(a, b, weights, categories)
    return float(_kappa_weighted_draws(ia, ib, w, np.ones((1, len(ia))))[0])


def bootstrap_kappa(a: Any, b: Any, weights: str | None = None, n_boot: int = 1000, seed: int | None = 1,
                    level_ci: float = 0.95, categories: Sequence | None = None) -> BootstrapResult:
    """Cohen's (weighted) kappa with a percentile bootstrap interval from resampled items.

    Same arguments as :func:`cohen_kappa_weighted` plus ``n_boot``, ``seed`` and
    ``level_ci`` as in :func:`bootstrap_alpha`; items (units coded by both) are
    resampled with replacement, the categories and their weights stay fixed.

    Returns
    -------
    BootstrapResult
        ``estimate, low, high, n_boot, n_valid``.
    """
    _check_boot(n_boot, level_ci)
    ia, ib, w = _kappa_pairs(a, b, weights, categories)
    n_items = len(ia)
    pairs, counts = _distinct_units(np.vstack([ia, ib]))  # each distinct (a, b) pair once, with its count
    ia, ib = pairs[0], pairs[1]
    estimate = float(_kappa_weighted_draws(ia, ib, w, counts[None, :].astype(float))[0])
    if n_boot == 0 or n_items < 2:
        return BootstrapResult(estimate, float("nan"), float("nan"), int(n_boot), 0)
    rng = np.random.default_rng(seed)
    draws = np.concatenate([_kappa_weighted_draws(ia, ib, w, block)
                            for block in _resample_weights(rng, counts, n_boot)])
    return _percentile(estimate, draws, int(n_boot), level_ci)


def fleiss_kappa(counts: Any) -> float:
    """Fleiss' kappa from a subjects × categories table of how many raters chose each category.

    Parameters
    ----------
    counts : array-like
        One row per subject, one column per category; every row sums to the same
        number of raters ``m ≥ 2`` (the raters need not be the same people).

    Returns
    -------
    float
        ``κ = (P̄ − P̄_e)/(1 − P̄_e)`` with ``P_i = (Σ_j n_ij² − m)/(m(m − 1))``
        and ``P̄_e = Σ_j p_j²`` (Fleiss 1971); NaN when ``P̄_e = 1``.

    Notes
    -----
    On such complete data nominal alpha is Fleiss' kappa corrected for sample
    size: ``α = 1 − (1 − κ)(Nm − 1)/(Nm)`` for ``N`` subjects. R:
    ``irr::kappam.fleiss``; statsmodels: ``stats.inter_rater.fleiss_kappa``.
    """
    table = np.asarray(counts, dtype=float)
    if table.ndim != 2 or table.size == 0:
        raise ValueError("fleiss_kappa: expected a subjects × categories table of counts")
    if (table < 0).any() or not np.allclose(table, np.round(table)):
        raise ValueError("fleiss_kappa: expected whole, non-negative counts")
    m = table.sum(axis=1)
    if not np.allclose(m, m[0]) or m[0] < 2:
        raise ValueError(f"fleiss_kappa: rows sum to {sorted(set(m.tolist()))[:5]} raters — expected the same "
                         "number (≥ 2) of ratings for every subject")
    m = m[0]
    p_j = table.sum(axis=0) / table.sum()
    p_i = ((table ** 2).sum(axis=1) - m) / (m * (m - 1))
    p_e = float((p_j ** 2).sum())
    if math.isclose(p_e, 1.0):
        return float("nan")
    return float((p_i.mean() - p_e) / (1 - p_e))


# --------------------------------------------------------------------------- report


def _json_float(x: float) -> float | None:
    """A plain float for JSON, None for NaN."""
    x = float(x)
    return None if math.isnan(x) else x


def reliability_report(long: pd.DataFrame, level: str = "nominal", n_boot: int = 1000, seed: int | None = 1,
                       level_ci: float = 0.95) -> dict[str, Any]:
    """Krippendorff's alpha with its interval (and Cohen's kappa for two coders) of a long ``unit, coder, value`` table.

    This dict is what ``cxresearch reliability FILE --level L`` prints as JSON;
    its keys are stable and its values plain ``float``/``int``/``str`` (NaN as None).

    Parameters
    ----------
    long : DataFrame
        Columns ``unit, coder, value`` (see :func:`reliability_matrix`).
    level : {"nominal", "ordinal", "interval", "ratio"}
    n_boot, seed, level_ci
        Bootstrap over units, as in :func:`bootstrap_alpha`.

    Returns
    -------
    dict
        ``level``, ``alpha``, ``alpha_ci_low``, ``alpha_ci_high``, ``ci_level``,
        ``n_units`` (pairable units: two or more values), ``n_units_total``,
        ``n_coders``, ``n_pairable_values``, ``n_boot``, ``n_boot_valid``, ``seed``,
        ``bootstrap`` (what was resampled); with exactly two coders also
        ``cohen_kappa``, ``cohen_kappa_ci_low``, ``cohen_kappa_ci_high``,
        ``cohen_kappa_weights`` ("none"/"linear"/"quadratic": none for nominal,
        linear for ordinal, quadratic for interval and ratio, on the positions of
        the sorted distinct values) and ``n_units_both`` (units both coded).
    """
    _check_level(level)
    _check_boot(n_boot, level_ci)
    matrix = reliability_matrix(long)
    if matrix.shape[0] < 2:
        raise ValueError(f"reliability table: {matrix.shape[0]} coder(s) — expected at least two")
    alpha = bootstrap_alpha(matrix, level, n_boot=n_boot, seed=seed, level_ci=level_ci)
    per_unit = matrix.notna().sum(axis=0)
    report: dict[str, Any] = {
        "level": level,
        "alpha": _json_float(alpha.estimate),
        "alpha_ci_low": _json_float(alpha.low),
        "alpha_ci_high": _json_float(alpha.high),
        "ci_level": float(level_ci),
        "n_units": int((per_unit >= 2).sum()),
        "n_units_total": int(matrix.shape[1]),
        "n_coders": int(matrix.shape[0]),
        "n_pairable_values": int(per_unit[per_unit >= 2].sum()),
        "n_boot": int(n_boot),
        "n_boot_valid": int(alpha.n_valid),
        "seed": seed,
        "bootstrap": "percentile; resamples units with replacement",
    }
    if matrix.shape[0] == 2:
        weights = KAPPA_WEIGHTS_FOR_LEVEL[level]
        both = matrix.T.dropna()
        kappa = BootstrapResult(float("nan"), float("nan"), float("nan"), int(n_boot), 0)
        if len(both):
            # weighted kappa: positions among all values in the table (numeric at these levels); the
            # unweighted kappa does not depend on the categories' order or on unused ones
            values = matrix.to_numpy(dtype=object).ravel()
            categories = list(np.unique(values[~pd.isna(values)].astype(float))) if weights else None
            kappa = bootstrap_kappa(both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy(), weights,
                                    n_boot=n_boot, seed=seed, level_ci=level_ci, categories=categories)
        report.update({
            "cohen_kappa": _json_float(kappa.estimate),
            "cohen_kappa_ci_low": _json_float(kappa.low),
            "cohen_kappa_ci_high": _json_float(kappa.high),
            "cohen_kappa_weights": weights or "none",
            "n_units_both": int(len(both)),
        })
    return report


# --------------------------------------------------------------------------- coded segments


def _require(frame: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: column(s) {', '.join(missing)} missing — expected {', '.join(columns)}")


def _segment_universe(codings: pd.DataFrame, turns: pd.DataFrame, coders: Sequence[str]
                      ) -> tuple[pd.DataFrame, pd.MultiIndex]:
    """Codings of ``coders`` placed on the segments of the interviews all of them coded."""
    _require(codings, "codings", ["interview_id", "turn", "code", "coder"])
    _require(turns, "turns", ["interview_id", "turn"])
    coders = list(coders)
    if len(coders) < 2 or len(set(coders)) != len(coders):
        raise ValueError(f"coders {coders!r} — expected at least two different coder names")
    rows = codings.loc[codings["coder"].isin(coders), ["interview_id", "turn", "code", "coder"]].dropna()
    rows = rows.assign(interview_id=rows["interview_id"].astype(str), turn=rows["turn"].astype(int))
    absent = [c for c in coders if not (rows["coder"] == c).any()]
    if absent:
        raise ValueError(f"coder(s) {', '.join(map(repr, absent))} have no codings — expected codes from "
                         f"every coder in {coders!r}")
    shared = set.intersection(*(set(rows.loc[rows["coder"] == c, "interview_id"]) for c in coders))
    universe = turns.loc[turns["interview_id"].astype(str).isin(shared), ["interview_id", "turn"]]
    keys = pd.MultiIndex.from_arrays([universe["interview_id"].astype(str), universe["turn"].astype(int)],
                                     names=["interview_id", "turn"]).drop_duplicates().sort_values()
    position = keys.get_indexer(pd.MultiIndex.from_arrays([rows["interview_id"], rows["turn"]]))
    placed = rows.assign(segment=position)
    return placed[placed["segment"] >= 0], keys


def _code_matrix(placed: pd.DataFrame, keys: pd.MultiIndex, code: Any, coders: Sequence[str]) -> np.ndarray:
    """Coders × segments 0/1 matrix of one code (all zeros when nobody applied it)."""
    matrices = _code_matrices(placed[placed["code"] == code], keys, coders)
    return matrices.get(code, np.zeros((len(coders), len(keys)), dtype=np.int64))


def _code_matrices(placed: pd.DataFrame, keys: pd.MultiIndex, coders: Sequence[str]) -> dict[Any, np.ndarray]:
    """Coders × segments 0/1 matrix of every code in ``placed``, from one pass over it."""
    coder_row = placed["coder"].map({c: r for r, c in enumerate(coders)}).to_numpy()
    segment = placed["segment"].to_numpy()
    out = {}
    for code, rows in placed.groupby("code", sort=False).indices.items():
        matrix = np.zeros((len(coders), len(keys)), dtype=np.int64)
        matrix[coder_row[rows], segment[rows]] = 1
        out[code] = matrix
    return out


def segment_code_matrix(codings: pd.DataFrame, turns: pd.DataFrame, code: str, coders: Sequence[str]
                        ) -> pd.DataFrame:
    """Coders × segments table of one code: 1 where the coder applied it, 0 where not.

    Parameters
    ----------
    codings : DataFrame
        ``interview_id, turn, code, coder``: one row per code a coder applied to
        a segment (turn). Repeated rows count once.
    turns : DataFrame
        ``interview_id, turn``: the segment universe (e.g. respondent turns only).
    code : str
        The code.
    coders : sequence of str
        Two or more coder names (an auto-coder is just another name).

    Returns
    -------
    DataFrame
        Index ``coder`` (in the order given), columns a ``(interview_id, turn)``
        MultiIndex, values 0/1 — ready for :func:`krippendorff_alpha`.

    Notes
    -----
    The segments are all turns in ``turns`` of the interviews that **every**
    listed coder coded; a coder counts as having coded an interview when the
    coder applied at least one code in it (a coding table lists applied codes
    only, so an interview a coder read but left without any code looks
    uncoded). Within those interviews a turn that a coder did not give the
    code is a decision that the code is absent, so "nobody applied it" is
    agreement. Turns of interviews that some coder did not code are not
    counted at all — absence there is not a decision — and codings on turns
    outside ``turns`` (e.g. interviewer turns) are ignored.

    Work code by code: pooling many rare codes into one table is dominated by
    the easy "absent" agreements and flatters the coders; see
    :func:`per_code_reliability`.
    """
    placed, keys = _segment_universe(codings, turns, coders)
    matrix = _code_matrix(placed, keys, code, list(coders))
    return pd.DataFrame(matrix, index=pd.Index(list(coders), name="coder"), columns=keys)


def per_code_reliability(codings: pd.DataFrame, turns: pd.DataFrame, coders: Sequence[str], n_boot: int = 1000,
                         seed: int | None = 1) -> pd.DataFrame:
    """Per code: nominal alpha with its bootstrap interval and, for two coders, Cohen's kappa on segments.

    Parameters
    ----------
    codings, turns, coders
        As for :func:`segment_code_matrix` (same segment universe).
    n_boot, seed
        Bootstrap over segments, as in :func:`bootstrap_alpha` (95 % intervals).

    Returns
    -------
    DataFrame
        One row per code that at least one of the coders applied within the
        universe, sorted by code, with columns ``code``, ``n_segments``,
        ``n_applied_<coder>`` for each coder (in the order given), ``applied``
        (the same counts as text, e.g. ``"4/5"``), ``n_all`` (segments every
        coder gave the code), ``agreement`` (share of segments where all coders
        agree), ``alpha``, ``alpha_ci_low``, ``alpha_ci_high`` and ``kappa``,
        ``kappa_ci_low``, ``kappa_ci_high`` (NaN unless exactly two coders).

    Notes
    -----
    Alpha is reported per code, never pooled across codes: many rare codes make
    "nobody applied it" the usual case, and a pooled figure then rewards
    agreeing on absence. Alpha is NaN when a code has no variation in the
    universe (every coder applied it to every segment).
    """
    coders = list(coders)
    placed, keys = _segment_universe(codings, turns, coders)
    count_cols = [f"n_applied_{c}" for c in coders]
    columns = ["code", "n_segments", *count_cols, "applied", "n_all", "agreement", "alpha", "alpha_ci_low",
               "alpha_ci_high", "kappa", "kappa_ci_low", "kappa_ci_high"]
    out = []
    matrices = _code_matrices(placed, keys, coders)
    for code in sorted(matrices, key=str):
        matrix = matrices[code]
        alpha = bootstrap_alpha(matrix, "nominal", n_boot=n_boot, seed=seed)
        kappa = (bootstrap_kappa(matrix[0], matrix[1], None, n_boot=n_boot, seed=seed, categories=[0, 1])
                 if len(coders) == 2 else BootstrapResult(np.nan, np.nan, np.nan, n_boot, 0))
        applied = matrix.sum(axis=1)
        out.append({
            "code": code, "n_segments": len(keys), **{c: int(n) for c, n in zip(count_cols, applied)},
            "applied": "/".join(str(int(n)) for n in applied), "n_all": int(matrix.min(axis=0).sum()),
            "agreement": float((matrix.min(axis=0) == matrix.max(axis=0)).mean()),
            "alpha": alpha.estimate, "alpha_ci_low": alpha.low, "alpha_ci_high": alpha.high,
            "kappa": kappa.estimate, "kappa_ci_low": kappa.low, "kappa_ci_high": kappa.high,
        })
    return pd.DataFrame(out, columns=columns)
