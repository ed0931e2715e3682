"""Writing grading state safely, and what nbgrader reads beside a submitted notebook.

A submission's original file is only ever read. Where a grading step copies it, the
``timestamp.txt`` that ``nbgrader collect`` wrote beside it goes along
(:func:`copy_timestamp`), so late submissions stay visible.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

#: The file ``nbgrader collect`` writes beside a submitted notebook.
TIMESTAMP = "timestamp.txt"


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a
    part: write a temporary file in the same folder, then rename it.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "r.json"
    >>> write_atomic(target, "{}")
    >>> target.read_text()
    '{}'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_timestamp(submission: Path, copy: Path) -> None:
    """Put the ``timestamp.txt`` that ``nbgrader collect`` wrote beside ``submission`` beside
    its ``copy`` too, when the submission is in nbgrader's layout (named as the copy is).

    >>> import tempfile
    >>> here = Path(tempfile.mkdtemp())
    >>> for folder in ("in", "out"):
    ...     (here / folder).mkdir()
    >>> _ = (here / "in" / TIMESTAMP).write_text("2026-01-01 00:00:00")
    >>> copy_timestamp(here / "in" / "x.ipynb", here / "out" / "x.ipynb")
    >>> (here / "out" / TIMESTAMP).read_text()
    '2026-01-01 00:00:00'
    """
    stamp = submission.with_name(TIMESTAMP)
    if submission.name == copy.name and stamp.is_file():
        shutil.copyfile(stamp, copy.with_name(TIMESTAMP))
