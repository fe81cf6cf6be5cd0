"""The EX→CX model: customers nested in units, the unit's EX index × moment.

The estimand, in the same metric as ``truth.json`` of ``cxresearch synth``:
**CSAT points (1–5) per one point of the unit's EX index (1–5) in the same
period, at each moment**, holding the unit's own level (random intercept),
segment, channel and period fixed.

Model statement (linear mixed model, REML)::

    csat ~ 0 + C(moment) + C(moment):ex_c + C(segment) + C(channel) + C(period)
           + (1 | unit_id)

``ex_c`` is the unit × wave mean EX index from the employee survey, centred on
the mean over unit × waves. The per-moment coefficient of ``C(moment)[m]:ex_c``
is the effect at moment ``m``. Unit EX is itself a mean of a sample of
employees, so its measurement error attenuates the effect towards zero by about
the reliability of the unit mean (ICC(2)); :func:`disattenuate` corrects it.

The model is fitted by REML on cell sufficient statistics
(:mod:`cxresearch.survey.mixed_cells`): its restricted likelihood is the one
statsmodels' MixedLM maximises on the rows (equal to the last digit in the
tests), at the cost of the number of cells instead of responses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass
class ExModelResult:
    """A fitted EX→CX model: the per-moment effects and what is needed to report them."""

    formula: str
    effects: pd.DataFrame
    n_responses: int
    n_units: int
    ex_centre: float
    converged: bool
    group_var: float
    residual_var: float
    loglik: float
    notes: list[str] = field(default_factory=list)
    #: ``unit_effects``: the predicted unit intercepts (BLUPs); ``residuals``: mean and SD of the residuals in
    #: 20 bins of the fitted values (``fitted, mean, sd, n``) — for the assumption checks, from aggregates
    diagnostics: dict = field(default_factory=dict)
    #: The model frame (responses joined to their unit's EX, ``ex_c`` centred) the fit used, for other models of
    #: the same data (:mod:`cxresearch.survey.robustness`)
    frame: pd.DataFrame | None = field(default=None, repr=False)

    def to_metrics(self) -> dict:
        """``{"ex_effect": {moment: {estimate, ci_low, ci_high}}, "n_responses", "n_units"}``."""
        return {
            "ex_effect": {
                r.moment: {
                    "estimate": round(float(r.estimate), 6),
                    "ci_low": round(float(r.ci_low), 6),
                    "ci_high": round(float(r.ci_high), 6),
                }
                for r in self.effects.itertuples()
            },
            "n_responses": int(self.n_responses),
            "n_units": int(self.n_units),
        }


def model_frame(customers: pd.DataFrame, unit_table: pd.DataFrame, outcome: str = "csat") -> tuple[pd.DataFrame, float]:
    """Join each customer response to its unit's EX index in the same period.

    Adds ``ex`` and ``ex_c`` (centred on the mean over unit × waves, which is
    returned too). Responses whose unit has no employee data for that period are
    dropped.
    """
    ex = unit_table[["unit_id", "wave", "ex_index"]].rename(columns={"wave": "period", "ex_index": "ex"})
    centre = float(ex["ex"].mean())
    ex = ex.dropna(subset=["unit_id", "period"])
    for key in ("unit_id", "period"):  # categorical keys (store.read_parquet) join as integers, not strings
        if isinstance(customers[key].dtype, pd.CategoricalDtype):
            ex[key] = pd.Categorical(ex[key].astype(str), categories=customers[key].cat.categories)
    frame = customers.merge(ex.dropna(subset=["unit_id", "period"]), on=["unit_id", "period"], how="inner")
    frame = frame.dropna(subset=[outcome, "ex"]).copy()
    frame[outcome] = frame[outcome].astype("float64")
    frame["ex_c"] = frame["ex"] - centre
    return frame, centre


def fit_ex_model(
    customers: pd.DataFrame,
    unit_table: pd.DataFrame,
    moments: list[str],
    outcome: str = "csat",
    controls: tuple[str, ...] = ("segment", "channel", "period"),
    level: float = 0.95,
) -> ExModelResult:
    """Fit the multilevel EX→CX model and return per-moment EX effects.

    Parameters
    ----------
    customers : DataFrame
        Customer responses with ``unit_id, moment, period`` and ``outcome``.
    unit_table : DataFrame
        Unit × wave EX means from :func:`cxresearch.survey.unit_ex`.
    moments : list of str
        Journey moment ids in order; the effects table follows it.
    controls : tuple of str
        Categorical controls used when present with more than one level.

    Returns
    -------
    ExModelResult
        ``effects`` has ``moment, estimate, se, ci_low, ci_high, p, n`` (one row
        per moment in journey order).
    """
    from cxresearch.dist import norm_ppf, norm_sf

    from cxresearch.survey.mixed_cells import fit_random_intercept
    from cxresearch.survey.robustness import _design, cells

    frame, centre = model_frame(customers, unit_table, outcome)
    present = [m for m in moments if m in set(frame["moment"].unique())]
    used = [c for c in controls if c in frame and frame[c].nunique() > 1]
    terms = ["0", "C(moment)", "C(moment):ex_c", *[f"C({c})" for c in used]]
    formula = f"{outcome} ~ " + " + ".join(terms)
    # REML on cell sufficient statistics: the same restricted likelihood as statsmodels' MixedLM on the rows
    # (tested), at the cost of the number of cells; convergence is checked, not taken on the optimiser's word
    cell = cells(frame, outcome, used)
    X, names = _design(cell, present, used)
    n_c, ybar, ss = cell["n"].to_numpy(float), cell["y_mean"].to_numpy(float), cell["y_ss"].to_numpy(float)
    fit = fit_random_intercept(X, n_c, ybar, ss, cell["unit_id"].to_numpy())
    ok = fit.converged and bool(np.all(np.isfinite(np.diag(fit.cov_params))))
    fe = pd.Series({f"C(moment)[{m}]:ex_c": fit.params[names.index(f"moment[{m}]:ex_c")] for m in present})
    bse = pd.Series({f"C(moment)[{m}]:ex_c": float(np.sqrt(fit.cov_params[j, j]))
                     for m in present for j in [names.index(f"moment[{m}]:ex_c")]})
    method = "reml-cells"
    z = norm_ppf(0.5 + level / 2)
    rows = []
    if not ok:
        # no sound mixed fit: at a zero unit variance the model *is* OLS, so report OLS with unit-clustered errors
        from cxresearch.survey.robustness import cluster_robust_ols

        ols = cluster_robust_ols(frame, present, outcome=outcome, controls=tuple(used), level=level)
        fe = pd.Series({f"C(moment)[{r.moment}]:ex_c": r.estimate for r in ols.itertuples()})
        bse = pd.Series({f"C(moment)[{r.moment}]:ex_c": r.se for r in ols.itertuples()})
    for m in present:
        name = f"C(moment)[{m}]:ex_c"
        est, se = float(fe[name]), float(bse[name])
        rows.append(
            {
                "moment": m,
                "estimate": est,
                "se": se,
                "ci_low": est - z * se,
                "ci_high": est + z * se,
                "p": float(2 * norm_sf(abs(est / se))),
                "n": int((frame["moment"] == m).sum()),
            }
        )
    notes = []
    if not ok:
        notes.append("no optimiser gave a sound mixed-model fit (convergence, finite standard errors, unit variance "
                      "above zero): the effects shown are OLS with unit-clustered standard errors, which is what the "
                      "model reduces to when the unit variance is zero")
    diagnostics = {}
    if np.all(np.isfinite(fit.params)):
        # residuals per cell (fitted = fixed part + the unit's predicted intercept), binned by fitted value
        unit_idx = np.searchsorted(fit.units, cell["unit_id"].to_numpy())
        fitted = X @ fit.params + fit.unit_effects[unit_idx]
        order_ = np.argsort(fitted, kind="stable")
        cum = np.cumsum(n_c[order_])
        bin_of = np.empty(len(fitted), dtype=int)
        bin_of[order_] = np.minimum((20 * (cum - n_c[order_]) / cum[-1]).astype(int), 19)
        r_mean = ybar - fitted
        binned = (pd.DataFrame({"bin": bin_of, "n": n_c, "wf": n_c * fitted, "wr": n_c * r_mean,
                                "wr2": ss + n_c * r_mean**2})
                  .groupby("bin").sum().reset_index(drop=True))
        binned["fitted"] = binned["wf"] / binned["n"]
        binned["mean"] = binned["wr"] / binned["n"]
        binned["sd"] = np.sqrt(np.clip(binned["wr2"] / binned["n"] - binned["mean"] ** 2, 0, None))
        diagnostics = {"unit_effects": fit.unit_effects, "residuals": binned[["fitted", "mean", "sd", "n"]]}
    return ExModelResult(
        diagnostics=diagnostics,
        frame=frame,
        formula=formula + " + (1 | unit_id)",
        effects=pd.DataFrame(rows),
        n_responses=len(frame),
        n_units=int(frame["unit_id"].nunique()),
        ex_centre=centre,
        converged=bool(ok),
        group_var=float(fit.group_var),
        residual_var=float(fit.scale),
        loglik=float(fit.reml_loglik),
        notes=notes,
    )


def effect_sentence(row, label: str, language: str = "en") -> str:
    """One plain-language sentence for a per-moment EX effect (numbers with their interval)."""
    est, lo, hi = row["estimate"], row["ci_low"], row["ci_high"]
    clear = lo > 0 or hi < 0
    if language == "fi":
        if clear:
            direction = "korkeampi" if est > 0 else "matalampi"
            return (f"{label}: kun yksikön työntekijäkokemus on yhden pisteen parempi, asiakastyytyväisyys on "
                    f"keskimäärin {abs(est):.2f} pistettä {direction} (95 %:n luottamusväli {lo:.2f}…{hi:.2f}).")
        return (f"{label}: työntekijäkokemuksen yhteys asiakastyytyväisyyteen ei erotu nollasta "
                f"({est:.2f} pistettä, 95 %:n luottamusväli {lo:.2f}…{hi:.2f}).")
    if clear:
        direction = "higher" if est > 0 else "lower"
        return (f"{label}: where the unit's employee experience is one point better, customer satisfaction is "
                f"{abs(est):.2f} CSAT points {direction} on average (95% CI {lo:.2f} to {hi:.2f}).")
    return (f"{label}: no clear link between employee experience and customer satisfaction "
            f"({est:.2f} CSAT points per EX point, 95% CI {lo:.2f} to {hi:.2f}).")


def unit_mean_reliability(scores: pd.DataFrame, unit_table: pd.DataFrame, value: str = "ex_index") -> float:
    """Reliability of the unit × wave EX means used as the predictor: true variance / observed variance.

    Each unit × wave mean carries sampling error ``s²_j / n_j`` (its employees'
    variance over their number); the reliability is
    ``λ = 1 − mean(s²_j / n_j) / var(unit means)``. A regression on an error-laden
    predictor is attenuated by λ (the classical errors-in-variables result), so
    ``estimate / λ`` is the effect on the unit's *true* EX. Small groups count
    here (they are modelled, never shown).
    """
    grouped = scores.groupby(["unit_id", "wave"], observed=True)[value]
    err = (grouped.var(ddof=1) / grouped.count()).dropna()
    means = unit_table[value if value in unit_table else "ex_index"]
    observed = float(means.var(ddof=1))
    if observed <= 0 or not len(err):
        return float("nan")
    return float(np.clip(1 - err.mean() / observed, 0.0, 1.0))


def disattenuate(effects: pd.DataFrame, reliability: float) -> pd.DataFrame:
    """Effects corrected for the measurement error of unit EX: estimate and interval divided by the reliability.

    Adds ``estimate_corrected, ci_low_corrected, ci_high_corrected``. The interval
    is scaled with the estimate; it does not add the uncertainty of λ itself,
    which is small when units have 15 or more respondents.
    """
    out = effects.copy()
    if not np.isfinite(reliability) or reliability <= 0:
        for c in ("estimate", "ci_low", "ci_high"):
            out[f"{c}_corrected"] = np.nan
        return out
    for c in ("estimate", "ci_low", "ci_high"):
        out[f"{c}_corrected"] = out[c] / reliability
    return out
