"""Rubric criterion 6 (instructor's reference): do the claims break the rules of the
country where the label is sold, on the date it was recorded?
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from exocourse.labels.fields import (
    CANNOT_TELL,
    FAILS,
    MEETS,
    Verdict,
    field_text,
    field_value,
    first_match,
    never_crash,
)
from exocourse.labels.source import HUMAN_SOURCES, classify_source

from .science import LIVE_STEM_CELLS, NEEDLE_NEGATED, claims_text

EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
KR_WORDING_BAN = date(2025, 1, 21)  # MFDS guideline revision: prohibited expressions
TW_CASE_BY_CASE = date(2024, 3, 21)

_FDA_APPROVED = [
    r"fda[- ]?(?:approv\w*|clear\w*)",
    r"approved by (?:the )?(?:us )?fda",
    r"fda\s*(?:승인|허가|인증)",
]
_DISEASE = (
    r"\b(?:treat|treats|treating|cure|cures|curing|heal|heals|healing)\b[^.!?]{0,40}"
    r"\b(?:eczema|psoriasis|rosacea|acne|alopecia|hair loss|dermatitis|vitiligo|disease)"
)
_NEEDLE_USE = (
    r"micro-?needl\w*|\bmts\b|derma-? ?(?:roller|pen|stamp)|needling|inject\w*"
    r"|마이크로\s*니들|니들|주사|주입|더마\s*펜|롤러"
)
_HUMAN_WORDS = (
    r"\bhuman\b|인체|사람|인간|(?<!plant )(?<!식물 )(?<!식물)stem[- ]?cells?"
    r"|(?<!식물 )(?<!식물)줄기\s*세포"
)
FDA_REASON = "FDA safety notification (6 Dec 2019): 'no FDA-approved exosome products'"


def _recorded(label: Any) -> date | None:
    value = field_value(label, "recorded")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


@never_crash("regulation")
def regulation_compliant(label: Any) -> Verdict:
    """Criterion ``regulation``: no claim that breaks a rule on the facts sheet (§4) for
    the label's country of sale, as of the date it was recorded.

    Checked: "FDA approved" anywhere; disease-treatment claims in the US; in Korea the
    ban on human cells as ingredients, on putting cosmetics into the skin by injection or
    microneedles (existing law, restated by an MFDS notice in Jan 2023 as reported, so any
    date) and,
    from 21 Jan 2025, the prohibited expressions of the MFDS guideline revision: the bare
    phrase "엑소좀 화장품" and "엑소좀" not qualified by its origin, whatever the source
    ("우유 엑소좀", "식물 엑소좀" are allowed), wording implying human-derived ingredients,
    professional designations (병원용, 피부과전용, 약국용 …) and needle wording (바늘,
    니들, 마이크로니들, 미세침, MTS); in the EU the reported Annex II
    bar on human-origin products; in Taiwan case-by-case approval of human cell-derived
    exosomes. Other countries: only the FDA claim.

    >>> regulation_compliant({"claims": "FDA-approved exosome technology",
    ...                       "country": "US"}).verdict
    'fails'
    >>> goat_milk = {"claims": "산양유 엑소좀 함유. 보습.", "source_text": "산양유 엑소좀",
    ...              "directions": "아침저녁 사용", "country": "KR", "recorded": "2026-01-12"}
    >>> regulation_compliant(goat_milk).verdict
    'meets'
    >>> regulation_compliant(goat_milk | {"claims": "엑소좀 화장품. 보습."}).verdict
    'fails'
    >>> regulation_compliant(goat_milk | {"directions": None}).reason
    'directions unreadable: injection or microneedle wording cannot be ruled out'
    """
    claims, problem = claims_text(label, ["name", "directions"])
    source_text, _ = field_text(label, "source_text")
    country_text, _ = field_text(label, "country")
    country = country_text.upper() if country_text else None
    when = _recorded(label)
    fails: list[str] = []
    unsure: list[str] = []
    scanned = " . ".join(filter(None, [claims, source_text]))
    # EU and Taiwan rules turn on whether the stated source (or the wording) is human.
    source = classify_source(field_value(label, "source_text"))
    human = source in HUMAN_SOURCES or bool(re.search(_HUMAN_WORDS, scanned))
    if first_match(_FDA_APPROVED, scanned):
        fails.append(FDA_REASON)
    if claims is None:
        unsure.append(f"{problem}: its wording cannot be checked")
    if country is None:
        unsure.append("country of sale unknown")
    elif country == "US":
        if claims is not None and (found := re.search(_DISEASE, claims)):
            fails.append(
                f"'{found.group()}': FDA regulates exosomes used to treat disease as drugs "
                "and biologics"
            )
    elif country == "KR":
        _korea(label, claims, source_text, when, fails, unsure)
    elif country in EU_COUNTRIES:
        if human:
            fails.append(
                "EU Regulation 1223/2009 Annex II is reported to bar products of human origin "
                "(reported, not verified here)"
            )
        elif source not in ("plant", "milk"):
            unsure.append(
                "source not stated: if of human origin, EU Annex II is reported to bar it"
            )
    elif country == "TW":
        if human:
            unsure.append(
                "Taiwan approves human cell-derived exosomes case by case (since 21 Mar 2024); "
                "the label does not show approval"
            )
        elif source not in ("plant", "milk"):
            unsure.append("source not stated: Taiwan's case-by-case rule may apply")
    else:
        unsure.append(f"the facts sheet has no rules for {country}; only FDA claims checked")
    if fails:
        return Verdict("regulation", FAILS, "; ".join(fails))
    if unsure:
        return Verdict("regulation", CANNOT_TELL, "; ".join(unsure))
    return Verdict(
        "regulation", MEETS, f"no claim found that breaks the facts sheet's rules for {country}"
    )


#: The 21 Jan 2025 MFDS guideline revision (facts sheet §4), as prohibited expressions.
_KR_BARE_PHRASE = r"엑소좀\s*화장품|exosome\s+cosmetics?"
_KR_EXOSOME = re.compile(r"exosomes?|엑소좀")
_KR_PROFESSIONAL = r"병원\s*(?:전용|용)|피부과\s*(?:전용|시술\s*용)|약국\s*(?:전용|용)"
_KR_NEEDLE_WORDS = r"바늘|마이크로\s*니들|니들|미세\s*침|\bmts\b"
_KR_SKIN_AGE = r"피부\s*나이\s*\d+\s*(?:세|살)\s*(?:감소|젊어|어려)"
#: Words that qualify "exosome" by a non-human origin ("우유 엑소좀", "식물 엑소좀").
_NON_HUMAN_ORIGIN = ("plant", "milk")


_CLAUSE_END = r"[.,;:!?()/·]"
_LIKE = r"exosome[- ]like|엑소좀\s*유사|유사"


def _unqualified_exosome(text: str) -> str | None:
    """The first "exosome" / "엑소좀" in ``text`` whose clause names no origin at all
    ("우유 엑소좀", "exosome-like vesicles from ginseng" and "혈소판 엑소좀" name one;
    "-like" alone does not), else None."""
    for m in _KR_EXOSOME.finditer(text):
        before = re.split(_CLAUSE_END, text[: m.start()])[-1][-30:]
        after = re.split(_CLAUSE_END, text[m.end() :])[0][:30]
        clause = re.sub(_LIKE, " ", f"{before} {after}")
        if classify_source(clause) == "unspecified":
            return f"{before[-12:]}{m.group()}".strip()
    return None


def _korea(
    label: Any,
    claims: str | None,
    source_text: str | None,
    when: date | None,
    fails: list[str],
    unsure: list[str],
) -> None:
    """Apply the Korean rules (MFDS), adding reasons to ``fails`` or ``unsure``.

    At any date: no human cells or tissues as ingredients, and no putting a cosmetic into
    the skin by injection or microneedles (existing law, which an MFDS notice restated in
    Jan 2023, as reported). From 21 Jan 2025 (guideline revision) these expressions are prohibited
    whatever the source: "엑소좀 화장품" and "엑소좀" not qualified by its origin (origin
    wording such as "우유 엑소좀" or "식물 엑소좀" is allowed), wording implying a
    human-derived ingredient, professional designations (병원용, 병원전용, 피부과전용,
    피부과 시술용, 약국용, 약국전용), needle wording (바늘, 니들, 마이크로니들, 미세침, MTS)
    and "skin age n years younger".
    """
    scanned = " . ".join(filter(None, [claims, source_text]))
    if first_match(LIVE_STEM_CELLS, scanned):
        fails.append(
            "MFDS: human cells and tissues, stem cells included, are banned as cosmetic ingredients"
        )
    needle_text = re.sub(NEEDLE_NEGATED, " ", claims or "")
    needle_use = re.search(_NEEDLE_USE, needle_text)
    if needle_use:
        fails.append(
            f"'{needle_use.group()}': cosmetics may not be put into the skin by injection or "
            "microneedles, only approved drugs or devices (existing law, restated by an MFDS "
            "notice in Jan 2023, as reported)"
        )
    elif field_text(label, "directions")[0] is None:
        unsure.append("directions unreadable: injection or microneedle wording cannot be ruled out")
    source = classify_source(field_value(label, "source_text"))
    human = source in HUMAN_SOURCES or re.search(_HUMAN_WORDS, scanned) is not None
    guideline = "MFDS labelling and advertising guideline (revised 21 Jan 2025) prohibits"
    culture_media = (
        "MFDS allows human-derived material only as culture media meeting its safety standard; "
        "the label cannot show that"
    )
    if when is not None and when >= KR_WORDING_BAN:
        wording: list[str] = []
        if found := re.search(_KR_BARE_PHRASE, scanned):
            wording.append(f"'{found.group()}' whatever the source")
        elif found := _unqualified_exosome(scanned):
            wording.append(f"'exosome' not qualified by its origin ('{found}')")
        if human:
            wording.append("wording implying a human-derived ingredient")
        if found := re.search(_KR_PROFESSIONAL, scanned):
            wording.append(f"the professional designation '{found.group()}'")
        if not needle_use and (found := re.search(_KR_NEEDLE_WORDS, needle_text)):
            wording.append(f"needle wording ('{found.group()}')")
        if found := re.search(_KR_SKIN_AGE, scanned):
            wording.append(f"'{found.group()}' (skin age n years younger)")
        if wording:
            fails.append(f"{guideline} " + "; ".join(wording))
            return
        if source in _NON_HUMAN_ORIGIN or not _KR_EXOSOME.search(scanned):
            if source in _NON_HUMAN_ORIGIN:
                return  # origin-qualified plant or milk wording is allowed
    elif source in _NON_HUMAN_ORIGIN:
        return
    if human:
        if when is None:
            unsure.append(
                f"human-derived, date unknown (from 21 Jan 2025 the {guideline[5:]} such wording)"
            )
        else:
            unsure.append(f"{culture_media} (recorded before the 2025 guideline revision)")
        return
    if when is None and _KR_EXOSOME.search(scanned):
        unsure.append(
            "date unknown: from 21 Jan 2025 'exosome' without its origin is a prohibited expression"
        )
        return
    unsure.append(
        "source not stated: if human-derived, " + culture_media + "; origin-qualified plant "
        "and milk wording is allowed by the 2025 guideline"
    )
