"""Lesson 3, Exercise 2: where the record leaves room for two verdicts (claims d and h), the
grader accepts either and nothing else; the verdicts the record rules out earn nothing."""

from __future__ import annotations

import nbformat
from conftest import ROOT
from golden.build import _replace, fill

from exocourse.grading.batch import autograde
from exocourse.grading.status import FAILED, PASSED

LESSON = "03-reading-the-evidence"
SOLUTION = {"d": "wrong", "h": "unverified"}  # the source notebook's answers
SUBMISSIONS = {  # student: (their verdicts for d and h, the status Exercise 2 must get)
    "solution": ({}, PASSED),
    "other-reading": ({"d": "unverified", "h": "overstated"}, PASSED),
    "d-supported": ({"d": "supported"}, FAILED),
    "h-supported": ({"h": "supported"}, FAILED),
    "h-wrong": ({"h": "wrong"}, FAILED),
    "d-overstated": ({"d": "overstated"}, FAILED),
}


def _answered(verdicts: dict[str, str]) -> nbformat.NotebookNode:
    release = nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)
    nb = fill(release, LESSON)
    for key, verdict in verdicts.items():
        _replace(nb, "ex2_claims", f'"{key}": "{SOLUTION[key]}",', f'"{key}": "{verdict}",')
    return nb


def test_either_reading_of_claims_d_and_h_earns_the_mark_and_nothing_else_does(tmp_path):
    subs = tmp_path / "submissions"
    subs.mkdir()
    for student, (verdicts, _) in SUBMISSIONS.items():
        nbformat.write(_answered(verdicts), subs / f"{student}_{LESSON}.ipynb")
    report = autograde(ROOT, LESSON, subs, tmp_path / "ws", jobs=2, timeout=60)
    for student, (_, expected) in SUBMISSIONS.items():
        by_id = {q.grade_id: q for q in report.results[student].questions}
        ex2 = by_id["test_ex2_claims"]
        assert ex2.status == expected, (student, ex2.status, ex2.reason)
        others = [q for q in by_id.values() if q.kind == "code" and q is not ex2]
        assert {q.status for q in others} == {PASSED}, student
