"""Particle concentrations as labels write them, and rubric criterion 2 (concentration).

The parser reads scientific notation, English number words and Korean units (만, 억, 조
with 천, 백, 십), finds what the count is per (mL, a container of known volume), and
refuses what it cannot read: it returns the number per mL, or ``None`` with the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from .fields import (
    CANNOT_TELL,
    FAILS,
    MEETS,
    NOT_STATED,
    Verdict,
    field_text,
    field_value,
    is_stated,
    never_crash,
)
from .text import normalise

#: Above this a stated concentration is physically impossible: 10^15 vesicles of 100 nm
#: per mL would fill about half of the liquid (4/3·π·(50 nm)^3 × 10^15 ≈ 0.52 mL).
MAX_PLAUSIBLE_PER_ML = 1e15
#: Below this (less than one particle per mL) a figure is not a product claim but a misreading.
MIN_PLAUSIBLE_PER_ML = 1.0


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


@never_crash("concentration")
def concentration_disclosed(label: Any) -> Verdict:
    """Criterion ``concentration``: a particle concentration (per mL, or a count and a
    known volume) with the counting method. Reads ``concentration_text`` and
    ``volume_ml``.

    >>> print(concentration_disclosed({"concentration_text": "2.4E+09 particles/mL (NTA)"}).reason)
    2.4e+09 particles/mL by NTA (a maker's claim; such counts are unstandardized)
    >>> concentration_disclosed({"concentration_text": "Exosome 1%"}).verdict
    'fails'
    """
    text, problem = field_text(label, "concentration_text")
    if text is None:
        return Verdict("concentration", CANNOT_TELL, problem)
    if not is_stated(text):
        return Verdict(
            "concentration",
            FAILS,
            "no concentration given (the article asks for the actual concentration, "
            "not just 'exosome content')",
        )
    volume = field_value(label, "volume_ml")
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
