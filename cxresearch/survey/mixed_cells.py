"""The random-intercept linear mixed model fitted by REML on cell sufficient statistics.

Model: ``y_i = x_i'b + u_j + e_i`` with ``u_j ~ N(0, τ²)`` per unit and ``e_i ~ N(0, σ²)``. When every regressor
is constant within a *cell* (a group of responses of one unit sharing all regressors), the restricted likelihood
depends on the data only through, per cell, its size ``n_c``, mean ``ȳ_c`` and sum of squares about the mean
``SS_c``. With ``γ_j = τ² / (σ² + n_j τ²)`` for unit ``j`` with ``n_j`` responses:

* ``r'V⁻¹r = (Σ_c [SS_c + n_c (ȳ_c − x_c'b)²] − Σ_j γ_j (Σ_{c∈j} n_c (ȳ_c − x_c'b))²) / σ²``
* ``log|V| = Σ_j [(n_j − 1) log σ² + log(σ² + n_j τ²)]``
* ``X'V⁻¹X = (Σ_c n_c x_c x_c' − Σ_j γ_j s_j s_j') / σ²`` with ``s_j = Σ_{c∈j} n_c x_c``

and the REML criterion adds ``log|X'V⁻¹X|``. ``b`` is profiled out by generalised least squares; the two
variances are found on the log scale by L-BFGS-B, so the unit variance cannot go negative, and the boundary
(``τ² → 0``) is reported rather than hidden. The cost is the number of cells, not of responses: statsmodels'
MixedLM on the rows gives the same estimates (checked in the tests), in seconds per million rows instead of
milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class CellREMLFit:
    params: np.ndarray
    cov_params: np.ndarray
    group_var: float
    scale: float
    reml_loglik: float
    converged: bool
    unit_effects: np.ndarray  # BLUPs, in the order of ``units``
    units: np.ndarray


def fit_random_intercept(X: np.ndarray, n: np.ndarray, ybar: np.ndarray, ss: np.ndarray, unit) -> CellREMLFit:
    """REML fit from cells: design rows ``X`` (cells × p), sizes ``n``, means ``ybar``, within sums of squares
    ``ss`` and the unit of each cell."""
    from scipy.optimize import minimize

    codes, units = _factorize(unit)
    G = len(units)
    N = n.sum()
    p = X.shape[1]
    nj = np.bincount(codes, weights=n, minlength=G)
    xtx = X.T @ (X * n[:, None])
    xty = X.T @ (n * ybar)
    S = np.zeros((G, p))
    np.add.at(S, codes, X * n[:, None])  # s_j
    ty = np.bincount(codes, weights=n * ybar, minlength=G)  # Σ_{c∈j} n_c ȳ_c
    within_ss = float(ss.sum())
    sum_y2 = within_ss + float(np.sum(n * ybar**2))

    def parts(log_s2, log_t2):
        s2, t2 = np.exp(log_s2), np.exp(log_t2)
        g = t2 / (s2 + nj * t2)
        A = (xtx - (S * g[:, None]).T @ S) / s2
        bvec = (xty - (S * g[:, None]).T @ ty) / s2
        beta = np.linalg.solve(A, bvec)
        # r'V⁻¹r with r = y − Xb: Σ r² − Σ_j γ_j (Σ_{i∈j} r_i)²
        fitted_sum = S @ beta  # Σ_{i∈j} x_i'b
        r_sum = ty - fitted_sum
        sum_r2 = sum_y2 - 2 * beta @ xty + beta @ xtx @ beta
        quad = (sum_r2 - np.sum(g * r_sum**2)) / s2
        logdet_v = np.sum((nj - 1) * np.log(s2) + np.log(s2 + nj * t2))
        sign, logdet_a = np.linalg.slogdet(A)
        crit = 0.5 * (logdet_v + logdet_a + quad + (N - p) * np.log(2 * np.pi))
        return crit, beta, A, g, r_sum

    def objective(theta):
        return parts(theta[0], theta[1])[0]

    s2_0 = max(within_ss / max(N - len(n), 1), 1e-6)
    starts = [np.log([s2_0, 0.1 * s2_0]), np.log([s2_0, 0.01 * s2_0]), np.log([s2_0, s2_0])]
    best = None
    for x0 in starts:
        res = minimize(objective, x0, method="L-BFGS-B", bounds=[(-30, 10), (-40, 10)],
                       options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 1000})
        if best is None or res.fun < best.fun:
            best = res
    crit, beta, A, g, r_sum = parts(*best.x)
    s2, t2 = float(np.exp(best.x[0])), float(np.exp(best.x[1]))
    cov = np.linalg.inv(A)
    blups = g * r_sum
    on_boundary = t2 < 1e-6 * s2
    return CellREMLFit(params=beta, cov_params=cov, group_var=0.0 if on_boundary else t2, scale=s2,
                       reml_loglik=-float(crit), converged=is_minimum(objective, best.x) and not on_boundary,
                       unit_effects=blups, units=units)


def is_minimum(f, x: np.ndarray, tol: float = 1e-6, h: float = 1e-4) -> bool:
    """Whether ``x`` is a minimum of the smooth criterion ``f``: its Hessian (central differences, step ``h``)
    is positive definite and the Newton decrement ``g'H⁻¹g`` (twice what a Newton step would still gain) is at
    most ``tol``, in the criterion's units (here −log-likelihood).

    This, not the optimiser's flag, is the test: at ``ftol`` 1e-15, L-BFGS-B may end a start that reached the
    optimum on a line search it cannot complete at machine precision (``ABNORMAL``) while that start holds the
    lowest criterion of all (seen on the bundled example and on 2 of 20 example-size synthetic studies, where the
    other starts, flagged successful, agreed with it to 1e-9)."""
    x = np.asarray(x, dtype=float)
    k = len(x)
    E = np.eye(k) * h
    f0 = f(x)
    grad, H = np.zeros(k), np.zeros((k, k))
    for i in range(k):
        fp, fm = f(x + E[i]), f(x - E[i])
        grad[i] = (fp - fm) / (2 * h)
        H[i, i] = (fp - 2 * f0 + fm) / h**2
        for j in range(i):
            H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                 + f(x - E[i] - E[j])) / (4 * h**2)
    if not (np.all(np.isfinite(grad)) and np.all(np.isfinite(H))):
        return False
    try:
        L = np.linalg.cholesky(H)
    except np.linalg.LinAlgError:
        return False  # not positive definite: a saddle, a ridge or a flat direction, not a minimum
    z = np.linalg.solve(L, grad)
    return bool(z @ z <= tol)


def _factorize(values):
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values), sort=True)
    return codes, np.asarray(uniques)
