"""A lesson that reads the student id (Lesson 5) is graded on each student's own data: the
grader gives every kernel, and the solution's run it is compared with, the submission's
student id. Two students get different data; each one's solution earns full marks on their
own id; the same file with one student's values typed in earns the value marks only under
that student's id; and a wrapper of ``power.sample_size`` earns nothing."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import LESSONS, ROOT
from golden.build import fill

from exocourse import capstone, trials
from exocourse.grading import sandbox
from exocourse.grading.batch import autograde
from exocourse.grading.lessonspec import reads_student_id
from exocourse.grading.status import FAILED, PASSED
from exocourse.grading.workspace import PER_STUDENT
from exocourse.student import STUDENT_ID_VAR

LESSON = "05-design-your-trial"
VALUES = "test_ex7_my_trial"  # the exercise graded on the student's own trial
ID_FREE = "test_ex4_sequence"  # an exercise whose hidden tests do not read the id


def _release() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)


def _answer(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source = source
    return nb


def _typed_in(student: str) -> str:
    """Exercise 7 answered with ``student``'s values typed in as numbers, computed here from
    the package (the trial of the lesson's locked protocol cell, rebuilt for that id)."""
    trial = capstone.your_trial(
        capstone.Protocol(design="split-face", n=100, weeks=(0, 4, 8), primary_week=8), student
    )
    primary, week4 = trials.paired_t(trial, week=8), trials.paired_t(trial, week=4)
    product = trial[trial["treatment"] == "exosome"].groupby("participant")["side"].first()
    flow = {
        "randomised": int(trial["participant"].nunique()),
        "product on left": int((product == "left").sum()),
        "product on right": int((product == "right").sum()),
        "analysed": int(primary.n),
        "not analysed": int(trial["participant"].nunique() - primary.n),
    }
    values = {
        "estimate": primary.estimate,
        "ci_low": primary.ci_low,
        "ci_high": primary.ci_high,
        "p_value": primary.p_value,
        "n": float(primary.n),
    }
    decisions = [primary.p_value <= 0.05, primary.p_value <= 0.05 and week4.p_value <= 0.05]
    if primary.ci_high < 0:
        named = "benefit shown"
    elif primary.ci_low > 0:
        named = "harm shown"
    else:
        named = "no important benefit" if primary.ci_low > -4.0 else "inconclusive"
    return (
        f"MY_FLOW = {flow!r}\nMY_PRIMARY = {values!r}\n"
        f"MY_DECISIONS = {decisions!r}\nMY_CONCLUSION = {named!r}"
    )


def test_only_the_capstone_reads_the_student_id():
    for lesson in LESSONS:
        source = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
        assert reads_student_id(source) == (lesson == LESSON), lesson


def test_the_sandbox_passes_the_student_id_and_nothing_else_new(monkeypatch):
    monkeypatch.delenv(STUDENT_ID_VAR, raising=False)
    assert STUDENT_ID_VAR not in sandbox.environment()
    monkeypatch.setenv(STUDENT_ID_VAR, "ada")
    monkeypatch.setenv("EXOCOURSE_SECRET_FOR_THIS_TEST", "x")
    env = sandbox.environment()
    assert env[STUDENT_ID_VAR] == "ada"
    assert "EXOCOURSE_SECRET_FOR_THIS_TEST" not in env


@pytest.mark.skipif(LESSON not in LESSONS, reason="Lesson 5 is not in this course")
def test_each_student_is_graded_on_their_own_trial(tmp_path):
    workspace = tmp_path / "ws"
    # 1. Both students submit the solution: full marks on each one's own data.
    own = tmp_path / "own"
    own.mkdir()
    for student in ["ada", "grace"]:
        nbformat.write(fill(_release(), LESSON), own / f"{student}_{LESSON}.ipynb")
    report = autograde(ROOT, LESSON, own, workspace, jobs=2, timeout=60)
    for student in ["ada", "grace"]:
        code = [q for q in report.results[student].questions if q.kind == "code"]
        assert len(code) >= 6
        assert {q.status for q in code} == {PASSED}, [(q.grade_id, q.reason) for q in code]

    # The solution was run once per student, and the two runs saw different data.
    records = {}
    for path in report.template.joinpath(PER_STUDENT).glob("*.json"):
        records[path.name] = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == 2
    ada, grace = records.values()
    assert ada[VALUES] != grace[VALUES]
    assert ada["test_ex6_flow"] != grace["test_ex6_flow"]
    assert ada[ID_FREE] == grace[ID_FREE]
    assert not json.loads(report.template.joinpath("expected.json").read_text())

    # 2. One file with ada's values typed in, submitted by ada and by grace; and carol wraps
    # power.sample_size for Exercise 2.
    copied = tmp_path / "copied"
    copied.mkdir()
    typed = nbformat.writes(_answer(fill(_release(), LESSON), "ex7_my_trial", _typed_in("ada")))
    for student in ["ada", "grace"]:
        (copied / f"{student}_{LESSON}.ipynb").write_text(typed, encoding="utf-8")
    wrapper = (
        "def smallest_enrolment(power_at, dropout, target=0.8, block=4):\n"
        '    needed = power.sample_size("split-face", target, MCID, SD_CHANGE, RHO)\n'
        "    n = block\n"
        "    while math.floor(n * (1 - dropout) + 1e-9) < needed:\n"
        "        n += block\n"
        "    return n\n\n\n"
        "N_ANALYTIC = smallest_enrolment(None, DROPOUT, TARGET, BLOCK)"
    )
    carol = _answer(fill(_release(), LESSON), "ex2_enrolment", wrapper)
    nbformat.write(carol, copied / f"carol_{LESSON}.ipynb")
    report = autograde(ROOT, LESSON, copied, workspace, jobs=2, timeout=60)
    by_student = {s: {q.grade_id: q for q in r.questions} for s, r in report.results.items()}
    assert by_student["ada"][VALUES].status == PASSED, by_student["ada"][VALUES].reason
    assert by_student["grace"][VALUES].status == FAILED
    assert by_student["grace"][VALUES].points == 0
    assert by_student["carol"]["test_ex2_enrolment"].points == 0
    for student, questions in by_student.items():
        others = [
            q
            for q in questions.values()
            if q.kind == "code"
            and (student, q.grade_id) not in {("grace", VALUES), ("carol", "test_ex2_enrolment")}
        ]
        assert {q.status for q in others} == {PASSED}, [(q.grade_id, q.reason) for q in others]
