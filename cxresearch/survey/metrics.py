"""Customer metrics with honest intervals: CSAT, top-2-box, NPS, effort, promise gap."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def wilson_interval(successes, n, level: float = 0.95):
    """Wilson score interval for a proportion.

    Notes
    -----
    ``p̂ = x/n``, ``z`` the normal quantile; the interval is
    ``(p̂ + z²/2n ± z·sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`` (Wilson 1927).
    R: ``prop.test(x, n, correct = FALSE)$conf.int``.
    """
    successes = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = successes / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


def nps_interval(promoters, detractors, n, level: float = 0.95):
    """NPS (−100…100) with an adjusted-Wald interval (Sauro & Lewis 2012).

    Notes
    -----
    Add ``z²/4`` to promoters and detractors and ``z²/2`` to ``n`` (¾ and ¼ of a
    case each at 95 %), then ``NPS_adj = p̂ − d̂`` with variance
    ``(p̂ + d̂ − (p̂ − d̂)²) / n_adj``. Returns ``(nps, low, high)`` in points, the
    point estimate unadjusted.
    """
    promoters = np.asarray(promoters, dtype=float)
    detractors = np.asarray(detractors, dtype=float)
    n = np.asarray(n, dtype=float)
    z = stats.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        nps = (promoters - detractors) / n
        n_adj = n + z**2 / 2
        p = (promoters + z**2 / 4) / n_adj
        d = (detractors + z**2 / 4) / n_adj
        centre = p - d
        se = np.sqrt((p + d - (p - d) ** 2) / n_adj)
    return 100 * nps, 100 * np.clip(centre - z * se, -1, 1), 100 * np.clip(centre + z * se, -1, 1)


def _mean_ci(values: pd.Series, level: float = 0.95) -> tuple[float, float, float, int]:
    v = values.dropna().astype("float64")
    n = len(v)
    if n == 0:
        return np.nan, np.nan, np.nan, 0
    m = float(v.mean())
    if n < 2:
        return m, np.nan, np.nan, n
    half = stats.t.ppf(0.5 + level / 2, n - 1) * float(v.std(ddof=1)) / np.sqrt(n)
    return m, m - half, m + half, n


def customer_metrics(customers: pd.DataFrame, by=("moment",), level: float = 0.95) -> pd.DataFrame:
    """Customer metrics per group (default: per moment).

    Returns one row per group with ``n``; ``csat_mean`` with a t-interval
    (``csat_low``, ``csat_high``); ``top2`` (share answering 4–5) with a Wilson
    interval; ``nps`` with an adjusted-Wald interval; ``effort_mean``; and the
    promise–delivery ``gap`` (mean of delivery − expectation, with a t-interval and
    the paired t-test's ``gap_p``) where those columns exist.
    """
    rows = []
    for key, grp in customers.groupby(list(by), observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(by, key))
        csat = grp["csat"].astype("float64")
        row["n"] = int(csat.notna().sum())
        row["csat_mean"], row["csat_low"], row["csat_high"], _ = _mean_ci(csat, level)
        top = int((csat >= 4).sum())
        row["top2"] = top / row["n"] if row["n"] else np.nan
        lo, hi = wilson_interval(top, row["n"], level)
        row["top2_low"], row["top2_high"] = float(lo), float(hi)
        if "nps" in grp:
            nps = grp["nps"].dropna().astype("float64")
            val, lo, hi = nps_interval((nps >= 9).sum(), (nps <= 6).sum(), len(nps), level)
            row.update(nps_n=len(nps), nps=float(val), nps_low=float(lo), nps_high=float(hi))
        if "effort" in grp:
            row["effort_mean"] = float(grp["effort"].astype("float64").mean())
        if {"expectation", "delivery"} <= set(grp.columns):
            gap = (grp["delivery"].astype("float64") - grp["expectation"].astype("float64")).dropna()
            row["gap"], row["gap_low"], row["gap_high"], row["gap_n"] = _mean_ci(gap, level)
            # paired t-test of delivery against expectation; undefined (NaN) without variation in the gap
            testable = len(gap) > 1 and float(gap.std(ddof=1)) > 0
            row["gap_p"] = float(stats.ttest_1samp(gap, 0.0).pvalue) if testable else np.nan
        rows.append(row)
    return pd.DataFrame(rows)
