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
    first = LESSONS[0]
    badge = f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/lessons/{first}/{first}.ipynb"
    assert badge in README
