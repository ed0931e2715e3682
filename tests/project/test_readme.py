"""The README's promises: its two quick-start commands, and what CI runs."""

from __future__ import annotations

import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from conftest import LESSONS, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start")[1].split("\n## ")[0]
    return re.findall(r"```bash\n(.+?)\n```", section)


def test_quick_start_is_exactly_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2, commands
    assert all("\n" not in c for c in commands)
    open_course, run_tests = commands
    assert "jupyter lab" in open_course and "lessons" in open_course
    assert "pytest" in run_tests and '".[test]"' in run_tests


def test_ci_runs_the_readme_test_command_unchanged():
    run_tests = quick_start_commands()[1]
    assert run_tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_lesson_is_listed_and_has_a_binder_badge():
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]
    slug = repository["Repository"].removeprefix("https://github.com/")
    for lesson in LESSONS:
        assert f"lessons/{lesson}/{lesson}.ipynb" in README, f"README does not list {lesson}"
    for number, lesson in enumerate(LESSONS, start=1):
        url = (
            f"https://mybinder.org/v2/gh/{slug}/HEAD"
            f"?urlpath=lab/tree/lessons/{lesson}/{lesson}.ipynb"
        )
        badge = f"[![Binder: Lesson {number}](https://mybinder.org/badge_logo.svg)]({url})"
        assert badge in README, f"README lacks the Binder badge of {lesson}: {badge}"


def test_open_course_command_serves_the_lessons_with_lesson_one(tmp_path):
    """Run the README's JupyterLab command (without a browser) and ask the server what it serves."""
    import json
    import os
    import secrets
    import shlex
    import socket
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    launch = shlex.split(quick_start_commands()[0].split("&&")[-1])
    assert launch[0] == ".venv/bin/jupyter" and launch[1] == "lab"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(8)
    jupyter = str(Path(sys.executable).parent / "jupyter")
    command = [jupyter, *launch[1:], "--no-browser", "--ip=127.0.0.1", f"--port={port}"]
    command += [f"--IdentityProvider.token={token}", "--allow-root"]
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        base = f"http://127.0.0.1:{port}/api/contents"
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}?token={token}", timeout=2) as reply:
                    listing = json.load(reply)
                break
            except OSError:
                assert server.poll() is None, f"JupyterLab exited: {server.stderr.read()[-2000:]}"
                time.sleep(0.5)
        else:
            raise AssertionError("JupyterLab did not answer within 60 s")
        assert sorted(item["name"] for item in listing["content"]) == LESSONS
        opened = launch[-1].removeprefix("lessons/")
        with urllib.request.urlopen(f"{base}/{opened}?token={token}&content=0") as reply:
            assert json.load(reply)["type"] == "notebook"
    finally:
        server.terminate()
        server.wait(timeout=30)
