"""Binder: repo2docker's build plan (asked for without building) installs the package as
a wheel on the pinned Python with the pinned versions the lesson outputs were made with."""

from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import venv
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
import nbformat
from conftest import ROOT
from packaging.requirements import Requirement


@cache
def build_plan() -> str:
    repo2docker = Path(sys.executable).parent / "repo2docker"
    result = subprocess.run(
        [str(repo2docker), "--no-build", "--debug", "--no-run", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout + result.stderr


def test_binder_uses_root_configuration():
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), (
        "a binder/ folder makes repo2docker ignore the root configuration"
    )


def test_build_plan_pins_python_and_installs_the_package_non_editable():
    plan = build_plan()
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert f"python={runtime.removeprefix('python-')}" in plan
    assert re.search(r'pip install --no-cache-dir -r "requirements.txt"', plan)
    assert re.search(r"pip install --no-cache-dir \.$", plan, re.MULTILINE)
    assert "-e ." not in plan


def test_binder_pins_satisfy_the_package_requirements():
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"requirements.txt should pin exactly: {line}"
            pins[req.name.lower()] = spec.version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for line in project["dependencies"]:
        req = Requirement(line)
        assert req.name.lower() in pins, f"requirements.txt does not pin {req.name}"
        assert req.specifier.contains(pins[req.name.lower()]), f"pin of {req.name} breaks {req}"


# Binder users are students: postBuild switches off nbgrader's instructor-only parts.
INSTRUCTOR_LAB_PLUGINS = {
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",  # its entries all open instructor tools; empty once they are off
}
INSTRUCTOR_SERVER_EXTENSIONS = {
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
    "nbgrader.server_extensions.assignment_list",
}
VALIDATE_LAB_PLUGIN = "@jupyter/nbgrader:validate-assignment"
NBGRADER_LAB = "labextensions/@jupyter/nbgrader/static"


def test_build_plan_runs_postbuild_after_installing_the_course():
    post_build = ROOT / "postBuild"
    assert post_build.is_file() and os.access(post_build, os.X_OK), "postBuild must be executable"
    plan = build_plan()
    install = re.search(r"pip install --no-cache-dir \.$", plan, re.MULTILINE)
    run = re.search(r"^RUN \./postBuild$", plan, re.MULTILINE)
    assert run, "repo2docker's plan does not run postBuild"
    assert install and install.start() < run.start(), (
        "postBuild must run after the course is installed"
    )


def student_prefix(tmp: Path) -> Path:
    """A throw-away Python prefix standing in for Binder's: a virtual environment that imports
    this one's packages (a .pth file), with its own copies of the Jupyter config and data that
    installing the course put in this environment, and the `jupyter` commands postBuild calls.
    Whatever postBuild writes at --sys-prefix level lands in this copy, not in our venv."""
    prefix = tmp / "prefix"
    venv.EnvBuilder(with_pip=False, symlinks=True).create(prefix)
    python = prefix / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "course-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    for name in ["jupyter", "jupyter-labextension", "jupyter-server"]:
        (entry,) = entry_points(group="console_scripts", name=name)
        module, function = entry.value.split(":")
        script = prefix / "bin" / name
        script.write_text(
            f"#!{python}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n"
        )
        script.chmod(0o755)
    for folder in ["etc/jupyter", "share/jupyter"]:
        shutil.copytree(Path(sys.prefix, folder), prefix / folder, symlinks=True)
    return prefix


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url: str, body: dict | None = None) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""
    except urllib.error.URLError:  # not listening (yet)
        return 0, ""


def files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# Where each instructor-only server extension answers (checked against its own handlers, so a
# 404 below means "switched off", not "wrong address").
ROUTES = {
    "nbgrader.server_extensions.formgrader": "/formgrader",
    "nbgrader.server_extensions.course_list": "/formgraders",
    "nbgrader.server_extensions.assignment_list": "/assignments",
}


def test_instructor_routes_belong_to_the_instructor_extensions():
    assert set(ROUTES) == INSTRUCTOR_SERVER_EXTENSIONS
    for extension, route in ROUTES.items():
        handlers = importlib.import_module(f"{extension}.handlers").default_handlers
        assert any(re.fullmatch(pattern, route) for pattern, *_ in handlers), (extension, route)


def test_postbuild_switches_off_the_instructor_tools_and_keeps_validate(tmp_path):
    prefix = student_prefix(tmp_path)
    env = {
        "PATH": f"{prefix / 'bin'}{os.pathsep}{os.defpath}",
        "HOME": str(tmp_path),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "user-config"),
        "JUPYTER_DATA_DIR": str(tmp_path / "user-data"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    ours = files(Path(sys.prefix, "etc", "jupyter")) | files(Path(sys.prefix, "share", "jupyter"))
    result = subprocess.run(
        [str(ROOT / "postBuild")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    after = files(Path(sys.prefix, "etc", "jupyter")) | files(Path(sys.prefix, "share", "jupyter"))
    assert after == ours, "postBuild changed this environment instead of the throw-away one"

    # Start the server as Binder does, from that prefix, and ask it what a student gets.
    notebook = nbformat.v4.new_notebook()
    notebook.cells.append(nbformat.v4.new_code_cell("assert 1 + 1 == 2"))
    notebook.cells[0].metadata["nbgrader"] = {
        "schema_version": 3,
        "grade_id": "check",
        "grade": True,
        "solution": False,
        "locked": True,
        "points": 1,
        "task": False,
    }
    nbformat.write(notebook, tmp_path / "tiny.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    with open(tmp_path / "server.log", "w") as log:
        server = subprocess.Popen(
            [
                str(prefix / "bin" / "jupyter"),
                "server",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={port}",
                f"--ServerApp.token={token}",
                "--allow-root",
                f"--ServerApp.root_dir={tmp_path}",
            ],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while request(f"{base}/api/status?token={token}")[0] != 200:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.2)

        status, page = request(f"{base}/lab?token={token}")
        assert status == 200
        config = json.loads(
            re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.DOTALL).group(1)
        )
        assert set(config["disabledExtensions"]) == INSTRUCTOR_LAB_PLUGINS
        assert set(config["lockedExtensions"]) == INSTRUCTOR_LAB_PLUGINS
        installed = set(
            re.findall(
                r'"(@jupyter/nbgrader:[\w-]+)"',
                "".join(p.read_text() for p in prefix.glob(f"share/jupyter/{NBGRADER_LAB}/*.js")),
            )
        )
        assert INSTRUCTOR_LAB_PLUGINS | {VALIDATE_LAB_PLUGIN} <= installed, installed

        for extension, route in ROUTES.items():
            assert request(f"{base}{route}?token={token}")[0] == 404, f"{extension} still answers"
        status, answer = request(
            f"{base}/assignments/validate?token={token}", body={"path": "tiny.ipynb"}
        )
        assert status == 200, "the Validate button's server extension is not there"
        assert json.loads(answer) == {"success": True, "value": {}}, answer[:2000]
    finally:
        server.terminate()
        server.wait(timeout=20)
