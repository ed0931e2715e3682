"""The instructor's reference rules for Lesson 4's rubric, kept out of the installed package.

Four of the rubric's criteria (``source``, ``stability``, ``science``, ``regulation``) are
the answers of Lesson 4's exercises or close to them, so they live here, beside the
solutions, and never in ``exocourse``: a student's environment cannot call them. They are
the instructor's fuller versions (more wordings, dates and countries than the exercises'
word lists) and check the hand-written key ``datasets/label_key.csv`` (the tests in
``tests/instructor``). Grading does not read them: hidden tests compare a student's answers
with the solution notebook's.

:data:`REFERENCE_RULES` is the whole rubric: these four and the package's two.

>>> from exocourse.labels import rubric_table
>>> t = rubric_table([{"label_id": "X1", "source_text": "bovine milk"}], REFERENCE_RULES)
>>> print(t[["label_id", "source", "score", "cannot_tell"]].to_string(index=False))
label_id source  score  cannot_tell
      X1  meets      1            5
"""

from exocourse.labels import CRITERIA, PACKAGE_RULES

from .regulation import regulation_compliant
from .science import science_consistent
from .source import source_specified
from .storage import cold_storage_or_single_use

_RULES = {
    "source": source_specified,
    "stability": cold_storage_or_single_use,
    "science": science_consistent,
    "regulation": regulation_compliant,
    **PACKAGE_RULES,
}
#: Every criterion's reference rule, in the order of ``exocourse.labels.CRITERIA``.
REFERENCE_RULES = {name: _RULES[name] for name in CRITERIA}

__all__ = [
    "REFERENCE_RULES",
    "cold_storage_or_single_use",
    "regulation_compliant",
    "science_consistent",
    "source_specified",
]
