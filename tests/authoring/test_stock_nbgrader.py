"""Autograde round trip through stock nbgrader (serial, as `nbgrader autograde` runs it,
independent of the batch grader): the solution earns every autograded point, the
untouched student notebook earns none, and grading happens outside the repository."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import LESSONS, ROOT
from nbgrader.api import Gradebook

from exocourse.authoring.nbgrader_course import nbgrader_api, register


def autograde_one(root: Path, workspace: Path, lesson: str, notebook: Path, student: str):
    """Grade a copy of ``notebook`` as ``student``'s submission with nbgrader's own API."""
    api = nbgrader_api(root, workspace, workspace / "release")
    with Gradebook(api.coursedir.db_url) as gb:
        known = {a.name for a in gb.assignments}
    if lesson not in known:
        register(api, lesson)
    target = workspace / "submitted" / student / lesson / f"{lesson}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(notebook, target)
    result = api.autograde(lesson, student, force=True, create=True)
    assert result["success"], f"autograding {student}/{lesson} failed:\n{result.get('error')}"
    with Gradebook(api.coursedir.db_url) as gb:
        sub = gb.find_submission_notebook(lesson, lesson, student)
        return SimpleNamespace(
            code_score=float(sub.code_score),
            max_code_score=float(sub.max_code_score),
            needs_manual_grade=bool(sub.needs_manual_grade),
        )


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("grading-workspace")


@pytest.mark.parametrize("lesson", LESSONS)
def test_solution_earns_every_autograded_point(lesson, workspace):
    notebook = ROOT / "solutions" / lesson / f"{lesson}.ipynb"
    before = notebook.read_bytes()
    score = autograde_one(ROOT, workspace, lesson, notebook, student="solution")
    assert score.max_code_score >= 5
    assert score.code_score == score.max_code_score, (
        f"{lesson}: the solution scored {score.code_score}/{score.max_code_score}"
    )
    assert score.needs_manual_grade, "written answers should wait for manual grading"
    assert notebook.read_bytes() == before, "grading modified the submitted file"
    graded = workspace / "autograded" / "solution" / lesson / f"{lesson}.ipynb"
    assert graded.is_file() and not graded.resolve().is_relative_to(ROOT)


@pytest.mark.parametrize("lesson", LESSONS)
def test_untouched_student_notebook_earns_nothing(lesson, workspace):
    notebook = ROOT / "lessons" / lesson / f"{lesson}.ipynb"
    score = autograde_one(ROOT, workspace, lesson, notebook, student="blank")
    assert score.max_code_score >= 5
    assert score.code_score == 0, f"{lesson}: an untouched notebook scored {score.code_score}"
