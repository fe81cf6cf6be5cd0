"""Raking and the effective sample size against known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxresearch.exceptions import CxResearchError
from cxresearch.survey.weighting import effective_sample_size, rake


def test_one_margin_is_post_stratification():
    """With one margin, raking gives each response target share / sample share (post-stratification)."""
    frame = pd.DataFrame({"segment": ["a"] * 60 + ["b"] * 30 + ["c"] * 10})
    w = rake(frame, {"segment": {"a": 0.4, "b": 0.4, "c": 0.2}})
    assert w[0] == pytest.approx(0.4 / 0.6) and w[60] == pytest.approx(0.4 / 0.3) and w[99] == pytest.approx(2.0)


def test_two_margins_are_met_and_an_independent_table_gets_product_weights():
    """A sample whose segment × channel table is independent (product of its margins): raking to new margins gives
    the product of the two post-stratification factors (Deming and Stephan 1940), and meets both targets."""
    seg = {"a": 0.5, "b": 0.5}
    ch = {"store": 0.75, "web": 0.25}
    rows = [(s, c) for s, ps in seg.items() for c, pc in ch.items() for _ in range(int(400 * ps * pc))]
    frame = pd.DataFrame(rows, columns=["segment", "channel"])
    targets = {"segment": {"a": 0.3, "b": 0.7}, "channel": {"store": 0.5, "web": 0.5}}
    w = rake(frame, targets)
    expect = frame["segment"].map({"a": 0.3 / 0.5, "b": 0.7 / 0.5}) * frame["channel"].map({"store": 0.5 / 0.75, "web": 0.5 / 0.25})
    np.testing.assert_allclose(w, expect / expect.mean(), rtol=1e-8)
    for col, t in targets.items():
        got = pd.Series(w).groupby(frame[col]).sum() / w.sum()
        for lev, share in t.items():
            assert got[lev] == pytest.approx(share, abs=1e-9)


def test_kish_effective_sample_size():
    """Kish (1965): n_eff = (Σw)²/Σw²; weights 1, 1, 2, 2 give 36/10 = 3.6; equal weights give n."""
    assert effective_sample_size([1, 1, 2, 2]) == pytest.approx(3.6)
    assert effective_sample_size(np.full(50, 0.7)) == pytest.approx(50)


def test_bad_margins_are_all_reported():
    """Every problem at once: shares not summing to 1, a level in the data without a target, an unknown column."""
    frame = pd.DataFrame({"segment": ["a", "b", "c"]})
    with pytest.raises(CxResearchError) as err:
        rake(frame, {"segment": {"a": 0.5, "b": 0.4}, "region": {"x": 1.0}})
    msg = str(err.value)
    assert "sum to 0.9000" in msg and "level 'c'" in msg and "region" in msg


def test_weighted_metrics_with_equal_weights_equal_the_unweighted_ones_and_weights_widen_intervals():
    """Equal weights reproduce the unweighted metrics exactly (n_eff = n); raking weights that differ widen the CSAT
    interval by about sqrt(n / n_eff), the design effect of weighting."""
    from cxresearch.survey.metrics import customer_metrics

    rng = np.random.default_rng(1)
    n = 800
    frame = pd.DataFrame({"moment": "buy", "csat": rng.integers(1, 6, n), "nps": rng.integers(0, 11, n),
                          "segment": np.where(rng.random(n) < 0.7, "a", "b")})
    plain = customer_metrics(frame).iloc[0]
    same = customer_metrics(frame.assign(w=1.0), weight="w").iloc[0]
    for col in ("csat_mean", "csat_low", "csat_high", "top2", "top2_low", "top2_high", "nps", "nps_low", "nps_high"):
        assert same[col] == pytest.approx(plain[col], abs=1e-9), col
    assert same["n_eff"] == pytest.approx(n)
    w = rake(frame, {"segment": {"a": 0.3, "b": 0.7}})
    weighted = customer_metrics(frame.assign(w=w), weight="w").iloc[0]
    assert weighted["n_eff"] < n
    ratio = (weighted["csat_high"] - weighted["csat_low"]) / (plain["csat_high"] - plain["csat_low"])
    assert ratio == pytest.approx(np.sqrt(n / weighted["n_eff"]), rel=0.15)
