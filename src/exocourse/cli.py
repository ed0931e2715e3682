"""The ``exocourse`` command (also ``python -m exocourse``).

Subcommands: ``release`` builds the student notebooks, ``execute`` re-runs the source
notebooks so their saved outputs are fresh, ``data`` regenerates or checks the datasets,
``site`` builds the course website;
for instructors, ``autograde`` grades a class in parallel, ``grades`` writes the grade
sheet and ``feedback`` one HTML page per student.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .authoring.course import CourseError, check_lesson, default_workspace, find_root, lessons


def _cmd_release(args: argparse.Namespace) -> int:
    from .authoring.release import release

    for path in release(args.root, args.out, args.lesson or None):
        print(f"released {path.relative_to(path.parents[2])}")
    return 0


def _cmd_execute(args: argparse.Namespace) -> int:
    from .authoring.execute import execute_notebook

    for name in [check_lesson(args.root, n) for n in args.lesson] or lessons(args.root):
        print(f"executing solutions/{name}/{name}.ipynb ...", flush=True)
        execute_notebook(args.root / "solutions" / name / f"{name}.ipynb")
    return 0


def _cmd_data(args: argparse.Namespace) -> int:
    from .datasets import generate

    return generate.main(["--check"] if args.check else [])


def _cmd_site(args: argparse.Namespace) -> int:
    try:
        from .authoring.site import build_site
    except ImportError as exc:
        raise CourseError(
            f'the site tools are not installed ({exc.name}): pip install -e ".[site]"'
        ) from exc

    out = args.out or args.root / "build" / "site"
    report = build_site(args.root, out, args.hub_url)
    print(f"built {len(report.pages)} pages in {report.seconds:.0f} s into {report.out}")
    print(f"preview: python -m http.server -d {report.out}")
    return 0


def _summary(result) -> str:
    points, maximum = result.total()
    counts: dict[str, int] = {}
    for q in result.questions:
        counts[q.status] = counts.get(q.status, 0) + 1
    detail = ", ".join(f"{n} {status}" for status, n in counts.items())
    return f"{result.student}: {points:g}/{maximum:g} points ({detail})"


def _cmd_autograde(args: argparse.Namespace) -> int:
    from .grading.batch import autograde, default_jobs
    from .grading.progress import Progress
    from .grading.workspace import LessonWorkspace

    lesson = check_lesson(args.root, args.lesson)
    workspace = args.workspace or default_workspace()
    jobs = args.jobs or default_jobs()
    bar: list[Progress] = []

    def on_start(count: int) -> None:
        if count:
            print(f"grading {count} submission(s) of {lesson} with {jobs} job(s)", flush=True)
        bar.append(Progress(count))

    try:
        report = autograde(
            args.root,
            lesson,
            args.submissions,
            workspace,
            jobs=jobs,
            timeout=args.timeout,
            submission_timeout=args.submission_timeout,
            memory_mb=args.memory,
            force=args.force,
            sandbox=not args.no_sandbox,
            on_start=on_start,
            on_result=lambda result: bar[0].advance(_summary(result)),
        )
    except KeyboardInterrupt:
        print(
            "\ninterrupted: finished submissions are saved; run the same command again to "
            "grade the rest",
            file=sys.stderr,
        )
        return 130
    finally:
        if bar:
            bar[0].close()
    lw = LessonWorkspace(workspace, lesson)
    if not report.results and not report.unmatched:
        raise CourseError(
            f"no submissions of {lesson} in {args.submissions}: expected "
            f"<student>/{lesson}/{lesson}.ipynb or <student>_{lesson}.ipynb"
        )
    if report.skipped:
        print(
            f"{len(report.skipped)} submission(s) already graded (same file, same tests): "
            "skipped; --force grades them again"
        )
    for item in report.unmatched:
        print(f"not graded: {item.path.name}: {item.reason}", file=sys.stderr)
    for student, result in report.results.items():
        if student not in report.skipped:
            for note in result.notes:
                print(f"note: {student}: {note}", file=sys.stderr)
    print(f"{len(report.graded)} graded in {report.seconds:.0f} s; results in {lw.results}")
    if report.results and not args.no_gradebook:
        from .grading.gradebook import record

        template_db = report.template / "gradebook.db" if report.template else None
        for warning in record(args.root, workspace, lesson, report.results, template_db):
            print(f"warning: {warning}", file=sys.stderr)
    if report.damaged:
        print(
            "DANGER: installed data files changed during grading: "
            f"{', '.join(report.damaged)}. A submission wrote outside its private copy; "
            "restore them (reinstall the package, or `git checkout datasets`) before grading "
            "more, and see the instructor guide on running student code safely.",
            file=sys.stderr,
        )
        return 1
    # the grade sheet holds student data: suggest a place outside the repository
    print(f"next: exocourse grades --lesson {lesson} --out {lw.dir / 'grades.csv'}")
    print(f"      exocourse feedback --lesson {lesson}")
    return 0


def _results(args: argparse.Namespace):
    from .grading.workspace import LessonWorkspace

    lesson = check_lesson(args.root, args.lesson)
    workspace = args.workspace or default_workspace()
    lw = LessonWorkspace(workspace, lesson)
    results = lw.load_results()
    if not results:
        raise CourseError(
            f"no graded submissions of {lesson} in {lw.results}: run "
            f"`exocourse autograde SUBMISSIONS --lesson {lesson}` first"
        )
    for item in lw.unmatched():
        print(f"not graded: {item['path']}: {item['reason']}", file=sys.stderr)
    return lw, results


def _cmd_grades(args: argparse.Namespace) -> int:
    from .grading import gradesheet
    from .grading.gradebook import manual_scores

    lw, results = _results(args)
    results = gradesheet.apply_manual(results, manual_scores(lw.workspace, lw.lesson))
    totals = gradesheet.write(results, args.out, args.totals)
    count = sum(len(r.questions) for r in results.values())
    print(f"wrote {args.out} ({count} rows, {len(results)} student(s)) and {totals}")
    return 0


def _cmd_feedback(args: argparse.Namespace) -> int:
    from .grading import feedback, gradesheet
    from .grading.gradebook import manual_scores

    lw, results = _results(args)
    if args.student:
        unknown = sorted(set(args.student) - set(results))
        if unknown:
            raise CourseError(f"no graded submission for: {', '.join(unknown)}")
        results = {s: results[s] for s in args.student}
    results = gradesheet.apply_manual(results, manual_scores(lw.workspace, lw.lesson))
    out = args.out or lw.feedback
    written = feedback.write_all(results, out)
    print(f"wrote {len(written)} feedback page(s) to {out}")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text}")
    return value


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``exocourse`` command."""
    p = argparse.ArgumentParser(
        prog="exocourse", description="Tools for the Exosomes on Trial course."
    )
    p.add_argument(
        "--root",
        type=Path,
        default=None,
        help="course repository (default: found from the current folder)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("release", help="build lessons/ (student notebooks) from solutions/")
    r.add_argument("lesson", nargs="*", help="lessons to build (default: all)")
    r.add_argument("--out", type=Path, default=None, help="release folder (default: lessons/)")
    r.set_defaults(func=_cmd_release)

    e = sub.add_parser(
        "execute", help="re-run source notebooks top to bottom and save their outputs"
    )
    e.add_argument("lesson", nargs="*", help="lessons to run (default: all)")
    e.set_defaults(func=_cmd_execute)

    d = sub.add_parser(
        "data", help="rebuild the synthetic datasets and SHA256SUMS from the generator"
    )
    d.add_argument("--check", action="store_true", help="only check; exit 1 if a file differs")
    d.set_defaults(func=_cmd_data)

    s = sub.add_parser(
        "site", help="build the course website (static HTML, offline, outputs not re-run)"
    )
    s.add_argument("--out", type=Path, default=None, help="folder (default: build/site)")
    s.add_argument(
        "--hub-url",
        default=None,
        help="a JupyterHub with nbgitpuller, e.g. https://hub.example.org: lesson pages then "
        "link to open the lesson there too",
    )
    s.set_defaults(func=_cmd_site)

    workspace = argparse.ArgumentParser(add_help=False)
    workspace.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help="grading state folder (default: $EXOCOURSE_WORKSPACE or ~/.cache/exocourse)",
    )
    workspace.add_argument("--lesson", required=True, help="lesson name, e.g. 01-exosome-biology")

    a = sub.add_parser(
        "autograde",
        parents=[workspace],
        help="grade a class's submissions in parallel (originals are never modified)",
        description="Grade every submission of a lesson in parallel. SUBMISSIONS holds "
        "<student>/<lesson>/<lesson>.ipynb (nbgrader's layout) and/or files named "
        "<student>_<lesson>.ipynb (LMS downloads, renamed to this pattern). Already graded "
        "submissions (same file, same tests) are skipped, so an interrupted run resumes.",
    )
    a.add_argument("submissions", type=Path, help="folder of submissions")
    a.add_argument(
        "--jobs", type=_positive, default=None, help="parallel gradings (default: all cores)"
    )
    a.add_argument("--timeout", type=_positive, default=60, help="seconds per cell (default: 60)")
    a.add_argument(
        "--submission-timeout",
        type=_positive,
        default=None,
        help="seconds for a whole submission (default: 10 x --timeout)",
    )
    a.add_argument(
        "--memory",
        type=_positive,
        default=4096,
        help="memory limit per submission in MB (address space; default: 4096)",
    )
    a.add_argument("--force", action="store_true", help="grade again what is already graded")
    a.add_argument(
        "--no-sandbox",
        action="store_true",
        help="run the notebooks without the OS sandbox (bubblewrap), with your rights: only "
        "where none can be made, e.g. in a throw-away virtual machine (results say so)",
    )
    a.add_argument(
        "--no-gradebook",
        action="store_true",
        help="do not record results in the course gradebook used by nbgrader's formgrader",
    )
    a.set_defaults(func=_cmd_autograde)

    g = sub.add_parser(
        "grades",
        parents=[workspace],
        help="write the grade sheet: one row per student and question, plus totals",
    )
    g.add_argument("--out", type=Path, required=True, help="CSV file to write, e.g. grades.csv")
    g.add_argument(
        "--totals",
        type=Path,
        default=None,
        help="per-student totals CSV (default: beside --out, named <out>-totals.csv)",
    )
    g.set_defaults(func=_cmd_grades)

    f = sub.add_parser(
        "feedback",
        parents=[workspace],
        help="write one HTML feedback page per student (never shows test code)",
    )
    f.add_argument("--out", type=Path, default=None, help="folder (default: in the workspace)")
    f.add_argument("--student", nargs="*", default=None, help="only these students")
    f.set_defaults(func=_cmd_feedback)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the ``exocourse`` command line."""
    args = parser().parse_args(argv)
    try:
        if args.command != "data":
            args.root = find_root(args.root)
        return args.func(args)
    except CourseError as exc:
        print(f"exocourse: {exc}", file=sys.stderr)
        return 2
