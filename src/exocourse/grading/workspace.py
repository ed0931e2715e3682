"""Where the grading state of one lesson lives, and its template gradebook.

``<workspace>/autograde/<lesson>/`` holds ``results/<student>.json``, the autograded
notebooks (``graded/``), feedback pages, logs and ``template/<version>/``: a gradebook
with only this lesson registered, built once per version of its tests, that every
submission's private course starts from.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import nbformat

from ..authoring.nbgrader_course import nbgrader_api, register
from .lessonspec import LessonSpec, build_spec, fingerprint
from .results import SubmissionResult, read_result


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


def prepare(root: Path, lesson: str, lw: LessonWorkspace) -> tuple[Path, LessonSpec]:
    """Register ``lesson`` in a template gradebook (once per version of its tests) and read
    its graded structure. Returns the template folder and the spec."""
    source_path = root / "solutions" / lesson / f"{lesson}.ipynb"
    source = nbformat.read(source_path, as_version=4)
    template = lw.templates / fingerprint(source)[:16]
    release_path = template / "release" / lesson / f"{lesson}.ipynb"
    if not (template / "gradebook.db").is_file() or not release_path.is_file():
        _build_template(root, lesson, template)
    release = nbformat.read(release_path, as_version=4)
    return template, build_spec(lesson, source, release)


def _build_template(root: Path, lesson: str, template: Path) -> None:
    template.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=template.parent, prefix=".build-"))
    try:
        register(nbgrader_api(root, building, building / "release"), lesson)
        try:
            os.rename(building, template)
        except OSError:  # another run built it meanwhile: use theirs
            if not (template / "gradebook.db").is_file():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
