"""What one grading child is given (a :class:`Task`), and the results it falls back on.

A task is everything a child process needs to grade one submission; it is picklable, so
the batch can hand it to a child. :func:`uniform_result` is the result of a submission
that could not be graded question by question (no file, a damaged file, a dead grader):
every question gets the same status and 0 points, never a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .lessonspec import LessonSpec
from .results import UNSANDBOXED, Question, SubmissionResult


@dataclass(frozen=True)
class Task:
    """Everything a child needs to grade one submission (picklable)."""

    student: str
    lesson: str
    submission: str | None  # the original file (only read); None when there is none
    problem: str  # why there is no submission file
    source_dir: str  # the solutions/ folder of the lesson's grading version (in the template)
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
    sandbox: bool = True  # run the kernel in the OS sandbox of :mod:`.sandbox`
    # the grader's environment when the batch started: a child forked from the fork server
    # would otherwise see the server's, from whenever it first started (a stale PATH, say)
    environ: dict[str, str] = field(default_factory=dict)


def base_result(task: Task, submission_sha256: str = "") -> SubmissionResult:
    return SubmissionResult(
        student=task.student,
        lesson=task.lesson,
        questions=[],
        source=task.submission or "",
        submission_sha256=submission_sha256,
        tests_sha256=task.spec.fingerprint,
        sandboxed=task.sandbox,
        notes=[] if task.sandbox else [UNSANDBOXED],
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
