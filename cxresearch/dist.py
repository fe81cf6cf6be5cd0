"""The few distribution functions the analyses need, on ``scipy.special`` alone.

``scipy.stats`` takes about 0.8 s to import, and every stage kernel paid it for a
normal quantile and a t quantile. These are the same special functions that
``scipy.stats`` evaluates (tested equal to it in ``tests/test_dist.py``).
"""

from __future__ import annotations

import numpy as np
from scipy import special


def norm_ppf(q):
    """Quantile of the standard normal (``scipy.stats.norm.ppf``)."""
    return special.ndtri(q)


def norm_cdf(x):
    """``scipy.stats.norm.cdf``."""
    return special.ndtr(x)


def norm_sf(x):
    """Upper tail of the standard normal, ``1 − Φ(x)`` without cancellation (``scipy.stats.norm.sf``)."""
    return special.ndtr(-np.asarray(x, dtype=float))


def t_ppf(q, df):
    """Quantile of Student's t with ``df`` degrees of freedom (``scipy.stats.t.ppf``)."""
    return special.stdtrit(df, q)


def t_sf(x, df):
    """Upper tail of Student's t (``scipy.stats.t.sf``)."""
    return special.stdtr(df, -np.asarray(x, dtype=float))


def f_ppf(q, dfn, dfd):
    """Quantile of the F distribution (``scipy.stats.f.ppf``)."""
    return special.fdtri(dfn, dfd, q)


def ttest_1samp_p(x, popmean: float = 0.0) -> float:
    """Two-sided p of the one-sample t-test (``scipy.stats.ttest_1samp(x, popmean).pvalue``)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    t = (x.mean() - popmean) / (x.std(ddof=1) / np.sqrt(n))
    return float(2 * t_sf(abs(t), n - 1))


def welch_ttest_p(a, b) -> float:
    """Two-sided p of Welch's t-test (``scipy.stats.ttest_ind(a, b, equal_var=False).pvalue``)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    t = (a.mean() - b.mean()) / np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    return float(2 * t_sf(abs(t), df))


def normal_probplot(x) -> tuple[tuple[np.ndarray, np.ndarray], tuple[float, float, float]]:
    """Normal Q–Q coordinates and their least-squares line, as ``scipy.stats.probplot(x, dist="norm")`` gives
    them: ``((theoretical quantiles, ordered values), (slope, intercept, r))``, with Filliben's (1975) estimate
    of the order statistics' medians."""
    y = np.sort(np.asarray(x, dtype=float))
    n = len(y)
    v = np.empty(n)
    v[-1] = 0.5 ** (1.0 / n)
    v[0] = 1 - v[-1]
    i = np.arange(2, n)
    v[1:-1] = (i - 0.3175) / (n + 0.365)
    osm = norm_ppf(v)
    slope, intercept = np.polyfit(osm, y, 1)
    r = float(np.corrcoef(osm, y)[0, 1])
    return (osm, y), (float(slope), float(intercept), r)
