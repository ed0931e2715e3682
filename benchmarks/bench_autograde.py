"""Benchmark: ``exocourse autograde --jobs 2`` against plain serial ``nbgrader autograde``.

Both grade the same N copies (default 40) of the Lesson 1 source notebook, each under its
own student name, in nbgrader's ``<student>/<lesson>/<lesson>.ipynb`` layout in a
temporary folder; each starts from an empty gradebook, and both times include
registering the lesson (``nbgrader generate_assignment``; exocourse does it once per
version of the tests). Run from the repository root:

    .venv/bin/python benchmarks/bench_autograde.py            # 40 submissions
    .venv/bin/python benchmarks/bench_autograde.py --n 6      # a quick check

It prints both times and their ratio (nbgrader time / exocourse time); on a 2-core
machine the aim is at least 1.7. The two commands run one after the other in the same
process, so other load on the machine affects both. exocourse runs each kernel in its
sandbox (the default); the benchmark also prints what the sandbox costs per notebook: the
time to start a kernel and run one trivial cell, in the sandbox and without, averaged.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01-exosome-biology"
CONFIG = """\
c = get_config()  # noqa: F821
c.CourseDirectory.root = {course!r}
c.CourseDirectory.source_directory = {source!r}
c.CourseDirectory.release_directory = {release!r}
c.CourseDirectory.submitted_directory = {submitted!r}
c.CourseDirectory.autograded_directory = {autograded!r}
c.CourseDirectory.feedback_directory = {feedback!r}
c.CourseDirectory.db_url = {db_url!r}
c.Execute.timeout = 60
"""


def make_submissions(folder: Path, count: int) -> list[str]:
    """``count`` copies of the Lesson 1 source notebook, one per student."""
    source = ROOT / "solutions" / LESSON / f"{LESSON}.ipynb"
    students = [f"student{i:03d}" for i in range(1, count + 1)]
    for student in students:
        target = folder / student / LESSON / f"{LESSON}.ipynb"
        target.parent.mkdir(parents=True)
        shutil.copyfile(source, target)
    return students


def environment() -> dict[str, str]:
    """This Python's bin folder first on PATH: nbgrader runs ``alembic`` from there."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}


def run(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=environment(), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{result.stderr[-3000:]}")
    return seconds


def time_nbgrader(submissions: Path, work: Path) -> tuple[float, float]:
    """Seconds for ``nbgrader generate_assignment`` and then ``nbgrader autograde``."""
    course = work / "nbgrader-course"
    course.mkdir()
    (course / "nbgrader_config.py").write_text(
        CONFIG.format(
            course=str(course),
            source=str(ROOT / "solutions"),
            release=str(course / "release"),
            submitted=str(submissions),
            autograded=str(course / "autograded"),
            feedback=str(course / "feedback"),
            db_url=f"sqlite:///{course / 'gradebook.db'}",
        )
    )
    nbgrader = str(Path(sys.executable).parent / "nbgrader")
    register = run([nbgrader, "generate_assignment", LESSON, "--force"], course)
    grade = run([nbgrader, "autograde", LESSON], course)
    graded = list((course / "autograded").glob(f"*/{LESSON}/{LESSON}.ipynb"))
    if len(graded) != len(list(submissions.iterdir())):
        raise SystemExit(f"nbgrader graded {len(graded)} notebooks, not all of them")
    return register, grade


def time_exocourse(submissions: Path, work: Path, jobs: int) -> float:
    """Seconds for one ``exocourse autograde --jobs JOBS`` into a fresh workspace."""
    workspace = work / "exocourse-workspace"
    command = [sys.executable, "-m", "exocourse", "--root", str(ROOT), "autograde"]
    command += [str(submissions), "--lesson", LESSON, "--workspace", str(workspace)]
    command += ["--jobs", str(jobs), "--timeout", "60"]
    seconds = run(command, ROOT)
    results = list((workspace / "autograde" / LESSON / "results").glob("*.json"))
    if len(results) != len(list(submissions.iterdir())):
        raise SystemExit(f"exocourse graded {len(results)} notebooks, not all of them")
    return seconds


def kernel_seconds(work: Path, repeat: int = 7) -> tuple[float, float]:
    """Median seconds to start a kernel, run ``1 + 1`` and stop it, sandboxed and not
    (the two alternate, so a change in the machine's load hits both alike)."""
    import nbformat
    from nbclient import NotebookClient
    from traitlets.config import Config

    from exocourse.grading.sandbox import SandboxKernelManager

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    cwd = work / "kernel-cwd"
    cwd.mkdir(exist_ok=True)
    times: dict[bool, list[float]] = {True: [], False: []}
    for i in range(repeat):
        for sandboxed in (True, False):
            config = Config()
            options = {}
            if sandboxed:
                config.SandboxKernelManager.folder = str(work / f"sandbox-{i}")
                options["kernel_manager_class"] = SandboxKernelManager
            started = time.perf_counter()
            NotebookClient(nb, timeout=60, config=config, **options).execute(cwd=str(cwd))
            times[sandboxed].append(time.perf_counter() - started)
    return statistics.median(times[True]), statistics.median(times[False])


def solution_seconds() -> float:
    """Seconds for the trusted side: the lesson's hidden tests run once on its solution."""
    import nbformat

    from exocourse.grading.expected import expected_records, grading_source

    source = nbformat.read(ROOT / "solutions" / LESSON / f"{LESSON}.ipynb", as_version=4)
    started = time.perf_counter()
    expected_records(grading_source(source), LESSON)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=40, help="number of submissions (default 40)")
    parser.add_argument("--jobs", type=int, default=2, help="exocourse --jobs (default 2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="exocourse-bench-") as tmp:
        work = Path(tmp)
        submissions = work / "submitted"
        make_submissions(submissions, args.n)
        print(f"{args.n} submissions of {LESSON}; {os.cpu_count()} cores", flush=True)
        ours = time_exocourse(submissions, work, args.jobs)
        print(f"exocourse autograde --jobs {args.jobs}: {ours:6.1f} s", flush=True)
        register, grade = time_nbgrader(submissions, work)
        theirs = register + grade
        print(
            f"nbgrader (serial):          {theirs:6.1f} s "
            f"(generate_assignment {register:.1f} s + autograde {grade:.1f} s)"
        )
        print(f"ratio nbgrader / exocourse: {theirs / ours:.2f}x")
        inside, outside = kernel_seconds(work)
        print(
            f"sandbox cost per notebook:  {inside - outside:6.2f} s "
            f"(median kernel start and one cell: {inside:.2f} s sandboxed, {outside:.2f} s not)"
        )
        trusted = solution_seconds()
        print(
            f"trusted side (the hidden tests on the solution, once per version of the tests): "
            f"{trusted:.1f} s, {trusted / args.n:.2f} s per notebook of this batch"
        )


if __name__ == "__main__":
    main()
