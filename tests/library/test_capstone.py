"""The capstone's library (exocourse.student, exocourse.capstone): the student id and its
seed, a trial per student, and the operating characteristics of a protocol, checked against
independent answers (SciPy's paired t-test, the model's analytic expectations)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy import stats

from exocourse import capstone, trials
from exocourse.student import (
    DEFAULT_STUDENT_ID,
    HUB_USER_VAR,
    STUDENT_ID_VAR,
    student_id,
    student_seed,
)

IDS = [f"student-{i:02d}" for i in range(12)]


def test_the_id_comes_from_the_environment_with_a_stable_default(monkeypatch):
    monkeypatch.delenv(STUDENT_ID_VAR, raising=False)
    monkeypatch.delenv(HUB_USER_VAR, raising=False)
    assert student_id() == DEFAULT_STUDENT_ID == "self-study"
    monkeypatch.setenv(STUDENT_ID_VAR, "  ada\n")
    assert student_id() == "ada"
    monkeypatch.setenv(STUDENT_ID_VAR, "   ")
    assert student_id() == DEFAULT_STUDENT_ID
    monkeypatch.setenv(HUB_USER_VAR, "grace")  # on a JupyterHub, with no id set
    assert student_id() == "grace"
    monkeypatch.setenv(STUDENT_ID_VAR, "ada")  # the grader's id wins
    assert student_id() == "ada"


def test_seeds_are_stable_distinct_and_in_range():
    seeds = [student_seed(s) for s in IDS]
    assert seeds == [student_seed(s) for s in IDS]
    assert len(set(seeds)) == len(IDS)
    assert all(0 <= s < 2**63 for s in seeds)
    assert student_seed("ada", "truth") != student_seed("ada", "trial")


def test_a_trial_is_the_students_own_and_reproducible(monkeypatch):
    protocol = capstone.Protocol(n=40)
    ada = capstone.your_trial(protocol, "ada")
    assert ada.equals(capstone.your_trial(protocol, "ada"))
    assert not ada.equals(capstone.your_trial(protocol, "grace"))
    monkeypatch.setenv(STUDENT_ID_VAR, "ada")  # the default reads the environment
    assert capstone.your_trial(protocol).equals(ada)
    monkeypatch.delenv(STUDENT_ID_VAR)
    assert capstone.your_trial(protocol).equals(capstone.your_trial(protocol, DEFAULT_STUDENT_ID))
    assert "effect" not in str(ada.attrs)  # the truth is not in the table


def test_different_students_get_different_truths():
    truths = {tuple(capstone.reveal_truth(s).items()) for s in IDS}
    assert len(truths) >= 4
    effects = {capstone.reveal_truth(s)["effect at the last visit (AU)"] for s in IDS}
    assert effects <= set(capstone.TRUE_EFFECTS) and len(effects) >= 2


def test_the_trial_follows_the_protocol():
    protocol = capstone.Protocol(n=36, weeks=(0, 2, 6), primary_week=2)
    trial = capstone.your_trial(protocol, "ada")
    assert trial["participant"].nunique() == 36
    assert sorted(trial["week"].unique()) == [0, 2, 6]
    parallel = capstone.Protocol(design="parallel", n=40, analysis="two-sample")
    arms = capstone.your_trial(parallel, "ada")
    assert arms.groupby("participant")["side"].nunique().max() == 1  # one cheek read


def test_a_protocol_refuses_what_cannot_be_run():
    with pytest.raises(ValueError, match="primary_week"):
        capstone.Protocol(weeks=(0, 4, 8), primary_week=6)
    with pytest.raises(ValueError, match="analysis"):
        capstone.Protocol(design="split-face", analysis="two-sample")
    with pytest.raises(ValueError, match="alpha"):
        capstone.Protocol(alpha=1.5)


def test_operating_characteristics_are_reproducible_and_match_scipy():
    protocol = capstone.Protocol(n=24)
    first = capstone.operating_characteristics(protocol, reps=50, seed=3)
    again = capstone.operating_characteristics(protocol, reps=50, seed=3)
    assert list(first) == list(capstone.TRUTHS)
    assert all(first[k].equals(again[k]) for k in first)
    # the first trial of the "no effect" truth, rebuilt and tested by SciPy
    rng = np.random.default_rng(np.random.SeedSequence(3).spawn(len(capstone.TRUTHS))[0])
    sims = trials.simulate_many(protocol.params(effect=0.0), 50, rng)
    treated, control = sims.outcomes(8)
    ok = ~np.isnan(treated[0] - control[0])
    scipy_p = stats.ttest_rel(treated[0][ok], control[0][ok]).pvalue
    assert math.isclose(first["no effect"]["p_value"].iloc[0], scipy_p, rel_tol=1e-9)


def test_operating_characteristics_agree_with_the_models_expectations():
    """Error rate alpha with no effect; mean estimates equal to the model's expected contrast
    under each truth (effect, fading, 30 % spill-over, +5 AU side offset on a fixed left side)."""
    reps = 4000
    frames = capstone.operating_characteristics(capstone.Protocol(n=40), reps=reps, seed=11)
    rate = frames["no effect"]["reject"].mean()
    assert abs(rate - 0.05) < 3 * math.sqrt(0.05 * 0.95 / reps)
    expected = {
        "no effect": 0.0,
        "claimed effect": -4.0,
        "fading effect": -3.0,
        "spill-over": -4.0 * (1 - 0.3),
        "fixed treated side": -4.0 + 5.0,
    }
    for truth, mean in expected.items():
        est = frames[truth]["estimate"]
        assert abs(est.mean() - mean) < 4 * est.std() / math.sqrt(reps), truth


def test_a_parallel_protocol_is_tried_only_under_truths_that_apply():
    protocol = capstone.Protocol(design="parallel", n=40, analysis="two-sample")
    frames = capstone.operating_characteristics(protocol, reps=20, seed=1)
    assert set(frames) == set(capstone.TRUTHS) - set(capstone.SPLIT_FACE_ONLY)


@pytest.mark.parametrize(
    "protocol",
    [
        capstone.Protocol(n=8),
        capstone.Protocol(n=1000, primary_week=4, analysis="wilcoxon"),
        capstone.Protocol(design="parallel", analysis="two-sample", n=40, alpha=0.01),
    ],
)
def test_a_protocol_record_is_plain_json_and_reads_back_to_the_same_protocol(protocol):
    record = protocol.record()
    assert json.loads(json.dumps(record)) == record
    assert capstone.Protocol.from_record(json.loads(json.dumps(record))) == protocol


@pytest.mark.parametrize(
    "record, why",
    [
        ("n=40", "needs exactly the fields"),
        ({**capstone.Protocol().record(), "extra": 1}, "needs exactly the fields"),
        ({**capstone.Protocol().record(), "weeks": "0,4,8"}, "weeks must be a list"),
        ({**capstone.Protocol().record(), "n": 2.5}, "n"),
        ({**capstone.Protocol().record(), "analysis": "two-sample"}, "analysis"),
    ],
)
def test_a_bad_protocol_record_is_refused(record, why):
    with pytest.raises((ValueError, TypeError), match=why):
        capstone.Protocol.from_record(record)


@pytest.mark.parametrize(
    "protocol, why",
    [
        (capstone.Protocol(design="parallel", analysis="two-sample", n=48), "design"),
        (capstone.Protocol(weeks=(0, 8)), "weeks"),
        (capstone.Protocol(weeks=(0, 4, 8, 12), primary_week=12), "weeks"),
        (capstone.Protocol(alpha=0.1), "alpha"),
        (capstone.Protocol(n=50), "whole blocks of 4"),
        (capstone.Protocol(n=4), "between 8 and 1000"),
        (capstone.Protocol(n=1004), "between 8 and 1000"),
        (capstone.Protocol(n=244, analysis="wilcoxon"), "Wilcoxon test enrols at most 240"),
    ],
)
def test_only_a_protocol_the_course_can_grade_is_registered(protocol, why):
    with pytest.raises(ValueError, match=why):
        capstone.register(protocol)


def test_every_registrable_choice_is_registered_and_drawn():
    for week in capstone.REGISTRABLE["primary_week"]:
        for analysis in capstone.REGISTRABLE["analysis"]:
            protocol = capstone.register(
                capstone.Protocol(n=8, primary_week=week, analysis=analysis)
            )
            trial = capstone.your_trial(protocol, "ada")
            assert trial["participant"].nunique() == 8
            assert trial.attrs["protocol"] == protocol.record()
    with pytest.raises(TypeError, match="capstone.Protocol"):
        capstone.register({"n": 8})
    assert capstone.register(capstone.Protocol(n=240, analysis="wilcoxon")).n == 240


@pytest.mark.parametrize("analysis", capstone.REGISTRABLE["analysis"])
def test_every_registrable_analysis_gives_each_simulated_trial_an_interval(analysis):
    """Lesson 5 names each simulated trial's result from its interval: every registrable
    test must give one, holding the estimate (a Wilcoxon frame once had none)."""
    frames = capstone.operating_characteristics(
        capstone.Protocol(n=24, analysis=analysis), reps=200, seed=4
    )
    for frame in frames.values():
        assert (frame["ci_low"] <= frame["estimate"]).all()
        assert (frame["estimate"] <= frame["ci_high"]).all()
        # at 24 pairs both the test and the interval are exact: the interval excludes 0
        # exactly when the test rejects (beyond 50 pairs SciPy's test is approximate)
        excludes_zero = (frame["ci_high"] < 0) | (frame["ci_low"] > 0)
        assert excludes_zero.equals(frame["reject"])
