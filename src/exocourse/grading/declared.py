"""Choices a student declares, and the solution's run that shares them.

A hidden test may declare a choice the student made (:func:`exocourse.probes.declare`):
in Lesson 5, the registered protocol their own trial was drawn from. The grader reads the
declarations from the student's graded notebook (:func:`read_declared`) and runs the
solution with them (:func:`with_declared`): after the source cell that defines the choice
(the cell whose metadata carries ``{"exocourse": {"declares": NAME}}``) it inserts one cell
that rebuilds ``NAME`` from the declared data with ``type(NAME).from_record``, which checks
it, and passes it through the function the metadata may name as ``"check"`` (Lesson 5:
``capstone.register``), so a choice the lesson would refuse stops the run at once. The
student's answers are then compared with the solution's on the same choice, so a
declaration can change which answers are right, never whether a wrong answer passes.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
...     "PLAN = Plan(n=8)", metadata={"exocourse": {"declares": "PLAN"}})])
>>> print(with_declared(nb, {"PLAN": {"n": 40}}).cells[1].source)
import json as _exocourse_json
PLAN = type(PLAN).from_record(_exocourse_json.loads('{"n": 40}'))
"""

from __future__ import annotations

import copy
import json
from typing import Any

import nbformat
from nbformat import NotebookNode

from .lessonspec import nbgrader_meta
from .verdicts import read_record


class DeclarationError(ValueError):
    """A declaration the grader cannot use: the reason is shown to the student."""


def declares(cell: NotebookNode) -> str:
    """The name a source cell defines for the student's declared choice, or ``""``."""
    meta = cell.get("metadata", {}).get("exocourse", {})
    name = meta.get("declares", "") if isinstance(meta, dict) else ""
    return name if isinstance(name, str) and name.isidentifier() else ""


def _check(cell: NotebookNode) -> str:
    """The dotted name of the function a declaring cell's metadata names as its ``check``
    (``""``: none)."""
    check = cell.metadata["exocourse"].get("check", "")
    if not isinstance(check, str) or not all(part.isidentifier() for part in check.split(".")):
        raise ValueError(f"a declaring cell's check must name a function, got {check!r}")
    return check


def read_declared(graded: NotebookNode, test_ids: set[str]) -> dict[str, Any]:
    """Every declaration the student's test cells ``test_ids`` reported, by name (the first
    one of a name wins; a record that cannot be read declares nothing)."""
    found: dict[str, Any] = {}
    for cell in graded.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if cell.cell_type != "code" or grade_id not in test_ids:
            continue
        record, _ = read_record(cell.get("outputs", []), grade_id)
        declared = record.get("declared") if record else None
        if isinstance(declared, dict):
            for name, value in declared.items():
                found.setdefault(str(name), value)
    return found


def with_declared(notebook: NotebookNode, declared: dict[str, Any]) -> NotebookNode:
    """A copy of ``notebook`` (a grading version) whose run uses the ``declared`` choices.

    Raises :class:`DeclarationError` when a declaration could not be computed in the
    student's kernel, or names a choice the notebook has no cell for."""
    rewritten = copy.deepcopy(notebook)
    cells = list(rewritten.cells)
    for name, value in sorted(declared.items()):
        if isinstance(value, dict) and set(value) == {"raises"}:
            why = value["raises"]
            raise DeclarationError(f"{name} could not be read from your notebook ({why})")
        where = [i for i, cell in enumerate(cells) if declares(cell) == name]
        if not where:
            raise DeclarationError(f"{name} is not a choice this lesson lets you declare")
        data = json.dumps(value, sort_keys=True)
        rebuild = f"type({name}).from_record(_exocourse_json.loads({data!r}))"
        check = (
            _check(cells[where[0]]) if cells[where[0]].metadata["exocourse"].get("check") else ""
        )
        rebuild = f"{name} = {check}({rebuild})" if check else f"{name} = {rebuild}"
        code = f"import json as _exocourse_json\n{rebuild}"
        cells.insert(where[0] + 1, nbformat.v4.new_code_cell(code))
    rewritten.cells = cells
    return rewritten
