"""exocourse.labels: concentration parsing, the package's two criteria, the rubric framework
and the corpus key. The reference rules that answer exercises are tested in tests/instructor."""

from __future__ import annotations

import importlib
import math
import re

import numpy as np
import pandas as pd
import pytest
from conftest import LABEL, label_verdict

from exocourse import data
from exocourse import labels as lb

LABELS = data.load("labels")
KEY = data.load("label_key")
RECORDS = [row.to_dict() for _, row in LABELS.iterrows()]


# --- parse_concentration: the issue's examples ------------------------------------------


@pytest.mark.parametrize(
    "text, volume_ml, expected",
    [
        ("1.2 × 10^9 particles/mL", None, 1.2 * 10**9),
        ("5 billion exosomes per 10 mL vial", None, 5 * 10**9 / 10),
        ("exosome 10%", None, None),
        ("50억 개", 5, 50 * 10**8 / 5),
    ],
)
def test_issue_examples(text, volume_ml, expected):
    got = lb.parse_concentration(text, volume_ml=volume_ml)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, rel=1e-12)


# --- scientific notation in its usual written forms -------------------------------------

SUPER = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def _written_forms(mantissa: str, exponent: int) -> list[str]:
    """Ways people write mantissa × 10^exponent, built independently of the parser."""
    e = str(exponent)
    return [
        f"{mantissa} × 10^{e}",
        f"{mantissa}×10^{e}",
        f"{mantissa} x 10^{e}",
        f"{mantissa}x10^{e}",
        f"{mantissa} X 10^{e}",
        f"{mantissa}*10^{e}",
        f"{mantissa} * 10 ^ {e}",
        f"{mantissa} × 10{e.translate(SUPER)}",
        f"{mantissa}e{e}",
        f"{mantissa}E{e}",
        f"{mantissa}E+{exponent:02d}",
        f"{mantissa}e+{exponent}",
    ]


@pytest.mark.parametrize("mantissa, exponent", [("1.2", 9), ("3", 10), ("8.75", 8), ("2", 11)])
@pytest.mark.parametrize(
    "unit, divisor",
    [
        ("particles/mL", 1.0),
        ("particles/ml", 1.0),
        ("particles per mL", 1.0),
        ("particles per millilitre", 1.0),
        ("EVs / ml", 1.0),
        ("/mL", 1.0),
        ("개/㎖", 1.0),
        ("particles per 2 mL", 2.0),
        ("exosomes per 0.5 ml", 0.5),
        ("particles/L", 1000.0),
        ("particles per µL", 1e-3),
    ],
)
def test_scientific_notation_variants(mantissa, exponent, unit, divisor):
    expected = float(mantissa) * 10.0**exponent / divisor
    assert lb.MIN_PLAUSIBLE_PER_ML <= expected <= lb.MAX_PLAUSIBLE_PER_ML  # by construction
    for text in _written_forms(mantissa, exponent):
        got = lb.parse_concentration(f"{text} {unit}")
        assert got == pytest.approx(expected, rel=1e-12), f"{text} {unit}"


def test_bare_power_of_ten_and_negative_exponent():
    assert lb.parse_concentration("10^10 particles/mL") == pytest.approx(1e10)
    assert lb.parse_concentration("10⁹ particles/mL") == pytest.approx(1e9)
    assert lb.parse_concentration("2.5 × 10^-1 × 10^10") is None  # no unit, no noun
    assert lb.parse_concentration("4 × 10⁻² particles/mL") is None  # below one per mL


def test_full_width_and_thousands_separators():
    assert lb.parse_concentration("１．２×１０⁹ 개/㎖") == pytest.approx(1.2e9)
    assert lb.parse_concentration("1,000,000,000 exosomes per ml") == pytest.approx(1e9)
    assert lb.parse_concentration("1,5 × 10^9 particles/mL") == pytest.approx(1.5e9)


# --- scale words and Korean units -------------------------------------------------------


@pytest.mark.parametrize(
    "words, value",
    [
        ("5 billion", 5e9),
        ("2.5 billion", 2.5e9),
        ("300 million", 3e8),
        ("1.2 trillion", 1.2e12),
        ("12 bn", 1.2e10),
        ("five billion", 5e9),
        ("a billion", 1e9),
        ("twenty-five billion", 25e9),
        ("three hundred million", 3e8),
        ("one hundred and fifty million", 1.5e8),
    ],
)
def test_english_scale_words(words, value):
    assert lb.parse_concentration(f"{words} exosomes per mL") == pytest.approx(value)
    assert lb.parse_concentration(f"{words} exosomes", volume_ml=4) == pytest.approx(value / 4)


def _korean(n: int) -> str:
    """Write a whole number with Korean units as labels do: groups of 10^4 (조, 억, 만),
    each group in digits, or as N천 when it is whole thousands ("50억", "1조 2천억",
    "1억 2345만"). A reference independent of the parser.
    """
    parts = []
    for unit, size in (("조", 10**12), ("억", 10**8), ("만", 10**4), ("", 1)):
        group, n = divmod(n, size)
        if group:
            text = f"{group // 1000}천" if group % 1000 == 0 else str(group)
            parts.append(text + unit)
    return " ".join(parts)


def test_korean_reference_writer_itself():
    assert _korean(5_000_000_000) == "50억"
    assert _korean(1_200_000_000_000) == "1조 2천억"
    assert _korean(30_000_000) == "3천만"
    assert _korean(123_456_780_000) == "1234억 5678만"


def test_korean_units_against_an_independent_writer():
    rng = np.random.default_rng(20261104)  # fixed seed: the same numbers on every run
    for _ in range(300):
        # whole numbers of 10^4 units so the text ends in 만, 억 or 조 as on labels
        n = int(rng.integers(1, 10**9)) * 10**4
        text = _korean(n)
        assert lb.parse_concentration(f"{text} 개/mL") == pytest.approx(n), text
        assert lb.parse_concentration(f"{text}개", volume_ml=2) == pytest.approx(n / 2), text


@pytest.mark.parametrize(
    "text, value",
    [
        ("50억 개", 5e9),
        ("1.5억 개", 1.5e8),
        ("3천만 개", 3e7),
        ("1조 2천억 개", 1.2e12),
        ("2억 5천만 개", 2.5e8),
        ("100억개", 1e10),
        ("엑소좀 50억", 5e9),
    ],
)
def test_korean_written_forms(text, value):
    assert lb.parse_concentration(text, volume_ml=1) == pytest.approx(value)


@pytest.mark.parametrize(
    "text, volume_ml, expected",
    [
        ("엑소좀 50억 개 / 1병 (NTA 측정)", 2, 5e9 / 2),
        ("1바이알당 100억 개 (NTA)", 5, 1e10 / 5),
        ("mL당 10억 개", None, 1e9),
        ("1mL당 10억 개", None, 1e9),
        ("엑소좀 3천만 개 (1매당)", 1.5, 3e7 / 1.5),
        ("식물 엑소좀 1조 2천억 개 함유", 50, 1.2e12 / 50),
        ("2.0 × 10^9 개/mL (나노입자 추적 분석)", None, 2e9),
        ("Exosome 5 billion 개/mL", None, 5e9),
        ("5억 particles per 병", 10, 5e8 / 10),
        # the counted form "앰플 1개당" (per one ampoule): the 1 is the denominator, not the count
        ("앰플 1개당 50억 개 (NTA)", 0.5, 5e9 / 0.5),
        ("엑소좀 50억 개 / 앰플 1개당 (NTA 측정)", 2, 5e9 / 2),
        ("바이알 1개당 3.0 x 10^10 개 (NTA)", 5, 3e10 / 5),
        ("시트 1매당 2 × 10⁹ 개 (NTA)", 20, 2e9 / 20),
        ("앰플 2개당 50억 개", 2, 5e9 / (2 * 2)),
    ],
)
def test_mixed_language_and_containers(text, volume_ml, expected):
    assert lb.parse_concentration(text, volume_ml=volume_ml) == pytest.approx(expected)


def test_a_count_per_box_in_the_counted_form_is_still_refused():
    assert lb.parse_concentration("박스 1개당 50억 개", volume_ml=2) is None


def test_inline_volume_wins_over_the_volume_argument():
    text = "3 × 10^11 particles per 30 mL bottle"
    assert lb.parse_concentration(text, volume_ml=5) == pytest.approx(1e10)


def test_explicit_per_ml_figure_is_preferred_to_a_total():
    text = "contains 5 billion exosomes (1 × 10^9 particles/mL, NTA)"
    assert lb.parse_concentration(text, volume_ml=50) == pytest.approx(1e9)


# --- what is not a particle concentration -----------------------------------------------


@pytest.mark.parametrize(
    "text, reason",
    [
        ("exosome 10%", "percentage"),
        ("Exosome 1%", "percentage"),
        ("엑소좀 5%", "percentage"),
        ("10 percent exosome", "percentage"),
        ("Exosome content 5,000 ppm", "ppm"),
        ("엑소좀 함량 10,000ppm", "ppm"),
        ("100 µg/mL exosome protein", "mass"),
        ("10 mg exosomes", "mass"),
        ("100 nm exosomes", "no particle count"),
        ("3개월 사용", "no particle count"),
        ("5만원", "no particle count"),
        ("5 billion exosomes per application", "per application"),
        ("1 × 10^9 exosomes per dose", "per dose"),
        ("1.2 x 10 9 particles", "power sign"),
        ("not stated", "states no concentration"),
    ],
)
def test_not_a_concentration_says_why(text, reason):
    reading = lb.read_concentration(text, volume_ml=10)
    assert reading.per_ml is None
    assert reason in reading.reason


def test_count_per_container_needs_a_volume():
    reading = lb.read_concentration("3.0 x 10^10 particles/vial (NTA)")
    assert reading.per_ml is None and reading.needs_volume and reading.method == "NTA"
    assert lb.parse_concentration("50억 개") is None
    assert lb.parse_concentration("50억 개", volume_ml=5) == pytest.approx(1e9)


@pytest.mark.parametrize(
    "text",
    [None, math.nan, float("nan"), pd.NA, 5, 1.2e9, True, b"10^9 particles/mL", ["x"], {}, ""],
)
def test_malformed_text_gives_none(text):
    assert lb.parse_concentration(text) is None
    assert lb.parse_concentration(text, volume_ml=5) is None


@pytest.mark.parametrize(
    "text",
    ["   ", "☃☃☃", "10^^9", "×××", "particles/mL", "e9 particles", "억 개", "1e99999 particles/mL"],
)
def test_garbage_text_gives_none(text):
    assert lb.parse_concentration(text, volume_ml=1) is None


@pytest.mark.parametrize(
    "text", ["10^20 exosomes per mL", "10^400 particles/mL", "1e16 particles/mL", "0 particles/mL"]
)
def test_absurd_values_are_rejected(text):
    reading = lb.read_concentration(text)
    assert reading.per_ml is None
    assert "plausible range" in reading.reason


@pytest.mark.parametrize("volume", [None, 0, -5, math.nan, math.inf, "5", True, [5]])
def test_bad_volume_counts_as_unknown(volume):
    assert lb.parse_concentration("50억 개", volume_ml=volume) is None
    assert lb.parse_concentration("5 × 10^9 particles/mL", volume_ml=volume) == pytest.approx(5e9)


def test_numpy_volume_is_accepted():
    assert lb.parse_concentration("50억 개", volume_ml=np.float64(5)) == pytest.approx(1e9)
    assert lb.parse_concentration("50억 개", volume_ml=np.int64(5)) == pytest.approx(1e9)


@pytest.mark.parametrize(
    "text, method",
    [
        ("(NTA)", "NTA"),
        ("nanoparticle tracking analysis", "NTA"),
        ("나노입자 추적 분석", "NTA"),
        ("TRPS", "TRPS"),
        ("tunable resistive pulse sensing", "TRPS"),
        ("nano-flow cytometry", "nano-flow cytometry"),
        ("measured by our lab", None),
        (None, None),
    ],
)
def test_counting_method(text, method):
    assert lb.counting_method(text) == method


def test_normalise_is_case_space_and_width_tolerant():
    assert lb.normalise("ＦＤＡ  Approved\n") == lb.normalise("fda approved")
    assert lb.normalise("10⁹") == "10^9"
    assert lb.normalise("−20 ℃") == "-20 °c"


# --- the package's criteria  ------------------------------------------------

BASE = LABEL  # the shared test label (conftest): each test changes one field
_verdict = label_verdict


@pytest.mark.parametrize(
    "text, volume, verdict",
    [
        ("2 × 10^9 particles/mL (NTA)", 30, "meets"),
        ("2 × 10^9 particles/mL", 30, "fails"),  # no counting method
        ("exosome 10%", 30, "fails"),
        ("not stated", 30, "fails"),
        ("5 billion exosomes per application (NTA)", 30, "fails"),
        ("10^20 exosomes per mL (NTA)", 30, "fails"),
        ("20억 개/바이알 (NTA)", None, "cannot tell"),  # a per-vial count, vial volume unknown
        ("20억 개/바이알 (NTA)", 2, "meets"),
        (None, 30, "cannot tell"),
    ],
)
def test_concentration_criterion(text, volume, verdict):
    got = _verdict(lb.concentration_disclosed, concentration_text=text, volume_ml=volume)
    assert got.verdict == verdict, got.reason


@pytest.mark.parametrize(
    "evidence, source_text, verdict",
    [
        ("Aesthet Surg J 2022;42(10):1185", "Human platelet exosomes", "meets"),
        ("doi:10.3390/cosmetics7040090", "Adipose stem cell exosomes", "meets"),
        ("doi:10.3390/cosmetics7040090", "Lemon exosome-like nanoparticles", "fails"),
        ("NCT01234567", "Bovine milk exosomes", "meets"),
        ("Journal of Cosmetic Dermatology, 2026", "ASC exosomes", "fails"),
        ("Clinically tested by dermatologists", "Bovine milk exosomes", "fails"),
        ("자체 임상 완료", "Bovine milk exosomes", "fails"),
        ("not stated", "Bovine milk exosomes", "fails"),
        (None, "Bovine milk exosomes", "cannot tell"),
    ],
)
def test_clinical_data_criterion(evidence, source_text, verdict):
    got = _verdict(lb.clinical_data_cited, evidence=evidence, source_text=source_text)
    assert got.verdict == verdict, got.reason


# --- the rubric's framework: rules are passed in ----------------------------------------


def test_the_package_holds_no_exercise_answer():
    """Lesson 4 asks for the source, stability, science and regulation rules (Exercises
    4-7): the installed package must not hold them."""
    assert set(lb.PACKAGE_RULES) == {"concentration", "clinical_data"}
    for name in [
        "source_specified",
        "cold_storage_or_single_use",
        "science_consistent",
        "regulation_compliant",
    ]:
        assert not hasattr(lb, name), name
    for module in ["storage", "science", "regulation"]:
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module(f"exocourse.labels.{module}")


def _tuple_rule(label):
    text = label.get("source_text") if hasattr(label, "get") else None
    return ("meets", "names milk") if text == "milk" else ("fails", "no milk")


RULES = {"source": _tuple_rule, **lb.PACKAGE_RULES}


def test_verdict_points_and_total_score():
    verdicts = lb.assess(BASE, RULES)
    assert [v.criterion for v in verdicts] == ["source", "concentration", "clinical_data"]
    assert all(v.verdict in lb.VERDICTS and v.reason for v in verdicts)
    assert lb.total_score(verdicts) == sum(v.verdict == "meets" for v in verdicts)
    assert lb.Verdict("x", "cannot tell", "r").points == 0
    assert lb.Verdict("x", "fails", "r").points == 0


def test_a_pair_or_a_verdict_is_accepted_and_anything_else_is_refused():
    assert lb.as_verdict("science", lb.Verdict("other", "fails", "r")).criterion == "science"
    assert lb.as_verdict("science", ["meets", "ok"]) == lb.Verdict("science", "meets", "ok")
    for bad in ["meets", ("yes", "r"), ("meets",), None, ("meets", "r", "x")]:
        with pytest.raises(TypeError, match="return a pair"):
            lb.as_verdict("science", bad)


def test_unknown_or_no_criteria_are_refused():
    with pytest.raises(ValueError, match="unknown criteria"):
        lb.assess(BASE, {"colour": _tuple_rule})
    with pytest.raises(ValueError, match="at least one rule"):
        lb.rubric_table(LABELS, {})


def test_a_rule_that_crashes_names_the_label():
    def broken(label):
        raise KeyError("claims")

    with pytest.raises(ValueError, match="label L01"):
        lb.rubric_table(LABELS, {"science": broken})


def test_the_package_rules_never_crash_and_missing_fields_give_cannot_tell():
    for criterion, func in lb.PACKAGE_RULES.items():
        got = func({"label_id": "empty"})
        assert got.verdict == "cannot tell", criterion
        assert "missing" in got.reason
        for bad in [None, 5, "a label", ["claims"], pd.DataFrame()]:
            assert func(bad).verdict == "cannot tell"


MUTATIONS = [None, math.nan, pd.NA, 42, -1.5, "", "   ", "☃ garbage ☃", b"bytes", ["x"], {"a": 1}]


def test_package_rules_never_crash_on_mutated_corpus_labels():
    fields = [c for c in LABELS.columns if c != "label_id"]
    checked = 0
    for record in RECORDS:
        for field in fields:
            for bad in MUTATIONS:
                for v in lb.assess({**record, field: bad}, lb.PACKAGE_RULES):
                    assert v.verdict in lb.VERDICTS and isinstance(v.reason, str)
                    checked += 1
    assert checked == len(RECORDS) * len(fields) * len(MUTATIONS) * len(lb.PACKAGE_RULES)


def test_rubric_table_layout_and_scores():
    table = lb.rubric_table(LABELS, RULES)
    assert list(table.columns) == ["label_id", *RULES, "score", "cannot_tell"]
    assert table["label_id"].tolist() == LABELS["label_id"].tolist()
    verdicts = table[list(RULES)]
    assert (table["score"] == (verdicts == "meets").sum(axis=1)).all()
    assert (table["cannot_tell"] == (verdicts == "cannot tell").sum(axis=1)).all()
    assert table["score"].between(0, len(RULES)).all()
    assert (table["source"] == "fails").all()  # no corpus label's source_text is just "milk"


def test_tables_accept_a_list_of_dicts_and_number_unnamed_labels():
    table = lb.rubric_table([{"claims": "Hydrates."}, BASE], RULES)
    assert table["label_id"].tolist() == ["#1", "T1"]
    assert len(lb.reasons_table([BASE], RULES)) == len(RULES)
    assert lb.reasons_table([{"source_text": "milk"}], RULES).iloc[0].tolist() == [
        "#1",
        "source",
        "meets",
        "names milk",
    ]


def test_key_rule_reads_the_key_by_label_id():
    rule = lb.key_rule(KEY, "regulation")
    rows = KEY[KEY["criterion"] == "regulation"].set_index("label_id")
    for record in RECORDS:
        got, row = rule(record), rows.loc[record["label_id"]]
        assert (got.verdict, got.reason) == (row["verdict"], row["reason"])
    assert rule({"label_id": "L99"}).verdict == "cannot tell"
    assert rule({}).verdict == "cannot tell"
    table = lb.rubric_table(LABELS, {"regulation": rule})
    assert table["regulation"].tolist() == rows.loc[LABELS["label_id"], "verdict"].tolist()


# --- the corpus and the instructor key --------------------------------------------------


def test_corpus_is_big_varied_and_fictional():
    assert len(LABELS) >= 40
    assert set(LABELS["format"]) == {"ampoule", "serum", "cream", "mask", "clinic booster"}
    assert set(LABELS["source"].dropna()) == {
        "adipose stem cell",
        "platelet",
        "plant",
        "milk",
        "unspecified",
    }
    assert set(LABELS["currency"]) == {"KRW", "USD"}
    first = (data.folder() / "labels.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# FICTIONAL")
    meta = data.metadata("labels")
    assert meta["generator"] is None and meta["synthetic"] is True
    assert "FICTIONAL" in meta["description"]


def test_labels_sold_in_korea_are_written_in_hangul():
    """Facts sheet §4: Korean labels are normally in Hangul. Every legible text field of a
    label sold in Korea holds Hangul, English only beside it; the name (a brand in Latin
    letters) and the citation are the exceptions."""
    fields = ["source_text", "claims", "directions", "concentration_text", "storage", "packaging"]
    korean = LABELS[LABELS["country"] == "KR"]
    assert len(korean) >= 10
    for _, row in korean.iterrows():
        for field in fields:
            text = row[field]
            if isinstance(text, str) and text != "not stated":
                assert re.search("[가-힣]", text), (row["label_id"], field, text)
    ampoules = korean[korean["format"] == "ampoule"]["concentration_text"].dropna()
    assert not ampoules.str.contains("병").any()  # an ampoule is counted "앰플 1개당", not "1병"


def test_corpus_has_the_concentration_styles_the_issue_asks_for():
    texts = LABELS["concentration_text"].dropna()
    readings = [
        lb.read_concentration(t, v)
        for t, v in zip(texts, LABELS.loc[texts.index, "volume_ml"], strict=True)
    ]
    assert (texts == "not stated").any()
    assert any("percentage" in r.reason for r in readings)
    assert any(r.per_ml is not None and r.method for r in readings)  # with NTA etc.
    assert any(r.per_ml is not None and not r.method for r in readings)
    assert texts.str.contains("억").any() and texts.str.contains("billion").any()
    assert texts.str.contains("⁹").any()


def test_source_column_is_the_classification_of_source_text():
    for record in RECORDS:
        expected = None if pd.isna(record["source"]) else record["source"]
        assert lb.classify_source(record["source_text"]) == expected, record["label_id"]


def test_key_has_one_row_per_label_and_criterion():
    assert len(KEY) == len(LABELS) * len(lb.CRITERIA)
    pairs = set(zip(KEY["label_id"], KEY["criterion"], strict=True))
    assert pairs == {(i, c) for i in LABELS["label_id"] for c in lb.CRITERIA}
    assert KEY["reason"].str.len().between(10, 250).all()


def test_corpus_exercises_every_verdict_of_every_criterion():
    seen = KEY.groupby("criterion")["verdict"].agg(set)
    for criterion in lb.CRITERIA:
        assert seen[criterion] == set(lb.VERDICTS), criterion


def test_package_rules_agree_with_the_instructor_key_on_their_criteria():
    got = lb.reasons_table(LABELS, lb.PACKAGE_RULES)
    mine = KEY[KEY["criterion"].isin(list(lb.PACKAGE_RULES))]
    merged = mine.merge(got, on=["label_id", "criterion"], suffixes=("_key", "_rubric"))
    assert len(merged) == len(mine) == len(LABELS) * len(lb.PACKAGE_RULES)
    differ = merged[merged["verdict_key"] != merged["verdict_rubric"]]
    assert differ.empty, differ[["label_id", "criterion", "verdict_key", "verdict_rubric"]]


def test_a_changed_label_changes_a_package_verdict():
    """The agreement test can fail: dropping a label's counting method changes a verdict."""
    record = dict(RECORDS[0])
    key = KEY.set_index(["label_id", "criterion"])["verdict"]
    assert key[(record["label_id"], "concentration")] == "meets"
    record["concentration_text"] = record["concentration_text"].replace("NTA", "")
    assert lb.concentration_disclosed(record).verdict == "fails"


# --- substring regressions: a word inside another word is not that word --------------------
def test_hong_kong_is_not_soy():
    assert lb.classify_source("홍콩 연구소의 엑소좀 콤플렉스") == "unspecified"
    assert lb.classify_source("콩 유래 엑소좀 유사 베지클") == "plant"


# --- clinical data: the delivery route, not only the source ------------------------------
KWON = "Kwon HH et al. Acta Derm Venereol 2020;100:adv00310"
ESTUPINAN = "Estupiñan 2025, doi:10.1111/jocd.70208"
ASC = "Human adipose-derived stem cell exosomes"


@pytest.mark.parametrize(
    ("evidence", "directions", "verdict"),
    [
        (KWON, "Apply 3 drops to face, evening.", "fails"),  # laser study, topical product
        (KWON, "Apply right after fractional CO2 laser treatment.", "meets"),
        (KWON, "Apply immediately after microneedling.", "fails"),  # another procedure
        (ESTUPINAN, "Apply a few drops morning and night.", "fails"),  # RF microneedling study
        (ESTUPINAN, "Use with RF microneedling in clinic.", "meets"),
        (ESTUPINAN, "Needle-free: apply without needles.", "fails"),  # negated: still topical
        ("Cosmetics 2020;7(4):90", "Apply 1 ampoule to clean face.", "meets"),  # topical study
        ("Cosmetics 2020;7(4):90", "Apply after microneedling.", "fails"),
    ],
)
def test_clinical_data_checks_the_delivery_route(evidence, directions, verdict):
    label = {"evidence": evidence, "source_text": ASC, "directions": directions}
    got = lb.clinical_data_cited(label)
    assert got.verdict == verdict, got.reason


def test_delivery_route_reads_claims_and_directions():
    assert lb.delivery_route({"claims": "레이저 시술 후 사용"}) == "laser"
    assert lb.delivery_route({"directions": "MTS 후 도포"}) == "microneedling"
    assert lb.delivery_route({"directions": "니들 없이 사용"}) == "topical"
    assert lb.delivery_route({}) == "topical"
