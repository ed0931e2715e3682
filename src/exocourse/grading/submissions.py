"""Finding a class's submissions of a lesson in a folder, in either layout (mixed is fine):

* nbgrader's: ``SUBMISSIONS/<student>/<lesson>/<lesson>.ipynb`` (what ``nbgrader collect``
  writes; a ``timestamp.txt`` beside the notebook is passed on to nbgrader);
* a flat folder of LMS downloads named ``<student>_<lesson>.ipynb``, for example
  ``ada_01-exosome-biology.ipynb`` (rename downloads to this pattern first).

A student id is letters, digits and ``. _ @ + -``. Files that match neither pattern are
reported, not guessed at.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> (folder / "ada_01-demo.ipynb").write_text("{}")
2
>>> (folder / "notes.ipynb").write_text("{}")
2
>>> found, unmatched = find_submissions(folder, "01-demo")
>>> [(s.student, s.path.name) for s in found]
[('ada', 'ada_01-demo.ipynb')]
>>> unmatched[0].reason
'the name is not <student>_01-demo.ipynb'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..authoring.course import CourseError

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]*$")


@dataclass(frozen=True)
class Submission:
    """One student's submission of a lesson; ``path`` is None when the notebook is absent."""

    student: str
    path: Path | None
    problem: str = ""


@dataclass(frozen=True)
class Unmatched:
    """A file in the submissions folder that could not be attributed to a student."""

    path: Path
    reason: str


def _is_other_lesson(name: str, lesson: str, others: list[str]) -> bool:
    return any(name.endswith(f"_{o}.ipynb") for o in others if o != lesson)


def find_submissions(
    folder: Path, lesson: str, other_lessons: list[str] | None = None
) -> tuple[list[Submission], list[Unmatched]]:
    """Find the submissions of ``lesson`` in ``folder`` (see the module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise CourseError(f"submissions folder {folder} does not exist or is not a folder")
    others = other_lessons or []
    found: dict[str, Submission] = {}
    unmatched: list[Unmatched] = []

    def add(sub: Submission, where: Path) -> None:
        if sub.student in found:
            first = found[sub.student].path or where
            raise CourseError(
                f"student {sub.student!r} has two submissions: {first} and {where}; "
                "remove one and run again"
            )
        found[sub.student] = sub

    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            lesson_dir = entry / lesson
            if not lesson_dir.is_dir():
                continue  # this student has no submission of this lesson
            if not STUDENT_ID.match(entry.name):
                unmatched.append(Unmatched(entry, "the folder name is not a valid student id"))
                continue
            notebook = lesson_dir / f"{lesson}.ipynb"
            if notebook.is_file():
                add(Submission(entry.name, notebook), notebook)
            else:
                present = sorted(p.name for p in lesson_dir.glob("*.ipynb"))
                seen = f"found: {', '.join(present)}" if present else "no notebook at all"
                problem = (
                    f"no {lesson}.ipynb in the submission folder ({seen}); rename the "
                    "student's notebook to that name and grade again"
                )
                add(Submission(entry.name, None, problem), lesson_dir)
        elif entry.suffix == ".ipynb":
            if _is_other_lesson(entry.name, lesson, others):
                continue
            suffix = f"_{lesson}.ipynb"
            student = entry.name[: -len(suffix)] if entry.name.endswith(suffix) else ""
            if not student:
                unmatched.append(Unmatched(entry, f"the name is not <student>_{lesson}.ipynb"))
            elif not STUDENT_ID.match(student):
                unmatched.append(Unmatched(entry, f"{student!r} is not a valid student id"))
            else:
                add(Submission(student, entry), entry)
    return [found[s] for s in sorted(found)], unmatched
