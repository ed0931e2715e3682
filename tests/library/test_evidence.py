"""exocourse.evidence: the single-arm pre/post simulator against independent answers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import TTestPower

from exocourse import evidence

N_SIMS = 20_000


def _binomial_tolerance(rate: float, n_sims: int = N_SIMS) -> float:
    """Four Monte Carlo standard errors of a simulated proportion."""
    return 4 * math.sqrt(max(rate * (1 - rate), 1e-4) / n_sims)


@pytest.mark.parametrize("n", [10, 56])
def test_with_nothing_going_on_the_false_positive_rate_is_alpha(n):
    sims = evidence.simulate_prepost(n, N_SIMS, seed=11)
    assert abs(evidence.rejection_rate(sims["p_value"]) - 0.05) < _binomial_tolerance(0.05)
    assert abs(evidence.rejection_rate(sims["p_value"], alpha=0.01) - 0.01) < _binomial_tolerance(
        0.01
    )


@pytest.mark.parametrize(
    "n, shift", [(21, -3.0), (56, -4.0), (56, 2.5), (12, -10.0)], ids=["a", "b", "c", "d"]
)
def test_without_screening_the_rate_matches_noncentral_t_power(n, shift):
    # No enrolment threshold: changes are exactly normal, mean = shift, SD = sqrt(2) x visit SD.
    design = {"drift": shift, "transient_sd": 8.0, "measurement_sd": 6.0}
    sims = evidence.simulate_prepost(n, N_SIMS, seed=5, **design)
    sd_change = math.sqrt(2 * (8.0**2 + 6.0**2))
    expected = TTestPower().power(effect_size=shift / sd_change, nobs=n, alpha=0.05)
    assert abs(evidence.rejection_rate(sims["p_value"]) - expected) < _binomial_tolerance(expected)


@pytest.mark.parametrize("n, mean, sd", [(21, 0.0, 12.0), (21, -3.0, 12.0), (56, 5.0, 14.0)])
def test_analytic_rejection_rate_agrees_with_statsmodels(n, mean, sd):
    expected = TTestPower().power(effect_size=mean / sd, nobs=n, alpha=0.05)
    assert evidence.paired_t_rejection_rate(n, mean, sd) == pytest.approx(expected, abs=1e-8)


@pytest.mark.parametrize("enrol_min", [120.0, 150.0, 175.0])
def test_regression_to_the_mean_matches_the_truncated_normal(enrol_min):
    design = {"enrol_min": enrol_min, "between_sd": 30.0, "transient_sd": 8.0}
    total_sd = math.sqrt(30.0**2 + 8.0**2 + 6.0**2)
    a = (enrol_min - 150.0) / total_sd
    selected_mean = stats.truncnorm.mean(a, np.inf, loc=150.0, scale=total_sd)
    reliability = 30.0**2 / total_sd**2
    # The follow-up expects only the persistent share of the baseline excess.
    expected = -(1 - reliability) * (selected_mean - 150.0)
    assert evidence.expected_prepost_change(**design) == pytest.approx(expected, rel=1e-9)
    sims = evidence.simulate_prepost(40, N_SIMS, seed=2, **design)
    standard_error = sims["mean_change"].std() / math.sqrt(N_SIMS)
    assert abs(sims["mean_change"].mean() - expected) < 4 * standard_error


def test_screening_keeps_only_high_readings_and_the_study_size():
    pre, post = evidence.draw_prepost(np.random.default_rng(1), 50, 56, enrol_min=165.0)
    assert pre.shape == post.shape == (50, 56)
    assert pre.min() >= 165.0
    assert np.all(np.isfinite(post))


def test_without_screening_the_readings_have_the_model_covariance():
    pre, post = evidence.draw_prepost(np.random.default_rng(4), 4000, 50, drift=3.0)
    total = 30.0**2 + 8.0**2 + 6.0**2
    cov = np.cov(pre.ravel(), post.ravel())
    assert cov[0, 0] == pytest.approx(total, rel=0.02)
    assert cov[1, 1] == pytest.approx(total, rel=0.02)
    assert cov[0, 1] == pytest.approx(30.0**2, rel=0.03)  # only the persistent level is shared
    assert (post - pre).mean() == pytest.approx(3.0, abs=0.1)


def test_the_product_effect_only_shifts_the_follow_up():
    base = evidence.draw_prepost(np.random.default_rng(9), 3, 56, enrol_min=150.0)
    treated = evidence.draw_prepost(
        np.random.default_rng(9), 3, 56, enrol_min=150.0, product_effect=-4.0
    )
    np.testing.assert_array_equal(base[0], treated[0])
    np.testing.assert_allclose(treated[1] - base[1], -4.0)


def test_simulation_is_seeded():
    a = evidence.simulate_prepost(20, 100, seed=7, drift=-2.0)
    b = evidence.simulate_prepost(20, 100, seed=7, drift=-2.0)
    c = evidence.simulate_prepost(20, 100, seed=8, drift=-2.0)
    assert a.equals(b) and not a.equals(c)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 1}, "n must be a whole number >= 2"),
        ({"n": 5.5}, "n must be a whole number"),
        ({"n_sims": 0}, "n_sims must be a whole number >= 1"),
        ({"between_sd": -1.0}, "between_sd must be a finite number >= 0"),
        ({"transient_sd": 0.0, "measurement_sd": 0.0}, "cannot both be 0"),
        ({"drift": float("nan")}, "drift must be a finite number"),
        ({"enrol_min": float("inf")}, "enrol_min must be a finite number or None"),
        ({"season": 3.0}, r"unknown design parameter\(s\) \['season'\]"),
    ],
)
def test_bad_input_names_the_argument(kwargs, message):
    call = {"n": 10, "n_sims": 5, "seed": 1, **kwargs}
    with pytest.raises(ValueError, match=message):
        evidence.simulate_prepost(**call)


def test_rejection_rate_rejects_bad_alpha_and_empty_input():
    with pytest.raises(ValueError, match="alpha must lie strictly between 0 and 1"):
        evidence.rejection_rate([0.1], alpha=1.5)
    with pytest.raises(ValueError, match="p_values is empty"):
        evidence.rejection_rate([])
    with pytest.raises(ValueError, match="sd_change must be > 0"):
        evidence.paired_t_rejection_rate(10, 1.0, 0.0)
