"""Lesson 2's dance of the intervals: many simulated trials of one design, each with its
estimate and 95 % confidence interval; which intervals cover the true effect, and how far the
significant trials overstate it. :func:`dance_explorer` puts a design menu, a seed and the
model's sliders in front of :func:`dance_figure`.

The draws follow the model of :mod:`exocourse.power` (normal changes with SD ``sd``, the two
sides correlated ``rho``, a fraction ``spillover`` of the effect reaching the control side of
a split face): every number they give rests on those assumptions [A].
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import power
from ..inference import paired_estimate, t_result, two_sample_estimate
from ..plots import OKABE_ITO
from .designs import COMPARATORS, comparator, model_sliders
from .widgets import Explorer


def simulate_intervals(
    design: str,
    n: int,
    effect: float,
    sd: float,
    rho: float,
    spillover: float = 0.0,
    reps: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Simulate ``reps`` trials of one design (a label of :data:`COMPARATORS`) and return
    each trial's estimate, confidence interval and p-value.

    The draws follow :mod:`exocourse.power`'s model, from ``np.random.default_rng(seed)``:
    split-face trials are analysed with the paired t-test, parallel ones with the pooled
    two-sample t-test (on one cheek, or on the average of both). Columns: ``trial``
    (1, 2, ...), ``estimate``, ``ci_low``, ``ci_high``, ``p_value``, ``significant``
    (``p < alpha``) and ``covers`` (the interval holds the true ``effect``).

    >>> frame = simulate_intervals("split-face", 21, -4, 8.5, 0.0, reps=500, seed=1)
    >>> bool(abs(frame["covers"].mean() - 0.95) < 0.03)
    True
    """
    design_name, sites = comparator(design)
    power.analytic_power(design_name, n, effect, sd, rho, alpha, spillover, sites=sites)  # checks
    reps = int(reps)
    if reps < 1:
        raise ValueError(f"reps must be at least 1, got {reps}")
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((reps, n) if sites == 1 and design_name == "parallel" else (reps, n, 2))
    if z.ndim == 3:
        first = sd * z[:, :, 0]
        second = sd * (rho * z[:, :, 0] + math.sqrt(1 - rho * rho) * z[:, :, 1])
    if design_name == "split-face":
        estimate, se, df = paired_estimate(first + effect, second + spillover * effect)
    else:
        outcome = sd * z if z.ndim == 2 else (first + second) / 2
        n0 = power.arm_sizes(n)[0]
        estimate, se, df = two_sample_estimate(outcome[:, n0:] + effect, outcome[:, :n0])
    result = t_result(estimate, se, df, alpha)
    frame = pd.DataFrame(
        {
            "trial": np.arange(1, reps + 1),
            "estimate": result["estimate"],
            "ci_low": result["ci_low"],
            "ci_high": result["ci_high"],
            "p_value": result["p_value"],
        }
    )
    frame["significant"] = frame["p_value"] < alpha
    frame["covers"] = (frame["ci_low"] <= effect) & (effect <= frame["ci_high"])
    return frame


def dance_summary(frame: pd.DataFrame, effect: float) -> dict[str, float]:
    """Coverage, power and the mean estimate of all trials and of the significant ones.

    ``exaggeration`` is the significant trials' mean estimate divided by the true effect
    (NaN when no trial was significant or the effect is 0).

    >>> frame = pd.DataFrame({"estimate": [-2.0, -8.0], "significant": [False, True],
    ...                       "covers": [True, False]})
    >>> dance_summary(frame, -4.0)["exaggeration"]
    2.0
    """
    significant = frame.loc[frame["significant"], "estimate"]
    mean_significant = float(significant.mean()) if len(significant) else math.nan
    return {
        "trials": len(frame),
        "coverage": float(frame["covers"].mean()),
        "power": float(frame["significant"].mean()),
        "mean_estimate": float(frame["estimate"].mean()),
        "mean_significant": mean_significant,
        "exaggeration": mean_significant / effect if effect else math.nan,
    }


def dance_figure(frame: pd.DataFrame, effect: float, shown: int = 50, design: str = "") -> Figure:
    """The first ``shown`` intervals of ``frame`` (from :func:`simulate_intervals`), one per
    row: significant trials in vermillion, the others in sky blue, and intervals that miss
    the true ``effect`` drawn thick. Dashed: the truth; dotted: zero; a vermillion dash-dot
    line: the mean estimate of *all* significant trials in ``frame``.

    >>> frame = simulate_intervals("split-face", 21, -4, 8.5, 0.0, reps=200, seed=2)
    >>> dance_figure(frame, -4).axes[0].get_ylabel()
    'Simulated trial (synthetic)'
    """
    summary = dance_summary(frame, effect)
    part = frame.head(shown)
    rows = np.arange(1, len(part) + 1)
    fig = Figure(figsize=(6.3, 5.4), layout="constrained")
    ax = fig.add_subplot()
    for significant, colour, label in [
        (False, OKABE_ITO["sky blue"], "p ≥ 0.05"),
        (True, OKABE_ITO["vermillion"], "p < 0.05 (significant)"),
    ]:
        for covers, width in [(True, 1.5), (False, 4.0)]:
            pick = ((part["significant"] == significant) & (part["covers"] == covers)).to_numpy()
            ax.hlines(
                rows[pick],
                part["ci_low"][pick],
                part["ci_high"][pick],
                color=colour,
                linewidth=width,
                label=label if covers else None,
            )
        pick = (part["significant"] == significant).to_numpy()
        ax.plot(part["estimate"][pick], rows[pick], "o", color=colour, markersize=3)
    ax.axvline(
        effect, color=OKABE_ITO["black"], linestyle="--", label=f"true effect, {effect:g} AU"
    )
    ax.axvline(0, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    if not math.isnan(summary["mean_significant"]):
        ax.axvline(
            summary["mean_significant"],
            color=OKABE_ITO["vermillion"],
            linestyle="-.",
            label=f"mean of significant trials, {summary['mean_significant']:.1f} AU",
        )
    ax.set_xlabel("Estimated effect with 95% CI (AU); thick: misses the truth")
    ax.set_ylabel("Simulated trial (synthetic)")
    covered = int(part["covers"].sum())
    ax.set_title(
        f"{design + ': ' if design else ''}{covered} of {len(part)} intervals cover the truth",
        fontsize=13,
    )
    fig.legend(loc="outside lower center", ncols=2)
    return fig


def dance_alt(frame: pd.DataFrame, effect: float, shown: int = 50) -> str:
    """A short description of :func:`dance_figure` for these numbers, for its alt text.

    >>> frame = simulate_intervals("split-face", 21, -4, 8.5, 0.0, reps=200, seed=2)
    >>> dance_alt(frame, -4)[:44]
    'Confidence intervals of 50 simulated trials:'
    """
    summary = dance_summary(frame, effect)
    part = frame.head(shown)
    text = (
        f"Confidence intervals of {len(part)} simulated trials: {int(part['covers'].sum())} "
        f"cover the true {effect:g} AU, {int(part['significant'].sum())} are significant"
    )
    if not math.isnan(summary["mean_significant"]):
        text += f", and significant trials estimate {summary['mean_significant']:.1f} AU on average"
    return text + "."


def _draw_dance(design: str, seed: int, spillover: float, **model: Any) -> tuple[Figure, str]:
    spill = spillover if comparator(design)[0] == "split-face" else 0.0
    frame = simulate_intervals(design, spillover=spill, seed=seed, **model)
    return dance_figure(frame, model["effect"], design=design), dance_alt(frame, model["effect"])


def dance_explorer(
    n: int = 21,
    effect: float = -4.0,
    sd: float = 8.5,
    rho: float = 0.0,
    spillover: float = 0.0,
    seed: int = 0,
) -> Explorer:
    """A design menu, a seed and the model's sliders in front of :func:`dance_figure`
    (2,000 simulated trials, the first 50 drawn). Spill-over applies to split-face only.

    >>> explorer = dance_explorer(seed=3)
    >>> before = explorer.shown["image/png"]
    >>> explorer.controls["design"].value = "parallel, one cheek"
    >>> explorer.shown["image/png"] != before
    True
    """
    import ipywidgets as widgets

    controls = {
        "design": widgets.Dropdown(
            options=[label for label, _, _ in COMPARATORS],
            value="split-face",
            description="design",
            style={"description_width": "11em"},
        ),
        "seed": widgets.BoundedIntText(
            value=seed,
            min=0,
            max=2**31 - 1,
            description="seed",
            style={"description_width": "11em"},
        ),
        **model_sliders(n, effect, sd, rho, spillover),
    }
    return Explorer(controls, _draw_dance)
