"""The course gradebook (``<workspace>/gradebook.db``) that nbgrader's formgrader reads.

:func:`record` stores batch results there so that the formgrader can show them for
manual grading, and :func:`manual_scores` reads the scores entered there. An original
submission file is only ever read: it is copied into the workspace's
``submitted/<student>/<lesson>/``.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from ..authoring.nbgrader_course import nbgrader_api, register
from .files import copy_timestamp
from .results import SubmissionResult
from .status import MANUAL
from .workspace import LessonWorkspace


def record(
    root: Path,
    workspace: Path,
    lesson: str,
    results: dict[str, SubmissionResult],
    template_db: Path | None = None,
) -> list[str]:
    """Store autograder results in the course gradebook (``<workspace>/gradebook.db``), with
    the submitted and autograded notebooks where nbgrader expects them, so that
    ``nbgrader formgrader`` lists them for manual grading. Scores already entered by hand
    are kept. Returns warnings (e.g. questions the gradebook does not know).

    ``template_db``: a gradebook with only ``lesson`` registered, used as the course
    gradebook when there is none yet (saves registering the lesson again).
    """
    lw = LessonWorkspace(workspace, lesson)
    db = workspace / "gradebook.db"
    if not db.is_file() and template_db is not None and template_db.is_file():
        workspace.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template_db, db)
    api = nbgrader_api(root, workspace, workspace / "release")
    with Gradebook(api.coursedir.db_url) as gb:
        known = {a.name for a in gb.assignments}
    if lesson not in known:
        register(api, lesson)
    problems = []
    with Gradebook(api.coursedir.db_url) as gb, warnings.catch_warnings():
        # nbgrader 0.9 with SQLAlchemy 2 warns "Object of type ... not in session": harmless
        warnings.filterwarnings("ignore", message="Object of type .* not in session")
        for student, result in sorted(results.items()):
            _copy_notebooks(workspace, lesson, student, result, lw.graded / f"{student}.ipynb")
            gb.update_or_create_student(student)
            folder = workspace / "submitted" / student / lesson
            stamp = api.coursedir.get_existing_timestamp(str(folder))
            if stamp is not None:  # nbgrader collect's timestamp: late submissions show
                gb.update_or_create_submission(lesson, student, timestamp=stamp)
            else:
                gb.update_or_create_submission(lesson, student)
            for q in result.questions:
                try:
                    grade = gb.find_grade(q.grade_id, lesson, lesson, student)
                except MissingEntry:
                    problems.append(
                        f"{student}: question {q.grade_id!r} is not in the course gradebook "
                        f"(it holds an older version of {lesson}); not recorded"
                    )
                    continue
                grade.auto_score = None if q.status == MANUAL else float(q.points or 0.0)
                grade.needs_manual_grade = grade.auto_score is None or (
                    grade.manual_score is not None
                )
            gb.db.commit()
    return problems


def _copy_notebooks(
    workspace: Path, lesson: str, student: str, result: SubmissionResult, graded: Path
) -> None:
    submitted = workspace / "submitted" / student / lesson / f"{lesson}.ipynb"
    source = Path(result.source) if result.source else None
    if source is not None and source.is_file():
        submitted.parent.mkdir(parents=True, exist_ok=True)
        if not (submitted.exists() and submitted.samefile(source)):
            shutil.copyfile(source, submitted)
            copy_timestamp(source, submitted)
    autograded = workspace / "autograded" / student / lesson / f"{lesson}.ipynb"
    if graded.is_file():
        autograded.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(graded, autograded)


def manual_scores(workspace: Path, lesson: str) -> dict[tuple[str, str], float]:
    """Scores entered by hand in the formgrader: ``(student, grade_id) -> points``."""
    db = workspace / "gradebook.db"
    if not db.is_file():
        return {}
    scores = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        try:
            assignment = gb.find_assignment(lesson)
        except MissingEntry:
            return {}
        for submission in assignment.submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.manual_score is not None:
                        scores[(submission.student_id, grade.name)] = float(grade.manual_score)
    return scores
