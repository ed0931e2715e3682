"""Read exosome skincare labels: particle concentrations and the rubric's framework.

The rubric turns the source article's label checklist (source, concentration, cold
storage, clinical data) and the facts sheet's science and regulation sections into the
criteria of :data:`CRITERIA`. A criterion's rule takes one label (a ``dict`` or a pandas
row) and returns a :class:`Verdict`: ``"meets"`` (1 point), ``"fails"`` or ``"cannot
tell"`` (0 points), with a short reason. A field that is missing, empty or not text gives
``"cannot tell"``, never an exception.

The package holds only the rules no exercise asks for (:data:`PACKAGE_RULES`:
concentration and clinical data). The source, stability, science and regulation rules are
the answers of Lesson 4's exercises: a student writes them, and the tables here take them
as arguments (:func:`rubric_table`, :func:`reasons_table`); the instructor's reference
versions live outside the installed package.

Text matching is tolerant of case, spacing, full-width characters, superscripts and
script: English and Korean wordings are both recognised. The word lists are short and
documented below; a rubric built from keywords misses wordings it has not seen, which is
why the course compares its verdicts with an instructor's key.

The modules: :mod:`.text` (normalising), :mod:`.fields` (verdicts and reading a label's
fields), :mod:`.concentration` (the parser and its criterion), :mod:`.source` (which
source a text names), :mod:`.clinical` (the clinical-data criterion) and :mod:`.rubric`
(the criteria's names and the tables).

>>> parse_concentration("1.2 × 10⁹ particles/mL (NTA)")
1200000000.0
>>> classify_source("Rose callus exosome-like vesicles")
'plant'
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
from .rubric import (
    CRITERIA,
    PACKAGE_RULES,
    as_verdict,
    assess,
    key_rule,
    reasons_table,
    rubric_table,
    total_score,
)
from .source import HUMAN_SOURCES, classify_source
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
    "PACKAGE_RULES",
    "VERDICTS",
    "Reading",
    "Verdict",
    "as_verdict",
    "assess",
    "classify_source",
    "clinical_data_cited",
    "delivery_route",
    "key_rule",
    "concentration_disclosed",
    "counting_method",
    "normalise",
    "parse_concentration",
    "read_concentration",
    "reasons_table",
    "rubric_table",
    "total_score",
]
