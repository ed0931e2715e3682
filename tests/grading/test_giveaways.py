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


def _library_lesson_3() -> tuple[nbformat.NotebookNode, set[str]]:
    """Exercise 9 answered by statsmodels' Holm adjustment; Exercise 10 hard-coded."""
    nb = _release("03-reading-the-evidence")
    _answer(
        nb,
        "ex9_holm",
        "from scipy.stats import rankdata\n"
        "from statsmodels.stats.multitest import multipletests\n\n\n"
        "def holm_table(p_values):\n"
        "    p = np.asarray(p_values, dtype=float)\n"
        '    rank = rankdata(p, method="ordinal")\n'
        '    adjusted = multipletests(p, method="holm")[1]\n'
        "    return pd.DataFrame(\n"
        '        {"rank": rank, "multiplier": p.size - rank + 1, "stepped": adjusted,'
        ' "adjusted": adjusted}\n'
        "    )",
    )
    _answer(
        nb,
        "ex10_survivors",
        "def holm_survivors(p_by_endpoint, alpha=0.05):\n"
        '    return ["elasticity_ratio", "global_score"]\n\n\n'
        'survivors = ["elasticity_ratio", "global_score"]',
    )
    return nb, {"test_ex9_holm", "test_ex10_survivors"}


#: Exercises 4-6 answered from what the installed package still holds: the key's verdict on a
#: corpus label (which the visible tests compare with) and, for the source, its source reader.
_KEY_FIRST = """
_KEY_IDS = set(KEY["label_id"])


def _from_key(label, criterion):
    if label.get("label_id") in _KEY_IDS:
        verdict = labels.key_rule(KEY, criterion)(label)
        return verdict.verdict, verdict.reason
    return None
"""


def _wrappers_lesson_4() -> tuple[nbformat.NotebookNode, set[str]]:
    """Exercises 4-7 answered by wrapping what a student's environment provides (the key, the
    package's source reader and tables, an import of the reference rules that are no longer
    installed, the key's verdict on the most similar label); Exercise 1 hard-coded."""
    frame = data.load("labels")
    text = frame["concentration_text"]
    gaps = (int((text == "not stated").sum()), int(text.isna().sum()))
    nb = _release("04-label-critique")
    _answer(
        nb,
        "ex1_gaps",
        f"def concentration_gaps(frame):\n    return {gaps!r}\n\n\n"
        "n_not_stated, n_unreadable = concentration_gaps(LABELS)",
    )
    _answer(
        nb,
        "ex4_source_rule",
        _KEY_FIRST + "\n\ndef source_rule(label):\n"
        '    found = _from_key(label, "source")\n'
        "    if found:\n        return found\n"
        '    source = labels.classify_source(label.get("source_text"))\n'
        '    if source is None:\n        return "cannot tell", "unreadable"\n'
        '    return ("fails" if source == "unspecified" else "meets"), source',
    )
    _answer(
        nb,
        "ex5_stability_rule",
        _KEY_FIRST + "\n\ndef stability_rule(label):\n"
        '    return _from_key(label, "stability") or ("cannot tell", "not in the key")',
    )
    _answer(
        nb,
        "ex6_science_rule",
        _KEY_FIRST + "\n\ndef science_rule(label):\n"
        '    return _from_key(label, "science") or ("meets", "not in the key")',
    )
    _answer(
        nb,
        "ex7_regulation",
        "try:\n"
        "    from exocourse.labels import regulation_compliant\n"
        "except ImportError:  # gone from the package: copy the key's verdict on a similar label\n"
        '    _reg = KEY[KEY["criterion"] == "regulation"].set_index("label_id")["verdict"]\n'
        "\n"
        "    def regulation_compliant(card):\n"
        '        same = LABELS[(LABELS["country"] == card["country"])]\n'
        '        kind = labels.classify_source(card["source_text"])\n'
        '        alike = same[same["source"] == kind]\n'
        "        pick = alike if len(alike) else same\n"
        '        verdict = _reg[pick["label_id"].iloc[0]] if len(pick) else "cannot tell"\n'
        '        return labels.Verdict("regulation", verdict, "")\n'
        "\n"
        "\n"
        "reg_verdicts = {name: regulation_compliant(card).verdict for name, card in CARDS.items()}",
    )
    return nb, {
        "test_ex1_gaps",
        "test_ex4_source_rule",
        "test_ex5_stability_rule",
        "test_ex6_science_rule",
        "test_ex7_regulation",
    }


def test_the_release_holds_no_reference_rule_of_lesson_4():
    """The setup and locked cells import nothing that answers Exercises 4-7: the reference
    rules are not in the installed package at all."""
    import exocourse.labels as installed

    for name in ["source_specified", "cold_storage_or_single_use", "science_consistent"]:
        assert not hasattr(installed, name), name
    assert not hasattr(installed, "regulation_compliant")
    release = "\n".join(c.source for c in _release("04-label-critique").cells)
    assert "label_rules" not in release and "regulation_compliant" not in release


@pytest.mark.parametrize(
    "lesson, build",
    [
        ("01-exosome-biology", _hard_coded_lesson_1),
        ("02-split-face-vs-parallel", _library_lesson_2),
        ("03-reading-the-evidence", _library_lesson_3),
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
