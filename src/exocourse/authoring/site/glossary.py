"""The course glossary: each term, its definition (from the course's fact sheet) and the words
that link to it from the lesson pages.

>>> term = TERMS[0]
>>> term.name, term.anchor
('EV (extracellular vesicle)', 'ev')
>>> bool(term.pattern.search("two EVs and a liposome"))
True
>>> glossary_markdown().startswith("# Glossary")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    """A glossary entry: ``pattern`` finds it in a lesson's text."""

    name: str
    anchor: str
    definition: str
    pattern: re.Pattern[str]


def _term(name: str, anchor: str, definition: str, pattern: str, flags: int = 0) -> Term:
    return Term(name, anchor, " ".join(definition.split()), re.compile(pattern, flags))


TERMS: list[Term] = [
    _term(
        "EV (extracellular vesicle)",
        "ev",
        """A particle released from cells, bounded by a lipid bilayer, that cannot replicate on its
        own (MISEV2023). An EV is not a cell. "Small EVs" (under 200 nm) is an operational term,
        to be used with caution, since a size depends on the method that measured it.""",
        r"\b(?:EVs?|extracellular vesicles?)\b",
    ),
    _term(
        "Exosome",
        "exosome",
        """An EV of endosomal origin: formed as an intraluminal vesicle inside a multivesicular
        body and released when that body fuses with the cell membrane. MISEV2023 asks for caution
        with the word, which is commonly kept for vesicles whose endosomal origin is shown;
        marker proteins (CD9, CD63, CD81, Alix, TSG101) show that EVs are present, not that
        they are exosomes.""",
        r"\bexosomes?\b",
        re.IGNORECASE,
    ),
    _term(
        "EV mimetic",
        "ev-mimetic",
        """An artificially produced vesicle-like particle (by our reading of the definition, also
        one made by disrupting tissue); MISEV2023 prefers this name to "EV" or "exosome" for
        such particles.""",
        r"\bEV mimetics?\b",
    ),
    _term(
        "MISEV",
        "misev",
        """"Minimal information for studies of extracellular vesicles": the field's reporting
        guideline. The current version is MISEV2023 (Welsh et al., 2024); its predecessor was
        MISEV2018 (Théry et al.).""",
        r"\bMISEV(?:2018|2023)?\b",
    ),
    _term(
        "NTA (nanoparticle tracking analysis)",
        "nta",
        """A counting and sizing method that films particles moving in a light beam and infers each
        one's size from how fast it diffuses. It counts particles, not vesicles: aggregates and
        other material of the right size are counted too (Maas et al., 2015), and results vary
        from day to day and between instruments.""",
        r"\bNTA\b",
    ),
    _term(
        "TRPS (tunable resistive pulse sensing)",
        "trps",
        """A nanopore method that counts and sizes particles as they pass through a pore. Six
        expert laboratories measuring identical samples with one standardised TRPS protocol
        found a between-laboratory coefficient of variation of 23.9 % for liposomes and 52.5 %
        for EVs, part of it from the filtering of the EVs, the authors suggest; they still judged
        reproducibility good within and between laboratories (Vogel et al., 2016).""",
        r"\bTRPS\b",
    ),
    _term(
        "TFF (tangential flow filtration)",
        "tff",
        """An isolation method that filters the fluid flowing across a membrane rather than through
        it; the closest published match to the news story's split-face trial (Cho et al.,
        2020) isolated its vesicles this way.""",
        r"\bTFF\b",
    ),
    _term(
        "Coefficient of variation (CV)",
        "cv",
        """The standard deviation divided by the mean, often given as a percentage: a spread that
        can be compared between quantities of different sizes.""",
        r"\b(?:coefficient of variation|CVs?)\b",
    ),
    _term(
        "500 Dalton rule",
        "500-dalton-rule",
        """The observation (Bos & Meinardi, 2000) that compounds that get through skin well are
        small, under about 500 Da. A 100 nm vesicle weighs about 3 × 10⁸ Da.""",
        r"\b500[ -]Dalton rule\b",
        re.IGNORECASE,
    ),
    _term(
        "Split-face (within-person) trial",
        "split-face",
        """A trial that gives one treatment to one side of each participant's face and the
        comparison (for example a placebo) to the other, and compares the two sides within each
        person. The side should be randomised, and the two sides analysed as pairs, not as
        independent people.""",
        r"\bsplit-face\b",
        re.IGNORECASE,
    ),
    _term(
        "Parallel-group trial",
        "parallel-group",
        """A trial that randomises people, not sides: each participant gets one treatment, and the
        groups are compared with each other.""",
        r"\bparallel[- ]group\b",
        re.IGNORECASE,
    ),
    _term(
        "Carry-across",
        "carry-across",
        """In a within-person trial, treatment reaching the control side (by touch, spreading or a
        whole-body effect). It is the major constraint of split-face designs: it shrinks the
        difference between the sides, so a real effect looks smaller than it is.""",
        r"\bcarry-across\b",
        re.IGNORECASE,
    ),
    _term(
        "ρ (within-person correlation)",
        "rho",
        """The correlation between the two sides' changes within a person. For equal precision a
        split-face trial needs about (1 − ρ)/2 of the participants of a parallel-group trial:
        the higher ρ, the larger the gain. The course's simulations assume a value for it; it
        was not measured.""",
        r"ρ",
    ),
    _term(
        "Power",
        "power",
        """The probability that a trial detects an effect of a given size at a given significance
        level, when that effect is real. It grows with the number of participants and the size
        of the effect, and falls as the noise grows.""",
        r"\bpower\b",
        re.IGNORECASE,
    ),
    _term(
        "Type I error",
        "type-i-error",
        """Declaring an effect when there is none. A test at the 5 % level makes this error in 5 %
        of trials of a product that does nothing.""",
        r"\btype I errors?\b",
        re.IGNORECASE,
    ),
    _term(
        "p-value",
        "p-value",
        """The probability, if there were no effect, of data at least as extreme as those observed.
        A small p-value is not the probability that the product works.""",
        r"\bp-values?\b",
    ),
    _term(
        "Wilcoxon signed-rank test",
        "wilcoxon",
        """A test of paired differences that uses their ranks and signs rather than their values,
        so a few extreme values sway it less than they sway a paired t-test.""",
        r"\bWilcoxon\b",
    ),
    _term(
        "Hodges–Lehmann estimate",
        "hodges-lehmann",
        """The estimate that goes with the Wilcoxon signed-rank test: the median of all averages of
        pairs of paired differences (each difference paired with itself included), with a
        matching distribution-free confidence interval.""",
        r"\bHodges[–-]Lehmann\b",
    ),
    _term(
        "Holm's procedure",
        "holm",
        """A correction for testing several endpoints that keeps the chance of any false "win" at
        most at the chosen level: sort the m p-values, multiply the k-th smallest by m − k + 1,
        carry the running maximum forward and cap at 1.""",
        r"\bHolm(?:'s)?\b",
    ),
    _term(
        "Regression to the mean",
        "regression-to-the-mean",
        """When people are enrolled because a first reading was extreme, their next readings tend
        to be less extreme even if nothing was done: a single-arm before/after study can mistake
        this for an effect.""",
        r"\bregression to the mean\b",
        re.IGNORECASE,
    ),
    _term(
        "Mixed model",
        "mixed-model",
        """A regression with a random effect for each participant, used to analyse repeated visits
        of the same people.""",
        r"\bmixed models?\b",
        re.IGNORECASE,
    ),
    _term(
        "CONSORT",
        "consort",
        """The reporting guideline for randomised trials; its extension for within-person trials
        (Pandis et al., BMJ 2017) lists what a split-face report must state.""",
        r"\bCONSORT\b",
    ),
    _term(
        "Mexameter",
        "mexameter",
        """A skin-colour meter that reports a melanin index on a scale of 0–999 arbitrary units
        with a 5 mm probe; its reading is biased by redness.""",
        r"\bMexameter\b",
    ),
    _term(
        "INCI",
        "inci",
        """International Nomenclature of Cosmetic Ingredients: the standard ingredient names
        printed on cosmetic labels. Exosome-related INCI-type names seen on consumer sites (such
        as "Human Adipocyte Conditioned Media Extract") must be checked before they are relied
        on.""",
        r"\bINCI\b",
    ),
    _term(
        "MFDS",
        "mfds",
        """Korea's Ministry of Food and Drug Safety, the regulator of drugs and cosmetics. It bans
        human cells and tissues, stem cells included, as cosmetic ingredients (only culture
        media meeting its safety standard may be used), and from 21 January 2025 its labelling
        and advertising guideline lists "exosome" (엑소좀) used unqualified, as in "엑소좀 화장품"
        (exosome cosmetics), among prohibited expressions whatever the real source; wording
        that names the origin, such as "식물 엑소좀" (plant exosome), is allowed.""",
        r"\bMFDS\b",
    ),
]


def glossary_markdown() -> str:
    """The glossary page in MyST Markdown: one anchored entry per term, alphabetically."""
    lines = [
        "# Glossary",
        "",
        "The terms the lessons use, in the sense the lessons use them. A linked word on a",
        "lesson page leads here.",
        "",
    ]
    for term in sorted(TERMS, key=lambda t: t.name.lstrip("ρ ").lower()):
        lines += [f"({term.anchor})=", f"## {term.name}", "", term.definition, ""]
    return "\n".join(lines)
