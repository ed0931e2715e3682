"""exocourse.autograde: finding submissions, limits that stop a runaway submission (and its
kernel), and a batch that resumes after an interruption."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
import tiny_lesson
from conftest import ROOT
from golden.build import correct

from exocourse.authoring.course import CourseError
from exocourse.cli import main
from exocourse.grading import worker, workspace
from exocourse.grading.batch import autograde
from exocourse.grading.lessonspec import build_spec
from exocourse.grading.results import read_result
from exocourse.grading.status import PASSED, TIMEOUT
from exocourse.grading.submissions import find_submissions
from exocourse.grading.task import Task
from exocourse.grading.workspace import LessonWorkspace

LESSON = "01-exosome-biology"


def _touch(path: Path, text: str = "{}") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_both_layouts_are_found_and_other_files_reported(tmp_path):
    _touch(tmp_path / "ada" / LESSON / f"{LESSON}.ipynb")
    _touch(tmp_path / "ada" / LESSON / "timestamp.txt", "2026-01-01 10:00:00")
    _touch(tmp_path / "bob" / LESSON / "Untitled.ipynb")
    _touch(tmp_path / "cy" / "02-other" / "02-other.ipynb")  # another lesson: not ours
    _touch(tmp_path / f"dee.e@uni_{LESSON}.ipynb")
    _touch(tmp_path / "eve_02-other.ipynb")  # another lesson's download
    _touch(tmp_path / f"{LESSON}.ipynb")  # no student in the name
    _touch(tmp_path / f"bad id_{LESSON}.ipynb")
    _touch(tmp_path / ".ipynb_checkpoints" / f"x_{LESSON}.ipynb")
    _touch(tmp_path / "notes.txt")
    found, unmatched = find_submissions(tmp_path, LESSON, [LESSON, "02-other"])
    assert [s.student for s in found] == ["ada", "bob", "dee.e@uni"]
    assert found[0].path == tmp_path / "ada" / LESSON / f"{LESSON}.ipynb"
    assert found[1].path is None and "found: Untitled.ipynb" in found[1].problem
    assert sorted((u.path.name, u.reason) for u in unmatched) == [
        (f"{LESSON}.ipynb", f"the name is not <student>_{LESSON}.ipynb"),
        (f"bad id_{LESSON}.ipynb", "'bad id' is not a valid student id"),
    ]


def test_a_student_with_two_submissions_is_an_error(tmp_path):
    _touch(tmp_path / "ada" / LESSON / f"{LESSON}.ipynb")
    _touch(tmp_path / f"ada_{LESSON}.ipynb")
    with pytest.raises(CourseError, match="'ada' has two submissions"):
        find_submissions(tmp_path, LESSON)


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CourseError, match="does not exist"):
        find_submissions(tmp_path / "nope", LESSON)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"timeout": 0}, "timeouts must be positive"),
        ({"submission_timeout": -1}, "timeouts must be positive"),
        ({"memory_mb": 100}, "too small"),
        ({"jobs": -2}, "at least 1"),
    ],
)
def test_bad_limits_are_refused(tmp_path, kwargs, message):
    with pytest.raises(CourseError, match=message):
        autograde(ROOT, LESSON, tmp_path, tmp_path / "ws", **kwargs)


def test_unknown_lesson_is_refused(tmp_path):
    with pytest.raises(CourseError, match="unknown lesson"):
        autograde(ROOT, "99-nope", tmp_path, tmp_path / "ws")


def test_an_empty_folder_grades_nothing(tmp_path):
    report = autograde(ROOT, LESSON, tmp_path, tmp_path / "ws")
    assert report.graded == [] and report.results == {}


def test_the_commands_have_help():
    result = subprocess.run(
        [sys.executable, "-m", "exocourse", "autograde", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "<student>_<lesson>.ipynb" in result.stdout and "--jobs" in result.stdout
    top = subprocess.run(
        [sys.executable, "-m", "exocourse", "--help"], capture_output=True, text=True
    )
    for command in ["autograde", "grades", "feedback"]:
        assert command in top.stdout


@pytest.mark.parametrize(
    "argv, message",
    [
        (["autograde", "{tmp}/nope", "--lesson", LESSON], "does not exist"),
        (["autograde", "{tmp}", "--lesson", "99-nope"], "unknown lesson"),
        (["autograde", "{tmp}", "--lesson", LESSON], "expected <student>/01-exosome-biology/"),
        (["grades", "--lesson", LESSON, "--out", "{tmp}/g.csv"], "no graded submissions"),
        (["feedback", "--lesson", LESSON], "no graded submissions"),
    ],
)
def test_command_errors_say_what_to_do(tmp_path, capsys, argv, message):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code = main(["--root", str(ROOT), *argv, "--workspace", str(tmp_path / "ws")])
    assert code == 2
    assert message in capsys.readouterr().err


def test_jobs_must_be_positive(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--root", str(ROOT), "autograde", str(tmp_path), "--lesson", LESSON, "--jobs", "0"])
    assert "must be a positive whole number" in capsys.readouterr().err


def _slow_submission(path: Path) -> Path:
    """A correct notebook whose first answer sleeps for ten minutes."""
    nb = correct()
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "ex1_fraction":
            cell.source = "import time\n\ntime.sleep(600)\n" + cell.source
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _processes_mentioning(marker: str) -> list[int]:
    """Processes whose environment mentions ``marker`` (the kernels of our gradings carry
    their private package folder in PYTHONPATH)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _none_left(marker: str, grace: float = 5.0) -> list[int]:
    deadline = time.monotonic() + grace
    while (left := _processes_mentioning(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_a_submission_over_its_time_limit_is_stopped_with_its_kernel(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # grading folders go here
    _slow_submission(tmp_path / "subs" / f"slow_{LESSON}.ipynb")
    started = []  # when grading starts: after the lesson's template gradebook is built
    report = autograde(
        ROOT,
        LESSON,
        tmp_path / "subs",
        tmp_path / "ws",
        jobs=1,
        timeout=600,
        submission_timeout=8,
        on_start=lambda count: started.append(time.monotonic()),
    )
    assert time.monotonic() - started[0] < 8 + 30
    statuses = {q.status for q in report.results["slow"].questions}
    assert statuses == {TIMEOUT}, report.results["slow"].questions[0].reason
    assert "stopped after 8 s" in report.results["slow"].questions[0].reason
    assert sum(q.points for q in report.results["slow"].questions) == 0
    assert _none_left(str(scratch)) == [], "a grading process or kernel was left running"
    assert list(scratch.glob("exocourse-grade-*")) == [], "the grading folder was not removed"


def test_an_interrupted_batch_resumes_where_it_stopped(tmp_path):
    subs, ws, scratch = tmp_path / "subs", tmp_path / "ws", tmp_path / "scratch"
    scratch.mkdir()
    nbformat.write(correct(), _touch(subs / f"a_{LESSON}.ipynb"))
    _slow_submission(subs / f"b_{LESSON}.ipynb")
    command = [sys.executable, "-m", "exocourse", "--root", str(ROOT), "autograde", str(subs)]
    command += ["--lesson", LESSON, "--workspace", str(ws), "--jobs", "1"]
    env = {**os.environ, "TMPDIR": str(scratch)}
    first = subprocess.Popen(
        [*command, "--timeout", "600"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lw = LessonWorkspace(ws, LESSON)
    deadline = time.monotonic() + 90
    while not list(scratch.glob("*/kernel.pid")) or not lw.result_path("a").exists():
        if first.poll() is not None or time.monotonic() > deadline:
            first.kill()
            pytest.fail(f"b's grading never started its kernel: {first.communicate()}")
        time.sleep(0.2)
    time.sleep(0.5)  # b's kernel is asleep in its first answer
    first.send_signal(signal.SIGINT)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 130, (out, err)
    assert "run the same command again" in err
    assert read_result(lw.result_path("a")) is not None
    assert not lw.result_path("b").exists()
    assert _none_left(str(scratch)) == [], "an interrupted grading left processes running"
    graded_at = read_result(lw.result_path("a")).graded_at

    second = subprocess.run(
        [*command, "--timeout", "3"], env=env, capture_output=True, text=True, timeout=120
    )
    assert second.returncode == 0, second.stderr
    assert "1 submission(s) already graded" in second.stdout
    assert read_result(lw.result_path("a")).graded_at == graded_at
    b = {q.grade_id: q.status for q in read_result(lw.result_path("b")).questions}
    assert b["test_ex1_fraction"] == TIMEOUT and b["test_ex2_size_summary"] == PASSED


def test_a_changed_package_is_a_new_grading_version(tmp_path, monkeypatch):
    """Expected values and graded results belong to the package that computed them: with the
    same notebook and tests, another package runs the solution again and grades again."""
    subs, ws = tmp_path / "subs", tmp_path / "ws"
    nbformat.write(correct(), _touch(subs / f"a_{LESSON}.ipynb"))
    first = autograde(ROOT, LESSON, subs, ws, jobs=1)
    assert autograde(ROOT, LESSON, subs, ws, jobs=1).skipped == ["a"]  # nothing changed
    monkeypatch.setattr(workspace, "package_digest", lambda: "a package with a fix")
    again = autograde(ROOT, LESSON, subs, ws, jobs=1)
    assert again.skipped == [] and again.template != first.template
    assert {q.status for q in again.results["a"].questions if q.kind == "code"} == {PASSED}


def test_a_grading_child_keeps_its_temporary_files_in_its_work_folder(tmp_path, monkeypatch):
    """Temporary folders of a grading child (the solution's run of a per-student lesson among
    them) lie in its work folder, which the batch removes even when it stops the child: a
    child stopped during the solution's run once left a folder in the system's /tmp."""
    seen = tmp_path / "seen.txt"

    def grade(task):
        with tempfile.TemporaryDirectory() as folder:
            seen.write_text(f"{folder}\n{os.environ['TMPDIR']}")
        raise RuntimeError("stopped here by the test")

    monkeypatch.setattr(worker, "grade", grade)
    work = tmp_path / "work"
    work.mkdir()
    task = Task(
        student="ada",
        lesson="00-tiny",
        submission=None,
        problem="",
        source_dir="",
        template="",
        package="",
        datasets="",
        work=str(work),
        result_path=str(tmp_path / "result.json"),
        graded_path=str(tmp_path / "graded.ipynb"),
        log_path=str(tmp_path / "log.txt"),
        timeout=10,
        memory_mb=4096,
        cpu_seconds=60,
        spec=build_spec("00-tiny", tiny_lesson.source(), tiny_lesson.release()),
    )
    child = multiprocessing.get_context("fork").Process(target=worker.run, args=(task,))
    child.start()
    child.join(60)
    folder, tmpdir = seen.read_text().splitlines()
    assert Path(folder).parent == Path(tmpdir) == work / "tmp"
    assert "stopped here by the test" in read_result(Path(task.result_path)).notes[0]
