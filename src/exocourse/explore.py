"""Interactive exploration for Lesson 2: power and sample size, and the dance of the intervals.

Pure functions compute and draw; thin widget wrappers put sliders in front of them.

* :func:`power_table` and :func:`power_figure`: exact power (``exocourse.power``) of the three
  designs the lesson compares, for one set of assumptions: split-face, parallel reading one
  cheek per person, parallel reading and averaging both cheeks.
* :func:`simulate_intervals`, :func:`dance_summary` and :func:`dance_figure`: many simulated
  trials of one design (seeded), each with its estimate and 95 % confidence interval; which
  intervals cover the true effect, and how far the significant trials overstate it.
* :func:`power_explorer` and :func:`dance_explorer`: the same, redrawn as sliders move
  (``ipywidgets``). Without a live kernel they show nothing; the lesson shows a static figure
  drawn by the same functions.

The simulation uses the model of :mod:`exocourse.power` (normal changes with SD ``sd``, the two
sides correlated ``rho``, a fraction ``spillover`` of the effect reaching the control side of
a split face): every number it gives rests on those assumptions.

>>> table = power_table(21, effect=-4, sd=8.5, rho=0.0)
>>> table["design"].tolist()
['split-face', 'parallel, one cheek', 'parallel, both cheeks']
>>> table["power"].round(3).tolist(), table["n_for_target"].tolist()
([0.306, 0.176, 0.304], [73, 144, 73])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from . import power
from .inference import paired_estimate, t_result, two_sample_estimate
from .plots import OKABE_ITO, figure_bundle

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


def _comparator(label: str) -> tuple[str, int]:
    if label not in _DESIGNS:
        raise ValueError(f"design must be one of {', '.join(map(repr, _DESIGNS))}, got {label!r}")
    return _DESIGNS[label]


# ------------------------------------------------------------------------ power and n


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


# ------------------------------------------------------------------- the dance of CIs


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
    design_name, sites = _comparator(design)
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


# --------------------------------------------------------------------------- widgets


class Explorer:
    """Sliders and the figure they control; displayed, it shows as a widget.

    ``controls`` maps each keyword of ``draw`` to a widget whose ``value`` it takes;
    ``draw(**values)`` returns ``(figure, alt_text)``. Whenever a value changes the figure is
    drawn again in :attr:`output`; :attr:`shown` holds the display data last shown (the PNG
    and its alt text, or the reason nothing could be drawn), which is what a test reads.

    >>> import ipywidgets as widgets
    >>> def draw(n):
    ...     return power_figure(n, -4, 8.5, 0.0), f"Power curves of three designs at n = {n}."
    >>> explorer = Explorer({"n": widgets.IntSlider(value=21, min=4, max=60)}, draw)
    >>> explorer.controls["n"].value = 40
    >>> explorer.shown["text/plain"]
    'Power curves of three designs at n = 40.'
    """

    NO_KERNEL = (
        "An interactive explorer: run the notebook with a live kernel to move its sliders. "
        "The static figure above shows such a plot for the lesson's assumptions."
    )

    def __init__(self, controls: dict[str, Any], draw: Callable[..., tuple[Figure, str]]):
        import ipywidgets as widgets

        self.controls, self.draw = controls, draw
        self.output = widgets.Output()
        self.widget = widgets.VBox([widgets.VBox(list(controls.values())), self.output])
        self.shown: dict[str, str] = {}
        for control in controls.values():
            control.observe(lambda _change: self.redraw(), names="value")
        self.redraw()

    def values(self) -> dict[str, Any]:
        """The current value of every control, by keyword."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self) -> None:
        """Draw the figure for the current values and show it in :attr:`output`."""
        try:
            data, metadata = figure_bundle(*self.draw(**self.values()))
        except ValueError as error:  # a combination the model refuses: say why, draw nothing
            data, metadata = {"text/plain": f"Nothing to draw: {error}"}, {}
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)
        self.shown = data

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.NO_KERNEL
        return bundle


def _slider(kind: str, value: float, low: float, high: float, step: float, label: str) -> Any:
    import ipywidgets as widgets

    make = widgets.IntSlider if kind == "int" else widgets.FloatSlider
    return make(
        value=value,
        min=low,
        max=high,
        step=step,
        description=label,
        continuous_update=False,
        style={"description_width": "11em"},
        layout=widgets.Layout(width="34em"),
    )


def _model_sliders(n: int, effect: float, sd: float, rho: float, spillover: float) -> dict:
    return {
        "n": _slider("int", n, 4, 200, 1, "participants, n"),
        "effect": _slider("float", effect, -12.0, 0.0, 0.5, "effect (AU)"),
        "sd": _slider("float", sd, 2.0, 20.0, 0.1, "SD of a change (AU)"),
        "rho": _slider("float", rho, 0.0, 0.95, 0.05, "ρ, sides' changes"),
        "spillover": _slider("float", spillover, 0.0, 0.9, 0.05, "spill-over (split-face)"),
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
    return Explorer(_model_sliders(n, effect, sd, rho, spillover), _draw_power)


def _draw_dance(design: str, seed: int, spillover: float, **model: Any) -> tuple[Figure, str]:
    spill = spillover if _comparator(design)[0] == "split-face" else 0.0
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
        **_model_sliders(n, effect, sd, rho, spillover),
    }
    return Explorer(controls, _draw_dance)
