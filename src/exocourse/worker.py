"""Grade one submission in a private nbgrader course, in a child process of the batch.

Each submission gets its own temporary course folder with a copy of the lesson's
gradebook (the lesson already registered), its own copy of the ``exocourse`` package and
datasets (the kernel imports that copy, so a notebook that overwrites a data file only
damages its private copy), and limits on memory, CPU time and core files. nbgrader's
``autograde`` runs there with :class:`GuardedExecute`, which never lets a dead or stuck
kernel look like a pass. The result (see :mod:`exocourse.results`) is written atomically.

Before grading, the submission is compared with the student release: deleted graded
cells are reported ``missing`` (0 points, never silently skipped); edited or deleted
locked cells are reported ``tampered`` and graded with the original cell.

>>> reason_of([{"output_type": "error", "ename": "AssertionError", "evalue": "x is wrong"}])
('AssertionError', 'x is wrong')
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.preprocessors import Execute
from traitlets import Unicode
from traitlets.config import Config

from .autograde import Task, base_result, uniform_result
from .course import configure, tools_on_path
from .lessonspec import GUARDED_KEYS, LessonSpec, QuestionSpec, is_answer, nbgrader_meta
from .results import (
    ERROR,
    FAILED,
    MANUAL,
    MISSING,
    PASSED,
    TAMPERED,
    TIMEOUT,
    Question,
    SubmissionResult,
    write_atomic,
)

NOT_RUN = "CellNotRun"  # ename of the error we put on cells that never ran
MAX_REASON = 600
KERNEL_DIED_WHY = "the code ended the Python process, e.g. with os._exit(), or crashed it"


class GuardedExecute(Execute):
    """nbgrader's Execute, except that a kernel that dies or hangs never yields a pass.

    When the kernel dies, the cell that killed it gets a ``DeadKernelError`` error output
    and every later code cell gets a ``CellNotRun`` error: nbgrader then scores those test
    cells 0 instead of reading "no error output" as full marks (nbgrader issue 427).
    """

    pid_file = Unicode("", help="write the kernel's process id here").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = ""
        return super().preprocess(nb, resources, km)

    async def async_start_new_kernel(self, **kwargs):
        await super().async_start_new_kernel(**kwargs)
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        if self.pid_file and pid:
            Path(self.pid_file).write_text(str(pid))

    start_new_kernel = run_sync(async_start_new_kernel)  # the base binds its own version

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._stopped:
            cell.outputs = [_error(NOT_RUN, f"this cell was not run: {self._stopped}")]
            return cell, resources
        started = time.monotonic()
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "the Python kernel died in an earlier cell"
            why = f"the Python kernel died in this cell ({KERNEL_DIED_WHY})"
            cell.outputs.append(_error("DeadKernelError", why))
        except CellTimeoutError:
            # raised here only when output went missing after the reply or an interrupt
            if time.monotonic() - started >= (self.timeout or 0):
                self._stopped = "an earlier cell ran too long and did not stop when interrupted"
                evalue = f"the cell ran longer than {self.timeout} s and ignored the interrupt"
            else:
                evalue = "the cell's output did not arrive in time (too much output?)"
            cell.outputs.append(_error("CellTimeoutError", evalue))
        return cell, resources


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])


# ---------------------------------------------------------------- child process entry


def run(task: Task) -> None:
    """Entry point of the child process: grade ``task`` and write its result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch decides when to stop
    log = os.open(task.log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = open(1, "w", closefd=False)  # noqa: SIM115 -- lives as long as the process
    sys.stderr = open(2, "w", closefd=False)  # noqa: SIM115
    set_limits(task.memory_mb, task.cpu_seconds)
    started = time.monotonic()
    try:
        result = grade(task)
    except Exception as exc:  # the grader itself failed: say so, never count it as a pass
        traceback.print_exc()
        result = uniform_result(
            task, ERROR, f"the grader failed on this submission ({type(exc).__name__}: {exc})"
        )
    result.seconds = round(time.monotonic() - started, 2)
    result.graded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    write_atomic(Path(task.result_path), result.to_json())


def set_limits(memory_mb: int, cpu_seconds: int) -> None:
    """Limit this process and the kernel it starts (limits are inherited): address space,
    CPU time, and no core files. Silently skipped where the OS does not support a limit."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return
    wanted = [
        ("RLIMIT_AS", memory_mb * 2**20, memory_mb * 2**20),
        ("RLIMIT_CPU", cpu_seconds, cpu_seconds + 5),
        ("RLIMIT_CORE", 0, 0),
    ]
    for name, soft, hard in wanted:
        if hasattr(resource, name):
            try:
                resource.setrlimit(getattr(resource, name), (soft, hard))
            except (ValueError, OSError):
                pass


# ---------------------------------------------------------------- grading


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def grade(task: Task) -> SubmissionResult:
    """Grade one submission (in the current process)."""
    if task.submission is None:
        return uniform_result(task, MISSING, task.problem)
    data = Path(task.submission).read_bytes()
    digest = sha256_bytes(data)
    nb, problem = read_notebook(data)
    if nb is None:
        return uniform_result(task, ERROR, problem, digest)

    found = inspect(nb, task.spec)
    work = Path(task.work)
    course = work / "course"
    target = course / "submitted" / task.student / task.lesson / f"{task.lesson}.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(found.notebook, target)
    stamp = Path(task.submission).with_name("timestamp.txt")
    if target.name == Path(task.submission).name and stamp.is_file():
        # nbgrader's layout: collect's timestamp lets nbgrader see late submissions
        shutil.copyfile(stamp, target.with_name("timestamp.txt"))
    shutil.copyfile(Path(task.template) / "gradebook.db", course / "gradebook.db")
    private = work / "package"
    private_package(Path(task.package), Path(task.datasets), private)
    isolate_environment(private)

    config = configure(Config(), course, course)
    config.CourseDirectory.root = str(course)
    config.CourseDirectory.source_directory = task.source_dir
    config.CourseDirectory.release_directory = str(course / "release")
    config.Execute.timeout = task.timeout
    config.GuardedExecute.timeout = task.timeout
    config.GuardedExecute.pid_file = str(work / "kernel.pid")
    config.GuardedExecute.shutdown_kernel = "immediate"
    config.Autograde.autograde_preprocessors = _preprocessors(GuardedExecute)
    api = NbGraderAPI(config=config)
    outcome = api.autograde(task.lesson, task.student, force=True, create=True)
    graded_path = course / "autograded" / task.student / task.lesson / f"{task.lesson}.ipynb"
    if not outcome["success"] or not graded_path.is_file():
        log = (outcome.get("error") or outcome.get("log") or "").strip().splitlines()
        last = log[-1] if log else "no message"
        return uniform_result(
            task, ERROR, f"nbgrader could not grade this notebook: {last}"[:MAX_REASON], digest
        )
    graded = nbformat.read(graded_path, as_version=4)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub = gb.find_submission_notebook(task.lesson, task.lesson, task.student)
        scores = {g.name: (g.auto_score, g.needs_manual_grade) for g in sub.grades}
    result = base_result(task, digest)
    result.questions = analyse(graded, scores, found, task.spec, task.timeout)
    result.notes = found.notes
    write_atomic(Path(task.graded_path), graded_path.read_bytes())
    return result


def _preprocessors(execute: type) -> list:
    from nbgrader.converters import Autograde

    default = Autograde.class_traits()["autograde_preprocessors"].default()
    if Execute not in default:
        raise RuntimeError("this nbgrader version does not run notebooks with Execute")
    return [execute if p is Execute else p for p in default]


def private_package(package: Path, datasets: Path, dest: Path) -> None:
    """Copy the ``exocourse`` package (with its datasets) to ``dest/exocourse``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(package, dest / "exocourse", ignore=ignore)
    if not (dest / "exocourse" / "datasets" / "SHA256SUMS").is_file():
        shutil.copytree(datasets, dest / "exocourse" / "datasets", ignore=ignore)


def isolate_environment(private: Path) -> None:
    """Environment inherited by the kernel: import the private package copy first, one
    BLAS thread (several gradings share the cores), a non-interactive plot backend."""
    tools_on_path()
    paths = [str(private), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    for var in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"]:
        os.environ[var] = "1"
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"


# ---------------------------------------------------------------- checks before grading


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


# ---------------------------------------------------------------- reading the outcome


def reason_of(outputs: list) -> tuple[str, str] | None:
    """(ename, evalue) of the error that explains a cell's failure, or None. A timeout
    wins over the KeyboardInterrupt that the interrupt caused.

    >>> reason_of([{"output_type": "error", "ename": "KeyboardInterrupt", "evalue": ""},
    ...            {"output_type": "error", "ename": "CellTimeoutError", "evalue": "late"}])
    ('CellTimeoutError', 'late')
    """
    errors = [
        (str(o.get("ename", "")), str(o.get("evalue", "")))
        for o in outputs
        if o.get("output_type") == "error"
    ]
    for ename in ("CellTimeoutError", "DeadKernelError"):
        for error in errors:
            if error[0] == ename:
                return error
    return errors[0] if errors else None


def redact(text: str, hidden: tuple[str, ...]) -> str:
    """Drop every line of ``text`` that repeats a line of a hidden test; shorten.

    >>> redact("x is wrong\\n_ref = secret(3)", ("_ref = secret(3)",))
    'x is wrong'
    """
    hidden_set = set(hidden)
    kept = [line for line in text.splitlines() if line.strip() not in hidden_set]
    text = "\n".join(kept).strip()
    return text if len(text) <= MAX_REASON else text[: MAX_REASON - 1] + "…"


def _stderr_of(outputs: list) -> str:
    return "".join(
        o.get("text", "")
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )


def analyse(
    graded: NotebookNode,
    scores: dict[str, tuple[float | None, bool]],
    found: Inspection,
    spec: LessonSpec,
    timeout: int,
) -> list[Question]:
    """Turn the autograded notebook and nbgrader's scores into one Question per graded cell."""
    position = {nbgrader_meta(c).get("grade_id"): i for i, c in enumerate(graded.cells)}
    graded_ids = {q.grade_id for q in spec.questions}
    questions = []
    for q in spec.questions:
        answer = (
            "\n\n".join(found.answers.get(a, "") for a in q.answers)
            if q.kind == "code"
            else found.answers.get(q.grade_id, "")
        )
        if q.grade_id in found.missing or q.grade_id not in position:
            what = "test" if q.kind == "code" else "answer"
            reason = (
                f"this graded {what} cell was deleted from the submission (or its grading "
                "settings removed), so it earns no points; restore it from the released "
                "notebook and grade again, or grade it by hand"
            )
            questions.append(Question(q.grade_id, q.title, q.kind, 0.0, q.points, MISSING, reason))
            continue
        auto, _ = scores.get(q.grade_id, (None, True))
        index = position[q.grade_id]
        if q.kind == "written":
            if auto is not None and auto == 0:
                status, points, reason = FAILED, 0.0, "no answer: the cell is unchanged"
            else:
                status, points = MANUAL, None
                reason = "a written answer: waits for a person to grade it (formgrader)"
        else:
            previous = max(
                (i for g, i in position.items() if g in graded_ids and i < index), default=-1
            )
            before = graded.cells[previous + 1 : index]
            status, points, reason = _code_outcome(q, graded.cells[index], auto, before, timeout)
        if q.grade_id in found.tampered:
            was = f"{status}: {reason}" if reason else status
            reason = "; ".join(found.tampered[q.grade_id]) + f". Graded result: {was}"
            status = TAMPERED
        for answer_id in q.answers:
            if answer_id in found.absent_answers and status != PASSED:
                reason += f" (the answer cell {answer_id!r} is not in the submission)"
        questions.append(
            Question(
                q.grade_id,
                q.title,
                q.kind,
                points,
                q.points,
                status,
                redact(reason, q.hidden_lines),
                answer,
            )
        )
    return questions


def _label(cell: NotebookNode) -> str:
    grade_id = nbgrader_meta(cell).get("grade_id")
    if grade_id:
        return f"the answer cell {grade_id!r}" if is_answer(cell) else f"the cell {grade_id!r}"
    first = next((ln.strip() for ln in cell.source.splitlines() if ln.strip()), "")
    return f"the cell starting `{first[:60]}`"


def _code_outcome(
    q: QuestionSpec, cell: NotebookNode, auto: float | None, before: list, timeout: int
) -> tuple[str, float, str]:
    """Status, points and reason of one test cell; ``before`` are the cells between the
    previous graded cell and this one (the answer and the code it builds on)."""
    outputs = cell.get("outputs", [])
    error = reason_of(outputs)
    ran = cell.get("execution_count") is not None or bool(outputs)
    points = min(float(auto or 0.0), q.points)
    if error is None and ran and points >= q.points:
        return PASSED, q.points, ""
    status, reason = ERROR, "the test cell was not run"
    if error is not None:
        ename, evalue = error
        if ename == "CellTimeoutError":
            status = TIMEOUT
            reason = evalue or f"the test did not finish within {timeout} s (an endless loop?)"
        elif ename in (NOT_RUN, "DeadKernelError"):
            reason = evalue
        elif ename == "NotImplementedError" and not evalue:
            status, reason = FAILED, "not answered: the answer still raises NotImplementedError"
        elif ename == "AssertionError":
            status = FAILED
            reason = evalue or "a hidden check failed (it has no message)"
        else:
            reason = f"{ename}: {evalue}" if evalue else ename
    elif ran and _stderr_of(outputs):
        first = _stderr_of(outputs).strip().splitlines()[0]
        status = FAILED
        reason = f"the test printed a warning or error (nbgrader gives 0 points for that): {first}"
    elif ran:
        status, reason = FAILED, f"partial credit: {points:g} of {q.points:g} points"
    # say what went wrong in the cells this test builds on
    for earlier in before:
        problem = reason_of(earlier.get("outputs", [])) if earlier.cell_type == "code" else None
        if problem is None:
            continue
        ename, evalue = problem
        if not is_answer(earlier) and ename in ("NameError", "NotImplementedError", NOT_RUN):
            continue  # a knock-on effect of an unanswered exercise, not a cause
        where, evalue = _label(earlier), evalue if len(evalue) < 200 else evalue[:199] + "…"
        if ename == "NotImplementedError" and not evalue:
            if status == ERROR:  # e.g. a NameError only because nothing was answered
                status, reason = FAILED, "not answered"
            reason += f" ({where} still raises NotImplementedError)"
        elif ename == "CellTimeoutError":
            status = TIMEOUT
            reason += f" ({where} did not finish within {timeout} s: an endless loop?)"
        elif ename == "DeadKernelError":
            reason = f"not run: the Python kernel died in {where} ({KERNEL_DIED_WHY})"
        elif ename != NOT_RUN:
            detail = f"{ename}: {evalue}" if evalue else ename
            reason += f" ({where} raised {detail})"
    return status, (points if status == FAILED else 0.0), reason
