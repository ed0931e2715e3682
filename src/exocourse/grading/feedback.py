"""Feedback pages for students, built from autograder results (never from test code).

Each page shows the student's total, then for each question its status, points, the
reason (the failing check's message) and the student's own answer. Test cells are not
shown at all, so no hidden test can leak (nbgrader issue 917); the messages themselves
were already stripped of any line that repeats a hidden test. Everything a student
wrote is escaped.

>>> from exocourse.grading.results import Question, SubmissionResult
>>> from exocourse.grading.status import FAILED
>>> r = SubmissionResult("ada", "01-x", [Question(
...     "t1", "Exercise 1", "code", 0.0, 1.0, FAILED, "x should be 2", "x = '<b>'")])
>>> page = render(r)
>>> "x should be 2" in page and "&lt;b&gt;" in page and "<b>" not in page
True
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from .results import SubmissionResult
from .status import MANUAL, STATUSES

STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #222; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #ccc; padding: .4rem .5rem; text-align: left;
         vertical-align: top; }
.status { font-weight: bold; }
pre { background: #f4f4f4; padding: .6rem; overflow-x: auto; white-space: pre-wrap; }
"""


def _points(value: float | None, maximum: float) -> str:
    return f"– / {maximum:g}" if value is None else f"{value:g} / {maximum:g}"


def render(result: SubmissionResult) -> str:
    """The feedback page of one submission, as HTML text."""
    points, maximum = result.total()
    pending = sum(q.max_points for q in result.questions if q.status == MANUAL)
    title = f"Feedback: {result.lesson}, {result.student}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p><strong>{'Points so far' if pending else 'Points'}: {points:g} of {maximum:g}."
        "</strong>",
    ]
    if pending:
        parts.append(f" Written answers worth {pending:g} points are still to be graded.")
    parts.append("</p>")
    if result.notes:
        parts.append("<p>About your file:</p><ul>")
        parts += [f"<li>{escape(note)}</li>" for note in result.notes]
        parts.append("</ul>")
    parts.append(
        "<table><thead><tr><th>Question</th><th>Result</th><th>Points</th><th>Why</th>"
        "</tr></thead><tbody>"
    )
    for q in result.questions:
        colour = STATUSES[q.status].colour
        parts.append(
            f'<tr><td><a href="#{escape(q.grade_id)}">{escape(q.title or q.grade_id)}</a></td>'
            f'<td class="status" style="color:{colour}">{escape(q.status)}</td>'
            f"<td>{_points(q.points, q.max_points)}</td><td>{escape(q.reason)}</td></tr>"
        )
    parts.append("</tbody></table>")
    for q in result.questions:
        parts += [
            f'<h2 id="{escape(q.grade_id)}">{escape(q.title or q.grade_id)}</h2>',
            f"<p><strong>{escape(q.status)}</strong> ({escape(STATUSES[q.status].meaning)}), "
            f"{_points(q.points, q.max_points)} points.</p>",
        ]
        if q.reason:
            parts.append(f"<p>Why: {escape(q.reason)}</p>")
        if q.answer.strip():
            parts.append(f"<p>Your answer:</p><pre>{escape(q.answer)}</pre>")
    parts.append(
        "<p><small>Only your answers and the checks' messages are shown. The grader also "
        "ran hidden tests on other inputs: solve the general problem, not only the visible "
        "example.</small></p></body></html>"
    )
    return "\n".join(parts) + "\n"


def write_all(results: dict[str, SubmissionResult], out: Path) -> list[Path]:
    """Write ``<student>.html`` for every result into ``out``; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for student in sorted(results):
        path = out / f"{student}.html"
        path.write_text(render(results[student]), encoding="utf-8")
        written.append(path)
    return written
