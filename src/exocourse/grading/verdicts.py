"""Verdicts computed where student code cannot reach: probe values against the solution's.

A graded hidden test prints its probes as one output (see :mod:`exocourse.probes`). The
grader reads that output from the autograded notebook (:func:`read_record`), and compares
it with the record the same test printed when the instructor's solution ran
(:func:`judge`), in the grading process: the expected values, the tolerances and the
comparison never enter the student's kernel. A missing, doubled, oversized or malformed
record is a failure with a reason, never a crash.

>>> expected = {"cell": "t1", "probes": [{"label": "x", "value": 2.0, "rtol": 1e-9,
...     "atol": 0.0, "hint": "double it"}], "kernel": {}}
>>> judge(expected, {"cell": "t1", "probes": [{"label": "x", "value": 2.0}], "kernel": {}})
Verdict(passed=True, reason='', tampered='')
>>> judge(expected, {"cell": "t1", "probes": [{"label": "x", "value": 3.0}], "kernel": {}})
Verdict(passed=False, reason='a hidden check failed: x (hint: double it)', tampered='')
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from ..probes import MAX_BYTES, MIME


@dataclass(frozen=True)
class Verdict:
    """Whether every probe of a test matched, why not, and any sign of tampering."""

    passed: bool
    reason: str
    tampered: str = ""


def read_record(outputs: list, cell: str) -> tuple[dict | None, str]:
    """The probe record a test cell printed, or None and what is wrong with it."""
    found = [o for o in outputs if isinstance(o.get("data"), dict) and MIME in o["data"]]
    if not found:
        return None, "the hidden checks did not report"
    if len(found) > 1:
        return None, f"the hidden checks reported {len(found)} times instead of once"
    record = found[0]["data"][MIME]
    if isinstance(record, str):  # some writers keep JSON outputs as text
        if len(record.encode("utf-8")) > MAX_BYTES:
            return None, "the hidden checks' report is too large to read"
        try:
            record = json.loads(record)
        except ValueError:
            return None, "the hidden checks' report is not valid JSON"
    try:
        size = len(json.dumps(record).encode("utf-8"))
    except (TypeError, ValueError):
        return None, "the hidden checks' report cannot be read"
    if size > MAX_BYTES:
        return None, "the hidden checks' report is too large to read"
    probes = record.get("probes") if isinstance(record, dict) else None
    if not isinstance(probes, list) or not all(
        isinstance(p, dict) and isinstance(p.get("label"), str) and "value" in p for p in probes
    ):
        return None, "the hidden checks' report is malformed"
    if record.get("cell") != cell:
        return None, f"the hidden checks' report belongs to another cell ({record.get('cell')!r})"
    return record, ""


def same(expected: Any, got: Any, rtol: float, atol: float) -> bool:
    """Whether the encoded value ``got`` matches ``expected`` (numbers within tolerance).

    >>> same({"list": [1.0, 2.0]}, {"list": [1.0, 2.0000001]}, 1e-6, 0.0)
    True
    >>> same(True, 1, 0.0, 0.0), same(1, 1.0, 0.0, 0.0), same("a", "A", 0.0, 0.0)
    (False, True, False)
    """
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    if isinstance(expected, (int, float)):
        if not isinstance(got, (int, float)):
            return False
        return math.isclose(float(got), float(expected), rel_tol=rtol, abs_tol=atol)
    if expected is None or isinstance(expected, str):
        return type(got) is type(expected) and got == expected
    if isinstance(expected, list):
        return (
            isinstance(got, list)
            and len(got) == len(expected)
            and all(same(e, g, rtol, atol) for e, g in zip(expected, got, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(got, dict)
            and set(got) == set(expected)
            and all(same(expected[k], got[k], rtol, atol) for k in expected)
        )
    return False


def _number(value: Any, default: float) -> float:
    return (
        float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
    )


def judge(expected: dict, got: dict) -> Verdict:
    """Compare a submission's probe record with the solution's (both from :func:`read_record`).

    Probes are matched in order; tolerances and hints come from the solution's record. A
    kernel that had more code-rewriting hooks than the solution's is reported as tampered.
    """
    tampered = ""
    theirs, ours = got.get("kernel") or {}, expected.get("kernel") or {}
    extra = {
        name: theirs.get(name) - count
        for name, count in ours.items()
        if isinstance(theirs.get(name), int) and theirs.get(name) > count
    }
    if extra:
        hooks = ", ".join(f"{n} extra {name}" for name, n in sorted(extra.items()))
        tampered = f"the kernel rewrote cells before they ran ({hooks})"
    got_probes = got.get("probes", [])
    for index, want in enumerate(expected.get("probes", [])):
        label, hint = want.get("label", ""), want.get("hint", "")
        more = f" (hint: {hint})" if hint else ""
        if index >= len(got_probes):
            return Verdict(False, f"the hidden checks stopped before: {label}", tampered)
        have = got_probes[index]
        if have.get("label") != label:
            return Verdict(False, f"the hidden checks ran out of order at: {label}", tampered)
        rtol, atol = _number(want.get("rtol"), 1e-9), _number(want.get("atol"), 0.0)
        if not same(want.get("value"), have.get("value"), rtol, atol):
            value = have.get("value")
            if isinstance(value, dict) and "raises" in value:
                return Verdict(
                    False, f"a hidden check raised {value['raises']}: {label}{more}", tampered
                )
            return Verdict(False, f"a hidden check failed: {label}{more}", tampered)
    return Verdict(not tampered, "", tampered)
