"""Customer metrics: intervals checked against published values and by simulation."""

import numpy as np
import pandas as pd
import pytest

from cxresearch.survey.metrics import customer_metrics, nps_interval, wilson_interval


@pytest.mark.parametrize(
    "x, n, low, high",
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611)],
)
def test_wilson_interval_equals_newcombe_1998(x, n, low, high):
    """Expected values: Newcombe (1998) Stat Med 17:857, Table II, method 3 (Wilson score without CC)."""
    lo, hi = wilson_interval(x, n)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_nps_interval_covers_true_nps_at_nominal_rate():
    """Expected value: a 95% interval covers the true NPS in about 95% of samples.

    Truth is known by construction: answers drawn with P(promoter)=0.45, P(detractor)=0.2,
    so NPS = 25. With 4000 samples of n=150 the coverage's own SE is 0.35 points.
    """
    rng = np.random.default_rng(7)
    n, reps = 150, 4000
    draws = rng.multinomial(n, [0.45, 0.35, 0.20], size=reps)
    _, lo, hi = nps_interval(draws[:, 0], draws[:, 2], n)
    coverage = np.mean((lo <= 25) & (hi >= 25))
    assert 0.93 <= coverage <= 0.97


def test_nps_point_estimate_is_promoters_minus_detractors():
    """Expected value: NPS definition (Reichheld 2003): %promoters − %detractors = 50% − 20% = 30."""
    nps, lo, hi = nps_interval(5, 2, 10)
    assert nps == pytest.approx(30.0)
    assert lo < 30 < hi


def test_customer_metrics_per_moment_three_rows():
    """Expected values computed by hand from the six responses below."""
    df = pd.DataFrame(
        {
            "moment": ["buy", "buy", "buy", "use", "use", "use"],
            "csat": [5, 4, 2, 3, 3, 3],
            "nps": [10, 9, 3, 7, 8, 0],
            "expectation": [4, 4, 4, 3, 3, 3],
            "delivery": [5, 4, 3, 2, 2, 2],
        }
    )
    out = customer_metrics(df).set_index("moment")
    assert out.loc["buy", "csat_mean"] == pytest.approx(11 / 3)
    assert out.loc["buy", "top2"] == pytest.approx(2 / 3)
    assert out.loc["buy", "nps"] == pytest.approx(100 * (2 - 1) / 3)
    assert out.loc["use", "nps"] == pytest.approx(-100 / 3)
    assert out.loc["use", "gap"] == pytest.approx(-1.0)
    assert out.loc["buy", "gap"] == pytest.approx(0.0)


def test_period_change_matches_scipy_welch_and_newcombe():
    """CSAT change: the Welch interval and p-value equal scipy's ttest_ind(equal_var=False) (its confidence_interval).
    Top-2-box change: Newcombe's (1998) worked example 56/70 vs 48/80 gives the difference 0.2 with the method-10
    interval 0.0524 … 0.3339 (Newcombe, Statistics in Medicine 17:873, Table II)."""
    from scipy import stats

    from cxresearch.survey.metrics import period_change

    b = np.r_[np.full(56, 4), np.full(14, 2)]
    a = np.r_[np.full(48, 5), np.full(32, 1)]
    frame = pd.DataFrame({"moment": "buy", "period": ["2026-H1"] * len(a) + ["2026-H2"] * len(b),
                          "csat": np.r_[a, b]})
    row = period_change(frame).iloc[0]
    ref = stats.ttest_ind(b, a, equal_var=False)
    ci = ref.confidence_interval(0.95)
    assert row["csat_change"] == pytest.approx(b.mean() - a.mean())
    assert (row["csat_low"], row["csat_high"]) == pytest.approx((ci.low, ci.high), abs=1e-9)
    assert row["csat_p"] == pytest.approx(ref.pvalue, abs=1e-12)
    assert row["top2_change"] == pytest.approx(0.2)
    assert (row["top2_low"], row["top2_high"]) == pytest.approx((0.0524, 0.3339), abs=1e-4)
