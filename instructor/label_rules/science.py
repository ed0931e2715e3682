"""Rubric criterion 5 (instructor's reference): are the claims consistent with the
science (skin barrier, no living stem cells at work)?
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from exocourse.labels.fields import (
    CANNOT_TELL,
    FAILS,
    MEETS,
    Verdict,
    field_text,
    first_match,
    is_stated,
    never_crash,
)

_NOT_DERIVED = r"(?![- ]?(?:derived|culture|conditioned|exosome|extract|media|lysate))"
LIVE_STEM_CELLS = [
    rf"\b(?:live|living|viable|real|actual|active)\s+(?:human\s+)?stem[- ]cells?\b{_NOT_DERIVED}",
    rf"\bcontains?\s+(?:live\s+|living\s+|human\s+|real\s+)?stem[- ]cells\b{_NOT_DERIVED}",
    r"살아\s*있는\s*줄기\s*세포|생\s*줄기\s*세포|줄기\s*세포\s*(?:를|가)?\s*함유",
]
_STEM_CELLS_ENTER = [
    rf"(?<!plant )stem[- ]cells?\b{_NOT_DERIVED}[^.!?]{{0,60}}"
    r"\b(?:penetrat|absorb|enter|reach|differentiat|turn into|become new)",
    r"(?<!식물 )줄기\s*세포\s*(?:가|는|이|들이)?[^.!?]{0,30}(?:침투|흡수|분화|들어가)",
]
_DERMIS = [
    r"(?:penetrat|deliver|reach|absorb|go)\w*[^.!?]{0,30}\bdermis\b",
    r"dermal penetration|through the skin barrier",
    r"진피\s*층?\s*(?:까지|로|에|속)?[^.!?]{0,10}(?:침투|전달|흡수|도달)",
    r"(?:침투|전달|흡수|도달)[^.!?]{0,10}진피",
]
_STEM_CELL_EFFECT = [
    r"stem[- ]cell (?:effects?|therapy|treatment) at home",
    r"stem[- ]cell effects?",
    r"줄기\s*세포\s*효과",
]
NEEDLE_NEGATED = (
    r"without (?:any )?(?:micro-?)?needl\w*|no needles?|needle-?free|needleless"
    r"|(?:니들|바늘|주사)\s*없이|no injections?"
)
_ASSISTED = r"micro-?needl\w*|microchannels?|\bmts\b|needling|laser|마이크로\s*니들|니들링|레이저"


def claims_text(label: Any, fields: Iterable[str]) -> tuple[str | None, str]:
    """Normalised ``name`` and claim fields joined, or None with the reason if the claims
    field itself is unreadable."""
    claims, problem = field_text(label, "claims")
    if claims is None:
        return None, problem
    parts = [claims]
    for field in fields:
        text, _ = field_text(label, field)
        if text is not None and is_stated(text):
            parts.append(text)
    return " . ".join(parts), ""


@never_crash("science")
def science_consistent(label: Any) -> Verdict:
    """Criterion ``science``: no claim that contradicts the science: live stem cells in
    the product, stem cells entering skin, topical exosomes reaching the dermis (unless
    the label ties it to microneedling or a laser), or "stem cell effects". Reads
    ``name`` and ``claims``.

    >>> science_consistent({"claims": "Penetrates to the dermis to rebuild collagen."}).verdict
    'fails'
    >>> science_consistent({"claims": "Hydrates and brightens."}).verdict
    'meets'
    """
    text, problem = claims_text(label, ["name"])
    if text is None:
        return Verdict("science", CANNOT_TELL, problem)
    if not is_stated(text):
        return Verdict("science", MEETS, "makes no claims")
    reasons = []
    if found := first_match(LIVE_STEM_CELLS, text):
        reasons.append(
            f"'{found}': such products rarely contain actual stem cells (article); "
            "vesicles cannot replicate (MISEV2023)"
        )
    if found := first_match(_STEM_CELLS_ENTER, text):
        reasons.append(f"'{found}': stem cells entering skin has no scientific support (article)")
    assisted = re.search(_ASSISTED, re.sub(NEEDLE_NEGATED, " ", text))
    if (found := first_match(_DERMIS, text)) and not assisted:
        reasons.append(
            f"'{found}': topical vesicles are far above the 500 Da rule (Bos & Meinardi 2000); "
            "intact ~100 nm liposomes did not cross human skin (Dreier 2016)"
        )
    if found := first_match(_STEM_CELL_EFFECT, text):
        reasons.append(f"'{found}': 'exosome cosmetics = stem cell effects' is an overreach")
    if reasons:
        return Verdict("science", FAILS, "; ".join(reasons))
    return Verdict(
        "science",
        MEETS,
        "no claim of live stem cells, stem cells entering skin or topical dermal penetration",
    )
