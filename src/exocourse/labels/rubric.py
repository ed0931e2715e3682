"""The whole rubric: the registry of criteria and the tables built from it.

:data:`CRITERIA` is the only list of criteria: every "out of N" follows from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from .clinical import clinical_data_cited
from .concentration import concentration_disclosed
from .fields import CANNOT_TELL, Verdict, field_value, is_missing
from .regulation import regulation_compliant
from .science import science_consistent
from .source import source_specified
from .storage import cold_storage_or_single_use

#: The criteria, in order: name -> function(label) -> Verdict. Add a criterion here only.
CRITERIA: dict[str, Callable[[Any], Verdict]] = {
    "source": source_specified,
    "concentration": concentration_disclosed,
    "stability": cold_storage_or_single_use,
    "clinical_data": clinical_data_cited,
    "science": science_consistent,
    "regulation": regulation_compliant,
}


def assess(label: Any) -> list[Verdict]:
    """Every criterion's verdict on one label, in the order of :data:`CRITERIA`.

    >>> [v.verdict for v in assess(None)] == ["cannot tell"] * len(CRITERIA)
    True
    """
    return [criterion(label) for criterion in CRITERIA.values()]


def total_score(label_or_verdicts: Any) -> int:
    """Points out of ``len(CRITERIA)``: one per criterion met. Takes a label or a list of verdicts.

    >>> total_score([Verdict("source", "meets", ""), Verdict("science", "fails", "")])
    1
    """
    if isinstance(label_or_verdicts, list) and all(
        isinstance(v, Verdict) for v in label_or_verdicts
    ):
        verdicts = label_or_verdicts
    else:
        verdicts = assess(label_or_verdicts)
    return sum(v.points for v in verdicts)


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


def reasons_table(labels: Any) -> pd.DataFrame:
    """One row per label × criterion: ``label_id, criterion, verdict, reason`` (the
    layout of the instructor key ``label_key.csv``).

    >>> reasons_table([{"label_id": "X1", "source_text": "bovine milk"}]).iloc[0].tolist()
    ['X1', 'source', 'meets', 'names the source: milk']
    """
    rows = [
        {"label_id": label_id, "criterion": v.criterion, "verdict": v.verdict, "reason": v.reason}
        for label_id, label in _records(labels)
        for v in assess(label)
    ]
    return pd.DataFrame(rows, columns=["label_id", "criterion", "verdict", "reason"])


def rubric_table(labels: Any) -> pd.DataFrame:
    """One row per label: each criterion's verdict, the ``score`` (criteria met, out of
    ``len(CRITERIA)``) and ``cannot_tell`` (criteria that could not be judged).

    >>> t = rubric_table([{"label_id": "X1", "source_text": "bovine milk"}])
    >>> print(t[["label_id", "source", "score", "cannot_tell"]].to_string(index=False))
    label_id source  score  cannot_tell
          X1  meets      1            5
    """
    rows = []
    for label_id, label in _records(labels):
        verdicts = assess(label)
        row: dict[str, Any] = {"label_id": label_id}
        row.update({v.criterion: v.verdict for v in verdicts})
        row["score"] = sum(v.points for v in verdicts)
        row["cannot_tell"] = sum(v.verdict == CANNOT_TELL for v in verdicts)
        rows.append(row)
    return pd.DataFrame(rows, columns=["label_id", *CRITERIA, "score", "cannot_tell"])
