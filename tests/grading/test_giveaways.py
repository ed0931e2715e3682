"""No exercise is answered by a hard-coded number or by wrapping what the environment
provides: each such submission earns nothing for that question, and the rest of the
submission (answered from the solution) still passes."""

from __future__ import annotations

import nbformat
import pytest
from conftest import ROOT
from golden.build import fill

from exocourse import data
from exocourse.grading.batch import autograde
from exocourse.grading.status import PASSED


def _release(lesson: str) -> nbformat.NotebookNode:
    return fill(nbformat.read(ROOT / "lessons" / lesson / f"{lesson}.ipynb", as_version=4), lesson)


def _answer(nb: nbformat.NotebookNode, grade_id: str, source: str) -> None:
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    cell.source = source


def _hard_coded_lesson_1() -> tuple[nbformat.NotebookNode, set[str]]:
    """Exercises 1 and 6 answered with the right numbers for the lesson's own data only."""
    nta = data.load("nta_particles")
    frac = float(nta.loc[nta["sample"] == "prep_A", "diameter_nm"].between(30, 150).mean())
    nb = _release("01-exosome-biology")
    _answer(
        nb,
        "ex1_fraction",
        f"def fraction_in_range(diameters, low, high):\n    return {frac!r}\n\n\nfrac_A = {frac!r}",
    )
    days = 60.0 * 0.32192809488736235  # 60 days x log2(1 / 0.8): the worked value, typed in
    _answer(
        nb,
        "ex6_days",
        f"def days_until(fraction, half_life_days):\n    return {days!r}\n\n\n"
        f"days_to_80_at_4C = {days!r}",
    )
    return nb, {"test_ex1_fraction", "test_ex6_days"}


def _library_lesson_2() -> tuple[nbformat.NotebookNode, set[str]]:
    """Exercise 2 answered by SciPy's two-sample test from summaries (with a second group of
    zeros it gives the paired t, and the SE is backed out of it), Exercise 3 by the package's
    sample_size, which is the lesson's own answer, and Exercise 5 by the package's exact
    sample_size where the exercise asks for the normal-approximation formula."""
    nb = _release("02-split-face-vs-parallel")
    _answer(
        nb,
        "ex2_t_statistic",
        "def paired_t_from_summary(mean_diff, sd_diff, n):\n"
        "    result = stats.ttest_ind_from_stats(mean_diff, sd_diff, n, 0.0, 0.0, n, "
        "equal_var=False)\n"
        "    return result.statistic, n - 1, mean_diff / result.statistic",
    )
    _answer(
        nb,
        "ex3_sample_size",
        "def smallest_n(power_at, target=0.8, n_min=2):\n"
        '    return power.sample_size("split-face", target, EFFECT, SD_CHANGE, RHO)\n\n\n'
        'n_split_80 = power.sample_size("split-face", 0.8, EFFECT, SD_CHANGE, RHO)\n'
        'n_parallel_80 = power.sample_size("parallel", 0.8, EFFECT, SD_CHANGE, RHO)',
    )
    _answer(
        nb,
        "ex5_spillover",
        "def n_needed(spillover, effect=EFFECT, sd=SD_CHANGE, rho=RHO, target=0.8, alpha=0.05):\n"
        '    return power.sample_size("split-face", target, effect, sd, rho, alpha, spillover)',
    )
    return nb, {"test_ex2_t_statistic", "test_ex3_sample_size", "test_ex5_spillover"}


def _wrappers_lesson_4() -> tuple[nbformat.NotebookNode, set[str]]:
    """Exercises 4-6 answered by the package's reference rules; Exercise 1 hard-coded."""
    labels = data.load("labels")
    text = labels["concentration_text"]
    gaps = (int((text == "not stated").sum()), int(text.isna().sum()))
    nb = _release("04-label-critique")
    _answer(
        nb,
        "ex1_gaps",
        f"def concentration_gaps(frame):\n    return {gaps!r}\n\n\n"
        "n_not_stated, n_unreadable = concentration_gaps(LABELS)",
    )
    for grade_id, name, reference in [
        ("ex4_source_rule", "source_rule", "source_specified"),
        ("ex5_stability_rule", "stability_rule", "cold_storage_or_single_use"),
        ("ex6_science_rule", "science_rule", "science_consistent"),
    ]:
        _answer(
            nb,
            grade_id,
            f"def {name}(label):\n    verdict = labels.{reference}(label)\n"
            "    return verdict.verdict, verdict.reason",
        )
    return nb, {
        "test_ex1_gaps",
        "test_ex4_source_rule",
        "test_ex5_stability_rule",
        "test_ex6_science_rule",
    }


@pytest.mark.parametrize(
    "lesson, build",
    [
        ("01-exosome-biology", _hard_coded_lesson_1),
        ("02-split-face-vs-parallel", _library_lesson_2),
        ("04-label-critique", _wrappers_lesson_4),
    ],
)
def test_a_give_away_earns_nothing_for_its_question(lesson, build, tmp_path):
    nb, given_away = build()
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(nb, subs / f"cheat_{lesson}.ipynb")
    report = autograde(ROOT, lesson, subs, tmp_path / "ws", jobs=1, timeout=60)
    by_id = {q.grade_id: q for q in report.results["cheat"].questions}
    for grade_id in given_away:
        assert by_id[grade_id].points == 0, (grade_id, by_id[grade_id].status)
    others = [q for q in by_id.values() if q.kind == "code" and q.grade_id not in given_away]
    assert others and {q.status for q in others} == {PASSED}, [
        (q.grade_id, q.status, q.reason) for q in others if q.status != PASSED
    ]
