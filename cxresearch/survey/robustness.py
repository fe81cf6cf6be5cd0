"""Robustness of the EX→CX effect: other models of the same data, fitted on exact sufficient statistics.

The mixed model (:mod:`cxresearch.survey.models`) treats CSAT as interval-scaled
and the unit intercepts as random. Two models that assume less sit beside it:

* **Cluster-robust OLS** — the same fixed effects, no random intercept, standard
  errors clustered by unit (CR1, as statsmodels' ``cov_type="cluster"``). Every
  regressor is constant within a *cell* (unit × period × moment × segment ×
  channel), so least squares on cell means weighted by cell size gives exactly
  the row-level coefficients, and the cluster sums of score contributions
  ``Σ x_i e_i`` are exactly ``x_c n_c (ȳ_c − x_c b)`` per cell: the fit costs
  the number of cells, not of responses.
* **Ordinal logit** (proportional odds, statsmodels ``OrderedModel``'s
  parametrisation: ``P(y ≤ k) = F(τ_k − x b)``, ``τ`` increasing) — CSAT as
  ordered categories. Its likelihood depends on the data only through the count
  of each answer in each cell, so it is maximised on counts. The EX slope is on
  the log-odds scale; to compare it with the linear models it is also given as
  the *average marginal effect* on expected CSAT (points per EX point) among the
  moment's responses.

Both are checked against statsmodels' row-level fits in the tests (equal to 1e-6).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CELL_KEYS = ("unit_id", "period", "moment", "segment", "channel")


def _design(frame: pd.DataFrame, moments: list[str], controls: list[str]):
    """Columns: one intercept per moment, one EX slope per moment, treatment-coded controls (first level dropped)."""
    cols, names = [], []
    mom = frame["moment"].to_numpy()
    ex = frame["ex_c"].to_numpy(dtype="float64")
    for m in moments:
        cols.append((mom == m).astype("float64"))
        names.append(f"moment[{m}]")
    for m in moments:
        cols.append((mom == m) * ex)
        names.append(f"moment[{m}]:ex_c")
    for c in controls:
        levels = sorted(frame[c].astype(str).unique())
        vals = frame[c].astype(str).to_numpy()
        for lev in levels[1:]:
            cols.append((vals == lev).astype("float64"))
            names.append(f"{c}[{lev}]")
    return np.column_stack(cols), names


def cells(frame: pd.DataFrame, outcome: str, controls: list[str]) -> pd.DataFrame:
    """Cell table: the keys, ``ex_c``, ``n``, ``y_mean``, ``y_ss`` (sum of squares about the cell mean)."""
    keys = [k for k in CELL_KEYS if k in frame and (k in ("unit_id", "period", "moment") or k in controls)]
    g = frame.groupby(keys, observed=True, sort=True)
    out = g.agg(ex_c=("ex_c", "first"), n=(outcome, "size"), y_mean=(outcome, "mean"), y_var=(outcome, "var"))
    out["y_ss"] = out["y_var"].fillna(0.0) * (out["n"] - 1)
    return out.drop(columns="y_var").reset_index()


def cluster_robust_ols(frame: pd.DataFrame, moments: list[str], outcome: str = "csat",
                       controls: tuple[str, ...] = ("segment", "channel", "period"), level: float = 0.95) -> pd.DataFrame:
    """Per-moment EX slopes of OLS with unit-clustered (CR1) standard errors, from cell sufficient statistics.

    Returns ``moment, estimate, se, ci_low, ci_high`` (normal intervals, as the mixed model's).
    """
    from cxresearch.dist import norm_ppf

    used = [c for c in controls if c in frame and frame[c].nunique() > 1]
    present = [m for m in moments if m in set(frame["moment"].unique())]
    cell = cells(frame, outcome, used)
    X, names = _design(cell, present, used)
    # least squares on cell means weighted by cell size; the per-cell score n_c x_c (ȳ_c − x_c'b) is the sum of
    # the rows' x_i e_i, so the CR1 covariance is the row-level one
    b, cov = _wls_cluster(X, cell["y_mean"].to_numpy(dtype="float64"), cell["n"].to_numpy(dtype="float64"),
                          cell["unit_id"].to_numpy())
    z = norm_ppf(0.5 + level / 2)
    rows = []
    for m in present:
        j = names.index(f"moment[{m}]:ex_c")
        se = float(np.sqrt(cov[j, j]))
        rows.append({"moment": m, "estimate": float(b[j]), "se": se, "ci_low": float(b[j] - z * se),
                     "ci_high": float(b[j] + z * se)})
    return pd.DataFrame(rows)


# ---- ordinal logit on counts --------------------------------------------------------------------------------
def _ordinal_parts(theta, X, K):
    p = X.shape[1]
    beta, raw = theta[:p], theta[p:]
    cuts = np.concatenate([[raw[0]], raw[0] + np.cumsum(np.exp(raw[1:]))])
    return beta, cuts, raw


def _ordinal_nll(theta, X, counts):
    """Negative log-likelihood and gradient; ``counts`` is cells × categories."""
    from scipy.special import expit

    n_cat = counts.shape[1]
    beta, cuts, raw = _ordinal_parts(theta, X, n_cat)
    eta = X @ beta
    # F(τ_k − η) for k = 0..K−2, with F(−∞) = 0, F(+∞) = 1
    upper = np.column_stack([expit(cuts[None, :] - eta[:, None]), np.ones(len(eta))])
    lower = np.column_stack([np.zeros(len(eta)), upper[:, :-1]])
    prob = np.clip(upper - lower, 1e-300, None)
    nll = -np.sum(counts * np.log(prob))
    # derivatives: dF/dz = F(1 − F)
    fu = upper * (1 - upper)
    fl = lower * (1 - lower)
    w = counts / prob  # cells × K
    # d log P_k / d eta = −(f_u − f_l)/P_k
    d_eta = -np.sum(w * (-(fu - fl)), axis=1)  # gradient of nll wrt eta … sign below
    g_beta = X.T @ d_eta
    # d nll / d τ_j = −Σ_k w_k (1[k==j] f_u,k − 1[k==j+1] f_l,k)
    g_cut = np.array([-(np.sum(w[:, j] * fu[:, j]) - np.sum(w[:, j + 1] * fl[:, j + 1])) for j in range(n_cat - 1)])
    # chain rule to raw: τ_j = raw_0 + Σ_{i≤j, i≥1} exp(raw_i)
    g_raw = np.zeros(n_cat - 1)
    g_raw[0] = g_cut.sum()
    for i in range(1, n_cat - 1):
        g_raw[i] = np.exp(raw[i]) * g_cut[i:].sum()
    return nll, np.concatenate([g_beta, g_raw])


def _hessian(theta, X, counts, h: float = 1e-5) -> np.ndarray:
    H = np.empty((len(theta), len(theta)))
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = h
        H[:, i] = (_ordinal_nll(theta + e, X, counts)[1] - _ordinal_nll(theta - e, X, counts)[1]) / (2 * h)
    return (H + H.T) / 2


def ordinal_logit(frame: pd.DataFrame, moments: list[str], outcome: str = "csat",
                  controls: tuple[str, ...] = ("segment", "channel", "period"), level: float = 0.95,
                  categories=None) -> tuple[pd.DataFrame, dict]:
    """Proportional-odds logit of ``outcome`` on the same regressors (no intercept columns: the cut points take
    that role, so the moment intercepts enter as differences from the first moment), fitted on answer counts.

    Returns the per-moment table ``moment, logit, se, ci_low, ci_high, ame`` (``ame``: average marginal effect of
    one EX point on expected ``outcome`` among that moment's responses) and a fit summary
    ``{"loglik", "converged", "n_cells", "cuts"}``.
    """
    from cxresearch.dist import norm_ppf
    from scipy.optimize import minimize
    from scipy.special import expit

    used = [c for c in controls if c in frame and frame[c].nunique() > 1]
    present = [m for m in moments if m in set(frame["moment"].unique())]
    y = frame[outcome].astype("float64")
    cats = np.array(sorted(y.dropna().unique()) if categories is None else categories, dtype="float64")
    keys = [k for k in CELL_KEYS if k in frame and (k in ("unit_id", "period", "moment") or k in used)]
    tab = (frame.assign(_y=pd.Categorical(y, categories=cats))
           .groupby([*keys, "_y"], observed=False, sort=True).size().unstack("_y", fill_value=0))
    tab = tab[tab.sum(axis=1) > 0]
    cell = tab.index.to_frame(index=False)
    cell = cell.merge(frame.drop_duplicates(keys)[[*keys, "ex_c"]], on=keys, how="left")
    X, names = _design(cell, present, used)
    X, names = X[:, 1:], names[1:]  # the first moment's intercept is absorbed by the cut points
    counts = tab.to_numpy(dtype="float64")
    n_cat = counts.shape[1]
    share = counts.sum(axis=0).cumsum()[:-1] / counts.sum()
    start_cuts = np.log(share / (1 - share))
    theta0 = np.concatenate([np.zeros(X.shape[1]), [start_cuts[0]], np.log(np.diff(start_cuts).clip(1e-3))])
    res = minimize(_ordinal_nll, theta0, args=(X, counts), jac=True, method="BFGS",
                   options={"gtol": 1e-8, "maxiter": 2000})
    theta = res.x
    # a few Newton steps from the quasi-Newton optimum: the Hessian (numerical, from the analytic gradient) is
    # needed for the standard errors anyway, and the steps take the optimum to machine precision
    for _ in range(3):
        H = _hessian(theta, X, counts)
        step = np.linalg.solve(H, _ordinal_nll(theta, X, counts)[1])
        theta = theta - step
    grad = _ordinal_nll(theta, X, counts)[1]
    H = _hessian(theta, X, counts)
    cov = np.linalg.inv(H)
    beta, cuts, _ = _ordinal_parts(theta, X, n_cat)
    z = norm_ppf(0.5 + level / 2)
    eta = X @ beta
    F = np.column_stack([expit(cuts[None, :] - eta[:, None]), np.ones(len(eta))])
    Fl = np.column_stack([np.zeros(len(eta)), F[:, :-1]])
    # dE[y]/dη = Σ_k c_k (−f_u,k + f_l,k)
    dE = ((-(F * (1 - F)) + Fl * (1 - Fl)) * cats[None, :]).sum(axis=1)
    rows = []
    for m in present:
        j = names.index(f"moment[{m}]:ex_c")
        se = float(np.sqrt(cov[j, j]))
        mask = cell["moment"].to_numpy() == m
        wts = counts[mask].sum(axis=1)
        ame = float(np.sum(wts * dE[mask]) / wts.sum() * beta[j])
        rows.append({"moment": m, "logit": float(beta[j]), "se": se, "ci_low": float(beta[j] - z * se),
                     "ci_high": float(beta[j] + z * se), "ame": ame})
    fit = {"loglik": float(-_ordinal_nll(theta, X, counts)[0]),
           "converged": bool(np.max(np.abs(grad)) < 1e-6 * max(1.0, counts.sum()) and np.all(np.linalg.eigvalsh(H) > 0)),
           "n_cells": int(len(counts)),
           "cuts": [float(c) for c in cuts], "names": names, "params": [float(b) for b in beta]}
    return pd.DataFrame(rows), fit


def compare_models(mixed: pd.DataFrame, ols: pd.DataFrame, ordinal: pd.DataFrame) -> pd.DataFrame:
    """The EX effect per moment by the three models, and whether they agree in sign and rough size.

    ``agree`` is True when all three estimates (the ordinal one as its average marginal effect) have the same
    sign, or all three intervals include zero, and the OLS and ordinal estimates lie within the mixed model's
    interval widened by half its width on each side ("rough size").
    """
    t = mixed[["moment", "estimate", "ci_low", "ci_high"]].rename(
        columns={"estimate": "mixed", "ci_low": "mixed_low", "ci_high": "mixed_high"})
    t = t.merge(ols[["moment", "estimate", "ci_low", "ci_high"]].rename(
        columns={"estimate": "ols_cluster", "ci_low": "ols_low", "ci_high": "ols_high"}), on="moment", how="left")
    t = t.merge(ordinal[["moment", "ame", "logit", "ci_low", "ci_high"]].rename(
        columns={"ame": "ordinal_ame", "logit": "ordinal_logit", "ci_low": "ordinal_logit_low",
                 "ci_high": "ordinal_logit_high"}), on="moment", how="left")
    signs = np.sign(t[["mixed", "ols_cluster", "ordinal_ame"]].to_numpy())
    same_sign = (signs == signs[:, :1]).all(axis=1)
    all_null = ((t["mixed_low"] <= 0) & (t["mixed_high"] >= 0) & (t["ols_low"] <= 0) & (t["ols_high"] >= 0)
                & (t["ordinal_logit_low"] <= 0) & (t["ordinal_logit_high"] >= 0)).to_numpy()
    half = (t["mixed_high"] - t["mixed_low"]) / 2
    lo, hi = t["mixed_low"] - half, t["mixed_high"] + half
    rough = (t["ols_cluster"].between(lo, hi) & t["ordinal_ame"].between(lo, hi)).to_numpy()
    t["agree"] = (same_sign | all_null) & rough
    return t


# ---- direction: lagged models ---------------------------------------------------------------------------------
def _wls_cluster(X: np.ndarray, y: np.ndarray, w: np.ndarray, groups) -> tuple[np.ndarray, np.ndarray]:
    """Weighted least squares with CR1 cluster-robust covariance (weights as frequency weights)."""
    xtwx = X.T @ (X * w[:, None])
    b = np.linalg.solve(xtwx, X.T @ (w * y))
    score = X * (w * (y - X @ b))[:, None]
    codes, uniq = pd.factorize(np.asarray(groups))
    per = np.zeros((len(uniq), X.shape[1]))
    np.add.at(per, codes, score)
    N, K, G = w.sum(), X.shape[1], len(uniq)
    bread = np.linalg.inv(xtwx)
    adj = (G / (G - 1)) * ((N - 1) / (N - K)) if G > 1 and N > K else np.nan
    return b, bread @ (per.T @ per) @ bread * adj


def lagged_effects(customers: pd.DataFrame, unit_table: pd.DataFrame, moments: list[str], outcome: str = "csat",
                   level: float = 0.95) -> pd.DataFrame:
    """Cross-lagged unit-level models over consecutive waves: which way does the link run?

    On unit × moment means for each pair of consecutive periods ``t → t+1``:

    * ``ex_to_cx``: ``CX[u,m,t+1] ~ moment + EX[u,t] + CX[u,m,t]`` — does a unit's EX predict its *later* CSAT
      beyond the CSAT it already had? (weights: responses in ``t+1``)
    * ``cx_to_ex``: ``EX[u,t+1] ~ EX[u,t] + CX[u,t]`` — does CSAT predict later EX beyond the EX the unit already
      had? (one row per unit; ``CX[u,t]`` is the unit's mean over all moments)

    Both in the metric of their outcome per one point of the predictor, with unit-clustered (CR1) intervals.
    Two waves show temporal order, not cause: a stable third factor can drive both. Returns one row per
    direction with ``effect, estimate, se, ci_low, ci_high, n_units, periods``; empty when there are fewer
    than two periods with both surveys.
    """
    from cxresearch.dist import norm_ppf

    z = norm_ppf(0.5 + level / 2)
    ex = unit_table[["unit_id", "wave", "ex_index"]].rename(columns={"wave": "period", "ex_index": "ex"})
    rows = []
    answered = customers.dropna(subset=[outcome])
    # grouped on the rows' own keys (categorical or text), made text on the small unit tables
    cx_um = (answered.groupby(["unit_id", "moment", "period"], observed=True)[outcome].agg(["mean", "size"])
             .reset_index().astype({"unit_id": str, "moment": str, "period": str}))
    cx_u = (answered.groupby(["unit_id", "period"], observed=True)[outcome].mean().rename("cx").reset_index()
            .astype({"unit_id": str, "period": str}))
    ex = ex.astype({"unit_id": str, "period": str})
    periods = sorted(set(ex["period"].unique()) & set(cx_u["period"].unique()))
    a_frames, b_frames = [], []
    for t0, t1 in zip(periods, periods[1:]):
        now = cx_um[cx_um["period"] == t1].rename(columns={"mean": "cx_next", "size": "n"})
        before = cx_um[cx_um["period"] == t0][["unit_id", "moment", "mean"]].rename(columns={"mean": "cx_prev"})
        ex_prev = ex[ex["period"] == t0][["unit_id", "ex"]].rename(columns={"ex": "ex_prev"})
        a_frames.append(now.merge(before, on=["unit_id", "moment"]).merge(ex_prev, on="unit_id").assign(pair=t1))
        b = (ex[ex["period"] == t1][["unit_id", "ex"]].rename(columns={"ex": "ex_next"})
             .merge(ex_prev, on="unit_id")
             .merge(cx_u[cx_u["period"] == t0][["unit_id", "cx"]].rename(columns={"cx": "cx_prev"}), on="unit_id"))
        b_frames.append(b.assign(pair=t1))
    if not a_frames:
        return pd.DataFrame(columns=["effect", "estimate", "se", "ci_low", "ci_high", "n_units", "periods"])
    a = pd.concat(a_frames, ignore_index=True)
    b = pd.concat(b_frames, ignore_index=True)
    label = ", ".join(f"{t0}→{t1}" for t0, t1 in zip(periods, periods[1:]))
    present = [m for m in moments if m in set(a["moment"])]
    pairs = sorted(set(a["pair"]))
    if len(a) and a["unit_id"].nunique() > 2:
        cols = [(a["moment"] == m).astype(float) * (a["pair"] == p).astype(float) for m in present for p in pairs]
        X = np.column_stack([*cols, a["ex_prev"] - a["ex_prev"].mean(), a["cx_prev"]])
        keep = np.abs(X).sum(axis=0) > 0
        X = X[:, keep]
        beta, cov = _wls_cluster(X, a["cx_next"].to_numpy(float), a["n"].to_numpy(float), a["unit_id"])
        j = X.shape[1] - 2
        se = float(np.sqrt(cov[j, j]))
        rows.append({"effect": "ex_to_cx", "estimate": float(beta[j]), "se": se, "ci_low": float(beta[j] - z * se),
                     "ci_high": float(beta[j] + z * se), "n_units": int(a["unit_id"].nunique()), "periods": label})
    if len(b) > 3 and b["unit_id"].nunique() > 2:
        cols = [(b["pair"] == p).astype(float) for p in pairs]
        X = np.column_stack([*cols, b["ex_prev"], b["cx_prev"]])
        beta, cov = _wls_cluster(X, b["ex_next"].to_numpy(float), np.ones(len(b)), b["unit_id"])
        j = X.shape[1] - 1
        se = float(np.sqrt(cov[j, j]))
        rows.append({"effect": "cx_to_ex", "estimate": float(beta[j]), "se": se, "ci_low": float(beta[j] - z * se),
                     "ci_high": float(beta[j] + z * se), "n_units": int(b["unit_id"].nunique()), "periods": label})
    return pd.DataFrame(rows)
