"""Where the course lives: the repository root, its lessons and the grading workspace.

The repository holds the source notebooks (``solutions/``) and the student release
(``lessons/``); grading state (gradebook, submissions, feedback) lives in a workspace
outside it: ``$EXOCOURSE_WORKSPACE`` if set, else ``exocourse`` under the user's cache
folder.

>>> default_workspace().name in ("exocourse", Path(os.environ.get("EXOCOURSE_WORKSPACE", "")).name)
True
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class CourseError(RuntimeError):
    """The course folder or a lesson in it cannot be found or processed."""


def find_root(start: Path | None = None) -> Path:
    """The repository root: the nearest folder at or above ``start`` with ``solutions/``
    and ``nbgrader_config.py``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "solutions").is_dir() and (folder / "nbgrader_config.py").is_file():
            return folder
    raise CourseError(
        f"no course found at or above {here}: run this inside a clone of the course repository "
        "(the folder with solutions/ and nbgrader_config.py), or pass --root"
    )


def lessons(root: Path) -> list[str]:
    """Names of the lessons: folders ``solutions/<name>/`` holding ``<name>.ipynb``."""
    return sorted(
        p.name for p in (root / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file()
    )


def check_lesson(root: Path, lesson: str) -> str:
    """Return ``lesson`` if it exists, else raise a :class:`CourseError` listing the lessons."""
    known = lessons(root)
    if lesson not in known:
        raise CourseError(f"unknown lesson {lesson!r}; lessons are: {', '.join(known)}")
    return lesson


def default_workspace() -> Path:
    """Folder for grading state, outside the repository."""
    if os.environ.get("EXOCOURSE_WORKSPACE"):
        return Path(os.environ["EXOCOURSE_WORKSPACE"]).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "exocourse"


def tools_on_path() -> None:
    """Put this Python's ``bin`` folder on PATH: nbgrader runs ``alembic`` as a subprocess,
    which fails when the virtual environment is not activated."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
