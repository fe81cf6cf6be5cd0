"""Which drivers matter, and how: relative importance of the EX drivers, and penalty–reward (hygiene vs wow).

**Relative importance** splits the R² of a regression of a moment's CSAT on the
eight driver scales among the drivers, although the drivers correlate:

* *Shapley value* (general dominance): each driver's average gain in R² over all
  orders of entering the predictors — exact, by fitting all ``2^p`` subsets
  (256 for eight drivers, on unit-level data);
* *relative weights* (Johnson 2000): the squared loadings on the orthogonal
  counterparts of the predictors — fast and, as Johnson showed, close to the
  Shapley values.

Both sum to the model's R². The unit of analysis is a unit × wave: its mean CSAT
at the moment (weighted by its responses) against its driver means; bootstrap
intervals resample units.

**Penalty–reward** (asymmetric impact; Brandt 1987, Mittal, Ross & Baldasare
1998): per moment, the overall outcome (NPS answer 0–10) is regressed on two
dummies of that moment's CSAT — low (1–2) and top-box (5) against the middle
(3–4). The *penalty* is the drop when the moment fails, the *reward* the gain
when it shines. Their sum ``asymmetry = reward + penalty`` with its interval
classifies the moment: **hygiene** (hurts when it fails more than it delights:
asymmetry clearly below zero), **wow** (clearly above), **linear** otherwise.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd


def _r2(X: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    if X.shape[1] == 0:
        return 0.0
    Xc = np.column_stack([np.ones(len(y)), X])
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(Xc * sw[:, None], y * sw, rcond=None)
    resid = y - Xc @ beta
    ybar = np.average(y, weights=w)
    return float(1 - np.sum(w * resid**2) / np.sum(w * (y - ybar) ** 2))


def shapley_r2(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """Exact Shapley decomposition of the (weighted) R² among the columns of ``X``."""
    from math import factorial

    n, p = X.shape
    w = np.ones(n) if w is None else np.asarray(w, float)
    r2 = {}
    for k in range(p + 1):
        for subset in combinations(range(p), k):
            r2[subset] = _r2(X[:, list(subset)], y, w)
    out = np.zeros(p)
    for j in range(p):
        others = [i for i in range(p) if i != j]
        for k in range(p):
            weight = factorial(k) * factorial(p - k - 1) / factorial(p)
            for subset in combinations(others, k):
                with_j = tuple(sorted((*subset, j)))
                out[j] += weight * (r2[with_j] - r2[subset])
    return out


def relative_weights(X: np.ndarray, y: np.ndarray, w: np.ndarray | None = None) -> np.ndarray:
    """Johnson's (2000) relative weights of the columns of ``X`` (they sum to the model's R²)."""
    n, p = X.shape
    w = np.ones(n) if w is None else np.asarray(w, float)
    mx = np.average(X, axis=0, weights=w)
    my = np.average(y, weights=w)
    Xc, yc = X - mx, y - my
    cov = (Xc * w[:, None]).T @ Xc / w.sum()
    sd = np.sqrt(np.diag(cov))
    R = cov / np.outer(sd, sd)
    rxy = (Xc * w[:, None]).T @ yc / w.sum() / sd / np.sqrt(np.sum(w * yc**2) / w.sum())
    evals, evecs = np.linalg.eigh(R)
    lam = evecs @ np.diag(np.sqrt(np.clip(evals, 0, None))) @ evecs.T  # R^(1/2): loadings of X on Z
    beta = np.linalg.solve(lam, rxy)  # y on the orthogonal Z
    return (lam**2) @ (beta**2)


def relative_weights_many(X: np.ndarray, y: np.ndarray, W: np.ndarray) -> np.ndarray:
    """:func:`relative_weights` for each row of weights ``W`` (draws × rows), computed together.

    A bootstrap draw that picks a unit *k* times is the same data as its rows weighted *k* times (every statistic
    here is a weighted mean), so a whole bootstrap is one stack of small matrices: one weighted cross-product
    per draw, and the eigendecompositions and solves of all draws in one call each. A draw whose predictors'
    correlation matrix is singular (too few distinct units for the drivers; its relative weights are undefined)
    gives a row of NaN."""
    W = np.asarray(W, float)
    s = W.sum(axis=1)
    mx = W @ X / s[:, None]
    my = W @ y / s
    # weighted second moments about the draw's means: E[x x'] − m m'
    cov = np.einsum("bn,ni,nj->bij", W, X, X, optimize=True) / s[:, None, None] - mx[:, :, None] * mx[:, None, :]
    cxy = (W * y) @ X / s[:, None] - mx * my[:, None]
    vy = (W @ (y * y)) / s - my**2
    sd = np.sqrt(np.einsum("bii->bi", cov))
    R = cov / (sd[:, :, None] * sd[:, None, :])
    rxy = cxy / sd / np.sqrt(vy)[:, None]
    singular = ~np.isfinite(R).all(axis=(1, 2))
    R[singular] = np.eye(X.shape[1])
    evals, evecs = np.linalg.eigh(R)
    singular |= evals[:, 0] <= 1e-10 * evals[:, -1]
    evals[singular] = 1.0
    lam = (evecs * np.sqrt(np.clip(evals, 0, None))[:, None, :]) @ np.swapaxes(evecs, 1, 2)
    beta = np.linalg.solve(lam, rxy[:, :, None])[:, :, 0]
    out = np.einsum("bij,bj->bi", lam**2, beta**2)
    out[singular] = np.nan
    return out


def driver_importance(customers: pd.DataFrame, unit_drivers: pd.DataFrame, drivers: list[str], moments: list[str],
                      outcome: str = "csat", n_boot: int = 200, seed: int = 1, level: float = 0.95,
                      method: str = "relative_weights") -> pd.DataFrame:
    """Importance of each driver for ``outcome`` at each moment, with bootstrap intervals over units.

    ``unit_drivers``: one row per unit × wave with ``unit_id, wave`` and the driver means. Returns
    ``moment, driver, importance, ci_low, ci_high, share, r2, n_units`` (``share`` of the moment's R²).
    """
    fn = relative_weights if method == "relative_weights" else shapley_r2
    cx = (customers.dropna(subset=[outcome])
          .groupby(["unit_id", "period", "moment"], observed=True)[outcome].agg(["mean", "size"]).reset_index()
          .astype({"unit_id": str, "period": str, "moment": str}))  # text keys on the small table, not the rows
    data = cx.merge(unit_drivers.rename(columns={"wave": "period"})[["unit_id", "period", *drivers]],
                    on=["unit_id", "period"], how="inner")
    rng = np.random.default_rng(seed)
    rows = []
    alpha = (1 - level) / 2
    for m in moments:
        d = data[data["moment"] == m].dropna(subset=drivers)
        if len(d) <= len(drivers) + 2:
            continue
        X, y, w = d[drivers].to_numpy(float), d["mean"].to_numpy(float), d["size"].to_numpy(float)
        est = fn(X, y, w)
        uniq, unit_of_row = np.unique(d["unit_id"].to_numpy(), return_inverse=True)
        # each draw picks units with replacement: as many times as a unit is picked, its rows' weight
        picks = [rng.choice(len(uniq), len(uniq), replace=True) for _ in range(n_boot)]
        boot = None
        if method == "relative_weights" and n_boot:
            times = np.stack([np.bincount(pk, minlength=len(uniq)) for pk in picks])
            boot = relative_weights_many(X, y, times[:, unit_of_row] * w)  # a singular draw: NaN, left out
        if boot is None:
            idx_of = [np.flatnonzero(unit_of_row == k) for k in range(len(uniq))]
            draws = []
            for pk in picks:
                pick = np.concatenate([idx_of[k] for k in pk])
                try:
                    draws.append(fn(X[pick], y[pick], w[pick]))
                except np.linalg.LinAlgError:
                    continue
            boot = np.array(draws) if draws else np.full((1, len(drivers)), np.nan)
        total = est.sum()
        for j, drv in enumerate(drivers):
            rows.append({"moment": m, "driver": drv, "importance": float(est[j]),
                         "ci_low": float(np.nanquantile(boot[:, j], alpha)),
                         "ci_high": float(np.nanquantile(boot[:, j], 1 - alpha)),
                         "share": float(est[j] / total) if total > 0 else np.nan, "r2": float(total),
                         "n_units": int(len(uniq))})
    return pd.DataFrame(rows, columns=["moment", "driver", "importance", "ci_low", "ci_high", "share", "r2", "n_units"])


def penalty_reward(customers: pd.DataFrame, moments: list[str], rating: str = "csat", outcome: str = "nps",
                   low=(1, 2), high=(5,), level: float = 0.95) -> pd.DataFrame:
    """Penalty, reward and asymmetry per moment with heteroscedasticity-robust (HC1) intervals, and the class.

    Returns ``moment, n, n_low, n_high, penalty, penalty_low, penalty_high, reward, reward_low, reward_high,
    asymmetry, asymmetry_low, asymmetry_high, class`` (``hygiene``, ``wow``, ``linear``; ``None`` when a band has
    fewer than 10 responses).
    """
    from cxresearch.dist import norm_ppf

    z = norm_ppf(0.5 + level / 2)
    rows = []
    for m in moments:
        d = customers.loc[customers["moment"] == m, [rating, outcome]].dropna()
        if d.empty:
            continue
        r = d[rating].to_numpy(float)
        y = d[outcome].to_numpy(float)
        lo, hi = np.isin(r, low).astype(float), np.isin(r, high).astype(float)
        row = {"moment": m, "n": len(d), "n_low": int(lo.sum()), "n_high": int(hi.sum())}
        if lo.sum() < 10 or hi.sum() < 10 or (len(d) - lo.sum() - hi.sum()) < 10:
            rows.append(row | {"class": None})
            continue
        X = np.column_stack([np.ones(len(y)), lo, hi])
        xtx_inv = np.linalg.inv(X.T @ X)
        b = xtx_inv @ X.T @ y
        e = y - X @ b
        n, k = X.shape
        cov = xtx_inv @ (X.T * e**2) @ X @ xtx_inv * n / (n - k)
        a = np.array([0, 1, 1])
        asym, se_a = float(a @ b), float(np.sqrt(a @ cov @ a))
        se_p, se_r = float(np.sqrt(cov[1, 1])), float(np.sqrt(cov[2, 2]))
        cls = "hygiene" if asym + z * se_a < 0 else "wow" if asym - z * se_a > 0 else "linear"
        rows.append(row | {"penalty": float(b[1]), "penalty_low": float(b[1] - z * se_p),
                           "penalty_high": float(b[1] + z * se_p), "reward": float(b[2]),
                           "reward_low": float(b[2] - z * se_r), "reward_high": float(b[2] + z * se_r),
                           "asymmetry": asym, "asymmetry_low": asym - z * se_a, "asymmetry_high": asym + z * se_a,
                           "class": cls})
    return pd.DataFrame(rows)
