"""The EX→CX model: customers nested in units, the unit's EX index × moment.

The estimand, in the same metric as ``truth.json`` of ``cxresearch synth``:
**CSAT points (1–5) per one point of the unit's EX index (1–5) in the same
period, at each moment**, holding the unit's own level (random intercept),
segment, channel and period fixed.

Model statement (statsmodels MixedLM, REML)::

    csat ~ 0 + C(moment) + C(moment):ex_c + C(segment) + C(channel) + C(period)
           + (1 | unit_id)

``ex_c`` is the unit × wave mean EX index from the employee survey, centred on
the mean over unit × waves. The per-moment coefficient of ``C(moment)[m]:ex_c``
is the effect at moment ``m``. Unit EX is itself a mean of a sample of
employees, so its measurement error attenuates the effect towards zero by about
the reliability of the unit mean (ICC(2)); the later survey issue corrects it.
"""

from __future__ import annotations

import warnings
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
    frame = customers.merge(ex, on=["unit_id", "period"], how="inner")
    frame = frame.dropna(subset=[outcome, "ex"]).copy()
    frame[outcome] = frame[outcome].astype("float64")
    frame["ex_c"] = frame["ex"] - centre
    for col in ("moment", "segment", "channel", "period", "unit_id"):
        if col in frame:
            frame[col] = frame[col].astype("object")
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
    import statsmodels.formula.api as smf
    from scipy import stats

    frame, centre = model_frame(customers, unit_table, outcome)
    present = [m for m in moments if m in set(frame["moment"])]
    used = [c for c in controls if c in frame and frame[c].nunique() > 1]
    terms = ["0", "C(moment)", "C(moment):ex_c", *[f"C({c})" for c in used]]
    formula = f"{outcome} ~ " + " + ".join(terms)
    # convergence is checked, not taken on the optimiser's word: a fit must report convergence, have finite
    # standard errors and a unit variance off the zero boundary; otherwise other optimisers are tried and the
    # best likelihood among the sound fits is kept
    fits = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm(formula, frame, groups=frame["unit_id"])
        for method in ("lbfgs", "bfgs", "powell"):
            try:
                candidate = model.fit(reml=True, method=[method])
            except (np.linalg.LinAlgError, ValueError):
                continue
            fits.append((method, candidate, _sound(candidate)))
            if fits[-1][2]:
                break
    if not fits:
        raise RuntimeError("the mixed model could not be fitted with lbfgs, bfgs or powell")
    sound = [f for f in fits if f[2]]
    method, fit, ok = max(sound or fits, key=lambda f: f[1].llf)
    fe, bse = fit.fe_params, fit.bse_fe
    z = stats.norm.ppf(0.5 + level / 2)
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
                "p": float(2 * stats.norm.sf(abs(est / se))),
                "n": int((frame["moment"] == m).sum()),
            }
        )
    notes = []
    if method != "lbfgs":
        notes.append(f"the first optimiser (lbfgs) gave no sound fit; the estimates come from {method}")
    if not ok:
        notes.append("no optimiser gave a sound mixed-model fit (convergence, finite standard errors, unit variance "
                      "above zero): the effects shown are OLS with unit-clustered standard errors, which is what the "
                      "model reduces to when the unit variance is zero")
    diagnostics = {}
    if ok:
        fitted = np.asarray(fit.fittedvalues)
        resid = frame[outcome].to_numpy(dtype="float64") - fitted
        bins = pd.qcut(fitted, 20, duplicates="drop")
        binned = (pd.DataFrame({"fitted": fitted, "resid": resid, "bin": bins})
                  .groupby("bin", observed=True).agg(fitted=("fitted", "mean"), mean=("resid", "mean"),
                                                     sd=("resid", "std"), n=("resid", "size")).reset_index(drop=True))
        diagnostics = {"unit_effects": np.array([float(np.asarray(v)[0]) for v in fit.random_effects.values()]),
                       "residuals": binned}
    return ExModelResult(
        diagnostics=diagnostics,
        formula=formula + " + (1 | unit_id)",
        effects=pd.DataFrame(rows),
        n_responses=len(frame),
        n_units=int(frame["unit_id"].nunique()),
        ex_centre=centre,
        converged=bool(ok),
        group_var=float(np.asarray(fit.cov_re)[0, 0]),
        residual_var=float(fit.scale),
        loglik=float(fit.llf),
        notes=notes,
    )


def _sound(fit) -> bool:
    """A MixedLM fit that converged, has finite fixed-effect standard errors and a unit variance off zero."""
    group_var = float(np.asarray(fit.cov_re)[0, 0])
    return bool(fit.converged and np.all(np.isfinite(np.asarray(fit.bse_fe))) and group_var > 1e-6 * float(fit.scale))


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
