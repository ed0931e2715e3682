"""Read exosome skincare labels: particle concentrations and a rubric of criteria.

The rubric turns the source article's label checklist (source, concentration, cold
storage, clinical data) and the facts sheet's science and regulation sections into the
criteria of :data:`CRITERIA`. Each criterion is a function that takes one label (a
``dict`` or a pandas row) and returns a :class:`Verdict`: ``"meets"`` (1 point),
``"fails"`` or ``"cannot tell"`` (0 points), with a short reason. A field that is
missing, empty or not text gives ``"cannot tell"``, never an exception.

Text matching is tolerant of case, spacing, full-width characters, superscripts and
script: English and Korean wordings are both recognised. The word lists are short and
documented below; a rubric built from keywords misses wordings it has not seen, which is
why the course compares its verdicts with an instructor's key.

The modules follow the rubric: :mod:`.text` (normalising), :mod:`.fields` (verdicts and
reading a label's fields), :mod:`.concentration` (the parser and its criterion),
:mod:`.source`, :mod:`.storage`, :mod:`.clinical`, :mod:`.science`, :mod:`.regulation`
(one criterion each) and :mod:`.rubric` (the registry and the tables).

>>> parse_concentration("1.2 × 10⁹ particles/mL (NTA)")
1200000000.0
>>> label = {"source_text": "Rose callus exosome-like vesicles"}
>>> source_specified(label).verdict
'meets'
"""

from .clinical import KNOWN_STUDIES, clinical_data_cited, delivery_route
from .concentration import (
    MAX_PLAUSIBLE_PER_ML,
    MIN_PLAUSIBLE_PER_ML,
    Reading,
    concentration_disclosed,
    counting_method,
    parse_concentration,
    read_concentration,
)
from .fields import CANNOT_TELL, FAILS, MEETS, NOT_STATED, VERDICTS, Verdict
from .regulation import regulation_compliant
from .rubric import CRITERIA, assess, reasons_table, rubric_table, total_score
from .science import science_consistent
from .source import HUMAN_SOURCES, classify_source, source_specified
from .storage import cold_storage_or_single_use
from .text import normalise

__all__ = [
    "CANNOT_TELL",
    "CRITERIA",
    "FAILS",
    "HUMAN_SOURCES",
    "KNOWN_STUDIES",
    "MAX_PLAUSIBLE_PER_ML",
    "MEETS",
    "MIN_PLAUSIBLE_PER_ML",
    "NOT_STATED",
    "VERDICTS",
    "Reading",
    "Verdict",
    "assess",
    "classify_source",
    "clinical_data_cited",
    "cold_storage_or_single_use",
    "delivery_route",
    "concentration_disclosed",
    "counting_method",
    "normalise",
    "parse_concentration",
    "read_concentration",
    "reasons_table",
    "regulation_compliant",
    "rubric_table",
    "science_consistent",
    "source_specified",
    "total_score",
]
