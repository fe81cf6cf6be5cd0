"""Scale reliability and aggregation checks against published examples and closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.survey.psychometrics import cronbach_alpha, icc, item_total, mcdonald_omega, rwg_j

#: Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], float)


def test_icc_shrout_fleiss_one_way():
    """Shrout & Fleiss (1979), Table 4: ICC(1,1) = 0.17 and ICC(1,k) = 0.44 for the one-way model
    (our ICC(1) and ICC(2) with targets as groups and judges' ratings as members)."""
    long = pd.DataFrame({"v": SHROUT_FLEISS.ravel(), "g": np.repeat(np.arange(6), 4)})
    got = icc(long["v"], long["g"])
    assert round(got["icc1"], 2) == 0.17
    assert round(got["icc2"], 2) == 0.44
    assert got["k"] == 4 and got["n_groups"] == 6


def test_cronbach_alpha_equals_icc_3k_of_shrout_fleiss():
    """Cronbach's alpha of the judges as items equals ICC(3,k), published as 0.91 (Shrout & Fleiss 1979, Table 4);
    the Feldt interval contains it."""
    alpha, low, high = cronbach_alpha(pd.DataFrame(SHROUT_FLEISS))
    assert round(alpha, 2) == 0.91
    assert low < alpha < high <= 1


def test_omega_matches_the_closed_form_and_the_planted_loadings():
    """Three items are just identified: λ_i = sqrt(r_ij·r_ik / r_jk), so omega has a closed form to compare with
    the ML fit; and with loadings 0.8/0.7/0.6 planted, omega is near (2.1)² / ((2.1)² + 1.51) = 0.745."""
    rng = np.random.default_rng(1)
    lam = np.array([0.8, 0.7, 0.6])
    factor = rng.normal(size=5000)
    data = factor[:, None] * lam + rng.normal(size=(5000, 3)) * np.sqrt(1 - lam**2)
    r = np.corrcoef(data, rowvar=False)
    closed = np.sqrt([r[0, 1] * r[0, 2] / r[1, 2], r[0, 1] * r[1, 2] / r[0, 2], r[0, 2] * r[1, 2] / r[0, 1]])
    expected = closed.sum() ** 2 / (closed.sum() ** 2 + (1 - closed**2).sum())
    omega, low, high = mcdonald_omega(pd.DataFrame(data), n_boot=50)
    assert omega == pytest.approx(expected, abs=1e-4)
    # the general path (statsmodels' ML factor fit, used for four or more items) gives the same on three items
    from cxresearch.survey import psychometrics

    assert psychometrics._omega_ml(data) == pytest.approx(expected, abs=1e-4)
    assert omega == pytest.approx(2.1**2 / (2.1**2 + (1 - lam**2).sum()), abs=0.02)
    assert low < omega < high


def test_rwg_j_by_hand():
    """Five raters, three 5-point items: item variances 0.5, 0.3, 0.3 → s̄² = 0.3667; σ²_EU = (25 − 1)/12 = 2;
    ratio 0.1833; r_wg(3) = 3·0.8167 / (3·0.8167 + 0.1833) = 0.9304."""
    group = pd.DataFrame({"a": [4, 4, 5, 4, 3], "b": [4, 5, 5, 4, 4], "c": [3, 4, 4, 4, 3]})
    assert rwg_j(group) == pytest.approx(3 * (1 - 0.36667 / 2) / (3 * (1 - 0.36667 / 2) + 0.36667 / 2), abs=1e-4)
    # more spread than a uniform answer: no agreement
    assert rwg_j(pd.DataFrame({"a": [1, 5, 1, 5], "b": [5, 1, 5, 1]})) == 0.0


def test_item_total_flags_a_reverse_keyed_item():
    """An item that runs against the others (unreversed reverse-keyed item) gets a negative item–total r."""
    rng = np.random.default_rng(3)
    trait = rng.normal(size=400)
    items = pd.DataFrame({f"i{k}": trait + rng.normal(scale=0.7, size=400) for k in range(3)})
    items["rev"] = -trait + rng.normal(scale=0.7, size=400)
    r = item_total(items)
    assert (r[["i0", "i1", "i2"]] > 0.5).all()
    assert r["rev"] < 0


def test_synth_units_meet_the_aggregation_bar():
    """On synth employee data the EX index has between-unit variance by design: ICC(2) of unit means is high."""
    from cxresearch.synth import synthesize
    from cxresearch.survey.scales import scale_scores

    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        synthesize(Path(tmp) / "d", seed=3, units=12, customers=50, interviews=0)
        employees = pd.read_csv(Path(tmp) / "d" / "employee_responses.csv")
    scores = scale_scores(employees)
    got = icc(scores["ex_index"], scores["unit_id"] + "|" + scores["wave"].astype(str))
    assert 0.1 < got["icc1"] < 0.9
    assert got["icc2"] > 0.7


def test_rwg_of_all_groups_at_once_equals_one_group_at_a_time():
    """The grouped r_wg(j) used by scale_checks equals rwg_j applied to each group separately (the definition)."""
    from cxresearch.survey.psychometrics import _rwg_by_group, rwg_j

    rng = np.random.default_rng(5)
    items = pd.DataFrame(rng.integers(1, 6, (300, 3)).astype(float), columns=["a", "b", "c"])
    items.iloc[::17, 1] = np.nan
    items.iloc[5] = np.nan
    group = pd.Series(rng.integers(0, 30, 300).astype(str))
    one_by_one = sorted(r for g in group.unique() if np.isfinite(r := rwg_j(items[group == g])))
    assert sorted(_rwg_by_group(items, group)) == pytest.approx(one_by_one, abs=1e-12)


def test_one_factor_ml_equals_statsmodels_factor_on_bootstrap_resamples():
    """Our vectorised one-factor ML (Jöreskog's iteration) against statsmodels' ``Factor(method="ml")``, the
    other implementation: omega agrees to 1e-6 on six-item data with loadings 0.3–0.8 and on 20 resamples
    of it; the weighted correlations of the resamples equal np.corrcoef of the resampled rows."""
    from cxresearch.survey import psychometrics

    rng = np.random.default_rng(7)
    lam = np.array([0.8, 0.7, 0.6, 0.5, 0.4, 0.3])
    data = rng.normal(size=(800, 1)) * lam + rng.normal(size=(800, 6)) * np.sqrt(1 - lam**2)
    assert psychometrics._omega(data) == pytest.approx(psychometrics._omega_ml(data), abs=1e-6)
    idx = rng.integers(0, 800, (20, 800))
    counts = np.stack([np.bincount(i, minlength=800) for i in idx]).astype(float)
    stack = psychometrics._corr_stack(data, counts)
    for b in range(20):
        np.testing.assert_allclose(stack[b], np.corrcoef(data[idx[b]], rowvar=False), atol=1e-12)
    fast = psychometrics._omega_of_corr(stack)
    slow = np.array([psychometrics._omega_ml(data[i]) for i in idx])
    np.testing.assert_allclose(fast, slow, atol=1e-6)
