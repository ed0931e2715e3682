"""Differential grading end to end on the small in-memory lesson: the hidden tests run on
the solution once, in the grader's kernel, and each submission's probes are compared with
them outside the student's kernel."""

from __future__ import annotations

import json

import nbformat
import pytest
import tiny_lesson

from exocourse.authoring.course import CourseError
from exocourse.grading.batch import autograde
from exocourse.grading.expected import expected_records, grading_source
from exocourse.grading.status import ERROR, FAILED, MANUAL, PASSED, TAMPERED
from exocourse.grading.workspace import EXPECTED

LESSON = "00-tiny"


def _answered(release: nbformat.NotebookNode, **answers: str) -> nbformat.NotebookNode:
    """The release with exercise k answered ``ans{k} = k`` unless ``answers`` says otherwise."""
    for cell in release.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("ex"):
            cell.source = answers.get(grade_id, f"ans{grade_id[2:]} = {grade_id[2:]}")
    return release


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    (root / "solutions" / LESSON).mkdir(parents=True)
    nbformat.write(tiny_lesson.source(), root / "solutions" / LESSON / f"{LESSON}.ipynb")
    subs = root.parent / "submissions"
    subs.mkdir()
    forge = "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])\nans1 = -1"
    cases = {
        "right": _answered(tiny_lesson.release()),
        "wrong": _answered(tiny_lesson.release(), ex2="ans2 = 5", ex5="ans5 = 'five'"),
        "forger": _answered(tiny_lesson.release(), ex1=forge, ex3="ans3 = 0"),
        "blank": tiny_lesson.release(),
    }
    for student, nb in cases.items():
        nbformat.write(nb, subs / f"{student}_{LESSON}.ipynb")
    report = autograde(root, LESSON, subs, root.parent / "ws", jobs=2, timeout=30)
    return report


def _by_id(report, student):
    return {q.grade_id: q for q in report.results[student].questions}


def test_the_solution_is_run_once_and_its_probes_kept(graded):
    records = json.loads((graded.template / EXPECTED).read_text())
    assert sorted(records) == [f"test_ex{k}" for k in range(1, 7)]
    assert records["test_ex2"]["probes"][0]["value"] == 6


def test_right_answers_pass_and_wrong_ones_fail_on_the_hidden_checks(graded):
    right, wrong = _by_id(graded, "right"), _by_id(graded, "wrong")
    assert {q.status for g, q in right.items() if g != "w1"} == {PASSED}
    assert right["w1"].status == FAILED  # the written answer was left unchanged
    assert wrong["test_ex2"].status == FAILED and wrong["test_ex2"].points == 0
    assert wrong["test_ex2"].reason == "a hidden check failed: ans2 tripled (hint: ans2 is 2)"
    assert "6" not in wrong["test_ex2"].reason  # the expected value never reaches a student
    # a text where a number belongs: the visible check raises, and that is what is reported
    assert wrong["test_ex5"].status == ERROR and "TypeError" in wrong["test_ex5"].reason
    assert {wrong[f"test_ex{k}"].status for k in (1, 3, 4, 6)} == {PASSED}


def test_a_transformer_that_blanks_every_later_cell_earns_nothing(graded):
    forger = _by_id(graded, "forger")
    assert sum(q.points or 0 for q in forger.values()) == 0
    later = [forger[f"test_ex{k}"] for k in range(2, 7)]
    assert {q.status for q in later} == {TAMPERED}
    assert "did not report" in later[0].reason


def test_the_untouched_release_earns_nothing(graded):
    blank = _by_id(graded, "blank")
    assert sum(q.points or 0 for q in blank.values()) == 0
    assert {q.status for q in blank.values()} <= {FAILED, MANUAL}


def test_hidden_tests_without_probes_or_naming_nothing_are_refused():
    for hidden, phrase in [("x = 1", "has no probe"), ("probe('n', lambda: nothing)", "names")]:
        source = tiny_lesson.source()
        for cell in source.cells:
            if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_ex1":
                cell.source = (
                    "### BEGIN HIDDEN TESTS\nfrom exocourse.probes import probe\n"
                    f"{hidden}\n### END HIDDEN TESTS"
                )
        with pytest.raises(CourseError, match=phrase):
            expected_records(grading_source(source), LESSON, timeout=60)
