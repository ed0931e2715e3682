"""The operating-system sandbox a grading kernel runs in (bubblewrap).

:func:`command` wraps a command in ``bwrap``: no network, its own PID namespace (it dies
with its parent, and when it ends, everything it started ends with it), an empty root with
read-only views of the interpreter, the installed packages and the system libraries, the
given read-only and writable folders, a private ``/tmp`` and ``HOME``, and an environment
reduced to what a kernel needs (and the submission's student id). :func:`probe` says once
per batch whether a sandbox can be made here. :class:`SandboxKernelManager` starts a
Jupyter kernel in it: the kernel talks ZeroMQ over the ``ipc`` transport (Unix sockets in a
folder bound into the sandbox, beside the connection file), since the sandbox has no
network, and it is interrupted by a message on the control channel, since a signal to
``bwrap`` would end the sandbox.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode

from ..student import STUDENT_ID_VAR

BWRAP = "bwrap"
#: A Unix socket's path may hold about 107 bytes; ZeroMQ's ipc sockets are such paths.
MAX_SOCKET_PATH = 100
SHORT_RUN = "short-run-folder"  # names the /tmp folder used when the usual path is too long
HOME = "/tmp/home"  # the kernel's HOME, inside its private /tmp
SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]
ETC = ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime", "/etc/fonts"]
THREADS = ["OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"]
HOW_TO_FIX = (
    "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap) and allow unprivileged "
    "user namespaces for the grading account (sysctl kernel.unprivileged_userns_clone=1; "
    "on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0), or grade in a "
    "throw-away virtual machine with --no-sandbox"
)


class SandboxError(RuntimeError):
    """No sandbox can be made on this machine."""


def python_roots() -> list[Path]:
    """The folders the interpreter and its installed packages live in."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    return sorted(roots)


def environment(pythonpath: Sequence[str] = ()) -> dict[str, str]:
    """The whole environment of a sandboxed command: what a kernel needs, and the student id
    of the submission (:data:`~exocourse.student.STUDENT_ID_VAR`) when the grader set one."""
    path = [str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]
    env = {
        "PATH": os.pathsep.join(dict.fromkeys(path)),
        "HOME": HOME,
        "LANG": os.environ.get("LANG") or "C.UTF-8",
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
        **{var: "1" for var in THREADS},
    }
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(pythonpath)
    if os.environ.get(STUDENT_ID_VAR):
        env[STUDENT_ID_VAR] = os.environ[STUDENT_ID_VAR]
    return env


def command(
    argv: Sequence[str],
    *,
    readonly: Sequence[Path | str] = (),
    writable: Sequence[tuple[Path | str, Path | str]] = (),
    cwd: Path | str | None = None,
    pythonpath: Sequence[str] = (),
    bwrap: str = BWRAP,
) -> list[str]:
    """``argv`` prefixed with the ``bwrap`` options of the sandbox.

    ``readonly`` folders are seen at their own path; each ``(source, inside)`` pair of
    ``writable`` shows the folder ``source`` at the path ``inside``, writable.
    """
    args = [bwrap, "--unshare-all", "--die-with-parent", "--clearenv"]
    for var, value in environment(pythonpath).items():
        args += ["--setenv", var, value]
    for folder in SYSTEM:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        else:
            args += ["--ro-bind-try", folder, folder]
    for item in ETC:
        args += ["--ro-bind-try", item, item]
    args += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", HOME]
    for folder in [*python_roots(), *readonly]:
        args += ["--ro-bind", str(folder), str(folder)]
    for source, inside in writable:
        args += ["--bind", str(source), str(inside)]
    args += ["--remount-ro", "/"]  # the root and the mount points bwrap made in it
    args += ["--chdir", str(cwd or HOME), "--", *argv]
    return args


def probe(bwrap: str = BWRAP) -> None:
    """Raise :class:`SandboxError` saying why, if no sandbox can be made here."""
    found = shutil.which(bwrap)
    if found is None:
        raise SandboxError(f"bubblewrap ({bwrap}) is not installed; {HOW_TO_FIX}")
    try:
        done = subprocess.run(
            command([sys.executable, "-c", "pass"], bwrap=found),
            capture_output=True,
            text=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxError(f"bubblewrap could not be run ({exc}); {HOW_TO_FIX}") from exc
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise SandboxError(f"bubblewrap cannot make a sandbox here ({why}); {HOW_TO_FIX}")


class SandboxKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel runs in the sandbox of :func:`command`.

    ``folder`` is an empty private folder: the connection file and the kernel's ZeroMQ
    sockets go in ``folder/run`` (bound into the sandbox; in a short folder of ``/tmp``
    instead when that path is too long for a Unix socket), and the kernel's working folder
    is a copy of the one it is started in, made in ``folder/cwd``, so nothing the kernel
    writes there is ever read back by the grader.
    """

    folder = Unicode("", help="private folder for the sandbox's files").tag(config=True)
    pythonpath = Unicode("", help="folder the kernel imports first (read-only)").tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        run = Path(self.folder) / "run"
        if len(str(run / "kernel-ipc-0")) > MAX_SOCKET_PATH:  # a deep TMPDIR: go short
            run = Path(tempfile.mkdtemp(prefix="exocourse-ipc-", dir="/tmp"))
            Path(self.folder).mkdir(parents=True, exist_ok=True)
            (Path(self.folder) / SHORT_RUN).write_text(str(run))  # for remove_sandbox_files()
        run.mkdir(parents=True, exist_ok=True)
        self.run_folder = run
        self.connection_file = str(run / "kernel.json")
        self.ip = str(run / "kernel-ipc")

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        argv = super().format_kernel_cmd(extra_arguments)
        assert self.kernel_spec is not None
        self.kernel_spec.interrupt_mode = "message"  # SIGINT would end bwrap, and the kernel
        cwd = Path(self._launch_args.get("cwd") or os.getcwd()).resolve()
        copy = Path(self.folder) / "cwd"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(cwd, copy, symlinks=True)
        return command(
            argv,
            readonly=[self.pythonpath] if self.pythonpath else [],
            writable=[(copy, cwd), (self.run_folder, self.run_folder)],
            cwd=cwd,
            pythonpath=[self.pythonpath] if self.pythonpath else [],
        )


def remove_sandbox_files(folder: Path) -> None:
    """Remove a kernel's private ``folder`` and the short run folder it may have used."""
    note = folder / SHORT_RUN
    if note.is_file():
        shutil.rmtree(note.read_text().strip(), ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
