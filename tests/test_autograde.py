"""Autograde round trip: the solution earns every autograded point, the untouched
student notebook earns none, and grading happens outside the repository."""

from __future__ import annotations

import pytest
from conftest import LESSONS, ROOT

from exocourse.grading import autograde_one


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
