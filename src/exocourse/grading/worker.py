"""Grade one submission in a private nbgrader course, in a child process of the batch.

Each submission gets its own temporary course folder with a copy of the lesson's
gradebook (the lesson already registered), its own copy of the ``exocourse`` package and
datasets (the kernel imports that copy, so a notebook that overwrites a data file only
damages its private copy), and limits on memory, CPU time and core files (see
:mod:`.guard`); unless the task says otherwise, its kernel runs in the OS sandbox of
:mod:`.sandbox`. The submission is inspected first (:mod:`.inspection`), graded by
nbgrader's ``autograde`` with :class:`~.guard.GuardedExecute` (the test cells nbgrader puts
back are the lesson's grading version, see :mod:`.expected`), and its outcome read question
by question (:mod:`.outcome`): points come only from the hidden tests' probes, compared
here, outside the student's kernel, with the solution's. The kernel sees the submission's
student id (:mod:`exocourse.student`); for a lesson that reads it, the solution's records
are those of a run with the same id and the choices the student declared
(:mod:`.declared`). The result is written atomically.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets.config import Config

from ..authoring.nbgrader_course import configure
from ..digest import sha256
from ..student import STUDENT_ID_VAR
from .declared import DeclarationError, read_declared
from .files import copy_timestamp, write_atomic
from .guard import GuardedExecute, isolate_environment, private_package, set_limits
from .inspection import inspect, last_run_as, other_id_note, read_notebook
from .lessonspec import LessonSpec
from .outcome import MAX_REASON, NOT_ANSWERED, analyse
from .results import Question, SubmissionResult
from .sandbox import SandboxKernelManager
from .status import ERROR, FAILED, MISSING, PASSED
from .task import Task, base_result, uniform_result
from .workspace import student_expected


def run(task: Task) -> None:
    """Entry point of the child process: grade ``task`` and write its result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch decides when to stop
    if task.environ:  # the batch's environment, not the fork server's
        os.environ.clear()
        os.environ.update(task.environ)
    # the grader's own IPython state goes to its private work folder, not the grader's HOME
    os.environ["IPYTHONDIR"] = str(Path(task.work) / "ipython")
    # and so do its temporary folders (the solution's run of a per-student lesson among them,
    # and that run's kernel), which the batch removes even when it has to stop this child
    scratch = Path(task.work) / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    os.environ["TMPDIR"] = str(scratch)
    tempfile.tempdir = None  # read again from TMPDIR
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


def grade(task: Task) -> SubmissionResult:
    """Grade one submission (in the current process)."""
    if task.submission is None:
        return uniform_result(task, MISSING, task.problem)
    data = Path(task.submission).read_bytes()
    digest = sha256(data)
    nb, problem = read_notebook(data)
    if nb is None:
        return uniform_result(task, ERROR, problem, digest)

    spec = task.spec
    os.environ[STUDENT_ID_VAR] = task.student  # the kernel (and its sandbox) reads it
    found = inspect(nb, spec)
    work = Path(task.work)
    course = work / "course"
    target = course / "submitted" / task.student / task.lesson / f"{task.lesson}.ipynb"
    target.parent.mkdir(parents=True)
    nbformat.write(found.notebook, target)
    copy_timestamp(Path(task.submission), target)  # so nbgrader sees late submissions
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
    if task.sandbox:
        config.GuardedExecute.kernel_manager_class = SandboxKernelManager
        config.SandboxKernelManager.folder = str(work / "sandbox")
        config.SandboxKernelManager.pythonpath = str(private)
    config.Autograde.autograde_preprocessors = _preprocessors(GuardedExecute)
    api = NbGraderAPI(config=config)
    outcome = api.autograde(task.lesson, task.student, force=True, create=True)
    graded_path = course / "autograded" / task.student / task.lesson / f"{task.lesson}.ipynb"
    if not outcome["success"] or not graded_path.is_file():
        text = (outcome.get("error") or outcome.get("log") or "").strip()
        # all of it, in this submission's log, for the instructor
        print(outcome.get("log") or "", text, sep="\n", flush=True)
        log = text.splitlines()
        last = log[-1] if log else "no message"
        return uniform_result(
            task, ERROR, f"nbgrader could not grade this notebook: {last}"[:MAX_REASON], digest
        )
    graded = nbformat.read(graded_path, as_version=4)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub = gb.find_submission_notebook(task.lesson, task.lesson, task.student)
        scores = {g.name: (g.auto_score, g.needs_manual_grade) for g in sub.grades}
    problem = ""
    if spec.per_student:  # this student's data and choices: the solution's records for them
        spec, problem = _student_spec(task, spec, graded)
    result = base_result(task, digest)
    result.questions = analyse(graded, scores, found, spec, task.timeout)
    if problem:  # a declaration the solution could not use: its questions cannot be judged
        result.questions = [_undeclared(q, spec, problem) for q in result.questions]
    result.notes += found.notes
    if spec.per_student and (
        note := other_id_note(last_run_as(found.notebook), task.student, task.lesson)
    ):
        result.notes.append(note)
    write_atomic(Path(task.graded_path), graded_path.read_bytes())
    return result


def _student_spec(
    task: Task, spec: LessonSpec, graded: nbformat.NotebookNode
) -> tuple[LessonSpec, str]:
    """``spec`` with the solution's records for this student's id and declared choices, and
    why the declarations could not be used (then the records are for the id alone)."""
    tests = {q.grade_id for q in spec.questions if q.kind == "code"}
    declared = read_declared(graded, tests)
    template = Path(task.template)
    try:
        expected = student_expected(template, task.lesson, task.student, declared)
        problem = ""
    except DeclarationError as exc:
        expected = student_expected(template, task.lesson, task.student)
        problem = str(exc)
    return replace(spec, expected=expected), problem


def _undeclared(question: Question, spec: LessonSpec, problem: str) -> Question:
    """``question`` earns nothing for ``problem`` if its hidden tests declare a choice: its
    answers cannot be told right or wrong. A reason it already failed for is kept first."""
    if not spec.expected.get(question.grade_id, {}).get("declared"):
        return question
    if question.reason.startswith(NOT_ANSWERED):
        return replace(question, points=0.0)  # a declaration is beside the point
    why = f"your declared choice could not be used for grading: {problem}"
    if question.status == PASSED:
        return replace(question, points=0.0, status=FAILED, reason=why[:MAX_REASON])
    return replace(question, points=0.0, reason=f"{question.reason}; {why}"[:MAX_REASON])


def _preprocessors(execute: type) -> list:
    default = Autograde.class_traits()["autograde_preprocessors"].default()
    if Execute not in default:
        raise RuntimeError("this nbgrader version does not run notebooks with Execute")
    return [execute if p is Execute else p for p in default]
