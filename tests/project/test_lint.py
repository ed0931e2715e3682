"""The code style is checked by the test command, so CI enforces it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(command):
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *command, str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0, (
        f"ruff {' '.join(command)} found problems (fix with `ruff check --fix .` and "
        f"`ruff format .`):\n{result.stdout}{result.stderr}"
    )
