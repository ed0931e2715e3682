"""The status vocabulary of grading: every status a question can get, in one place.

Each :class:`Status` has its name (what results, grade sheets and feedback print), what
it means to a student, its colour on a feedback page (Okabe-Ito; the name is always
written out too, so colour is never the only cue) and whether the grade sheet flags it
for the instructor. Feedback pages and grade sheets read this table; adding a status
means adding its name and one row here (and the code that gives it).

>>> STATUSES[TAMPERED].flagged, STATUSES[PASSED].colour
(True, '#009E73')
>>> FLAGGED
('error', 'timeout', 'missing', 'tampered')
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """One grading status: its name, its meaning, its colour, whether it is flagged."""

    name: str
    meaning: str
    colour: str
    flagged: bool = False


PASSED = "passed"
FAILED = "failed"
ERROR = "error"
TIMEOUT = "timeout"
MISSING = "missing"
TAMPERED = "tampered"
MANUAL = "needs manual grading"
MANUALLY_GRADED = "manually graded"

_TABLE = (
    Status(PASSED, "every check passed", "#009E73"),
    Status(FAILED, "a check found the answer wrong, or it was not answered", "#D55E00"),
    Status(ERROR, "the answer or the check raised an error, or Python stopped", "#D55E00", True),
    Status(TIMEOUT, "the code ran too long and was stopped", "#E69F00", True),
    Status(MISSING, "the cell (or the notebook) was not in the submission", "#CC79A7", True),
    Status(TAMPERED, "a locked cell was changed; the original was used", "#CC79A7", True),
    Status(MANUAL, "a person will grade this", "#0072B2"),
    Status(MANUALLY_GRADED, "graded by a person", "#0072B2"),
)

#: Every status by name, in the order above.
STATUSES: dict[str, Status] = {s.name: s for s in _TABLE}

#: The statuses a grade sheet flags for the instructor to look at.
FLAGGED = tuple(name for name, status in STATUSES.items() if status.flagged)
