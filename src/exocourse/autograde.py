"""Autograde a whole class in parallel, with progress, resumable, never touching originals.

Submissions are found in a folder in either layout (both may be mixed):

* nbgrader's: ``SUBMISSIONS/<student>/<lesson>/<lesson>.ipynb`` (what ``nbgrader collect``
  writes; a ``timestamp.txt`` beside the notebook is passed on to nbgrader);
* a flat folder of LMS downloads named ``<student>_<lesson>.ipynb``, for example
  ``ada_01-exosome-biology.ipynb`` (rename downloads to this pattern first).

A student id is letters, digits and ``. _ @ + -``. Files that match neither pattern are
reported, not guessed at. Each submission is graded by a child process (see
:mod:`exocourse.worker`) with a wall-clock limit; ``jobs`` of them run at once. Results
land in ``<workspace>/autograde/<lesson>/results/<student>.json``; a submission whose
result is already there for the same file and the same tests is skipped unless
``force`` is set, so an interrupted run simply resumes.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "ada_01-demo.ipynb").write_text("{}")
2
>>> (folder / "notes.ipynb").write_text("{}")
2
>>> found, unmatched = find_submissions(folder, "01-demo")
>>> [(s.student, s.path.name) for s in found]
[('ada', 'ada_01-demo.ipynb')]
>>> unmatched[0].reason
'the name is not <student>_01-demo.ipynb'
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from multiprocessing.connection import wait
from pathlib import Path

import nbformat

from .course import CourseError, check_lesson, default_workspace, lessons
from .lessonspec import LessonSpec, build_spec, fingerprint
from .results import (
    ERROR,
    MISSING,
    TIMEOUT,
    Question,
    SubmissionResult,
    read_result,
    write_atomic,
)

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")


@dataclass(frozen=True)
class Submission:
    """One student's submission of a lesson; ``path`` is None when the notebook is absent."""

    student: str
    path: Path | None
    problem: str = ""


@dataclass(frozen=True)
class Unmatched:
    """A file in the submissions folder that could not be attributed to a student."""

    path: Path
    reason: str


def _is_other_lesson(name: str, lesson: str, others: list[str]) -> bool:
    return any(name.endswith(f"_{o}.ipynb") for o in others if o != lesson)


def find_submissions(
    folder: Path, lesson: str, other_lessons: list[str] | None = None
) -> tuple[list[Submission], list[Unmatched]]:
    """Find the submissions of ``lesson`` in ``folder`` (see the module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CourseError(f"submissions folder {folder} does not exist or is not a folder")
    others = other_lessons or []
    found: dict[str, Submission] = {}
    unmatched: list[Unmatched] = []

    def add(sub: Submission, where: Path) -> None:
        if sub.student in found:
            first = found[sub.student].path or where
            raise CourseError(
                f"student {sub.student!r} has two submissions: {first} and {where}; "
                "remove one and run again"
            )
        found[sub.student] = sub

    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            lesson_dir = entry / lesson
            if not lesson_dir.is_dir():
                continue  # this student has no submission of this lesson
            if not STUDENT_ID.match(entry.name):
                unmatched.append(Unmatched(entry, "the folder name is not a valid student id"))
                continue
            notebook = lesson_dir / f"{lesson}.ipynb"
            if notebook.is_file():
                add(Submission(entry.name, notebook), notebook)
            else:
                present = sorted(p.name for p in lesson_dir.glob("*.ipynb"))
                seen = f"found: {', '.join(present)}" if present else "no notebook at all"
                problem = (
                    f"no {lesson}.ipynb in the submission folder ({seen}); rename the "
                    "student's notebook to that name and grade again"
                )
                add(Submission(entry.name, None, problem), lesson_dir)
        elif entry.suffix == ".ipynb":
            if _is_other_lesson(entry.name, lesson, others):
                continue
            suffix = f"_{lesson}.ipynb"
            student = entry.name[: -len(suffix)] if entry.name.endswith(suffix) else ""
            if not student:
                unmatched.append(Unmatched(entry, f"the name is not <student>_{lesson}.ipynb"))
            elif not STUDENT_ID.match(student):
                unmatched.append(Unmatched(entry, f"{student!r} is not a valid student id"))
            else:
                add(Submission(student, entry), entry)
    return [found[s] for s in sorted(found)], unmatched


@dataclass(frozen=True)
class Task:
    """Everything a child needs to grade one submission (picklable)."""

    student: str
    lesson: str
    submission: str | None  # the original file (only read); None when there is none
    problem: str  # why there is no submission file
    source_dir: str  # the course's solutions/ folder
    template: str  # folder with the lesson's registered gradebook.db
    package: str  # the installed exocourse package folder
    datasets: str  # the installed exocourse.datasets folder
    work: str  # empty private folder for this grading, removed afterwards by the batch
    result_path: str
    graded_path: str  # where the autograded notebook is kept (instructor only)
    log_path: str
    timeout: int  # seconds per cell
    memory_mb: int  # address-space limit of the grading process and its kernel
    cpu_seconds: int  # CPU-time limit of each of them
    spec: LessonSpec


def base_result(task: Task, submission_sha256: str = "") -> SubmissionResult:
    return SubmissionResult(
        student=task.student,
        lesson=task.lesson,
        questions=[],
        source=task.submission or "",
        submission_sha256=submission_sha256,
        tests_sha256=task.spec.fingerprint,
    )


def uniform_result(
    task: Task, status: str, reason: str, submission_sha256: str = ""
) -> SubmissionResult:
    """A result giving every question the same status and 0 points."""
    result = base_result(task, submission_sha256)
    result.questions = [
        Question(q.grade_id, q.title, q.kind, 0.0, q.points, status, reason)
        for q in task.spec.questions
    ]
    result.notes.append(reason)
    return result


class LessonWorkspace:
    """Where grading state of one lesson lives: ``<workspace>/autograde/<lesson>/``."""

    def __init__(self, workspace: Path, lesson: str) -> None:
        self.workspace = Path(workspace)
        self.lesson = lesson
        self.dir = self.workspace / "autograde" / lesson
        self.results = self.dir / "results"
        self.graded = self.dir / "graded"
        self.feedback = self.dir / "feedback"
        self.logs = self.dir / "logs"
        self.templates = self.dir / "template"

    def result_path(self, student: str) -> Path:
        return self.results / f"{student}.json"

    def load_results(self) -> dict[str, SubmissionResult]:
        """Every stored result of this lesson, by student."""
        results = {}
        for path in sorted(self.results.glob("*.json")):
            result = read_result(path)
            if result is not None:
                results[result.student] = result
        return results

    def unmatched(self) -> list[dict]:
        path = self.dir / "unmatched.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def prepare(root: Path, lesson: str, lw: LessonWorkspace) -> tuple[Path, LessonSpec]:
    """Register ``lesson`` in a template gradebook (once per version of its tests) and read
    its graded structure. Returns the template folder and the spec."""
    source_path = root / "solutions" / lesson / f"{lesson}.ipynb"
    source = nbformat.read(source_path, as_version=4)
    template = lw.templates / fingerprint(source)[:16]
    release_path = template / "release" / lesson / f"{lesson}.ipynb"
    if not (template / "gradebook.db").is_file() or not release_path.is_file():
        _build_template(root, lesson, template)
    release = nbformat.read(release_path, as_version=4)
    return template, build_spec(lesson, source, release)


def _build_template(root: Path, lesson: str, template: Path) -> None:
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    from .course import configure, tools_on_path

    tools_on_path()
    template.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=template.parent, prefix=".build-"))
    try:
        config = configure(Config(), root, building)
        config.CourseDirectory.release_directory = str(building / "release")
        result = NbGraderAPI(config=config).generate_assignment(lesson, force=True)
        if not result["success"]:
            raise CourseError(f"could not register {lesson}:\n{result.get('error') or ''}")
        try:
            os.rename(building, template)
        except OSError:  # another run built it meanwhile: use theirs
            if not (template / "gradebook.db").is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)


@dataclass
class BatchReport:
    """What one ``autograde`` run did."""

    lesson: str
    results: dict[str, SubmissionResult] = field(default_factory=dict)
    graded: list[str] = field(default_factory=list)  # students graded in this run
    skipped: list[str] = field(default_factory=list)  # already graded, left as they were
    unmatched: list[Unmatched] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)  # installed data files that changed
    seconds: float = 0.0


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _installed_data() -> tuple[Path, Path, dict[str, str]]:
    import exocourse
    from exocourse import data

    folder = data.folder()
    sums = {p.name: _sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}
    return Path(exocourse.__file__).parent, folder, sums


def autograde(
    root: Path,
    lesson: str,
    folder: Path,
    workspace: Path | None = None,
    jobs: int | None = None,
    timeout: int = 60,
    submission_timeout: int | None = None,
    memory_mb: int = 4096,
    force: bool = False,
    on_result: Callable[[SubmissionResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchReport:
    """Grade every submission of ``lesson`` in ``folder`` (see the module docstring).

    ``timeout`` limits each cell (seconds); ``submission_timeout`` (default ten times
    ``timeout``) limits a whole submission; ``memory_mb`` limits the address space of each
    grading process and its kernel. ``on_start(n)`` is called with the number to grade,
    ``on_result`` with each new result as it arrives.
    """
    check_lesson(root, lesson)
    if timeout <= 0 or (submission_timeout is not None and submission_timeout <= 0):
        raise CourseError("timeouts must be positive numbers of seconds")
    if memory_mb < 256:
        raise CourseError(f"memory limit {memory_mb} MB is too small to run a notebook")
    jobs = jobs or default_jobs()
    if jobs < 1:
        raise CourseError(f"--jobs must be at least 1, not {jobs}")
    wall = submission_timeout or 10 * timeout
    started = time.monotonic()
    lw = LessonWorkspace(workspace or default_workspace(), lesson)
    submissions, unmatched = find_submissions(folder, lesson, lessons(root))
    report = BatchReport(lesson=lesson, unmatched=unmatched)
    write_atomic(
        lw.dir / "unmatched.json",
        json.dumps([{"path": str(u.path), "reason": u.reason} for u in unmatched], indent=1),
    )
    if not submissions:
        report.seconds = time.monotonic() - started
        return report
    context = _context()  # the server imports nbgrader while the lesson is registered
    template, spec = prepare(root, lesson, lw)
    package, datasets, sums_before = _installed_data()

    todo = []
    for sub in submissions:
        digest = _sha256(sub.path) if sub.path else ""
        old = read_result(lw.result_path(sub.student))
        fresh = (
            old is not None
            and old.tests_sha256 == spec.fingerprint
            and old.submission_sha256 == digest
        )
        if fresh and not force:
            report.skipped.append(sub.student)
            report.results[sub.student] = old
            continue
        todo.append(sub)
    if on_start:
        on_start(len(todo))
    for directory in (lw.results, lw.graded, lw.logs):
        directory.mkdir(parents=True, exist_ok=True)

    def task_for(sub: Submission, work: Path) -> Task:
        return Task(
            student=sub.student,
            lesson=lesson,
            submission=str(sub.path) if sub.path else None,
            problem=sub.problem,
            source_dir=str(root / "solutions"),
            template=str(template),
            package=str(package),
            datasets=str(datasets),
            work=str(work),
            result_path=str(lw.result_path(sub.student)),
            graded_path=str(lw.graded / f"{sub.student}.ipynb"),
            log_path=str(lw.logs / f"{sub.student}.log"),
            timeout=int(timeout),
            memory_mb=int(memory_mb),
            cpu_seconds=int(wall) + 30,
            spec=spec,
        )

    def finished(result: SubmissionResult) -> None:
        report.results[result.student] = result
        report.graded.append(result.student)
        if on_result:
            on_result(result)

    _run(context, todo, task_for, jobs, wall, finished)
    sums_after = {p.name: _sha256(p) for p in sorted(datasets.iterdir()) if p.is_file()}
    report.damaged = sorted(
        name
        for name in set(sums_before) | set(sums_after)
        if sums_before.get(name) != sums_after.get(name)
    )
    report.seconds = time.monotonic() - started
    return report


def _context():
    """Children are forked from a server process that has already imported nbgrader (so a
    child starts in milliseconds) and shares no threads or open kernels with this one."""
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["exocourse.worker"])
    forkserver.ensure_running()  # starts importing now; the first child waits for it
    return context


def _run(context, todo: list[Submission], task_for, jobs: int, wall: float, finished) -> None:
    """Grade ``todo`` with at most ``jobs`` child processes, each stopped after ``wall`` s."""
    pending = deque(todo)
    running: dict[int, tuple] = {}  # sentinel -> (process, task, deadline)
    try:
        while pending or running:
            while pending and len(running) < jobs:
                sub = pending.popleft()
                work = Path(tempfile.mkdtemp(prefix="exocourse-grade-"))
                task = task_for(sub, work)
                Path(task.result_path).unlink(missing_ok=True)
                process = context.Process(target=_child, args=(task,), daemon=True)
                process.start()
                running[process.sentinel] = (process, task, time.monotonic() + wall)
            nearest = min(deadline for _, _, deadline in running.values())
            for sentinel in wait(list(running), timeout=max(0.05, nearest - time.monotonic())):
                process, task, _ = running.pop(sentinel)
                process.join()
                finished(_collect(process, task, timed_out=False, wall=wall))
            now = time.monotonic()
            for sentinel, (process, task, deadline) in list(running.items()):
                if now >= deadline:
                    del running[sentinel]
                    finished(_collect(process, task, timed_out=True, wall=wall))
    finally:
        for process, task, _ in running.values():  # interrupted: stop what still runs
            _stop(process, task)
            shutil.rmtree(task.work, ignore_errors=True)


def _child(task: Task) -> None:
    """Runs in the child process (the forkserver has already imported the worker)."""
    from .worker import run

    run(task)


def _stop(process, task) -> None:
    """Kill a grading process and its kernel (which runs in a session of its own)."""
    pid_file = Path(task.work) / "kernel.pid"
    if process.is_alive():
        process.kill()
    process.join(10)
    try:
        os.killpg(int(pid_file.read_text()), signal.SIGKILL)
    except (OSError, ValueError):
        pass  # no kernel started, or it is gone already


def _collect(process, task, timed_out: bool, wall: float) -> SubmissionResult:
    """The result of a finished (or overdue) child; a child that died or ran out of time
    gets a result that says so, with 0 points: never a pass."""
    if timed_out or process.exitcode != 0:
        _stop(process, task)
    result = None if timed_out else read_result(Path(task.result_path))
    if result is None:
        digest = _sha256(Path(task.submission)) if task.submission else ""
        if task.submission is None:
            status, reason = MISSING, task.problem
        elif timed_out:
            status = TIMEOUT
            reason = (
                f"grading was stopped after {wall:g} s, the limit for a whole submission "
                "(a cell that ignores interrupts, or far too slow code)"
            )
        elif process.exitcode in (-signal.SIGXCPU, -signal.SIGKILL):
            status = ERROR
            reason = (
                f"the grading process was killed (signal {-process.exitcode}): it used too "
                "much CPU time or memory"
            )
        else:
            status = ERROR
            reason = f"the grading process stopped unexpectedly (exit code {process.exitcode})"
        result = uniform_result(task, status, reason, digest)
        result.graded_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        write_atomic(Path(task.result_path), result.to_json())
    shutil.rmtree(task.work, ignore_errors=True)
    return result
