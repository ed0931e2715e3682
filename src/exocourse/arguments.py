"""Checks of numeric arguments that raise a ValueError naming the argument.

>>> real("sd", 2)
2.0
>>> integer("n", 2.5)
Traceback (most recent call last):
...
ValueError: n must be a whole number, got float 2.5
"""

from __future__ import annotations

import math
import numbers


def real(name: str, value: object) -> float:
    """``value`` as a finite float, or a ValueError naming ``name`` (booleans are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return float(value)


def integer(name: str, value: object) -> int:
    """``value`` as an int, or a ValueError naming ``name`` (booleans are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    return int(value)
