"""The grading version of a lesson, and what its hidden tests give on the solution.

:func:`grading_source` rewrites every graded test cell of a source notebook so that its
hidden tests run first, inside :func:`exocourse.probes.run` (which reports their probes
as one output even when they raise), and its visible tests after them: a failing visible
test then still gives its helpful message, and can no longer stop the hidden ones. The
hidden part stays between nbgrader's hidden-test markers, so the student version that
nbgrader releases from the rewritten notebook is the usual one.

:func:`expected_records` runs the rewritten notebook, solutions included, in a kernel of
the grader's own, and keeps each test cell's probe record: the values a submission's
probes are compared with (:mod:`.verdicts`).

>>> import nbformat
>>> cell = nbformat.v4.new_code_cell(
...     "assert x > 0\\n### BEGIN HIDDEN TESTS\\nprobe('x', lambda: x)\\n### END HIDDEN TESTS",
...     metadata={"nbgrader": {"grade": True, "grade_id": "t1", "solution": False}})
>>> print(grading_cell_source(cell))
### BEGIN HIDDEN TESTS
import exocourse.probes as _exocourse_probes
_exocourse_probes.run('t1', "probe('x', lambda: x)", globals())
### END HIDDEN TESTS
assert x > 0
"""

from __future__ import annotations

import contextlib
import copy
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

from ..authoring.course import CourseError
from ..student import HUB_USER_VAR, STUDENT_ID_VAR
from .lessonspec import HIDDEN_BEGIN, HIDDEN_END, nbgrader_meta
from .verdicts import read_record

#: Marks the lines of a rewritten test cell that no reason shown to a student may repeat.
WRAPPER = "_exocourse_probes"


def _split(source: str) -> tuple[str, str]:
    """(visible part, hidden part) of a test cell's source."""
    visible, hidden, inside = [], [], False
    for line in source.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        else:
            (hidden if inside else visible).append(line)
    return "\n".join(visible).strip("\n"), "\n".join(hidden).strip("\n")


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: graded, code, not an answer."""
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def grading_cell_source(cell: NotebookNode) -> str:
    """The rewritten source of one test cell (see the module docstring)."""
    visible, hidden = _split(cell.source)
    grade_id = nbgrader_meta(cell)["grade_id"]
    return "\n".join(
        [
            HIDDEN_BEGIN,
            f"import exocourse.probes as {WRAPPER}",
            f"{WRAPPER}.run({grade_id!r}, {hidden!r}, globals())",
            HIDDEN_END,
            visible,
        ]
    )


def grading_source(source: NotebookNode) -> NotebookNode:
    """A copy of ``source`` with every test cell rewritten for differential grading."""
    rewritten = copy.deepcopy(source)
    for cell in rewritten.cells:
        if is_test_cell(cell):
            cell.source = grading_cell_source(cell)
    return rewritten


def expected_records(
    rewritten: NotebookNode, lesson: str, timeout: int = 600, student: str | None = None
) -> dict[str, dict]:
    """Run ``rewritten`` (a :func:`grading_source`) and return each test cell's probe record,
    by grade id. The kernel sees ``student`` as the student id (none set: the default id of
    :mod:`exocourse.student`), as the submission of that student does. A test cell without
    probes, or whose probes name something that does not exist in the solution, is an
    authoring error (:class:`CourseError`)."""
    notebook = copy.deepcopy(rewritten)
    with (
        tempfile.TemporaryDirectory(prefix="exocourse-solution-") as folder,
        _own_home(folder, student),
    ):
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            record_timing=False,
            resources={"metadata": {"path": folder}},
        )
        try:
            client.execute()
        except Exception as exc:
            raise CourseError(
                f"{lesson}: the solution notebook failed while grading: {exc}"
            ) from exc
    records = {}
    for cell in notebook.cells:
        if not is_test_cell(cell):
            continue
        grade_id = nbgrader_meta(cell)["grade_id"]
        record, problem = read_record(cell.get("outputs", []), grade_id)
        if record is None:
            raise CourseError(f"{lesson}: test cell {grade_id!r} on the solution: {problem}")
        if not record["probes"] or "stopped" in record:
            why = f"stopped at {record['stopped']}" if "stopped" in record else "has no probe"
            raise CourseError(
                f"{lesson}: the hidden tests of {grade_id!r} {why} on the solution: "
                "every autograded test needs probes that run (see CONTRIBUTING.md)"
            )
        for item in record["probes"]:
            if item["value"] == {"raises": "NameError"}:
                raise CourseError(
                    f"{lesson}: the probe {item['label']!r} of {grade_id!r} names something "
                    "the solution does not define"
                )
        records[grade_id] = record
    return records


@contextlib.contextmanager
def _own_home(folder: str, student: str | None = None) -> Iterator[None]:
    """Give the solution's kernel a home of its own in ``folder``, so that its caches
    (matplotlib, IPython, Jupyter) never land in the grading user's home, and the student
    id ``student`` (or none)."""
    names = ["HOME", "MPLCONFIGDIR", "IPYTHONDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"]
    saved = {name: os.environ.get(name) for name in [*names, STUDENT_ID_VAR, HUB_USER_VAR]}
    os.environ.update({name: str(Path(folder) / "home") for name in names})
    os.environ.pop(HUB_USER_VAR, None)  # the grader's own hub name is nobody's student id
    if student is None:
        os.environ.pop(STUDENT_ID_VAR, None)
    else:
        os.environ[STUDENT_ID_VAR] = student
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def write_grading_source(source_path: Path, dest_root: Path) -> NotebookNode:
    """Write the grading version of the lesson at ``source_path`` (and the other files of
    its folder) into ``dest_root/solutions/<lesson>/``; return the rewritten notebook."""
    lesson_dir = source_path.parent
    target = dest_root / "solutions" / lesson_dir.name
    target.mkdir(parents=True)
    for other in lesson_dir.iterdir():
        if other.is_file() and other != source_path:
            (target / other.name).write_bytes(other.read_bytes())
    rewritten = grading_source(nbformat.read(source_path, as_version=4))
    nbformat.write(rewritten, target / source_path.name)
    return rewritten
