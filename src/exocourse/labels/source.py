"""Rubric criterion 1: does the label name the source of its vesicles?"""

from __future__ import annotations

import re
from typing import Any

from .fields import (
    CANNOT_TELL,
    FAILS,
    MEETS,
    NOT_STATED,
    Verdict,
    field_text,
    is_stated,
    never_crash,
)
from .text import normalise

_SOURCE_PATTERNS = [
    ("milk", r"milk|colostrum|whey|우유|초유|산양유|유청"),
    ("platelet", r"platelet|혈소판|\bprp\b"),
    ("adipose stem cell", r"adipo|\bad?scs?\b|fat[- ]derived|지방"),
    (
        "plant",
        r"plant|exosome[- ]like|식물|callus|캘러스|유사|\b(?:centella|rose|grape|apple|lemon"
        r"|ginseng|green tea|soy|aloe|ginger|tomato|broccoli)\b|병풀|장미|포도|사과|레몬|인삼|녹차"
        r"|(?<!홍)콩|알로에|생강",  # 콩 (soy) but not 홍콩 (Hong Kong)
    ),
    ("other", r"umbilical|bone marrow|제대|골수|salmon|연어|lactobacill|유산균|probiotic"),
]

#: Sources the rubric treats as human-derived.
HUMAN_SOURCES = ("adipose stem cell", "platelet")


def classify_source(text: Any) -> str | None:
    """The source a label names: ``adipose stem cell``, ``platelet``, ``plant``, ``milk``,
    ``other`` (a tissue outside these) or ``unspecified``; None if ``text`` is not text.

    >>> classify_source("인체 지방줄기세포 배양액 유래 엑소좀")
    'adipose stem cell'
    >>> classify_source("Stem cell technology")
    'unspecified'
    """
    if not isinstance(text, str):
        return None
    text = normalise(text)
    if not text or text in NOT_STATED:
        return "unspecified"
    for name, pattern in _SOURCE_PATTERNS:
        if re.search(pattern, text):
            return name
    return "unspecified"


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
