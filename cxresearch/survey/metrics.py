"""Customer metrics with honest intervals: CSAT, top-2-box, NPS, effort, promise gap."""

from __future__ import annotations

import numpy as np
import pandas as pd
from cxresearch.dist import norm_ppf, t_ppf, ttest_1samp_p, welch_ttest_p

from cxresearch.survey.weighting import effective_sample_size


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
    z = norm_ppf(0.5 + level / 2)
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
    z = norm_ppf(0.5 + level / 2)
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
    half = t_ppf(0.5 + level / 2, n - 1) * float(v.std(ddof=1)) / np.sqrt(n)
    return m, m - half, m + half, n


def _weighted_mean_ci(values: np.ndarray, w: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Weighted mean with a t-interval on Kish's effective sample size; returns (mean, low, high, n_eff)."""
    ok = ~np.isnan(values)
    v, w = values[ok], w[ok]
    if not len(v):
        return np.nan, np.nan, np.nan, 0.0
    m = float(np.average(v, weights=w))
    n_eff = effective_sample_size(w)
    if n_eff < 2:
        return m, np.nan, np.nan, n_eff
    var = float(np.average((v - m) ** 2, weights=w)) * n_eff / (n_eff - 1)
    half = t_ppf(0.5 + level / 2, n_eff - 1) * np.sqrt(var / n_eff)
    return m, m - half, m + half, n_eff


def customer_metrics(customers: pd.DataFrame, by=("moment",), level: float = 0.95,
                     weight: str | None = None) -> pd.DataFrame:
    """Customer metrics per group (default: per moment).

    Returns one row per group with ``n``; ``csat_mean`` with a t-interval
    (``csat_low``, ``csat_high``); ``top2`` (share answering 4–5) with a Wilson
    interval; ``nps`` with an adjusted-Wald interval; ``effort_mean``; and the
    promise–delivery ``gap`` (mean of delivery − expectation, with a t-interval and
    the paired t-test's ``gap_p``) where those columns exist.

    ``weight`` names a column of response weights (e.g. from
    :func:`cxresearch.survey.weighting.rake`): CSAT, top-2-box and NPS are then
    weighted, their intervals use Kish's effective sample size, reported as
    ``n_eff`` (the gap stays unweighted: it is a within-response difference).
    """
    rows = []
    for key, grp in customers.groupby(list(by), observed=True, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        row = dict(zip(by, key))
        csat = grp["csat"].astype("float64")
        row["n"] = int(csat.notna().sum())
        if weight:
            w = grp[weight].to_numpy(dtype="float64")
            row["csat_mean"], row["csat_low"], row["csat_high"], row["n_eff"] = _weighted_mean_ci(
                csat.to_numpy(), w, level)
            ok = csat.notna().to_numpy()
            share = float(np.sum(w[ok] * (csat.to_numpy()[ok] >= 4)) / np.sum(w[ok])) if ok.any() else np.nan
            row["top2"] = share
            lo, hi = wilson_interval(share * row["n_eff"], row["n_eff"], level)
        else:
            row["csat_mean"], row["csat_low"], row["csat_high"], _ = _mean_ci(csat, level)
            top = int((csat >= 4).sum())
            row["top2"] = top / row["n"] if row["n"] else np.nan
            lo, hi = wilson_interval(top, row["n"], level)
        row["top2_low"], row["top2_high"] = float(lo), float(hi)
        if "nps" in grp:
            nps = grp["nps"].astype("float64")
            okn = nps.notna().to_numpy()
            if weight:
                wn = grp[weight].to_numpy(dtype="float64")[okn]
                v = nps.to_numpy()[okn]
                n_eff = effective_sample_size(wn)
                pr = float(np.sum(wn * (v >= 9)) / wn.sum()) if len(wn) else np.nan
                de = float(np.sum(wn * (v <= 6)) / wn.sum()) if len(wn) else np.nan
                val, lo, hi = nps_interval(pr * n_eff, de * n_eff, n_eff, level)
            else:
                v = nps.to_numpy()[okn]
                val, lo, hi = nps_interval((v >= 9).sum(), (v <= 6).sum(), len(v), level)
            row.update(nps_n=int(okn.sum()), nps=float(val), nps_low=float(lo), nps_high=float(hi))
        if "effort" in grp:
            row["effort_mean"] = float(grp["effort"].astype("float64").mean())
        if {"expectation", "delivery"} <= set(grp.columns):
            gap = (grp["delivery"].astype("float64") - grp["expectation"].astype("float64")).dropna()
            row["gap"], row["gap_low"], row["gap_high"], row["gap_n"] = _mean_ci(gap, level)
            # paired t-test of delivery against expectation; undefined (NaN) without variation in the gap
            testable = len(gap) > 1 and float(gap.std(ddof=1)) > 0
            row["gap_p"] = ttest_1samp_p(gap, 0.0) if testable else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def period_change(customers: pd.DataFrame, by: str = "moment", period: str = "period", level: float = 0.95) -> pd.DataFrame:
    """Change between consecutive periods per ``by`` group, each with an interval and a test.

    CSAT: difference of means with a Welch interval and Welch's t-test (``csat_p``). Top-2-box: difference of
    shares with a Newcombe (1998, method 10) hybrid Wilson interval. NPS: difference with a normal interval whose
    variance is the sum of the two periods' NPS variances ``(p + d − (p − d)²) / n`` (in points, ×100²).
    Returns ``<by>, from, to, n_from, n_to, csat_change, csat_low, csat_high, csat_p, top2_change, top2_low,
    top2_high`` and ``nps_change, nps_low, nps_high`` where NPS exists.
    """
    z = norm_ppf(0.5 + level / 2)
    rows = []
    periods = sorted({str(p) for p in customers[period].dropna().unique()})
    for key, grp in customers.groupby(by, observed=True, sort=True):
        per = {str(p): g for p, g in grp.groupby(period, observed=True)}
        for a, b in zip(periods, periods[1:]):
            if a not in per or b not in per:
                continue
            x, y = per[a]["csat"].dropna().astype(float), per[b]["csat"].dropna().astype(float)
            if len(x) < 2 or len(y) < 2:
                continue
            row = {by: key, "from": a, "to": b, "n_from": len(x), "n_to": len(y)}
            va, vb = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
            diff = float(y.mean() - x.mean())
            se = float(np.sqrt(va + vb))
            dof = (va + vb) ** 2 / (va**2 / (len(x) - 1) + vb**2 / (len(y) - 1)) if se > 0 else np.nan
            half = float(t_ppf(0.5 + level / 2, dof) * se) if se > 0 else np.nan
            row.update(csat_change=diff, csat_low=diff - half, csat_high=diff + half,
                       csat_p=welch_ttest_p(y, x) if se > 0 else np.nan)
            p1, p2 = float((x >= 4).mean()), float((y >= 4).mean())
            l1, u1 = wilson_interval(int((x >= 4).sum()), len(x), level)
            l2, u2 = wilson_interval(int((y >= 4).sum()), len(y), level)
            d = p2 - p1
            row.update(top2_change=d, top2_low=d - float(np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)),
                       top2_high=d + float(np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)))
            if "nps" in grp:
                na, nb = per[a]["nps"].dropna(), per[b]["nps"].dropna()
                if len(na) and len(nb):
                    def _nps(v):
                        pr, de = float((v >= 9).mean()), float((v <= 6).mean())
                        return 100 * (pr - de), 100**2 * (pr + de - (pr - de) ** 2) / len(v)
                    (ma, sa), (mb, sb) = _nps(na), _nps(nb)
                    h = z * float(np.sqrt(sa + sb))
                    row.update(nps_change=mb - ma, nps_low=mb - ma - h, nps_high=mb - ma + h)
            rows.append(row)
    return pd.DataFrame(rows)
