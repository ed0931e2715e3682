"""Who is working: the student id a lesson reads, and the seed it derives from it.

A lesson that gives every student data of their own (Lesson 5) reads the id with
:func:`student_id`. When a class is graded, ``exocourse autograde`` sets the environment
variable :data:`STUDENT_ID_VAR` to each submission's nbgrader student id, in the student's
kernel and in the run of the solution its answers are compared with, so both see the same
data. On a JupyterHub, a student who has not set it gets their hub user name
(:data:`HUB_USER_VAR`), which is their nbgrader id where the course uses the hub's names, so
the numbers they work with are the ones they are graded on. A student working alone has no
id and gets :data:`DEFAULT_STUDENT_ID`, the same on every run.

>>> student_id({})
'self-study'
>>> student_id({STUDENT_ID_VAR: "  ada "})
'ada'
>>> student_id({HUB_USER_VAR: "grace"}), student_id({STUDENT_ID_VAR: "ada", HUB_USER_VAR: "grace"})
('grace', 'ada')
>>> student_seed("ada") == student_seed("ada") != student_seed("grace")
True
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from .digest import sha256

#: The environment variable that holds the student id.
STUDENT_ID_VAR = "EXOCOURSE_STUDENT_ID"
#: Set by JupyterHub in each user's server: the hub user name, read when no id is set.
HUB_USER_VAR = "JUPYTERHUB_USER"
#: How a lesson shows the id it runs under (Lesson 5's setup cell prints this and the id), so
#: the grader can tell which id a saved notebook was last run as.
SHOWN_AS = "student id: "
#: Where an id is read from, first found first.
ID_VARIABLES = (STUDENT_ID_VAR, HUB_USER_VAR)
#: The id of a student working alone (no id set).
DEFAULT_STUDENT_ID = "self-study"


def student_id(environ: Mapping[str, str] | None = None) -> str:
    """The id in :data:`STUDENT_ID_VAR`, else the hub user name in :data:`HUB_USER_VAR`
    (surrounding spaces removed), else :data:`DEFAULT_STUDENT_ID`.

    >>> student_id({STUDENT_ID_VAR: ""})
    'self-study'
    """
    env = os.environ if environ is None else environ
    for name in ID_VARIABLES:
        if value := env.get(name, "").strip():
            return value
    return DEFAULT_STUDENT_ID


def student_seed(student: str, purpose: str = "trial") -> int:
    """A seed (0 <= seed < 2**63) derived from ``student`` and ``purpose`` by SHA-256: the
    same id always gives the same seed, different ids (almost surely) different ones.

    >>> 0 <= student_seed("self-study") < 2**63
    True
    >>> student_seed("ada", "truth") != student_seed("ada", "trial")
    True
    """
    return int(sha256(f"exocourse:{purpose}:{student}")[:16], 16) >> 1
