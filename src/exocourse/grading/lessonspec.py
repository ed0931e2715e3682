"""What a lesson grades, read from its source notebook and its student release.

A :class:`LessonSpec` lists the questions (test cells and written answers) in notebook
order, the answer cells each test belongs to, the released text of every locked cell (to
notice edits), and the lines of the hidden tests (so that no message shown to a student
ever repeats one). Its ``fingerprint`` changes whenever a cell that grading depends on
changes, and not when only saved outputs change.

>>> import nbformat
>>> v4 = nbformat.v4
>>> def meta(**kw):
...     return {"nbgrader": {"schema_version": 3, "task": False, **kw}}
>>> source = v4.new_notebook(cells=[
...     v4.new_markdown_cell("### Exercise 1 - add"),
...     v4.new_code_cell("### BEGIN SOLUTION\\nx = 1\\n### END SOLUTION",
...         metadata=meta(grade_id="ex1", grade=False, solution=True, locked=False)),
...     v4.new_code_cell(
...         "assert x > 0\\n### BEGIN HIDDEN TESTS\\nassert x == 1\\n### END HIDDEN TESTS",
...         metadata=meta(grade_id="test_ex1", grade=True, solution=False, locked=True, points=1)),
... ])
>>> release = nbformat.from_dict(source)
>>> release.cells[2].source = "assert x > 0"
>>> spec = build_spec("demo", source, release)
>>> [(q.grade_id, q.title, q.answers, q.hidden_lines) for q in spec.questions]
[('test_ex1', 'Exercise 1 - add', ('ex1',), ('assert x == 1',))]
>>> spec.locked["test_ex1"].source
'assert x > 0'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from nbformat import NotebookNode

from ..digest import sha256
from ..student import STUDENT_ID_VAR

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
# nbgrader metadata a student must not change (nbgrader itself resets them before grading)
GUARDED_KEYS = ("grade", "solution", "locked", "points", "task")
#: Code that names one of these reads the student id (:mod:`exocourse.student`), directly
#: or through the capstone's trial per student.
STUDENT_MARKERS = ("student_id", "capstone", STUDENT_ID_VAR)
#: A markdown heading line ("## Exercise 4 — …"); its text names a question.
_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)(?:\s+#+)?\s*$")


@dataclass(frozen=True)
class QuestionSpec:
    """One graded cell: an autograded test cell (``kind="code"``) or a written answer."""

    grade_id: str
    kind: str
    points: float
    title: str
    answers: tuple[str, ...] = ()  # grade_ids of the answer cells this test checks
    hidden_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class LockedSpec:
    """A cell a student must not change, as released, and the question it is reported on."""

    grade_id: str
    cell_type: str
    source: str
    metadata: dict = field(compare=False)
    question: str  # grade_id of the question an edit of this cell is reported on
    graded: bool
    original: str = ""  # the cell in the source notebook (with hidden tests, if any)


@dataclass(frozen=True)
class LessonSpec:
    """The graded structure of one lesson (see the module docstring)."""

    lesson: str
    questions: tuple[QuestionSpec, ...]
    locked: dict[str, LockedSpec]
    answer_cells: tuple[str, ...]  # grade_ids of editable answer cells (code or markdown)
    order: tuple[str, ...]  # grade_ids of every nbgrader cell of the release, in order
    release_cells: dict[str, dict] = field(compare=False, default_factory=dict)
    fingerprint: str = ""
    #: test cell grade_id -> the probe record its hidden tests give on the solution
    expected: dict[str, dict] = field(compare=False, default_factory=dict)
    #: whether the lesson reads the student id, so each student's expected records differ
    per_student: bool = False

    def question(self, grade_id: str) -> QuestionSpec:
        for q in self.questions:
            if q.grade_id == grade_id:
                return q
        raise KeyError(grade_id)


def nbgrader_meta(cell: NotebookNode) -> dict:
    """The cell's nbgrader metadata (empty if it has none)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta if isinstance(meta, dict) else {}


def is_graded(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("grade"))


def is_answer(cell: NotebookNode) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def hidden_lines(source: str) -> tuple[str, ...]:
    """Stripped, non-empty lines between the hidden-test markers of a test cell.

    >>> hidden_lines("a = 1\\n### BEGIN HIDDEN TESTS\\n  b = 2\\n\\n### END HIDDEN TESTS")
    ('b = 2',)
    """
    lines, inside = [], False
    for line in source.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        elif inside and line.strip():
            lines.append(line.strip())
    return tuple(lines)


def reads_student_id(source: NotebookNode) -> bool:
    """Whether any code cell of ``source`` reads the student id (see :data:`STUDENT_MARKERS`):
    then the solution's probe records are computed per student.

    >>> import nbformat
    >>> reads_student_id(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]))
    False
    """
    return any(
        marker in cell.source
        for cell in source.cells
        if cell.cell_type == "code"
        for marker in STUDENT_MARKERS
    )


def _title(cells: list[NotebookNode], index: int) -> str:
    """The last markdown heading above cell ``index`` (outside code fences), which names the
    exercise whose test or written answer that cell is.

    >>> md = lambda text: NotebookNode(cell_type="markdown", source=text)
    >>> _title([md("## 4. The plan"), md("Text.\\n\\n### Exercise 4 — a rule\\nWrite it.")], 2)
    'Exercise 4 — a rule'
    """
    for cell in reversed(cells[:index]):
        if cell.cell_type != "markdown":
            continue
        headings, fenced = [], False
        for line in cell.source.splitlines():
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            elif not fenced and (heading := _HEADING.match(line)):
                headings.append(heading.group(1))
        if headings:
            return headings[-1]
    return ""


def fingerprint(source: NotebookNode) -> str:
    """SHA-256 over what grading depends on: every cell's type, text and nbgrader metadata,
    but not outputs or execution counts."""
    parts = [
        [cell.cell_type, cell.source, {k: v for k, v in nbgrader_meta(cell).items()}]
        for cell in source.cells
    ]
    return sha256(json.dumps(parts, sort_keys=True))


def build_spec(lesson: str, source: NotebookNode, release: NotebookNode) -> LessonSpec:
    """Read the graded structure of ``lesson`` from its source and released notebooks."""
    questions: list[QuestionSpec] = []
    pending_answers: list[str] = []
    for index, cell in enumerate(source.cells):
        meta = nbgrader_meta(cell)
        if not meta.get("grade_id"):
            continue
        if is_graded(cell):
            written = is_answer(cell)
            questions.append(
                QuestionSpec(
                    grade_id=meta["grade_id"],
                    kind="written" if written else "code",
                    points=float(meta.get("points", 0)),
                    title=_title(source.cells, index),
                    answers=() if written else tuple(pending_answers),
                    hidden_lines=() if written else hidden_lines(cell.source),
                )
            )
            pending_answers = []
        elif is_answer(cell) and cell.cell_type == "code":
            pending_answers.append(meta["grade_id"])
    if not questions:
        raise ValueError(f"{lesson}: the source notebook has no graded cells")

    originals = {nbgrader_meta(c).get("grade_id"): c.source for c in source.cells}
    order = [nbgrader_meta(c).get("grade_id") for c in release.cells]
    order = [grade_id for grade_id in order if grade_id]
    graded_ids = [q.grade_id for q in questions]
    locked: dict[str, LockedSpec] = {}
    release_cells: dict[str, dict] = {}
    answer_cells: list[str] = []
    for cell in release.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id")
        if not grade_id:
            continue
        release_cells[grade_id] = dict(cell)
        if meta.get("solution"):
            answer_cells.append(grade_id)
        if not meta.get("locked"):
            continue
        position = order.index(grade_id)
        later = [g for g in order[position:] if g in graded_ids]
        locked[grade_id] = LockedSpec(
            grade_id=grade_id,
            cell_type=cell.cell_type,
            source=cell.source,
            metadata={k: meta.get(k) for k in GUARDED_KEYS},
            question=later[0] if later else graded_ids[-1],
            graded=grade_id in graded_ids,
            original=originals.get(grade_id, ""),
        )
    return LessonSpec(
        lesson=lesson,
        questions=tuple(questions),
        locked=locked,
        answer_cells=tuple(answer_cells),
        order=tuple(order),
        release_cells=release_cells,
        fingerprint=fingerprint(source),
        per_student=reads_student_id(source),
    )
