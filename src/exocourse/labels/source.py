"""Which source a label names (milk, platelet, adipose stem cell, plant, other).

The clinical-data criterion uses it to tell whether a cited study tested the same kind of
product. The instructor's ``source`` criterion is not in the package: Lesson 4 asks
students to write it.
"""

from __future__ import annotations

import re
from typing import Any

from .fields import NOT_STATED
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
