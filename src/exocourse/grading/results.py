"""What the autograder found: one result per submission, one entry per question.

A :class:`SubmissionResult` is stored as JSON in the grading workspace, written
atomically (see :func:`exocourse.grading.files.write_atomic`), so an interrupted batch
leaves either a complete result or none. A question's status is one of
:data:`exocourse.grading.status.STATUSES`.

>>> from exocourse.grading.status import PASSED
>>> q = Question("test_ex1", "Exercise 1", "code", 1.0, 1.0, PASSED, "")
>>> r = SubmissionResult("ada", "01-x", [q])
>>> SubmissionResult.from_json(r.to_json()).total()
(1.0, 1.0)
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .status import STATUSES

FORMAT = 2  # bump when the JSON layout or the grading changes; older results are regraded
UNSANDBOXED = "graded without a sandbox (--no-sandbox): the notebook ran with the grader's rights"


@dataclass
class Question:
    """The outcome of one graded cell (a test cell or a written answer)."""

    grade_id: str
    title: str
    kind: str  # "code" (autograded test) or "written" (markdown answer)
    points: float | None  # None while a written answer waits for a person
    max_points: float
    status: str
    reason: str
    answer: str = ""  # the student's answer (code of the answer cells, or the written text)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            known = ", ".join(STATUSES)
            raise ValueError(f"status {self.status!r} is not one of {known}")


@dataclass
class SubmissionResult:
    """Everything the autograder found out about one student's notebook."""

    student: str
    lesson: str
    questions: list[Question]
    notes: list[str] = field(default_factory=list)  # submission-level findings, in words
    source: str = ""  # the submitted file, as given on the command line
    submission_sha256: str = ""  # of the submitted bytes ("" if there was no file)
    tests_sha256: str = ""  # version of the lesson's graded cells and the package (prepare)
    graded_at: str = ""
    seconds: float = 0.0
    sandboxed: bool = False  # the kernel ran in the OS sandbox (older results: it did not)
    format: int = FORMAT

    def total(self) -> tuple[float, float]:
        """(points, maximum) over all questions; a pending written answer counts 0."""
        points = sum(q.points or 0.0 for q in self.questions)
        return points, sum(q.max_points for q in self.questions)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SubmissionResult:
        raw: dict[str, Any] = json.loads(text)
        raw["questions"] = [Question(**q) for q in raw["questions"]]
        return cls(**raw)


def read_result(path: Path) -> SubmissionResult | None:
    """The result stored at ``path``, or None if there is none or it is unreadable or of an
    older format (it will then be graded again)."""
    try:
        result = SubmissionResult.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return result if result.format == FORMAT else None
