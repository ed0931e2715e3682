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

#: Studies on the facts sheet: pattern, short description, source of the vesicles tested.
KNOWN_STUDIES = [
    (
        r"10\.3390/cosmetics7040090|cosmetics\s*2020\s*;\s*7",
        "Cho 2020 (adipose stem cell exosomes; split-face, placebo-controlled; the authors "
        "call the effect limited and fading)",
        "adipose stem cell",
    ),
    (
        r"10\.1093/asj/sjac149|aesthet surg j\s*2022\s*;\s*42",
        "Proffer 2022 (platelet exosomes; single-arm, no control group)",
        "platelet",
    ),
    (
        r"j drugs dermatol\s*2024\s*;\s*23",
        "Wyles 2024 (platelet exosomes; single-arm, 12 weeks)",
        "platelet",
    ),
    (
        r"adv00310|acta derm venereol\s*2020\s*;\s*100",
        "Kwon 2020 (adipose stem cell exosomes with fractional CO2 laser, not used alone)",
        "adipose stem cell",
    ),
    (
        r"10\.1111/jocd\.70208",
        "Estupiñan 2025 (adipose stem cell exosomes vs PRP with RF microneedling)",
        "adipose stem cell",
    ),
]
_NOT_FOUND_2026 = r"(?:j\.?|journal of)\s*cosmet\w*\.?\s*dermatol\w*[^;]{0,30}2026"


@never_crash("clinical_data")
def clinical_data_cited(label: Any) -> Verdict:
    """Criterion ``clinical_data``: a traceable citation (DOI, PMID, trial registry number
    or journal year;volume) of a clinical study of this kind of product. Reads
    ``evidence`` and ``source_text``.

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
    for pattern, study, tested in KNOWN_STUDIES:
        if re.search(pattern, text):
            if source in ("plant", "milk", "adipose stem cell", "platelet") and source != tested:
                return Verdict(
                    "clinical_data", FAILS, f"cites {study}: not a study of {source} exosomes"
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
