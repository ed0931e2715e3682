"""exocourse.inference: the shared tests and power formula, against SciPy, statsmodels
and brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import TTestIndPower, TTestPower

from exocourse import inference
from exocourse.inference import (
    hodges_lehmann,
    independent_arrays,
    moments,
    one_sample_arrays,
    paired_arrays,
    signed_rank_null,
    t_test_power,
    two_sample_arrays,
    wilcoxon_arrays,
)


@pytest.fixture
def rows():
    """Five rows of 12 paired values, with some pairs missing in the last two rows."""
    rng = np.random.default_rng(11)
    treated = rng.normal(1.0, 2.0, size=(5, 12))
    control = 0.6 * treated + rng.normal(0.0, 1.5, size=(5, 12))
    treated[3, [2, 7]] = np.nan
    control[4, 0] = np.nan
    return treated, control


def _complete(a, b):
    ok = ~(np.isnan(a) | np.isnan(b))
    return a[ok], b[ok]


def test_moments_leave_out_missing_values_and_match_numpy(rows):
    treated, _ = rows
    count, mean, var = moments(treated)
    for i, row in enumerate(treated):
        kept = row[~np.isnan(row)]
        assert count[i] == kept.size
        assert mean[i] == pytest.approx(kept.mean(), rel=1e-12)
        assert var[i] == pytest.approx(kept.var(ddof=1), rel=1e-12)


def test_paired_and_one_sample_tests_match_scipy(rows):
    treated, control = rows
    paired = paired_arrays(treated, control, alpha=0.1)
    single = one_sample_arrays(treated - control, alpha=0.1)
    for i in range(treated.shape[0]):
        a, b = _complete(treated[i], control[i])
        ref = stats.ttest_rel(a, b)
        ci = ref.confidence_interval(0.9)
        for result in (paired, single):
            assert result["statistic"][i] == pytest.approx(ref.statistic, rel=1e-10)
            assert result["p_value"][i] == pytest.approx(ref.pvalue, rel=1e-10)
            assert result["ci_low"][i] == pytest.approx(ci.low, rel=1e-10)
            assert result["ci_high"][i] == pytest.approx(ci.high, rel=1e-10)


def test_two_sample_and_independent_tests_match_scipy(rows):
    treated, control = rows
    y = np.concatenate([treated, control], axis=1)
    group = np.concatenate([np.ones_like(treated), np.zeros_like(control)], axis=1) == 1
    pooled = two_sample_arrays(y, group)
    wrong = independent_arrays(treated, control)
    for i in range(treated.shape[0]):
        a, b = treated[i][~np.isnan(treated[i])], control[i][~np.isnan(control[i])]
        ref = stats.ttest_ind(a, b)
        assert pooled["statistic"][i] == pytest.approx(ref.statistic, rel=1e-10)
        assert pooled["p_value"][i] == pytest.approx(ref.pvalue, rel=1e-10)
        a, b = _complete(treated[i], control[i])  # the wrong analysis keeps whole pairs only
        ref = stats.ttest_ind(a, b)
        assert wrong["statistic"][i] == pytest.approx(ref.statistic, rel=1e-10)
        assert wrong["df"][i] == 2 * a.size - 2


def test_wilcoxon_rows_match_scipy(rows):
    treated, control = rows
    result = wilcoxon_arrays(treated, control)
    for i in range(treated.shape[0]):
        a, b = _complete(treated[i], control[i])
        assert result["p_value"][i] == pytest.approx(stats.wilcoxon(a - b).pvalue, rel=1e-10)
        assert result["n"][i] == a.size


def test_wilcoxon_rows_give_each_row_s_hodges_lehmann_interval(rows, monkeypatch):
    treated, control = rows
    monkeypatch.setattr(inference, "WALSH_BLOCK", 50)  # several blocks per group of rows
    for alpha in (0.05, 0.2):
        result = wilcoxon_arrays(treated, control, alpha)
        for i in range(treated.shape[0]):
            a, b = _complete(treated[i], control[i])
            expected = hodges_lehmann(a - b, alpha)
            got = (result["estimate"][i], result["ci_low"][i], result["ci_high"][i])
            assert got == pytest.approx(expected, rel=1e-12)


def test_wilcoxon_rows_with_no_pair_give_no_estimate_and_one_pair_no_interval():
    treated = np.array([[np.nan, np.nan], [1.0, np.nan]])
    result = wilcoxon_arrays(treated, np.zeros((2, 2)))
    assert np.isnan([result[k][0] for k in ("estimate", "ci_low", "ci_high")]).all()
    assert (result["estimate"][1], result["ci_low"][1], result["ci_high"][1]) == (
        1.0,
        -math.inf,
        math.inf,
    )


@pytest.mark.parametrize("df, ncp", [(5, 0.0), (20, 1.5), (40, -2.5), (143, 2.8)])
def test_t_test_power_matches_statsmodels(df, ncp):
    # a one-sample test with n = df + 1 and effect size ncp / sqrt(n) has noncentrality ncp
    n = df + 1
    expected = TTestPower().power(effect_size=ncp / math.sqrt(n), nobs=n, alpha=0.05)
    assert t_test_power(df, ncp, 0.05) == pytest.approx(expected, abs=1e-12)
    # a balanced two-sample test with n per arm has df 2n - 2 and ncp d * sqrt(n / 2)
    per_arm = (df + 2) / 2
    if per_arm.is_integer():
        d = ncp / math.sqrt(per_arm / 2)
        two = TTestIndPower().power(effect_size=d, nobs1=per_arm, alpha=0.05)
        assert t_test_power(df, ncp, 0.05) == pytest.approx(two, abs=1e-12)


def test_signed_rank_null_matches_brute_force_enumeration():
    for n in range(1, 9):
        sums = [
            sum(r for r, s in zip(range(1, n + 1), signs, strict=True) if s)
            for signs in itertools.product([0, 1], repeat=n)
        ]
        expected = np.bincount(sums, minlength=n * (n + 1) // 2 + 1) / 2**n
        np.testing.assert_allclose(signed_rank_null(n), expected)


def test_hodges_lehmann_with_too_few_pairs_gives_an_unbounded_interval():
    estimate, low, high = hodges_lehmann(np.array([1.0, 2.0, 4.0]))
    assert estimate == 2.25 and (low, high) == (-math.inf, math.inf)  # median of 6 averages
