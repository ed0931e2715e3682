"""Grade sheets from autograder results: one row per student and question, and totals.

``grades.csv`` has the columns of :data:`COLUMNS`; ``points`` is empty while a written
answer waits for a person. The totals file (``grades-totals.csv`` beside it) has one row
per student, ready to import into a learning-management system. Scores entered by hand in
nbgrader's formgrader replace the autograder's (status ``manually graded``).

Text that a spreadsheet would run as a formula (a cell starting with ``= + - @``) is
prefixed with ``'``: messages can carry text a student chose.

>>> from exocourse.grading.results import Question, SubmissionResult
>>> from exocourse.grading.status import PASSED, MANUAL
>>> r = SubmissionResult("ada", "01-x", [
...     Question("t1", "Exercise 1", "code", 2.0, 2.0, PASSED, ""),
...     Question("w1", "Written 1", "written", None, 3.0, MANUAL, "waits")])
>>> [row["points"] for row in rows({"ada": r})]
['2', '']
>>> total_rows({"ada": r})[0]["pending_manual_points"]
'3'
>>> safe_cell("=HYPERLINK(1)")
"'=HYPERLINK(1)"
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .results import Question, SubmissionResult
from .status import FLAGGED, MANUAL, MANUALLY_GRADED

COLUMNS = [
    "student",
    "lesson",
    "question",
    "title",
    "kind",
    "points",
    "max_points",
    "status",
    "reason",
]
TOTAL_COLUMNS = [
    "student",
    "lesson",
    "points",
    "max_points",
    "percent",
    "complete",
    "pending_manual_points",
    "flags",
]


def safe_cell(value: str) -> str:
    """Keep a spreadsheet from running ``value`` as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def apply_manual(
    results: dict[str, SubmissionResult], manual: dict[tuple[str, str], float]
) -> dict[str, SubmissionResult]:
    """Replace points by the scores a person entered (``(student, grade_id) -> points``)."""
    for student, result in results.items():
        for i, q in enumerate(result.questions):
            if (student, q.grade_id) in manual:
                said = f"{q.status}: {q.reason}" if q.reason else q.status
                # a written answer's "waits for a person" is over; an override keeps its cause
                why = "graded by hand" if q.status == MANUAL else f"graded by hand ({said})"
                result.questions[i] = Question(
                    q.grade_id,
                    q.title,
                    q.kind,
                    manual[(student, q.grade_id)],
                    q.max_points,
                    MANUALLY_GRADED,
                    why,
                    q.answer,
                )
    return results


def rows(results: dict[str, SubmissionResult]) -> list[dict[str, str]]:
    """One row per student and question, students in order, questions in notebook order."""
    out = []
    for student in sorted(results):
        result = results[student]
        for q in result.questions:
            out.append(
                {
                    "student": safe_cell(student),
                    "lesson": result.lesson,
                    "question": q.grade_id,
                    "title": safe_cell(q.title),
                    "kind": q.kind,
                    "points": _number(q.points),
                    "max_points": _number(q.max_points),
                    "status": q.status,
                    "reason": safe_cell(q.reason),
                }
            )
    return out


def total_rows(results: dict[str, SubmissionResult]) -> list[dict[str, str]]:
    """One row per student: points so far, the maximum, and what still needs a person."""
    out = []
    for student in sorted(results):
        result = results[student]
        points, maximum = result.total()
        pending = sum(q.max_points for q in result.questions if q.status == MANUAL)
        flags = []
        for status in FLAGGED:
            ids = [q.grade_id for q in result.questions if q.status == status]
            if ids:
                every = len(ids) == len(result.questions) > 1
                flags.append(f"{status}: {'every question' if every else ', '.join(ids)}")
        if not result.sandboxed:
            flags.append("graded without a sandbox")
        out.append(
            {
                "student": safe_cell(student),
                "lesson": result.lesson,
                "points": _number(points),
                "max_points": _number(maximum),
                "percent": f"{100 * points / maximum:.1f}" if maximum else "",
                "complete": "no" if pending else "yes",
                "pending_manual_points": _number(pending),
                "flags": safe_cell("; ".join(flags)),
            }
        )
    return out


def to_csv(table: list[dict[str, str]], columns: list[str]) -> str:
    """CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(table)
    return buffer.getvalue()


def totals_path(out: Path) -> Path:
    """Where the totals go for a grade sheet at ``out``.

    >>> totals_path(Path("grades.csv")).name
    'grades-totals.csv'
    """
    return out.with_name(f"{out.stem}-totals{out.suffix or '.csv'}")


def write(results: dict[str, SubmissionResult], out: Path, totals: Path | None = None) -> Path:
    """Write the grade sheet to ``out`` and the totals beside it; return the totals path."""
    totals = totals or totals_path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_csv(rows(results), COLUMNS), encoding="utf-8")
    totals.write_text(to_csv(total_rows(results), TOTAL_COLUMNS), encoding="utf-8")
    return totals
