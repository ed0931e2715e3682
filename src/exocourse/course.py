"""Where the course lives: the repository root, its lessons and nbgrader's settings.

The repository holds the source notebooks (``solutions/``) and the student release
(``lessons/``); grading state (gradebook, submissions, feedback) lives in a workspace
outside it: ``$EXOCOURSE_WORKSPACE`` if set, else ``exocourse`` under the user's cache
folder.

>>> from pathlib import Path
>>> configure(Config(), Path("/course"), Path("/ws")).CourseDirectory.db_url
'sqlite:////ws/gradebook.db'
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from traitlets.config import Config

STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


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


def configure(c: Config, root: Path, workspace: Path) -> Config:
    """Fill nbgrader's settings for the course at ``root`` with grading state in ``workspace``."""
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.source_directory = "solutions"
    c.CourseDirectory.release_directory = "lessons"
    c.CourseDirectory.submitted_directory = str(workspace / "submitted")
    c.CourseDirectory.autograded_directory = str(workspace / "autograded")
    c.CourseDirectory.feedback_directory = str(workspace / "feedback")
    c.CourseDirectory.db_url = f"sqlite:///{workspace / 'gradebook.db'}"
    c.ClearSolutions.code_stub = {"python": STUB}
    c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
    c.Execute.timeout = 120
    return c


def tools_on_path() -> None:
    """Put this Python's ``bin`` folder on PATH: nbgrader runs ``alembic`` as a subprocess,
    which fails when the virtual environment is not activated."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")
