"""The golden submissions of Lesson 5 (tests/grading/golden/capstone.py), graded in one batch:
each is graded as specified, on each student's own trial; no forging trick earns a point,
whether it forges the verdicts or the data (another id, a fixed seed); and the originals are
byte-identical afterwards."""

from __future__ import annotations

import nbformat
import pytest
from conftest import LESSONS, ROOT, file_hashes
from golden.build import check_points
from golden.capstone import (
    BUILDERS,
    EARNS_NOTHING,
    EXPECTED,
    LESSON,
    OWN_DATA,
    REASONS,
    TAMPERING,
)

from exocourse.grading.batch import autograde
from exocourse.grading.status import TAMPERED

pytestmark = pytest.mark.skipif(LESSON not in LESSONS, reason="Lesson 5 is not in this course")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("golden-capstone")
    subs = base / "submissions"
    subs.mkdir()
    for case, build in BUILDERS.items():
        nbformat.write(build(), subs / f"{case}_{LESSON}.ipynb")
    originals = file_hashes(subs)
    report = autograde(ROOT, LESSON, subs, base / "ws", jobs=2, timeout=60, memory_mb=2048)
    return report, subs, originals


def test_every_submission_is_graded_and_the_files_are_untouched(batch):
    report, subs, originals = batch
    assert sorted(report.results) == sorted(BUILDERS)
    assert file_hashes(subs) == originals


@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_golden_submission_is_graded_as_specified(batch, case):
    result = batch[0].results[case]
    by_id = {q.grade_id: q for q in result.questions}
    assert {g: q.status for g, q in by_id.items()} == EXPECTED[case], [
        (q.grade_id, q.status, q.reason) for q in result.questions
    ]
    for grade_id, phrase in REASONS.get(case, {}).items():
        assert phrase in by_id[grade_id].reason, by_id[grade_id].reason
    check_points(result, tampered_may_score=False)


def test_a_blank_notebook_is_told_what_to_answer_once_and_nothing_else(batch):
    """An unanswered exercise's reason names the unanswered cell once, and an unanswered
    Exercise 7 says nothing of a declaration the student never got to make."""
    by_id = {q.grade_id: q for q in batch[0].results["blank"].questions}
    assert by_id["test_ex2_enrolment"].reason == (
        "not answered: the answer cell 'ex2_enrolment' still raises NotImplementedError"
    )
    assert "declared" not in by_id["test_ex7_my_trial"].reason, by_id["test_ex7_my_trial"].reason


def test_answers_on_someone_elses_trial_earn_only_what_does_not_depend_on_it(batch):
    """The id reset inside the kernel and the patched seed change the student's data; the
    grader's id and the solution's run do not follow, so only the own-data exercises fail."""
    correct = batch[0].results["correct"]
    for case in ["borrowed-id", "patched-seed"]:
        result = batch[0].results[case]
        lost = {q.grade_id for q in result.questions if q.kind == "code" and not q.points}
        assert lost == set(OWN_DATA), case
        assert result.total()[0] < correct.total()[0]


@pytest.mark.parametrize("case", sorted(EARNS_NOTHING))
def test_no_forging_trick_earns_a_point(batch, case):
    result = batch[0].results[case]
    earned = [(q.grade_id, q.status, q.reason) for q in result.questions if q.points]
    assert earned == [], f"{case} earned points"
    assert {q.status for q in result.questions} <= {"failed", "tampered", "error", "timeout"}


@pytest.mark.parametrize("case", TAMPERING)
def test_a_trick_that_rewrites_or_silences_the_tests_is_reported_as_tampering(batch, case):
    later = [q for q in batch[0].results[case].questions if q.kind == "code"][1:]
    assert later and all(q.status == TAMPERED for q in later), [
        (q.grade_id, q.status, q.reason) for q in later
    ]
