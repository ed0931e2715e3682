"""exocourse.course: finding the course, its lessons and the grading workspace."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

from exocourse.authoring import course


def test_find_root_from_a_subfolder():
    assert course.find_root(ROOT / "solutions") == ROOT


def test_lessons_are_the_solution_folders_with_a_same_named_notebook(tmp_path):
    (tmp_path / "solutions" / "02-b").mkdir(parents=True)
    (tmp_path / "solutions" / "02-b" / "02-b.ipynb").write_text("{}")
    (tmp_path / "solutions" / "01-a").mkdir()
    (tmp_path / "solutions" / "01-a" / "01-a.ipynb").write_text("{}")
    (tmp_path / "solutions" / "notes").mkdir()
    assert course.lessons(tmp_path) == ["01-a", "02-b"]


def test_workspace_is_outside_the_repository_and_configurable(monkeypatch, tmp_path):
    monkeypatch.delenv("EXOCOURSE_WORKSPACE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert course.default_workspace() == tmp_path / "cache" / "exocourse"
    monkeypatch.setenv("EXOCOURSE_WORKSPACE", str(tmp_path / "ws"))
    assert course.default_workspace() == tmp_path / "ws"


def test_nbgrader_config_file_uses_the_course_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("EXOCOURSE_WORKSPACE", str(tmp_path))
    from traitlets.config import Config

    c = Config()
    namespace = {"get_config": lambda: c, "__file__": str(ROOT / "nbgrader_config.py")}
    exec((ROOT / "nbgrader_config.py").read_text(), namespace)
    assert c.CourseDirectory.source_directory == "solutions"
    assert c.CourseDirectory.release_directory == "lessons"
    assert c.CourseDirectory.root == str(ROOT)
    assert c.CourseDirectory.db_url == f"sqlite:///{tmp_path / 'gradebook.db'}"
    for key in ["submitted_directory", "autograded_directory", "feedback_directory"]:
        assert not Path(c.CourseDirectory[key]).is_relative_to(ROOT)


def test_tools_on_path_adds_this_pythons_bin(monkeypatch):
    monkeypatch.setenv("PATH", "/nowhere")
    course.tools_on_path()
    import os
    import sys

    assert os.environ["PATH"].split(os.pathsep)[0] == str(Path(sys.executable).parent)


def test_check_lesson_rejects_unknown_names():
    with pytest.raises(course.CourseError, match="unknown lesson"):
        course.check_lesson(ROOT, "nope")
