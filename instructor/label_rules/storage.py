"""Rubric criterion 3 (instructor's reference): cold storage or single-use packaging."""

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

_NO_COLD = (
    r"(?:do not|don['’]t|never|no need to|need not|not necessary to)\s+"
    r"(?:(?:be|keep|store|put|place)\s+)?(?:(?:it|in|into|inside|a|an|the)\s+)*"
    r"(?:refrigerat\w*|fridge|freez\w*|chill\w*)"
    r"(?:,?\s+(?:or|and|nor)\s+(?:refrigerat\w*|freez\w*|chill\w*))*"
    r"|(?:no\s+)?(?:refrigeration|freezing|cold storage)\s+(?:is\s+)?"
    r"(?:not\s+(?:required|needed|necessary)|unnecessary)"
    r"|no\s+(?:refrigeration|freezing|cold storage)(?:\s+(?:required|needed|necessary))?"
    r"|냉장\s*(?:보관)?\s*(?:불필요|필요\s*없\w*|하지\s*마\w*|금지)"
    r"|냉동\s*(?:보관)?\s*(?:금지|하지\s*마\w*)|얼리지\s*마\w*"
    r"|\b(?:un|non-?)refrigerat\w*"  # "unrefrigerated", "non-refrigerated": not cold
)
_FREEZE_DRIED = r"freeze[- ]?dri\w*|lyophili\w*|동결\s*건조"
_COLD_WORDS = (
    r"(?<![a-z])(?:refrigerat\w*|fridge|freez\w*|frozen|cold[- ]chain|ships? cold)"
    r"|냉장|냉동|콜드\s*체인"
)
_TEMP_RANGE = re.compile(
    r"(?<![\d.])(-?\d+(?:\.\d+)?)\s*°?\s*c?\s*(?:-|~|to)\s*(-?\d+(?:\.\d+)?)\s*°?\s*c\b"
)
_TEMP = re.compile(r"(?<![\d.])(-?\d+(?:\.\d+)?)\s*°\s*c\b")
_ROOM = r"room temperature|실온|상온|below (?:25|30)|cool,? (?:and )?dry|cool place|서늘한"
_SINGLE_USE = (
    r"single[- ]?(?:use|dose)|unit[- ]?dose|one[- ]?time|disposable|1\s*회용|일회용"
    r"|individually (?:sealed|wrapped)|개별\s*포장"
)
_MULTI_USE = r"jar|pump|dropper|tube|bottle|airless|mist|스포이드|펌프|튜브|병|용기|단지|미스트"


def _is_cold(storage: str) -> str | None:
    """The cold-storage words in ``storage`` (after removing negations), else None."""
    text = re.sub(_NO_COLD, " ", storage)
    text = re.sub(_FREEZE_DRIED, " ", text)
    if m := re.search(_COLD_WORDS, text):
        return m.group()
    for m in _TEMP_RANGE.finditer(text):
        if float(m.group(2)) <= 8:
            return m.group()
    text = _TEMP_RANGE.sub(" ", text)
    for m in _TEMP.finditer(text):
        if float(m.group(1)) <= 8 and not re.search(r"(?:above|over)\s*$", text[: m.start()]):
            return m.group()
    return None


@never_crash("stability")
def cold_storage_or_single_use(label: Any) -> Verdict:
    """Criterion ``stability``: a cold-storage instruction or single-use packaging (the
    article's stability signal). Reads ``storage`` and ``packaging``.

    Cold storage is a signal, not a proof: freeze-dried vesicles can keep without it.

    >>> cold_storage_or_single_use({"storage": "Store at room temperature. Do not freeze.",
    ...                             "packaging": "50 mL airless pump jar"}).verdict
    'fails'
    >>> cold_storage_or_single_use({"storage": "냉장 보관 (2–8℃)", "packaging": None}).reason
    'cold storage asked for (냉장)'
    """
    storage, storage_problem = field_text(label, "storage")
    packaging, packaging_problem = field_text(label, "packaging")
    reasons = []
    if storage is not None and is_stated(storage) and (cold := _is_cold(storage)):
        reasons.append(f"cold storage asked for ({cold})")
    if packaging is not None and (single := re.search(_SINGLE_USE, packaging)):
        reasons.append(f"single-use packaging ({single.group()})")
    if reasons:
        return Verdict("stability", MEETS, "; ".join(reasons))
    if storage is None and packaging is None:
        return Verdict("stability", CANNOT_TELL, f"{storage_problem}; {packaging_problem}")
    if storage is None:
        return Verdict("stability", CANNOT_TELL, f"{storage_problem}; packaging is not single-use")
    if packaging is None:
        return Verdict("stability", CANNOT_TELL, f"no cold storage; {packaging_problem}")
    multi = re.search(_MULTI_USE, packaging)
    if not multi:
        return Verdict(
            "stability",
            CANNOT_TELL,
            "no cold storage, and the packaging does not say whether it is single-use",
        )
    said = "no storage instruction" if not is_stated(storage) else "no cold storage"
    if room := re.search(_ROOM, storage):
        said = f"no cold storage ({room.group()})"
    reason = f"{said}, and multi-use packaging ({multi.group()})"
    everything = " ".join(filter(None, [storage, packaging, field_text(label, "source_text")[0]]))
    if re.search(_FREEZE_DRIED, everything):
        reason += (
            "; freeze-dried vesicles can keep without cold storage (Sci Rep 2018; "
            "J Extracell Biol 2024), so ask the maker for stability data"
        )
    return Verdict("stability", FAILS, reason)
