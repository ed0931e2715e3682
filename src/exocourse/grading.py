"""Autograde submissions with nbgrader in a workspace outside the repository.

The original submission file is only ever read: it is copied into the workspace's
``submitted/<student>/<lesson>/`` folder and graded there.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from traitlets.config import Config

from .course import CourseError, check_lesson, configure, tools_on_path


@dataclass(frozen=True)
class Score:
    """Points of one graded submission, split into autograded and manually graded parts."""

    student: str
    lesson: str
    code_score: float
    max_code_score: float
    max_written_score: float
    needs_manual_grade: bool


def grader(root: Path, workspace: Path) -> NbGraderAPI:
    """An nbgrader API object for the course at ``root`` with state in ``workspace``.

    The release it writes (needed to register lessons in the gradebook) goes to
    ``workspace/release``, never to the repository's ``lessons/``.
    """
    tools_on_path()
    workspace.mkdir(parents=True, exist_ok=True)
    config = configure(Config(), root, workspace)
    config.CourseDirectory.release_directory = str(workspace / "release")
    return NbGraderAPI(config=config)


def register(api: NbGraderAPI, lesson: str) -> None:
    """Record ``lesson`` (its cells, points and hidden tests) in the gradebook."""
    result = api.generate_assignment(lesson, force=True)
    if not result["success"]:
        raise CourseError(f"could not register {lesson}:\n{result.get('error') or result['log']}")


def autograde_one(root: Path, workspace: Path, lesson: str, notebook: Path, student: str) -> Score:
    """Grade ``notebook`` as ``student``'s submission of ``lesson`` and return the score."""
    check_lesson(root, lesson)
    api = grader(root, workspace)
    with Gradebook(api.coursedir.db_url) as gb:
        known = {a.name for a in gb.assignments}
    if lesson not in known:
        register(api, lesson)
    target = workspace / "submitted" / student / lesson / f"{lesson}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, target)
    result = api.autograde(lesson, student, force=True, create=True)
    if not result["success"]:
        raise CourseError(f"autograding {student}/{lesson} failed:\n{result.get('error')}")
    return score(api.coursedir.db_url, lesson, student)


def score(db_url: str, lesson: str, student: str) -> Score:
    """Read one submission's score from the gradebook."""
    with Gradebook(db_url) as gb:
        sub = gb.find_submission_notebook(lesson, lesson, student)
        return Score(
            student=student,
            lesson=lesson,
            code_score=float(sub.code_score),
            max_code_score=float(sub.max_code_score),
            max_written_score=float(sub.max_written_score),
            needs_manual_grade=bool(sub.needs_manual_grade),
        )
