"""exocourse.worker and exocourse.lessonspec: what is checked before and after nbgrader
runs, on real Lesson 1 notebooks but without running a kernel."""

from __future__ import annotations

import copy

import nbformat
import pytest
from conftest import ROOT

from exocourse import worker
from exocourse.lessonspec import build_spec, fingerprint, nbgrader_meta
from exocourse.results import ERROR, FAILED, PASSED, TIMEOUT

LESSON = "01-exosome-biology"


@pytest.fixture(scope="module")
def spec():
    source = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    release = nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)
    return build_spec(LESSON, source, release)


@pytest.fixture
def release():
    return nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)


def _cell(nb, grade_id):
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def test_spec_lists_every_graded_cell_with_its_answers(spec):
    source = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    graded = [nbgrader_meta(c)["grade_id"] for c in source.cells if nbgrader_meta(c).get("grade")]
    assert [q.grade_id for q in spec.questions] == graded
    ex3 = spec.question("test_ex3_stock")
    assert ex3.answers == ("ex3_stock",) and ex3.kind == "code" and ex3.points == 2
    assert ex3.title.startswith("Exercise 3")
    assert '_got = stock.set_index(["material", "lab"])["stock_per_ml"]' in ex3.hidden_lines
    assert spec.question("w1_count").kind == "written"
    # an edit of the locked setup cell is reported on the first question below it
    assert spec.locked["setup"].question == "test_ex1_fraction"
    assert spec.locked["half_lives"].question == "test_ex5_decay"


def test_fingerprint_ignores_outputs_but_not_tests():
    source = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    rerun = copy.deepcopy(source)
    for cell in rerun.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    assert fingerprint(rerun) == fingerprint(source)
    _cell(rerun, "test_ex1_fraction").source += "\nassert True"
    assert fingerprint(rerun) != fingerprint(source)


def test_untouched_release_has_nothing_missing_or_tampered(release, spec):
    found = worker.inspect(release, spec)
    assert found.missing == set() and found.tampered == {} and found.notes == []


def test_deleted_test_cell_is_missing_and_deleted_locked_cell_is_put_back(release, spec):
    release.cells = [
        c
        for c in release.cells
        if nbgrader_meta(c).get("grade_id") not in ("test_ex4_cv", "half_lives")
    ]
    found = worker.inspect(release, spec)
    assert found.missing == {"test_ex4_cv"}
    assert "'half_lives' was deleted" in found.tampered["test_ex5_decay"][0]
    ids = [nbgrader_meta(c).get("grade_id") for c in found.notebook.cells]
    assert ids.index("ex4_cv") < ids.index("half_lives") < ids.index("ex5_decay")
    restored = _cell(found.notebook, "half_lives")
    assert restored.source == spec.locked["half_lives"].source


def test_edits_of_locked_cells_and_grading_settings_are_tampering(release, spec):
    _cell(release, "test_ex2_size_summary").source = "pass"
    _cell(release, "test_ex5_decay").metadata["nbgrader"]["points"] = 100
    _cell(release, "ex1_fraction").metadata["nbgrader"]["grade"] = True  # claim points
    _cell(release, "ex7_mass").source = "anything at all"  # answers are meant to be edited
    found = worker.inspect(release, spec)
    assert set(found.tampered) == {"test_ex2_size_summary", "test_ex5_decay", "test_ex1_fraction"}
    assert "edited" in found.tampered["test_ex2_size_summary"][0]


def test_whitespace_at_line_ends_is_not_tampering(release, spec):
    cell = _cell(release, "setup")
    cell.source = "\n".join(line + "  " for line in cell.source.splitlines()) + "\n\n"
    assert worker.inspect(release, spec).tampered == {}


def test_a_submitted_source_notebook_is_named_as_such(spec):
    source = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    found = worker.inspect(source, spec)
    assert "contains the hidden tests" in found.tampered["test_ex1_fraction"][0]


def test_duplicated_cells_are_noted(release, spec):
    release.cells.append(copy.deepcopy(_cell(release, "ex1_fraction")))
    assert "'ex1_fraction' appears 2 times" in worker.inspect(release, spec).notes[0]


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
    nb, problem = worker.read_notebook(data)
    assert nb is None and phrase in problem


def test_a_real_notebook_reads(release):
    nb, problem = worker.read_notebook(nbformat.writes(release).encode())
    assert problem == "" and len(nb.cells) == len(release.cells)


def _graded_notebook(release, outputs: dict):
    graded = copy.deepcopy(release)
    for cell in graded.cells:
        if cell.cell_type == "code":
            cell.execution_count = 1
            cell.outputs = outputs.get(nbgrader_meta(cell).get("grade_id"), [])
    return graded


def _error(ename, evalue=""):
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=["tb"])


def test_analyse_maps_outputs_to_statuses(release, spec):
    outputs = {
        "test_ex1_fraction": [_error("AssertionError", "frac_A should be about 0.9")],
        "test_ex2_size_summary": [_error("KeyboardInterrupt"), _error("CellTimeoutError", "")],
        "ex3_stock": [_error("KeyError", "'measured'")],
        "test_ex3_stock": [_error("NameError", "name 'stock' is not defined")],
        "test_ex4_cv": [_error("AssertionError", "")],
        "test_ex5_decay": [
            nbformat.v4.new_output("stream", name="stderr", text="RuntimeWarning: overflow\n")
        ],
    }
    graded = _graded_notebook(release, outputs)
    scores = {q.grade_id: (q.points, False) for q in spec.questions}
    for failing in ["test_ex1_fraction", "test_ex2_size_summary", "test_ex3_stock"]:
        scores[failing] = (0.0, False)
    scores["test_ex4_cv"] = scores["test_ex5_decay"] = (0.0, False)
    found = worker.inspect(release, spec)
    by_id = {q.grade_id: q for q in worker.analyse(graded, scores, found, spec, timeout=7)}
    assert by_id["test_ex1_fraction"].status == FAILED
    assert by_id["test_ex1_fraction"].reason == "frac_A should be about 0.9"
    assert by_id["test_ex2_size_summary"].status == TIMEOUT
    assert "7 s" in by_id["test_ex2_size_summary"].reason
    assert by_id["test_ex3_stock"].status == ERROR
    assert "'ex3_stock' raised KeyError: 'measured'" in by_id["test_ex3_stock"].reason
    assert by_id["test_ex4_cv"].reason == "a hidden check failed (it has no message)"
    assert by_id["test_ex5_decay"].status == FAILED and "overflow" in by_id["test_ex5_decay"].reason
    assert by_id["test_ex6_days"].status == PASSED and by_id["test_ex6_days"].points == 1
    assert all(by_id[g].points == 0 for g in ["test_ex1_fraction", "test_ex3_stock"])


def test_a_test_cell_that_never_ran_is_never_a_pass(release, spec):
    """nbgrader issue 427: no error output must not mean full marks when nothing ran."""
    graded = _graded_notebook(release, {})
    _cell(graded, "test_ex8_claims").execution_count = None
    scores = {q.grade_id: (q.points, False) for q in spec.questions}  # nbgrader's full marks
    found = worker.inspect(release, spec)
    by_id = {q.grade_id: q for q in worker.analyse(graded, scores, found, spec, timeout=7)}
    assert by_id["test_ex8_claims"].status == ERROR and by_id["test_ex8_claims"].points == 0


def test_reasons_never_repeat_a_hidden_test_line(release, spec):
    hidden = spec.question("test_ex3_stock").hidden_lines
    leaking = f"NameError: bad\n{hidden[0]}\n  {hidden[1]}"
    graded = _graded_notebook(release, {"test_ex3_stock": [_error("NameError", leaking)]})
    scores = {q.grade_id: (q.points, False) for q in spec.questions}
    scores["test_ex3_stock"] = (0.0, False)
    found = worker.inspect(release, spec)
    reason = next(
        q.reason
        for q in worker.analyse(graded, scores, found, spec, timeout=7)
        if q.grade_id == "test_ex3_stock"
    )
    assert "NameError: bad" in reason
    assert all(line not in reason for line in hidden)
