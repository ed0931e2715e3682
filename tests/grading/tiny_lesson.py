"""A small lesson built in memory for the grading tests, so that editing a real lesson
never breaks a package test.

Six autograded exercises (``ex1`` .. ``ex6``, each with visible and hidden tests, the
hidden ones a probe; ``test_ex2`` is worth 2 points), a locked ``setup`` cell at the top, a locked
``more_data`` cell between Exercises 2 and 3, and a written answer ``w1`` after
Exercise 3. :func:`release` is what nbgrader's release makes of the source.
"""

from __future__ import annotations

import copy

import nbformat
from nbformat import NotebookNode

v4 = nbformat.v4
EXERCISES = 6
STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float = 0) -> dict:
    meta = {"schema_version": 3, "grade_id": grade_id, "grade": grade, "solution": solution}
    meta |= {"locked": locked, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def hidden(k: int) -> list[str]:
    """The hidden-test lines of exercise ``k``: a probe of ``ans{k}`` tripled."""
    return [
        "from exocourse.probes import probe",
        f"probe('ans{k} tripled', lambda: ans{k} * 3, hint='ans{k} is {k}')",
    ]


def expected(k: int) -> dict:
    """The probe record the solution's hidden tests of exercise ``k`` print."""
    probe = {"label": f"ans{k} tripled", "value": 3 * k, "rtol": 1e-9, "atol": 0.0}
    return {"cell": f"test_ex{k}", "probes": [probe | {"hint": f"ans{k} is {k}"}], "kernel": KERNEL}


#: The code-rewriting hooks of the solution's kernel in these records (a submission's kernel
#: is compared with them; see :func:`exocourse.probes.kernel_state`).
KERNEL = {"input_transformers_post": 0, "input_transformers_cleanup": 3, "ast_transformers": 0}


def source() -> NotebookNode:
    """The source notebook: solutions, hidden tests, a model answer."""
    cells = [
        v4.new_markdown_cell("# Tiny lesson"),
        v4.new_code_cell(
            "DATA = [1, 2, 3]", metadata=_meta("setup", grade=False, solution=False, locked=True)
        ),
    ]
    for k in range(1, EXERCISES + 1):
        cells.append(v4.new_markdown_cell(f"### Exercise {k} - answer {k}"))
        cells.append(
            v4.new_code_cell(
                f"### BEGIN SOLUTION\nans{k} = {k}\n### END SOLUTION",
                metadata=_meta(f"ex{k}", grade=False, solution=True, locked=False),
            )
        )
        test = "\n".join(
            [f"assert ans{k} > 0, 'ans{k} should be positive'", "### BEGIN HIDDEN TESTS"]
            + hidden(k)
            + ["### END HIDDEN TESTS"]
        )
        points = 2 if k == 2 else 1
        cells.append(
            v4.new_code_cell(
                test,
                metadata=_meta(
                    f"test_ex{k}", grade=True, solution=False, locked=True, points=points
                ),
            )
        )
        if k == 2:
            cells.append(
                v4.new_code_cell(
                    "MORE = [4, 5]",
                    metadata=_meta("more_data", grade=False, solution=False, locked=True),
                )
            )
        if k == 3:
            cells.append(v4.new_markdown_cell("### Written 1 - explain"))
            cells.append(
                v4.new_markdown_cell(
                    "A model answer.",
                    metadata=_meta("w1", grade=True, solution=True, locked=False, points=2),
                )
            )
    return v4.new_notebook(cells=cells)


def release() -> NotebookNode:
    """The student version: solutions replaced by stubs, hidden tests removed."""
    nb = copy.deepcopy(source())
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = STUB if cell.cell_type == "code" else "YOUR ANSWER HERE"
        elif meta.get("grade") and cell.cell_type == "code":
            cell.source = cell.source.split("\n### BEGIN HIDDEN TESTS")[0]
    return nb
