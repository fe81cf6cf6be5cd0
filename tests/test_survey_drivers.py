"""Driver importance and penalty–reward against known answers."""

from __future__ import annotations

import numpy as np
import pytest

from cxresearch.config import DEFAULT_JOURNEY, DRIVERS, journey_ids
from cxresearch.io.validate import load_data_dir
from cxresearch.survey import scale_scores, unit_ex
from cxresearch.survey.drivers import _r2, driver_importance, penalty_reward, relative_weights, shapley_r2
from cxresearch.synth import synthesize

MOMENTS = journey_ids(DEFAULT_JOURNEY)


def _correlated(seed=0, n=400, p=4):
    rng = np.random.default_rng(seed)
    common = rng.normal(size=n)
    X = np.column_stack([0.6 * common + rng.normal(size=n) for _ in range(p)])
    y = X @ np.array([0.5, 0.3, 0.0, 0.2])[:p] + rng.normal(size=n)
    return X, y


def test_shapley_of_two_predictors_is_the_closed_form():
    """With two predictors the Shapley share of x1 is (R²(x1) + R²(x1,x2) − R²(x2)) / 2 (Lindeman, Merenda and Gold
    1980; Grömping 2007): the exact enumeration must equal it."""
    X, y = _correlated(p=2)
    w = np.ones(len(y))
    r1, r2, r12 = _r2(X[:, [0]], y, w), _r2(X[:, [1]], y, w), _r2(X, y, w)
    got = shapley_r2(X, y)
    assert got[0] == pytest.approx((r1 + r12 - r2) / 2, abs=1e-12)
    assert got[1] == pytest.approx((r2 + r12 - r1) / 2, abs=1e-12)


def test_both_decompositions_sum_to_r2_and_agree_closely():
    """Both split R² exactly; Johnson (2000) showed relative weights lie within a few thousandths of the Shapley
    (general dominance) values on typical correlated data, which this reproduces; with uncorrelated predictors
    both reduce to each predictor's squared correlation with y."""
    X, y = _correlated(seed=1)
    w = np.ones(len(y))
    sh, rw = shapley_r2(X, y), relative_weights(X, y)
    assert sh.sum() == pytest.approx(_r2(X, y, w), abs=1e-12)
    assert rw.sum() == pytest.approx(_r2(X, y, w), abs=1e-10)
    np.testing.assert_allclose(rw, sh, atol=0.01)
    assert np.argmax(rw) == np.argmax(sh) == 0

    rng = np.random.default_rng(2)
    Q, _ = np.linalg.qr(rng.normal(size=(200, 3)))
    Z = (Q - Q.mean(axis=0)) * 10
    yz = Z @ np.array([1.0, 0.5, 0.2]) + rng.normal(size=200)
    r = np.array([np.corrcoef(Z[:, j], yz)[0, 1] ** 2 for j in range(3)])
    np.testing.assert_allclose(relative_weights(Z, yz), r, atol=1e-3)
    np.testing.assert_allclose(shapley_r2(Z, yz), r, atol=1e-3)


def test_batched_bootstrap_weights_equal_the_duplicated_rows():
    """A bootstrap draw that picks a unit k times is its rows duplicated k times. The batched relative weights
    (one weight row per draw) equal :func:`relative_weights` on the duplicated rows, the reference, to 1e-10; a
    draw with fewer distinct rows than predictors (its correlation matrix is singular) gives NaN, not numbers."""
    from cxresearch.survey.drivers import relative_weights_many

    X, y = _correlated(seed=5)
    n, p = X.shape
    rng = np.random.default_rng(6)
    w = rng.integers(1, 30, n).astype(float)
    units = np.arange(n) // 3
    k = units.max() + 1
    picks = [rng.choice(k, k) for _ in range(25)] + [np.zeros(k, dtype=int)]  # the last: one unit, 3 rows
    times = np.stack([np.bincount(pk, minlength=k) for pk in picks])
    got = relative_weights_many(X, y, times[:, units] * w)
    for b, pk in enumerate(picks[:-1]):
        rows = np.concatenate([np.flatnonzero(units == u) for u in pk])
        np.testing.assert_allclose(got[b], relative_weights(X[rows], y[rows], w[rows]), atol=1e-10)
    assert np.isnan(got[-1]).all() and np.isfinite(got[:-1]).all()


@pytest.mark.parametrize("seed", [21, 22])
def test_penalty_reward_finds_the_planted_hygiene_and_wow_moments(tmp_path, seed):
    """synth plants per moment a penalty (NPS drop when the moment's CSAT is 1–2) and a reward (NPS gain at CSAT 5):
    receive and get_help are hygiene, choose and use wow, discover and buy linear (truth.json moment_class)."""
    truth = synthesize(tmp_path / "data", seed=seed, units=12, customers=7000, interviews=0)
    tables, _ = load_data_dir(tmp_path / "data")
    pr = penalty_reward(tables["customers"], MOMENTS).set_index("moment")
    assert pr["class"].to_dict() == truth["moment_class"]
    for m in MOMENTS:
        planted = truth["penalty_reward"][m]
        assert pr.loc[m, "penalty_low"] - 0.5 <= planted["penalty"] <= pr.loc[m, "penalty_high"] + 0.5


def test_driver_importance_table(tmp_path):
    """On synth data every driver gets a share of each moment's R², the shares sum to one, and the bootstrap
    interval is ordered (with 12 units and eight drivers a percentile interval need not contain the estimate:
    R² is biased upwards in resamples that repeat units)."""
    synthesize(tmp_path / "data", seed=4, units=12, customers=4000, interviews=0)
    tables, _ = load_data_dir(tmp_path / "data")
    units = unit_ex(scale_scores(tables["employees"]))
    table = driver_importance(tables["customers"], units, list(DRIVERS), MOMENTS, n_boot=50)
    assert set(table["moment"]) == set(MOMENTS) and set(table["driver"]) == set(DRIVERS)
    for _, g in table.groupby("moment"):
        assert g["share"].sum() == pytest.approx(1.0)
        assert g["importance"].sum() == pytest.approx(g["r2"].iloc[0])
    assert (table["ci_low"] <= table["ci_high"]).all() and table["n_units"].eq(12).all()
