"""Robustness models of the EX→CX effect, fitted on cell sufficient statistics, against statsmodels' row-level fits."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from cxresearch.config import DEFAULT_JOURNEY, journey_ids
from cxresearch.io.validate import load_data_dir
from cxresearch.survey import fit_ex_model, scale_scores, unit_ex
from cxresearch.survey import robustness as R
from cxresearch.survey.models import model_frame
from cxresearch.synth import synthesize

MOMENTS = journey_ids(DEFAULT_JOURNEY)
CONTROLS = ["segment", "channel", "period"]


def _study(folder, customers):
    truth = synthesize(folder, seed=3, units=12, customers=customers, interviews=0)
    tables, report = load_data_dir(folder)
    units = unit_ex(scale_scores(tables["employees"]))
    frame, _ = model_frame(tables["customers"], units)
    return truth, tables, units, frame


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    return _study(tmp_path_factory.mktemp("rob") / "data", 3000)


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    """800 responses: statsmodels' row-level ordinal fit (Newton, numerical Hessians) stays quick."""
    return _study(tmp_path_factory.mktemp("rob_small") / "data", 800)


def test_cluster_robust_ols_on_cells_equals_the_row_level_fit(study):
    """Expected values: statsmodels OLS on the 3,000 rows with cov_type='cluster' (groups = unit). Least squares on
    cell means weighted by cell size gives the same coefficients, and the per-cell score sums the same CR1
    covariance, exactly (to 1e-9)."""
    import statsmodels.formula.api as smf

    _, _, _, frame = study
    ours = R.cluster_robust_ols(frame, MOMENTS, controls=tuple(CONTROLS)).set_index("moment")
    ref = smf.ols("csat ~ 0 + C(moment) + C(moment):ex_c + C(segment) + C(channel) + C(period)", frame).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(frame["unit_id"])[0]})
    for m in MOMENTS:
        name = f"C(moment)[{m}]:ex_c"
        assert ours.loc[m, "estimate"] == pytest.approx(ref.params[name], abs=1e-9)
        assert ours.loc[m, "se"] == pytest.approx(ref.bse[name], abs=1e-9)
    assert len(R.cells(frame, "csat", CONTROLS)) < len(frame) / 3


def test_ordinal_logit_on_counts_equals_statsmodels_ordered_model(small_study):
    """Expected values: statsmodels OrderedModel (logit) on the rows with the same design, fitted by Newton to
    tol 1e-10. The likelihood on answer counts per cell is the same function, so the estimates agree to 1e-6."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    _, _, _, frame = small_study
    table, fit = R.ordinal_logit(frame, MOMENTS, controls=tuple(CONTROLS))
    X, names = R._design(frame, MOMENTS, CONTROLS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = OrderedModel(frame["csat"].astype(int).to_numpy(), pd.DataFrame(X[:, 1:], columns=names[1:]),
                           distr="logit").fit(method="newton", disp=False, maxiter=15, tol=1e-10)
    assert fit["converged"]
    assert fit["names"] == names[1:]
    np.testing.assert_allclose(fit["params"], ref.params.to_numpy()[:len(fit["params"])], atol=1e-6)
    np.testing.assert_allclose(fit["cuts"], ref.model.transform_threshold_params(ref.params)[1:-1], atol=1e-6)
    assert fit["loglik"] == pytest.approx(ref.llf, abs=1e-6)
    se = table.set_index("moment")["se"]
    for m in MOMENTS:
        assert se[m] == pytest.approx(ref.bse[f"moment[{m}]:ex_c"], rel=1e-4)


def test_the_three_models_agree_on_the_planted_pattern(study):
    """synth plants strong effects face to face (choose, buy, get_help: 0.45–0.6 CSAT points per EX point) and near
    zero elsewhere; the ordinal model's average marginal effect is on the same CSAT-point scale, so all three find
    the strong moments above the weak ones and the comparison marks them as agreeing."""
    truth, tables, units, frame = study
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mixed = fit_ex_model(tables["customers"], units, MOMENTS).effects
    ols = R.cluster_robust_ols(frame, MOMENTS)
    ordinal, _ = R.ordinal_logit(frame, MOMENTS)
    table = R.compare_models(mixed, ols, ordinal).set_index("moment")
    strong = [m for m in MOMENTS if truth["ex_effect"][m] >= 0.3]
    weak = [m for m in MOMENTS if truth["ex_effect"][m] <= 0.1]
    assert strong and weak
    for col in ("mixed", "ols_cluster", "ordinal_ame"):
        assert table.loc[strong, col].min() > table.loc[weak, col].max(), col
    assert table.loc[strong, "agree"].all()


def test_agreement_flags_a_sign_disagreement():
    """A constructed table: the OLS estimate has the other sign and a clear interval, so the moment is flagged."""
    mixed = pd.DataFrame({"moment": ["a"], "estimate": [0.5], "ci_low": [0.3], "ci_high": [0.7]})
    ols = pd.DataFrame({"moment": ["a"], "estimate": [-0.4], "ci_low": [-0.6], "ci_high": [-0.2]})
    ordinal = pd.DataFrame({"moment": ["a"], "ame": [0.5], "logit": [1.2], "ci_low": [0.8], "ci_high": [1.6]})
    assert not R.compare_models(mixed, ols, ordinal)["agree"].iloc[0]


def test_lagged_models_equal_weighted_least_squares_with_clustered_errors(tmp_path):
    """Expected values: statsmodels WLS with cov_type='cluster' on the same unit-level table built by hand
    (CSAT in H2 per unit × moment on EX in H1 and CSAT in H1; EX in H2 on EX and CSAT in H1)."""
    import statsmodels.api as sm

    folder = tmp_path / "data"
    synthesize(folder, seed=8, units=30, customers=9000, interviews=0)
    tables, _ = load_data_dir(folder)
    cust = tables["customers"]
    units = unit_ex(scale_scores(tables["employees"]))
    lagged = R.lagged_effects(cust, units, MOMENTS).set_index("effect")
    assert set(lagged.index) == {"ex_to_cx", "cx_to_ex"} and (lagged["n_units"] == 30).all()
    assert lagged["periods"].iloc[0] == "2026-H1→2026-H2"

    ex = units.pivot(index="unit_id", columns="wave", values="ex_index")
    cx = cust.groupby(["unit_id", "moment", "period"], observed=True)["csat"].agg(["mean", "size"]).reset_index()
    h1 = cx[cx["period"] == "2026-H1"].set_index(["unit_id", "moment"])
    h2 = cx[cx["period"] == "2026-H2"].set_index(["unit_id", "moment"])
    a = h2.add_suffix("_2").join(h1.add_suffix("_1"), how="inner").reset_index()
    a["ex_1"] = a["unit_id"].map(ex["2026-H1"])
    X = pd.get_dummies(a["moment"], dtype=float)
    X["ex"], X["cx"] = a["ex_1"] - a["ex_1"].mean(), a["mean_1"]
    ref = sm.WLS(a["mean_2"], X, weights=a["size_2"]).fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(a["unit_id"])[0]})
    # WLS weights are analytic in statsmodels, ours frequency weights: the estimate is the same, the CR1
    # small-sample factor differs by (N − 1)/(N − K) with N the responses instead of the rows
    assert lagged.loc["ex_to_cx", "estimate"] == pytest.approx(ref.params["ex"], abs=1e-9)
    n_resp, n_rows, k = a["size_2"].sum(), len(a), X.shape[1]
    factor = ((n_resp - 1) / (n_resp - k)) / ((n_rows - 1) / (n_rows - k))
    assert lagged.loc["ex_to_cx", "se"] == pytest.approx(ref.bse["ex"] * np.sqrt(factor), rel=1e-6)

    b = pd.DataFrame({"ex_2": ex["2026-H2"], "ex_1": ex["2026-H1"],
                      "cx_1": cust[cust["period"] == "2026-H1"].groupby("unit_id", observed=True)["csat"].mean()})
    ref_b = sm.OLS(b["ex_2"], sm.add_constant(b[["ex_1", "cx_1"]])).fit(
        cov_type="cluster", cov_kwds={"groups": np.arange(len(b))})
    assert lagged.loc["cx_to_ex", "estimate"] == pytest.approx(ref_b.params["cx_1"], abs=1e-9)
    assert lagged.loc["cx_to_ex", "se"] == pytest.approx(ref_b.bse["cx_1"], rel=1e-6)


def test_cell_reml_maximises_statsmodels_mixedlm_restricted_likelihood(study):
    """Expected values: statsmodels MixedLM (REML) on the 3,000 rows. Its restricted log-likelihood evaluated at our
    cell-level estimates equals ours to 1e-6 (the same function), moving the unit variance either way lowers it
    (ours is its maximum), and statsmodels' own bfgs fit lands on the same slopes within its tolerance."""
    import statsmodels.formula.api as smf
    from statsmodels.regression.mixed_linear_model import MixedLMParams

    from cxresearch.survey.mixed_cells import fit_random_intercept

    _, _, _, frame = study
    cell = R.cells(frame, "csat", CONTROLS)
    X, names = R._design(cell, MOMENTS, CONTROLS)
    ours = fit_random_intercept(X, cell["n"].to_numpy(float), cell["y_mean"].to_numpy(float),
                                cell["y_ss"].to_numpy(float), cell["unit_id"].to_numpy())
    assert ours.converged and ours.group_var > 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm("csat ~ 0 + C(moment) + C(moment):ex_c + C(segment) + C(channel) + C(period)", frame,
                            groups=frame["unit_id"])
        ref = model.fit(reml=True, method=["bfgs"])

    def sm_name(n):
        if n.startswith("moment["):
            return "C(" + n.replace("moment[", "moment)[", 1)
        col, lev = n.split("[", 1)
        return f"C({col})[T.{lev}"

    position = {sm_name(n): j for j, n in enumerate(names)}
    beta = ours.params[[position[e] for e in model.exog_names]]

    def reml_at(ratio):
        return model.loglike(MixedLMParams.from_components(fe_params=beta, cov_re=np.array([[ratio]])),
                             profile_fe=False)

    ratio = ours.group_var / ours.scale
    assert reml_at(ratio) == pytest.approx(ours.reml_loglik, abs=1e-6)
    assert reml_at(ratio * 1.05) < ours.reml_loglik and reml_at(ratio * 0.95) < ours.reml_loglik
    for m in MOMENTS:
        assert ours.params[names.index(f"moment[{m}]:ex_c")] == pytest.approx(ref.fe_params[f"C(moment)[{m}]:ex_c"],
                                                                             abs=1e-3)
    assert ours.group_var == pytest.approx(float(ref.cov_re.iloc[0, 0]), rel=0.02)
