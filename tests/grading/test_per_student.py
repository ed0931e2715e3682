"""A lesson that reads the student id (Lesson 5) is graded on each student's own data: the
grader gives every kernel, and the solution's run it is compared with, the submission's
student id and the protocol the student declared. Two students with different ids and
protocols get different data; each one's solution earns full marks on their own; the same
file with one student's values typed in earns the value marks only under that student's id;
a wrapper of ``power.sample_size`` earns nothing; and a declaration that lies, cannot be
graded or is not data earns nothing, with a reason."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import LESSONS, ROOT
from golden.build import fill

from exocourse import capstone, trials
from exocourse.grading import sandbox
from exocourse.grading.batch import autograde
from exocourse.grading.inspection import last_run_as
from exocourse.grading.lessonspec import reads_student_id
from exocourse.grading.status import FAILED, PASSED
from exocourse.grading.workspace import PER_STUDENT
from exocourse.student import DEFAULT_STUDENT_ID, SHOWN_AS, STUDENT_ID_VAR

LESSON = "05-design-your-trial"
VALUES = "test_ex7_my_trial"  # the exercise graded on the student's own trial
GRACE = 'capstone.Protocol(n=64, primary_week=4, analysis="wilcoxon")'
ADA_CODE = "capstone.Protocol(n=100)"
ADA = capstone.Protocol(n=100)
ID_FREE = "test_ex4_sequence"  # an exercise whose hidden tests do not read the id


def _release() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)


def _cell(nb: nbformat.NotebookNode, grade_id: str) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _answer(nb: nbformat.NotebookNode, grade_id: str, source: str) -> nbformat.NotebookNode:
    _cell(nb, grade_id).source = source
    return nb


def _protocol(nb: nbformat.NotebookNode, protocol: str) -> nbformat.NotebookNode:
    """``nb`` with the student's protocol cell (the one that declares MY_PROTOCOL) set to
    ``MY_PROTOCOL = <protocol>``."""
    cell = next(c for c in nb.cells if c.metadata.get("exocourse", {}).get("declares"))
    cell.source = f"MY_PROTOCOL = {protocol}"
    return nb


def _typed_in(student: str, protocol: capstone.Protocol) -> str:
    """Exercise 7 answered with ``student``'s values typed in as numbers, computed here from
    the package (``student``'s trial drawn by ``protocol``, its primary test at its primary
    visit, the fixed sequence with the other visit, the plan's conclusion)."""
    trial = capstone.your_trial(protocol, student)
    test = trials.paired_t if protocol.analysis == "paired" else trials.wilcoxon
    other = 4 if protocol.primary_week == 8 else 8
    primary, secondary = test(trial, week=protocol.primary_week), test(trial, week=other)
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
    decisions = [primary.p_value <= 0.05, primary.p_value <= 0.05 and secondary.p_value <= 0.05]
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


def _last_run_as(nb: nbformat.NotebookNode, student: str) -> nbformat.NotebookNode:
    """``nb`` with its setup cell's saved output as after a run under ``student``."""
    text = f"{SHOWN_AS}{student}\n"
    _cell(nb, "setup").outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
    return nb


def test_the_capstone_shows_the_id_it_runs_under_as_the_grader_reads_it():
    source = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    assert last_run_as(source) == DEFAULT_STUDENT_ID  # saved as run by `exocourse execute`
    assert last_run_as(_release()) is None  # a student version carries no outputs


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
    # 1. Both students submit the solution, grace with a protocol of her own (another
    # enrolment, primary visit and test): full marks on each one's own trial.
    # ada last ran her notebook as herself; grace ran hers with no id set.
    own = tmp_path / "own"
    own.mkdir()
    nbformat.write(_last_run_as(fill(_release(), LESSON), "ada"), own / f"ada_{LESSON}.ipynb")
    grace = _last_run_as(_protocol(fill(_release(), LESSON), GRACE), "self-study")
    nbformat.write(grace, own / f"grace_{LESSON}.ipynb")
    report = autograde(ROOT, LESSON, own, workspace, jobs=2, timeout=60)
    for student in ["ada", "grace"]:
        code = [q for q in report.results[student].questions if q.kind == "code"]
        assert len(code) >= 6
        assert {q.status for q in code} == {PASSED}, [(q.grade_id, q.reason) for q in code]
    # the numbers grace saw were self-study's, not the ones she is graded on: the note says so
    assert report.results["ada"].notes == []
    (note,) = report.results["grace"].notes
    assert "last run as student id 'self-study' but was graded as 'grace'" in note

    # The solution was run once per student, each with their protocol, on different data.
    records = {}
    for path in report.template.joinpath(PER_STUDENT).glob("*.json"):
        records[path.name] = json.loads(path.read_text(encoding="utf-8"))
    assert len(records) == 2
    by_n = {r[VALUES]["declared"]["MY_PROTOCOL"]["n"]: r for r in records.values()}
    assert len(by_n) == 2 and 64 in by_n  # grace's protocol enrols 64, ada's the default
    grace = by_n.pop(64)
    (ada,) = by_n.values()
    assert ada[VALUES] != grace[VALUES]
    assert ada["test_ex6_flow"] != grace["test_ex6_flow"]
    assert ada[ID_FREE] == grace[ID_FREE]
    assert not json.loads(report.template.joinpath("expected.json").read_text())

    # 2. One file with ada's values typed in, submitted by ada and by grace; and carol wraps
    # power.sample_size for Exercise 2.
    copied = tmp_path / "copied"
    copied.mkdir()
    typed = _answer(fill(_release(), LESSON), "ex7_my_trial", _typed_in("ada", ADA))
    typed = nbformat.writes(_protocol(typed, ADA_CODE))
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


@pytest.mark.skipif(LESSON not in LESSONS, reason="Lesson 5 is not in this course")
def test_a_declaration_changes_which_answer_is_right_never_whether_a_wrong_one_passes(tmp_path):
    """The declared protocol is read from the student's kernel, so it is attacked: dave
    answers on his real trial but declares another protocol; erin declares one the course
    cannot grade; frank declares something that is not data. None earns Exercise 7, each
    is told why, and every other question still passes."""
    folder = tmp_path / "declared"
    folder.mkdir()
    answer = _cell(fill(_release(), LESSON), "ex7_my_trial").source
    lies = {
        "dave": 'MY_TRIAL.attrs["protocol"] = capstone.Protocol(n=1000).record()',
        "erin": 'MY_TRIAL.attrs["protocol"] = capstone.Protocol(design="parallel", '
        'analysis="two-sample", n=40).record()',
        "frank": 'MY_TRIAL.attrs["protocol"] = object()',
    }
    for student, lie in lies.items():
        nb = _answer(fill(_release(), LESSON), "ex7_my_trial", f"{answer}\n{lie}")
        nbformat.write(nb, folder / f"{student}_{LESSON}.ipynb")
    report = autograde(ROOT, LESSON, folder, tmp_path / "ws", jobs=2, timeout=60)
    by_student = {s: {q.grade_id: q for q in r.questions} for s, r in report.results.items()}
    reasons = {student: by_student[student][VALUES].reason for student in lies}
    for student in lies:
        assert by_student[student][VALUES].status == FAILED, (student, reasons[student])
        assert by_student[student][VALUES].points == 0
        others = [
            q for q in by_student[student].values() if q.kind == "code" and q.grade_id != VALUES
        ]
        assert {q.status for q in others} == {PASSED}, [(q.grade_id, q.reason) for q in others]
    assert "a hidden check failed" in reasons["dave"]  # his answers are not the n=1000 trial's
    assert "could not be used for grading" in reasons["erin"]
    assert "design 'split-face'" in reasons["erin"]  # capstone.register's own words
    assert "could not be read from your notebook (TypeError)" in reasons["frank"]


def _cell_source(nb: nbformat.NotebookNode, grade_id: str) -> str:
    return next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    ).source
