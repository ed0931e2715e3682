"""Lesson 5's protocol explorer (exocourse.explore.protocols): its true contrasts follow from the
trial model's definition, its simulated estimates centre on them, and its rates of significance
agree with the exact power of the paired t-test and with the test's level."""

import math

import numpy as np
import pytest
from scipy import stats

from exocourse import explore, power
from exocourse.capstone import TRUTHS, Protocol, operating_characteristics
from exocourse.trials import TrialParams

MODEL = TrialParams()  # the trial model's defaults [A]: what the truths change
EFFECT = TRUTHS["claimed effect"]["effect"]
SPILL = TRUTHS["spill-over"]["spillover"]


@pytest.mark.parametrize(
    ("truth", "week", "expected"),
    [
        ("no effect", 8, 0.0),
        ("claimed effect", 8, EFFECT),
        ("claimed effect", 4, EFFECT / 2),  # the effect grows linearly to the last visit
        ("fading effect", 4, 2 * TRUTHS["fading effect"]["effect"]),  # twice as large at week 4
        ("fading effect", 8, TRUTHS["fading effect"]["effect"]),
        ("spill-over", 8, EFFECT * (1 - SPILL)),  # the placebo side moves by SPILL of it
        ("spill-over", 4, EFFECT / 2 * (1 - SPILL)),
        ("fixed treated side", 8, EFFECT + MODEL.left_offset),  # the left side's darkening
        ("fixed treated side", 4, (EFFECT + MODEL.left_offset) / 2),
    ],
)
def test_the_true_contrast_follows_from_the_model(truth, week, expected):
    protocol = Protocol(n=48, primary_week=week)
    assert explore.true_contrast(protocol, truth) == pytest.approx(expected, abs=1e-12)


def test_a_parallel_trial_s_contrast_is_the_effect_itself():
    protocol = Protocol(design="parallel", n=48, analysis="two-sample")
    assert explore.true_contrast(protocol, "claimed effect") == EFFECT
    with pytest.raises(ValueError, match="truth must be one of"):
        explore.true_contrast(protocol, "a miracle")


@pytest.mark.parametrize("week", [4, 8])
def test_the_simulated_estimates_centre_on_the_true_contrast(week):
    reps = 2000
    summary = explore.protocol_summary(Protocol(n=48, primary_week=week), reps=reps, seed=11)
    for row in summary.to_dict("records"):
        sd = (row["high"] - row["low"]) / (2 * stats.norm.ppf(0.975))  # normal estimates
        se_median = math.sqrt(math.pi / 2) * sd / math.sqrt(reps)
        assert abs(row["median estimate"] - row["true contrast (AU)"]) < 4 * se_median, row


def test_with_no_effect_the_test_rejects_at_its_level():
    reps = 4000
    row = explore.protocol_summary(Protocol(n=48), reps=reps, seed=12).iloc[0]
    assert row["truth"] == "no effect"
    rate = row["favours product"] + row["favours placebo"]
    assert abs(rate - 0.05) < 3 * math.sqrt(0.05 * 0.95 / reps)
    # the difference of two multinomial rates of 2.5 % each has variance about 0.05 / reps
    assert abs(row["favours product"] - row["favours placebo"]) < 4 * math.sqrt(0.05 / reps)


def test_the_claimed_effect_s_rate_is_the_exact_power_over_the_completers():
    """A week-8 completer is a participant who did not drop out (each drops with probability
    ``dropout``); the side difference has SD sqrt(2 * 6^2 * 2 + 5^2) = 13 AU: measurement
    error at two visits on two sides, and the left side's offset on a random side. The rate
    is the exact paired t power averaged over the binomial number of completers."""
    n, reps = 96, 4000
    sd_diff = math.sqrt(4 * MODEL.measurement_sd**2 + MODEL.left_offset**2)
    completers = stats.binom(n, 1 - MODEL.dropout)
    ms = np.arange(n + 1)
    weights = completers.pmf(ms)
    keep = weights > 1e-12
    expected = sum(
        w * power.analytic_power("split-face", int(m), EFFECT, sd_diff / math.sqrt(2), 0.0)
        for m, w in zip(ms[keep], weights[keep], strict=True)
    )
    row = explore.protocol_summary(Protocol(n=n), reps=reps, seed=13).iloc[1]
    assert row["truth"] == "claimed effect"
    se = math.sqrt(expected * (1 - expected) / reps)
    # 0.01 for the offset making the difference a mixture of two normals, not one normal
    assert abs(row["favours product"] - expected) < 3 * se + 0.01


def test_a_fixed_side_biases_the_trial_towards_the_placebo():
    summary = explore.protocol_summary(Protocol(n=96), reps=1000, seed=14).set_index("truth")
    fixed = summary.loc["fixed treated side"]
    assert fixed["favours placebo"] > fixed["favours product"]
    assert fixed["low"] < fixed["true contrast (AU)"] < fixed["high"]


def test_the_summary_is_reproducible_and_follows_its_seed():
    protocol = Protocol(n=24)
    first = explore.protocol_summary(protocol, reps=200, seed=5)
    assert first.equals(explore.protocol_summary(protocol, reps=200, seed=5))
    assert not first.equals(explore.protocol_summary(protocol, reps=200, seed=6))


def test_a_parallel_protocol_is_tried_only_under_truths_it_can_meet():
    protocol = Protocol(design="parallel", n=48, analysis="two-sample")
    summary = explore.protocol_summary(protocol, reps=200, seed=1)
    assert summary["truth"].tolist() == ["no effect", "claimed effect", "fading effect"]


def test_the_figure_draws_every_truth_and_its_alt_text_gives_the_numbers():
    protocol = Protocol(n=48)
    summary = explore.protocol_summary(protocol, reps=300, seed=3)
    fig = explore.protocol_figure(summary, protocol, mcid=-4.0)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == summary["truth"].tolist()
    assert "(AU)" in ax.get_xlabel()  # the x axis is labelled, with its units
    assert [line.get_xdata()[0] for line in ax.get_lines() if line.get_linestyle() == "--"] == [-4]
    alt = explore.protocol_alt(summary, protocol)
    for row in summary.to_dict("records"):
        assert f"{row['truth']}: true {row['true contrast (AU)']:g} AU" in alt
        assert f"{row['favours product']:.1%} significant for the product" in alt


def test_the_explorer_redraws_for_each_choice():
    explorer = explore.protocol_explorer(Protocol(n=48), reps=100, seed=2)
    shown = [explorer.shown["text/plain"]]
    assert shown[0].startswith("Estimates of a split-face trial, 48 enrolled, primary visit week 8")
    explorer.controls["primary_week"].value = 4.0
    explorer.controls["n"].value = 60
    assert explorer.shown["text/plain"].startswith(
        "Estimates of a split-face trial, 60 enrolled, primary visit week 4"
    )
    explorer.controls["plan"].value = "parallel, two-sample t-test"
    assert explorer.shown["text/plain"].startswith("Estimates of a parallel trial")
    assert "image/png" in explorer.shown


def test_the_explorer_starts_from_a_protocol_and_keeps_its_slider_in_range():
    big = explore.protocol_explorer(Protocol(n=1000, analysis="wilcoxon"), reps=20)
    assert big.controls["plan"].value == "split-face, Wilcoxon signed-rank"
    assert big.controls["n"].value == big.controls["n"].max


def test_the_summary_of_given_trials_is_the_summary_of_those_trials():
    protocol = Protocol(n=24)
    frames = operating_characteristics(protocol, reps=200, seed=8)
    summary = explore.protocol_summary(protocol, frames).set_index("truth")
    assert list(summary.index) == list(frames)
    for truth, frame in frames.items():
        assert summary.loc[truth, "median estimate"] == frame["estimate"].median()
        significant = frame["reject"] & (frame["estimate"] < 0)
        assert summary.loc[truth, "favours product"] == significant.mean()


def test_trials_of_another_design_are_refused():
    frames = operating_characteristics(Protocol(n=24), reps=50, seed=1)
    parallel = Protocol(design="parallel", n=24, analysis="two-sample")
    with pytest.raises(ValueError, match="not those of a parallel protocol"):
        explore.protocol_summary(parallel, frames)
