"""What a submission looks like next to the lesson's release, before it is graded.

:func:`read_notebook` says what is wrong with a file that is not a notebook.
:func:`inspect` compares a submission with the release: deleted graded cells are
reported ``missing`` (0 points, never silently skipped); edited or deleted locked cells
are reported ``tampered`` and graded with the original cell.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

import nbformat
from nbformat import NotebookNode

from ..student import SHOWN_AS
from .lessonspec import GUARDED_KEYS, LessonSpec, nbgrader_meta


def read_notebook(data: bytes) -> tuple[NotebookNode | None, str]:
    """The notebook in ``data``, or None and a sentence saying what is wrong with it.

    >>> read_notebook(b"")[1]
    'the file is empty (0 bytes)'
    >>> read_notebook(b'{"cells": [')[1][:35]
    'the file is not valid JSON (Expecti'
    """
    if not data.strip():
        return None, f"the file is empty ({len(data)} bytes)"
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, (
            f"the file is not valid JSON ({exc}): it was probably damaged or cut short "
            "while saving, downloading or uploading; ask the student for a fresh copy"
        )
    try:
        nb = nbformat.reads(json.dumps(raw), as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("it has no list of cells")
    except Exception as exc:
        return None, f"the file is JSON but not a Jupyter notebook ({exc})"
    return nb, ""


@dataclass
class Inspection:
    """What the submission looks like next to the release, before grading."""

    notebook: NotebookNode  # the copy to grade (deleted locked cells put back)
    missing: set[str]  # graded cells absent from the submission
    tampered: dict[str, list[str]]  # question grade_id -> what was done to locked cells
    answers: dict[str, str]  # answer-cell grade_id -> the student's text
    absent_answers: set[str]
    notes: list[str]


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def inspect(nb: NotebookNode, spec: LessonSpec) -> Inspection:
    """Compare a submission with the lesson's release (see :class:`Inspection`)."""
    nb = copy.deepcopy(nb)
    by_id: dict[str, NotebookNode] = {}
    counts: dict[str, int] = {}
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if grade_id:
            by_id[grade_id] = cell  # nbgrader keeps the last of duplicated ids too
            counts[grade_id] = counts.get(grade_id, 0) + 1
    notes = [
        f"the cell {gid!r} appears {n} times; the last copy was graded"
        for gid, n in counts.items()
        if n > 1 and gid in spec.release_cells
    ]
    graded_ids = {q.grade_id for q in spec.questions}
    missing = {gid for gid in graded_ids if gid not in by_id}
    tampered: dict[str, list[str]] = {}
    for gid, locked in spec.locked.items():
        cell = by_id.get(gid)
        if cell is None:
            if not locked.graded:
                _restore(nb, spec, gid)
                tampered.setdefault(locked.question, []).append(
                    f"the locked cell {gid!r} was deleted; it was put back before grading"
                )
            continue
        meta = nbgrader_meta(cell)
        changed = (
            cell.cell_type != locked.cell_type
            or _normalise(cell.source) != _normalise(locked.source)
            or any(meta.get(k) != locked.metadata.get(k) for k in GUARDED_KEYS)
        )
        if changed:
            what = "locked test cell" if locked.graded else f"locked cell {gid!r}"
            if locked.graded and _normalise(cell.source) == _normalise(locked.original):
                how = "contains the hidden tests (is this the instructor's source notebook?)"
            else:
                how = "was edited; it was graded with the original"
            tampered.setdefault(locked.question, []).append(f"the {what} {how}")
    for gid in spec.answer_cells:  # editable cells whose grading settings were changed
        cell, release = by_id.get(gid), spec.release_cells[gid]
        meta, original = nbgrader_meta(cell) if cell else {}, release["metadata"]["nbgrader"]
        if cell is not None and any(meta.get(k) != original.get(k) for k in GUARDED_KEYS):
            question = gid if gid in graded_ids else _question_of_answer(spec, gid)
            tampered.setdefault(question, []).append(
                f"the grading settings of cell {gid!r} were edited; the originals were used"
            )
    answers = {gid: by_id[gid].source for gid in spec.answer_cells if gid in by_id}
    absent = {gid for gid in spec.answer_cells if gid not in by_id and gid not in graded_ids}
    return Inspection(nb, missing, tampered, answers, absent, notes)


def _question_of_answer(spec: LessonSpec, answer_id: str) -> str:
    for q in spec.questions:
        if answer_id in q.answers:
            return q.grade_id
    return spec.questions[-1].grade_id


def _restore(nb: NotebookNode, spec: LessonSpec, grade_id: str) -> None:
    """Put the released cell ``grade_id`` back after the nearest earlier known cell."""
    position = 0
    earlier = spec.order[: spec.order.index(grade_id)]
    for index, cell in enumerate(nb.cells):
        if nbgrader_meta(cell).get("grade_id") in earlier:
            position = index + 1
    nb.cells.insert(position, nbformat.from_dict(copy.deepcopy(spec.release_cells[grade_id])))


def last_run_as(nb: NotebookNode) -> str | None:
    """The student id a saved notebook was last run under, from the line its setup cell
    printed (``student id: ada``, :data:`exocourse.student.SHOWN_AS`), or None if no saved
    output shows one (never run, or outputs cleared).

    >>> cell = nbformat.v4.new_code_cell("print(...)")
    >>> cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="student id: ada\\n")]
    >>> last_run_as(nbformat.v4.new_notebook(cells=[cell]))
    'ada'
    """
    for cell in nb.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            for line in text.splitlines():
                if line.startswith(SHOWN_AS):
                    return line.removeprefix(SHOWN_AS).strip()
    return None


def other_id_note(shown: str | None, graded_as: str, lesson: str) -> str | None:
    """A note for a per-student lesson graded under another id than the one the notebook was
    last run under (None if they agree, or if the notebook shows none).

    >>> other_id_note("ada", "ada", "05-x") is None
    True
    >>> other_id_note("self-study", "grace", "05-x")[:58]
    "this notebook was last run as student id 'self-study' but "
    """
    if shown is None or shown == graded_as:
        return None
    return (
        f"this notebook was last run as student id {shown!r} but was graded as {graded_as!r}: "
        f"the lesson draws each student's data from the id, so the graded numbers are those of "
        f"{graded_as!r}, not the ones the student saw; if {shown!r} is this student's id, grade "
        f"the file again named {shown}_{lesson}.ipynb"
    )
