"""Build student notebooks (``lessons/``) from the source notebooks (``solutions/``).

nbgrader's ``generate_assignment`` removes solutions, hidden tests and mark schemes and
clears outputs. A fresh throw-away gradebook is used for every build, so a release never
collides with grading state.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from .course import check_lesson, lessons
from .nbgrader_course import nbgrader_api, register


def release(root: Path, out: Path | None = None, names: list[str] | None = None) -> list[Path]:
    """Generate the student version of each lesson in ``names`` (default: all) into ``out``
    (default: ``<root>/lessons``) and return the notebooks written."""
    out = (out or root / "lessons").resolve()
    names = [check_lesson(root, n) for n in names] if names else lessons(root)
    with tempfile.TemporaryDirectory(prefix="exocourse-release-") as tmp:
        api = nbgrader_api(root, Path(tmp), out)
        for name in names:
            register(api, name)
    return [out / name / f"{name}.ipynb" for name in names]
