"""The Lesson 3 trial datasets: each builder does what its JSON and README promise.

The generic checks (schema, checksums, the generator rebuilds every file exactly, every
synthetic file says so) live in test_data.py; these tests check the designs themselves.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from exocourse import data, evidence, trials
from exocourse.datasets import generate

ROOT = Path(__file__).resolve().parents[2]


def generator(name: str) -> dict:
    return json.loads((ROOT / "datasets" / f"{name}.json").read_text())["generator"]


# --- Study A: split-face, fading effect (built with exocourse.trials) -----------------


def test_study_a_parameters_are_the_fact_sheet_assumptions():
    params = trials.TrialParams(**generator("study_a_splitface")["parameters"]["trial"])
    assert (params.design, params.n, params.weeks) == ("split-face", 21, (0, 2, 4, 8))
    # Fading scenario of the fact sheet: -6 AU at week 4, -3 AU at week 8.
    np.testing.assert_allclose(params.effect_at([4, 8]), [-6.0, -3.0])
    assert 0 <= params.spillover <= 0.3 and params.dropout == pytest.approx(0.1)
    assert params.treated_side == "random"


def test_study_a_file_is_the_trial_simulator_output():
    gen = generator("study_a_splitface")
    expected = trials.simulate_trial(trials.TrialParams(**gen["parameters"]["trial"]), gen["seed"])
    frame = data.load("study_a_splitface")
    assert list(frame.columns) == list(expected.columns)
    np.testing.assert_allclose(frame["melanin"], expected["melanin"].round(1))
    assert (frame["participant"].to_numpy() == expected["participant"].to_numpy()).all()
    per_visit = frame.groupby(["participant", "week"])["treatment"].agg(sorted)
    assert all(v == ["exosome", "placebo"] for v in per_visit), "both sides read at every visit"


def test_study_a_without_noise_shows_the_fading_effect_net_of_spill_over():
    trial = generator("study_a_splitface")["parameters"]["trial"]
    quiet = {**trial, "measurement_sd": 0.0, "left_offset": 0.0, "dropout": 0.0}
    frame = generate.build_study_a_splitface(4, quiet)
    wide = frame.pivot_table(index="participant", columns=["treatment", "week"], values="melanin")
    for week, effect in [(2, -3.0), (4, -6.0), (8, -3.0)]:
        diff = (wide[("exosome", week)] - wide[("exosome", 0)]) - (
            wide[("placebo", week)] - wide[("placebo", 0)]
        )
        np.testing.assert_allclose(diff, effect * (1 - trial["spillover"]), atol=0.21)


# --- Study B: single-arm pre/post -----------------------------------------------------


def test_study_b_zero_effect_file_has_no_product_effect_by_construction():
    zero, main = generator("study_b_zero_effect"), generator("study_b_single_arm")
    assert zero["parameters"]["design"]["product_effect"] == 0.0
    assert main["parameters"]["design"]["product_effect"] < 0
    # Same seed and design apart from the product effect: the same people in two worlds.
    assert zero["seed"] == main["seed"]
    other = copy.deepcopy(main["parameters"])
    other["design"]["product_effect"] = 0.0
    assert other == zero["parameters"]
    z, m = data.load("study_b_zero_effect"), data.load("study_b_single_arm")
    pd.testing.assert_series_equal(z["melanin_week0"], m["melanin_week0"])
    shift = m["melanin_week6"] - z["melanin_week6"]
    np.testing.assert_allclose(shift, main["parameters"]["design"]["product_effect"], atol=0.1)


def test_study_b_enrols_only_high_readings_and_moves_without_any_product():
    design = generator("study_b_zero_effect")["parameters"]["design"]
    frame = data.load("study_b_zero_effect")
    assert len(frame) == 56 and frame["participant"].is_unique
    assert frame["melanin_week0"].min() >= design["enrol_min"]
    # Co-intervention, drift and regression to the mean: the expected change is not zero.
    expected = evidence.expected_prepost_change(**design)
    assert expected < design["co_intervention"] + design["drift"] < 0
    change = frame["melanin_week6"] - frame["melanin_week0"]
    assert abs(change.mean() - expected) < 4 * change.std() / np.sqrt(len(change))


def test_study_b_builder_draws_the_evidence_model():
    params = generator("study_b_zero_effect")["parameters"]
    built = generate.build_study_b_prepost(5, **params)
    pre, post = evidence.draw_prepost(np.random.default_rng(5), 1, 56, **params["design"])
    np.testing.assert_allclose(built["melanin_week0"], np.round(pre[0], 1))
    np.testing.assert_allclose(built["melanin_week6"], np.round(post[0], 1))


# --- Study C: microneedling split-face, five endpoints ---------------------------------


def study_c(seed: int, **changes) -> pd.DataFrame:
    params = copy.deepcopy(generator("study_c_microneedling")["parameters"])
    for endpoint, values in changes.items():
        target = (
            params["global_score"] if endpoint == "global_score" else params["endpoints"][endpoint]
        )
        target.update(values)
    return generate.build_study_c_microneedling(seed, **params)


def side_difference_of_change(frame: pd.DataFrame, column: str, week: int = 12) -> pd.Series:
    wide = frame.pivot_table(index=["participant", "treatment"], columns="week", values=column)
    change = (wide[week] - wide[0]).unstack("treatment")
    return change["exosome"] - change["saline"]


def test_study_c_design_shape_and_balanced_randomised_side():
    frame = data.load("study_c_microneedling")
    params = generator("study_c_microneedling")["parameters"]
    n, weeks = params["participants"], params["weeks"]
    assert len(frame) == n * 2 * len(weeks)
    per_person = frame[frame["week"] == 0].groupby("participant")["treatment"]
    assert (per_person.nunique() == 2).all(), "each participant has one side of each"
    exo_side = frame[(frame["week"] == 0) & (frame["treatment"] == "exosome")]["side"]
    assert exo_side.value_counts().to_dict() == {"left": n // 2, "right": n // 2}
    assert frame.loc[frame["week"] == 0, "global_score"].isna().all()
    assert frame.loc[frame["week"] > 0, "global_score"].notna().all()


def test_study_c_effects_only_where_the_parameters_put_them():
    params = generator("study_c_microneedling")["parameters"]
    exo = {k: v["exosome"] for k, v in params["endpoints"].items()}
    assert exo["hydration_au"] == 0 and exo["melanin_index_au"] == 0
    assert exo["wrinkle_depth_um"] < 0 < exo["elasticity_ratio"]
    assert params["global_score"]["exosome"] > 0
    # Without noise the side difference of change is exactly the set effect.
    quiet = {
        name: {"measurement_sd": 0.0, "shared_visit_sd": 0.0, "decimals": 6}
        for name in params["endpoints"]
    }
    frame = study_c(3, **quiet)
    for name, effect in exo.items():
        np.testing.assert_allclose(side_difference_of_change(frame, name), effect, atol=1e-5)


def test_study_c_noise_averages_to_the_set_effects_over_many_trials():
    params = generator("study_c_microneedling")["parameters"]
    means = np.array(
        [
            [side_difference_of_change(study_c(seed), n).mean() for n in params["endpoints"]]
            for seed in range(60)
        ]
    )
    for j, (name, e) in enumerate(params["endpoints"].items()):
        # Var of one participant's side difference of change: 4 x measurement variance.
        se = 2 * e["measurement_sd"] / np.sqrt(params["participants"] * 60)
        assert abs(means[:, j].mean() - e["exosome"]) < 4 * se, name


def test_study_c_builder_is_seeded_and_checks_its_schedule():
    params = generator("study_c_microneedling")["parameters"]
    a = generate.build_study_c_microneedling(1, **params)
    pd.testing.assert_frame_equal(a, generate.build_study_c_microneedling(1, **params))
    assert not a.equals(generate.build_study_c_microneedling(2, **params))
    bad = {**params, "ramp": [0.0, 1.0]}
    with pytest.raises(ValueError, match="ramp must give one fraction per week"):
        generate.build_study_c_microneedling(1, **bad)


def _global_difference(frame: pd.DataFrame) -> float:
    week12 = frame[frame["week"] == 12].pivot(
        index="participant", columns="treatment", values="global_score"
    )
    return float((week12["exosome"] - week12["saline"]).astype(float).mean())


def test_study_c_global_score_rates_the_exosome_side_higher_only_when_set():
    with_effect = np.mean([_global_difference(study_c(seed)) for seed in range(40)])
    without = np.mean(
        [_global_difference(study_c(seed, global_score={"exosome": 0.0})) for seed in range(40)]
    )
    # 40 trials x 28 pairs: the SE of each mean is below 0.04 rating points.
    assert with_effect > 0.4
    assert abs(without) < 0.15
