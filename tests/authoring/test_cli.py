"""The exocourse command: release, execute and data, and its errors."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import LESSONS, ROOT

from exocourse.cli import main


def test_python_dash_m_shows_help():
    result = subprocess.run(
        [sys.executable, "-m", "exocourse", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    for command in ["release", "execute", "data"]:
        assert command in result.stdout


def test_release_one_lesson_into_another_folder(tmp_path, capsys):
    lesson = LESSONS[0]
    assert main(["--root", str(ROOT), "release", lesson, "--out", str(tmp_path)]) == 0
    built = tmp_path / lesson / f"{lesson}.ipynb"
    assert built.read_bytes() == (ROOT / "lessons" / lesson / f"{lesson}.ipynb").read_bytes()
    assert f"released {tmp_path.name}/{lesson}/{lesson}.ipynb" in capsys.readouterr().out


def test_unknown_lesson_is_a_clear_error(capsys):
    assert main(["--root", str(ROOT), "release", "99-nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown lesson '99-nope'" in err and LESSONS[0] in err


def test_outside_a_course_the_error_says_where_to_run(tmp_path, capsys):
    assert main(["--root", str(tmp_path), "release"]) == 2
    assert "no course found" in capsys.readouterr().err


def test_execute_saves_fresh_outputs_and_leaves_a_failing_notebook_untouched(tmp_path):
    course = tmp_path / "course"
    lesson = LESSONS[0]
    (course / "solutions" / lesson).mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("")
    target = course / "solutions" / lesson / f"{lesson}.ipynb"
    shutil.copy(ROOT / "solutions" / lesson / f"{lesson}.ipynb", target)
    assert main(["--root", str(course), "execute", lesson]) == 0
    import nbformat

    nb = nbformat.read(target, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))

    nb.cells.insert(1, nbformat.v4.new_code_cell("1 / 0"))
    nbformat.write(nb, target)
    before = target.read_bytes()
    with pytest.raises(Exception, match="ZeroDivisionError"):
        main(["--root", str(course), "execute", lesson])
    assert target.read_bytes() == before


def test_execute_keeps_a_widget_s_output_but_not_its_stale_state(tmp_path):
    import nbformat

    from exocourse.authoring.execute import execute_notebook

    path = tmp_path / "widget.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets\nipywidgets.IntSlider(value=3)")]
    nbformat.write(nb, path)
    execute_notebook(path)
    saved = nbformat.read(path, as_version=4)
    assert "application/vnd.jupyter.widget-view+json" in saved.cells[0].outputs[0]["data"]
    assert "widgets" not in saved.metadata


def test_execute_runs_lessons_as_the_default_student_whoever_runs_it(tmp_path, monkeypatch):
    import nbformat

    from exocourse.authoring.execute import execute_notebook
    from exocourse.student import DEFAULT_STUDENT_ID, HUB_USER_VAR, STUDENT_ID_VAR

    monkeypatch.setenv(STUDENT_ID_VAR, "an-instructor-testing-as-ada")
    monkeypatch.setenv(HUB_USER_VAR, "the-instructor-on-the-hub")
    path = tmp_path / "id.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("from exocourse.student import student_id\nstudent_id()")]
    nbformat.write(nb, path)
    execute_notebook(path)
    saved = nbformat.read(path, as_version=4)
    assert saved.cells[0].outputs[0]["data"]["text/plain"] == repr(DEFAULT_STUDENT_ID)


def test_data_check_passes_on_the_committed_files(capsys):
    assert main(["data", "--check"]) == 0
    assert "all datasets match the generator" in capsys.readouterr().out
