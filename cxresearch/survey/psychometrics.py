"""Scale and aggregation checks for the employee survey: is a driver scale reliable, and may it be averaged per unit?

* **Cronbach's alpha** per scale, with the Feldt (1965) interval from the F distribution.
* **McDonald's omega** (total) per scale from a one-factor model fitted by maximum
  likelihood on the item correlations (Jöreskog's iteration, vectorised over bootstrap
  resamples; equal to statsmodels ``Factor``), with a percentile bootstrap interval over
  respondents.
* **Corrected item–total correlations**: each item against the mean of the others.
* **ICC(1)** and **ICC(2)** from a one-way ANOVA of respondents in units
  (Bliese 2000): ICC(1) — the share of variance that lies between units;
  ICC(2) — the reliability of a unit mean, ``k·ICC(1) / (1 + (k − 1)·ICC(1))`` with
  ``k`` the (adjusted) mean group size. A unit mean with ICC(2) below about 0.7
  is a noisy measure of the unit.
* **r_wg(j)** per unit (James, Demaree & Wolf 1984): within-unit agreement on a
  J-item scale against a uniform null distribution of an A-point scale,
  ``σ²_EU = (A² − 1)/12``; values above 0.7 are the usual bar for aggregating.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def cronbach_alpha(items: pd.DataFrame, level: float = 0.95) -> tuple[float, float, float]:
    """``(alpha, low, high)`` of the item columns (rows with a missing item are dropped).

    Interval: Feldt (1965), ``1 − (1 − α)·F`` with F quantiles on ``n − 1`` and
    ``(n − 1)(k − 1)`` degrees of freedom.
    """
    from cxresearch.dist import f_ppf

    data = items.dropna().to_numpy(dtype=float)
    n, k = data.shape
    if k < 2 or n < 3:
        return float("nan"), float("nan"), float("nan")
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan"), float("nan"), float("nan")
    alpha = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total_var)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    g = 1 - level
    low = 1 - (1 - alpha) * f_ppf(1 - g / 2, df1, df2)
    high = 1 - (1 - alpha) * f_ppf(g / 2, df1, df2)
    return float(alpha), float(low), float(high)


def _corr_stack(data: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Correlation matrices of ``data`` with rows weighted by each row of ``counts`` (B × n).

    A bootstrap resample's sample correlation is the correlation weighted by how often each row was drawn, so
    all B resamples cost one matrix product instead of B copies of the data."""
    n, k = data.shape
    outer = (data[:, :, None] * data[:, None, :]).reshape(n, k * k)
    total = counts.sum(axis=1, keepdims=True)
    mean = counts @ data / total
    cov = (counts @ outer).reshape(-1, k, k) / total[:, :, None] - mean[:, :, None] * mean[:, None, :]
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        return cov / sd[:, :, None] / sd[:, None, :]


def _one_factor_ml(corr: np.ndarray, tol: float = 1e-10, max_iter: int = 2000) -> np.ndarray:
    """Loadings of one-factor maximum-likelihood fits to a stack of correlation matrices (B × k × k).

    Jöreskog's (1967) conditional solution, iterated: for given uniquenesses Ψ the ML loading is
    ``Ψ^½ v √(θ − 1)`` with ``(θ, v)`` the largest eigenpair of ``Ψ^-½ R Ψ^-½``, and at the ML optimum
    ``Ψ = diag(R − λλ')`` (Lawley & Maxwell 1971, ch. 2). Uniquenesses are kept at or above 0.005 (a Heywood
    case is reported at that bound, as statsmodels' ``Factor`` does). Tested equal to statsmodels' ML fit."""
    psi = np.clip(1 / np.diagonal(np.linalg.inv(corr), axis1=1, axis2=2), 0.005, 1)  # 1 − SMC
    for _ in range(max_iter):
        root = np.sqrt(psi)
        w, v = np.linalg.eigh(corr / root[:, :, None] / root[:, None, :])
        lam = root * v[:, :, -1] * np.sqrt(np.clip(w[:, -1] - 1, 0, None))[:, None]
        new = np.clip(1 - lam**2, 0.005, 1)
        done = np.abs(new - psi).max() < tol
        psi = new
        if done:
            break
    return np.abs(lam)


def _omega_of_corr(corr: np.ndarray) -> np.ndarray:
    """Omega total of one-factor fits to a stack of correlation matrices (nan where a matrix is not finite).

    Three items are just identified: the ML loadings are ``λ_i = sqrt(r_ij·r_ik / r_jk)`` (nan unless all three
    correlations are positive); four or more are fitted by ``_one_factor_ml``."""
    out = np.full(corr.shape[0], np.nan)
    ok = np.isfinite(corr).all(axis=(1, 2))
    if not ok.any():
        return out
    r = corr[ok]
    if r.shape[1] == 3:
        r12, r13, r23 = r[:, 0, 1], r[:, 0, 2], r[:, 1, 2]
        with np.errstate(invalid="ignore", divide="ignore"):
            lam = np.sqrt(np.stack([r12 * r13 / r23, r12 * r23 / r13, r13 * r23 / r12], axis=1))
        lam = np.where((np.minimum(np.minimum(r12, r13), r23) > 0)[:, None], np.minimum(lam, 1.0), np.nan)
    else:
        lam = _one_factor_ml(r)
    common = lam.sum(axis=1) ** 2
    out[ok] = common / (common + np.clip(1 - lam**2, 0, None).sum(axis=1))
    return out


def _omega(data: np.ndarray) -> float:
    """Omega total of the item columns of ``data`` (rows are respondents)."""
    return float(_omega_of_corr(np.corrcoef(data, rowvar=False)[None])[0])


def _omega_ml(data: np.ndarray) -> float:
    """Omega total from statsmodels' one-factor maximum-likelihood fit: the reference ``_one_factor_ml`` is
    tested against."""
    import warnings

    from statsmodels.multivariate.factor import Factor

    corr = np.corrcoef(data, rowvar=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = Factor(corr=corr, n_factor=1, method="ml", nobs=data.shape[0]).fit()
    loadings = np.abs(np.asarray(fit.loadings)[:, 0])
    uniq = np.clip(1 - loadings**2, 0, None)
    common = loadings.sum() ** 2
    return float(common / (common + uniq.sum()))


def mcdonald_omega(items: pd.DataFrame, n_boot: int = 200, seed: int = 1,
                   level: float = 0.95) -> tuple[float, float, float]:
    """``(omega, low, high)``: omega total of a one-factor ML model on the item correlations, percentile
    bootstrap interval over respondents (all resamples fitted at once)."""
    data = items.dropna().to_numpy(dtype=float)
    n, k = data.shape
    if k < 3 or n < 10:  # one factor on two items is not identified
        return float("nan"), float("nan"), float("nan")
    omega = _omega(data)
    rng = np.random.default_rng(seed)
    counts = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(n_boot)]).astype(float)
    draws = _omega_of_corr(_corr_stack(data, counts))
    draws = draws[np.isfinite(draws)]
    if not len(draws):
        return omega, float("nan"), float("nan")
    lo, hi = np.quantile(draws, [(1 - level) / 2, 1 - (1 - level) / 2])
    return omega, float(lo), float(hi)


def item_total(items: pd.DataFrame) -> pd.Series:
    """Corrected item–total correlation of each item (against the mean of the other items)."""
    data = items.dropna()
    out = {}
    for col in data.columns:
        rest = data.drop(columns=col).mean(axis=1)
        out[col] = float(np.corrcoef(data[col], rest)[0, 1]) if data[col].std() > 0 and rest.std() > 0 else np.nan
    return pd.Series(out, name="item_total_r")


def icc(values: pd.Series, groups: pd.Series) -> dict[str, float]:
    """ICC(1) and ICC(2) of ``values`` nested in ``groups`` (one-way ANOVA; unequal group sizes allowed).

    Returns ``{"icc1", "icc2", "k", "msb", "msw", "n_groups"}`` where ``k`` is the
    adjusted mean group size ``(N − Σ n_j² / N) / (J − 1)``.
    """
    frame = pd.DataFrame({"v": values.to_numpy(dtype=float), "g": groups.to_numpy()}).dropna()
    stats_ = frame.groupby("g")["v"].agg(["count", "mean", "var"])
    stats_ = stats_[stats_["count"] >= 1]
    n_total, j = stats_["count"].sum(), len(stats_)
    if j < 2 or n_total - j < 1:
        return {"icc1": float("nan"), "icc2": float("nan"), "k": float("nan"), "msb": float("nan"),
                "msw": float("nan"), "n_groups": int(j)}
    grand = frame["v"].mean()
    ssb = float((stats_["count"] * (stats_["mean"] - grand) ** 2).sum())
    ssw = float(((stats_["count"] - 1) * stats_["var"].fillna(0)).sum())
    msb, msw = ssb / (j - 1), ssw / (n_total - j)
    k = (n_total - (stats_["count"] ** 2).sum() / n_total) / (j - 1)
    icc1 = (msb - msw) / (msb + (k - 1) * msw) if msb + (k - 1) * msw > 0 else float("nan")
    icc2 = (msb - msw) / msb if msb > 0 else float("nan")
    return {"icc1": float(icc1), "icc2": float(icc2), "k": float(k), "msb": msb, "msw": msw, "n_groups": int(j)}


def rwg_j(items: pd.DataFrame, scale_points: int = 5) -> float:
    """r_wg(j) of one group's answers to a J-item scale (James, Demaree & Wolf 1984), uniform null.

    ``s̄²`` is the mean of the item variances within the group; with
    ``σ²_EU = (A² − 1)/12``, r_wg(j) = J(1 − s̄²/σ²_EU) / (J(1 − s̄²/σ²_EU) + s̄²/σ²_EU).
    When the observed variance exceeds the null variance, r_wg(j) is set to 0
    (more disagreement than chance: no agreement), as LeBreton & Senter (2008) advise.
    """
    data = items.dropna(how="all")
    if len(data) < 2:
        return float("nan")
    j = data.shape[1]
    s2 = float(data.var(axis=0, ddof=1).mean())
    sigma2 = (scale_points**2 - 1) / 12
    ratio = s2 / sigma2
    if ratio >= 1:
        return 0.0
    return float(j * (1 - ratio) / (j * (1 - ratio) + ratio))


def _rwg_by_group(items: pd.DataFrame, group: pd.Series, scale_points: int = 5) -> list[float]:
    """:func:`rwg_j` of every group at once (one grouped variance instead of a mask per group)."""
    answered = items.notna().any(axis=1)
    items, group = items[answered], group[answered]
    if items.empty:
        return []
    n = group.value_counts()
    s2 = items.groupby(group, observed=True).var(ddof=1).mean(axis=1)
    s2 = s2[n.reindex(s2.index) >= 2]
    j = items.shape[1]
    ratio = s2.to_numpy() / ((scale_points**2 - 1) / 12)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(ratio >= 1, 0.0, j * (1 - ratio) / (j * (1 - ratio) + ratio))
    return [float(x) for x in r if np.isfinite(x)]


def scale_checks(employees: pd.DataFrame, scores: pd.DataFrame, drivers, items_of, min_group_size: int = 5,
                 scale_points: int = 5, n_boot: int = 100) -> pd.DataFrame:
    """One row per driver scale (and the EX index): reliability and the case for unit means.

    Columns: ``scale, n_items, n_respondents, alpha, alpha_low, alpha_high, omega, omega_low, omega_high,
    min_item_total_r, icc1, icc2, rwg_median, rwg_share_ok`` (share of unit × waves with r_wg(j) ≥ 0.7).
    Unit × waves smaller than ``min_group_size`` do not enter r_wg (no figure for small groups).
    ``items_of(driver, columns)`` lists a driver's item columns. The EX index row uses the driver scores as
    its items.
    """
    group = employees["unit_id"].astype(str) + "|" + employees["wave"].astype(str)
    sizes = group.map(group.value_counts())
    rows = []
    for scale in [*drivers, "ex_index"]:
        cols = list(drivers) if scale == "ex_index" else items_of(scale, employees.columns)
        source = scores if scale == "ex_index" else employees
        items = source[cols].astype("float64")
        alpha = cronbach_alpha(items)
        omega = mcdonald_omega(items, n_boot=n_boot) if len(cols) >= 3 else (np.nan, np.nan, np.nan)
        it = item_total(items) if len(cols) >= 2 else pd.Series(dtype=float)
        value = scores["ex_index"] if scale == "ex_index" else scores[scale]
        agg = icc(value, group)
        big = sizes >= min_group_size
        rwg = _rwg_by_group(items[big], group[big], scale_points)
        rows.append({"scale": scale, "n_items": len(cols), "n_respondents": int(items.dropna().shape[0]),
                     "alpha": alpha[0], "alpha_low": alpha[1], "alpha_high": alpha[2],
                     "omega": omega[0], "omega_low": omega[1], "omega_high": omega[2],
                     "min_item_total_r": float(it.min()) if len(it) else np.nan,
                     "icc1": agg["icc1"], "icc2": agg["icc2"],
                     "rwg_median": float(np.median(rwg)) if rwg else np.nan,
                     "rwg_share_ok": float(np.mean(np.array(rwg) >= 0.7)) if rwg else np.nan})
    return pd.DataFrame(rows)
