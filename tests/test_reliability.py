"""Reliability statistics against published worked examples and another implementation."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxresearch.qual.reliability import (
    bootstrap_alpha,
    cohen_kappa_weighted,
    krippendorff_alpha,
    per_code_reliability,
    reliability_matrix,
    reliability_report,
)

ROOT = Path(__file__).resolve().parents[1]
NAN = np.nan
#: Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers × 12 units, missing data.
K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
#: Fleiss (1971) as reproduced in the Wikipedia article "Fleiss' kappa": 10 subjects, 14 raters, 5 categories.
FLEISS_TABLE = np.array([
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
])


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849),
                                                  ("ratio", 0.797)])
def test_krippendorff_2011_reliability_data(level, published):
    """Krippendorff (2011), section C, the 4 × 12 example with missing values: α as published to three decimals."""
    assert round(krippendorff_alpha(K2011, level), 3) == published


def test_krippendorff_2011_binary_two_coders():
    """Krippendorff (2011), section A: two observers, ten units, binary data — α = 0.095 (κ = 0.091 for contrast)."""
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([a, b]), 3) == 0.095
    assert round(cohen_kappa_weighted(a, b), 3) == 0.091


def test_fleiss_table_alpha_agrees_with_fleiss_kappa():
    """Fleiss' κ of the Wikipedia table is 0.210 (statsmodels reproduces it); nominal α on the same ratings is
    Fleiss' π with a small-sample correction, so it equals κ_F up to (1 − κ_F)/(N·m): here within 0.01,
    and exactly the ``krippendorff`` package's value."""
    import krippendorff
    from statsmodels.stats.inter_rater import fleiss_kappa

    assert round(fleiss_kappa(FLEISS_TABLE), 3) == 0.210
    # counts per subject → a 14 raters × 10 subjects table (rater order is arbitrary for complete data)
    ratings = np.array([np.repeat(np.arange(1, 6), row) for row in FLEISS_TABLE]).T
    ours = krippendorff_alpha(ratings, "nominal")
    assert ours == pytest.approx(krippendorff.alpha(reliability_data=ratings, level_of_measurement="nominal"), abs=1e-9)
    assert abs(ours - 0.210) < 0.01


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_equals_the_krippendorff_package(seed, level):
    """Another implementation: the ``krippendorff`` package on random 5-point data with 20 % missing."""
    import krippendorff

    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, 40)
    data = np.where(rng.random((4, 40)) < 0.7, truth, rng.integers(1, 6, (4, 40))).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)


def test_weighted_kappa_equals_statsmodels():
    """statsmodels.stats.inter_rater.cohens_kappa with wt='linear' / 'quadratic' on the same table."""
    from statsmodels.stats.inter_rater import cohens_kappa

    rng = np.random.default_rng(9)
    a = rng.integers(1, 6, 300)
    b = np.clip(a + rng.integers(-1, 2, 300) * (rng.random(300) < 0.5), 1, 5)
    table = pd.crosstab(a, b).reindex(index=range(1, 6), columns=range(1, 6), fill_value=0).to_numpy()
    assert cohen_kappa_weighted(a, b) == pytest.approx(cohens_kappa(table).kappa, abs=1e-12)
    for wt in ("linear", "quadratic"):
        assert cohen_kappa_weighted(a, b, wt, categories=range(1, 6)) == pytest.approx(
            cohens_kappa(table, wt=wt).kappa, abs=1e-12)


def test_missing_values_strings_and_degenerate_data():
    # a unit coded by one coder only drops out: the same alpha with or without it
    base = [["a", "b", "a", "c"], ["a", "b", "b", "c"]]
    extra = [["a", "b", "a", "c", "x"], ["a", "b", "b", "c", None]]
    assert krippendorff_alpha(extra) == pytest.approx(krippendorff_alpha(base))
    # one value everywhere: nothing to disagree about, alpha undefined (NaN), not a crash
    assert np.isnan(krippendorff_alpha([[1, 1, 1], [1, 1, 1]]))
    with pytest.raises(ValueError, match="numeric"):
        krippendorff_alpha(base, "interval")
    with pytest.raises(ValueError, match="two coders"):
        krippendorff_alpha([[1, 2, 3]])
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(base, "cardinal")


def test_bootstrap_interval_and_speed():
    """The interval holds the estimate, repeats with its seed, and 1,000 resamples of 200 units × 3 coders are quick
    (measured 0.07 s on 2 cores; the guard is loose)."""
    rng = np.random.default_rng(4)
    truth = rng.integers(1, 4, 200)
    data = np.where(rng.random((3, 200)) < 0.8, truth, rng.integers(1, 4, (3, 200)))
    start = time.perf_counter()
    alpha, lo, hi = bootstrap_alpha(data, "nominal", n_boot=1000, seed=11)
    assert time.perf_counter() - start < 2.0
    assert lo < alpha < hi
    assert (alpha, lo, hi) == bootstrap_alpha(data, "nominal", n_boot=1000, seed=11)


def test_per_code_reliability_by_hand():
    """10 turns of one interview; code ``staffing``: a applied it to turns 0–3, b to 0, 1, 2 and 4.

    Segments: both 3, a only 1, b only 1, neither 5. Kappa: p_o = 0.8, p_e = 0.4·0.4 + 0.6·0.6 = 0.52,
    κ = 0.28/0.48 = 0.5833. Alpha (nominal, 2 coders, 20 values): coincidences o_11 = 6, o_00 = 10,
    o_01 = o_10 = 2, n_1 = 8, n_0 = 12; α = 1 − 19·4 / (2·8·12) = 0.6042.
    """
    turns = pd.DataFrame({"interview_id": ["i1"] * 10, "turn": range(10)})
    codings = pd.DataFrame(
        [("i1", t, "staffing", "a") for t in (0, 1, 2, 3)] + [("i1", t, "staffing", "b") for t in (0, 1, 2, 4)]
        + [("i2", 0, "wow", "a")],  # an interview only a coded: not in the universe
        columns=["interview_id", "turn", "code", "coder"],
    )
    table = per_code_reliability(codings, turns, ["a", "b"], n_boot=200).set_index("code")
    row = table.loc["staffing"]
    assert row["n_segments"] == 10
    assert row["applied"] == "4/4"
    assert row["kappa"] == pytest.approx(0.28 / 0.48)
    assert row["alpha"] == pytest.approx(1 - 19 * 4 / (2 * 8 * 12))
    assert row["alpha_ci_low"] <= row["alpha"] <= row["alpha_ci_high"]


def test_reliability_report_and_cli(tmp_path):
    """``cxresearch reliability FILE --level L`` prints the report as JSON (the Krippendorff 2011 data, long form)."""
    long = [{"unit": u, "coder": "ABCD"[c], "value": K2011[c][u]} for c in range(4) for u in range(12)
            if not np.isnan(K2011[c][u])]
    frame = pd.DataFrame(long)
    report = reliability_report(frame, "interval", n_boot=200)
    assert round(report["alpha"], 3) == 0.849
    assert report["n_coders"] == 4 and report["n_units"] == 11 and report["n_pairable_values"] == 40
    assert "cohen_kappa" not in report
    path = tmp_path / "ratings.csv"
    frame.to_csv(path, index=False)
    out = subprocess.run([sys.executable, "-m", "cxresearch", "reliability", str(path), "--level", "ordinal"],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stderr
    printed = json.loads(out.stdout)
    assert round(printed["alpha"], 3) == 0.815 and printed["level"] == "ordinal"
    two = frame[frame["coder"].isin(["B", "D"])]
    two.to_csv(path, index=False)
    printed = json.loads(subprocess.run([sys.executable, "-m", "cxresearch", "reliability", str(path)],
                                        capture_output=True, text=True, cwd=ROOT, check=True).stdout)
    assert printed["n_coders"] == 2 and "cohen_kappa" in printed
    with pytest.raises(ValueError, match="more than one value"):
        reliability_matrix(pd.concat([frame, frame.head(1)]))
