"""The kernel sandbox itself (exocourse.grading.sandbox), with plain commands: what a
command inside can see and write, no network, nothing outlives it, and a clear refusal
where no sandbox can be made."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import tiny_lesson
from conftest import REPO_UNDER_TMP, ROOT

from exocourse.cli import main
from exocourse.grading import batch, gradesheet, sandbox
from exocourse.grading.results import UNSANDBOXED, read_result
from exocourse.grading.status import PASSED
from exocourse.grading.workspace import LessonWorkspace

LOOK = """
import json, os, socket, sys
args = json.loads(sys.argv[1])
seen = {name: os.path.exists(path) for name, path in args["paths"].items()}
writes = {}
for name, path in args["writes"].items():
    try:
        with open(path, "w") as f:
            f.write("x")
        writes[name] = True
    except OSError:
        writes[name] = False
try:
    socket.create_connection(("127.0.0.1", args["port"]), timeout=3).close()
    net = True
except OSError:
    net = False
print(json.dumps({"seen": seen, "writes": writes, "net": net, "home": os.environ["HOME"],
                  "env": sorted(os.environ), "cwd": os.getcwd()}))
"""


@pytest.fixture
def listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    yield server
    server.close()


def _connected(server: socket.socket) -> bool:
    try:
        server.accept()[0].close()
        return True
    except TimeoutError:
        return False


def test_a_command_inside_sees_and_writes_only_what_it_is_given(tmp_path, listener):
    home, workspace, mine, given = (tmp_path / n for n in ("home", "ws", "mine", "given"))
    for folder in (home, workspace, mine, given):
        folder.mkdir()
    (home / "secret.txt").write_text("s3cret")
    (workspace / "results.json").write_text("{}")
    (given / "data.csv").write_text("a,b\n")
    inside = Path("/tmp/work/student")
    args = {
        "paths": {
            "secret": str(home / "secret.txt"),
            "grader's home": str(Path.home() / ".bashrc"),
            "workspace": str(workspace / "results.json"),
            "solutions": str(ROOT / "solutions"),
            "repository": str(ROOT / "pyproject.toml"),
            "given": str(given / "data.csv"),
            "python": sys.executable,
        },
        "writes": {
            "copy": str(inside / "out.txt"),
            "tmp": "/tmp/scratch.txt",
            "given": str(given / "new.txt"),
            "home outside": str(home / "new.txt"),
            "usr": "/usr/new.txt",
            "venv": str(Path(sys.prefix) / "new.txt"),
            "repository": str(ROOT / "new-from-sandbox.txt"),
            "root": "/new.txt",
        },
        "port": listener.getsockname()[1],
    }
    cmd = sandbox.command(
        [sys.executable, "-c", LOOK, json.dumps(args)],
        readonly=[given],
        writable=[(mine, inside)],
        cwd=inside,
        pythonpath=[str(given)],
    )
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["seen"] == {
        "secret": False,
        "grader's home": False,
        "workspace": False,
        "solutions": False,
        "repository": False,
        "given": True,
        "python": True,
    }
    assert out["writes"] == {
        "copy": True,
        "tmp": True,
        "given": False,
        "home outside": False,
        "usr": False,
        "venv": False,
        # under /tmp, maybe into the kernel's private /tmp (conftest), never into the clone (below)
        "repository": REPO_UNDER_TMP and out["writes"]["repository"],
        "root": False,
    }
    assert out["net"] is False and not _connected(listener)
    assert out["home"] == sandbox.HOME and out["cwd"] == str(inside)
    assert set(out["env"]) <= set(sandbox.environment([str(given)])) | {"PWD"}
    assert (mine / "out.txt").read_text() == "x"  # the writable copy, and nothing else
    assert not (ROOT / "new-from-sandbox.txt").exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == [
        "data.csv",
        "given",
        "home",
        "mine",
        "out.txt",
        "results.json",
        "secret.txt",
        "ws",
    ]


DETACH = """
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(3)
        print("still alive", flush=True)
        os._exit(0)
    os._exit(0)
print("started", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("kill", ["parent", "sandbox"])
def test_nothing_started_inside_outlives_the_sandbox(tmp_path, kill):
    """A detached grandchild dies when bwrap's parent dies, or when bwrap is killed the way
    the batch kills a kernel (its process group)."""
    inner = sandbox.command([sys.executable, "-u", "-c", DETACH])
    parent = (
        "import subprocess, sys, time\n"
        f"p = subprocess.Popen({inner!r}, start_new_session=True, stdout=sys.stdout)\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    out = tmp_path / "out.txt"
    with out.open("w") as sink:
        proc = subprocess.Popen([sys.executable, "-u", "-c", parent], stdout=sink)
        try:
            deadline = time.monotonic() + 30
            while "started" not in out.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "started" in out.read_text()
            bwrap_pid = int(out.read_text().split()[0])
            if kill == "parent":
                proc.kill()
            else:
                os.killpg(bwrap_pid, signal.SIGKILL)
            time.sleep(4)
        finally:
            proc.kill()
            proc.wait()
    assert "still alive" not in out.read_text()


def test_probe_refuses_clearly_without_bwrap():
    with pytest.raises(sandbox.SandboxError, match="not installed.*install bubblewrap"):
        sandbox.probe(bwrap="no-such-bwrap-here")


@pytest.mark.parametrize("fake", ["missing", "no user namespaces"])
def test_autograde_stops_with_a_clear_message_and_no_sandbox_is_explicit(
    tmp_path, monkeypatch, capsys, fake
):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if fake == "no user namespaces":
        bwrap = bin_dir / "bwrap"
        bwrap.write_text(
            "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n"
        )
        bwrap.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    subs = tmp_path / "subs"
    subs.mkdir()
    lesson = "01-exosome-biology"
    nbformat.write(nbformat.v4.new_notebook(), subs / f"ada_{lesson}.ipynb")
    ws = tmp_path / "ws"
    argv = ["--root", str(ROOT), "autograde", str(subs), "--lesson", lesson]
    assert main([*argv, "--workspace", str(ws)]) != 0
    err = capsys.readouterr().err
    assert "cannot grade in a sandbox" in err and "--no-sandbox" in err
    if fake == "missing":
        assert "not installed" in err
    else:
        assert "No permissions to create new namespace" in err
    assert not (ws / "autograde" / lesson / "results").exists()  # nothing was graded


def test_no_sandbox_grades_and_says_so_and_a_sandboxed_run_grades_again(
    tmp_path, monkeypatch, capsys
):
    lesson = "01-exosome-biology"
    subs, ws = tmp_path / "subs", tmp_path / "ws"
    subs.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), subs / f"ada_{lesson}.ipynb")
    argv = ["--root", str(ROOT), "autograde", str(subs), "--lesson", lesson]
    argv += ["--workspace", str(ws), "--no-gradebook"]
    path = LessonWorkspace(ws, lesson).result_path("ada")
    with monkeypatch.context() as patch:
        patch.setenv("PATH", str(tmp_path))  # no bwrap here
        assert main([*argv, "--no-sandbox"]) == 0
    result = read_result(path)
    assert not result.sandboxed and UNSANDBOXED in result.notes
    assert f"note: ada: {UNSANDBOXED}" in capsys.readouterr().err  # told at once, not only later
    (total,) = gradesheet.total_rows({"ada": result})
    assert "graded without a sandbox" in total["flags"]
    assert main(argv) == 0  # same file, same tests, but now in the sandbox: graded again
    result = read_result(path)
    assert result.sandboxed and UNSANDBOXED not in result.notes


def test_a_child_grades_with_its_batch_s_environment_not_the_fork_server_s(tmp_path, monkeypatch):
    """Children fork from a server process started once; a server started while PATH held
    no bwrap (an earlier --no-sandbox run in the same process) must not make a later
    sandboxed batch fail: each child takes the environment of the batch that started it."""
    from multiprocessing import forkserver

    forkserver._forkserver._stop()  # the next batch's server starts under the PATH below
    with monkeypatch.context() as patch:
        patch.setenv("PATH", str(tmp_path))  # no bwrap here
        batch._context()
    lesson, root, subs = "00-tiny", tmp_path / "course", tmp_path / "subs"
    (root / "solutions" / lesson).mkdir(parents=True)
    nbformat.write(tiny_lesson.source(), root / "solutions" / lesson / f"{lesson}.ipynb")
    subs.mkdir()
    right = tiny_lesson.release()
    for cell in right.cells:  # exercise k's right answer is ans{k} = k
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.startswith("ex"):
            cell.source = f"ans{grade_id[2:]} = {grade_id[2:]}"
    nbformat.write(right, subs / f"ada_{lesson}.ipynb")
    report = batch.autograde(root, lesson, subs, tmp_path / "ws", jobs=1, timeout=30)
    result = report.results["ada"]
    assert result.sandboxed
    code = [q for q in result.questions if q.kind == "code"]
    assert {q.status for q in code} == {PASSED}, [q.reason for q in code]
