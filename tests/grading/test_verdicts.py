"""exocourse.grading.verdicts: reading a submission's probe record and judging it against
the solution's, as an attacker would try it."""

from __future__ import annotations

import pytest

from exocourse.grading.verdicts import judge, read_record, same
from exocourse.probes import MIME

KERNEL = {"input_transformers_post": 0, "input_transformers_cleanup": 3, "ast_transformers": 0}


def _expected(*values, rtol=1e-9, atol=0.0):
    probes = [
        {"label": f"p{i}", "value": v, "rtol": rtol, "atol": atol, "hint": f"hint {i}"}
        for i, v in enumerate(values)
    ]
    return {"cell": "t", "probes": probes, "kernel": KERNEL}


def _got(*values, **changes):
    record = {"cell": "t", "probes": [{"label": f"p{i}", "value": v} for i, v in enumerate(values)]}
    return record | {"kernel": KERNEL} | changes


def _output(record):
    return {"output_type": "display_data", "data": {MIME: record}}


@pytest.mark.parametrize(
    "expected, got, ok",
    [
        (1.0, 1.0 + 1e-12, True),
        (1.0, 1.001, False),
        (0.0, 1e-300, False),  # rtol alone never accepts a tiny number for an exact zero
        (2, 2.0, True),
        (1, True, False),
        (True, 1, False),
        ("supported", "Supported", False),
        ({"list": [1, 2]}, {"list": [1, 2, 3]}, False),
        ({"list": [1, 2]}, {"set": [1, 2]}, False),
        ({"dict": [["a", 1]]}, {"dict": [["a", 1]], "extra": 1}, False),
        ({"float": "nan"}, {"float": "nan"}, True),
        ({"raises": "ValueError"}, {"raises": "ValueError"}, True),
        ({"raises": "ValueError"}, {"raises": "TypeError"}, False),
        (3.0, {"object": "mod.AlwaysEqual"}, False),
        (3.0, "3.0", False),
        (None, 0, False),
    ],
)
def test_values_match_only_within_the_solution_tolerance(expected, got, ok):
    assert same(expected, got, 1e-9, 0.0) is ok


def test_tolerances_and_hints_come_from_the_solution_never_from_the_submission():
    forged = _got(5.0)
    forged["probes"][0] |= {"rtol": 1e9, "atol": 1e9, "hint": ""}
    verdict = judge(_expected(1.0), forged)
    assert not verdict.passed and verdict.reason == "a hidden check failed: p0 (hint: hint 0)"


def test_every_probe_must_match_in_order():
    assert judge(_expected(1, 2, 3), _got(1, 2, 3)).passed
    assert "stopped before: p2" in judge(_expected(1, 2, 3), _got(1, 2)).reason
    shuffled = _got(1, 2)
    shuffled["probes"].reverse()
    assert "out of order at: p0" in judge(_expected(1, 2), shuffled).reason
    raised = judge(_expected(1), _got({"raises": "KeyError"}))
    assert raised.reason == "a hidden check raised KeyError: p0 (hint: hint 0)"


def test_extra_probes_from_the_submission_change_nothing():
    assert judge(_expected(1), _got(1, 99, 100)).passed


def test_more_code_rewriting_hooks_than_the_solution_is_tampering():
    verdict = judge(_expected(1), _got(1, kernel=dict(KERNEL, input_transformers_post=2)))
    assert not verdict.passed and "2 extra input_transformers_post" in verdict.tampered
    fewer = judge(_expected(1), _got(1, kernel=dict(KERNEL, input_transformers_cleanup=0)))
    assert fewer.passed  # removing hooks rewrites nothing


@pytest.mark.parametrize(
    "outputs, phrase",
    [
        ([], "did not report"),
        ([{"output_type": "stream", "text": '{"cell": "t"}'}], "did not report"),
        ([_output(_got(1)), _output(_got(1))], "2 times"),
        ([_output(_got(1, cell="other"))], "another cell"),
        ([_output("not json {")], "not valid JSON"),
        ([_output({"cell": "t", "probes": [{"value": 1}]})], "malformed"),
        ([_output({"cell": "t", "probes": "many"})], "malformed"),
        ([_output([1, 2])], "malformed"),
        ([_output({"cell": "t", "probes": [{"label": "x", "value": "y" * 600_000}]})], "too large"),
    ],
)
def test_a_missing_doubled_or_malformed_report_is_read_as_none_with_a_reason(outputs, phrase):
    record, problem = read_record(outputs, "t")
    assert record is None and phrase in problem


def test_a_report_kept_as_json_text_is_read():
    import json

    record, problem = read_record([_output(json.dumps(_got(1)))], "t")
    assert problem == "" and record["probes"][0]["value"] == 1
