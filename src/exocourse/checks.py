"""Checks for exercise test cells that tell a student what is wrong and where to look.

Each check raises :class:`AssertionError` with a sentence naming the answer, what was
expected, what was found and a hint, instead of a bare ``assert`` failure.

>>> expect_close("mass_da", 3.0e8, 3.0e8)
>>> expect_close("mass_da", 3.0e5, 3.0e8)
Traceback (most recent call last):
...
AssertionError: mass_da should be about 3e+08 (relative tolerance 1e-06), but it is 300000.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np


def _fail(message: str, hint: str) -> None:
    raise AssertionError(f"{message}. Hint: {hint}" if hint else message)


def expect_number(name: str, value: Any, hint: str = "") -> None:
    """Fail unless ``value`` is a finite real number (a NumPy scalar counts).

    >>> expect_number("p_value", "0.03")
    Traceback (most recent call last):
    ...
    AssertionError: p_value should be a number, but it is a str ('0.03')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        _fail(f"{name} should be a number, but it is a {type(value).__name__} ({value!r})", hint)
    if not math.isfinite(float(value)):
        _fail(f"{name} should be a finite number, but it is {value}", hint)


def expect_close(
    name: str,
    value: Any,
    expected: float,
    rtol: float = 1e-6,
    atol: float = 0.0,
    hint: str = "",
) -> None:
    """Fail unless ``value`` is within ``rtol``/``atol`` of ``expected``.

    >>> expect_close("ratio", 0.5000001, 0.5)
    """
    expect_number(name, value, hint)
    if not math.isclose(float(value), expected, rel_tol=rtol, abs_tol=atol):
        tolerance = f"relative tolerance {rtol:g}" if atol == 0 else f"within {atol:g}"
        _fail(f"{name} should be about {expected:.4g} ({tolerance}), but it is {value}", hint)


def expect_between(name: str, value: Any, low: float, high: float, hint: str = "") -> None:
    """Fail unless ``low <= value <= high``.

    >>> expect_between("power", 1.2, 0, 1, hint="power is a probability")
    Traceback (most recent call last):
    ...
    AssertionError: power should lie between 0 and 1, but it is 1.2. Hint: power is a probability
    """
    expect_number(name, value, hint)
    if not low <= float(value) <= high:
        _fail(f"{name} should lie between {low:g} and {high:g}, but it is {value}", hint)


def expect_equal(name: str, value: Any, expected: Any, hint: str = "") -> None:
    """Fail unless ``value == expected`` (for labels, counts and category names).

    >>> expect_equal("verdict", "supported", "untestable")
    Traceback (most recent call last):
    ...
    AssertionError: verdict should be 'untestable', but it is 'supported'
    """
    if not (value == expected):
        _fail(f"{name} should be {expected!r}, but it is {value!r}", hint)


def expect_function(name: str, value: Any, hint: str = "") -> None:
    """Fail unless ``value`` is callable (the exercise asks for a function).

    >>> expect_function("vesicle_mass_da", 3)
    Traceback (most recent call last):
    ...
    AssertionError: vesicle_mass_da should be a function (def vesicle_mass_da(...)), but it is a int
    """
    if not callable(value):
        _fail(
            f"{name} should be a function (def {name}(...)), but it is a {type(value).__name__}",
            hint,
        )


def expect_function_close(
    name: str,
    func: Callable[..., Any],
    reference: Callable[..., float],
    cases: Iterable[tuple],
    rtol: float = 1e-6,
    hint: str = "",
) -> None:
    """Call ``func`` and ``reference`` on each argument tuple and compare the results.

    >>> expect_function_close("square", lambda x: x * x, lambda x: x**2, [(2,), (3.5,)])
    >>> expect_function_close("square", lambda x: 2 * x, lambda x: x**2, [(2,), (3,)])
    Traceback (most recent call last):
    ...
    AssertionError: square(3) should be about 9 (relative tolerance 1e-06), but it is 6
    """
    expect_function(name, func, hint)
    for args in cases:
        shown = ", ".join(repr(a) for a in args)
        expect_close(f"{name}({shown})", func(*args), float(reference(*args)), rtol=rtol, hint=hint)
