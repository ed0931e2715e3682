"""Build student notebooks (``lessons/``) from the source notebooks (``solutions/``).

nbgrader's ``generate_assignment`` removes solutions, hidden tests and mark schemes and
clears outputs. A fresh throw-away gradebook is used for every build, so a release never
collides with grading state.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from traitlets.config import Config

from .course import CourseError, check_lesson, configure, lessons, tools_on_path


def release(root: Path, out: Path | None = None, names: list[str] | None = None) -> list[Path]:
    """Generate the student version of each lesson in ``names`` (default: all) into ``out``
    (default: ``<root>/lessons``) and return the notebooks written."""
    tools_on_path()
    out = (out or root / "lessons").resolve()
    names = [check_lesson(root, n) for n in names] if names else lessons(root)
    written = []
    with tempfile.TemporaryDirectory(prefix="exocourse-release-") as tmp:
        config = configure(Config(), root, Path(tmp))
        config.CourseDirectory.release_directory = str(out)
        api = NbGraderAPI(config=config)
        for name in names:
            result = api.generate_assignment(name, force=True)
            if not result["success"]:
                raise CourseError(
                    f"releasing {name} failed:\n{result.get('error') or result.get('log')}"
                )
            written.append(out / name / f"{name}.ipynb")
    return written
