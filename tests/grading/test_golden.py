"""The golden submissions of Lesson 1 (tests/grading/golden/build.py), graded in one batch by the
``exocourse autograde`` command: each is graded as specified, the batch finishes and
reports every file, the originals and the installed datasets are byte-identical
afterwards, and the grade sheet, the feedback pages and the formgrader's gradebook agree
with the results."""

from __future__ import annotations

import csv
import hashlib
import html
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from conftest import ROOT, file_hashes
from golden.build import (
    CASES,
    EARNS_NOTHING,
    EXPECTED,
    LESSON,
    REASONS,
    UNMATCHED,
    build,
    check_points,
)

from exocourse import data
from exocourse.cli import main
from exocourse.grading.lessonspec import hidden_lines, nbgrader_meta
from exocourse.grading.status import MANUALLY_GRADED, TAMPERED
from exocourse.grading.workspace import LessonWorkspace


def _autograde(subs: Path, ws: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "exocourse", "--root", str(ROOT), "autograde", str(subs)]
    command += ["--lesson", LESSON, "--workspace", str(ws), "--jobs", "2"]
    command += ["--timeout", "30", "--memory", "2048"]  # generous: a busy machine is slow
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("golden")
    subs, ws = base / "submissions", base / "workspace"
    paths = build(subs)
    originals = file_hashes(subs)
    installed = file_hashes(data.folder())
    run = _autograde(subs, ws)
    lw = LessonWorkspace(ws, LESSON)
    return SimpleNamespace(
        subs=subs,
        ws=ws,
        lw=lw,
        paths=paths,
        originals=originals,
        installed=installed,
        run=run,
        results=lw.load_results(),
    )


def test_the_batch_finishes_and_reports_every_submission(batch):
    assert batch.run.returncode == 0, batch.run.stderr[-3000:]
    assert sorted(batch.results) == sorted(CASES)
    for case in CASES:
        assert f"] {case}: " in batch.run.stderr, f"no progress line for {case}"
    assert f"not graded: {UNMATCHED}: the name is not <student>_{LESSON}.ipynb" in (
        batch.run.stderr
    )
    assert f"{len(CASES)} graded in" in batch.run.stdout


@pytest.mark.parametrize("case", list(EXPECTED))
def test_each_golden_submission_is_graded_as_specified(batch, case):
    result = batch.results[case]
    statuses = {q.grade_id: q.status for q in result.questions}
    assert statuses == EXPECTED[case]
    by_id = {q.grade_id: q for q in result.questions}
    for grade_id, phrase in REASONS.get(case, {}).items():
        assert phrase in by_id[grade_id].reason, by_id[grade_id].reason
    check_points(result, tampered_may_score=True)
    assert result.source == ("" if case == "wrong-name" else str(batch.paths[case]))


@pytest.mark.parametrize("case", sorted(EARNS_NOTHING))
def test_no_forging_trick_earns_a_point(batch, case):
    """Every answer is wrong; one trick in the first answer cell tries to earn marks anyway."""
    result = batch.results[case]
    earned = [(q.grade_id, q.status, q.reason) for q in result.questions if q.points]
    assert earned == [], f"{case} earned points"
    assert {q.status for q in result.questions} <= {"failed", "tampered", "error", "timeout"}


@pytest.mark.parametrize(
    "case",
    [
        "input-transformer",
        "cleanup-transformer",
        "ast-transformer",
        "silenced-probes",
        "sys-modules-swap",
        "forged-report",
    ],
)
def test_a_trick_that_rewrites_or_silences_the_tests_is_reported_as_tampering(batch, case):
    later = [q for q in batch.results[case].questions if q.kind == "code"][1:]
    assert later and all(q.status == TAMPERED for q in later), [
        (q.grade_id, q.status, q.reason) for q in later
    ]


def test_a_dead_kernel_never_counts_as_a_pass(batch):
    killed = {q.grade_id: q for q in batch.results["kernel-killed"].questions}
    correct = {q.grade_id: q for q in batch.results["correct"].questions}
    for grade_id in ["test_ex5_decay", "test_ex6_days", "test_ex7_mass", "test_ex8_claims"]:
        assert correct[grade_id].points == correct[grade_id].max_points
        assert killed[grade_id].points == 0 and "kernel died" in killed[grade_id].reason


def test_tampered_tests_are_graded_with_the_original_code(batch):
    ex7 = {q.grade_id: q for q in batch.results["test-is-pass"].questions}["test_ex7_mass"]
    assert ex7.points == 0 and "Graded result: failed" in ex7.reason
    ex1 = {q.grade_id: q for q in batch.results["locked-edited"].questions}["test_ex1_fraction"]
    assert ex1.points == ex1.max_points and "Graded result: passed" in ex1.reason


def test_original_files_are_byte_identical(batch):
    assert file_hashes(batch.subs) == batch.originals


def test_installed_datasets_are_untouched(batch):
    assert file_hashes(data.folder()) == batch.installed
    sums = data.checksums()
    for name, digest in sums.items():
        assert hashlib.sha256((data.folder() / name).read_bytes()).hexdigest() == digest
    assert len(data.load("interlab_counts")) > 0


def test_a_second_run_skips_what_is_graded(batch):
    before = {s: r.graded_at for s, r in batch.results.items()}
    again = _autograde(batch.subs, batch.ws)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{len(CASES)} submission(s) already graded" in again.stdout
    assert {s: r.graded_at for s, r in batch.lw.load_results().items()} == before


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_grade_sheet_has_every_student_and_question(batch, tmp_path, capsys):
    out = tmp_path / "grades.csv"
    code = main(
        ["--root", str(ROOT), "grades", "--lesson", LESSON, "--workspace", str(batch.ws)]
        + ["--out", str(out)]
    )
    assert code == 0
    assert "not graded" in capsys.readouterr().err  # the unattributable file is mentioned
    rows = _read_csv(out)
    questions = {q.grade_id for q in batch.results["correct"].questions}
    assert {(r["student"], r["question"]) for r in rows} == {
        (case, grade_id) for case in CASES for grade_id in questions
    }
    for row in rows:
        if row["student"] in EXPECTED:
            assert row["status"] == EXPECTED[row["student"]][row["question"]]
        else:  # a forgery: whatever its status, it earned nothing
            assert float(row["points"] or 0) == 0
    totals = {r["student"]: r for r in _read_csv(tmp_path / "grades-totals.csv")}
    assert sorted(totals) == sorted(CASES)
    for case, total in totals.items():
        points = sum(float(r["points"] or 0) for r in rows if r["student"] == case)
        assert float(total["points"]) == points
    assert totals["correct"]["points"] == "13" and totals["correct"]["max_points"] == "17"
    assert totals["correct"]["pending_manual_points"] == "4"
    assert totals["empty-file"]["flags"] == "error: every question"


def _hidden_test_lines() -> set[str]:
    """Lines that occur only in hidden tests (not in any answer or released cell)."""
    source = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    release = nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)
    hidden = {line for cell in source.cells for line in hidden_lines(cell.source)}
    elsewhere = {
        line.strip()
        for nb in (source, release)
        for cell in nb.cells
        if not nbgrader_meta(cell).get("grade")
        for line in cell.source.splitlines()
    }
    return {line for line in hidden - elsewhere if len(line) >= 12}


def test_feedback_pages_never_show_a_hidden_test(batch, tmp_path):
    out = tmp_path / "feedback"
    code = main(
        ["--root", str(ROOT), "feedback", "--lesson", LESSON, "--workspace", str(batch.ws)]
        + ["--out", str(out)]
    )
    assert code == 0
    pages = {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.html")}
    assert sorted(pages) == sorted(CASES)
    secrets = _hidden_test_lines()
    assert len(secrets) > 20
    for student, page in pages.items():
        text = html.unescape(page)
        for line in secrets:
            assert line not in page and line not in text, f"{student}: shows {line!r}"
    partly = html.unescape(pages["partly-right"])
    assert "frac_A equals the fraction over BOTH samples" in partly
    assert 'frac_A = fraction_in_range(nta["diameter_nm"], 30, 150)' in partly


def test_the_formgrader_sees_the_graded_submissions(batch, tmp_path, capsys):
    from nbgrader.api import Gradebook

    from exocourse.authoring.nbgrader_course import nbgrader_api
    from exocourse.grading.gradebook import record

    ws = tmp_path / "ws"
    shutil.copytree(batch.ws, ws)
    api = nbgrader_api(ROOT, ws, ws / "release")
    submissions = {s["student"]: s for s in api.get_submissions(LESSON)}
    assert sorted(submissions) == sorted(CASES)
    # files nbgrader could not run are listed as submitted but not autograded
    unreadable = {"corrupt-json", "empty-file"}
    assert {s for s, info in submissions.items() if not info["autograded"]} == unreadable
    assert submissions["wrong-name"]["score"] == 0
    assert submissions["correct"]["needs_manual_grade"]
    assert submissions["correct"]["code_score"] == 13
    assert (ws / "autograded" / "correct" / LESSON / f"{LESSON}.ipynb").is_file()

    with Gradebook(api.coursedir.db_url) as gb:  # what a grader does in the formgrader
        gb.find_grade("w1_count", LESSON, LESSON, "correct").manual_score = 1.5
        gb.db.commit()
    assert record(ROOT, ws, LESSON, LessonWorkspace(ws, LESSON).load_results()) == []
    with Gradebook(api.coursedir.db_url) as gb:  # grading again keeps the hand-made score
        assert gb.find_grade("w1_count", LESSON, LESSON, "correct").manual_score == 1.5
    out = tmp_path / "grades.csv"
    assert (
        main(
            ["--root", str(ROOT), "grades", "--lesson", LESSON, "--workspace", str(ws)]
            + ["--out", str(out)]
        )
        == 0
    )
    row = next(
        r for r in _read_csv(out) if (r["student"], r["question"]) == ("correct", "w1_count")
    )
    assert row["status"] == MANUALLY_GRADED and row["points"] == "1.5"
    totals = {r["student"]: r for r in _read_csv(tmp_path / "grades-totals.csv")}
    assert totals["correct"]["points"] == "14.5"
    assert totals["correct"]["pending_manual_points"] == "2"
