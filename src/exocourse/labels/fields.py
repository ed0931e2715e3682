"""Verdicts and the fields of a label record, read so that a criterion never crashes.

A field that is missing, empty or not text gives ``"cannot tell"``, never an exception.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .text import normalise

MEETS = "meets"
FAILS = "fails"
CANNOT_TELL = "cannot tell"
VERDICTS = (MEETS, FAILS, CANNOT_TELL)

#: Field values meaning "the label says nothing about this" (after normalising).
NOT_STATED = ("not stated", "none stated", "표시 없음", "미표기", "없음")


@dataclass(frozen=True)
class Verdict:
    """One criterion's verdict on one label: ``meets`` (1 point), ``fails`` or
    ``cannot tell`` (0 points), with the reason.

    >>> Verdict("source", "meets", "names platelets").points
    1
    """

    criterion: str
    verdict: str
    reason: str

    @property
    def points(self) -> int:
        """1 if the criterion is met, else 0."""
        return 1 if self.verdict == MEETS else 0


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def as_record(label: Any) -> Mapping | None:
    if isinstance(label, pd.Series):
        return label.to_dict()
    return label if isinstance(label, Mapping) else None


def field_text(label: Any, field: str) -> tuple[str | None, str]:
    """(normalised text, "") or (None, why the field cannot be read)."""
    record = as_record(label)
    if record is None:
        return None, f"the label is not a record of fields (got {type(label).__name__})"
    value = record.get(field)
    if is_missing(value):
        return None, f"field '{field}' is missing"
    if not isinstance(value, str):
        return None, f"field '{field}' is not text (got {type(value).__name__})"
    value = normalise(value)
    if not value:
        return None, f"field '{field}' is empty"
    return value, ""


def is_stated(text: str) -> bool:
    return text not in NOT_STATED


def field_value(label: Any, field: str) -> Any:
    record = as_record(label)
    return None if record is None else record.get(field)


def first_match(patterns: Iterable[str], text: str) -> str | None:
    """The first pattern that matches ``text`` (its matched words), else None."""
    for pattern in patterns:
        if m := re.search(pattern, text):
            return m.group()
    return None


def never_crash(criterion: str) -> Callable:
    """Turn any unexpected error inside a criterion into a ``cannot tell`` verdict."""

    def wrap(func: Callable[[Any], Verdict]) -> Callable[[Any], Verdict]:
        @functools.wraps(func)
        def safe(label: Any) -> Verdict:
            try:
                return func(label)
            except Exception as exc:  # a malformed label must not stop a whole table
                return Verdict(criterion, CANNOT_TELL, f"could not read the label ({exc!r})")

        return safe

    return wrap
