"""The ``exocourse`` command (also ``python -m exocourse``).

Subcommands: ``release`` builds the student notebooks, ``execute`` re-runs the source
notebooks so their saved outputs are fresh, ``data`` regenerates or checks the datasets.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import CourseError, check_lesson, find_root, lessons


def _cmd_release(args: argparse.Namespace) -> int:
    from .release import release

    for path in release(args.root, args.out, args.lesson or None):
        print(f"released {path.relative_to(path.parents[2])}")
    return 0


def _cmd_execute(args: argparse.Namespace) -> int:
    from .execute import execute_notebook

    for name in [check_lesson(args.root, n) for n in args.lesson] or lessons(args.root):
        print(f"executing solutions/{name}/{name}.ipynb ...", flush=True)
        execute_notebook(args.root / "solutions" / name / f"{name}.ipynb")
    return 0


def _cmd_data(args: argparse.Namespace) -> int:
    from .datasets import generate

    return generate.main(["--check"] if args.check else [])


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
