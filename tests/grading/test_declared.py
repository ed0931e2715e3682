"""exocourse.grading.declared: reading a student's declarations and running the solution
with them. The declarations come from the student's kernel, so every malformed or hostile
form is tried here without a kernel; the end-to-end run is in test_per_student.py."""

from __future__ import annotations

import re

import nbformat
import pytest

from exocourse.grading.declared import DeclarationError, read_declared, with_declared
from exocourse.grading.workspace import last_error
from exocourse.probes import MIME


def _test_cell(grade_id: str, record) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("", metadata={"nbgrader": {"grade_id": grade_id}})
    data = {MIME: record} if record is not None else {"text/plain": "nothing"}
    cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
    return cell


def _graded(*cells) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=list(cells))


def test_declarations_are_read_from_the_test_cells_records_first_one_wins():
    graded = _graded(
        _test_cell("t1", {"cell": "t1", "probes": [], "declared": {"PLAN": {"n": 8}}}),
        _test_cell("t2", {"cell": "t2", "probes": [], "declared": {"PLAN": {"n": 99}}}),
    )
    assert read_declared(graded, {"t1", "t2"}) == {"PLAN": {"n": 8}}
    assert read_declared(graded, {"t2"}) == {"PLAN": {"n": 99}}


@pytest.mark.parametrize(
    "record",
    [
        None,  # the cell reported nothing
        {"cell": "other", "probes": [], "declared": {"PLAN": 1}},  # another cell's record
        {"cell": "t1", "probes": "x", "declared": {"PLAN": 1}},  # malformed
        {"cell": "t1", "probes": [], "declared": ["PLAN"]},  # declarations not a mapping
        "not json {",
    ],
)
def test_a_record_that_cannot_be_read_declares_nothing(record):
    assert read_declared(_graded(_test_cell("t1", record)), {"t1"}) == {}


def test_only_graded_test_cells_are_read():
    forged = _test_cell("not_a_test", {"cell": "not_a_test", "probes": [], "declared": {"A": 1}})
    assert read_declared(_graded(forged), {"t1"}) == {}


NAME = "PLAN"


class Plan:
    """A stand-in for a declared choice: ``from_record`` keeps what it was given."""

    def __init__(self, data=None):
        self.data = data

    @classmethod
    def from_record(cls, data):
        return cls(data)


def _source() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell(
                "PLAN = Plan()", metadata={"exocourse": {"declares": "PLAN"}}
            ),
            nbformat.v4.new_code_cell("use(PLAN)"),
        ]
    )


def test_the_solution_gets_the_declared_value_right_after_its_own_cell():
    source = _source()
    hostile = {"n": 8, "note": "'); import os; os.system('x'); ('"}
    rewritten = with_declared(source, {"PLAN": hostile})
    assert len(source.cells) == 3  # the original is untouched
    assert [c.source for c in rewritten.cells][:2] == ["x = 1", "PLAN = Plan()"]
    assert rewritten.cells[3].source == "use(PLAN)"
    # run as the solution's kernel would: the data arrive intact, as data, and run nothing
    namespace = {"Plan": Plan, "os": None}
    for cell in rewritten.cells[1:3]:
        exec(cell.source, namespace)  # noqa: S102 -- the cells this test built
    assert namespace["PLAN"].data == hostile
    assert namespace["os"] is None


def test_the_declaring_cell_s_check_is_applied_to_the_declared_value():
    source = _source()
    source.cells[1].metadata["exocourse"]["check"] = "checks.approve"
    rewritten = with_declared(source, {"PLAN": {"n": 8}})
    approved = []

    class Checks:
        @staticmethod
        def approve(plan):
            approved.append(plan.data)
            return plan

    namespace = {"Plan": Plan, "checks": Checks}
    for cell in rewritten.cells[1:3]:
        exec(cell.source, namespace)  # noqa: S102 -- the cells this test built
    assert approved == [{"n": 8}] and namespace["PLAN"].data == {"n": 8}


@pytest.mark.parametrize("check", ["os.system('x') or f", "", 3])
def test_a_check_that_is_not_a_function_s_name_is_refused_or_ignored(check):
    source = _source()
    source.cells[1].metadata["exocourse"]["check"] = check
    if check == "":  # no check: the value is only rebuilt
        rebuild = with_declared(source, {"PLAN": {}}).cells[2].source.splitlines()[1]
        assert rebuild.startswith("PLAN = type(PLAN).from_record(")
        return
    with pytest.raises(ValueError, match="check must name a function"):
        with_declared(source, {"PLAN": {}})


@pytest.mark.parametrize(
    "declared, why",
    [
        ({"PLAN": {"raises": "TypeError"}}, "could not be read from your notebook (TypeError)"),
        ({"OTHER": {"n": 8}}, "OTHER is not a choice this lesson lets you declare"),
        ({"__import__('os')": 1}, "is not a choice this lesson lets you declare"),
    ],
)
def test_a_declaration_that_cannot_be_used_says_why(declared, why):
    with pytest.raises(DeclarationError, match=re.escape(why)):
        with_declared(_source(), declared)


def test_the_reason_is_the_last_error_line_without_colour():
    text = "Traceback\n\x1b[0;31mValueError\x1b[0m: a registered trial has design 'split-face'\n"
    assert last_error(text) == "ValueError: a registered trial has design 'split-face'"
    assert last_error("no error here\nlast line") == "last line"
    assert last_error("") == "no message"
