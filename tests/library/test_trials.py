"""exocourse.trials: the simulated trial matches its stated parameters, its analyses
match SciPy on the same data, and the design flaws it teaches are measured."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from exocourse import power, trials
from exocourse.trials import (
    FADING_SHAPE,
    TrialParams,
    analyse,
    estimates,
    paired_t,
    pre_post_t,
    side_pairs,
    sides_as_independent,
    simulate_many,
    simulate_trial,
    two_sample_t,
    wilcoxon,
)

# -------------------------------------------------------------------- parameters


def test_defaults_are_the_fact_sheet_assumptions():
    p = TrialParams()
    assert (p.design, p.n, p.weeks) == ("split-face", 21, (0, 2, 4, 8))
    assert (p.baseline_mean, p.baseline_sd, p.side_correlation) == (150, 30, 0.9)
    assert (p.measurement_sd, p.drift_range, p.effect) == (6, (-5, 10), -4)
    assert (p.spillover, p.left_offset, p.dropout, p.treated_side) == (0, 5, 0.1, "random")
    fading = TrialParams(effect=-3, effect_shape=FADING_SHAPE)
    assert fading.effect_at([4, 8]).tolist() == [-6, -3]


def test_every_parameter_has_its_basis_written_down():
    fields = [f.name for f in dataclasses.fields(TrialParams)]
    assert list(trials.ASSUMPTIONS) == fields
    for name, basis in trials.ASSUMPTIONS.items():
        assert "[A]" in basis or "[V]" in basis or "randomise" in basis, name
    table = trials.assumptions(TrialParams(effect=-8))
    assert table.loc["effect", "value"] == "-8.0"


def test_parameters_round_trip_through_json():
    p = TrialParams(design="parallel", n=42, effect_shape=FADING_SHAPE, error_df=4)
    assert TrialParams(**json.loads(json.dumps(p.to_dict()))) == p


@pytest.mark.parametrize(
    "changes, match",
    [
        (dict(design="crossover"), "design"),
        (dict(n=1), "n"),
        (dict(design="parallel", n=3), "n"),
        (dict(n=20.5), "n"),
        (dict(weeks=(1, 2)), "weeks"),
        (dict(weeks=(0, 4, 2)), "weeks"),
        (dict(baseline_sd=-1), "baseline_sd"),
        (dict(measurement_sd=float("nan")), "measurement_sd"),
        (dict(side_correlation=1.5), "side_correlation"),
        (dict(drift_range=(10, -5)), "drift_range"),
        (dict(spillover=-0.2), "spillover"),
        (dict(design="parallel", n=42, spillover=0.3), "spillover"),
        (dict(dropout=1.0), "dropout"),
        (dict(error_df=2), "error_df"),
        (dict(treated_side="middle"), "treated_side"),
        (dict(effect="large"), "effect"),
        (dict(effect_shape=((4, 1), (0, 0))), "effect_shape"),
    ],
)
def test_bad_parameters_raise_value_errors_that_name_them(changes, match):
    with pytest.raises(ValueError, match=rf"^{match} "):
        TrialParams(**changes)


def test_bad_simulation_and_analysis_arguments_name_them():
    with pytest.raises(ValueError, match="^reps "):
        simulate_many(reps=0)
    sims = simulate_many(reps=2, seed=1)
    with pytest.raises(ValueError, match="^week "):
        sims.change(week=3)
    with pytest.raises(ValueError, match="^analysis "):
        estimates(sims, "two-sample")
    trial = simulate_trial(seed=1)
    with pytest.raises(ValueError, match="^week "):
        paired_t(trial, week=5)
    with pytest.raises(ValueError, match="^trial "):
        paired_t(trial.drop(columns="side"))
    with pytest.raises(ValueError, match="^trial "):
        two_sample_t(trial)
    with pytest.raises(ValueError, match="^trial "):
        paired_t(simulate_trial(TrialParams(design="parallel", n=42), seed=1))


@pytest.mark.filterwarnings("ignore:Degrees of freedom:RuntimeWarning")  # NumPy, on one value
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_a_t_test_on_values_without_spread_says_so_instead_of_dividing_by_zero():
    trial = simulate_trial(TrialParams(n=6, dropout=0.0), seed=1).assign(melanin=150.0)
    with pytest.raises(ValueError, match="^paired t-test: the values have no spread"):
        paired_t(trial)
    one = simulate_trial(TrialParams(n=6, dropout=0.0), seed=1).query("participant == 1")
    with pytest.raises(ValueError, match="fewer than two"):
        paired_t(one)
    parallel = simulate_trial(TrialParams(design="parallel", n=8, dropout=0.0), seed=1)
    with pytest.raises(ValueError, match="^two-sample t-test: the values have no spread"):
        two_sample_t(parallel.assign(melanin=150.0))


# ---------------------------------------------------------------- the simulation


def test_a_split_face_trial_is_tidy_and_complete_without_dropout():
    trial = simulate_trial(TrialParams(dropout=0), seed=3)
    assert len(trial) == 21 * 2 * 4
    assert trial.columns.tolist() == ["participant", "side", "treatment", "week", "melanin"]
    assert not trial.duplicated(["participant", "side", "week"]).any()
    per_person = trial[trial["week"] == 0].groupby("participant")["treatment"].agg(sorted)
    assert all(t == ["exosome", "placebo"] for t in per_person)
    assert trial.attrs["design"] == "split-face"


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_fixed_side_trial_treats_that_side_in_everyone(side):
    trial = simulate_trial(TrialParams(treated_side=side), seed=3)
    assert set(trial.loc[trial["treatment"] == "exosome", "side"]) == {side}


def test_a_parallel_trial_randomises_42_people_one_to_one_with_one_cheek_each():
    trial = simulate_trial(TrialParams(design="parallel", n=42, dropout=0), seed=4)
    assert len(trial) == 42 * 4
    arms = trial.groupby("participant")["treatment"].first().value_counts()
    assert arms.to_dict() == {"exosome": 21, "placebo": 21}
    assert trial.groupby("participant")["side"].nunique().eq(1).all()
    sims = simulate_many(TrialParams(design="parallel", n=42), reps=400, seed=4)
    arm = sims.active.any(axis=2)
    assert (arm.sum(axis=1) == 21).all()
    assert 0.4 < arm[:, 0].mean() < 0.6  # the order is random, not first-come placebo


def test_a_single_arm_trial_treats_everyone():
    trial = simulate_trial(TrialParams(design="single-arm"), seed=4)
    assert set(trial["treatment"]) == {"exosome"}
    assert trial.attrs["design"] == "single-arm"


def test_dropout_removes_every_visit_after_the_first_missed_one():
    sims = simulate_many(TrialParams(dropout=0.5), reps=300, seed=6)
    seen = ~np.isnan(sims.melanin[:, :, 0, :])  # (reps, n, visits)
    assert seen[..., 0].all()
    assert (np.diff(seen.astype(int), axis=-1) <= 0).all()  # once gone, gone
    assert (~seen[..., -1]).mean() == pytest.approx(0.5, abs=0.03)


def test_same_seed_same_trial():
    p = TrialParams(error_df=4, spillover=0.2)
    pd.testing.assert_frame_equal(simulate_trial(p, seed=8), simulate_trial(p, seed=8))
    assert not simulate_trial(p, seed=8).equals(simulate_trial(p, seed=9))


def test_simulated_readings_have_the_stated_means_sds_and_correlations():
    """Moments of the generated data against values computed from the parameters."""
    p = TrialParams(dropout=0, drift_range=(2.0, 2.0), treated_side="right", spillover=0.25)
    sims = simulate_many(p, reps=3000, seed=12)
    m = sims.melanin
    base = m[..., 0].reshape(-1, 2)
    total_sd = math.hypot(p.baseline_sd, p.measurement_sd)
    assert base.mean() == pytest.approx(p.baseline_mean, abs=4 * total_sd / math.sqrt(3000 * 21))
    assert base.std() == pytest.approx(total_sd, rel=0.02)
    expected_r = p.side_correlation * p.baseline_sd**2 / total_sd**2
    assert np.corrcoef(base.T)[0, 1] == pytest.approx(expected_r, abs=0.01)
    change = sims.change()  # (reps, n, 2): left side is the placebo side here
    change_sd = p.measurement_sd * math.sqrt(2)
    assert change.std(axis=(0, 1)) == pytest.approx([change_sd] * 2, rel=0.02)
    se = change_sd / math.sqrt(3000 * 21)
    left_expected = 2.0 + p.left_offset + p.spillover * p.effect
    right_expected = 2.0 + p.effect
    assert change[..., 0].mean() == pytest.approx(left_expected, abs=4 * se)
    assert change[..., 1].mean() == pytest.approx(right_expected, abs=4 * se)
    # only measurement error differs between visits, so the sides' changes are uncorrelated
    assert np.corrcoef(change[..., 0].ravel(), change[..., 1].ravel())[0, 1] == pytest.approx(
        0, abs=0.02
    )
    # at week 4 the linear effect is half its week-8 value
    mid = sims.change(week=4)
    assert mid[..., 1].mean() == pytest.approx(1.0 + p.effect / 2, abs=4 * se)


def test_drift_is_shared_and_uniform_over_its_range():
    sims = simulate_many(TrialParams(), reps=4000, seed=2)
    assert sims.drift.min() >= -5 and sims.drift.max() <= 10
    assert sims.drift.mean() == pytest.approx(2.5, abs=4 * 15 / math.sqrt(12 * 4000))


def test_heavy_tailed_errors_keep_their_sd_but_not_their_shape():
    p = TrialParams(dropout=0, error_df=3, baseline_sd=0, drift_range=(0, 0), left_offset=0)
    errors = simulate_many(p, reps=2000, seed=1).melanin[..., 0].ravel() - p.baseline_mean
    assert errors.std() == pytest.approx(p.measurement_sd, rel=0.1)
    assert stats.kurtosis(errors) > 3  # a normal distribution has excess kurtosis 0


# ----------------------------------------------------------- analyses against SciPy

SEEDS = [1, 2, 3]


@pytest.mark.parametrize("seed", SEEDS)
def test_paired_t_matches_scipy_ttest_rel(seed):
    trial = simulate_trial(TrialParams(error_df=5), seed=seed)
    pairs = side_pairs(trial)
    ref = stats.ttest_rel(pairs["exosome"], pairs["placebo"])
    ci = ref.confidence_interval(0.95)
    got = paired_t(trial)
    assert (got.statistic, got.p_value, got.df) == pytest.approx(
        (ref.statistic, ref.pvalue, ref.df)
    )
    assert (got.ci_low, got.ci_high) == pytest.approx((ci.low, ci.high))
    diff = pairs["exosome"] - pairs["placebo"]
    assert got.estimate == pytest.approx(diff.mean())
    assert got.effect_size == pytest.approx(diff.mean() / diff.std(ddof=1))


@pytest.mark.parametrize("seed", SEEDS)
def test_sides_as_independent_matches_scipy_ttest_ind_on_the_same_pairs(seed):
    trial = simulate_trial(seed=seed)
    pairs = side_pairs(trial)
    ref = stats.ttest_ind(pairs["exosome"], pairs["placebo"], equal_var=True)
    ci = ref.confidence_interval(0.95)
    got = sides_as_independent(trial)
    assert (got.statistic, got.p_value, got.df) == pytest.approx(
        (ref.statistic, ref.pvalue, ref.df)
    )
    assert (got.ci_low, got.ci_high) == pytest.approx((ci.low, ci.high))
    assert got.n == len(pairs)


@pytest.mark.parametrize("seed", SEEDS)
def test_two_sample_t_matches_scipy_ttest_ind(seed):
    trial = simulate_trial(TrialParams(design="parallel", n=42), seed=seed)
    table = trials.changes(trial)
    product = table.loc[table["treatment"] == "exosome", "change"]
    placebo = table.loc[table["treatment"] == "placebo", "change"]
    ref = stats.ttest_ind(product, placebo, equal_var=True)
    ci = ref.confidence_interval(0.95)
    got = two_sample_t(trial)
    assert (got.statistic, got.p_value, got.df) == pytest.approx(
        (ref.statistic, ref.pvalue, ref.df)
    )
    assert (got.ci_low, got.ci_high) == pytest.approx((ci.low, ci.high))
    assert got.n == len(product) + len(placebo)


@pytest.mark.parametrize("seed", SEEDS)
def test_pre_post_t_matches_scipy_ttest_1samp(seed):
    trial = simulate_trial(TrialParams(design="single-arm", co_intervention=-3), seed=seed)
    change = trials.changes(trial)["change"]
    ref = stats.ttest_1samp(change, 0.0)
    ci = ref.confidence_interval(0.95)
    got = pre_post_t(trial)
    assert (got.statistic, got.p_value, got.estimate) == pytest.approx(
        (ref.statistic, ref.pvalue, change.mean())
    )
    assert (got.ci_low, got.ci_high) == pytest.approx((ci.low, ci.high))


@pytest.mark.parametrize("seed", SEEDS)
def test_wilcoxon_matches_scipy_and_its_interval_inverts_the_test(seed):
    trial = simulate_trial(TrialParams(error_df=3), seed=seed)
    pairs = side_pairs(trial)
    diff = (pairs["exosome"] - pairs["placebo"]).to_numpy()
    ref = stats.wilcoxon(diff)
    got = wilcoxon(trial)
    assert (got.statistic, got.p_value) == pytest.approx((ref.statistic, ref.pvalue))
    # The interval holds exactly the shifts the exact two-sided test does not reject:
    # probe just inside and just outside each end.
    i, j = np.triu_indices(len(diff))
    walsh = np.sort((diff[i] + diff[j]) / 2)
    gap = np.diff(walsh).min() / 4
    for end, inward in ((got.ci_low, 1), (got.ci_high, -1)):
        inside = stats.wilcoxon(diff - (end + inward * gap), method="exact").pvalue
        outside = stats.wilcoxon(diff - (end - inward * gap), method="exact").pvalue
        assert inside > 0.05 >= outside
    # the estimate is the shift at which the signed-rank statistic balances
    balanced = stats.wilcoxon(diff - got.estimate + gap, method="exact").pvalue
    assert balanced > 0.9


def test_standardised_effect_intervals_meet_the_large_sample_formula():
    """For large n the noncentral-t interval for d_z approaches d +- z sqrt(1/n + d^2/2n)."""
    rng = np.random.default_rng(4)
    n = 2000
    frame = pd.DataFrame(
        {
            "participant": np.repeat(np.arange(n), 4),
            "side": np.tile(["left", "left", "right", "right"], n),
            "treatment": np.tile(["exosome", "exosome", "placebo", "placebo"], n),
            "week": np.tile([0, 8, 0, 8], n),
            "melanin": rng.normal(100, 5, 4 * n) + np.tile([0, -1.5, 0, 0], n),
        }
    )
    got = paired_t(frame)
    d = got.effect_size
    half = stats.norm.isf(0.025) * math.sqrt(1 / n + d**2 / (2 * n))
    assert got.effect_size_ci_low == pytest.approx(d - half, abs=0.002)
    assert got.effect_size_ci_high == pytest.approx(d + half, abs=0.002)


def test_standardised_effect_interval_covers_the_truth_95_percent_of_the_time():
    rng = np.random.default_rng(9)
    true_dz, n, reps = 0.5, 12, 400
    diffs = rng.normal(true_dz, 1.0, size=(reps, n))
    covered = 0
    for d in diffs:
        t = d.mean() / (d.std(ddof=1) / math.sqrt(n))
        low, high = trials._nct_interval(t, n - 1, math.sqrt(n), 0.05)
        covered += low <= true_dz <= high
    assert abs(covered / reps - 0.95) <= 3 * math.sqrt(0.95 * 0.05 / reps)


def test_analyse_runs_the_analyses_of_each_design():
    split = analyse(simulate_trial(seed=1))
    assert split["method"].tolist() == [
        "paired t-test",
        "Wilcoxon signed-rank",
        "sides as independent (wrong)",
    ]
    parallel = analyse(simulate_trial(TrialParams(design="parallel", n=42), seed=1))
    assert parallel["method"].tolist() == ["two-sample t-test"]
    single = simulate_trial(TrialParams(design="single-arm"), seed=1)
    single.attrs.clear()  # a table read from a file carries no design: it is inferred
    assert analyse(single)["method"].tolist() == ["pre/post t-test (no control)"]


def test_vectorised_analyses_match_the_one_trial_analyses():
    p = TrialParams(error_df=4)
    sims = simulate_many(p, reps=5, seed=3)
    for name, one in (
        ("paired", paired_t),
        ("wilcoxon", wilcoxon),
        ("independent", sides_as_independent),
    ):
        many = estimates(sims, name)
        for rep in range(5):
            frame = sims.table(rep)
            result = one(frame)
            assert many.loc[rep, "estimate"] == pytest.approx(result.estimate)
            assert many.loc[rep, "p_value"] == pytest.approx(result.p_value)


# ------------------------------------------------------- what the lesson measures

REPS = 3000


def monte_carlo_se(values: pd.Series) -> float:
    return float(values.std(ddof=1) / math.sqrt(len(values)))


@pytest.mark.parametrize("side, bias", [("left", 5.0), ("right", -5.0), ("random", 0.0)])
def test_fixing_the_treated_side_biases_the_estimate_and_randomising_removes_it(side, bias):
    p = TrialParams(treated_side=side)
    est = estimates(simulate_many(p, reps=REPS, seed=30), "paired")["estimate"]
    se = monte_carlo_se(est)
    measured_bias = est.mean() - p.effect
    # expected: the left side's extra darkening lands on the product side (+) or the
    # placebo side (-); with a coin per participant it lands on each equally often
    assert abs(measured_bias - bias) <= 3 * se
    if bias:
        assert abs(measured_bias) > 10 * se


@pytest.mark.parametrize(
    "params, analysis",
    [
        (TrialParams(effect=0), "paired"),
        (TrialParams(effect=0, error_df=3), "paired"),
        (TrialParams(effect=0), "wilcoxon"),
        (TrialParams(effect=0, design="parallel", n=42), "two-sample"),
        (TrialParams(effect=0, design="single-arm", drift_range=(0, 0), left_offset=0), "pre-post"),
    ],
)
def test_type_one_error_of_the_right_analyses_is_alpha(params, analysis):
    rate = estimates(simulate_many(params, reps=REPS, seed=40), analysis)["reject"].mean()
    assert abs(rate - 0.05) <= 3 * math.sqrt(0.05 * 0.95 / REPS)


def test_sides_as_independent_is_miscalibrated_when_the_sides_changes_correlate():
    """With a person-level change (SD 12 AU) the sides' changes correlate
    rho = 144 / (144 + 2 * 36) = 2/3; the wrong analysis's false-positive rate is
    measured here and cross-checked against the power engine on the same model."""
    p = TrialParams(effect=0, person_change_sd=12, dropout=0, left_offset=0, drift_range=(0, 0))
    rates = {
        a: estimates(simulate_many(p, reps=REPS, seed=41), a)["reject"].mean()
        for a in ("paired", "independent")
    }
    alpha_se = math.sqrt(0.05 * 0.95 / REPS)
    assert abs(rates["paired"] - 0.05) <= 3 * alpha_se
    assert rates["independent"] < 0.05 - 3 * alpha_se
    sd = math.sqrt(12**2 + 2 * 6**2)
    engine = power.simulated_power(
        "split-face", 21, 0.0, sd, 144 / sd**2, reps=20_000, seed=41, analysis="independent"
    )
    se = math.sqrt(engine.power * (1 - engine.power) * (1 / REPS + 1 / engine.reps))
    assert abs(rates["independent"] - engine.power) <= 3 * se + 1e-3


def test_the_trial_simulator_and_the_power_engine_agree_on_power():
    """Without dropout, offset or person effects, a side's change is the difference of two
    readings (SD 6 * sqrt 2) and the sides are uncorrelated: the power engine's model."""
    p = TrialParams(dropout=0, left_offset=0)
    rate = estimates(simulate_many(p, reps=REPS, seed=42), "paired")["reject"].mean()
    exact = power.analytic_power("split-face", 21, p.effect, 6 * math.sqrt(2), 0.0)
    assert abs(rate - exact) <= 3 * math.sqrt(exact * (1 - exact) / REPS)
    q = TrialParams(design="parallel", n=42, dropout=0, left_offset=0)
    rate = estimates(simulate_many(q, reps=REPS, seed=43), "two-sample")["reject"].mean()
    exact = power.analytic_power("parallel", 42, q.effect, 6 * math.sqrt(2), 0.0)
    assert abs(rate - exact) <= 3 * math.sqrt(exact * (1 - exact) / REPS)


def test_a_single_arm_trial_measures_the_season_and_the_co_intervention_too():
    p = TrialParams(design="single-arm", drift_range=(10, 10), co_intervention=-2, dropout=0)
    est = estimates(simulate_many(p, reps=REPS, seed=44), "pre-post")["estimate"]
    expected = p.effect + 10 - 2 + p.left_offset / 2  # half the cheeks read are left cheeks
    assert abs(est.mean() - expected) <= 3 * monte_carlo_se(est) + 0.1


def test_spillover_and_fading_shrink_the_week_8_contrast():
    spilled = estimates(simulate_many(TrialParams(spillover=0.3), reps=REPS, seed=45), "paired")[
        "estimate"
    ]
    assert abs(spilled.mean() - 0.7 * -4) <= 3 * monte_carlo_se(spilled)
    fading = TrialParams(effect=-3, effect_shape=FADING_SHAPE)
    sims = simulate_many(fading, reps=REPS, seed=46)
    week4 = estimates(sims, "paired", week=4)["estimate"]
    week8 = estimates(sims, "paired", week=8)["estimate"]
    assert abs(week4.mean() + 6) <= 3 * monte_carlo_se(week4)
    assert abs(week8.mean() + 3) <= 3 * monte_carlo_se(week8)
