"""Source notebooks (solutions/) and their student release (lessons/).

Execution of every source notebook is done by nbval (pytest collects solutions/); these
tests check what nbval cannot: that lessons/ is exactly what the release builds, that it
leaks no instructor material, that sources were saved freshly executed, and that every
lesson has the structure the course promises.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from conftest import LESSONS, ROOT

from exocourse.authoring.release import release

INSTRUCTOR_MARKERS = (
    "BEGIN SOLUTION",
    "END SOLUTION",
    "BEGIN HIDDEN TESTS",
    "BEGIN MARK SCHEME",
    "Model answer (instructor",
    "Mark scheme",
)


def source(lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)


def student(lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "lessons" / lesson / f"{lesson}.ipynb", as_version=4)


def grade_cells(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def test_there_are_lessons():
    assert "01-exosome-biology" in LESSONS


def test_release_reproduces_the_committed_lessons_exactly(tmp_path):
    written = release(ROOT, out=tmp_path)
    assert sorted(p.parent.name for p in written) == LESSONS
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(ROOT / "lessons")
        for p in (ROOT / "lessons").rglob("*")
        if p.is_file() and ".ipynb_checkpoints" not in p.parts
    )
    assert built == committed, "lessons/ holds files the release does not make, or lacks some"
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (ROOT / "lessons" / rel).read_bytes(), (
            f"lessons/{rel} is stale: run `exocourse release` and commit the result"
        )


@pytest.mark.parametrize("lesson", LESSONS)
def test_student_version_has_no_instructor_material_and_no_outputs(lesson):
    nb = student(lesson)
    for cell in nb.cells:
        for marker in INSTRUCTOR_MARKERS:
            assert marker not in cell.source, f"{lesson}: student version contains {marker!r}"
        if cell.cell_type == "code":
            assert not cell.outputs, f"{lesson}: student version carries outputs"
            assert cell.execution_count is None
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert answers and all(
        "raise NotImplementedError()" in c.source or c.source == "YOUR ANSWER HERE" for c in answers
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_source_was_saved_freshly_executed_top_to_bottom(lesson):
    code = [c for c in source(lesson).cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), (
        f"{lesson}: cells were not run once, in order, from a fresh kernel: "
        f"run `exocourse execute {lesson}`"
    )
    for cell in code:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{lesson}: a saved output is an error: {errors[0].ename}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_structure(lesson):
    nb = source(lesson)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for heading in ["**Questions**", "**Learning objectives", "**Time:**", "**Prerequisites:**"]:
        assert heading in nb.cells[0].source, f"{lesson}: the first cell lacks {heading}"
    assert "## Key points" in text, f"{lesson}: no Key points section"
    references = nb.cells[-1].source
    assert references.startswith("## References"), f"{lesson}: the last cell must be the references"
    assert len(re.findall(r"doi:10\.\d{4,}/\S+", references)) >= 3, (
        f"{lesson}: references lack DOIs"
    )
    graded = grade_cells(nb)
    autograded = [c for c in graded if c.cell_type == "code"]
    written = [c for c in graded if c.cell_type == "markdown"]
    assert len(autograded) >= 5, f"{lesson}: fewer than 5 autograded exercises"
    assert len(written) >= 2, f"{lesson}: fewer than 2 written answers"
    for cell in written:
        assert "Mark scheme" in cell.source, f"{lesson}: written answer without a mark scheme"
    for cell in autograded:
        visible = cell.source.split("### BEGIN HIDDEN TESTS")[0]
        assert "### BEGIN HIDDEN TESTS" in cell.source, f"{lesson}: a test cell has no hidden tests"
        assert "expect_" in visible or "assert" in visible, f"{lesson}: a test cell checks nothing"
    uses_data = any("data.load(" in c.source for c in nb.cells if c.cell_type == "code")
    if uses_data:
        assert "synthetic" in text.lower(), f"{lesson} loads data but never says it is synthetic"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_figure_is_followed_by_a_sentence(lesson):
    cells = source(lesson).cells
    for i, cell in enumerate(cells):
        has_figure = cell.cell_type == "code" and any(
            "image/png" in o.get("data", {}) for o in cell.outputs
        )
        if has_figure:
            after = cells[i + 1] if i + 1 < len(cells) else None
            assert after is not None and after.cell_type == "markdown", (
                f"{lesson}: figure in cell {i} is not followed by a markdown cell that explains it"
            )
    for cell in cells:
        if cell.cell_type == "markdown":
            for alt in re.findall(r"!\[([^\]]*)\]\(", cell.source):
                assert alt.strip(), f"{lesson}: a markdown image has no alt text"


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebooks_use_the_python3_kernel_and_load_data_through_the_package(lesson):
    nb = source(lesson)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"read_csv\(|open\(|\.\./", code), (
        f"{lesson}: load data with exocourse.data.load(), never by a path"
    )


def test_nbgrader_config_points_at_the_single_source():
    text = (ROOT / "nbgrader_config.py").read_text()
    assert "configure(" in text
    data = json.loads((ROOT / "solutions" / LESSONS[0] / f"{LESSONS[0]}.ipynb").read_text())
    assert data["nbformat"] == 4


@pytest.mark.skipif("05-design-your-trial" not in LESSONS, reason="no Lesson 5 here")
def test_lesson_5_runs_to_its_end_with_the_largest_wilcoxon_protocol_at_week_4(tmp_path):
    """The protocol cell invites a Wilcoxon test and a week-4 primary visit: the lesson must
    run to its end with both, at the largest Wilcoxon enrolment it registers (a Wilcoxon
    protocol once broke section 5). ``execute_notebook`` raises on any cell's error."""
    from exocourse import capstone
    from exocourse.authoring.execute import execute_notebook

    nb = source("05-design-your-trial")
    cell = next(c for c in nb.cells if c.metadata.get("exocourse", {}).get("declares"))
    n = capstone.MAX_WILCOXON_ENROLMENT
    cell.source = f'MY_PROTOCOL = capstone.Protocol(n={n}, primary_week=4, analysis="wilcoxon")'
    path = tmp_path / "lesson.ipynb"
    nbformat.write(nb, path)
    execute_notebook(path, timeout=120)
    ran = nbformat.read(path, as_version=4)
    printed = "".join(o.get("text", "") for c in ran.cells for o in c.get("outputs", []))
    assert f"n={n}" in printed and "analysis='wilcoxon'" in printed
