"""Read exosome skincare labels: particle concentrations and a six-point rubric.

The rubric turns the source article's label checklist (source, concentration, cold
storage, clinical data) and the facts sheet's science and regulation sections into six
criteria. Each criterion is a function that takes one label (a ``dict`` or a pandas row)
and returns a :class:`Verdict`: ``"meets"`` (1 point), ``"fails"`` or ``"cannot tell"``
(0 points), with a short reason. A field that is missing, empty or not text gives
``"cannot tell"``, never an exception.

Text matching is tolerant of case, spacing, full-width characters, superscripts and
script: English and Korean wordings are both recognised. The word lists are short and
documented below; a rubric built from keywords misses wordings it has not seen, which is
why the course compares its verdicts with an instructor's key.

>>> parse_concentration("1.2 × 10⁹ particles/mL (NTA)")
1200000000.0
>>> label = {"source_text": "Rose callus exosome-like vesicles"}
>>> source_specified(label).verdict
'meets'
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

MEETS = "meets"
FAILS = "fails"
CANNOT_TELL = "cannot tell"
VERDICTS = (MEETS, FAILS, CANNOT_TELL)

#: Above this a stated concentration is physically impossible: 10^15 vesicles of 100 nm
#: per mL would fill about half of the liquid (4/3·π·(50 nm)^3 × 10^15 ≈ 0.52 mL).
MAX_PLAUSIBLE_PER_ML = 1e15
#: Below this (less than one particle per mL) a figure is not a product claim but a misreading.
MIN_PLAUSIBLE_PER_ML = 1.0

#: Field values meaning "the label says nothing about this" (after normalising).
NOT_STATED = ("not stated", "none stated", "표시 없음", "미표기", "없음")


# --- text normalisation ---------------------------------------------------------------

_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe63\uff0d]")
_TILDES = re.compile("[\u301c\uff5e]")


def normalise(text: str) -> str:
    """Text in one comparable form: superscripts as ``^``, NFKC, casefolded, one space.

    Superscript exponents become ``^`` powers before NFKC (which would otherwise turn
    ``10⁹`` into ``109``); dashes and the minus sign become ``-``.

    >>> normalise("  1.2 × 10⁹  Particles/㎖ ")
    '1.2 × 10^9 particles/ml'
    >>> normalise("Store at 2–8 ℃")
    'store at 2-8 °c'
    """
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _DASHES.sub("-", text)
    text = _TILDES.sub("~", text)
    return re.sub(r"\s+", " ", text).strip()


# --- concentration parsing ------------------------------------------------------------

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:[.,]\d+)?"
_START = r"(?<![0-9a-z.,^])"
_SCI = re.compile(_START + rf"(?:(?P<m>{_NUM})\s*[x×*·⋅]\s*)?10\s*\^\s*(?P<e>[+-]?\d{{1,4}})")
_ENOT = re.compile(_START + r"(?P<m>\d+(?:\.\d+)?)e(?P<e>[+-]?\d{1,4})(?![0-9a-z])")
_SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_WSCALE = re.compile(_START + rf"(?P<m>{_NUM})\s*(?P<s>thousand|million|billion|trillion|bn|mn)\b")
_KOREAN = re.compile(
    _START + r"\d+(?:\.\d+)?\s*[십백천만억조](?:\s*(?:\d+(?:\.\d+)?)?\s*[십백천만억조])*"
)
_PLAIN = re.compile(_START + rf"(?P<m>{_NUM})")

_UNIT_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TEN_WORDS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {w: i for i, w in enumerate(_UNIT_WORDS)} | {
    w: 10 * (i + 2) for i, w in enumerate(_TEN_WORDS)
}
_NUMBER_WORDS = sorted(
    [*_WORD_VALUES, "hundred", "thousand", "million", "billion", "trillion"], key=len, reverse=True
)
_W = "|".join(_NUMBER_WORDS)
_WORDS = re.compile(rf"\b(?:a[\s-]+)?(?:{_W})(?:[\s-]+(?:and[\s-]+)?(?:{_W}))*\b")

_KOREAN_SMALL = {"십": 10.0, "백": 100.0, "천": 1000.0}
_KOREAN_BIG = {"만": 1e4, "억": 1e8, "조": 1e12}

_NOUN = (
    r"(?:(?:particles?|exosomes?|exosome-like|vesicles?|nanovesicles?|nanoparticles?|evs?)\b"
    r"|개(?![월선국발])|입자|엑소좀|나노입자|베지클|소포체)"
)
_NOT_BETWEEN = (
    r"(?:mg|μg|ug|ng|g|kg|ml|l|cc|ppm|ppb|nm|μm|um|da|kda|percent|per|in|each|won|usd|krw)\b"
)
_NOUN_AFTER = re.compile(rf"^\s*(?:(?!{_NOT_BETWEEN})[a-z][a-z-]*\s+){{0,4}}?{_NOUN}")
_NOUN_BEFORE = re.compile(
    r"(?:particles?|exosomes?|vesicles?|evs?|엑소좀|입자)\s*(?:count|concentration|수|농도)?"
    r"[\s:=,(]*$"
)
_CURRENCY_AFTER = re.compile(r"^\s*(?:원|won|krw|usd|us\$|\$|달러)")
_UNIT = r"(?P<u>ml|milli?lit(?:re|er)s?|cc|μl|ul|l|lit(?:re|er)s?)(?![a-z])"
_PER = r"(?:/|per\b|in\s+(?:each|every|one|a|the)\b|in\b|each\b)"
_CONTAINERS = (
    r"(?P<c>vials?|bottles?|ampoules?|ampules?|jars?|tubes?|sheets?|masks?|packs?|patch(?:es)?"
    r"|capsules?|containers?|units?|kits?|병|바이알|앰플|매|장|용기|튜브|시트)"
)
_VOL_AFTER = re.compile(rf"^\s*(?:\)\s*)?{_PER}\s*(?P<n>{_NUM})?\s*{_UNIT}")
_CONTAINER_AFTER = re.compile(
    rf"^\s*{_PER}\s*(?:1\s*)?(?:(?:single|single-use|single-dose|sealed|glass)\s+)?{_CONTAINERS}"
)
_CONTAINER_AFTER_KO = re.compile(rf"^\s*\(?\s*1?\s*{_CONTAINERS}\s*당")
_INLINE_VOLUME = re.compile(rf"^\s*\(?\s*(?P<n>{_NUM})\s*{_UNIT}")
_DOSE_AFTER = re.compile(
    rf"^\s*{_PER}\s*(?:1\s*)?(?P<d>doses?|applications?|uses?|drops?|pumps?|treatments?"
    r"|sessions?|회)"
)
_VOL_BEFORE = re.compile(rf"(?:per\s+)?(?P<n>{_NUM})?\s*{_UNIT}\s*(?:당|[:,])\s*$")
_CONTAINER_BEFORE = re.compile(rf"1?\s*{_CONTAINERS}\s*당\s*$")
_BROKEN_SCI = re.compile(r"\d\s*[x×*·⋅]\s*10\s+[+-]?\d")
_PERCENT = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|percent\b|퍼센트)")
_PPM = re.compile(r"\d[\d,.]*\s*(?:ppm|ppb)\b")
_MASS = re.compile(r"\d+(?:[.,]\d+)?\s*(?:mg|μg|ug|ng|g)(?![a-z])")

_METHODS = [
    ("NTA", r"\bnta\b|nanoparticle[- ]tracking|나노\s*입자\s*추적"),
    ("TRPS", r"\btrps\b|tunable resistive pulse"),
    ("nano-flow cytometry", r"nano[- ]?flow|\bnfcm\b"),
    ("flow cytometry", r"flow cytometry|유세포"),
]


@dataclass(frozen=True)
class Reading:
    """What a concentration statement says: particles per mL (or None), the counting
    method it names (or None) and a short reason."""

    per_ml: float | None
    method: str | None
    reason: str
    needs_volume: bool = False  # a count that a container volume would convert


@dataclass
class _Count:
    start: int
    end: int
    value: float
    big: bool  # written as 10^n, e-notation, a scale word or Korean units


def _to_float(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _power(mantissa: float, exponent: str) -> float:
    try:
        return mantissa * 10.0 ** int(exponent)
    except OverflowError:
        return math.inf


def _korean_value(text: str) -> float | None:
    """Value of a Korean numeral such as ``1조 2천억`` or ``3천만``; None if malformed."""
    total, section, number = 0.0, 0.0, None
    last_big, last_small = math.inf, math.inf
    for token in re.findall(r"\d+(?:\.\d+)?|[십백천만억조]", text):
        if token[0].isdigit():
            if number is not None:
                return None
            number = float(token)
        elif token in _KOREAN_SMALL:
            unit = _KOREAN_SMALL[token]
            if unit >= last_small:
                return None
            section += (1.0 if number is None else number) * unit
            number, last_small = None, unit
        else:
            unit = _KOREAN_BIG[token]
            if unit >= last_big:
                return None
            section += number or 0.0
            total += (section or 1.0) * unit
            section, number, last_big, last_small = 0.0, None, unit, math.inf
    return total + section + (number or 0.0)


def _words_value(text: str) -> float | None:
    """Value of English number words such as ``five billion``; None if not a number."""
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if words and words[0] == "a":
        words = words[1:]
        if not words or words[0] not in ("hundred", *_SCALES):
            return None
        words = ["one", *words]
    if not words or words[0] not in _WORD_VALUES:
        return None
    total, current = 0.0, 0.0
    for word in words:
        if word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word == "hundred":
            current = (current or 1.0) * 100
        else:
            total += (current or 1.0) * _SCALES[word]
            current = 0.0
    return total + current


def _counts(text: str) -> list[_Count]:
    """Every number in ``text`` with its value, longest reading first where they overlap."""
    found: list[_Count] = []
    for m in _SCI.finditer(text):
        mantissa = _to_float(m["m"]) if m["m"] else 1.0
        found.append(_Count(m.start(), m.end(), _power(mantissa, m["e"]), True))
    for m in _ENOT.finditer(text):
        found.append(_Count(m.start(), m.end(), _power(float(m["m"]), m["e"]), True))
    for m in _WSCALE.finditer(text):
        found.append(_Count(m.start(), m.end(), _to_float(m["m"]) * _SCALES[m["s"]], True))
    for m in _KOREAN.finditer(text):
        value = _korean_value(m.group())
        if value is not None:
            found.append(_Count(m.start(), m.end(), value, True))
    for m in _WORDS.finditer(text):
        value = _words_value(m.group())
        if value is not None:
            found.append(_Count(m.start(), m.end(), value, True))
    for m in _PLAIN.finditer(text):
        found.append(_Count(m.start(), m.end(), _to_float(m["m"]), False))
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Count] = []
    for count in found:
        if not kept or count.start >= kept[-1].end:
            kept.append(count)
    return kept


def _volume(match: re.Match) -> float:
    """The volume in mL of a matched ``<number> <unit>`` (no number means 1)."""
    unit = match["u"]
    if unit.startswith(("μ", "u")):
        factor = 1e-3
    elif unit.startswith(("ml", "mil", "cc")):
        factor = 1.0
    else:  # l, litre, liter
        factor = 1000.0
    return (_to_float(match["n"]) if match["n"] else 1.0) * factor


def _denominator(after: str, before: str) -> tuple[str, float | None, str]:
    """What a count is per: ("volume", mL, ""), ("container", mL or None, word),
    ("dose", None, word) or ("none", None, "")."""
    if m := _VOL_AFTER.match(after):
        return "volume", _volume(m), ""
    if m := _CONTAINER_AFTER.match(after) or _CONTAINER_AFTER_KO.match(after):
        inline = _INLINE_VOLUME.match(after[m.end() :])
        return "container", _volume(inline) if inline else None, m["c"]
    if m := _DOSE_AFTER.match(after):
        return "dose", None, m["d"]
    if m := _VOL_BEFORE.search(before):
        return "volume", _volume(m), ""
    if m := _CONTAINER_BEFORE.search(before):
        return "container", None, m["c"]
    return "none", None, ""


def _positive(value: Any) -> float | None:
    """``value`` as a positive finite float, else None (bools and text are not numbers)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        return None
    value = float(value)
    return value if math.isfinite(value) and value > 0 else None


def counting_method(text: Any) -> str | None:
    """The particle-counting method a text names (NTA, TRPS, nano-flow or flow cytometry).

    >>> counting_method("1.5E+09 particles/mL, 나노입자 추적 분석")
    'NTA'
    >>> counting_method("5 billion exosomes") is None
    True
    """
    if not isinstance(text, str):
        return None
    text = normalise(text)
    for name, pattern in _METHODS:
        if re.search(pattern, text):
            return name
    return None


def read_concentration(text: Any, volume_ml: Any = None) -> Reading:
    """Read a label's concentration statement: particles per mL, method and a reason.

    A count with no volume of its own ("5 billion exosomes", "50억 개") or a count per
    container ("per vial", "/병", "1매당") is divided by ``volume_ml``, the volume of one
    container; a count per dose or application cannot be converted. When the text
    gives several counts, an explicit per-volume one is preferred, else the first.
    Values outside [1, 10^15] per mL are rejected as implausible (see
    :data:`MAX_PLAUSIBLE_PER_ML`), and ``× 10 9`` (a power whose superscript was lost) as
    ambiguous.

    >>> r = read_concentration("3.0 x 10^10 particles/vial (NTA)", volume_ml=5)
    >>> r.per_ml, r.method
    (6000000000.0, 'NTA')
    >>> read_concentration("3.0 x 10^10 particles/vial").reason
    'a count per vial, but the volume of one vial is unknown'
    >>> read_concentration("exosome 10%").reason
    "a percentage of 'exosome content', not a particle count"
    """
    if not isinstance(text, str):
        return Reading(None, None, f"no concentration text (got {type(text).__name__})")
    norm = normalise(text)
    if not norm:
        return Reading(None, None, "the concentration text is empty")
    if norm in NOT_STATED:
        return Reading(None, None, "the label states no concentration")
    method = counting_method(norm)
    if _BROKEN_SCI.search(norm):
        return Reading(
            None, method, "scientific notation without its power sign ('× 10 9'): ambiguous"
        )
    volume = _positive(volume_ml)
    flags = []
    for pattern, flag in [
        (_PERCENT, "a percentage of 'exosome content'"),
        (_PPM, "a proportion in ppm"),
        (_MASS, "a mass"),
    ]:
        if pattern.search(norm):
            flags.append(flag)
            norm = pattern.sub(lambda m: " " * len(m.group()), norm)

    resolved: list[tuple[bool, float, str]] = []  # (explicitly per volume, per mL, reason)
    problems: list[tuple[str, bool]] = []  # (reason, a container volume would resolve it)
    for count in _counts(norm):
        before, after = norm[: count.start], norm[count.end :]
        if _CURRENCY_AFTER.match(after) or before.endswith(("₩", "$")):
            continue
        noun = _NOUN_AFTER.match(after)
        rest = after[noun.end() :] if noun else after
        kind, per, word = _denominator(rest, before)
        accepted = (
            noun is not None
            or (kind != "none" and (count.big or count.value >= 1e6))
            or (count.big and _NOUN_BEFORE.search(before) is not None)
        )
        if not accepted:
            continue
        if kind == "dose":
            problems.append((f"a count per {word}; the volume of one {word} is not stated", False))
            continue
        if kind == "container":
            per = per or volume
            if per is None:
                problems.append(
                    (f"a count per {word}, but the volume of one {word} is unknown", True)
                )
                continue
        elif kind == "none":
            if volume is None:
                problems.append(
                    ("a count with no volume, and the container volume is unknown", True)
                )
                continue
            per = volume
        value = count.value / per
        if not (math.isfinite(value) and MIN_PLAUSIBLE_PER_ML <= value <= MAX_PLAUSIBLE_PER_ML):
            problems.append(
                (
                    f"the stated count gives {value:.3g} particles/mL, outside the plausible "
                    f"range [{MIN_PLAUSIBLE_PER_ML:g}, {MAX_PLAUSIBLE_PER_ML:.0e}]",
                    False,
                )
            )
            continue
        resolved.append((kind == "volume", value, f"{value:.3g} particles/mL"))
    if resolved:
        explicit = [r for r in resolved if r[0]]
        _, value, reason = (explicit or resolved)[0]
        return Reading(value, method, reason)
    if problems:
        return Reading(None, method, problems[0][0], needs_volume=problems[0][1])
    if flags:
        return Reading(None, method, f"{flags[0]}, not a particle count")
    return Reading(None, method, "no particle count found in the text")


def parse_concentration(text: Any, volume_ml: Any = None) -> float | None:
    """Particles per mL stated by ``text``, or None when it states no particle count.

    ``volume_ml`` is the volume of one container; it is needed for a count per vial or a
    count with no volume. Scientific notation (``1.2 × 10^9``, ``1.2x10⁹``, ``1.2*10^9``,
    ``1.2e9``, ``1.2E+09``), digits with scale words (``5 billion``, ``2.5 bn``), English
    number words (``five billion``), Korean units (``50억``, ``1.5억``, ``3천만``,
    ``1조 2천억``) and the spellings ``/mL``, ``per ml``, ``per 10 mL vial``, ``mL당``,
    ``/병``, ``per vial`` are understood. A percentage, ppm or mass is not a particle
    count; anything that is not text gives None, never an error.

    >>> parse_concentration("1.2 × 10^9 particles/mL")
    1200000000.0
    >>> parse_concentration("5 billion exosomes per 10 mL vial")
    500000000.0
    >>> parse_concentration("exosome 10%") is None
    True
    >>> parse_concentration("50억 개", volume_ml=5)
    1000000000.0
    """
    return read_concentration(text, volume_ml).per_ml


# --- label fields ---------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One criterion's verdict on one label: ``meets`` (1 point), ``fails`` or
    ``cannot tell`` (0 points), with the reason.

    >>> Verdict("source", "meets", "names platelets").points
    1
    """

    criterion: str
    verdict: str
    reason: str

    @property
    def points(self) -> int:
        """1 if the criterion is met, else 0."""
        return 1 if self.verdict == MEETS else 0


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, (float, np.floating)) and math.isnan(value)


def _as_record(label: Any) -> Mapping | None:
    if isinstance(label, pd.Series):
        return label.to_dict()
    return label if isinstance(label, Mapping) else None


def _text(label: Any, field: str) -> tuple[str | None, str]:
    """(normalised text, "") or (None, why the field cannot be read)."""
    record = _as_record(label)
    if record is None:
        return None, f"the label is not a record of fields (got {type(label).__name__})"
    value = record.get(field)
    if _missing(value):
        return None, f"field '{field}' is missing"
    if not isinstance(value, str):
        return None, f"field '{field}' is not text (got {type(value).__name__})"
    value = normalise(value)
    if not value:
        return None, f"field '{field}' is empty"
    return value, ""


def _stated(text: str) -> bool:
    return text not in NOT_STATED


def _value(label: Any, field: str) -> Any:
    record = _as_record(label)
    return None if record is None else record.get(field)


def _any(patterns: Iterable[str], text: str) -> str | None:
    """The first pattern that matches ``text`` (its matched words), else None."""
    for pattern in patterns:
        if m := re.search(pattern, text):
            return m.group()
    return None


def _never_crash(criterion: str) -> Callable:
    """Turn any unexpected error inside a criterion into a ``cannot tell`` verdict."""

    def wrap(func: Callable[[Any], Verdict]) -> Callable[[Any], Verdict]:
        @functools.wraps(func)
        def safe(label: Any) -> Verdict:
            try:
                return func(label)
            except Exception as exc:  # a malformed label must not stop a whole table
                return Verdict(criterion, CANNOT_TELL, f"could not read the label ({exc!r})")

        return safe

    return wrap


# --- criterion 1: source --------------------------------------------------------------

_SOURCE_PATTERNS = [
    ("milk", r"milk|colostrum|whey|우유|초유|산양유|유청"),
    ("platelet", r"platelet|혈소판|\bprp\b"),
    ("adipose stem cell", r"adipo|\bad?scs?\b|fat[- ]derived|지방"),
    (
        "plant",
        r"plant|exosome[- ]like|식물|callus|캘러스|유사|\b(?:centella|rose|grape|apple|lemon"
        r"|ginseng|green tea|soy|aloe|ginger|tomato|broccoli)\b|병풀|장미|포도|사과|레몬|인삼|녹차"
        r"|콩|알로에|생강",
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


@_never_crash("source")
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
    text, problem = _text(label, "source_text")
    if text is None:
        return Verdict("source", CANNOT_TELL, problem)
    if not _stated(text):
        return Verdict("source", FAILS, "the label does not say where its exosomes come from")
    source = classify_source(text)
    if source == "unspecified":
        if re.search(r"stem[- ]?cell|줄기\s*세포", text):
            return Verdict("source", FAILS, "says 'stem cell' but not which tissue or species")
        return Verdict("source", FAILS, "names no tissue, plant or animal source")
    return Verdict("source", MEETS, f"names the source: {source}")


# --- criterion 2: concentration -------------------------------------------------------


@_never_crash("concentration")
def concentration_disclosed(label: Any) -> Verdict:
    """Criterion ``concentration``: a particle concentration (per mL, or a count and a
    known volume) with the counting method. Reads ``concentration_text`` and
    ``volume_ml``.

    >>> print(concentration_disclosed({"concentration_text": "2.4E+09 particles/mL (NTA)"}).reason)
    2.4e+09 particles/mL by NTA (a maker's claim; such counts are unstandardized)
    >>> concentration_disclosed({"concentration_text": "Exosome 1%"}).verdict
    'fails'
    """
    text, problem = _text(label, "concentration_text")
    if text is None:
        return Verdict("concentration", CANNOT_TELL, problem)
    if not _stated(text):
        return Verdict(
            "concentration",
            FAILS,
            "no concentration given (the article asks for the actual concentration, "
            "not just 'exosome content')",
        )
    volume = _value(label, "volume_ml")
    reading = read_concentration(text, volume)
    if reading.per_ml is None:
        if reading.needs_volume:
            return Verdict(
                "concentration",
                CANNOT_TELL,
                f"{reading.reason}: cannot turn it into particles/mL",
            )
        return Verdict("concentration", FAILS, reading.reason)
    if reading.method is None:
        return Verdict(
            "concentration",
            FAILS,
            f"{reading.reason}, but no counting method (e.g. NTA) is named",
        )
    return Verdict(
        "concentration",
        MEETS,
        f"{reading.reason} by {reading.method} (a maker's claim; such counts are unstandardized)",
    )


# --- criterion 3: cold storage or single-use packaging --------------------------------

_NO_COLD = (
    r"(?:do not|don't|never|no need to|need not|not necessary to)\s+(?:be\s+)?"
    r"(?:refrigerat\w*|freez\w*|chill\w*)"
    r"|냉장\s*(?:보관)?\s*(?:불필요|필요\s*없\w*)|냉동\s*(?:금지|하지\s*마\w*)|얼리지\s*마\w*"
)
_FREEZE_DRIED = r"freeze[- ]?dri\w*|lyophili\w*|동결\s*건조"
_COLD_WORDS = (
    r"refrigerat\w*|fridge|freez\w*|frozen|cold[- ]chain|ships? cold|냉장|냉동|콜드\s*체인"
)
_TEMP_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)\s*°?\s*c?\s*(?:-|~|to)\s*(-?\d+(?:\.\d+)?)\s*°?\s*c\b")
_TEMP = re.compile(r"(-?\d+(?:\.\d+)?)\s*°\s*c\b")
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


@_never_crash("stability")
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
    storage, storage_problem = _text(label, "storage")
    packaging, packaging_problem = _text(label, "packaging")
    reasons = []
    if storage is not None and _stated(storage) and (cold := _is_cold(storage)):
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
    said = "no storage instruction" if not _stated(storage) else "no cold storage"
    if room := re.search(_ROOM, storage):
        said = f"no cold storage ({room.group()})"
    reason = f"{said}, and multi-use packaging ({multi.group()})"
    everything = " ".join(filter(None, [storage, packaging, _text(label, "source_text")[0]]))
    if re.search(_FREEZE_DRIED, everything):
        reason += (
            "; freeze-dried vesicles can keep without cold storage (Sci Rep 2018; "
            "J Extracell Biol 2024), so ask the maker for stability data"
        )
    return Verdict("stability", FAILS, reason)


# --- criterion 4: clinical data -------------------------------------------------------

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


@_never_crash("clinical_data")
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
    text, problem = _text(label, "evidence")
    if text is None:
        return Verdict("clinical_data", CANNOT_TELL, problem)
    if not _stated(text):
        return Verdict("clinical_data", FAILS, "no clinical evidence cited")
    if re.search(_NOT_FOUND_2026, text):
        return Verdict(
            "clinical_data",
            FAILS,
            "cites a 2026 J Cosmet Dermatol paper that could not be found (facts §1), no DOI",
        )
    source = classify_source(_value(label, "source_text"))
    for pattern, study, tested in KNOWN_STUDIES:
        if re.search(pattern, text):
            if source in ("plant", "milk", "adipose stem cell", "platelet") and source != tested:
                return Verdict(
                    "clinical_data", FAILS, f"cites {study}: not a study of {source} exosomes"
                )
            return Verdict("clinical_data", MEETS, f"cites {study}")
    if found := _any(_TRACEABLE, text):
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


# --- criterion 5: science -------------------------------------------------------------

_NOT_DERIVED = r"(?![- ]?(?:derived|culture|conditioned|exosome|extract|media|lysate))"
_LIVE_STEM_CELLS = [
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
_NEEDLE_NEGATED = (
    r"without (?:any )?(?:micro-?)?needl\w*|no needles?|needle-?free|needleless"
    r"|(?:니들|바늘|주사)\s*없이|no injections?"
)
_ASSISTED = r"micro-?needl\w*|microchannels?|\bmts\b|needling|laser|마이크로\s*니들|니들링|레이저"


def _claims_text(label: Any, fields: Iterable[str]) -> tuple[str | None, str]:
    """Normalised ``name`` and claim fields joined, or None with the reason if the claims
    field itself is unreadable."""
    claims, problem = _text(label, "claims")
    if claims is None:
        return None, problem
    parts = [claims]
    for field in fields:
        text, _ = _text(label, field)
        if text is not None and _stated(text):
            parts.append(text)
    return " . ".join(parts), ""


@_never_crash("science")
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
    text, problem = _claims_text(label, ["name"])
    if text is None:
        return Verdict("science", CANNOT_TELL, problem)
    if not _stated(text):
        return Verdict("science", MEETS, "makes no claims")
    reasons = []
    if found := _any(_LIVE_STEM_CELLS, text):
        reasons.append(
            f"'{found}': such products rarely contain actual stem cells (article); "
            "vesicles cannot replicate (MISEV2023)"
        )
    if found := _any(_STEM_CELLS_ENTER, text):
        reasons.append(f"'{found}': stem cells entering skin has no scientific support (article)")
    assisted = re.search(_ASSISTED, re.sub(_NEEDLE_NEGATED, " ", text))
    if (found := _any(_DERMIS, text)) and not assisted:
        reasons.append(
            f"'{found}': topical vesicles are far above the 500 Da rule (Bos & Meinardi 2000); "
            "intact ~100 nm liposomes did not cross human skin (Dreier 2016)"
        )
    if found := _any(_STEM_CELL_EFFECT, text):
        reasons.append(f"'{found}': 'exosome cosmetics = stem cell effects' is an overreach")
    if reasons:
        return Verdict("science", FAILS, "; ".join(reasons))
    return Verdict(
        "science",
        MEETS,
        "no claim of live stem cells, stem cells entering skin or topical dermal penetration",
    )


# --- criterion 6: regulation ----------------------------------------------------------

EU_COUNTRIES = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)
KR_WORDING_BAN = date(2025, 1, 21)  # guideline revision: human-derived wording, microneedle use
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
    value = _value(label, "recorded")
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


@_never_crash("regulation")
def regulation_compliant(label: Any) -> Verdict:
    """Criterion ``regulation``: no claim that breaks a rule on the facts sheet (§4) for
    the label's country of sale, as of the date it was recorded.

    Checked: "FDA approved" anywhere; disease-treatment claims in the US; in Korea the
    ban on human cells as ingredients, on putting cosmetics into the skin by injection or
    microneedles (existing law, restated by an MFDS notice in Jan 2023, so any date) and
    on wording implying human-derived ingredients, such as unqualified "exosome" (from
    21 Jan 2025; plant and milk exosomes are outside it); in the EU the reported Annex II
    bar on human-origin products; in Taiwan case-by-case approval of human cell-derived
    exosomes. Other countries: only the FDA claim.

    >>> regulation_compliant({"claims": "FDA-approved exosome technology",
    ...                       "country": "US"}).verdict
    'fails'
    >>> goat_milk = {"claims": "엑소좀 화장품", "source_text": "산양유 엑소좀",
    ...              "directions": "아침저녁 사용", "country": "KR", "recorded": "2026-01-12"}
    >>> regulation_compliant(goat_milk).verdict
    'meets'
    >>> regulation_compliant(goat_milk | {"directions": None}).reason
    'directions unreadable: injection or microneedle wording cannot be ruled out'
    """
    claims, problem = _claims_text(label, ["name", "directions"])
    source_text, _ = _text(label, "source_text")
    country_text, _ = _text(label, "country")
    country = country_text.upper() if country_text else None
    when = _recorded(label)
    fails: list[str] = []
    unsure: list[str] = []
    scanned = " . ".join(filter(None, [claims, source_text]))
    # EU and Taiwan rules turn on whether the stated source (or the wording) is human.
    source = classify_source(_value(label, "source_text"))
    human = source in HUMAN_SOURCES or bool(re.search(_HUMAN_WORDS, scanned))
    if _any(_FDA_APPROVED, scanned):
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


def _korea(
    label: Any,
    claims: str | None,
    source_text: str | None,
    when: date | None,
    fails: list[str],
    unsure: list[str],
) -> None:
    """Apply the Korean rules (MFDS), adding reasons to ``fails`` or ``unsure``."""
    scanned = " . ".join(filter(None, [claims, source_text]))
    if _any(_LIVE_STEM_CELLS, scanned):
        fails.append(
            "MFDS: human cells and tissues, stem cells included, are banned as cosmetic ingredients"
        )
    needle_text = re.sub(_NEEDLE_NEGATED, " ", claims or "")
    if found := re.search(_NEEDLE_USE, needle_text):
        fails.append(
            f"'{found.group()}': cosmetics may not be put into the skin by injection or "
            "microneedles, only approved drugs or devices (MFDS notice, Jan 2023, restating "
            "the law)"
        )
    elif _text(label, "directions")[0] is None:
        unsure.append("directions unreadable: injection or microneedle wording cannot be ruled out")
    source = classify_source(_value(label, "source_text"))
    if source in ("plant", "milk"):
        return  # outside the 2025 wording ban
    human = source in HUMAN_SOURCES or re.search(_HUMAN_WORDS, scanned) is not None
    exosome_word = re.search(r"exosome|엑소좀", scanned) is not None
    wording_rule = (
        "MFDS guideline (21 Jan 2025) bans wording implying human-derived ingredients, "
        "such as 'exosome cosmetics'"
    )
    culture_media = (
        "MFDS allows human-derived material only as culture media meeting its safety standard; "
        "the label cannot show that"
    )
    if human:
        if when is None:
            unsure.append(f"human-derived, date unknown ({wording_rule})")
        elif when >= KR_WORDING_BAN:
            fails.append(wording_rule)
        else:
            unsure.append(f"{culture_media} (recorded before the 2025 wording ban)")
    elif exosome_word and when is not None and when >= KR_WORDING_BAN:
        fails.append(f"{wording_rule}: 'exosome' with no plant or milk source implies human origin")
    else:
        unsure.append(
            "source not stated: if human-derived, " + culture_media + "; plant and milk "
            "exosomes are outside the 2025 wording ban"
        )


# --- the whole rubric -----------------------------------------------------------------

#: The six criteria, in order: name -> function(label) -> Verdict.
CRITERIA: dict[str, Callable[[Any], Verdict]] = {
    "source": source_specified,
    "concentration": concentration_disclosed,
    "stability": cold_storage_or_single_use,
    "clinical_data": clinical_data_cited,
    "science": science_consistent,
    "regulation": regulation_compliant,
}


def assess(label: Any) -> list[Verdict]:
    """Every criterion's verdict on one label, in the order of :data:`CRITERIA`.

    >>> [v.verdict for v in assess(None)] == ["cannot tell"] * 6
    True
    """
    return [criterion(label) for criterion in CRITERIA.values()]


def total_score(label_or_verdicts: Any) -> int:
    """Points out of 6: one per criterion met. Takes a label or a list of verdicts.

    >>> total_score([Verdict("source", "meets", ""), Verdict("science", "fails", "")])
    1
    """
    if isinstance(label_or_verdicts, list) and all(
        isinstance(v, Verdict) for v in label_or_verdicts
    ):
        verdicts = label_or_verdicts
    else:
        verdicts = assess(label_or_verdicts)
    return sum(v.points for v in verdicts)


def _records(labels: Any) -> list[tuple[str, Any]]:
    if isinstance(labels, pd.DataFrame):
        rows = [row for _, row in labels.iterrows()]
    elif isinstance(labels, (Mapping, pd.Series)):
        rows = [labels]
    else:
        rows = list(labels)
    out = []
    for i, row in enumerate(rows, start=1):
        label_id = _value(row, "label_id")
        out.append((str(label_id) if not _missing(label_id) else f"#{i}", row))
    return out


def reasons_table(labels: Any) -> pd.DataFrame:
    """One row per label × criterion: ``label_id, criterion, verdict, reason`` (the
    layout of the instructor key ``label_key.csv``).

    >>> reasons_table([{"label_id": "X1", "source_text": "bovine milk"}]).iloc[0].tolist()
    ['X1', 'source', 'meets', 'names the source: milk']
    """
    rows = [
        {"label_id": label_id, "criterion": v.criterion, "verdict": v.verdict, "reason": v.reason}
        for label_id, label in _records(labels)
        for v in assess(label)
    ]
    return pd.DataFrame(rows, columns=["label_id", "criterion", "verdict", "reason"])


def rubric_table(labels: Any) -> pd.DataFrame:
    """One row per label: each criterion's verdict, the ``score`` (criteria met, out of 6)
    and ``cannot_tell`` (criteria that could not be judged).

    >>> t = rubric_table([{"label_id": "X1", "source_text": "bovine milk"}])
    >>> print(t[["label_id", "source", "score", "cannot_tell"]].to_string(index=False))
    label_id source  score  cannot_tell
          X1  meets      1            5
    """
    rows = []
    for label_id, label in _records(labels):
        verdicts = assess(label)
        row: dict[str, Any] = {"label_id": label_id}
        row.update({v.criterion: v.verdict for v in verdicts})
        row["score"] = sum(v.points for v in verdicts)
        row["cannot_tell"] = sum(v.verdict == CANNOT_TELL for v in verdicts)
        rows.append(row)
    return pd.DataFrame(rows, columns=["label_id", *CRITERIA, "score", "cannot_tell"])
