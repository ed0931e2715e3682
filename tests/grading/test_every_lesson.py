"""The batch grader works for every lesson, not only the one the golden submissions use:
a release answered with the source notebook's solutions passes every autograded question,
the untouched release passes none, and written answers wait for a person."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from conftest import LESSONS, ROOT
from golden.build import LESSON as GOLDEN_LESSON
from golden.build import fill

from exocourse.grading.batch import autograde
from exocourse.grading.status import FAILED, MANUAL, PASSED

OTHER_LESSONS = [lesson for lesson in LESSONS if lesson != GOLDEN_LESSON]  # golden covers it


@pytest.mark.parametrize("lesson", OTHER_LESSONS)
def test_answered_and_blank_releases_of_every_lesson(lesson, tmp_path):
    release = ROOT / "lessons" / lesson / f"{lesson}.ipynb"
    subs = tmp_path / "submissions"
    subs.mkdir()
    nbformat.write(fill(nbformat.read(release, as_version=4), lesson), subs / f"ans_{lesson}.ipynb")
    shutil.copyfile(release, subs / f"blank_{lesson}.ipynb")
    report = autograde(ROOT, lesson, subs, tmp_path / "ws", jobs=2, timeout=60)
    answered, blank = report.results["ans"], report.results["blank"]
    code = [q for q in answered.questions if q.kind == "code"]
    assert len(code) >= 3
    assert {q.status for q in code} == {PASSED}, [(q.grade_id, q.reason) for q in code]
    assert {q.status for q in answered.questions if q.kind == "written"} <= {MANUAL}
    assert {q.status for q in blank.questions} == {FAILED}
    assert blank.total()[0] == 0
