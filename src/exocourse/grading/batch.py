"""Autograde a whole class in parallel, with progress, resumable, never touching originals.

Submissions are found by :mod:`.submissions`. Each is graded by a child process (see
:mod:`.worker`) with a wall-clock limit; ``jobs`` of them run at once. Results land in
``<workspace>/autograde/<lesson>/results/<student>.json``; a submission whose result is
already there for the same file and the same tests is skipped unless ``force`` is set, so
an interrupted run simply resumes.
"""

from __future__ import annotations

import json
import multiprocessing
import os
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

from ..authoring.course import CourseError, check_lesson, default_workspace, lessons
from ..digest import sha256
from . import worker
from .files import write_atomic
from .results import SubmissionResult, read_result
from .sandbox import SandboxError, probe, remove_sandbox_files
from .status import ERROR, MISSING, TIMEOUT
from .submissions import Submission, Unmatched, find_submissions
from .task import Task, uniform_result
from .workspace import LessonWorkspace, installed_folders, prepare


@dataclass
class BatchReport:
    """What one ``autograde`` run did."""

    lesson: str
    results: dict[str, SubmissionResult] = field(default_factory=dict)
    graded: list[str] = field(default_factory=list)  # students graded in this run
    skipped: list[str] = field(default_factory=list)  # already graded, left as they were
    unmatched: list[Unmatched] = field(default_factory=list)
    damaged: list[str] = field(default_factory=list)  # installed data files that changed
    template: Path | None = None  # the lesson's template gradebook folder (if one was needed)
    seconds: float = 0.0


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _installed_data() -> tuple[Path, Path, dict[str, str]]:
    """The installed package folder, its datasets folder and their files' checksums."""
    package, folder = installed_folders()
    return package, folder, _checksums(folder)


def _checksums(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


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
    sandbox: bool = True,
    on_result: Callable[[SubmissionResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> BatchReport:
    """Grade every submission of ``lesson`` in ``folder`` (see the module docstring).

    ``timeout`` limits each cell (seconds); ``submission_timeout`` (default ten times
    ``timeout``) limits a whole submission; ``memory_mb`` limits the address space of each
    grading process and its kernel. Each kernel runs in the OS sandbox of :mod:`.sandbox`;
    where none can be made this raises :class:`CourseError` saying why, and ``sandbox=False``
    grades without one (each result says so). ``on_start(n)`` is called with the number to grade,
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
    if sandbox:  # once per batch, before anything is prepared
        try:
            probe()
        except SandboxError as exc:
            raise CourseError(f"cannot grade in a sandbox: {exc}") from exc
    context = _context()  # the server imports nbgrader while the lesson is registered
    template, spec = prepare(root, lesson, lw)
    report.template = template
    package, datasets, sums_before = _installed_data()

    todo = []
    for sub in submissions:
        digest = sha256(sub.path) if sub.path else ""
        old = read_result(lw.result_path(sub.student))
        fresh = (
            old is not None
            and old.tests_sha256 == spec.fingerprint
            and old.submission_sha256 == digest
            and (old.sandboxed or not sandbox)
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
            source_dir=str(template / "course" / "solutions"),
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
            sandbox=sandbox,
            environ=dict(os.environ),
        )

    def finished(result: SubmissionResult) -> None:
        report.results[result.student] = result
        report.graded.append(result.student)
        if on_result:
            on_result(result)

    _run(context, todo, task_for, jobs, wall, finished)
    sums_after = _checksums(datasets)
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
    context.set_forkserver_preload([worker.__name__])
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
                process = context.Process(target=worker.run, args=(task,), daemon=True)
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
            _remove_work(task)


def _remove_work(task: Task) -> None:
    """Remove a grading's private folder, with the sandbox's files outside it."""
    remove_sandbox_files(Path(task.work) / "sandbox")
    shutil.rmtree(task.work, ignore_errors=True)


def _stop(process, task) -> None:
    """Kill a grading process and its kernel (which runs in a session of its own; in the
    sandbox, that is ``bwrap``, and everything inside dies with it)."""
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
        digest = sha256(Path(task.submission)) if task.submission else ""
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
    _remove_work(task)
    return result
