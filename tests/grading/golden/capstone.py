"""Golden submissions of Lesson 5, the capstone, whose every student has a trial of their own.

The forging tricks of Lesson 1 (:data:`golden.build.FORGERIES`) are tried here too, in the first
answer cell of the untouched release, with the three that answer Lesson 1's first exercise
rewritten for Lesson 5's. The capstone adds tricks on the student's own data: answering on a
classmate's (or the published self-study) id by resetting the id inside the kernel, patching
the seed the trial is drawn with, and registering a protocol the course cannot grade.
``EXPECTED`` says how each must be graded; ``tests/grading/test_golden_capstone.py`` checks it.
"""

from __future__ import annotations

from collections.abc import Callable

import nbformat
from golden.build import FORGERIES, ROOT, _cell, _set, fill

LESSON = "05-design-your-trial"
P, F, E, X, W = "passed", "failed", "error", "tampered", "needs manual grading"
TESTS = [
    "test_ex1_allocation",
    "test_ex2_enrolment",
    "test_ex3_simulation",
    "test_ex4_sequence",
    "test_ex5_conclusion",
    "test_ex6_flow",
    "test_ex7_my_trial",
]
WRITTEN = ["w1_protocol", "w2_characteristics", "w3_abstract", "w4_review"]
#: The exercises graded on the student's own trial (their id and protocol).
OWN_DATA = ["test_ex6_flow", "test_ex7_my_trial"]
FIRST_ANSWER = "ex1_allocation"

_LIES = {  # Lesson 1's answer-faking tricks, for Exercise 1 of Lesson 5
    "always-equal": (
        "class _Yes:\n    def __eq__(self, other):\n        return True\n\n"
        "    __le__ = __ge__ = __eq__\n\n    def __len__(self):\n        return 48\n\n\n"
        "def allocation_schedule(n, seed, block=4):\n    return _Yes()"
    ),
    "lying-float": (
        "class _Liar(list):\n    def __eq__(self, other):\n        return True\n\n\n"
        "def allocation_schedule(n, seed, block=4):\n    return _Liar(['left'] * n)"
    ),
    "base-exception": "def allocation_schedule(n, seed, block=4):\n    raise KeyboardInterrupt",
}
TRICKS = {
    **{
        name: code.replace("test_ex1_fraction", "test_ex1_allocation")
        for name, code in FORGERIES.items()
    },
    **_LIES,
}


def _release() -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)


def correct() -> nbformat.NotebookNode:
    return fill(_release(), LESSON)


def forged(trick: str) -> nbformat.NotebookNode:
    """The untouched release (every answer wrong) with ``TRICKS[trick]`` as the first answer."""
    return _set(_release(), FIRST_ANSWER, TRICKS[trick])


def _before_first_answer(code: str) -> Callable[[], nbformat.NotebookNode]:
    def build() -> nbformat.NotebookNode:
        nb = correct()
        cell = _cell(nb, FIRST_ANSWER)
        cell.source = f"{code}\n\n{cell.source}"
        return nb

    return build


def off_menu() -> nbformat.NotebookNode:
    """Every answer right, but a parallel protocol, which section 6 cannot register."""
    nb = correct()
    cell = next(c for c in nb.cells if c.metadata.get("exocourse", {}).get("declares"))
    cell.source = cell.source.replace('design="split-face"', 'design="parallel"').replace(
        'analysis="paired"', 'analysis="two-sample"'
    )
    return nb


BUILDERS: dict[str, Callable[[], nbformat.NotebookNode]] = {
    "correct": correct,
    "blank": _release,
    # the published numbers are the self-study student's: answer on those instead of your own
    "borrowed-id": _before_first_answer(
        'import os\n\nos.environ["EXOCOURSE_STUDENT_ID"] = "self-study"'
    ),
    # every trial drawn with one fixed seed, as a classmate could have done too
    "patched-seed": _before_first_answer("capstone.student_seed = lambda *args, **kwargs: 0"),
    "off-menu": off_menu,
    **{trick: (lambda t=trick: forged(t)) for trick in TRICKS},
}


def _ok(**changes: str) -> dict[str, str]:
    return {**{t: P for t in TESTS}, **{w: W for w in WRITTEN}, **changes}


EXPECTED: dict[str, dict[str, str]] = {
    "correct": _ok(),
    "blank": {**{t: F for t in TESTS}, **{w: F for w in WRITTEN}},
    "borrowed-id": _ok(**{t: F for t in OWN_DATA}),
    "patched-seed": _ok(**{t: F for t in OWN_DATA}),
    "off-menu": _ok(test_ex6_flow=E, test_ex7_my_trial=E),
}
REASONS: dict[str, dict[str, str]] = {
    "blank": {"test_ex7_my_trial": "not answered", "w3_abstract": "no answer"},
    "borrowed-id": {"test_ex7_my_trial": "a hidden check failed"},
    "off-menu": {"test_ex6_flow": "a registered trial has design 'split-face'"},
}
EARNS_NOTHING = set(TRICKS)
#: Tricks that rewrite or silence the hidden tests: every later test is reported tampered.
#: Not "forged-report": its hook keeps its module in the name ``_p``, which a later cell of
#: Lesson 5 rebinds, so the hook breaks itself after Exercise 3 and the later tests are
#: graded as the wrong answers they are (failed, 0 points; EARNS_NOTHING still holds).
TAMPERING = [
    "input-transformer",
    "cleanup-transformer",
    "ast-transformer",
    "silenced-probes",
    "sys-modules-swap",
]
