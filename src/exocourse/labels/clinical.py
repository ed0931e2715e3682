"""Rubric criterion 4: is a clinical study cited that a reader could trace?"""

from __future__ import annotations

import re
from typing import Any

from .fields import (
    CANNOT_TELL,
    FAILS,
    MEETS,
    Verdict,
    field_text,
    field_value,
    first_match,
    is_stated,
    never_crash,
)
from .source import classify_source

_TRACEABLE = [
    r"\b10\.\d{4,9}/\S+",  # DOI
    r"\bpmid:?\s*\d{5,9}",
    r"\bnct\d{8}\b",
    r"\bkct\d{7}\b",
    r"\b(?:19|20)\d{2}\s*;\s*\d+",  # journal style: year;volume
]

#: How a study delivered the vesicles: put on intact skin, or after a procedure that opens it.
TOPICAL, LASER, MICRONEEDLING = "topical", "laser", "microneedling"

#: Studies on the facts sheet: pattern, short description, source of the vesicles tested,
#: delivery route (facts sheet §1: Kwon 2020 used a fractional CO2 laser, Estupiñan 2025
#: radiofrequency microneedling; Cho 2020, Proffer 2022 and Wyles 2024 were topical).
KNOWN_STUDIES = [
    (
        r"10\.3390/cosmetics7040090|cosmetics\s*2020\s*;\s*7",
        "Cho 2020 (adipose stem cell exosomes; split-face, placebo-controlled; the authors "
        "call the effect limited and fading)",
        "adipose stem cell",
        TOPICAL,
    ),
    (
        r"10\.1093/asj/sjac149|aesthet surg j\s*2022\s*;\s*42",
        "Proffer 2022 (platelet exosomes; single-arm, no control group)",
        "platelet",
        TOPICAL,
    ),
    (
        r"j drugs dermatol\s*2024\s*;\s*23",
        "Wyles 2024 (platelet exosomes; single-arm, 12 weeks)",
        "platelet",
        TOPICAL,
    ),
    (
        r"adv00310|acta derm venereol\s*2020\s*;\s*100",
        "Kwon 2020 (adipose stem cell exosomes with fractional CO2 laser, not used alone)",
        "adipose stem cell",
        LASER,
    ),
    (
        r"10\.1111/jocd\.70208",
        "Estupiñan 2025 (adipose stem cell exosomes vs PRP with RF microneedling)",
        "adipose stem cell",
        MICRONEEDLING,
    ),
]
_NEGATED = (
    r"without (?:any )?(?:micro-?)?needl\w*|no needles?|needle-?free|needleless|no lasers?"
    r"|(?:니들|바늘|레이저)\s*없이"
)
_ROUTES = [
    (LASER, r"laser|레이저|\bco2\b|fractional"),
    (
        MICRONEEDLING,
        r"micro-?needl\w*|microchannels?|\bmts\b|derma-? ?(?:roller|pen|stamp)|needling"
        r"|\brf\b|radio-?frequency|마이크로\s*니들|니들|미세\s*침|더마\s*펜",
    ),
]


def delivery_route(label: Any) -> str:
    """How a label tells you to use it: after a laser, after microneedling, or
    ``"topical"`` (on intact skin) when its directions and claims name no procedure.

    >>> delivery_route({"directions": "Apply immediately after microneedling."})
    'microneedling'
    >>> delivery_route({"directions": "Apply 3 drops to face, evening."})
    'topical'
    """
    text = " . ".join(
        filter(None, (field_text(label, f)[0] for f in ("name", "claims", "directions")))
    )
    text = re.sub(_NEGATED, " ", text)
    for route, pattern in _ROUTES:
        if re.search(pattern, text):
            return route
    return TOPICAL


_ROUTE_WORDS = {
    TOPICAL: "applied to intact skin",
    LASER: "applied after a fractional CO2 laser",
    MICRONEEDLING: "applied with (RF) microneedling",
}
_NOT_FOUND_2026 = r"(?:j\.?|journal of)\s*cosmet\w*\.?\s*dermatol\w*[^;]{0,30}2026"


@never_crash("clinical_data")
def clinical_data_cited(label: Any) -> Verdict:
    """Criterion ``clinical_data``: a traceable citation (DOI, PMID, trial registry number
    or journal year;volume) of a clinical study of this kind of product: the same source
    and the same delivery route (a study of exosomes after a laser or with microneedling
    does not support a product put on intact skin). Reads ``evidence``, ``source_text``
    and, for the route, ``name``, ``claims`` and ``directions``.

    >>> clinical_data_cited({"evidence": "Clinically tested by dermatologists"}).verdict
    'fails'
    >>> v = clinical_data_cited({"evidence": "Aesthet Surg J 2022;42(10):1185",
    ...                          "source_text": "human platelets"})
    >>> v.verdict, v.reason
    ('meets', 'cites Proffer 2022 (platelet exosomes; single-arm, no control group)')
    """
    text, problem = field_text(label, "evidence")
    if text is None:
        return Verdict("clinical_data", CANNOT_TELL, problem)
    if not is_stated(text):
        return Verdict("clinical_data", FAILS, "no clinical evidence cited")
    if re.search(_NOT_FOUND_2026, text):
        return Verdict(
            "clinical_data",
            FAILS,
            "cites a 2026 J Cosmet Dermatol paper that could not be found (facts §1), no DOI",
        )
    source = classify_source(field_value(label, "source_text"))
    for pattern, study, tested, route in KNOWN_STUDIES:
        if re.search(pattern, text):
            if source in ("plant", "milk", "adipose stem cell", "platelet") and source != tested:
                return Verdict(
                    "clinical_data", FAILS, f"cites {study}: not a study of {source} exosomes"
                )
            used = delivery_route(label)
            if used != route:
                return Verdict(
                    "clinical_data",
                    FAILS,
                    f"cites {study}: vesicles {_ROUTE_WORDS[route]}, but this product is "
                    f"{_ROUTE_WORDS[used]}; a study of another delivery route does not support it",
                )
            return Verdict("clinical_data", MEETS, f"cites {study}")
    if found := first_match(_TRACEABLE, text):
        return Verdict(
            "clinical_data",
            MEETS,
            f"cites a traceable source ({found}); read it to check what it tested",
        )
    return Verdict(
        "clinical_data",
        FAILS,
        "names evidence but nothing traceable (no DOI, registry number or journal year;volume)",
    )
