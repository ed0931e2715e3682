"""The rubric's framework: the criteria's names, and tables built from rule functions.

The package judges only the criteria no exercise asks for (:data:`PACKAGE_RULES`:
``concentration`` and ``clinical_data``). The other rules are passed in: the ones a student
writes in Lesson 4, or the instructor's verdicts read from the key with :func:`key_rule`.
A rule takes one label and returns a :class:`~exocourse.labels.fields.Verdict` or a pair
``(verdict, reason)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pandas as pd

from .clinical import clinical_data_cited
from .concentration import concentration_disclosed
from .fields import CANNOT_TELL, VERDICTS, Verdict, field_value, is_missing

#: The rubric's criteria, in order. Every "out of N" follows from the rules a table is given.
CRITERIA = ("source", "concentration", "stability", "clinical_data", "science", "regulation")

#: The criteria the package judges itself: no exercise asks for them.
PACKAGE_RULES: dict[str, Callable[[Any], Verdict]] = {
    "concentration": concentration_disclosed,
    "clinical_data": clinical_data_cited,
}

Rule = Callable[[Any], Any]


def as_verdict(criterion: str, result: Any) -> Verdict:
    """A rule's result as a :class:`Verdict` of ``criterion``: a Verdict, or a pair
    ``(verdict, reason)`` whose verdict is ``meets``, ``fails`` or ``cannot tell``.

    >>> as_verdict("source", ("meets", "names milk"))
    Verdict(criterion='source', verdict='meets', reason='names milk')
    """
    if isinstance(result, Verdict):
        return Verdict(criterion, result.verdict, result.reason)
    if isinstance(result, (tuple, list)) and len(result) == 2:
        verdict, reason = result
        if isinstance(verdict, str) and verdict in VERDICTS:
            return Verdict(criterion, verdict, str(reason))
    raise TypeError(
        f"the {criterion!r} rule returned {result!r}: return a pair (verdict, reason) with "
        f"verdict one of {list(VERDICTS)}"
    )


def _ordered(rules: Mapping[str, Rule]) -> list[tuple[str, Rule]]:
    unknown = sorted(set(rules) - set(CRITERIA))
    if unknown:
        raise ValueError(f"unknown criteria {unknown}: the rubric's criteria are {list(CRITERIA)}")
    if not rules:
        raise ValueError(f"give at least one rule, for criteria among {list(CRITERIA)}")
    return [(name, rules[name]) for name in CRITERIA if name in rules]


def assess(label: Any, rules: Mapping[str, Rule]) -> list[Verdict]:
    """Each rule's verdict on one label, in the order of :data:`CRITERIA`.

    >>> [v.verdict for v in assess(None, PACKAGE_RULES)]
    ['cannot tell', 'cannot tell']
    """
    return [as_verdict(name, rule(label)) for name, rule in _ordered(rules)]


def total_score(verdicts: Iterable[Verdict]) -> int:
    """Points: one per criterion met.

    >>> total_score([Verdict("source", "meets", ""), Verdict("science", "fails", "")])
    1
    """
    return sum(v.points for v in verdicts)


def key_rule(key: pd.DataFrame, criterion: str) -> Callable[[Any], Verdict]:
    """A rule that gives the key's verdict and reason on ``criterion`` for a label, found
    by its ``label_id``; ``cannot tell`` for a label the key does not hold.

    >>> key = pd.DataFrame([["X1", "regulation", "fails", "claims FDA approval"]],
    ...                    columns=["label_id", "criterion", "verdict", "reason"])
    >>> key_rule(key, "regulation")({"label_id": "X1"}).verdict
    'fails'
    >>> key_rule(key, "regulation")({"label_id": "X2"}).reason
    'label X2 is not in the key'
    """
    rows = key[key["criterion"] == criterion].set_index("label_id")

    def rule(label: Any) -> Verdict:
        label_id = field_value(label, "label_id")
        if is_missing(label_id) or label_id not in rows.index:
            return Verdict(criterion, CANNOT_TELL, f"label {label_id} is not in the key")
        row = rows.loc[label_id]
        return Verdict(criterion, row["verdict"], row["reason"])

    return rule


def _records(labels: Any) -> list[tuple[str, Any]]:
    if isinstance(labels, pd.DataFrame):
        rows = [row for _, row in labels.iterrows()]
    elif isinstance(labels, (Mapping, pd.Series)):
        rows = [labels]
    else:
        rows = list(labels)
    out = []
    for i, row in enumerate(rows, start=1):
        label_id = field_value(row, "label_id")
        out.append((str(label_id) if not is_missing(label_id) else f"#{i}", row))
    return out


def _assessed(labels: Any, rules: Mapping[str, Rule]) -> list[tuple[str, list[Verdict]]]:
    out = []
    for label_id, label in _records(labels):
        try:
            out.append((label_id, assess(label, rules)))
        except Exception as exc:
            raise ValueError(f"a rule failed on label {label_id}: {exc!r}") from exc
    return out


def reasons_table(labels: Any, rules: Mapping[str, Rule]) -> pd.DataFrame:
    """One row per label × criterion: ``label_id, criterion, verdict, reason`` (the
    layout of the instructor key ``label_key.csv``).

    >>> t = reasons_table([{"label_id": "X1", "evidence": "not stated"}], PACKAGE_RULES)
    >>> t.iloc[1].tolist()
    ['X1', 'clinical_data', 'fails', 'no clinical evidence cited']
    """
    rows = [
        {"label_id": label_id, "criterion": v.criterion, "verdict": v.verdict, "reason": v.reason}
        for label_id, verdicts in _assessed(labels, rules)
        for v in verdicts
    ]
    return pd.DataFrame(rows, columns=["label_id", "criterion", "verdict", "reason"])


def rubric_table(labels: Any, rules: Mapping[str, Rule]) -> pd.DataFrame:
    """One row per label: each rule's verdict, the ``score`` (criteria met, out of
    ``len(rules)``) and ``cannot_tell`` (criteria that could not be judged).

    >>> rules = {"source": lambda label: ("meets", "names milk")} | PACKAGE_RULES
    >>> t = rubric_table([{"label_id": "X1", "evidence": "not stated"}], rules)
    >>> print(t.to_string(index=False))
    label_id source concentration clinical_data  score  cannot_tell
          X1  meets   cannot tell         fails      1            1
    """
    names = [name for name, _ in _ordered(rules)]
    rows = []
    for label_id, verdicts in _assessed(labels, rules):
        row: dict[str, Any] = {"label_id": label_id}
        row.update({v.criterion: v.verdict for v in verdicts})
        row["score"] = total_score(verdicts)
        row["cannot_tell"] = sum(v.verdict == CANNOT_TELL for v in verdicts)
        rows.append(row)
    return pd.DataFrame(rows, columns=["label_id", *names, "score", "cannot_tell"])
