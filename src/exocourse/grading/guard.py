"""What keeps one grading run honest: a kernel that dies or hangs never yields a pass, and
the grading process and its kernel run with limits, a private package copy and a quiet
environment.

:class:`GuardedExecute` replaces nbgrader's ``Execute``: when the kernel dies, the cell
that killed it gets a ``DeadKernelError`` error output and every later code cell gets a
``CellNotRun`` error, so nbgrader scores those test cells 0 instead of reading "no error
output" as full marks (nbgrader issue 427).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Unicode

from ..authoring.course import tools_on_path

NOT_RUN = "CellNotRun"  # ename of the error we put on cells that never ran
KERNEL_DIED_WHY = "the code ended the Python process, e.g. with os._exit(), or crashed it"


class GuardedExecute(Execute):
    """nbgrader's Execute, except that a kernel that dies or hangs never yields a pass.

    When the kernel dies, the cell that killed it gets a ``DeadKernelError`` error output
    and every later code cell gets a ``CellNotRun`` error: nbgrader then scores those test
    cells 0 instead of reading "no error output" as full marks (nbgrader issue 427).
    """

    pid_file = Unicode("", help="write the kernel's process id here").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._stopped = ""
        return super().preprocess(nb, resources, km)

    async def async_start_new_kernel(self, **kwargs):
        await super().async_start_new_kernel(**kwargs)
        pid = getattr(getattr(self.km, "provisioner", None), "pid", None)
        if self.pid_file and pid:
            Path(self.pid_file).write_text(str(pid))

    start_new_kernel = run_sync(async_start_new_kernel)  # the base binds its own version

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._stopped:
            cell.outputs = [_error(NOT_RUN, f"this cell was not run: {self._stopped}")]
            return cell, resources
        started = time.monotonic()
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stopped = "the Python kernel died in an earlier cell"
            why = f"the Python kernel died in this cell ({KERNEL_DIED_WHY})"
            cell.outputs.append(_error("DeadKernelError", why))
        except CellTimeoutError:
            # raised here only when output went missing after the reply or an interrupt
            if time.monotonic() - started >= (self.timeout or 0):
                self._stopped = "an earlier cell ran too long and did not stop when interrupted"
                evalue = f"the cell ran longer than {self.timeout} s and ignored the interrupt"
            else:
                evalue = "the cell's output did not arrive in time (too much output?)"
            cell.outputs.append(_error("CellTimeoutError", evalue))
        return cell, resources


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])


def set_limits(memory_mb: int, cpu_seconds: int) -> None:
    """Limit this process and the kernel it starts (limits are inherited): address space,
    CPU time, and no core files. Silently skipped where the OS does not support a limit."""
    try:
        import resource
    except ImportError:  # not on POSIX
        return
    wanted = [
        ("RLIMIT_AS", memory_mb * 2**20, memory_mb * 2**20),
        ("RLIMIT_CPU", cpu_seconds, cpu_seconds + 5),
        ("RLIMIT_CORE", 0, 0),
    ]
    for name, soft, hard in wanted:
        if hasattr(resource, name):
            try:
                resource.setrlimit(getattr(resource, name), (soft, hard))
            except (ValueError, OSError):
                pass


def private_package(package: Path, datasets: Path, dest: Path) -> None:
    """Copy the ``exocourse`` package (with its datasets) to ``dest/exocourse``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(package, dest / "exocourse", ignore=ignore)
    if not (dest / "exocourse" / "datasets" / "SHA256SUMS").is_file():
        shutil.copytree(datasets, dest / "exocourse" / "datasets", ignore=ignore)


def isolate_environment(private: Path) -> None:
    """Environment inherited by the kernel: import the private package copy first, one
    BLAS thread (several gradings share the cores), a non-interactive plot backend."""
    tools_on_path()
    paths = [str(private), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    for var in ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"]:
        os.environ[var] = "1"
    os.environ["MPLBACKEND"] = "Agg"
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
