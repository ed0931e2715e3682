"""The one place that configures nbgrader for the course and registers a lesson with it.

Every nbgrader run of the course (the student release, the template gradebook of a
graded lesson, the course gradebook the formgrader reads, each submission's private
course) takes its settings from :func:`configure`; :func:`register` records a lesson in
a gradebook by generating its release.

>>> from pathlib import Path
>>> from traitlets.config import Config
>>> configure(Config(), Path("/course"), Path("/ws")).CourseDirectory.db_url
'sqlite:////ws/gradebook.db'
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.apps import NbGraderAPI
from traitlets.config import Config

from .course import CourseError, tools_on_path

#: What replaces a solution in the student version of a code cell.
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


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


def nbgrader_api(root: Path, workspace: Path, release: Path) -> NbGraderAPI:
    """An nbgrader API for the course at ``root``, with its gradebook in ``workspace`` and
    the release it writes in ``release`` (never the repository's ``lessons/`` unless asked)."""
    tools_on_path()
    workspace.mkdir(parents=True, exist_ok=True)
    config = configure(Config(), root, workspace)
    config.CourseDirectory.release_directory = str(release)
    return NbGraderAPI(config=config)


def register(api: NbGraderAPI, lesson: str) -> None:
    """Record ``lesson`` (its cells, points and hidden tests) in the API's gradebook and
    write its student version to the API's release folder."""
    result = api.generate_assignment(lesson, force=True)
    if not result["success"]:
        detail = result.get("error") or result.get("log") or ""
        raise CourseError(f"could not register {lesson}:\n{detail}")
