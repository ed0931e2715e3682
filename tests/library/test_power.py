"""exocourse.power: exact power checked against independent formulas, simulation checked
against exact power, and the simulation's reproducibility, chunking and memory."""

from __future__ import annotations

import math
import tracemalloc
import warnings

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.power import TTestIndPower, TTestPower

from exocourse import power
from exocourse.power import (
    analytic_power,
    arm_sizes,
    power_curve,
    sample_size,
    simulated_power,
)

# (n, effect, sd, rho, alpha, spillover): a spread of sizes, effects, correlations and
# levels, including negative effects and correlations, spill-over and tiny and large power.
SPREAD = [
    (6, 10.0, 8.0, 0.0, 0.05, 0.0),
    (12, -4.0, 8.5, 0.5, 0.05, 0.0),
    (21, -4.0, 8.5, 0.0, 0.05, 0.0),
    (21, -8.0, 8.5, 0.9, 0.01, 0.3),
    (33, 2.0, 5.0, -0.4, 0.10, 0.0),
    (40, -3.0, 6.0, 0.75, 0.05, 0.15),
    (57, 1.0, 4.0, 0.2, 0.05, 0.0),
]
DESIGNS = ["split-face", "parallel"]


def spill(design: str, spillover: float) -> float:
    return spillover if design == "split-face" else 0.0


# ------------------------------------------------------------------- analytic power


@pytest.mark.parametrize("n, effect, sd, rho, alpha, spillover", SPREAD)
def test_split_face_power_matches_statsmodels(n, effect, sd, rho, alpha, spillover):
    # statsmodels' one-sample/paired power takes the standardised mean of the difference
    sd_diff = sd * math.sqrt(2 * (1 - rho))
    expected = TTestPower().power(
        effect_size=abs(effect * (1 - spillover)) / sd_diff,
        nobs=n,
        alpha=alpha,
        alternative="two-sided",
    )
    got = analytic_power("split-face", n, effect, sd, rho, alpha, spillover)
    assert got == pytest.approx(expected, rel=1e-7, abs=1e-10)


@pytest.mark.parametrize("n, effect, sd, rho, alpha, spillover", SPREAD)
def test_parallel_power_matches_statsmodels(n, effect, sd, rho, alpha, spillover):
    n0, n1 = n // 2, n - n // 2
    expected = TTestIndPower().power(
        effect_size=abs(effect) / sd, nobs1=n0, ratio=n1 / n0, alpha=alpha, alternative="two-sided"
    )
    assert analytic_power("parallel", n, effect, sd, rho, alpha) == pytest.approx(
        expected, rel=1e-7, abs=1e-10
    )


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("n", [8, 30, 400])
def test_power_is_below_the_normal_approximation_and_meets_it_for_large_n(design, n):
    # z-test power with the same noncentrality is an upper bound (the t critical value is
    # larger); the two agree as n grows
    effect, sd, rho, alpha = 2.0, 8.0, 0.4, 0.05
    if design == "split-face":
        ncp = effect / (sd * math.sqrt(2 * (1 - rho)) / math.sqrt(n))
    else:
        n0, n1 = arm_sizes(n)
        ncp = effect / (sd * math.sqrt(1 / n0 + 1 / n1))
    z = stats.norm.isf(alpha / 2)
    normal = stats.norm.sf(z - ncp) + stats.norm.cdf(-z - ncp)
    got = analytic_power(design, n, effect, sd, rho, alpha)
    assert alpha < got < normal
    if n == 400:
        assert got == pytest.approx(normal, abs=0.005)


@pytest.mark.parametrize("design", DESIGNS)
def test_power_at_zero_effect_is_alpha(design):
    for alpha in (0.01, 0.05, 0.2):
        assert analytic_power(design, 15, 0.0, 3.0, 0.5, alpha) == pytest.approx(alpha, rel=1e-9)


def test_spillover_shrinks_the_split_face_effect_by_its_fraction():
    base = analytic_power("split-face", 21, -4.0 * 0.7, 8.5, 0.2)
    assert analytic_power("split-face", 21, -4.0, 8.5, 0.2, spillover=0.3) == pytest.approx(base)
    assert analytic_power("split-face", 21, -4.0, 8.5, 0.2, spillover=1.0) == pytest.approx(0.05)


def test_parallel_power_ignores_rho_and_split_face_power_grows_with_it():
    parallel = [analytic_power("parallel", 30, 3.0, 8.0, rho) for rho in (-0.5, 0.0, 0.9)]
    assert parallel[0] == pytest.approx(parallel[1]) == pytest.approx(parallel[2])
    split = [analytic_power("split-face", 30, 3.0, 8.0, rho) for rho in (-0.5, 0.0, 0.5, 0.9)]
    assert split == sorted(split) and split[0] < split[-1]


# ---------------------------------------------------------------- simulated power


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("n, effect, sd, rho, alpha, spillover", SPREAD)
def test_simulated_power_is_within_three_monte_carlo_se_of_analytic(
    design, n, effect, sd, rho, alpha, spillover
):
    exact = analytic_power(design, n, effect, sd, rho, alpha, spill(design, spillover))
    result = simulated_power(
        design, n, effect, sd, rho, alpha, spill(design, spillover), reps=20_000, seed=n
    )
    # the Monte Carlo SE of the exact power (not of the estimate) so a power near 0 or 1
    # is not given a zero tolerance
    se = math.sqrt(exact * (1 - exact) / result.reps)
    assert abs(result.power - exact) <= 3 * se + 1e-12, (result.power, exact, se)
    assert result.se == pytest.approx(math.sqrt(result.power * (1 - result.power) / 20_000))
    assert result.rejections == round(result.power * 20_000)


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("n, rho", [(5, 0.0), (21, 0.5), (42, -0.3), (60, 0.9)])
def test_type_one_error_of_the_right_analysis_is_alpha(design, n, rho):
    result = simulated_power(design, n, 0.0, 7.0, rho, reps=40_000, seed=100 + n)
    se = math.sqrt(0.05 * 0.95 / result.reps)
    assert abs(result.power - 0.05) <= 3 * se, result


@pytest.mark.parametrize("rho", [-0.5, 0.0, 0.3, 0.6])
def test_sides_as_independent_miscalibration_is_measured(rho):
    """The wrong analysis uses SE^2 = (s_T^2 + s_C^2) / n, which estimates 2 sd^2 / n, while
    the mean difference has variance 2 sd^2 (1 - rho) / n. So t_wrong ~ sqrt(1 - rho) T,
    with T about t-distributed on 2(n - 1) / (1 + rho^2) df (Satterthwaite). The measured
    rate must agree with that prediction, and be off alpha in the predicted direction."""
    n, alpha = 60, 0.05
    wrong = simulated_power(
        "split-face", n, 0.0, 5.0, rho, alpha, reps=40_000, seed=7, analysis="independent"
    )
    crit = stats.t.isf(alpha / 2, 2 * n - 2)
    predicted = 2 * stats.t.sf(crit / math.sqrt(1 - rho), 2 * (n - 1) / (1 + rho**2))
    se = math.sqrt(predicted * (1 - predicted) / wrong.reps)
    assert abs(wrong.power - predicted) <= 3 * se + 0.002
    alpha_se = math.sqrt(alpha * (1 - alpha) / wrong.reps)
    if rho > 0:
        assert wrong.power < alpha - 3 * alpha_se  # conservative: real effects get missed
    elif rho < 0:
        assert wrong.power > alpha + 3 * alpha_se  # anti-conservative: false positives
    else:
        assert abs(wrong.power - alpha) <= 3 * alpha_se  # with rho = 0 it happens to be right


def test_sides_as_independent_loses_power_when_sides_correlate():
    kwargs = dict(n=21, effect=-4.0, sd=8.5, rho=0.6, reps=20_000, seed=3)
    right = simulated_power("split-face", **kwargs)
    wrong = simulated_power("split-face", analysis="independent", **kwargs)
    assert wrong.power < right.power - 3 * math.hypot(right.se, wrong.se)


@pytest.mark.parametrize("design", DESIGNS)
def test_same_seed_same_result_other_seed_other_result(design):
    kwargs = dict(n=21, effect=-4.0, sd=8.5, rho=0.3, reps=5_000)
    first = simulated_power(design, seed=11, **kwargs)
    assert simulated_power(design, seed=11, **kwargs) == first
    assert simulated_power(design, seed=np.random.default_rng(11), **kwargs) == first
    assert simulated_power(design, seed=12, **kwargs).rejections != first.rejections


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("chunk", [1, 7, 999, 5_000, None])
def test_chunking_gives_identical_results(design, chunk):
    """Chunks are consecutive draws from one generator, in replicate order, so chunk size
    cannot change which numbers a replicate gets."""
    kwargs = dict(n=13, effect=3.0, sd=8.0, rho=0.4, reps=5_000, seed=21)
    whole = simulated_power(design, chunk_reps=5_000, **kwargs)
    assert simulated_power(design, chunk_reps=chunk, **kwargs) == whole


def test_default_chunk_is_several_chunks_for_many_replicates():
    assert power._chunk_reps("split-face", 21, None) * 21 * 2 <= power.CHUNK_VALUES
    assert power._chunk_reps("parallel", 10**7, None) == 1


def test_memory_stays_bounded_for_a_million_replicates():
    n, reps = 6, 1_000_000
    all_at_once = reps * n * 2 * 8  # bytes of the random numbers if drawn in one array
    tracemalloc.start()
    try:
        result = simulated_power("split-face", n, 2.0, 4.0, 0.5, reps=reps, seed=1)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.reps == reps
    assert peak < 24 * 2**20, f"peak {peak / 2**20:.1f} MiB"
    assert peak < all_at_once / 4


# ------------------------------------------------------------------- sample size


@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("target", [0.5, 0.8, 0.9])
@pytest.mark.parametrize("effect, rho", [(-4.0, 0.0), (-8.0, 0.5), (1.5, 0.9)])
def test_sample_size_is_the_smallest_n_that_reaches_the_power(design, target, effect, rho):
    n = sample_size(design, target, effect, 8.5, rho)
    assert analytic_power(design, n, effect, 8.5, rho) >= target
    if n > power.MIN_N[design]:
        assert analytic_power(design, n - 1, effect, 8.5, rho) < target


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8, 0.9, 0.95])
def test_split_face_needs_one_minus_rho_over_two_of_the_participants(rho):
    """Equal precision: 2(1 - rho) sd^2 / n_split = 4 sd^2 / n_parallel. The t
    distribution's extra participants and rounding add at most a few people."""
    split = sample_size("split-face", 0.8, 0.2, 1.0, rho)
    parallel = sample_size("parallel", 0.8, 0.2, 1.0, rho)
    assert abs(split - (1 - rho) / 2 * parallel) <= 3
    z = stats.norm.isf(0.025) + stats.norm.isf(0.2)  # normal-approximation sample sizes
    assert 0 <= split - 2 * (1 - rho) * z**2 / 0.2**2 <= 3
    assert 0 <= parallel - 4 * z**2 / 0.2**2 <= 4


def test_sample_size_with_spillover_grows_by_one_over_one_minus_spillover_squared():
    plain = sample_size("split-face", 0.8, -4.0, 8.5, 0.0)
    spilled = sample_size("split-face", 0.8, -4.0, 8.5, 0.0, spillover=0.3)
    assert spilled == sample_size("split-face", 0.8, -4.0 * 0.7, 8.5, 0.0)
    assert spilled / plain == pytest.approx(1 / 0.7**2, rel=0.03)


# -------------------------------------------------------------------- power curve


def test_power_curve_has_one_row_per_design_and_n_and_is_reproducible():
    ns = [6, 10, 21]
    curve = power_curve(DESIGNS, ns, -4.0, 8.5, 0.3, reps=2_000, seed=5, spillover=0.1)
    assert curve.columns.tolist() == ["design", "n", "analytic_power", "simulated_power", "mc_se"]
    assert curve["design"].tolist() == ["split-face"] * 3 + ["parallel"] * 3
    assert curve["n"].tolist() == ns * 2
    for row in curve.itertuples():
        expected = analytic_power(row.design, row.n, -4.0, 8.5, 0.3, 0.05, spill(row.design, 0.1))
        assert row.analytic_power == pytest.approx(expected)
        se = math.sqrt(expected * (1 - expected) / 2000)
        assert abs(row.simulated_power - expected) <= 4 * se
    again = power_curve(DESIGNS, ns, -4.0, 8.5, 0.3, reps=2_000, seed=5, spillover=0.1)
    assert again.equals(curve)
    exact_only = power_curve("parallel", ns, -4.0, 8.5, 0.3, simulate=False)
    assert exact_only["simulated_power"].isna().all()


# ------------------------------------------------------------------------ bad input

GOOD = dict(design="split-face", n=21, effect=-4.0, sd=8.5, rho=0.3)


@pytest.mark.parametrize(
    "changes, match",
    [
        (dict(design="crossover"), "design"),
        (dict(design=None), "design"),
        (dict(n=1), "n"),
        (dict(design="parallel", n=3), "n"),
        (dict(n=21.5), "n"),
        (dict(n=True), "n"),
        (dict(sd=0.0), "sd"),
        (dict(sd=-1.0), "sd"),
        (dict(sd=float("nan")), "sd"),
        (dict(rho=1.2), "rho"),
        (dict(rho=-1.01), "rho"),
        (dict(rho=1.0), "rho"),
        (dict(effect="big"), "effect"),
        (dict(effect=float("inf")), "effect"),
        (dict(alpha=0.0), "alpha"),
        (dict(alpha=1.0), "alpha"),
        (dict(spillover=-0.1), "spillover"),
        (dict(spillover=1.5), "spillover"),
        (dict(design="parallel", spillover=0.3), "spillover"),
    ],
)
@pytest.mark.parametrize("function", ["analytic", "simulated"])
def test_bad_arguments_raise_value_errors_that_name_them(function, changes, match):
    kwargs = {**GOOD, **changes}
    call = analytic_power if function == "analytic" else simulated_power
    if function == "simulated":
        kwargs["reps"] = 10
    with pytest.raises(ValueError, match=rf"^{match} "):
        call(**kwargs)


@pytest.mark.parametrize(
    "changes, match",
    [
        (dict(reps=0), "reps"),
        (dict(reps=10.0), "reps"),
        (dict(seed="abc"), "seed"),
        (dict(analysis="two-sample"), "analysis"),
        (dict(chunk_reps=0), "chunk_reps"),
    ],
)
def test_bad_simulation_arguments_raise_value_errors_that_name_them(changes, match):
    with pytest.raises(ValueError, match=rf"^{match} "):
        simulated_power(**{**GOOD, **changes})


@pytest.mark.parametrize(
    "changes, match",
    [
        (dict(power=0.0), "power"),
        (dict(power=1.0), "power"),
        (dict(power=80), "power"),
        (dict(effect=0.0), "effect"),
        (dict(spillover=1.0), "effect"),
        (dict(rho=2.0), "rho"),
        (dict(design="cross-over"), "design"),
    ],
)
def test_bad_sample_size_arguments_raise_value_errors_that_name_them(changes, match):
    kwargs = {"power": 0.8, **GOOD, **changes}
    kwargs.pop("n")
    with pytest.raises(ValueError, match=rf"^{match} "):
        sample_size(**kwargs)


def test_power_curve_rejects_an_empty_list_of_sizes():
    with pytest.raises(ValueError, match="^ns "):
        power_curve("parallel", [], -4.0, 8.5, 0.0)


# ------------------------------------------- parallel trial that reads both cheeks


@pytest.mark.parametrize("n, effect, sd, rho, alpha, spillover", SPREAD)
def test_two_site_parallel_power_matches_statsmodels(n, effect, sd, rho, alpha, spillover):
    # each person's outcome is the mean of two sides correlated rho: Var = sd^2 (1 + rho) / 2
    n0, n1 = n // 2, n - n // 2
    sd_person = sd * math.sqrt((1 + rho) / 2)
    expected = TTestIndPower().power(
        effect_size=abs(effect) / sd_person,
        nobs1=n0,
        ratio=n1 / n0,
        alpha=alpha,
        alternative="two-sided",
    )
    got = analytic_power("parallel", n, effect, sd, rho, alpha, sites=2)
    assert got == pytest.approx(expected, rel=1e-7, abs=1e-10)


@pytest.mark.parametrize("n, effect, sd, rho, alpha, spillover", SPREAD)
def test_two_site_parallel_simulation_is_within_three_monte_carlo_se(
    n, effect, sd, rho, alpha, spillover
):
    n0, n1 = n // 2, n - n // 2
    exact = TTestIndPower().power(  # independent of the package's own formula
        effect_size=abs(effect) / (sd * math.sqrt((1 + rho) / 2)),
        nobs1=n0,
        ratio=n1 / n0,
        alpha=alpha,
        alternative="two-sided",
    )
    result = simulated_power("parallel", n, effect, sd, rho, alpha, reps=20_000, seed=n, sites=2)
    se = math.sqrt(exact * (1 - exact) / result.reps)
    assert abs(result.power - exact) <= 3 * se + 1e-12, (result.power, exact, se)
    assert result.sites == 2


@pytest.mark.parametrize("rho", [-0.5, 0.0, 0.5])
def test_two_site_parallel_type_one_error_is_alpha(rho):
    result = simulated_power("parallel", 30, 0.0, 7.0, rho, reps=40_000, seed=9, sites=2)
    assert abs(result.power - 0.05) <= 3 * math.sqrt(0.05 * 0.95 / result.reps), result


def test_one_site_parallel_simulation_is_unchanged_by_the_sites_option():
    kwargs = dict(n=21, effect=-4.0, sd=8.5, rho=0.3, reps=3_000, seed=4)
    assert simulated_power("parallel", **kwargs) == simulated_power("parallel", sites=1, **kwargs)


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.5, 0.8])
def test_split_face_against_two_site_parallel_needs_one_minus_rho_over_one_plus_rho(rho):
    """Equal precision: 2(1 - rho) sd^2 / n_split = 2(1 + rho) sd^2 / n_parallel, so the
    ratio is (1 - rho) / (1 + rho): no advantage at rho = 0."""
    split = sample_size("split-face", 0.8, 0.2, 1.0, rho)
    both = sample_size("parallel", 0.8, 0.2, 1.0, rho, sites=2)
    assert abs(split - (1 - rho) / (1 + rho) * both) <= 3
    z = stats.norm.isf(0.025) + stats.norm.isf(0.2)
    assert 0 <= both - 4 * (1 + rho) / 2 * z**2 / 0.2**2 <= 4
    if rho == 0:
        assert abs(split - both) <= 1


def test_two_site_parallel_gains_nothing_when_the_sides_are_perfectly_correlated():
    # with rho = 1 both cheeks carry the same change: reading both is reading one
    one = analytic_power("parallel", 30, 3.0, 8.0, 1.0)
    assert analytic_power("parallel", 30, 3.0, 8.0, 1.0, sites=2) == pytest.approx(one)


def test_power_curve_passes_sites_to_parallel_rows_only():
    curve = power_curve(DESIGNS, [10, 20], -4.0, 8.5, 0.4, simulate=False, sites=2)
    for row in curve.itertuples():
        sites = 2 if row.design == "parallel" else 1
        expected = analytic_power(row.design, row.n, -4.0, 8.5, 0.4, sites=sites)
        assert row.analytic_power == pytest.approx(expected)
    simulated = power_curve("parallel", [20], -4.0, 8.5, 0.4, reps=2_000, seed=1, sites=2)
    exact = analytic_power("parallel", 20, -4.0, 8.5, 0.4, sites=2)
    assert abs(simulated["simulated_power"][0] - exact) <= 4 * math.sqrt(exact * (1 - exact) / 2000)


@pytest.mark.parametrize(
    "changes, match",
    [
        (dict(design="parallel", sites=3), "sites"),
        (dict(design="parallel", sites=0), "sites"),
        (dict(design="parallel", sites=2.0), "sites"),
        (dict(design="parallel", sites=True), "sites"),
        (dict(design="split-face", sites=2), "sites"),
        (dict(design="parallel", sites=2, rho=-1.0), "rho"),
    ],
)
@pytest.mark.parametrize("function", ["analytic", "simulated", "sample_size"])
def test_bad_sites_raise_value_errors_that_name_them(function, changes, match):
    kwargs = {**GOOD, **changes}
    if function == "simulated":
        call, kwargs["reps"] = simulated_power, 10
    elif function == "sample_size":
        call, kwargs["power"] = sample_size, 0.8
        kwargs.pop("n")
    else:
        call = analytic_power
    with pytest.raises(ValueError, match=rf"^{match} "):
        call(**kwargs)


# ------------------------------------------------ targets and run sizes that mislead


@pytest.mark.parametrize("target, alpha", [(0.05, 0.05), (0.03, 0.05), (0.1, 0.2), (0.01, 0.01)])
def test_sample_size_refuses_a_power_at_or_below_alpha(target, alpha):
    kwargs = {**GOOD, "power": target, "alpha": alpha}
    kwargs.pop("n")
    with pytest.raises(ValueError, match=r"^power must exceed alpha .*no effect"):
        sample_size(**kwargs)


def test_sample_size_accepts_a_power_just_above_alpha():
    n = sample_size("split-face", 0.06, -4.0, 8.5, 0.0)
    assert analytic_power("split-face", n, -4.0, 8.5, 0.0) >= 0.06
    assert (
        n == power.MIN_N["split-face"] or analytic_power("split-face", n - 1, -4.0, 8.5, 0.0) < 0.06
    )


def test_simulated_power_warns_above_the_documented_number_of_replicates(monkeypatch):
    assert power.REPS_WARNING == 10_000_000
    monkeypatch.setattr(power, "REPS_WARNING", 50)  # the same check, without a long run
    with pytest.warns(UserWarning, match=r"reps = 51 is more than 50 replicates"):
        result = simulated_power(**GOOD, reps=51, seed=1)
    assert result.reps == 51  # it warns, and still runs
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        simulated_power(**GOOD, reps=50, seed=1)  # at the threshold: silent
