"""Property-based tests of the concentration parser: a known quantity, written in many ways,
is read back (within float tolerance) or refused with a reason, never read as a wrong number.

Hypothesis is derandomized (the same examples on every run) and kept to a few hundred
examples so the file runs in seconds.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exocourse import labels as lb

FAST = settings(derandomize=True, max_examples=60, deadline=None)

#: A mantissa as printed: 1 to 999 with 0, 1 or 2 decimals ("7", "2.5", "9.25").
mantissas = st.tuples(st.integers(1, 999), st.integers(0, 2)).map(
    lambda t: f"{t[0] / 10 ** t[1]:.{t[1]}f}"
)
exponents = st.integers(6, 12)
per_ml = st.sampled_from(["particles/mL", "particles per mL", "exosomes/ml", "개/mL", "EVs per ml"])

SUFFIXES = {
    "K": 1e3,
    "k": 1e3,
    "M": 1e6,
    "million": 1e6,
    "mn": 1e6,
    "B": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "tn": 1e12,
    "trillion": 1e12,
}


def close(got: float | None, expected: float) -> bool:
    return got is not None and math.isclose(got, expected, rel_tol=1e-9)


def write_korean(n: int, commas: bool) -> str:
    """``n`` (a multiple of 10^4) in Korean units: 1조 2천억, or 1,200억 with commas."""
    parts = []
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4)):
        group, n = divmod(n, size)
        if group:
            parts.append((f"{group:,}" if commas else str(group)) + unit)
    return " ".join(parts)


@FAST
@given(
    mantissas,
    exponents,
    st.sampled_from(["{m} × 10^{e}", "{m}x10^{e}", "{m} * 10 ^ {e}", "{m}e{e}", "{m}E+{e:02d}"]),
    per_ml,
)
def test_scientific_notation_is_read(m, e, form, unit):
    text = f"{form.format(m=m, e=e)} {unit}"
    assert close(lb.parse_concentration(text), float(m) * 10.0**e), text


@FAST
@given(mantissas, st.sampled_from(sorted(SUFFIXES)), st.booleans(), per_ml)
def test_scale_words_and_suffixes_are_read(m, suffix, space, unit):
    expected = float(m) * SUFFIXES[suffix]
    text = f"{m}{' ' if space else ''}{suffix} {unit}"
    got = lb.parse_concentration(text)
    if expected < lb.MIN_PLAUSIBLE_PER_ML:
        assert got is None, text
    else:
        assert close(got, expected), text


@FAST
@given(st.integers(1, 99_999_999).map(lambda k: k * 10**4), st.booleans(), st.booleans())
def test_korean_units_are_read(n, commas, space):
    text = write_korean(n, commas) + (" 개/mL" if space else "개/mL")
    assert close(lb.parse_concentration(text), float(n)), text


@FAST
@given(mantissas, exponents, st.sampled_from([0.5, 1.0, 2.0, 5.0, 30.0]), st.integers(1, 4))
def test_a_count_per_container_is_divided_by_its_volume(m, e, volume, units):
    count = float(m) * 10.0**e
    noun = "patch" if units == 1 else "patches"
    text = f"{m} × 10^{e} particles per {units} {noun}"
    expected = count / (volume * units)
    got = lb.parse_concentration(text, volume_ml=volume)
    in_range = lb.MIN_PLAUSIBLE_PER_ML <= expected <= lb.MAX_PLAUSIBLE_PER_ML
    assert close(got, expected) if in_range else got is None, text


@FAST
@given(
    mantissas,
    exponents,
    st.sampled_from(
        [
            "at least {x} particles/mL",
            "over {x} particles/mL",
            "more than {x} particles/mL",
            "{x}+ particles/mL",
            "{x} particles/mL or more",
            "최소 {x} 개/mL",
            "{x} 개/mL 이상",
            "mL당 {x}개 이상",
            "{x}~ 개/mL",
        ]
    ),
    st.sampled_from([None, 5.0]),
)
def test_a_lower_bound_is_reported_as_a_bound_never_as_the_value(m, e, form, volume):
    x = float(m) * 10.0**e
    text = form.format(x=f"{m} × 10^{e}")
    reading = lb.read_concentration(text, volume_ml=volume)
    assert reading.per_ml is None, text
    assert reading.low is not None and math.isclose(reading.low, x, rel_tol=1e-9), text
    assert reading.high is None and "lower bound" in reading.reason


@FAST
@given(mantissas, exponents, st.sampled_from(["up to {x}", "less than {x}", "최대 {x}"]))
def test_an_upper_bound_is_reported_as_a_bound(m, e, form):
    x = float(m) * 10.0**e
    reading = lb.read_concentration(form.format(x=f"{m} × 10^{e}") + " particles/mL")
    assert reading.per_ml is None
    assert reading.high is not None and math.isclose(reading.high, x, rel_tol=1e-9)


@FAST
@given(
    st.integers(1, 9),
    st.integers(1, 9),
    exponents,
    st.sampled_from(
        [
            "{a}-{b} × 10^{e}",
            "{a} ~ {b} × 10^{e}",
            "{a} to {b} x 10^{e}",
            "{a} × 10^{e} - {b} × 10^{e}",
        ]
    ),
)
def test_a_range_is_refused_and_its_ends_reported(a, b, e, form):
    low, high = sorted((a, b))
    if low == high:
        high += 1
    text = form.format(a=low, b=high, e=e) + " particles/mL"
    reading = lb.read_concentration(text)
    assert reading.per_ml is None, text
    assert math.isclose(reading.low, low * 10.0**e) and math.isclose(reading.high, high * 10.0**e)


@FAST
@given(
    mantissas,
    exponents,
    st.sampled_from(
        [
            "per gram",
            "/g",
            "per 1 g",
            "per kg",
            "per box",
            "/box",
            "per kit",
            "per set",
            "per serving",
            "per pair",
            "/박스",
        ]
    ),
    st.sampled_from([None, 2.0, 30.0]),
)
def test_a_count_per_gram_or_per_box_is_refused(m, e, denominator, volume):
    text = f"{m} × 10^{e} particles {denominator}"
    reading = lb.read_concentration(text, volume_ml=volume)
    assert reading.per_ml is None, text
    assert reading.unconvertible and "cannot tell" in reading.reason, text


@settings(derandomize=True, max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "5",
                "2.5",
                "10^9",
                "×",
                "x",
                "e9",
                "billion",
                "B",
                "M",
                "억",
                "천",
                "만",
                "개",
                "particles",
                "/mL",
                "per",
                "vial",
                "g",
                "box",
                "~",
                "-",
                "+",
                "이상",
                "over",
                "(NTA)",
                "%",
                "ppm",
                " ",
            ]
        ),
        max_size=8,
    ).map(" ".join),
    st.sampled_from([None, 1.0, 10.0]),
)
def test_any_text_gives_a_plausible_number_or_none(text, volume):
    got = lb.parse_concentration(text, volume_ml=volume)
    assert got is None or lb.MIN_PLAUSIBLE_PER_ML <= got <= lb.MAX_PLAUSIBLE_PER_ML


@pytest.mark.parametrize(
    ("text", "volume", "expected"),
    [
        ("5B particles/ml", None, 5e9),
        ("500M particles per mL", None, 5e8),
        ("1,000억 개/mL", None, 1e11),
        ("천억 개", 10, 1e10),
        ("오십억 개/mL", None, 5e9),
        ("1 × 10^10 particles per 2 patches", 2, 2.5e9),
        ("엑소좀 3천만 개 (1매당)", 1.5, 2e7),
    ],
)
def test_regressions_read_the_right_number(text, volume, expected):
    assert close(lb.parse_concentration(text, volume_ml=volume), expected)


@pytest.mark.parametrize(
    "text",
    [
        "3 × 10^9 particles per gram",
        "3 × 10^9 particles per box",
        "1-5 × 10^9 particles/mL",
        "10억~50억 개/mL",
        "50억 개 이상",
        "Over 10 billion exosomes per bottle",
        "수천억 개의 엑소좀",
        "~5 billion exosomes/mL",
        "1g당 50억 개",
    ],
)
def test_regressions_refuse_with_a_reason(text):
    reading = lb.read_concentration(text, volume_ml=30)
    assert reading.per_ml is None and reading.reason
