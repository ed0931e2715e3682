"""Binder: repo2docker's build plan (asked for without building) installs the package as
a wheel on the pinned Python with the pinned versions the lesson outputs were made with."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from conftest import ROOT
from packaging.requirements import Requirement


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
