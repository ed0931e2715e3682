"""The instructor's reference rules (instructor/label_rules, outside the installed package):
each criterion on hand-made labels, and the whole rubric against the hand-written key."""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping

import pandas as pd
import pytest
from conftest import LABEL, ROOT, label_verdict

from exocourse import data
from exocourse import labels as lb

sys.path.insert(0, str(ROOT / "instructor"))
import label_rules as ref  # noqa: E402  (not installed: found beside the solutions)

LABELS = data.load("labels")
KEY = data.load("label_key")
RECORDS = [row.to_dict() for _, row in LABELS.iterrows()]
RULES = ref.REFERENCE_RULES


# --- one criterion at a time ------------------------------------------------

BASE = LABEL  # the shared test label (conftest): each test changes one field
_verdict = label_verdict


@pytest.mark.parametrize(
    "source_text, verdict",
    [
        ("Human adipose-derived stem cell exosomes", "meets"),
        ("혈소판 유래 엑소좀", "meets"),
        ("Centella asiatica exosome-like nanoparticles", "meets"),
        ("산양유 엑소좀", "meets"),
        ("Stem cell technology", "fails"),
        ("Exosome complex", "fails"),
        ("not stated", "fails"),
        ("NOT  STATED", "fails"),
        (None, "cannot tell"),
        ("", "cannot tell"),
        (42, "cannot tell"),
    ],
)
def test_source_criterion(source_text, verdict):
    assert _verdict(ref.source_specified, source_text=source_text).verdict == verdict


@pytest.mark.parametrize(
    "storage, packaging, verdict",
    [
        ("Refrigerate after opening", "30 mL pump bottle", "meets"),
        ("냉장 보관 (2–8℃)", "30 mL 병", "meets"),
        ("Store frozen at −20 °C", "vial", "meets"),
        ("Keep refrigerated (2-8C)", "jar", "meets"),
        ("Room temperature", "1회용 앰플 10개", "meets"),
        ("Store at room temperature. Do not freeze.", "50 mL jar", "fails"),
        ("Store below 25 °C", "30 mL dropper bottle", "fails"),
        ("no need to refrigerate", "jar", "fails"),
        ("냉동 금지, 실온 보관", "튜브", "fails"),
        ("not stated", "50 mL jar", "fails"),
        ("Store at room temperature", "glass vial", "cannot tell"),  # single-use or not?
        (None, "50 mL jar", "cannot tell"),
        ("Room temperature", None, "cannot tell"),
        (None, None, "cannot tell"),
    ],
)
def test_stability_criterion(storage, packaging, verdict):
    got = _verdict(ref.cold_storage_or_single_use, storage=storage, packaging=packaging)
    assert got.verdict == verdict, got.reason


def test_freeze_dried_failure_is_hedged():
    got = _verdict(
        ref.cold_storage_or_single_use,
        storage="Store at room temperature",
        packaging="20 g freeze-dried powder jar",
    )
    assert got.verdict == "fails" and "stability data" in got.reason


@pytest.mark.parametrize(
    "claims, verdict",
    [
        ("Hydrates dry skin.", "meets"),
        ("Contains live stem cells.", "fails"),
        ("LIVE   Stem Cells inside", "fails"),
        ("살아있는 줄기세포가 피부 재생", "fails"),
        ("Stem cells penetrate the skin and differentiate.", "fails"),
        ("줄기세포가 피부 속으로 침투", "fails"),
        ("Penetrates to the dermis.", "fails"),
        ("진피까지 침투하는 엑소좀", "fails"),
        ("니들 없이도 진피층까지 침투", "fails"),  # "without needles" is topical-only
        ("After microneedling, exosomes reach the dermis through microchannels.", "meets"),
        ("Stem cell effects at home", "fails"),
        ("Stem cell-derived exosomes for radiance", "meets"),
        ("줄기세포 배양액 함유", "meets"),
        ("Plant stem cell extract", "meets"),
        (None, "cannot tell"),
    ],
)
def test_science_criterion(claims, verdict):
    got = _verdict(ref.science_consistent, claims=claims)
    assert got.verdict == verdict, got.reason


KR = {**BASE, "country": "KR", "directions": "아침저녁 사용"}


@pytest.mark.parametrize(
    "changes, verdict",
    [
        ({"claims": "FDA approved exosome cream"}, "fails"),
        ({"claims": "ＦＤＡ－Approved"}, "fails"),
        ({"claims": "Made in an FDA-registered facility"}, "meets"),
        ({"claims": "Treats eczema."}, "fails"),
        ({"claims": "For eczema-prone skin."}, "meets"),
        ({"country": "JP"}, "cannot tell"),
        ({"country": "JP", "claims": "FDA 승인 원료"}, "fails"),
        ({"country": None}, "cannot tell"),
        ({"country": "DE", "source_text": "Human platelet exosomes"}, "fails"),
        ({"country": "DE"}, "meets"),
        ({"country": "DE", "source_text": "not stated"}, "cannot tell"),
        ({"country": "TW", "source_text": "Human adipose stem cell exosomes"}, "cannot tell"),
        ({"country": "TW"}, "meets"),
        ({"claims": None}, "cannot tell"),
    ],
)
def test_regulation_criterion(changes, verdict):
    got = _verdict(ref.regulation_compliant, **changes)
    assert got.verdict == verdict, got.reason


def test_fda_reason_cites_the_notification():
    assert "6 Dec 2019" in _verdict(ref.regulation_compliant, claims="FDA approved").reason


def test_eu_reason_is_hedged_as_reported():
    got = _verdict(ref.regulation_compliant, country="FR", source_text="Human platelet exosomes")
    assert "reported" in got.reason


@pytest.mark.parametrize(
    "source_text, claims, recorded, verdict",
    [
        (
            "인체 지방줄기세포 엑소좀",
            "엑소좀 화장품",
            "2025-01-20",
            "cannot tell",
        ),  # before the ban
        ("인체 지방줄기세포 엑소좀", "엑소좀 화장품", "2025-01-21", "fails"),  # from the ban
        ("인체 지방줄기세포 엑소좀", "엑소좀 화장품", None, "cannot tell"),
        ("인체 지방줄기세포 엑소좀", "엑소좀 화장품", "not a date", "cannot tell"),
        # 21 Jan 2025: the bare phrase "엑소좀 화장품" is prohibited whatever the source ...
        ("우유 엑소좀", "엑소좀 화장품", "2025-06-01", "fails"),
        ("병풀 엑소좀 유사 나노입자", "엑소좀 화장품", "2025-06-01", "fails"),
        ("우유 엑소좀", "엑소좀 화장품", "2024-06-01", "meets"),  # before the revision
        # ... while origin-qualified wording is allowed
        ("우유 엑소좀", "우유 엑소좀 함유. 보습.", "2025-06-01", "meets"),
        ("병풀 엑소좀 유사 나노입자", "식물 엑소좀 크림", "2025-06-01", "meets"),
        ("우유 엑소좀", "Exosome-like vesicles from milk", "2025-06-01", "meets"),
        ("우유 엑소좀", "엑소좀 유사 입자 함유", "2025-06-01", "fails"),  # "-like" names no origin
        ("우유 엑소좀", "보습. 엑소좀 세럼", "2025-06-01", "fails"),  # unqualified in its clause
        # professional designations and needle wording, from 21 Jan 2025
        ("우유 엑소좀", "피부과전용 앰플", "2025-06-01", "fails"),
        ("우유 엑소좀", "병원 전용 크림", "2025-06-01", "fails"),
        ("우유 엑소좀", "피부과 시술용", "2025-06-01", "fails"),
        ("우유 엑소좀", "약국용 세럼", "2025-06-01", "fails"),
        ("우유 엑소좀", "피부과전용 앰플", "2024-06-01", "meets"),
        ("우유 엑소좀", "미세침 효과", "2025-06-01", "fails"),
        ("우유 엑소좀", "바늘처럼 톡톡", "2025-06-01", "fails"),
        ("우유 엑소좀", "피부나이 5세 감소", "2025-06-01", "fails"),
        ("not stated", "엑소좀 세럼", "2025-06-01", "fails"),  # unqualified 'exosome'
        ("not stated", "엑소좀 세럼", "2024-06-01", "cannot tell"),
        ("우유 엑소좀", "살아있는 줄기세포", "2022-01-01", "fails"),  # banned ingredient claim
        ("우유 엑소좀", "MTS 후 도포", "2022-01-01", "fails"),  # needle use: existing law
        ("우유 엑소좀", "마이크로니들 후 도포", "2019-01-01", "fails"),  # not a 2023 rule
        ("우유 엑소좀", "피부 속 주입용", "2025-06-01", "fails"),
        ("우유 엑소좀", "니들 없이 사용", "2025-06-01", "meets"),  # "without needles"
    ],
)
def test_korean_rules(source_text, claims, recorded, verdict):
    label = {**KR, "source_text": source_text, "claims": claims, "recorded": recorded}
    got = ref.regulation_compliant(label)
    assert got.verdict == verdict, got.reason


def test_korean_dates_accept_date_objects():
    label = {**KR, "source_text": "혈소판 엑소좀", "claims": "엑소좀"}
    assert ref.regulation_compliant(label | {"recorded": pd.Timestamp("2025-02-01")}).verdict == (
        "fails"
    )


def test_korean_directions_missing_cannot_rule_out_needles():
    label = {**KR, "directions": None}
    got = ref.regulation_compliant(label)
    assert got.verdict == "cannot tell" and "directions" in got.reason


# --- the whole reference rubric: verdicts, scores, tables ---------------------------------


def test_verdict_points_and_total_score():
    verdicts = lb.assess(BASE, RULES)
    assert [v.criterion for v in verdicts] == list(lb.CRITERIA)
    assert all(v.verdict in lb.VERDICTS and v.reason for v in verdicts)
    assert lb.total_score(verdicts) == sum(v.verdict == "meets" for v in verdicts)
    assert lb.Verdict("x", "cannot tell", "r").points == 0
    assert lb.Verdict("x", "fails", "r").points == 0


def test_missing_fields_give_cannot_tell_naming_the_field():
    for criterion, func in RULES.items():
        got = func({"label_id": "empty"})
        assert got.verdict == "cannot tell", criterion
        assert "missing" in got.reason
    assert lb.total_score(lb.assess({}, RULES)) == 0


@pytest.mark.parametrize("label", [None, 5, "a label", ["claims"], pd.DataFrame()])
def test_a_non_record_is_cannot_tell(label):
    assert {v.verdict for v in lb.assess(label, RULES)} == {"cannot tell"}


class _Exploding(Mapping):
    """A record whose every field access fails: the rubric must still answer."""

    def __getitem__(self, key):
        raise RuntimeError("disk on fire")

    def get(self, key, default=None):
        raise RuntimeError("disk on fire")

    def __iter__(self):
        return iter(())

    def __len__(self):
        return 0


def test_an_unexpected_error_becomes_cannot_tell():
    verdicts = lb.assess(_Exploding(), RULES)
    assert {v.verdict for v in verdicts} == {"cannot tell"}
    assert all("disk on fire" in v.reason for v in verdicts)


MUTATIONS = [None, math.nan, pd.NA, 42, -1.5, "", "   ", "☃ garbage ☃", b"bytes", ["x"], {"a": 1}]


def test_never_crashes_on_mutated_corpus_labels():
    fields = [c for c in LABELS.columns if c != "label_id"]
    checked = 0
    for record in RECORDS:
        for field in fields:
            for bad in MUTATIONS:
                for v in lb.assess({**record, field: bad}, RULES):
                    assert v.verdict in lb.VERDICTS and isinstance(v.reason, str)
                    checked += 1
    assert checked == len(RECORDS) * len(fields) * len(MUTATIONS) * len(lb.CRITERIA)


def test_rubric_table_layout_and_scores():
    table = lb.rubric_table(LABELS, RULES)
    assert list(table.columns) == ["label_id", *lb.CRITERIA, "score", "cannot_tell"]
    assert table["label_id"].tolist() == LABELS["label_id"].tolist()
    verdicts = table[list(lb.CRITERIA)]
    assert (table["score"] == (verdicts == "meets").sum(axis=1)).all()
    assert (table["cannot_tell"] == (verdicts == "cannot tell").sum(axis=1)).all()
    assert table["score"].between(0, 6).all()


def test_tables_accept_a_list_of_dicts_and_number_unnamed_labels():
    table = lb.rubric_table([{"claims": "Hydrates."}, BASE], RULES)
    assert table["label_id"].tolist() == ["#1", "T1"]
    assert len(lb.reasons_table([BASE], RULES)) == len(lb.CRITERIA)


def test_rubric_agrees_with_the_instructor_key_on_every_row():
    got = lb.reasons_table(LABELS, RULES)
    merged = KEY.merge(got, on=["label_id", "criterion"], suffixes=("_key", "_rubric"))
    assert len(merged) == len(KEY)
    differ = merged[merged["verdict_key"] != merged["verdict_rubric"]]
    assert differ.empty, differ[["label_id", "criterion", "verdict_key", "verdict_rubric"]]


def test_key_disagrees_when_a_label_is_changed():
    """The agreement test can fail: altering one label's claim changes a verdict."""
    record = dict(RECORDS[2])  # a plant serum sold in Korea whose key says 'meets'
    key = KEY.set_index(["label_id", "criterion"])["verdict"]
    assert key[(record["label_id"], "regulation")] == "meets"
    record["claims"] += " FDA approved."
    assert ref.regulation_compliant(record).verdict == "fails"


# --- substring regressions: a word inside another word is not that word --------------------
@pytest.mark.parametrize(
    ("storage", "verdict"),
    [
        ("Store below 24 °C", "fails"),
        ("Store at 24°C", "fails"),
        ("store at 12-28 °C", "fails"),
        ("Store at 4 °C", "meets"),
        ("Do not refrigerate.", "fails"),
        ("Do not refrigerate or freeze", "fails"),
        ("Don’t refrigerate", "fails"),
        ("Do not store in a refrigerator", "fails"),
        ("No refrigeration needed", "fails"),
        ("Refrigeration not required", "fails"),
        ("냉장 보관하지 마세요", "fails"),
        ("Do not freeze. Refrigerate after opening.", "meets"),
        ("Unrefrigerated storage is fine", "fails"),
        ("Non-refrigerated; keep dry", "fails"),
        ("Antifreeze-free formula, store at room temperature", "fails"),
        ("Keep in the freezer", "meets"),
    ],
)
def test_storage_words_are_not_found_inside_other_words(storage, verdict):
    label = {"storage": storage, "packaging": "50 mL jar"}
    assert ref.cold_storage_or_single_use(label).verdict == verdict


# --- Lesson 4 Exercise 7: the model answer is the reference rule's, and no card is a label --


def _lesson_4_sources() -> list[tuple[str | None, str]]:
    import nbformat

    path = ROOT / "solutions" / "04-label-critique" / "04-label-critique.ipynb"
    nb = nbformat.read(path, as_version=4)
    return [(c.metadata.get("nbgrader", {}).get("grade_id"), c.source) for c in nb.cells]


def _lesson_4_cells() -> dict[str | None, str]:
    return dict(_lesson_4_sources())


def test_exercise_7_model_answer_is_what_the_reference_rule_says():
    cells = _lesson_4_cells()
    scope: dict = {}
    exec(cells["cards"].split("\nfor name")[0], scope)
    exec(cells["ex7_regulation"], scope)
    cards, answer = scope["CARDS"], scope["reg_verdicts"]
    assert sorted(answer) == sorted(cards)
    for name, card in cards.items():
        got = ref.regulation_compliant(card)
        assert got.verdict == answer[name], (name, got.reason)
    assert len(set(answer.values())) == 3  # every verdict is taught


def _analogues_answer(card: dict, verdict: str) -> bool:
    """True if the corpus labels of the card's country and source, on the same side of
    21 Jan 2025, exist and all carry the card's verdict in the key: the key answers it."""
    after = str(card["recorded"]) >= "2025-01-21"
    key = KEY[KEY["criterion"] == "regulation"].set_index("label_id")["verdict"]
    alike = [
        key[r["label_id"]]
        for r in RECORDS
        if r["country"] == card["country"]
        and r["source"] == lb.classify_source(card["source_text"])
        and isinstance(r["recorded"], str)
        and (r["recorded"] >= "2025-01-21") == after
    ]
    return bool(alike) and set(alike) == {verdict}


def test_the_key_answers_no_exercise_7_card():
    """The installed key holds verdicts on the corpus labels: no card may copy one, nor have
    corpus labels alike in country, source and date that all give its verdict."""
    cells = _lesson_4_cells()
    scope: dict = {}
    exec(cells["cards"].split("\nfor name")[0], scope)
    exec(cells["ex7_regulation"], scope)
    fields = ["country", "source_text", "claims", "directions"]
    corpus = {tuple(record[f] for f in fields) for record in RECORDS}
    for name, card in scope["CARDS"].items():
        assert tuple(card[f] for f in fields) not in corpus, name
        assert not _analogues_answer(card, scope["reg_verdicts"][name]), name


def test_the_analogue_check_can_fail():
    """Cards of the earlier version of the lesson that the key answered."""
    old_b = {"country": "KR", "recorded": "2025-06-01", "source_text": "인체 지방줄기세포 엑소좀"}
    old_h = {"country": "JP", "recorded": "2025-06-01", "source_text": "Bovine milk exosomes"}
    assert _analogues_answer(old_b, "fails")
    assert _analogues_answer(old_h, "cannot tell")


# --- Lesson 4 Exercise 5b: the bug hunt's draft is wrong once, the fix agrees with the reference --


def _bug_hunt() -> dict:
    cells = _lesson_4_cells()
    scope: dict = {}
    exec("import re\nfrom exocourse import labels\n", scope)
    worked = next(s for _, s in _lesson_4_sources() if "def field_text(label, name):" in s)
    exec(worked.split("\n\n\ndef doi_rule")[0].replace("# NBVAL_CHECK_OUTPUT\n", ""), scope)
    for grade_id in ["word_lists", "ex5b_bug"]:
        exec(cells[grade_id], scope)
    exec(cells["cold_draft"].split("\nfor name")[0], scope)
    return scope


def test_the_bug_hunt_draft_is_wrong_on_exactly_the_named_case():
    scope = _bug_hunt()
    draft, fixed = scope["cold_draft"], scope["cold_rule"]
    wrong = [name for name, case in scope["DRAFT_CASES"].items() if draft(case) != fixed(case)]
    assert wrong == [scope["failing_case"]]


@pytest.mark.parametrize(
    "storage",
    [
        "Store below 14 °C",
        "Store at 4 °C",
        "Store at 12-28 °C",
        "Keep at 2-8 °C",
        "Unrefrigerated storage is fine",
        "Store in a freezer (-80 °C)",
        "Store at 34°C or below",
        "Do not refrigerate.",
        "냉장 보관",
        "실온 보관 (1~30℃)",
        "Store below 24 °C, away from sunlight.",
    ],
)
def test_the_bug_hunt_fix_agrees_with_the_reference_rule(storage):
    """With multi-use packaging the reference stability rule turns on cold storage alone."""
    fixed = _bug_hunt()["cold_rule"]
    reference = ref.cold_storage_or_single_use({"storage": storage, "packaging": "50 mL jar"})
    assert fixed({"storage": storage})[0] == reference.verdict, reference.reason


def test_one_corpus_label_is_exemplary_and_scores_full_marks_by_rules_and_key():
    table = lb.rubric_table(LABELS, RULES)
    by_rules = table.loc[table["score"] == len(lb.CRITERIA), "label_id"].tolist()
    all_meets = KEY.groupby("label_id")["verdict"].agg(lambda v: bool((v == lb.MEETS).all()))
    assert by_rules == all_meets[all_meets].index.tolist() == ["L47"]
