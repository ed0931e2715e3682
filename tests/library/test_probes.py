"""exocourse.probes: what a hidden test reports, and how values are written as data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from exocourse import probes


@pytest.mark.parametrize(
    "value, encoded",
    [
        (None, None),
        (True, True),
        (np.bool_(False), False),
        (3, 3),
        (np.int64(3), 3),
        (2.5, 2.5),
        (np.float32(0.5), 0.5),
        (float("inf"), {"float": "inf"}),
        ("text", "text"),
        ([1, (2, 3)], {"list": [1, {"list": [2, 3]}]}),
        ({"b": 1, "a": 2}, {"dict": [["a", 2], ["b", 1]]}),
        ({2, 1}, {"set": [1, 2]}),
        (np.array([[1, 2]]), {"array": {"list": [{"list": [1, 2]}]}, "shape": [1, 2]}),
        (pd.NA, {"missing": True}),
    ],
)
def test_values_are_written_as_data_that_say_what_they_are(value, encoded):
    assert probes.encode(value) == encoded
    json.dumps(probes.encode(value))  # and it is JSON


def test_pandas_objects_keep_their_index_and_columns():
    series = pd.Series([0.1, 0.2], index=["EV", "liposome"])
    assert probes.encode(series) == {
        "series": {"index": {"list": ["EV", "liposome"]}, "values": {"list": [0.1, 0.2]}}
    }
    frame = pd.DataFrame({"lab": [1, 2], "cv": [0.5, 0.25]})
    assert probes.encode(frame)["frame"]["columns"] == {"list": ["lab", "cv"]}
    assert probes.encode(frame)["frame"]["rows"] == {
        "list": [{"list": [1, 0.5]}, {"list": [2, 0.25]}]
    }


def test_an_object_that_claims_to_equal_everything_is_written_as_its_type():
    class Liar:
        def __eq__(self, other):
            return True

    assert probes.encode(Liar()) == {"object": f"{__name__}.{Liar.__qualname__}"}


def test_deep_nesting_is_cut_off():
    value: list = []
    for _ in range(50):
        value = [value]
    assert "too_deep" in json.dumps(probes.encode(value))


def test_a_probe_records_its_value_or_the_exception_it_raised():
    probes.start("test_x")
    probes.probe("fine", lambda: 1 + 1, rtol=1e-3, hint="add")
    probes.probe("broken", lambda: 1 / 0)
    got = probes.collected()
    assert [p["value"] for p in got] == [2, {"raises": "ZeroDivisionError"}]
    assert got[0]["rtol"] == 1e-3 and got[0]["hint"] == "add"


def test_outside_grading_a_probe_only_evaluates_and_a_missing_name_is_an_authoring_error(
    capsys,
):
    probes.emit()  # end any collection: back to an ordinary run
    assert probes.collected() == []
    probes.probe("fine", lambda: 3)
    assert probes.collected() == []
    with pytest.raises(NameError):
        probes.probe("typo", lambda: undefined_name)  # noqa: F821
    capsys.readouterr()


def test_run_reports_the_probes_even_when_the_hidden_code_raises(capsys):
    namespace = {"answer": 41}
    code = "\n".join(
        [
            "from exocourse.probes import probe",
            "probe('a', lambda: answer + 1)",
            "1 / 0",
            "probe('b', 2)",
        ]
    )
    probes.run("test_y", code, namespace)
    record = json.loads(capsys.readouterr().out)  # outside IPython the record is printed
    assert record["cell"] == "test_y" and record["stopped"] == "ZeroDivisionError"
    assert [(p["label"], p["value"]) for p in record["probes"]] == [("a", 42)]


def test_a_declaration_is_plain_data_or_says_why_not(capsys):
    probes.start("test_z")
    probes.declare("PLAN", lambda: {"n": 40, "weeks": (0, 4, 8)})
    probes.declare("OBJECT", lambda: object())  # not JSON data
    probes.declare("NAN", lambda: float("nan"))  # not JSON either
    probes.declare("HUGE", lambda: "x" * (probes.MAX_DECLARED_BYTES + 1))
    probes.declare("BROKEN", lambda: 1 / 0)
    assert probes.declared() == {
        "PLAN": {"n": 40, "weeks": [0, 4, 8]},
        "OBJECT": {"raises": "TypeError"},
        "NAN": {"raises": "ValueError"},
        "HUGE": {"raises": "ValueError"},
        "BROKEN": {"raises": "ZeroDivisionError"},
    }
    assert probes.collected() == []  # a declaration is never a probe: it is not judged
    probes.emit()
    record = json.loads(capsys.readouterr().out)
    assert record["declared"]["PLAN"] == {"n": 40, "weeks": [0, 4, 8]}
    probes.declare("AFTER", lambda: 1)  # outside grading: nothing is recorded
    assert probes.declared() == {}
