"""Golden submissions of Lesson 1 for the autograder (otter-style fixtures).

Each case is the student release of Lesson 1 with the answers filled in from the source
notebook, then changed in one way a real class produces: blank, partly right, an
exception, an endless loop, a deleted test, an edited locked cell, a test replaced by
``pass``, a damaged or empty file, a wrong file name, a flood of output, ``sys.exit()``,
a killed kernel, a memory hog, an overwritten dataset. ``EXPECTED`` says how each must
be graded; ``tests/grading/test_golden.py`` checks it.

The cases are built from the current lesson, so they follow edits to Lesson 1. To look at
them: ``python tests/grading/golden/build.py OUTDIR`` writes the submissions folder.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import nbformat

LESSON = "01-exosome-biology"
ROOT = Path(__file__).resolve().parents[3]

P, F, E, T, M, X, W = (
    "passed",
    "failed",
    "error",
    "timeout",
    "missing",
    "tampered",
    "needs manual grading",
)
TESTS = [
    "test_ex1_fraction",
    "test_ex2_size_summary",
    "test_ex3_stock",
    "test_ex4_cv",
    "test_ex5_decay",
    "test_ex6_days",
    "test_ex7_mass",
    "test_ex8_claims",
]
WRITTEN = ["w1_count", "w2_tyrosinase"]


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _cell(nb, grade_id: str):
    for cell in nb.cells:
        if _meta(cell).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


def _answer_code(source: str) -> str:
    """A solution cell's code without the solution markers."""
    lines = [
        ln
        for ln in source.splitlines()
        if ln.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")
    ]
    return "\n".join(lines)


def fill(release: nbformat.NotebookNode, lesson: str = LESSON) -> nbformat.NotebookNode:
    """Answer every exercise of a student notebook with the source notebook's solution."""
    source = nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)
    for cell in release.cells:
        meta = _meta(cell)
        if not meta.get("solution"):
            continue
        if cell.cell_type == "code":
            cell.source = _answer_code(_cell(source, meta["grade_id"]).source)
        else:
            cell.source = "My answer: what was counted, how pure it was, and who measured it."
    return release


def correct() -> nbformat.NotebookNode:
    """The release with every answer filled in from the source notebook."""
    return fill(nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4))


def _replace(nb, grade_id: str, old: str, new: str):
    cell = _cell(nb, grade_id)
    if old not in cell.source:
        raise ValueError(f"{grade_id}: {old!r} not found; update tests/grading/golden/build.py")
    cell.source = cell.source.replace(old, new)
    return nb


def _set(nb, grade_id: str, source: str):
    _cell(nb, grade_id).source = source
    return nb


def partly_right():
    nb = correct()
    _replace(
        nb,
        "ex1_fraction",
        'nta.loc[nta["sample"] == "prep_A", "diameter_nm"]',
        'nta["diameter_nm"]',
    )
    _replace(nb, "ex4_cv", "std(ddof=1)", "std(ddof=0)")  # passes the visible test only
    _replace(nb, "ex7_mass", "* 1e-7", "* 1e-9")  # wrong unit
    return nb


def raises():
    nb = correct()
    _set(nb, "ex3_stock", 'stock = interlab["measured"] * 2')  # KeyError
    _set(nb, "ex5_decay", "def fraction_remaining(days, half_life_days):\n    return 1 / 0")
    return nb


def endless_loop():
    nb = correct()
    _replace(
        nb,
        "ex2_size_summary",
        "    d = np.asarray",
        "    while True:\n        pass\n    d = np.asarray",
    )
    return nb


def deleted_test():
    nb = correct()
    nb.cells = [c for c in nb.cells if _meta(c).get("grade_id") != "test_ex3_stock"]
    return nb


def locked_edited():
    """The setup cell is edited to switch the checks off; ex6 is then answered wrongly."""
    nb = correct()
    cell = _cell(nb, "setup")
    cell.source += "\nexpect_close = expect_between = lambda *args, **kwargs: None\n"
    _set(
        nb,
        "ex6_days",
        "def days_until(fraction, half_life_days):\n    return 30.0\n\n\ndays_to_80_at_4C = 30.0",
    )
    return nb


def test_replaced_by_pass():
    nb = correct()
    _set(nb, "test_ex7_mass", "pass")
    _replace(nb, "ex7_mass", "* 1e-7", "* 1e-9")
    return nb


def huge_output():
    nb = correct()
    _replace(
        nb, "ex1_fraction", "frac_A =", "for _i in range(200_000):\n    print('line', _i)\nfrac_A ="
    )
    cell = _cell(nb, "ex1_fraction")  # and a saved output of 2 MB in the file itself
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 2_000_000)]
    cell.execution_count = 1
    return nb


def sys_exit():
    nb = correct()
    _replace(nb, "ex1_fraction", "frac_A =", "import sys\n\nsys.exit('done for today')\nfrac_A =")
    return nb


def kernel_killed():
    nb = correct()
    _cell(nb, "ex5_decay").source += "\n\nimport os\n\nos._exit(0)\n"
    return nb


def memory_hog():
    nb = correct()
    hog = (
        "def _hog():\n    chunks = []\n    while True:\n"
        "        chunks.append(bytearray(10**8))\n\n\n_hog()\n"
    )
    _set(nb, "ex2_size_summary", hog + _cell(nb, "ex2_size_summary").source)
    return nb


def overwrites_dataset():
    nb = correct()
    attack = (
        "from exocourse import data as _data\n\n"
        "(_data.folder() / 'interlab_counts.csv').write_text('lab,material\\n1,EV\\n')\n"
    )
    _set(nb, "ex1_fraction", attack + _cell(nb, "ex1_fraction").source)
    return nb


# ---------------------------------------------------------------- forging tricks
# Each trick sits in the first answer cell of a notebook whose every answer is wrong (the
# untouched release: each answer still raises NotImplementedError). None may earn a point.
FORGERIES = {
    "input-transformer": (
        "get_ipython().input_transformers_post.append(lambda lines: ['pass\\n'])"
    ),
    "cleanup-transformer": (
        "get_ipython().input_transformers_cleanup.insert(0, lambda lines: ['pass\\n'])"
    ),
    "ast-transformer": (
        "import ast\n\n\nclass _Blank(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        node.body = [ast.Pass()]\n        return node\n\n\n"
        "get_ipython().ast_transformers.append(_Blank())"
    ),
    "event-hook": (
        "import exocourse.probes as _p\n\n\ndef _forge(info):\n"
        "    _p.probe = lambda label, compute, **kw: _p._record['probes'].append(\n"
        "        {'label': label, 'value': 1.0}) if _p._record else None\n\n\n"
        "get_ipython().events.register('pre_run_cell', _forge)"
    ),
    "custom-exception-handler": (
        "get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)"
    ),
    "replaced-showtraceback": (
        "get_ipython().showtraceback = lambda *args, **kwargs: None\n"
        "get_ipython().showsyntaxerror = lambda *args, **kwargs: None"
    ),
    "redefined-checks": (
        "expect_close = expect_equal = expect_between = expect_function = "
        "expect_function_close = lambda *args, **kwargs: None"
    ),
    "patched-check-module": (
        "import exocourse.checks as _c\n\nfor _name in dir(_c):\n"
        "    if _name.startswith('expect'):\n"
        "        setattr(_c, _name, lambda *args, **kwargs: None)"
    ),
    "patched-comparisons": (
        "import math\n\nimport numpy as np\n\nmath.isclose = lambda *a, **k: True\n"
        "np.isclose = np.allclose = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None"
    ),
    "swapped-builtins": (
        "import builtins\n\nbuiltins.isinstance = lambda *args: True\n"
        "builtins.AssertionError = type('Never', (Exception,), {})\n"
        "builtins.exec = lambda *args, **kwargs: None"
    ),
    "silenced-probes": (
        "import exocourse.probes as _p\n\n_p.emit = lambda: None\n_p.run = lambda *a, **k: None"
    ),
    "forged-report": (
        "import exocourse.probes as _p\nfrom IPython.display import display\n\n\n"
        "def _report(result):\n"
        "    display({_p.MIME: {'cell': 'test_ex1_fraction', 'probes': []}}, raw=True)\n\n\n"
        "get_ipython().events.register('post_run_cell', _report)"
    ),
    # answers that lie about themselves: the value is encoded in the kernel and compared
    # outside it, so an object that equals everything is reported as the object it is
    "always-equal": (
        "class _Yes:\n"
        "    def __eq__(self, other):\n        return True\n\n"
        "    __le__ = __ge__ = __eq__\n\n"
        "    def __float__(self):\n        return 0.5\n\n\n"
        "def fraction_in_range(diameters, low, high):\n    return _Yes()\n\n\n"
        "frac_A = _Yes()"
    ),
    "lying-float": (
        "class _Liar(float):\n"
        "    __hash__ = float.__hash__\n\n"
        "    def __eq__(self, other):\n        return True\n\n"
        "    def __float__(self):\n        return 0.0\n\n\n"
        "def fraction_in_range(diameters, low, high):\n    return _Liar(0.5)\n\n\n"
        "frac_A = _Liar(0.5)"
    ),
    # an exception that is not an Exception, raised from inside a probe
    "base-exception": (
        "def fraction_in_range(diameters, low, high):\n    raise KeyboardInterrupt\n\n\n"
        "frac_A = 0.5"
    ),
    "sys-modules-swap": (
        "import sys\nimport types\n\n_fake = types.ModuleType('exocourse.probes')\n"
        "_fake.run = lambda *a, **k: None\nsys.modules['exocourse.probes'] = _fake\n"
        "import exocourse\n\nexocourse.probes = _fake"
    ),
}


def forged(trick: str) -> nbformat.NotebookNode:
    """The untouched release with ``FORGERIES[trick]`` as the first answer."""
    nb = nbformat.read(ROOT / "lessons" / LESSON / f"{LESSON}.ipynb", as_version=4)
    _set(nb, "ex1_fraction", FORGERIES[trick])
    return nb


# case name -> (builder or raw bytes, file name relative to the submissions folder)
def _nb_bytes(build: Callable) -> Callable[[], bytes]:
    return lambda: nbformat.writes(build()).encode("utf-8")


FLAT = f"{{}}_{LESSON}.ipynb"
CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "correct": (_nb_bytes(correct), FLAT),
    "blank": (
        lambda: (ROOT / "lessons" / LESSON / f"{LESSON}.ipynb").read_bytes(),
        f"{{}}/{LESSON}/{LESSON}.ipynb",
    ),
    "partly-right": (_nb_bytes(partly_right), FLAT),
    "raises": (_nb_bytes(raises), FLAT),
    "endless-loop": (_nb_bytes(endless_loop), FLAT),
    "deleted-test": (_nb_bytes(deleted_test), FLAT),
    "locked-edited": (_nb_bytes(locked_edited), FLAT),
    "test-is-pass": (_nb_bytes(test_replaced_by_pass), FLAT),
    "corrupt-json": (lambda: nbformat.writes(correct()).encode()[:5000], FLAT),
    "empty-file": (lambda: b"", FLAT),
    "wrong-name": (_nb_bytes(correct), f"{{}}/{LESSON}/Untitled.ipynb"),
    "huge-output": (_nb_bytes(huge_output), FLAT),
    "sys-exit": (_nb_bytes(sys_exit), FLAT),
    "kernel-killed": (_nb_bytes(kernel_killed), FLAT),
    "memory-hog": (_nb_bytes(memory_hog), FLAT),
    "overwrites-data": (_nb_bytes(overwrites_dataset), FLAT),
    **{trick: (_nb_bytes(lambda t=trick: forged(t)), FLAT) for trick in FORGERIES},
}
# a file whose name cannot be attributed to a student: reported, not graded
UNMATCHED = f"carol-{LESSON}.ipynb"


def _all(status: str, written: str | None = None) -> dict[str, str]:
    return {**{t: status for t in TESTS}, **{w: written or status for w in WRITTEN}}


def _ok(**changes: str) -> dict[str, str]:
    return {**{t: P for t in TESTS}, **{w: W for w in WRITTEN}, **changes}


# expected status of every question, and a phrase each listed reason must contain
EXPECTED: dict[str, dict[str, str]] = {
    "correct": _ok(),
    "blank": _all(F),
    "partly-right": _ok(test_ex1_fraction=F, test_ex4_cv=F, test_ex7_mass=F),
    "raises": _ok(test_ex3_stock=E, test_ex5_decay=E),
    "endless-loop": _ok(test_ex2_size_summary=T),
    "deleted-test": _ok(test_ex3_stock=M),
    "locked-edited": _ok(test_ex1_fraction=X, test_ex6_days=F),
    "test-is-pass": _ok(test_ex7_mass=X),
    "corrupt-json": _all(E),
    "empty-file": _all(E),
    "wrong-name": _all(M),
    "huge-output": _ok(),
    "sys-exit": _ok(test_ex1_fraction=E),
    "kernel-killed": _ok(test_ex5_decay=E, test_ex6_days=E, test_ex7_mass=E, test_ex8_claims=E),
    "memory-hog": _ok(test_ex2_size_summary=E),
    # the package copy the kernel imports is read-only in the sandbox: the write itself fails
    "overwrites-data": _ok(test_ex1_fraction=E),
}
# a forgery earns nothing; what each question is called depends on the trick (EARNS_NOTHING)
EARNS_NOTHING = set(FORGERIES)
REASONS: dict[str, dict[str, str]] = {
    "blank": {"test_ex1_fraction": "not answered", "w1_count": "no answer"},
    "partly-right": {
        "test_ex1_fraction": "BOTH samples",
        "test_ex4_cv": "between_lab_cv",
        "test_ex7_mass": "vesicle_mass_da",
    },
    "raises": {"test_ex3_stock": "KeyError", "test_ex5_decay": "ZeroDivisionError"},
    "endless-loop": {"test_ex2_size_summary": "did not finish within 30 s"},
    "deleted-test": {"test_ex3_stock": "deleted"},
    "locked-edited": {"test_ex1_fraction": "'setup' was edited", "test_ex6_days": "days_to_80"},
    "test-is-pass": {"test_ex7_mass": "failed"},
    "corrupt-json": {"test_ex1_fraction": "not valid JSON"},
    "empty-file": {"test_ex1_fraction": "empty"},
    "wrong-name": {"test_ex1_fraction": "Untitled.ipynb"},
    "sys-exit": {"test_ex1_fraction": "SystemExit"},
    "kernel-killed": {"test_ex5_decay": "kernel died", "test_ex8_claims": "kernel died"},
    "memory-hog": {"test_ex2_size_summary": "MemoryError"},
    "overwrites-data": {"test_ex1_fraction": "Read-only file system"},
}


def check_points(result, tampered_may_score: bool) -> None:
    """Every question of a golden ``result`` has the points its status allows, and a reason
    unless it passed. A tampered question keeps the points of its graded result only where
    ``tampered_may_score`` (Lesson 1's locked-cell edit that a real test still passes)."""
    for q in result.questions:
        if q.status == P:
            assert q.points == q.max_points and q.reason == ""
        elif q.status == W:
            assert q.points is None
        elif q.status != X or not tampered_may_score:  # no partial credit
            assert q.points == 0, (q.grade_id, q.status, q.points)
        assert q.reason or q.status == P, f"{result.student}/{q.grade_id}: no reason given"


def build(folder: Path, cases: list[str] | None = None) -> dict[str, Path]:
    """Write the submissions of ``cases`` (default: all) into ``folder``; return the path
    of each (the student id is the case name)."""
    written = {}
    for name in cases or list(CASES):
        make, pattern = CASES[name]
        path = folder / pattern.format(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        written[name] = path
    (folder / UNMATCHED).write_bytes(_nb_bytes(correct)())
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for case, where in build(out).items():
        print(f"{case:16} {where.relative_to(out)}")
