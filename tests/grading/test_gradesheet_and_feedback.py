"""Grade sheets, feedback pages, stored results and the progress bar, on hand-made results."""

from __future__ import annotations

import csv
import io
import json

import pytest

from exocourse.grading import feedback, gradesheet
from exocourse.grading.files import write_atomic
from exocourse.grading.progress import Progress
from exocourse.grading.results import Question, SubmissionResult, read_result
from exocourse.grading.status import FAILED, MANUAL, MANUALLY_GRADED, PASSED, TAMPERED


def _result(student="ada", answer="x = 1"):
    return SubmissionResult(
        student,
        "01-demo",
        [
            Question("test_ex1", "Exercise 1", "code", 2.0, 2.0, PASSED, "", answer),
            Question("test_ex2", "Exercise 2", "code", 0.0, 3.0, FAILED, "y should be 4", "y = 5"),
            Question("test_ex3", "Exercise 3", "code", 1.0, 1.0, TAMPERED, "test edited", ""),
            Question("w1", "Written 1", "written", None, 4.0, MANUAL, "waits", "my text"),
        ],
        notes=["a note"],
        sandboxed=True,
    )


def test_rows_have_one_line_per_student_and_question():
    results = {"bob": _result("bob"), "ada": _result("ada")}
    table = gradesheet.rows(results)
    assert [(r["student"], r["question"]) for r in table][:4] == [
        ("ada", "test_ex1"),
        ("ada", "test_ex2"),
        ("ada", "test_ex3"),
        ("ada", "w1"),
    ]
    assert len(table) == 8
    assert table[3]["points"] == "" and table[3]["status"] == MANUAL
    assert table[1]["reason"] == "y should be 4"


def test_totals_add_the_rows_and_say_what_is_pending():
    (total,) = gradesheet.total_rows({"ada": _result()})
    assert total["points"] == "3" and total["max_points"] == "10"
    assert total["percent"] == "30.0" and total["complete"] == "no"
    assert total["pending_manual_points"] == "4"
    assert total["flags"] == "tampered: test_ex3"


def test_totals_flag_a_result_graded_without_a_sandbox():
    result = _result()
    result.sandboxed = False
    (total,) = gradesheet.total_rows({"ada": result})
    assert total["flags"] == "tampered: test_ex3; graded without a sandbox"


def test_manual_scores_replace_the_autograder_and_complete_the_total():
    manual = {("ada", "w1"): 3.5, ("ada", "test_ex3"): 1.0}  # a written answer, an override
    results = gradesheet.apply_manual({"ada": _result()}, manual)
    w1, ex3 = results["ada"].questions[3], results["ada"].questions[2]
    assert w1.status == MANUALLY_GRADED and w1.points == 3.5
    assert w1.reason == "graded by hand"  # no longer "waits"
    assert ex3.status == MANUALLY_GRADED and ex3.reason == "graded by hand (tampered: test edited)"
    (total,) = gradesheet.total_rows(results)
    assert total["points"] == "6.5" and total["complete"] == "yes"
    page = feedback.render(results["ada"])
    assert "Points: 6.5 of 10." in page and "so far" not in page and "formgrader" not in page


def test_csv_files_round_trip_and_defuse_formulas(tmp_path):
    evil = _result(student="ada")
    evil.questions[1].reason = '=HYPERLINK("http://x","click")'
    totals = gradesheet.write({"ada": evil}, tmp_path / "out" / "grades.csv")
    assert totals == tmp_path / "out" / "grades-totals.csv"
    with open(tmp_path / "out" / "grades.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == gradesheet.COLUMNS
    assert table[1]["reason"].startswith("'=HYPERLINK")
    with open(totals, newline="") as handle:
        assert list(csv.DictReader(handle))[0]["student"] == "ada"


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_safe_cell_prefixes_formula_starts(value):
    assert gradesheet.safe_cell(value) == "'" + value


def test_safe_cell_leaves_plain_text_alone():
    assert gradesheet.safe_cell("x = 1") == "x = 1"


def test_feedback_escapes_student_text_and_shows_reasons():
    page = feedback.render(_result(answer="<script>alert('x')</script>"))
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "y should be 4" in page and "y = 5" in page
    assert "Points so far: 3 of 10." in page and "worth 4 points are still to be graded" in page
    for status in (PASSED, FAILED, TAMPERED, MANUAL):
        assert status in page


def test_feedback_writes_one_page_per_student(tmp_path):
    written = feedback.write_all({"bob": _result("bob"), "ada": _result("ada")}, tmp_path)
    assert [p.name for p in written] == ["ada.html", "bob.html"]
    assert "Feedback: 01-demo, bob" in written[1].read_text()


def test_results_survive_a_round_trip_and_reject_unknown_statuses(tmp_path):
    path = tmp_path / "ada.json"
    write_atomic(path, _result().to_json())
    back = read_result(path)
    assert back == _result()
    assert back.total() == (3.0, 10.0)
    with pytest.raises(ValueError, match="status 'great'"):
        Question("q", "", "code", 1.0, 1.0, "great", "")


def test_unreadable_or_old_results_count_as_absent(tmp_path):
    path = tmp_path / "r.json"
    path.write_text("{not json")
    assert read_result(path) is None
    raw = json.loads(_result().to_json())
    raw["format"] = 0
    path.write_text(json.dumps(raw))
    assert read_result(path) is None
    assert read_result(tmp_path / "absent.json") is None


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    path = tmp_path / "r.json"
    write_atomic(path, "old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_progress_in_a_log_prints_a_line_per_item():
    out = io.StringIO()
    bar = Progress(3, stream=out)
    for name in ["ada", "bob", "cy"]:
        bar.advance(f"{name}: done")
    bar.close()
    assert out.getvalue().splitlines() == ["[1/3] ada: done", "[2/3] bob: done", "[3/3] cy: done"]


def test_progress_on_a_terminal_redraws_a_bar():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    bar = Progress(4, stream=out, width=8)
    bar.advance("ada: done")
    text = out.getvalue()
    assert "[--------] 0/4 graded" in text
    assert "ada: done\n" in text and "[##------] 1/4 graded, about" in text
