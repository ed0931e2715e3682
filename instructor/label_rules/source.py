"""Rubric criterion 1 (instructor's reference): does the label name the source of its vesicles?"""

from __future__ import annotations

import re
from typing import Any

from exocourse.labels.fields import (
    CANNOT_TELL,
    FAILS,
    MEETS,
    Verdict,
    field_text,
    is_stated,
    never_crash,
)
from exocourse.labels.source import classify_source


@never_crash("source")
def source_specified(label: Any) -> Verdict:
    """Criterion ``source``: does the label name the biological source (tissue, plant or
    animal) of its vesicles? "Stem cell" without a tissue does not count.

    >>> source_specified({"source_text": "Human platelet-derived exosomes"}).reason
    'names the source: platelet'
    >>> source_specified({"source_text": "Exosome complex"}).verdict
    'fails'
    >>> source_specified({}).verdict
    'cannot tell'
    """
    text, problem = field_text(label, "source_text")
    if text is None:
        return Verdict("source", CANNOT_TELL, problem)
    if not is_stated(text):
        return Verdict("source", FAILS, "the label does not say where its exosomes come from")
    source = classify_source(text)
    if source == "unspecified":
        if re.search(r"stem[- ]?cell|줄기\s*세포", text):
            return Verdict("source", FAILS, "says 'stem cell' but not which tissue or species")
        return Verdict("source", FAILS, "names no tissue, plant or animal source")
    return Verdict("source", MEETS, f"names the source: {source}")
