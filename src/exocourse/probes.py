"""Probes: what a hidden test asks of a student's answer, written down as plain data.

A hidden test in a source notebook calls :func:`probe` once for each thing it checks: a
label, a function of no arguments that computes the *student's* value (usually on inputs
other than the visible test's), how close a value must be, and a hint::

    ### BEGIN HIDDEN TESTS
    from exocourse.probes import probe
    probe("fraction_remaining(30, 60)", lambda: fraction_remaining(30, 60), rtol=1e-9)
    ### END HIDDEN TESTS

The test never states the expected value. In an ordinary run (the source notebook under
nbval) a probe only evaluates its value. When a submission is graded, the grader wraps
each hidden test in :func:`start` and :func:`emit`, which collect the probes' values and
print them as one output of type :data:`MIME`; the grader then compares them, outside the
student's kernel, with the values the same probes give on the instructor's solution. So
whatever a student's code does to its own kernel, it can only report its own answers.

Values are written by :func:`encode`: numbers, text, arrays, pandas objects, containers,
and ``{"raises": "ValueError"}`` when computing the value raised.

A hidden test may also :func:`declare` a choice the student made that the solution's run
must share (Lesson 5: the registered protocol their trial was drawn from). A declaration is
never judged: the grader reads it from the student's record and runs the solution with it,
so the student's answers are compared with the solution's on the same choice.

>>> start("test_demo")
>>> probe("two squared", lambda: 2**2)
>>> probe("a bad number", lambda: int("x"))
>>> [p["value"] for p in collected()]
[4, {'raises': 'ValueError'}]
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

#: The MIME type of the one output a graded hidden test prints.
MIME = "application/vnd.exocourse.probes+json"
#: Largest probe record, in bytes of JSON; a larger one is not read.
MAX_BYTES = 500_000
_MAX_DEPTH = 12
_MAX_ITEMS = 20_000

_record: dict[str, Any] | None = None


def encode(value: Any, depth: int = 0) -> Any:
    """``value`` as JSON data that says what it is.

    >>> encode(1.5), encode(float("nan")), encode((1, "a"))
    (1.5, {'float': 'nan'}, {'list': [1, 'a']})
    >>> encode(np.array([1.0, 2.0]))
    {'array': {'list': [1.0, 2.0]}, 'shape': [2]}
    >>> encode(pd.Series([0.5], index=["EV"]))
    {'series': {'index': {'list': ['EV']}, 'values': {'list': [0.5]}}}
    """
    if depth > _MAX_DEPTH:
        return {"too_deep": True}
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.generic):  # a NumPy scalar: as the Python value it holds
        value = value.item()
        if isinstance(value, bool):
            return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else {"float": repr(number)}
    if isinstance(value, np.ndarray):
        return {"array": encode(value.tolist(), depth + 1), "shape": list(value.shape)}
    if isinstance(value, pd.Series):
        index, values = list(value.index), list(value)
        return {"series": {"index": encode(index, depth + 1), "values": encode(values, depth + 1)}}
    if isinstance(value, pd.DataFrame):
        return {
            "frame": {
                "columns": encode(list(value.columns), depth + 1),
                "index": encode(list(value.index), depth + 1),
                "rows": encode([list(row) for row in value.itertuples(index=False)], depth + 1),
            }
        }
    if value is pd.NA or value is pd.NaT:
        return {"missing": True}
    if isinstance(value, Mapping):
        pairs = [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]
        pairs.sort(key=lambda pair: json.dumps(pair[0], sort_keys=True))
        return {"dict": pairs[:_MAX_ITEMS]}
    if isinstance(value, (list, tuple)):
        return {"list": [encode(v, depth + 1) for v in value[:_MAX_ITEMS]]}
    if isinstance(value, (set, frozenset)):
        items = sorted((encode(v, depth + 1) for v in value), key=json.dumps)
        return {"set": items[:_MAX_ITEMS]}
    return {"object": f"{type(value).__module__}.{type(value).__qualname__}"}


def probe(
    label: str, compute: Callable[[], Any], rtol: float = 1e-9, atol: float = 0.0, hint: str = ""
) -> None:
    """Record the value of ``compute()`` under ``label`` (see the module docstring).

    ``rtol``/``atol`` say how close a number must be to the solution's; they are read from
    the solution's run, never from the student's. ``hint`` is shown when the check fails.
    """
    try:
        value = encode(compute())
    except NameError:
        if _record is None:  # an ordinary run: a hidden test that names nothing real is a bug
            raise
        value = {"raises": "NameError"}
    except Exception as exc:  # the student's code raised: that is the value
        value = {"raises": type(exc).__name__}
    if _record is not None:
        entry = {"label": str(label), "value": value, "rtol": rtol, "atol": atol, "hint": hint}
        _record["probes"].append(entry)


#: Largest declaration, in bytes of JSON.
MAX_DECLARED_BYTES = 10_000


def declare(name: str, compute: Callable[[], Any]) -> None:
    """Record ``compute()``, plain JSON data (at most :data:`MAX_DECLARED_BYTES`), as the
    student's choice ``name`` (see the module docstring); a value that is not such data is
    recorded as ``{"raises": ...}``, which the grader cannot use.

    >>> start("test_demo")
    >>> declare("PLAN", lambda: {"n": 40, "weeks": (0, 8)})
    >>> declared()
    {'PLAN': {'n': 40, 'weeks': [0, 8]}}
    """
    try:
        value = json.loads(json.dumps(compute(), allow_nan=False))
        if len(json.dumps(value).encode("utf-8")) > MAX_DECLARED_BYTES:
            raise ValueError("too large")
    except NameError:
        if _record is None:
            raise
        value = {"raises": "NameError"}
    except Exception as exc:
        value = {"raises": type(exc).__name__}
    if _record is not None:
        _record.setdefault("declared", {})[str(name)] = value


def start(cell: str) -> None:
    """Begin collecting the probes of the graded test cell ``cell``."""
    global _record
    _record = {"cell": cell, "probes": []}


def collected() -> list[dict[str, Any]]:
    """The probes collected since :func:`start`."""
    return list(_record["probes"]) if _record is not None else []


def declared() -> dict[str, Any]:
    """The choices declared since :func:`start`."""
    return dict(_record.get("declared", {})) if _record is not None else {}


def _shell() -> Any:
    """The IPython shell this code runs in, or None."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def kernel_state() -> dict[str, int]:
    """How many input and AST transformers the kernel has: code that rewrites a cell."""
    shell = _shell()
    if shell is None:  # not in IPython: nothing can rewrite a cell
        return {}
    return {
        "input_transformers_post": len(getattr(shell, "input_transformers_post", [])),
        "input_transformers_cleanup": len(getattr(shell, "input_transformers_cleanup", [])),
        "ast_transformers": len(getattr(shell, "ast_transformers", [])),
    }


def emit() -> None:
    """Print the collected probes as one output of type :data:`MIME` and stop collecting."""
    global _record
    record, _record = _record or {"cell": "", "probes": []}, None
    record["kernel"] = kernel_state()
    if _shell() is None:  # outside IPython: as a line of JSON
        print(json.dumps(record))
        return
    from IPython.display import display

    summary = f"{len(record['probes'])} hidden check(s) recorded for grading"
    display({MIME: record, "text/plain": summary}, raw=True)


def run(cell: str, code: str, namespace: dict[str, Any]) -> None:
    """Run the hidden tests ``code`` of the graded cell ``cell`` in ``namespace`` (the
    notebook's), collecting their probes, and :func:`emit` the record, even if they raise."""
    start(cell)
    try:
        exec(compile(code, f"<hidden tests of {cell}>", "exec"), namespace)
    except Exception as exc:  # a later probe never ran: the grader sees the record stop
        assert _record is not None
        _record["stopped"] = type(exc).__name__
    finally:
        emit()
