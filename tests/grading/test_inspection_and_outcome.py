"""exocourse.grading.inspection, .outcome and .lessonspec: what is checked before and after
nbgrader runs, on a small in-memory lesson (tests/grading/tiny_lesson.py), without a kernel."""

from __future__ import annotations

import copy
from dataclasses import replace

import nbformat
import pytest
import tiny_lesson
from conftest import LESSONS, ROOT
from nbformat import NotebookNode

from exocourse.grading.inspection import inspect, read_notebook
from exocourse.grading.lessonspec import build_spec, fingerprint, nbgrader_meta
from exocourse.grading.outcome import analyse
from exocourse.grading.status import ERROR, FAILED, PASSED, TAMPERED, TIMEOUT
from exocourse.probes import MIME

LESSON = "00-tiny"


@pytest.fixture(scope="module")
def spec():
    built = build_spec(LESSON, tiny_lesson.source(), tiny_lesson.release())
    expected = {f"test_ex{k}": tiny_lesson.expected(k) for k in range(1, tiny_lesson.EXERCISES + 1)}
    return replace(built, expected=expected)


@pytest.fixture
def release():
    return tiny_lesson.release()


def _cell(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def test_spec_lists_every_graded_cell_with_its_answers(spec):
    graded = ["test_ex1", "test_ex2", "test_ex3", "w1", "test_ex4", "test_ex5", "test_ex6"]
    assert [q.grade_id for q in spec.questions] == graded
    ex2 = spec.question("test_ex2")
    assert ex2.answers == ("ex2",) and ex2.kind == "code" and ex2.points == 2
    assert ex2.title == "Exercise 2 - answer 2"
    assert ex2.hidden_lines == tuple(tiny_lesson.hidden(2))
    assert spec.question("w1").kind == "written" and spec.question("w1").answers == ()
    # an edit of a locked cell is reported on the first question below it
    assert spec.locked["setup"].question == "test_ex1"
    assert spec.locked["more_data"].question == "test_ex3"


def test_fingerprint_ignores_outputs_but_not_tests():
    source = tiny_lesson.source()
    for cell in source.cells:
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ran\n")]
            cell.execution_count = 1
    rerun = copy.deepcopy(source)
    for cell in rerun.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    assert fingerprint(rerun) == fingerprint(source)
    _cell(rerun, "test_ex1").source += "\nassert True"
    assert fingerprint(rerun) != fingerprint(source)


def test_untouched_release_has_nothing_missing_or_tampered(release, spec):
    found = inspect(release, spec)
    assert found.missing == set() and found.tampered == {} and found.notes == []


def test_deleted_test_cell_is_missing_and_deleted_locked_cell_is_put_back(release, spec):
    release.cells = [
        c
        for c in release.cells
        if nbgrader_meta(c).get("grade_id") not in ("test_ex2", "more_data")
    ]
    found = inspect(release, spec)
    assert found.missing == {"test_ex2"}
    assert "'more_data' was deleted" in found.tampered["test_ex3"][0]
    ids = [nbgrader_meta(c).get("grade_id") for c in found.notebook.cells]
    assert ids.index("ex2") < ids.index("more_data") < ids.index("ex3")
    restored = _cell(found.notebook, "more_data")
    assert restored.source == spec.locked["more_data"].source


def test_edits_of_locked_cells_and_grading_settings_are_tampering(release, spec):
    _cell(release, "test_ex2").source = "pass"
    _cell(release, "test_ex5").metadata["nbgrader"]["points"] = 100
    _cell(release, "ex1").metadata["nbgrader"]["grade"] = True  # claim points
    _cell(release, "ex6").source = "anything at all"  # answers are meant to be edited
    found = inspect(release, spec)
    assert set(found.tampered) == {"test_ex2", "test_ex5", "test_ex1"}
    assert "edited" in found.tampered["test_ex2"][0]


def test_whitespace_at_line_ends_is_not_tampering(release, spec):
    cell = _cell(release, "setup")
    cell.source = "\n".join(line + "  " for line in cell.source.splitlines()) + "\n\n"
    assert inspect(release, spec).tampered == {}


def test_a_submitted_source_notebook_is_named_as_such(spec):
    found = inspect(tiny_lesson.source(), spec)
    assert "contains the hidden tests" in found.tampered["test_ex1"][0]


def test_duplicated_cells_are_noted(release, spec):
    release.cells.append(copy.deepcopy(_cell(release, "ex1")))
    assert "'ex1' appears 2 times" in inspect(release, spec).notes[0]


@pytest.mark.parametrize(
    "data, phrase",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b'{"cells": [', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b"[1, 2]", "not a Jupyter notebook"),
    ],
)
def test_unreadable_files_are_described(data, phrase):
    nb, problem = read_notebook(data)
    assert nb is None and phrase in problem


def test_a_real_notebook_reads(release):
    nb, problem = read_notebook(nbformat.writes(release).encode())
    assert problem == "" and len(nb.cells) == len(release.cells)


def _record(k: int, value, **changes) -> NotebookNode:
    """The output the hidden tests of exercise ``k`` print when ``ans{k} * 3`` is ``value``."""
    record = tiny_lesson.expected(k)
    record["probes"] = [dict(record["probes"][0], value=value, rtol=1e9, hint="")]
    record |= changes
    return nbformat.v4.new_output("display_data", data={MIME: record, "text/plain": "probes"})


def _graded_notebook(release, outputs: dict, right=range(1, 7)):
    """The release as nbgrader would leave it: every code cell ran; the test cells of the
    exercises in ``right`` report the solution's value, and ``outputs`` are added."""
    graded = copy.deepcopy(release)
    for cell in graded.cells:
        if cell.cell_type == "code":
            grade_id = nbgrader_meta(cell).get("grade_id", "")
            cell.execution_count = 1
            k = int(grade_id[-1]) if grade_id.startswith("test_ex") else 0
            cell.outputs = [_record(k, 3 * k)] if k in right else []
            cell.outputs += outputs.get(grade_id, [])
    return graded


def _error(ename, evalue=""):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=["tb"])


def _analyse(graded, release, spec):
    scores = {q.grade_id: (q.points, False) for q in spec.questions}  # nbgrader's full marks
    found = inspect(release, spec)
    return {q.grade_id: q for q in analyse(graded, scores, found, spec, timeout=7)}


def test_points_come_from_the_probes_compared_with_the_solution(release, spec):
    graded = _graded_notebook(release, {}, right=[1, 2, 4, 6])
    for k, value in [(3, 10), (5, "15")]:
        _cell(graded, f"test_ex{k}").outputs = [_record(k, value)]
    by_id = _analyse(graded, release, spec)
    for k in [1, 2, 4, 6]:
        assert by_id[f"test_ex{k}"].status == PASSED and by_id[f"test_ex{k}"].points > 0
    for k in [3, 5]:
        q = by_id[f"test_ex{k}"]
        assert (q.status, q.points) == (FAILED, 0)
        # the solution's hint and tolerance are used, never the ones the submission reported
        assert q.reason == f"a hidden check failed: ans{k} tripled (hint: ans{k} is {k})"
        assert str(3 * k) not in q.reason, "a reason must not give the expected value away"


def test_analyse_maps_outputs_to_statuses(release, spec):
    outputs = {
        "test_ex1": [_error("AssertionError", "ans1 should be positive")],
        "test_ex2": [_error("KeyboardInterrupt"), _error("CellTimeoutError", "")],
        "ex3": [_error("KeyError", "'measured'")],
        "test_ex3": [_error("NameError", "name 'ans3' is not defined")],
        "test_ex4": [_record(4, 0), _error("AssertionError", "")],
        "test_ex5": [
            nbformat.v4.new_output("stream", name="stderr", text="RuntimeWarning: overflow\n")
        ],
    }
    by_id = _analyse(_graded_notebook(release, outputs, right=[1, 2, 3, 5, 6]), release, spec)
    assert by_id["test_ex1"].status == FAILED
    assert by_id["test_ex1"].reason == "ans1 should be positive"  # the visible check's message
    assert by_id["test_ex2"].status == TIMEOUT and "7 s" in by_id["test_ex2"].reason
    assert by_id["test_ex3"].status == ERROR
    assert "'ex3' raised KeyError: 'measured'" in by_id["test_ex3"].reason
    # a visible check without a message: the hidden checks' verdict says why
    assert by_id["test_ex4"].reason.startswith("a hidden check failed: ans4 tripled")
    # a warning on stderr costs nothing when every check passed
    assert by_id["test_ex5"].status == PASSED
    assert by_id["test_ex6"].status == PASSED and by_id["test_ex6"].points == 1
    assert all(by_id[f"test_ex{k}"].points == 0 for k in range(1, 5))


def test_a_missing_name_after_an_unanswered_exercise_is_not_answered_and_says_may(release, spec):
    missing = _error("NameError", "name 'TRIAL' is not defined")
    unanswered = {"ex2": [_error("NotImplementedError")], "test_ex5": [missing]}
    by_id = _analyse(_graded_notebook(release, unanswered, right=[1, 3, 5]), release, spec)
    q = by_id["test_ex5"]
    assert (q.status, q.points) == (FAILED, 0)
    assert q.reason.startswith("not answered: NameError: name 'TRIAL' is not defined")
    assert "may need" in q.reason and "'ex2'" in q.reason  # which one it was cannot be told
    # with every earlier exercise answered, the same missing name is an error, as it was
    alone = _analyse(_graded_notebook(release, {"test_ex5": [missing]}), release, spec)
    assert alone["test_ex5"].status == ERROR


def test_right_probes_do_not_pass_a_visible_check_that_failed(release, spec):
    graded = _graded_notebook(release, {"test_ex6": [_error("AssertionError", "too small")]})
    q = _analyse(graded, release, spec)["test_ex6"]
    assert (q.status, q.points, q.reason) == (FAILED, 0, "too small")


@pytest.mark.parametrize(
    "outputs, phrase",
    [
        ([], "did not report"),
        ([_record(6, 18), _record(6, 18)], "reported 2 times"),
        ([_record(6, 18, cell="test_ex5")], "belongs to another cell"),
        ([_record(6, 18, probes="all good")], "malformed"),
        ([nbformat.v4.new_output("display_data", data={MIME: "x" * 600_000})], "too large"),
    ],
)
def test_a_test_cell_that_skipped_or_forged_its_report_earns_nothing(
    release, spec, outputs, phrase
):
    graded = _graded_notebook(release, {}, right=range(1, 6))
    _cell(graded, "test_ex6").outputs = outputs
    q = _analyse(graded, release, spec)["test_ex6"]
    assert (q.status, q.points) == (TAMPERED, 0) and phrase in q.reason


def test_a_kernel_that_rewrites_cells_is_reported_even_with_right_values(release, spec):
    graded = _graded_notebook(release, {})
    rewritten = dict(tiny_lesson.KERNEL, ast_transformers=1)
    _cell(graded, "test_ex2").outputs = [_record(2, 6, kernel=rewritten)]
    q = _analyse(graded, release, spec)["test_ex2"]
    assert (q.status, q.points) == (TAMPERED, 0) and "1 extra ast_transformers" in q.reason


def test_a_test_cell_that_never_ran_is_never_a_pass(release, spec):
    """nbgrader issue 427: no error output must not mean full marks when nothing ran."""
    graded = _graded_notebook(release, {}, right=[1, 2, 3, 4, 5])
    _cell(graded, "test_ex6").execution_count = None
    assert _analyse(graded, release, spec)["test_ex6"].status == ERROR


def test_reasons_never_repeat_a_hidden_test_line(release, spec):
    hidden = spec.question("test_ex3").hidden_lines
    wrapper = "_exocourse_probes.run('test_ex3', ...)"
    leaking = f"NameError: bad\n{hidden[0]}\n  {hidden[1]}\n{wrapper}"
    graded = _graded_notebook(release, {"test_ex3": [_error("NameError", leaking)]})
    reason = _analyse(graded, release, spec)["test_ex3"].reason
    assert "NameError: bad" in reason
    assert all(line not in reason for line in [*hidden, wrapper])


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_question_is_named_by_its_own_exercise_heading(lesson):
    """Grade sheets and feedback name a question by the last heading above it: an exercise or
    a written answer, never a section heading or the exercise before it (a heading under a
    section's introduction in the same cell once named the section instead)."""
    source = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    release = nbformat.read(ROOT / "lessons" / lesson / f"{lesson}.ipynb", as_version=4)
    titles = {q.grade_id: q.title for q in build_spec(lesson, source, release).questions}
    for grade_id, title in titles.items():
        assert title.startswith(("Exercise", "Written answer")), (grade_id, title)
    for grade_id, title in titles.items():  # one title per exercise, shared only by its parts
        number = title.split(" ")[1] if title.startswith("Exercise") else None
        if number and grade_id.startswith("test_ex"):
            assert grade_id.removeprefix("test_ex").split("_")[0] == number, (grade_id, title)
