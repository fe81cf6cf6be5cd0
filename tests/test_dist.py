"""``cxresearch.dist`` against ``scipy.stats``: the reference implementation of the same functions."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from cxresearch import dist


def test_quantiles_and_tails_equal_scipy_stats():
    """Expected values: ``scipy.stats`` itself, over a grid of levels and degrees of freedom."""
    q = np.array([0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.9995])
    np.testing.assert_allclose(dist.norm_ppf(q), stats.norm.ppf(q), rtol=1e-12)
    x = np.array([-8.0, -1.96, 0.0, 0.7, 3.0, 12.0])
    np.testing.assert_allclose(dist.norm_cdf(x), stats.norm.cdf(x), rtol=1e-12)
    np.testing.assert_allclose(dist.norm_sf(x), stats.norm.sf(x), rtol=1e-12)
    for df in (1, 2.5, 7, 30, 1e4):
        np.testing.assert_allclose(dist.t_ppf(q, df), stats.t.ppf(q, df), rtol=1e-10)
        np.testing.assert_allclose(dist.t_sf(x, df), stats.t.sf(x, df), rtol=1e-10, atol=1e-300)
    for dfn, dfd in ((3, 40), (12, 1188), (1, 5)):
        np.testing.assert_allclose(dist.f_ppf(q, dfn, dfd), stats.f.ppf(q, dfn, dfd), rtol=1e-10)
    # a textbook value: the two-sided 95 % t quantile at 10 degrees of freedom is 2.228 (any t table)
    assert dist.t_ppf(0.975, 10) == pytest.approx(2.228, abs=5e-4)


def test_t_tests_equal_scipy_stats():
    """Expected p values: ``scipy.stats.ttest_1samp`` and ``ttest_ind(equal_var=False)`` on random samples."""
    rng = np.random.default_rng(3)
    for n1, n2 in ((5, 9), (40, 33), (300, 12)):
        a, b = rng.normal(0.2, 1.0, n1), rng.normal(0.0, 2.0, n2)
        assert dist.ttest_1samp_p(a, 0.0) == pytest.approx(stats.ttest_1samp(a, 0.0).pvalue, rel=1e-10)
        assert dist.welch_ttest_p(a, b) == pytest.approx(stats.ttest_ind(a, b, equal_var=False).pvalue, rel=1e-10)


def test_normal_probplot_equals_scipy_stats():
    """Expected: ``scipy.stats.probplot(x, dist="norm")`` (Filliben's order statistic medians, LS line)."""
    rng = np.random.default_rng(4)
    for n in (3, 17, 250):
        x = rng.gamma(2.0, size=n)
        (osm, osr), (slope, intercept, r) = dist.normal_probplot(x)
        (osm0, osr0), (slope0, intercept0, r0) = stats.probplot(x, dist="norm")
        np.testing.assert_allclose(osm, osm0, rtol=1e-12)
        np.testing.assert_allclose(osr, osr0)
        assert (slope, intercept, r) == pytest.approx((slope0, intercept0, r0), rel=1e-10)
