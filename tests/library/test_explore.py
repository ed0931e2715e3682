"""Lesson 2's explorers (exocourse.explore): the numbers they show are exocourse.power's exact
values (and statsmodels' where it has them), the simulated trials behave as the model says, the
figures follow the course style and change when a parameter changes, and the widgets redraw
when a slider moves."""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.power import TTestIndPower, TTestPower

from exocourse import explore, power
from exocourse.plots import OKABE_ITO, figure_bundle, use_course_style

MODEL = {"effect": -4.0, "sd": 6.0 * math.sqrt(2), "rho": 0.0}
PALETTE = {c.lower() for c in OKABE_ITO.values()}


@pytest.fixture(autouse=True)
def course_style():
    with mpl.rc_context():
        use_course_style()
        yield


def png(fig) -> str:
    return figure_bundle(fig, "A figure for a test.")[0]["image/png"]


# --------------------------------------------------------------------- power and n


@pytest.mark.parametrize("n, rho, spillover", [(21, 0.0, 0.0), (40, 0.5, 0.3), (9, 0.8, 0.0)])
def test_power_table_gives_power_s_exact_values_for_the_three_designs(n, rho, spillover):
    table = explore.power_table(n, MODEL["effect"], MODEL["sd"], rho, spillover)
    assert table["design"].tolist() == [label for label, _, _ in explore.COMPARATORS]
    for row, (_, design, sites) in zip(table.itertuples(), explore.COMPARATORS, strict=True):
        spill = spillover if design == "split-face" else 0.0
        args = (MODEL["effect"], MODEL["sd"], rho, 0.05, spill)
        assert row.power == power.analytic_power(design, n, *args, sites=sites)
        assert row.n_for_target == power.sample_size(design, 0.8, *args, sites=sites)


def test_power_table_agrees_with_statsmodels():
    sd, rho = MODEL["sd"], 0.5
    table = explore.power_table(30, -4.0, sd, rho).set_index("design")["power"]
    split = TTestPower().power(
        effect_size=4.0 / (sd * math.sqrt(2 * (1 - rho))), nobs=30, alpha=0.05
    )
    one = TTestIndPower().power(effect_size=4.0 / sd, nobs1=15, ratio=1.0, alpha=0.05)
    both = TTestIndPower().power(
        effect_size=4.0 / (sd * math.sqrt((1 + rho) / 2)), nobs1=15, ratio=1.0, alpha=0.05
    )
    assert table["split-face"] == pytest.approx(split, rel=1e-9)
    assert table["parallel, one cheek"] == pytest.approx(one, rel=1e-9)
    assert table["parallel, both cheeks"] == pytest.approx(both, rel=1e-9)


def test_power_table_says_no_n_reaches_the_target_when_spill_over_takes_the_whole_effect():
    table = explore.power_table(21, 0.0, 8.0, 0.0)
    assert table["n_for_target"].tolist() == [None, None, None]
    assert table["power"].to_numpy() == pytest.approx(0.05, rel=1e-12)


def test_power_figure_draws_each_design_s_exact_curve_in_the_palette_with_labelled_axes():
    fig = explore.power_figure(21, n_max=60, **MODEL)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()
    curves = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert len(curves) == 3
    for line, (_, design, sites) in zip(curves, explore.COMPARATORS, strict=True):
        assert mpl.colors.to_hex(line.get_color()).lower() in PALETTE
        ns = np.asarray(line.get_xdata())
        assert ns[0] == 4 and ns[-1] == 60 and (np.diff(ns) > 0).all()
        expected = [power.analytic_power(design, int(m), **MODEL, sites=sites) for m in ns]
        np.testing.assert_allclose(line.get_ydata(), expected, rtol=1e-12)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("73" in text for text in legend) and any("144" in text for text in legend)


def test_power_figure_changes_with_rho_except_for_the_one_cheek_parallel_curve():
    low = explore.power_figure(21, **MODEL)
    high = explore.power_figure(21, **{**MODEL, "rho": 0.8})
    assert png(low) != png(high)

    def curve(fig, label):
        index = [lbl for lbl, _, _ in explore.COMPARATORS].index(label)
        lines = [ln for ln in fig.axes[0].get_lines() if not ln.get_label().startswith("_")]
        return np.asarray(lines[index].get_ydata())

    np.testing.assert_array_equal(
        curve(low, "parallel, one cheek"), curve(high, "parallel, one cheek")
    )
    assert (curve(high, "split-face") > curve(low, "split-face")).all()


@pytest.mark.parametrize("change", [{"n": 40}, {"effect": -8.0}, {"sd": 5.0}, {"spillover": 0.3}])
def test_power_figure_changes_when_any_slider_s_parameter_changes(change):
    base = {"n": 21, **MODEL, "spillover": 0.0}
    assert png(explore.power_figure(**base)) != png(explore.power_figure(**{**base, **change}))


def test_power_alt_states_the_powers_shown():
    table = explore.power_table(21, **MODEL)
    alt = explore.power_alt(table)
    for row in table.itertuples():
        assert f"{row.design} {row.power:.2f}" in alt


# -------------------------------------------------------------- the dance of the CIs


@pytest.mark.parametrize("design", [label for label, _, _ in explore.COMPARATORS])
def test_simulated_trials_reject_as_often_as_the_exact_power_and_cover_the_truth_95_percent(
    design,
):
    reps = 20_000
    name, sites = dict((lbl, (d, s)) for lbl, d, s in explore.COMPARATORS)[design]
    frame = explore.simulate_intervals(design, 24, -4.0, 8.0, 0.4, reps=reps, seed=11)
    assert len(frame) == reps and frame["trial"].tolist()[:3] == [1, 2, 3]
    exact = power.analytic_power(name, 24, -4.0, 8.0, 0.4, sites=sites)
    rate = frame["significant"].mean()
    assert abs(rate - exact) < 4 * math.sqrt(exact * (1 - exact) / reps)
    coverage = frame["covers"].mean()
    assert abs(coverage - 0.95) < 4 * math.sqrt(0.95 * 0.05 / reps)


def test_one_simulated_split_face_trial_is_scipy_s_paired_t_test_on_the_model_s_draws():
    sd, rho, effect, spill, n = 8.0, 0.3, -4.0, 0.2, 15
    frame = explore.simulate_intervals("split-face", n, effect, sd, rho, spill, reps=1, seed=5)
    z = np.random.default_rng(5).standard_normal((1, n, 2))[0]
    treated = sd * z[:, 0] + effect
    control = sd * (rho * z[:, 0] + math.sqrt(1 - rho**2) * z[:, 1]) + spill * effect
    scipy_result = stats.ttest_rel(treated, control)
    interval = scipy_result.confidence_interval(0.95)
    row = frame.iloc[0]
    assert row["estimate"] == pytest.approx(np.mean(treated - control), rel=1e-12)
    assert row["p_value"] == pytest.approx(scipy_result.pvalue, rel=1e-9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((interval.low, interval.high))


def test_one_simulated_two_site_parallel_trial_is_scipy_s_two_sample_t_test():
    sd, rho, effect, n = 8.0, 0.5, -4.0, 13
    frame = explore.simulate_intervals("parallel, both cheeks", n, effect, sd, rho, reps=1, seed=6)
    z = np.random.default_rng(6).standard_normal((1, n, 2))[0]
    person = (sd * z[:, 0] + sd * (rho * z[:, 0] + math.sqrt(1 - rho**2) * z[:, 1])) / 2
    control, treated = person[: n // 2], person[n // 2 :] + effect
    scipy_result = stats.ttest_ind(treated, control)
    interval = scipy_result.confidence_interval(0.95)
    row = frame.iloc[0]
    assert row["p_value"] == pytest.approx(scipy_result.pvalue, rel=1e-9)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((interval.low, interval.high))


def test_spill_over_shrinks_the_split_face_estimate_and_its_intervals_miss_the_truth():
    frame = explore.simulate_intervals("split-face", 21, -8.0, 8.0, 0.0, 0.5, reps=5000, seed=3)
    se = frame["estimate"].std() / math.sqrt(len(frame))
    assert abs(frame["estimate"].mean() - 0.5 * -8.0) < 4 * se
    assert frame["covers"].mean() < 0.8


def test_significant_trials_overstate_a_small_effect_but_not_a_well_powered_one():
    weak = explore.dance_summary(
        explore.simulate_intervals("split-face", 21, -4.0, 8.5, 0.0, reps=4000, seed=1), -4.0
    )
    strong = explore.dance_summary(
        explore.simulate_intervals("split-face", 200, -4.0, 8.5, 0.0, reps=4000, seed=1), -4.0
    )
    assert weak["power"] < 0.4 and weak["exaggeration"] > 1.5
    assert strong["power"] > 0.95 and abs(strong["exaggeration"] - 1) < 0.05


def test_the_same_seed_gives_the_same_trials_and_another_seed_others():
    args = ("parallel, one cheek", 30, -4.0, 8.0, 0.0)
    first = explore.simulate_intervals(*args, reps=50, seed=9)
    pd.testing.assert_frame_equal(first, explore.simulate_intervals(*args, reps=50, seed=9))
    assert not first.equals(explore.simulate_intervals(*args, reps=50, seed=10))


def test_simulate_intervals_refuses_what_the_model_refuses():
    with pytest.raises(ValueError, match="design must be one of"):
        explore.simulate_intervals("crossover", 20, -4.0, 8.0, 0.0)
    with pytest.raises(ValueError, match="spillover must be 0 in a parallel trial"):
        explore.simulate_intervals("parallel, one cheek", 20, -4.0, 8.0, 0.0, spillover=0.2)
    with pytest.raises(ValueError, match="reps must be at least 1"):
        explore.simulate_intervals("split-face", 20, -4.0, 8.0, 0.0, reps=0)


def test_dance_summary_on_a_hand_made_set_of_trials():
    frame = pd.DataFrame(
        {
            "estimate": [-1.0, -9.0, -3.0, -7.0],
            "significant": [False, True, False, True],
            "covers": [True, False, True, True],
        }
    )
    summary = explore.dance_summary(frame, -4.0)
    assert summary == {
        "trials": 4,
        "coverage": 0.75,
        "power": 0.5,
        "mean_estimate": -5.0,
        "mean_significant": -8.0,
        "exaggeration": 2.0,
    }
    none = explore.dance_summary(frame.assign(significant=False), -4.0)
    assert math.isnan(none["mean_significant"]) and math.isnan(none["exaggeration"])


def test_dance_figure_draws_one_interval_per_trial_shown_and_thick_lines_for_misses():
    frame = explore.simulate_intervals("split-face", 21, -4.0, 8.5, 0.0, reps=400, seed=2)
    fig = explore.dance_figure(frame, -4.0, shown=50)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()
    segments = [
        (seg, coll.get_linewidth()[0]) for coll in ax.collections for seg in coll.get_segments()
    ]
    assert len(segments) == 50
    thick = sorted(int(seg[0][1]) for seg, width in segments if width > 2)
    shown = frame.head(50)
    assert thick == (np.flatnonzero(~shown["covers"].to_numpy()) + 1).tolist()
    for coll in ax.collections:
        assert mpl.colors.to_hex(coll.get_color()[0]).lower() in PALETTE
    mean_line = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-."]
    assert mean_line[0].get_xdata()[0] == pytest.approx(
        frame.loc[frame["significant"], "estimate"].mean()
    )
    alt = explore.dance_alt(frame, -4.0)
    assert f"{int(shown['covers'].sum())} cover" in alt


def test_dance_figure_changes_with_the_seed_and_the_design():
    base = explore.simulate_intervals("split-face", 21, -4.0, 8.5, 0.0, reps=200, seed=1)
    other_seed = explore.simulate_intervals("split-face", 21, -4.0, 8.5, 0.0, reps=200, seed=2)
    other_design = explore.simulate_intervals(
        "parallel, both cheeks", 21, -4.0, 8.5, 0.0, reps=200, seed=1
    )
    pictures = {png(explore.dance_figure(f, -4.0)) for f in [base, other_seed, other_design]}
    assert len(pictures) == 3


# ----------------------------------------------------------------------- widgets


def test_power_explorer_has_a_slider_per_parameter_and_redraws_when_one_moves():
    explorer = explore.power_explorer(n=21, **MODEL)
    assert set(explorer.controls) == {"n", "effect", "sd", "rho", "spillover"}
    first = explorer.shown
    assert first["text/plain"] == explore.power_alt(explore.power_table(21, **MODEL))
    explorer.controls["n"].value = 60
    assert explorer.shown["image/png"] != first["image/png"]
    assert explorer.shown["text/plain"] == explore.power_alt(explore.power_table(60, **MODEL))


def test_dance_explorer_redraws_for_another_design_and_ignores_spill_over_in_parallel_trials():
    explorer = explore.dance_explorer(n=21, **MODEL, seed=4)
    assert {"design", "seed", "n", "effect", "sd", "rho", "spillover"} == set(explorer.controls)
    split = explorer.shown["image/png"]
    explorer.controls["design"].value = "parallel, one cheek"
    parallel = explorer.shown["image/png"]
    assert parallel != split
    explorer.controls["spillover"].value = 0.5  # no control side: the same trials
    assert explorer.shown["image/png"] == parallel
    frame = explore.simulate_intervals("parallel, one cheek", 21, **MODEL, seed=4)
    assert explorer.shown["text/plain"] == explore.dance_alt(frame, MODEL["effect"])


def test_an_explorer_shows_as_a_widget_with_a_sentence_for_readers_without_a_kernel():
    bundle = explore.power_explorer()._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == explore.Explorer.NO_KERNEL
    assert "live kernel" in bundle["text/plain"]


@pytest.mark.parametrize("draw", ["power", "dance"])
def test_both_figures_keep_every_text_readable(draw):
    if draw == "power":
        fig = explore.power_figure(21, **MODEL)
    else:
        frame = explore.simulate_intervals("split-face", 21, **MODEL, reps=100, seed=1)
        fig = explore.dance_figure(frame, MODEL["effect"])
    fig.canvas.draw()
    ax = fig.axes[0]
    texts = [ax.xaxis.label, ax.yaxis.label, ax.title, *fig.legends[0].get_texts()]
    texts += ax.get_xticklabels() + ax.get_yticklabels()
    sizes = {t.get_text(): t.get_fontsize() for t in texts if t.get_text()}
    assert sizes and min(sizes.values()) >= 11, sizes


def test_an_explorer_says_why_when_the_model_refuses_the_values():
    import ipywidgets as widgets

    def draw(rho):
        fig = explore.power_figure(21, -4.0, 8.0, rho)
        return fig, f"Power curves of three designs at rho = {rho}."

    explorer = explore.Explorer({"rho": widgets.FloatSlider(value=0.0, min=-2, max=2)}, draw)
    explorer.controls["rho"].value = 1.5
    assert explorer.shown == {"text/plain": "Nothing to draw: rho must lie in [-1, 1], got 1.5"}
    assert explorer.output.outputs[0]["data"] == explorer.shown
    explorer.controls["rho"].value = 0.5
    assert "image/png" in explorer.shown


def test_the_default_axis_reaches_every_design_s_sample_size():
    from exocourse import explore

    fig = explore.power_figure(21, -4, 8.5, 0.0)
    needed = explore.power_table(21, -4, 8.5, 0.0)["n_for_target"].max()
    assert fig.axes[0].get_xlim()[1] >= needed > 120
