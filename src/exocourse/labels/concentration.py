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
_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
#: Digits with a scale word or a magnitude suffix: "5 billion", "2.5bn", "5B", "500M", "2 tn".
_WSCALE = re.compile(
    _START + rf"(?P<m>{_NUM})\s*(?P<s>thousand|million|billion|trillion|bn|mn|tn|k|m|b)(?![a-z0-9])"
)
_KNUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_KOREAN = re.compile(_START + rf"{_KNUM}\s*[십백천만억조](?:\s*(?:{_KNUM})?\s*[십백천만억조])*")
#: Korean numerals with no digits ("천억", "오십억", "백만"); they must end in 만, 억 or 조 and
#: not sit inside a word ("만족", "천연").
_KDIGITS = str.maketrans("일이삼사오육칠팔구", "123456789")
_KWORD_GROUP = r"(?:[일이삼사오육칠팔구]?[십백천])*[일이삼사오육칠팔구]?[만억조]"
_KOREAN_WORDS = re.compile(
    rf"(?<![가-힣0-9.,])(?:{_KWORD_GROUP})(?:\s*{_KWORD_GROUP})*(?=[^가-힣]|개|$)"
)
#: Vague amounts: "수천억" (several hundred billion), "수십억", "billions of", "millions of".
_VAGUE = re.compile(r"수\s*[십백천]?\s*[만억조]|\b(?:thousands|millions|billions|trillions)\s+of\b")
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
_NOUN_AFTER = re.compile(rf"^\s*[+~]?\s*(?:(?!{_NOT_BETWEEN})[a-z][a-z-]*\s+){{0,4}}?{_NOUN}")
_NOUN_BEFORE = re.compile(
    r"(?:particles?|exosomes?|vesicles?|evs?|엑소좀|입자)\s*(?:count|concentration|수|농도)?"
    r"[\s:=,(]*$"
)
_CURRENCY_AFTER = re.compile(r"^\s*(?:원|won|krw|usd|us\$|\$|달러)")
_UNIT = r"(?P<u>ml|milli?lit(?:re|er)s?|cc|μl|ul|l|lit(?:re|er)s?)(?![a-z])"
_PER = r"(?:/|per\b|in\s+(?:each|every|one|a|the)\b|in\b|each\b)"
_CONTAINERS = (
    r"(?P<c>vials?|bottles?|ampoules?|ampules?|jars?|tubes?|sheets?|masks?|patch(?:es)?"
    r"|capsules?|containers?|units?|병|바이알|앰플|매|장|용기|튜브|시트)"
)
#: Units that hold several containers (or an unknown number): a count per box is refused.
_GROUPS = (
    r"(?P<g>box(?:es)?|cartons?|kits?|sets?|cases?|packs?|packages?|pairs?|courses?"
    r"|박스|상자|세트|케이스|쌍|통|팩)"
)
_MASS_UNIT = r"(?P<w>mg|μg|ug|ng|g|kg|grams?|milligrams?|kilograms?|oz|ounces?|그램)(?![a-z])"
_VOL_AFTER = re.compile(rf"^\s*(?:\)\s*)?{_PER}\s*(?P<n>{_NUM})?\s*{_UNIT}")
_CONTAINER_AFTER = re.compile(
    rf"^\s*{_PER}\s*(?P<k>{_NUM})?\s*(?:(?:single|single-use|single-dose|sealed|glass)\s+)?"
    rf"{_CONTAINERS}"
)
_CONTAINER_AFTER_KO = re.compile(rf"^\s*(?:/\s*)?\(?\s*(?P<k>\d+)?\s*{_CONTAINERS}\s*당")
_MASS_AFTER = re.compile(rf"^\s*(?:/|per\b|in\b|each\b)\s*(?P<n>{_NUM})?\s*{_MASS_UNIT}")
_GROUP_AFTER = re.compile(
    rf"^\s*(?:/|per\b|in\s+(?:each|every|one|a|the)\b)\s*(?:\d+\s*)?{_GROUPS}"
)
_GROUP_AFTER_KO = re.compile(rf"^\s*(?:/\s*)?\(?\s*\d*\s*{_GROUPS}\s*당")
_OTHER_AFTER = re.compile(r"^\s*(?:/|per\b)\s*(?:\d[\d.,]*\s*)?(?P<w>[a-z가-힣][a-z가-힣-]*)")
_MASS_BEFORE = re.compile(rf"(?:per\s+)?(?P<n>{_NUM})?\s*{_MASS_UNIT}\s*당\s*$")
_GROUP_BEFORE = re.compile(rf"\d*\s*{_GROUPS}\s*당\s*$")
_OTHER_BEFORE = re.compile(r"(?P<w>[a-z가-힣]+)\s*당\s*$")
_INLINE_VOLUME = re.compile(rf"^\s*\(?\s*(?P<n>{_NUM})\s*{_UNIT}")
_DOSE_AFTER = re.compile(
    rf"^\s*{_PER}\s*(?:1\s*)?(?P<d>doses?|applications?|uses?|drops?|pumps?|treatments?"
    r"|sessions?|회)"
)
_VOL_BEFORE = re.compile(rf"(?:per\s+)?(?P<n>{_NUM})?\s*{_UNIT}\s*(?:당|[:,])\s*$")
_CONTAINER_BEFORE = re.compile(rf"(?P<k>\d+)?\s*{_CONTAINERS}\s*당\s*$")
#: "앰플 1개당" (per one ampoule), "시트 1매당": the Korean counted form, read as "1앰플당".
_KO_COUNTED_PER = re.compile(
    r"(병|바이알|앰플|용기|튜브|시트|박스|상자|세트|케이스|팩)\s*(\d+)\s*(?:개|매|장|병)\s*당"
)
_RANGE_BETWEEN = re.compile(r"^\s*(?:-|~|to|부터|에서)\s*$")
_LOWER_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:at\s+least|more\s+than|over|above|greater\s+than|in\s+excess\s+of"
    r"|upwards\s+of|no\s+less\s+than|not\s+less\s+than|min(?:imum)?\.?)|최소|>=?|≥)\s*:?\s*$"
)
_UPPER_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:up\s+to|less\s+than|fewer\s+than|under|below|no\s+more\s+than"
    r"|max(?:imum)?\.?)|최대|<=?|≤)\s*:?\s*$"
)
_TILDE_BEFORE = re.compile(r"(?:^|[^\d\s])\s*~\s*$")
_PLUS_AFTER = re.compile(r"^\s*\+(?!\s*\d)")
_TILDE_AFTER = re.compile(r"^\s*~(?!\s*\d)")
_LOWER_AFTER = re.compile(
    r"^[^.;,\d]{0,40}?(?:(?<![가-힣])|(?<=개))(?:이상|초과|or\s+more|or\s+above|and\s+above"
    r"|and\s+up|or\s+higher|or\s+greater)(?![a-z])"
)
_UPPER_AFTER = re.compile(
    r"^[^.;,\d]{0,40}?(?:(?<![가-힣])|(?<=개))(?:이하|미만|or\s+less|or\s+fewer|at\s+most)(?![a-z])"
)
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
    method it names (or None) and a short reason.

    A range or a bound is never reported as the value: ``per_ml`` is None and ``low`` /
    ``high`` hold the bounds in particles/mL that the text states (None where it states
    none). ``unconvertible`` marks a count per gram, per box or per another unit that
    cannot be turned into per mL."""

    per_ml: float | None
    method: str | None
    reason: str
    needs_volume: bool = False  # a count that a container volume would convert
    low: float | None = None
    high: float | None = None
    unconvertible: bool = False

    @property
    def is_bound(self) -> bool:
        """True when the text states a range or a bound instead of one value."""
        return self.low is not None or self.high is not None


@dataclass
class _Count:
    start: int
    end: int
    value: float
    big: bool  # written as 10^n, e-notation, a scale word or Korean units
    scale: float | None = None  # value / mantissa, when the count is "mantissa × scale"


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
    for token in re.findall(rf"{_KNUM}|[십백천만억조]", text):
        if token[0].isdigit():
            if number is not None:
                return None
            number = _to_float(token)
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
        found.append(
            _Count(m.start(), m.end(), _power(mantissa, m["e"]), True, _power(1.0, m["e"]))
        )
    for m in _ENOT.finditer(text):
        found.append(
            _Count(m.start(), m.end(), _power(float(m["m"]), m["e"]), True, _power(1.0, m["e"]))
        )
    for m in _WSCALE.finditer(text):
        scale = _SCALES[m["s"]]
        found.append(_Count(m.start(), m.end(), _to_float(m["m"]) * scale, True, scale))
    for m in _KOREAN.finditer(text):
        value = _korean_value(m.group())
        if value is not None:
            numbers = re.findall(_KNUM, m.group())
            scale = value / _to_float(numbers[0]) if len(numbers) == 1 else None
            found.append(_Count(m.start(), m.end(), value, True, scale))
    for m in _KOREAN_WORDS.finditer(text):
        if not re.search("[일이삼사오육칠팔구십백천]", m.group()):
            continue  # a bare 억 or 만 is a word, not a number
        value = _korean_value(m.group().translate(_KDIGITS))
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


def _denominator(after: str, before: str) -> tuple[str, float | None, str, float]:
    """What a count is per: ("volume", mL, "", 1), ("container", mL or None, word, n),
    ("dose", None, word, 1), ("mass" | "group" | "other", None, word, 1) or ("none", None, "", 1).

    ``n`` is the number of containers the count is per ("per 2 patches")."""
    if m := _VOL_AFTER.match(after):
        return "volume", _volume(m), "", 1.0
    if m := _MASS_AFTER.match(after):
        return "mass", None, m["w"], 1.0
    if m := _GROUP_AFTER.match(after) or _GROUP_AFTER_KO.match(after):
        return "group", None, m["g"], 1.0
    if m := _CONTAINER_AFTER.match(after) or _CONTAINER_AFTER_KO.match(after):
        n = _to_float(m["k"]) if m["k"] else 1.0
        inline = _INLINE_VOLUME.match(after[m.end() :])
        if inline and n != 1:
            return "other", None, f"{m['k']} {m['c']} (each or together?)", 1.0
        return "container", _volume(inline) if inline else None, m["c"], n
    if m := _DOSE_AFTER.match(after):
        return "dose", None, m["d"], 1.0
    if m := _OTHER_AFTER.match(after):
        return "other", None, m["w"], 1.0
    if m := _VOL_BEFORE.search(before):
        return "volume", _volume(m), "", 1.0
    if m := _MASS_BEFORE.search(before):
        return "mass", None, m["w"], 1.0
    if m := _GROUP_BEFORE.search(before):
        return "group", None, m["g"], 1.0
    if m := _CONTAINER_BEFORE.search(before):
        return "container", None, m["c"], _to_float(m["k"]) if m["k"] else 1.0
    if m := _OTHER_BEFORE.search(before):
        return "other", None, m["w"], 1.0
    return "none", None, "", 1.0


def _bound(before: str, after: str, rest: str) -> str | None:
    """ "lower", "upper" or "tilde" when the words around a count make it a bound."""
    if _LOWER_BEFORE.search(before) or _PLUS_AFTER.match(after) or _PLUS_AFTER.match(rest):
        return "lower"
    if _UPPER_BEFORE.search(before):
        return "upper"
    if _TILDE_BEFORE.search(before):
        return "tilde"
    if _TILDE_AFTER.match(after) or _TILDE_AFTER.match(rest):
        return "lower"  # Korean "50억~": from 5 × 10^9 upwards
    if _LOWER_AFTER.match(after):
        return "lower"
    if _UPPER_AFTER.match(after):
        return "upper"
    return None


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
    container ("per vial", "/병", "1매당", "앰플 1개당") is divided by ``volume_ml``, the
    volume of one container; a count per dose or application cannot be converted. When the text
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
    norm = _KO_COUNTED_PER.sub(r"\2\1당", norm)
    if _BROKEN_SCI.search(norm):
        return Reading(
            None, method, "scientific notation without its power sign ('× 10 9'): ambiguous"
        )
    volume = _positive(volume_ml)
    flags = []
    scan = norm  # the text with percentages, ppm and masses blanked out, to find counts in
    for pattern, flag in [
        (_PERCENT, "a percentage of 'exosome content'"),
        (_PPM, "a proportion in ppm"),
        (_MASS, "a mass"),
    ]:
        if pattern.search(scan):
            flags.append(flag)
            scan = pattern.sub(lambda m: " " * len(m.group()), scan)

    resolved: list[tuple[bool, float, str]] = []  # (explicitly per volume, per mL, reason)
    problems: list[Reading] = []
    counts = _counts(scan)
    paired: set[int] = set()  # counts that open a range ("1-5 × 10^9": the "1")
    for i, count in enumerate(counts):
        if i in paired:
            continue
        before, after = norm[: count.start], norm[count.end :]
        if _CURRENCY_AFTER.match(after) or before.endswith(("₩", "$")):
            continue
        noun = _NOUN_AFTER.match(after)
        rest = after[noun.end() :] if noun else after
        kind, per, word, units = _denominator(rest, before)
        accepted = (
            noun is not None
            or (kind != "none" and (count.big or count.value >= 1e6))
            or (count.big and _NOUN_BEFORE.search(before) is not None)
        )
        if not accepted:
            continue
        low_count = None  # the other end of a range, as a count
        if i + 1 < len(counts) and not noun:
            following = counts[i + 1]
            if _RANGE_BETWEEN.match(norm[count.end : following.start]):
                continue  # this count opens a range; the next count reads it
        if i > 0 and _RANGE_BETWEEN.match(norm[counts[i - 1].end : count.start]):
            first = counts[i - 1]
            paired.add(i - 1)
            low_count = first.value
            if not first.big and count.scale is not None:
                low_count = first.value * count.scale  # "1-5 × 10^9": both ends × 10^9
        if kind in ("mass", "group", "other"):
            why = {
                "mass": f"a count per {word} (a mass, not a volume)",
                "group": f"a count per {word}, which holds several containers",
                "other": f"a count per {word}",
            }[kind]
            problems.append(
                Reading(
                    None, method, f"{why}: cannot tell the particles per mL", unconvertible=True
                )
            )
            continue
        if kind == "dose":
            problems.append(
                Reading(None, method, f"a count per {word}; the volume of one {word} is not stated")
            )
            continue
        if kind == "container":
            per = per or volume
            if per is None:
                problems.append(
                    Reading(
                        None,
                        method,
                        f"a count per {word}, but the volume of one {word} is unknown",
                        needs_volume=True,
                    )
                )
                continue
            per *= units
        elif kind == "none":
            if volume is None:
                problems.append(
                    Reading(
                        None,
                        method,
                        "a count with no volume, and the container volume is unknown",
                        needs_volume=True,
                    )
                )
                continue
            per = volume
        value = count.value / per
        if not (math.isfinite(value) and MIN_PLAUSIBLE_PER_ML <= value <= MAX_PLAUSIBLE_PER_ML):
            problems.append(
                Reading(
                    None,
                    method,
                    f"the stated count gives {value:.3g} particles/mL, outside the plausible "
                    f"range [{MIN_PLAUSIBLE_PER_ML:g}, {MAX_PLAUSIBLE_PER_ML:.0e}]",
                )
            )
            continue
        if low_count is not None:
            low = low_count / per
            problems.append(
                Reading(
                    None,
                    method,
                    f"a range ({low:.3g} to {value:.3g} particles/mL), not one value",
                    low=low,
                    high=value,
                )
            )
            continue
        bound = _bound(before, after, rest)
        if bound == "lower":
            problems.append(
                Reading(
                    None,
                    method,
                    f"a lower bound (at least {value:.3g} particles/mL), not the value itself",
                    low=value,
                )
            )
            continue
        if bound == "upper":
            problems.append(
                Reading(
                    None,
                    method,
                    f"an upper bound (at most {value:.3g} particles/mL), not the value itself",
                    high=value,
                )
            )
            continue
        if bound == "tilde":
            problems.append(
                Reading(
                    None,
                    method,
                    f"'~' before {value:.3g} particles/mL may mean 'about' or 'up to': ambiguous",
                )
            )
            continue
        resolved.append((kind == "volume", value, f"{value:.3g} particles/mL"))
    if resolved:
        explicit = [r for r in resolved if r[0]]
        _, value, reason = (explicit or resolved)[0]
        return Reading(value, method, reason)
    if problems:
        return problems[0]
    if m := _VAGUE.search(norm):
        return Reading(
            None, method, f"a vague amount ('{m.group()}'), not a number", unconvertible=True
        )
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
        if reading.unconvertible or reading.is_bound:
            if reading.method is None:
                return Verdict(
                    "concentration", FAILS, f"{reading.reason}, and no counting method is named"
                )
            return Verdict("concentration", CANNOT_TELL, reading.reason)
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
