"""Hostile submissions of Lesson 1, graded in one sandboxed batch: a notebook that tries to
read secrets, classmates, the solutions or the workspace, to phone home, to leave a process
behind or to write outside its copy gets nothing, and is graded on its answers."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from conftest import REPO_UNDER_TMP, ROOT, file_hashes
from golden.build import LESSON, TESTS, _cell, correct

from exocourse.grading import feedback, gradesheet
from exocourse.grading.batch import autograde
from exocourse.grading.status import PASSED
from exocourse.grading.workspace import LessonWorkspace

SECRET = "TOKEN-5f3a-do-not-leak"
CLASSMATE = "classmate-answer-77c1"
MARKER = "exocourse-detached-writer-8d2e"

READ = """
_seen = []
for _name, _path in {targets!r}.items():
    _path = os.path.expanduser(_path)
    try:
        _text = open(_path).read() if os.path.isfile(_path) else " ".join(os.listdir(_path))
        _seen.append(f"READ-{{_name}}-OK:{{_text[:300]}}")
    except Exception as _exc:
        _seen.append(f"{{_name}}-blocked:{{type(_exc).__name__}}")
print(_seen)
"""

CONNECT = """
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
    print("NET-OK")
except OSError as _exc:
    print("net-blocked:", type(_exc).__name__)
"""

DETACH = """
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, [sys.executable, "-c", {code!r}])
    os._exit(0)
os.wait()
print("detach-started")
"""

WRITE = """
for _path in {targets!r}:
    try:
        with open(_path, "a") as _f:
            _f.write("written by a student")
        print("WRITE-OK", _path)
    except OSError as _exc:
        print("write-blocked:", type(_exc).__name__)
"""


def _hostile(grade_id: str, attack: str, then: str = "") -> nbformat.NotebookNode:
    """The correct notebook with ``attack`` run first in the answer cell ``grade_id``."""
    nb = correct()
    cell = _cell(nb, grade_id)
    cell.source = "import os, socket, sys\n" + attack + "\n" + cell.source + then
    return nb


def _outputs(text: str) -> str:
    """All the output text of a notebook (not its code)."""
    nb = nbformat.reads(text, as_version=4)
    out = [o.get("text", "") + o.get("evalue", "") for c in nb.cells for o in c.get("outputs", [])]
    return "\n".join(out)


def _processes_with(marker: str) -> list[str]:
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if marker.encode() in (proc / "cmdline").read_bytes():
                found.append(proc.name)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    home, subs, ws = base / "home", base / "submissions", base / "workspace"
    home.mkdir()
    subs.mkdir()
    (home / "secret.txt").write_text(SECRET)
    lw = LessonWorkspace(ws, LESSON)
    lw.results.mkdir(parents=True)
    (lw.results / "earlier.json").write_text(SECRET)  # what a workspace may hold
    classmate = correct()
    _cell(classmate, "w1_count").source = CLASSMATE
    classmate_path = subs / f"classmate_{LESSON}.ipynb"
    nbformat.write(classmate, classmate_path)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.5)
    detached = base / "detached.txt"
    writer = f"import time\ntime.sleep(3)\nopen({str(detached)!r}, 'w').write('alive')  # {MARKER}"
    targets = {
        "home": str(home / "secret.txt"),
        "tilde": "~/secret.txt",
        "classmate": str(classmate_path),
        "submissions": str(subs),
        "solution": str(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"),
        "workspace": str(lw.results),
        "results": str(lw.results / "earlier.json"),
    }
    written = [
        home / "written.txt",
        ROOT / "written-by-student.txt",
        lw.results / "written.json",
        classmate_path,
    ]
    cases = {
        "reads": _hostile(
            "ex1_fraction",
            READ.format(targets=targets),
            '\nfrac_A = " ".join(_seen)',
        ),
        "phones-home": _hostile("ex3_stock", CONNECT.format(port=listener.getsockname()[1])),
        "detaches": _hostile("ex6_days", DETACH.format(code=writer)),
        "writes": _hostile("ex7_mass", WRITE.format(targets=[str(p) for p in written])),
    }
    for student, nb in cases.items():
        nbformat.write(nb, subs / f"{student}_{LESSON}.ipynb")
    before = file_hashes(subs)
    old_home = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        report = autograde(ROOT, LESSON, subs, ws, jobs=2, timeout=30, memory_mb=2048)
    finally:
        os.environ["HOME"] = old_home or ""
    time.sleep(4)  # the detached writer would have written by now
    try:
        listener.accept()[0].close()
        connected = True
    except TimeoutError:
        connected = False
    listener.close()
    pages = {r.student: feedback.render(r) for r in report.results.values()}
    graded = {s: (lw.graded / f"{s}.ipynb").read_text() for s in report.results}
    outputs = {s: _outputs(text) for s, text in graded.items()}
    return SimpleNamespace(
        report=report,
        subs=subs,
        before=before,
        after=file_hashes(subs),
        home=home,
        lw=lw,
        written=written,
        detached=detached,
        connected=connected,
        pages=pages,
        graded=graded,
        outputs=outputs,
        targets=targets,
        sheet=gradesheet.to_csv(gradesheet.rows(report.results), gradesheet.COLUMNS),
        totals=gradesheet.to_csv(gradesheet.total_rows(report.results), gradesheet.TOTAL_COLUMNS),
    )


def test_the_batch_completes_and_grades_each_on_its_answers(batch):
    results = batch.report.results
    assert sorted(results) == ["classmate", "detaches", "phones-home", "reads", "writes"]
    for student, result in results.items():
        assert result.sandboxed and not result.notes, student
        status = {q.grade_id: q.status for q in result.questions}
        wrong = {"test_ex1_fraction"} if student == "reads" else set()
        assert {t for t in TESTS if status[t] != PASSED} == wrong, (student, status)
    assert "graded without a sandbox" not in batch.totals


def test_nothing_secret_was_read(batch):
    for name in batch.targets:
        assert f"{name}-blocked" in batch.outputs["reads"]  # the attack ran, and failed
    everything = [batch.sheet, batch.totals, *batch.pages.values(), *batch.graded.values()]
    for text in everything:
        assert SECRET not in text
        assert not [name for name in batch.targets if f"READ-{name}-OK" in text]
    for student, text in batch.graded.items():
        assert (CLASSMATE in text) == (student == "classmate")


def test_no_connection_left_the_sandbox(batch):
    assert "net-blocked" in batch.outputs["phones-home"]
    assert "NET-OK" not in batch.outputs["phones-home"]
    assert not batch.connected


def test_no_process_outlived_its_grading(batch):
    assert "detach-started" in batch.outputs["detaches"]
    assert not batch.detached.exists()
    assert _processes_with(MARKER) == []


def test_nothing_was_written_outside_the_copy(batch):
    writes = batch.outputs["writes"]
    landed = [path for path in batch.written if f"WRITE-OK {path}" in writes]
    # only a clone under /tmp, into the kernel's private /tmp (conftest); never into the clone
    assert landed in ([], [ROOT / "written-by-student.txt"] if REPO_UNDER_TMP else [])
    assert writes.count("WRITE-OK") == len(landed)
    assert writes.count("write-blocked") == len(batch.written) - len(landed)
    for path in batch.written[:-1]:
        assert not path.exists(), path
    assert batch.after == batch.before  # the submissions, the classmate's included
    assert sorted(p.name for p in batch.home.iterdir()) == ["secret.txt"]
