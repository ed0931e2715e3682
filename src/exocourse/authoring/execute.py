"""Run source notebooks top to bottom and save them with fresh outputs."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from exocourse.student import ID_VARIABLES


def execute_notebook(path: Path, timeout: int = 600) -> None:
    """Execute the notebook at ``path`` in a fresh ``python3`` kernel and save it in place.

    The notebook is written only after every cell ran; on an error the file is untouched.
    The kernel never sees a student id (``exocourse.student.ID_VARIABLES``), so a lesson
    that reads one saves the outputs of the documented default, whoever runs the command.
    """
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,  # timestamps would make every re-run a whole-file diff
        # Widget state is a stale copy of the last run (an explorer's figures as PNGs) that the
        # release would carry into the student notebook; readers without a kernel get a static
        # figure in the lesson instead.
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute(env={k: v for k, v in os.environ.items() if k not in ID_VARIABLES})
    nbformat.write(notebook, path)
