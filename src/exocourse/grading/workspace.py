"""Where the grading state of one lesson lives, and its template gradebook.

``<workspace>/autograde/<lesson>/`` holds ``results/<student>.json``, the autograded
notebooks (``graded/``), feedback pages, logs and ``template/<version>/``, built once per
version of the lesson's tests: its grading version, a gradebook with only this lesson
registered (every submission's private course starts from it) and the solution's probe
records. A version is that of the lesson's graded cells *and* of the installed package its
kernels import (:func:`package_digest`): after a fix to the package the solution runs again
and every submission is graded again, so no mark rests on values computed by older code. A
lesson that reads the student id (``spec.per_student``) gets its records per student
instead, computed when that student is graded (:func:`student_expected`, with the choices the
student declared) and kept in ``template/<version>/expected/``; other lessons run the
solution once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import nbformat

from .. import data
from ..authoring.course import CourseError
from ..authoring.nbgrader_course import nbgrader_api, register
from ..digest import sha256
from .declared import DeclarationError, with_declared
from .expected import expected_records, write_grading_source
from .lessonspec import LessonSpec, build_spec, fingerprint, reads_student_id
from .results import SubmissionResult, read_result

#: The solution's probe records, by test cell, in a template folder.
EXPECTED = "expected.json"
#: The folder of a per-student lesson's records, one file per student, in a template folder.
PER_STUDENT = "expected"


class LessonWorkspace:
    """Where grading state of one lesson lives: ``<workspace>/autograde/<lesson>/``."""

    def __init__(self, workspace: Path, lesson: str) -> None:
        self.workspace = Path(workspace)
        self.lesson = lesson
        self.dir = self.workspace / "autograde" / lesson
        self.results = self.dir / "results"
        self.graded = self.dir / "graded"
        self.feedback = self.dir / "feedback"
        self.logs = self.dir / "logs"
        self.templates = self.dir / "template"

    def result_path(self, student: str) -> Path:
        return self.results / f"{student}.json"

    def load_results(self) -> dict[str, SubmissionResult]:
        """Every stored result of this lesson, by student."""
        results = {}
        for path in sorted(self.results.glob("*.json")):
            result = read_result(path)
            if result is not None:
                results[result.student] = result
        return results

    def unmatched(self) -> list[dict]:
        path = self.dir / "unmatched.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else []


def installed_folders() -> tuple[Path, Path]:
    """The installed ``exocourse`` package folder and its datasets folder."""
    return Path(data.__file__).parent, data.folder()


def package_digest() -> str:
    """SHA-256 over the installed package's code and data files (:func:`installed_folders`),
    by path: what the solution's and the students' kernels import.

    >>> package_digest() == package_digest()
    True
    """
    files = []
    for folder in dict.fromkeys(installed_folders()):
        files += [
            (p.relative_to(folder).as_posix(), sha256(p))
            for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
        ]
    return sha256(json.dumps(files))


def prepare(root: Path, lesson: str, lw: LessonWorkspace) -> tuple[Path, LessonSpec]:
    """Register ``lesson`` in a template gradebook and run its hidden tests on the solution
    (once per version of its tests); read its graded structure. Returns the template folder
    and the spec, with the solution's probe records as ``spec.expected``.

    The template holds the lesson's grading version (``course/solutions/<lesson>/``, see
    :mod:`.expected`), its gradebook, its release and ``expected.json``."""
    source_path = root / "solutions" / lesson / f"{lesson}.ipynb"
    source = nbformat.read(source_path, as_version=4)
    version = sha256(fingerprint(source) + package_digest())  # the tests and the package
    template = lw.templates / version[:16]
    release_path = template / "release" / lesson / f"{lesson}.ipynb"
    expected_path = template / EXPECTED
    if not all(p.is_file() for p in (template / "gradebook.db", release_path, expected_path)):
        _build_template(source_path, lesson, template)
    release = nbformat.read(release_path, as_version=4)
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    spec = build_spec(lesson, source, release)
    return template, replace(spec, expected=expected, fingerprint=version)


def student_expected(
    template: Path, lesson: str, student: str, declared: dict[str, Any] | None = None
) -> dict[str, dict]:
    """The solution's probe records of a per-student lesson when ``student`` is graded: its
    grading version run with that student id and the choices the student ``declared``
    (:mod:`.declared`), once per student, declaration and version of the tests.

    Raises :class:`~.declared.DeclarationError`, saying why, when the declared choices
    cannot be used or the solution cannot run with them."""
    declared = declared or {}
    key = sha256(json.dumps([student, declared], sort_keys=True))[:24]
    path = template / PER_STUDENT / f"{key}.json"
    if not path.is_file():
        rewritten = nbformat.read(
            template / "course" / "solutions" / lesson / f"{lesson}.ipynb", as_version=4
        )
        if declared:
            rewritten = with_declared(rewritten, declared)
        try:
            records = expected_records(rewritten, lesson, student=student)
        except CourseError as exc:
            if not declared:
                raise
            names = ", ".join(sorted(declared))
            raise DeclarationError(
                f"the solution cannot run with your declared {names}: {last_error(str(exc))}"
            ) from exc
        path.parent.mkdir(exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(records), encoding="utf-8")
        os.replace(partial, path)  # whole or not at all, even if two gradings race
    return json.loads(path.read_text(encoding="utf-8"))


def last_error(text: str) -> str:
    """The last ``SomeError: message`` line of a traceback's text (else its last line).

    >>> last_error("Traceback ...\\n  File x\\nValueError: n must be at most 1000\\n")
    'ValueError: n must be at most 1000'
    """
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)  # a kernel's traceback comes coloured
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception): ", line)]
    return (errors or lines or ["no message"])[-1]


def _build_template(source_path: Path, lesson: str, template: Path) -> None:
    template.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=template.parent, prefix=".build-"))
    try:
        rewritten = write_grading_source(source_path, building / "course")
        register(nbgrader_api(building / "course", building, building / "release"), lesson)
        records = {} if reads_student_id(rewritten) else expected_records(rewritten, lesson)
        (building / EXPECTED).write_text(json.dumps(records), encoding="utf-8")
        try:
            os.rename(building, template)
        except OSError:  # another run built it meanwhile: use theirs
            if not (template / EXPECTED).is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
