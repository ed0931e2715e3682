"""Lesson 2's power explorer: the exact power of three designs for one set of assumptions.

:func:`power_table` and :func:`power_figure` give the exact power (:mod:`exocourse.power`) of
split-face, parallel reading one cheek per person, and parallel reading and averaging both
cheeks; :func:`power_explorer` puts sliders in front of them.

>>> table = power_table(21, effect=-4, sd=8.5, rho=0.0)
>>> table["design"].tolist()
['split-face', 'parallel, one cheek', 'parallel, both cheeks']
>>> table["power"].round(3).tolist(), table["n_for_target"].tolist()
([0.306, 0.176, 0.304], [73, 144, 73])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import power
from ..plots import OKABE_ITO
from .widgets import Explorer, slider

#: The designs the lesson compares: (label, design, sites read per person), in drawing order.
COMPARATORS = (
    ("split-face", "split-face", 1),
    ("parallel, one cheek", "parallel", 1),
    ("parallel, both cheeks", "parallel", 2),
)
_COLOURS = {
    "split-face": OKABE_ITO["blue"],
    "parallel, one cheek": OKABE_ITO["orange"],
    "parallel, both cheeks": OKABE_ITO["bluish green"],
}
#: How many sample sizes a power curve is computed at (each is one exact power calculation).
CURVE_POINTS = 81
#: The default axis of the power curves stops here, however many a design needs.
MAX_AXIS_N = 1000

# Split-face and the two-site parallel trial coincide at rho = 0: the second is drawn dashed on top.
_STYLES = {"split-face": "-", "parallel, one cheek": "-", "parallel, both cheeks": "--"}
_DESIGNS = {label: (design, sites) for label, design, sites in COMPARATORS}


def comparator(label: str) -> tuple[str, int]:
    """The design and the sites read per person of a label of :data:`COMPARATORS`.

    >>> comparator("parallel, both cheeks")
    ('parallel', 2)
    """
    if label not in _DESIGNS:
        raise ValueError(f"design must be one of {', '.join(map(repr, _DESIGNS))}, got {label!r}")
    return _DESIGNS[label]


def power_table(
    n: int,
    effect: float,
    sd: float,
    rho: float,
    spillover: float = 0.0,
    alpha: float = 0.05,
    target: float = 0.8,
) -> pd.DataFrame:
    """Exact power at ``n`` total participants, and the smallest ``n`` reaching ``target``,
    for each of :data:`COMPARATORS`.

    ``spillover`` applies to the split-face design only (a parallel trial has no control side
    for it to reach). ``n_for_target`` is ``None`` when no sample size reaches the target (no
    effect left after spill-over). Columns: ``design``, ``n``, ``power``, ``n_for_target``.

    >>> power_table(30, -4, 8.5, 0.5, spillover=0.3)["n_for_target"].tolist()
    [75, 144, 109]
    """
    rows = []
    for label, design, sites in COMPARATORS:
        spill = spillover if design == "split-face" else 0.0
        at_n = power.analytic_power(design, n, effect, sd, rho, alpha, spill, sites=sites)
        try:
            needed = power.sample_size(design, target, effect, sd, rho, alpha, spill, sites=sites)
        except ValueError:
            if effect * (1 - spill) != 0:
                raise
            needed = None
        rows.append({"design": label, "n": n, "power": at_n, "n_for_target": needed})
    return pd.DataFrame(rows).astype({"n_for_target": object})


def power_figure(
    n: int,
    effect: float,
    sd: float,
    rho: float,
    spillover: float = 0.0,
    alpha: float = 0.05,
    target: float = 0.8,
    n_max: int | None = None,
) -> Figure:
    """Power curves of the three designs against the total number of participants, with
    each design's power at ``n`` marked and the ``target`` line drawn.

    The curves run from 4 to ``n_max`` participants (by default far enough for every design
    to reach ``target``, at least 120 and ``2 * n``, at most :data:`MAX_AXIS_N`), through at
    most :data:`CURVE_POINTS` whole numbers; the legend gives each design's power at ``n``
    and the ``n`` it needs.

    >>> fig = power_figure(21, -4, 8.5, 0.0)
    >>> fig.axes[0].get_xlabel()
    'Total participants'
    """
    table = power_table(n, effect, sd, rho, spillover, alpha, target)
    needed = [int(v) for v in table["n_for_target"] if v is not None]
    if n_max is None:  # far enough to show every design reach the target, within reason
        top = max(120, 2 * n, min(int(1.1 * max(needed, default=0)), MAX_AXIS_N))
    else:
        top = n_max
    ns = np.unique(np.linspace(4, top, CURVE_POINTS).round().astype(int))  # smooth, and quick
    fig = Figure(figsize=(7.0, 4.6), layout="constrained")
    ax = fig.add_subplot()
    for row, (label, design, sites) in zip(table.itertuples(), COMPARATORS, strict=True):
        spill = spillover if design == "split-face" else 0.0
        curve = [
            power.analytic_power(design, m, effect, sd, rho, alpha, spill, sites=sites) for m in ns
        ]
        needs = "never" if row.n_for_target is None else f"{row.n_for_target}"
        ax.plot(
            ns,
            curve,
            color=_COLOURS[label],
            linestyle=_STYLES[label],
            label=f"{label}: {row.power:.2f} at n = {n}; {target:.0%} needs {needs}",
        )
        ax.plot([n], [row.power], "o", color=_COLOURS[label], markersize=7)
    ax.axvline(n, color=OKABE_ITO["black"], linestyle=":", linewidth=1)
    ax.axhline(target, color=OKABE_ITO["black"], linestyle="--", linewidth=1)
    ax.set_xlabel("Total participants")
    ax.set_ylabel(f"Power (probability p < {alpha:g})")
    ax.set_ylim(0, 1)
    ax.set_xlim(ns[0], ns[-1])
    spill_text = f", spill-over {spillover:.0%}" if spillover else ""
    ax.set_title(f"Effect {effect:g} AU, SD {sd:.1f} AU, rho {rho:.2f}{spill_text} [A]")
    fig.legend(loc="outside lower center", ncols=1)
    return fig


def power_alt(table: pd.DataFrame) -> str:
    """A short description of :func:`power_figure` for these numbers, for its alt text.

    >>> power_alt(power_table(21, -4, 8.5, 0.0))[:61]
    'Power against total participants for three designs; at n = 21'
    """
    n = int(table["n"].iloc[0])
    parts = [f"{row.design} {row.power:.2f}" for row in table.itertuples()]
    return (
        f"Power against total participants for three designs; at n = {n}: " + ", ".join(parts) + "."
    )


def model_sliders(n: int, effect: float, sd: float, rho: float, spillover: float) -> dict:
    """Sliders for the model of :mod:`exocourse.power`, keyed by its keywords."""
    return {
        "n": slider("int", n, 4, 200, 1, "participants, n"),
        "effect": slider("float", effect, -12.0, 0.0, 0.5, "effect (AU)"),
        "sd": slider("float", sd, 2.0, 20.0, 0.1, "SD of a change (AU)"),
        "rho": slider("float", rho, 0.0, 0.95, 0.05, "ρ, sides' changes"),
        "spillover": slider("float", spillover, 0.0, 0.9, 0.05, "spill-over (split-face)"),
    }


def _draw_power(**values: Any) -> tuple[Figure, str]:
    return power_figure(**values), power_alt(
        power_table(**{k: values[k] for k in ("n", "effect", "sd", "rho", "spillover")})
    )


def power_explorer(
    n: int = 21, effect: float = -4.0, sd: float = 8.5, rho: float = 0.0, spillover: float = 0.0
) -> Explorer:
    """Sliders for ``n``, effect, SD, ρ and spill-over in front of :func:`power_figure`.

    >>> explorer = power_explorer(n=30)
    >>> explorer.controls["rho"].value = 0.8  # the figure is drawn again
    >>> explorer.shown["text/plain"].split(": ")[1]
    'split-face 0.98, parallel, one cheek 0.24, parallel, both cheeks 0.26.'
    """
    return Explorer(model_sliders(n, effect, sd, rho, spillover), _draw_power)
