"""Lesson 5's protocol explorer: where a protocol's estimates fall under each truth.

* :func:`true_contrast`: what a protocol's primary endpoint truly is under one of the
  truths of :data:`exocourse.capstone.TRUTHS` (product minus placebo change, AU), worked out
  from the trial model's parameters rather than simulated.
* :func:`protocol_summary`: the protocol simulated under each truth
  (:func:`exocourse.capstone.operating_characteristics`): the middle 95 % and the median of
  its estimates, and how often its primary test is significant either way.
* :func:`protocol_figure` draws that summary; :func:`protocol_explorer` puts a design and
  test menu, the enrolment and the primary visit in front of it (``ipywidgets``).

It sorts no trial into Lesson 5's four named results: that rule is Exercise 5's. Every
number rests on the trial model's assumptions [A]; the trials are synthetic.

>>> from exocourse.capstone import Protocol
>>> true_contrast(Protocol(n=96), "fixed treated side")
1.0
>>> summary = protocol_summary(Protocol(n=96), reps=200, seed=1)
>>> summary["truth"].tolist()[:2], summary.columns[1]
(['no effect', 'claimed effect'], 'true contrast (AU)')
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..capstone import TRUTHS, Protocol, operating_characteristics, truths_for
from ..plots import OKABE_ITO
from .widgets import Explorer, slider

#: The menu of designs and primary tests: label -> (design, analysis) of a Protocol.
PLANS = {
    "split-face, paired t-test": ("split-face", "paired"),
    "split-face, Wilcoxon signed-rank": ("split-face", "wilcoxon"),
    "parallel, two-sample t-test": ("parallel", "two-sample"),
}
#: Simulated trials per truth in the explorer (a rate's Monte Carlo SE is at most 0.016).
EXPLORER_REPS = 1000
#: The enrolment slider's range (the explorer redraws in a few seconds up to here).
EXPLORER_MAX_N = 240


def true_contrast(protocol: Protocol, truth: str) -> float:
    """The expected primary estimate of ``protocol`` under ``truth``: the product side's minus
    the placebo side's change from week 0 to the primary visit (AU).

    Spill-over moves a fraction of the effect onto the placebo side of a split face; a
    product always on the left adds the left side's extra darkening, in proportion to the
    follow-up so far; a randomised side adds none on average, nor does a parallel trial's
    randomly chosen cheek.

    >>> true_contrast(Protocol(n=96, primary_week=4), "fading effect")
    -6.0
    >>> true_contrast(Protocol(n=96), "spill-over")
    -2.8
    """
    if truth not in TRUTHS:
        raise ValueError(f"truth must be one of {', '.join(map(repr, TRUTHS))}, got {truth!r}")
    params = protocol.params(**TRUTHS[truth])
    week = protocol.primary_week
    contrast = float(params.effect_at(week)) * (1 - params.spillover)
    if params.design == "split-face" and params.treated_side != "random":
        sign = 1.0 if params.treated_side == "left" else -1.0
        contrast += sign * params.left_offset * week / params.weeks[-1]
    return round(contrast, 12)


def protocol_summary(
    protocol: Protocol,
    frames: dict[str, pd.DataFrame] | None = None,
    reps: int = EXPLORER_REPS,
    seed: int = 0,
) -> pd.DataFrame:
    """One row per truth that applies to ``protocol``: the ``true contrast (AU)``
    (:func:`true_contrast`), the median and the middle 95 % (``low``, ``high``) of the
    simulated estimates, and the fractions of trials whose primary test is significant (p at
    most alpha) with the estimate below zero (``favours product``) or above it (``favours
    placebo``). The trials are ``frames`` (from
    :func:`exocourse.capstone.operating_characteristics`), or else ``reps`` per truth
    simulated from ``seed``.

    >>> row = protocol_summary(Protocol(n=96), reps=400, seed=2).iloc[0]
    >>> row["truth"], bool(row["favours product"] + row["favours placebo"] < 0.1)
    ('no effect', True)
    """
    if frames is None:
        frames = operating_characteristics(protocol, reps=reps, seed=seed)
    if list(frames) != truths_for(protocol):
        raise ValueError(
            f"frames hold the truths {list(frames)}, not those of a {protocol.design} "
            "protocol: simulate them with capstone.operating_characteristics(protocol)"
        )
    rows = []
    for truth, frame in frames.items():
        estimate = frame["estimate"].to_numpy()
        low, median, high = np.nanpercentile(estimate, [2.5, 50, 97.5])
        rows.append(
            {
                "truth": truth,
                "true contrast (AU)": true_contrast(protocol, truth),
                "median estimate": float(median),
                "low": float(low),
                "high": float(high),
                "favours product": float((frame["reject"] & (estimate < 0)).mean()),
                "favours placebo": float((frame["reject"] & (estimate > 0)).mean()),
            }
        )
    return pd.DataFrame(rows)


_TESTS = {"paired": "paired t", "wilcoxon": "Wilcoxon", "two-sample": "two-sample t"}


def protocol_figure(summary: pd.DataFrame, protocol: Protocol, mcid: float = -4.0) -> Figure:
    """One row per truth of ``summary`` (from :func:`protocol_summary`): a bar over the
    middle 95 % of the estimates, a dot at their median and an open diamond at the true
    contrast; dashed, the smallest difference that matters ``mcid``; dotted, zero. The
    right margin gives how often the primary test was significant for the product.

    >>> from exocourse.capstone import Protocol
    >>> fig = protocol_figure(protocol_summary(Protocol(n=24), reps=100), Protocol(n=24))
    >>> fig.axes[0].get_xlabel()
    'Estimated effect, product minus placebo (AU); negative favours the product'
    """
    rows = np.arange(len(summary))
    fig = Figure(figsize=(7.0, 1.6 + 0.6 * len(summary)), layout="constrained")
    ax = fig.add_subplot()
    ax.hlines(
        rows,
        summary["low"],
        summary["high"],
        color=OKABE_ITO["sky blue"],
        linewidth=8,
        label="middle 95 % of estimates",
    )
    ax.plot(
        summary["true contrast (AU)"],
        rows,
        "D",
        markersize=11,
        markerfacecolor="none",
        markeredgecolor=OKABE_ITO["black"],
        markeredgewidth=1.5,
        label="true contrast",
    )
    ax.plot(summary["median estimate"], rows, "o", color=OKABE_ITO["blue"], label="median")
    matters = f"smallest difference that matters, {mcid:g} AU"
    ax.axvline(mcid, color=OKABE_ITO["bluish green"], linestyle="--", label=matters)
    ax.axvline(0, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    ax.set_yticks(rows, summary["truth"])
    ax.invert_yaxis()
    right = ax.secondary_yaxis("right")
    right.set_yticks(
        rows, [f"significant for product: {rate:.1%}" for rate in summary["favours product"]]
    )
    ax.set_xlabel("Estimated effect, product minus placebo (AU); negative favours the product")
    ax.set_title(
        f"{protocol.design}, {protocol.n} enrolled, {_TESTS[protocol.analysis]} at week "
        f"{protocol.primary_week:g} (synthetic trials) [A]",
        fontsize=11,
    )
    fig.legend(loc="outside lower center", ncols=2, fontsize=9)
    return fig


def protocol_alt(summary: pd.DataFrame, protocol: Protocol) -> str:
    """A short description of :func:`protocol_figure` for these numbers, for its alt text.

    >>> from exocourse.capstone import Protocol
    >>> protocol_alt(protocol_summary(Protocol(n=24), reps=100), Protocol(n=24))[:40]
    'Estimates of a split-face trial, 24 enro'
    """
    parts = [
        f"{row['truth']}: true {row['true contrast (AU)']:g} AU, middle 95 % {row['low']:.1f} "
        f"to {row['high']:.1f}, {row['favours product']:.1%} significant for the product"
        for row in summary.to_dict("records")
    ]
    return (
        f"Estimates of a {protocol.design} trial, {protocol.n} enrolled, primary visit week "
        f"{protocol.primary_week:g}, under each truth. " + "; ".join(parts) + "."
    )


def _draw_protocol(
    plan: str, n: int, primary_week: float, reps: int, seed: int, mcid: float
) -> tuple[Figure, str]:
    design, analysis = PLANS[plan]
    protocol = Protocol(
        design=design, n=n, weeks=(0, 4, 8), primary_week=primary_week, analysis=analysis
    )
    summary = protocol_summary(protocol, reps=reps, seed=seed)
    return protocol_figure(summary, protocol, mcid), protocol_alt(summary, protocol)


def protocol_explorer(
    protocol: Protocol | None = None,
    mcid: float = -4.0,
    seed: int = 0,
    reps: int = EXPLORER_REPS,
) -> Explorer:
    """A design and test menu, an enrolment slider and a primary visit menu, starting at
    ``protocol`` (visits at weeks 0, 4 and 8), in front of :func:`protocol_figure`.

    >>> explorer = protocol_explorer(Protocol(n=48), reps=200)
    >>> explorer.controls["plan"].value = "parallel, two-sample t-test"
    >>> explorer.shown["text/plain"][:27]
    'Estimates of a parallel tri'
    """
    import ipywidgets as widgets

    protocol = Protocol() if protocol is None else protocol
    plan = next(k for k, v in PLANS.items() if v == (protocol.design, protocol.analysis))
    menu = {"style": {"description_width": "11em"}, "layout": widgets.Layout(width="34em")}
    controls = {
        "plan": widgets.Dropdown(
            options=list(PLANS), value=plan, description="design and test", **menu
        ),
        "n": slider("int", min(protocol.n, EXPLORER_MAX_N), 8, EXPLORER_MAX_N, 4, "enrolled, n"),
        "primary_week": widgets.Dropdown(
            options=[("week 4", 4.0), ("week 8", 8.0)],
            value=protocol.primary_week,
            description="primary visit",
            **menu,
        ),
    }
    return Explorer(controls, partial(_draw_protocol, reps=reps, seed=seed, mcid=mcid))
