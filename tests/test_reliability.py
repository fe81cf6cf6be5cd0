"""Reliability statistics against published worked examples, hand calculations and other implementations.

Sources of the expected values are named in each test's docstring:
Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability" (worked
examples), Fleiss (1971) Table 1 (via R ``irr::kappam.fleiss`` and statsmodels),
statsmodels' ``cohens_kappa`` and ``fleiss_kappa``, and the ``krippendorff``
PyPI package (used here only, never by the package).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.qual.agreement import cohen_kappa
from cxresearch.qual.reliability import (
    LEVELS,
    _alpha_weighted,
    _distinct_units,
    _kappa_pairs,
    _kappa_weighted_draws,
    _pairable,
    bootstrap_alpha,
    bootstrap_kappa,
    cohen_kappa_weighted,
    fleiss_kappa,
    krippendorff_alpha,
    per_code_reliability,
    reliability_matrix,
    reliability_report,
    segment_code_matrix,
)

ROOT = Path(__file__).resolve().parents[1]
NAN = np.nan

#: Krippendorff (2011), section C: reliability data of 4 observers (A–D) × 12 units with missing values.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
#: Krippendorff (2011), section A: two observers, ten units, binary data.
K2011_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
K2011_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]

#: Fleiss (1971), Table 1: 30 patients × 5 diagnoses (depression, personality disorder, schizophrenia,
#: neurosis, other), how many of 6 psychiatrists chose each. Same counts as R's ``irr::diagnoses`` and
#: the ``diagnoses`` table in statsmodels' test_inter_rater.py.
FLEISS_1971 = np.array([
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
])

#: A fixed 4 × 4 cross-table of two coders' ordered ratings (rows coder a, columns coder b).
TABLE_4 = np.array([[22, 5, 1, 0], [4, 30, 6, 1], [1, 5, 25, 3], [0, 1, 4, 12]])


def _labels(table: np.ndarray, categories) -> tuple[np.ndarray, np.ndarray]:
    """Two label vectors whose cross-table is ``table``."""
    cells = [(categories[i], categories[j]) for i in range(len(table)) for j in range(len(table))
             for _ in range(int(table[i, j]))]
    a, b = zip(*cells)
    return np.array(a), np.array(b)


def _random_data(seed: int, coders: int = 4, units: int = 40, missing: float = 0.2) -> np.ndarray:
    """5-point ratings that mostly agree, with ``missing`` of the cells blank."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, units)
    data = np.where(rng.random((coders, units)) < 0.7, truth, rng.integers(1, 6, (coders, units))).astype(float)
    data[rng.random(data.shape) < missing] = np.nan
    return data


# --------------------------------------------------------------------------- published values


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                                  ("ratio", 0.797)])
def test_krippendorff_2011_four_observers_missing_data(level, published):
    """Krippendorff (2011), sections C–F, 4 observers × 12 units with missing values: α_nominal = 0.743,
    α_ordinal = 0.815, α_interval = 0.849, α_ratio = 0.797 as published; the ``krippendorff`` package gives
    the same. The ordinal value also shows the marginal ordinal metric is used: the values are the ranks
    1–5 already, so a rank-difference metric would repeat the interval 0.849."""
    import krippendorff

    ours = krippendorff_alpha(K2011, level)
    assert round(ours, 3) == published
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=np.array(K2011, float),
                                                    level_of_measurement=level), abs=1e-12)


def test_krippendorff_2011_binary_two_observers_and_cohen_kappa():
    """Krippendorff (2011), section A: α = 1 − (n − 1)·o_01/(n_0·n_1) = 1 − 19·4/(14·6) = 0.095 as published.

    Cohen's kappa on the same data by hand (not in the paper): the cross-table is 0/0: 5, 0/1: 3, 1/1: 1,
    1/0: 1, so p_o = 0.6, p_e = 0.2·0.4 + 0.8·0.6 = 0.56 and κ = 0.04/0.44 = 0.0909 — the same as the
    existing ``agreement.cohen_kappa``.
    """
    assert round(krippendorff_alpha([K2011_A, K2011_B]), 3) == 0.095
    assert krippendorff_alpha([K2011_A, K2011_B]) == pytest.approx(1 - 19 * 4 / (14 * 6), abs=1e-12)
    assert cohen_kappa_weighted(K2011_A, K2011_B) == pytest.approx(0.04 / 0.44, abs=1e-12)
    assert cohen_kappa_weighted(K2011_A, K2011_B) == pytest.approx(cohen_kappa(K2011_A, K2011_B), abs=1e-12)


def test_fleiss_1971_diagnoses():
    """Fleiss (1971), Table 1 (30 patients, 6 raters, 5 categories): Fleiss' κ = 0.430 as published
    (0.4302445 from R ``irr::kappam.fleiss(diagnoses)``, quoted in statsmodels' tests); ours equals
    statsmodels'. Nominal alpha on the same ratings equals the ``krippendorff`` package, and — derived
    in ``fleiss_kappa``'s Notes for complete data — α = 1 − (1 − κ)(Nm − 1)/(Nm) with N·m = 180: 0.4334.
    """
    import krippendorff
    from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

    assert FLEISS_1971.shape == (30, 5) and (FLEISS_1971.sum(axis=1) == 6).all()
    kappa = fleiss_kappa(FLEISS_1971)
    assert round(kappa, 3) == 0.430
    assert kappa == pytest.approx(0.4302445, abs=1e-7)
    assert kappa == pytest.approx(sm_fleiss_kappa(FLEISS_1971), abs=1e-12)
    # counts → a 6 raters × 30 patients table (which rater chose what is not in the paper; alpha does not care)
    ratings = np.array([np.repeat(np.arange(1, 6), row) for row in FLEISS_1971]).T
    alpha = krippendorff_alpha(ratings, "nominal")
    assert alpha == pytest.approx(krippendorff.alpha(reliability_data=ratings.astype(float),
                                                     level_of_measurement="nominal"), abs=1e-12)
    assert alpha == pytest.approx(1 - (1 - kappa) * 179 / 180, abs=1e-12)
    assert round(alpha, 4) == 0.4334


# --------------------------------------------------------------------------- other implementations


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("level", LEVELS)
def test_alpha_equals_the_krippendorff_package(seed, level):
    """The ``krippendorff`` package (0.9) on random 5-point data, 4 coders × 40 units, 20 % missing, to 1e-9."""
    import krippendorff

    data = _random_data(seed)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_on_continuous_values_equals_the_krippendorff_package(level):
    """Many distinct, unevenly spaced values (every value its own category), 3 coders × 60 units, to 1e-9."""
    import krippendorff

    rng = np.random.default_rng(7)
    truth = rng.gamma(2.0, 10.0, 60)
    data = np.round(truth + rng.normal(0, 4, (3, 60)).clip(-truth, None), 2)
    data[rng.random(data.shape) < 0.15] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)


def test_cohen_kappa_unweighted_and_weighted_equal_statsmodels():
    """statsmodels.stats.inter_rater.cohens_kappa(table, wt=None/'linear'/'quadratic') on a fixed 4 × 4 table.

    statsmodels scores the categories 0, 1, …, K−1 by default and uses disagreement weights |i − j|/(K−1)
    (linear) or their square (quadratic) — the same positions we use.
    """
    from statsmodels.stats.inter_rater import cohens_kappa

    a, b = _labels(TABLE_4, [1, 2, 3, 4])
    assert cohen_kappa_weighted(a, b) == pytest.approx(cohens_kappa(TABLE_4).kappa, abs=1e-12)
    assert cohen_kappa_weighted(a, b) == pytest.approx(cohen_kappa(a, b), abs=1e-12)
    for wt in ("linear", "quadratic"):
        assert cohen_kappa_weighted(a, b, wt) == pytest.approx(cohens_kappa(TABLE_4, wt=wt).kappa, abs=1e-12)
    # text labels in a given order give the same as their numeric positions
    names = np.array(["never", "rarely", "often", "always"])
    assert cohen_kappa_weighted(names[a - 1], names[b - 1], "quadratic", categories=names) == pytest.approx(
        cohens_kappa(TABLE_4, wt="quadratic").kappa, abs=1e-12)


def test_weighted_kappa_counts_an_unused_middle_category_only_when_told():
    """Coders using only 1 and 3 on a 1–3 scale: with ``categories=[1, 2, 3]`` linear kappa equals statsmodels on
    the 3 × 3 table with an empty middle row and column; without it the scale has two points (and linear equals
    unweighted, as for any two categories)."""
    from statsmodels.stats.inter_rater import cohens_kappa

    table = np.array([[10, 0, 4], [0, 0, 0], [2, 0, 9]])
    a, b = _labels(table, [1, 2, 3])
    told = cohen_kappa_weighted(a, b, "linear", categories=[1, 2, 3])
    assert told == pytest.approx(cohens_kappa(table, wt="linear").kappa, abs=1e-12)
    assert cohen_kappa_weighted(a, b, "linear") == pytest.approx(cohen_kappa_weighted(a, b), abs=1e-12)


# --------------------------------------------------------------------------- missing values and edge cases


def test_units_with_one_value_drop_out_and_strings_work():
    """A unit coded by one coder carries no pair: alpha is the same with or without it; text and numbers
    coding the same partition give the same nominal alpha; a long table pivots to coders × units."""
    base = [["a", "b", "a", "c"], ["a", "b", "b", "c"]]
    extra = [["a", "b", "a", "c", "x"], ["a", "b", "b", "c", None]]
    assert krippendorff_alpha(extra) == pytest.approx(krippendorff_alpha(base), abs=1e-12)
    assert krippendorff_alpha(base) == pytest.approx(krippendorff_alpha([[1, 2, 1, 3], [1, 2, 2, 3]]), abs=1e-12)
    with_single = [row + [v] for row, v in zip(K2011, [NAN, 4, NAN, NAN])]
    for level in LEVELS:
        assert krippendorff_alpha(with_single, level) == pytest.approx(krippendorff_alpha(K2011, level), abs=1e-12)
    long = pd.DataFrame({"unit": [1, 1, 2, 2, 3], "coder": ["x", "y", "x", "y", "x"],
                         "value": ["pos", "pos", "neg", "pos", "neg"]})
    matrix = reliability_matrix(long)
    assert matrix.shape == (2, 3) and pd.isna(matrix.loc["y", 3])
    assert krippendorff_alpha(matrix) == pytest.approx(krippendorff_alpha([["pos", "neg"], ["pos", "pos"]]))


def test_degenerate_data_give_nan_not_a_crash():
    """All values identical: expected disagreement is 0 and alpha = 0/0 — NaN by our documented choice (such
    data cannot tell agreement from chance); the same when no unit has two values."""
    for level in LEVELS:
        assert np.isnan(krippendorff_alpha([[2, 2, 2], [2, 2, NAN]], level))
        assert np.isnan(krippendorff_alpha([[1, NAN], [NAN, 2]], level))
    result = bootstrap_alpha([[1, 1, 1], [1, 1, 1]], n_boot=50)
    assert np.isnan(result.estimate) and np.isnan(result.low) and result.n_valid == 0
    assert np.isnan(cohen_kappa_weighted([1, 1, 1], [1, 1, 1]))


def test_bad_input_raises_clear_errors():
    base = [["a", "b", "a", "c"], ["a", "b", "b", "c"]]
    with pytest.raises(ValueError, match="at least two coders"):
        krippendorff_alpha([[1, 2, 3]])
    with pytest.raises(ValueError, match="expected one of nominal"):
        krippendorff_alpha(base, "cardinal")
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha(base, "interval")
    with pytest.raises(ValueError, match="≥ 0"):
        krippendorff_alpha([[1, -2], [1, 2]], "ratio")
    with pytest.raises(ValueError, match="2 dimensions"):
        krippendorff_alpha([1, 2, 3])
    with pytest.raises(ValueError, match="more than one value for coder 'x', unit 1"):
        reliability_matrix(pd.DataFrame({"unit": [1, 1], "coder": ["x", "x"], "value": [1, 2]}))
    with pytest.raises(ValueError, match="column.*value missing"):
        reliability_matrix(pd.DataFrame({"unit": [1], "coder": ["x"]}))
    with pytest.raises(ValueError, match="expected None, 'linear' or 'quadratic'"):
        cohen_kappa_weighted([1, 2], [1, 2], "cubic")
    with pytest.raises(ValueError, match="needs categories"):
        cohen_kappa_weighted(["lo", "hi"], ["lo", "lo"], "linear")
    with pytest.raises(ValueError, match="not among categories"):
        cohen_kappa_weighted([1, 2], [1, 5], "linear", categories=[1, 2, 3])
    with pytest.raises(ValueError, match="equally long"):
        cohen_kappa_weighted([1, 2], [1])
    with pytest.raises(ValueError, match="same"):
        fleiss_kappa([[3, 0], [1, 1]])
    with pytest.raises(ValueError, match="n_boot"):
        bootstrap_alpha(base, n_boot=-1)
    with pytest.raises(ValueError, match="level_ci"):
        bootstrap_alpha(base, level_ci=95)


# --------------------------------------------------------------------------- bootstrap


@pytest.mark.parametrize("level", LEVELS)
def test_weighted_units_equal_repeated_units(level):
    """The vectorised bootstrap scores a resample as a row of unit weights; that must equal alpha on the data
    with each unit repeated as often as drawn (checked against the ``krippendorff`` package)."""
    import krippendorff

    data = _random_data(11, coders=3, units=25)
    prepared = _pairable(data, level)
    rng = np.random.default_rng(3)
    weights = rng.multinomial(prepared.index.shape[1], np.full(prepared.index.shape[1], 1 / prepared.index.shape[1]),
                              size=4).astype(float)
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    ours = _alpha_weighted(prepared, level, weights)
    for row, value in zip(weights, ours):
        repeated = np.repeat(pairable, row.astype(int), axis=1)
        assert value == pytest.approx(krippendorff.alpha(reliability_data=repeated, level_of_measurement=level),
                                      abs=1e-9)


def test_distinct_units_equal_numpy_unique_on_columns():
    """The counting shortcut must give exactly what ``np.unique(index, axis=1, return_counts=True)`` gives (the
    reference), missing values (−1) included, for several numbers of coders and categories."""
    rng = np.random.default_rng(0)
    for coders, k in ((2, 1), (2, 2), (3, 4), (5, 3), (12, 6)):
        index = rng.integers(-1, k, size=(coders, 700))
        patterns, counts = _distinct_units(index)
        expected_patterns, expected_counts = np.unique(index, axis=1, return_counts=True)
        np.testing.assert_array_equal(patterns, expected_patterns)
        np.testing.assert_array_equal(counts, expected_counts)


@pytest.mark.parametrize("level", LEVELS)
def test_bootstrap_on_distinct_units_equals_bootstrap_on_units(level):
    """The bootstrap works on distinct unit patterns weighted by how often a resample drew them. For any
    resample of the units, alpha (and kappa) from the pattern weights must equal alpha from the unit weights
    (the reference: the unit-level computation checked against ``krippendorff`` in the test above); and the
    multinomial draw over patterns must give the interval a unit-level bootstrap gives (5,000 resamples each,
    percentiles within 0.02)."""
    rng = np.random.default_rng(5)
    data = rng.integers(1, 4, size=(2, 400)).astype(float)  # 2 coders, 3 categories: at most 9 patterns
    data[0, :150] = data[1, :150]  # mostly agreeing
    units = _pairable(data, level)
    patterns, counts = _distinct_units(units.index)
    assert patterns.shape[1] <= 9 and counts.sum() == 400
    which = np.array([np.flatnonzero((patterns == units.index[:, [j]]).all(axis=0))[0] for j in range(400)])
    unit_w = rng.multinomial(400, np.full(400, 1 / 400), size=6).astype(float)
    pattern_w = np.stack([np.bincount(which, weights=w, minlength=patterns.shape[1]) for w in unit_w])
    np.testing.assert_allclose(_alpha_weighted(units._replace(index=patterns), level, pattern_w),
                               _alpha_weighted(units, level, unit_w), rtol=1e-10)
    ia, ib, w = _kappa_pairs(data[0], data[1], None, None)
    pairs, pair_counts = _distinct_units(np.vstack([ia, ib]))
    which_k = np.array([np.flatnonzero((pairs[0] == a) & (pairs[1] == b))[0] for a, b in zip(ia, ib)])
    pair_w = np.stack([np.bincount(which_k, weights=u, minlength=pairs.shape[1]) for u in unit_w])
    np.testing.assert_allclose(_kappa_weighted_draws(pairs[0], pairs[1], w, pair_w),
                               _kappa_weighted_draws(ia, ib, w, unit_w), rtol=1e-10)
    if level == "nominal":
        fast = bootstrap_alpha(data, level, n_boot=5000, seed=1)
        draws = _alpha_weighted(units, level, np.random.default_rng(2).multinomial(
            400, np.full(400, 1 / 400), size=5000).astype(float))
        low, high = np.quantile(draws, [0.025, 0.975])
        assert fast.low == pytest.approx(low, abs=0.02) and fast.high == pytest.approx(high, abs=0.02)


def test_bootstrap_interval_reproducible_and_fast():
    """Intervals hold the estimate and repeat with their seed; 1,000 resamples of 200 units × 3 coders take
    well under the 2 s guard at every level (about 0.01 s each measured on 2 cores), and so does kappa."""
    rng = np.random.default_rng(4)
    truth = rng.integers(1, 6, 200)
    data = np.where(rng.random((3, 200)) < 0.8, truth, rng.integers(1, 6, (3, 200)))
    for level in LEVELS:
        start = time.perf_counter()
        result = bootstrap_alpha(data, level, n_boot=1000, seed=11)
        elapsed = time.perf_counter() - start
        print(f"bootstrap_alpha {level}: 1000 resamples of 200 units × 3 coders in {elapsed:.3f} s")
        assert elapsed < 2.0
        assert result.low < result.estimate < result.high
        assert result.estimate == pytest.approx(krippendorff_alpha(data, level), abs=1e-12)
        assert result.n_boot == result.n_valid == 1000
        assert result == bootstrap_alpha(data, level, n_boot=1000, seed=11)
        assert result != bootstrap_alpha(data, level, n_boot=1000, seed=12)
    start = time.perf_counter()
    kappa = bootstrap_kappa(data[0], data[1], "quadratic", n_boot=1000, seed=11)
    elapsed = time.perf_counter() - start
    print(f"bootstrap_kappa quadratic: 1000 resamples of 200 items in {elapsed:.3f} s")
    assert elapsed < 2.0
    assert kappa.low < kappa.estimate < kappa.high
    assert kappa.estimate == pytest.approx(cohen_kappa_weighted(data[0], data[1], "quadratic"), abs=1e-12)
    assert kappa == bootstrap_kappa(data[0], data[1], "quadratic", n_boot=1000, seed=11)


def test_bootstrap_drops_resamples_without_variation():
    """One applied segment among 30: resamples that miss it have no variation, alpha is undefined there; they
    are dropped and counted (P(miss) = (29/30)^30 ≈ 0.36, so about 360 of 1,000)."""
    a = np.zeros(30, dtype=int)
    b = np.zeros(30, dtype=int)
    a[0] = b[0] = 1
    result = bootstrap_alpha([a, b], n_boot=1000, seed=2)
    assert result.estimate == pytest.approx(1.0)
    assert 300 < result.n_boot - result.n_valid < 420
    assert result.low == result.high == 1.0


# --------------------------------------------------------------------------- coded segments


def _codings_fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    turns = pd.DataFrame({"interview_id": ["i1"] * 10 + ["i2"] * 5 + ["i3"] * 3,
                          "turn": [*range(10), *range(5), *range(3)]})
    rows = ([("i1", t, "staffing", "a") for t in (0, 1, 2, 3)] + [("i1", t, "staffing", "b") for t in (0, 1, 2, 4)]
            + [("i1", 99, "staffing", "b")]  # not in the turn universe (e.g. an interviewer turn): ignored
            + [("i1", 0, "staffing", "a")]  # a repeated row counts once
            + [("i2", 0, "wow", "a"), ("i2", 0, "wow", "b"), ("i2", 1, "wow", "b")]
            + [("i3", 0, "wow", "a"), ("i3", 1, "price", "a")])  # i3 only a coded: outside the universe
    return pd.DataFrame(rows, columns=["interview_id", "turn", "code", "coder"]), turns


def test_segment_code_matrix_universe():
    """Segments are the turns of the interviews both coders coded (i1: 10, i2: 5); i3, coded by a only, and
    the coding on turn 99 (not a listed turn) are left out."""
    codings, turns = _codings_fixture()
    matrix = segment_code_matrix(codings, turns, "wow", ["a", "b"])
    assert matrix.shape == (2, 15)
    assert list(matrix.index) == ["a", "b"]
    assert set(matrix.columns.get_level_values("interview_id")) == {"i1", "i2"}
    assert matrix.loc["a"].sum() == 1 and matrix.loc["b"].sum() == 2
    assert matrix.loc[:, ("i2", 0)].tolist() == [1, 1]
    assert segment_code_matrix(codings, turns, "staffing", ["b", "a"]).sum(axis=1).tolist() == [4, 4]
    # a code neither coder applied: every segment a 0 (both decided it is absent), not an error
    absent = segment_code_matrix(codings, turns, "price_value", ["a", "b"])
    assert absent.shape == (2, 15) and absent.to_numpy().sum() == 0


def test_per_code_reliability_by_hand():
    """Hand calculation on the fixture (15 segments: i1 turns 0–9 and i2 turns 0–4).

    staffing — a: i1 turns 0–3, b: i1 turns 0, 1, 2, 4. Both 3, a only 1, b only 1, neither 10.
      κ: p_o = 13/15, p_e = (4/15)² + (11/15)² = 137/225, κ = (195 − 137)/(225 − 137) = 58/88 = 0.6591.
      α: 30 values, o_11 = 6, o_00 = 20, o_01 = o_10 = 2; n_1 = 8, n_0 = 22;
         α = 1 − (n − 1)·o_01/(n_0·n_1) = 1 − 29·2/(22·8) = 118/176 = 0.6705.
    wow — a: i2 turn 0, b: i2 turns 0 and 1 (a's i3 coding is outside). Both 1, b only 1, neither 13.
      κ: p_o = 14/15, p_e = (1·2 + 14·13)/225 = 184/225, κ = 26/41 = 0.6341.
      α: o_11 = 2, o_01 = 1, n_1 = 3, n_0 = 27; α = 1 − 29·1/(27·3) = 52/81 = 0.6420.
    price — applied only in i3: not listed.
    """
    codings, turns = _codings_fixture()
    table = per_code_reliability(codings, turns, ["a", "b"], n_boot=300, seed=5).set_index("code")
    assert list(table.index) == ["staffing", "wow"]
    staffing, wow = table.loc["staffing"], table.loc["wow"]
    assert staffing["n_segments"] == wow["n_segments"] == 15
    assert (staffing["n_applied_a"], staffing["n_applied_b"], staffing["applied"]) == (4, 4, "4/4")
    assert (wow["n_applied_a"], wow["n_applied_b"], wow["n_all"]) == (1, 2, 1)
    assert staffing["agreement"] == pytest.approx(13 / 15) and wow["agreement"] == pytest.approx(14 / 15)
    assert staffing["kappa"] == pytest.approx(58 / 88, abs=1e-12)
    assert staffing["alpha"] == pytest.approx(118 / 176, abs=1e-12)
    assert wow["kappa"] == pytest.approx(26 / 41, abs=1e-12)
    assert wow["alpha"] == pytest.approx(52 / 81, abs=1e-12)
    for row in (staffing, wow):
        assert row["alpha_ci_low"] <= row["alpha"] <= row["alpha_ci_high"]
        assert row["kappa_ci_low"] <= row["kappa"] <= row["kappa_ci_high"]


def test_per_code_reliability_three_coders_and_an_auto_coder():
    """Three coders (one of them the auto-coder): alpha per code equals the ``krippendorff`` package on the
    segment matrix, kappa is NaN; the universe shrinks to the interviews all three coded (i1 only here)."""
    import krippendorff

    codings, turns = _codings_fixture()
    auto = pd.DataFrame({"interview_id": ["i1", "i1", "i1"], "turn": [0, 3, 5], "code": ["staffing"] * 3,
                         "coder": ["auto"] * 3})
    codings = pd.concat([codings, auto], ignore_index=True)
    table = per_code_reliability(codings, turns, ["a", "b", "auto"], n_boot=100).set_index("code")
    assert list(table.index) == ["staffing"] and table.loc["staffing", "n_segments"] == 10
    assert table.loc["staffing", "applied"] == "4/4/3" and np.isnan(table.loc["staffing", "kappa"])
    matrix = segment_code_matrix(codings, turns, "staffing", ["a", "b", "auto"]).to_numpy()
    assert table.loc["staffing", "alpha"] == pytest.approx(
        krippendorff.alpha(reliability_data=matrix.astype(float), level_of_measurement="nominal"), abs=1e-12)
    with pytest.raises(ValueError, match="'nobody' have no codings"):
        per_code_reliability(codings, turns, ["a", "nobody"])
    with pytest.raises(ValueError, match="at least two different coder"):
        per_code_reliability(codings, turns, ["a"])
    with pytest.raises(ValueError, match="column.*coder missing"):
        per_code_reliability(codings.drop(columns="coder"), turns, ["a", "b"])


# --------------------------------------------------------------------------- the report the CLI prints


def _long_k2011() -> pd.DataFrame:
    return pd.DataFrame([{"unit": u + 1, "coder": "ABCD"[c], "value": K2011[c][u]} for c in range(4)
                         for u in range(12) if not np.isnan(K2011[c][u])])


def test_reliability_report_keys_and_values():
    """Krippendorff (2011) in long form: α_interval = 0.849, 11 pairable units of 12, n = 40 pairable values
    (the paper's n); with two coders (B and D) Cohen's kappa is added; the dict survives strict JSON."""
    long = _long_k2011()
    report = reliability_report(long, "interval", n_boot=200, seed=3)
    assert round(report["alpha"], 3) == 0.849
    assert report["alpha_ci_low"] <= report["alpha"] <= report["alpha_ci_high"]
    assert (report["n_coders"], report["n_units"], report["n_units_total"], report["n_pairable_values"]) == (
        4, 11, 12, 40)
    assert report["level"] == "interval" and report["n_boot"] == 200 and "cohen_kappa" not in report
    json.dumps(report, allow_nan=False)
    two = reliability_report(long[long["coder"].isin(["B", "D"])], "ordinal", n_boot=200)
    b, d = np.array(K2011[1]), np.array(K2011[3])
    both = ~np.isnan(b) & ~np.isnan(d)
    assert two["n_coders"] == 2 and two["n_units_both"] == int(both.sum()) == 10
    assert two["cohen_kappa_weights"] == "linear"
    assert two["cohen_kappa"] == pytest.approx(cohen_kappa_weighted(b[both], d[both], "linear",
                                                                    categories=[1, 2, 3, 4, 5]), abs=1e-12)
    assert {type(v) for k, v in two.items() if k.startswith(("alpha", "cohen_kappa_ci"))} <= {float}
    json.dumps(two, allow_nan=False)
    with pytest.raises(ValueError, match="expected at least two"):
        reliability_report(long[long["coder"] == "A"])


def test_cli_prints_the_report(tmp_path):
    """``cxresearch reliability FILE --level ordinal`` prints the report as JSON (α_ordinal = 0.815)."""
    path = tmp_path / "ratings.csv"
    _long_k2011().to_csv(path, index=False)
    out = subprocess.run([sys.executable, "-m", "cxresearch", "reliability", str(path), "--level", "ordinal"],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    assert round(printed["alpha"], 3) == 0.815 and printed["level"] == "ordinal" and printed["n_units"] == 11
