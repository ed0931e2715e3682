"""Simulate whole skin-lightening trials and analyse them the right and the wrong way.

A trial follows ``n`` participants with visits at ``weeks``; a Mexameter-style melanin
index (arbitrary units, AU) is read on the left and right cheek. The model, for
participant *i*, side *s* and week *w* (``f = w / last week``, the fraction of follow-up):

``melanin = true baseline_is + f * (drift + co_intervention + person_change_i)
+ f * left_offset [left side only] + dose_is * effect(w) + measurement error``

* true baselines: mean ``baseline_mean``, between-person SD ``baseline_sd``; the two
  sides of a face correlate ``side_correlation``;
* ``drift``: a seasonal change shared by everyone in the trial, drawn once per trial,
  uniformly from ``drift_range``;
* ``co_intervention``: a change every participant gets from a regimen used alongside
  the product (a standard skin-care routine, say);
* ``person_change_i``: a participant's own change shared by both sides (SD
  ``person_change_sd``); it is what makes the two sides' *changes* correlate;
* ``left_offset``: extra darkening of the left (driver's) side by the last visit;
* ``dose``: 1 on a side that gets the product, ``spillover`` on the placebo side of a
  split face (carry-across), 0 otherwise; ``effect(w)`` is ``effect`` (the extra change
  on the treated side at the last visit) times ``effect_shape`` interpolated at ``w``;
* measurement error: independent per side and visit, SD ``measurement_sd``; normal, or
  Student t with ``error_df`` degrees of freedom (heavy tails) scaled to the same SD;
* dropout: a participant drops out with probability ``dropout`` and then misses every
  visit from one chosen at random after baseline.

Designs: ``"split-face"`` (each participant has the product on one side, placebo on
the other; the treated side is randomised per participant or fixed), ``"parallel"``
(participants randomised 1:1 to product or placebo on the whole face, one cheek
measured, chosen at random) and ``"single-arm"`` (everyone gets the product, one cheek
measured before and after: no control at all).

Every default is a teaching assumption [A] from the course fact sheet, section 6 (see
:func:`assumptions`); the data this module makes are synthetic, not measurements.

>>> trial = simulate_trial(seed=2)
>>> sorted(trial.columns)
['melanin', 'participant', 'side', 'treatment', 'week']
>>> result = paired_t(trial)
>>> result.method, result.n
('paired t-test', 18)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .arguments import integer, real
from .inference import (
    hodges_lehmann,
    independent_arrays,
    one_sample_arrays,
    paired_arrays,
    two_sample_arrays,
    wilcoxon_arrays,
)

DESIGNS = ("split-face", "parallel", "single-arm")
SIDES = ("left", "right")
TREATED_SIDES = ("random", "left", "right")

#: The fading-effect scenario: with ``effect=-3`` the treated side is 6 AU lower at
#: week 4 and 3 AU lower at week 8 (fact sheet section 6 [A]); week 2 is interpolated.
FADING_SHAPE = ((0.0, 0.0), (4.0, 2.0), (8.0, 1.0))

#: Where each default comes from. Every value is an assumption made for simulation [A].
ASSUMPTIONS: dict[str, str] = {
    "design": "split-face, as reported for the 21-woman trial (article [V])",
    "n": "21 participants (article [V])",
    "weeks": "visits at weeks 0/2/4/8 [A]; 8 weeks: the article's, unverified [U], assumed [A]",
    "baseline_mean": "cheek melanin index 150 AU [A]; Mexameter scale 0-999 AU [V]",
    "baseline_sd": "between-person SD 30 AU [A]",
    "side_correlation": "left-right correlation of true baseline 0.90 (sensitivity 0.75-0.95) [A]",
    "measurement_sd": "measurement error SD 6 AU per side per visit (mean of 3 readings) [A]",
    "drift_range": "shared seasonal drift -5 to +10 AU over 8 weeks [A]; seasonality [V]",
    "effect": "extra change on the treated side at week 8: -4 AU (scenarios 0, -2, -8) [A]",
    "effect_shape": "effect grows linearly to the last visit [A]; fading scenario: FADING_SHAPE",
    "spillover": "0 (range 0-30% of the treated effect) [A]",
    "left_offset": "left (driver's) side darkens 5 AU more by week 8 [A]; direction [V]",
    "treated_side": "randomised per participant (practical rule: randomise the side)",
    "dropout": "10% [A]",
    "error_df": "normal measurement errors (None); a small df gives heavy tails [A]",
    "co_intervention": "0: no co-intervention unless a scenario sets one [A]",
    "person_change_sd": "0: no person-level change; the fact sheet gives no value [A]",
}


@dataclass(frozen=True)
class TrialParams:
    """Parameters of a simulated trial; defaults are the fact sheet's assumptions [A].

    Lists are accepted where tuples are expected (so parameters can come from JSON).

    >>> TrialParams().n, TrialParams(design="parallel", n=42).design
    (21, 'parallel')
    >>> TrialParams(dropout=1.5)
    Traceback (most recent call last):
    ...
    ValueError: dropout must lie in [0, 1), got 1.5
    """

    design: str = "split-face"
    n: int = 21
    weeks: tuple[float, ...] = (0, 2, 4, 8)
    baseline_mean: float = 150.0
    baseline_sd: float = 30.0
    side_correlation: float = 0.90
    measurement_sd: float = 6.0
    drift_range: tuple[float, float] = (-5.0, 10.0)
    effect: float = -4.0
    effect_shape: tuple[tuple[float, float], ...] | None = None
    spillover: float = 0.0
    left_offset: float = 5.0
    treated_side: str = "random"
    dropout: float = 0.10
    error_df: float | None = None
    co_intervention: float = 0.0
    person_change_sd: float = 0.0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if self.design not in DESIGNS:
            raise ValueError(f"design must be one of {DESIGNS}, got {self.design!r}")
        if self.treated_side not in TREATED_SIDES:
            raise ValueError(
                f"treated_side must be one of {TREATED_SIDES}, got {self.treated_side!r}"
            )
        set_(self, "n", integer("n", self.n))
        smallest = {"split-face": 2, "parallel": 4, "single-arm": 2}[self.design]
        if self.n < smallest:
            raise ValueError(f"n must be at least {smallest} for a {self.design} trial")
        weeks = tuple(real("weeks", w) for w in self.weeks)
        if (
            len(weeks) < 2
            or weeks[0] != 0
            or any(b <= a for a, b in zip(weeks, weeks[1:], strict=False))
        ):
            raise ValueError(f"weeks must start at 0 and increase, with 2+ visits, got {weeks}")
        set_(self, "weeks", weeks)
        for name in ("baseline_mean", "effect", "left_offset", "co_intervention"):
            set_(self, name, real(name, getattr(self, name)))
        for name in ("baseline_sd", "measurement_sd", "person_change_sd"):
            value = real(name, getattr(self, name))
            if value < 0:
                raise ValueError(f"{name} must not be negative, got {value}")
            set_(self, name, value)
        rho = real("side_correlation", self.side_correlation)
        if not 0 <= rho <= 1:
            raise ValueError(f"side_correlation must lie in [0, 1], got {rho}")
        set_(self, "side_correlation", rho)
        low, high = (real("drift_range", v) for v in self.drift_range)
        if low > high:
            raise ValueError(f"drift_range must be (low, high) with low <= high, got {low, high}")
        set_(self, "drift_range", (low, high))
        spill = real("spillover", self.spillover)
        if not 0 <= spill <= 1:
            raise ValueError(f"spillover must lie in [0, 1], got {spill}")
        if spill and self.design != "split-face":
            raise ValueError(f"spillover must be 0 in a {self.design} trial (no control side)")
        set_(self, "spillover", spill)
        dropout = real("dropout", self.dropout)
        if not 0 <= dropout < 1:
            raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
        set_(self, "dropout", dropout)
        if self.error_df is not None:
            df = real("error_df", self.error_df)
            if df <= 2:
                raise ValueError(f"error_df must exceed 2 (finite variance), got {df}")
            set_(self, "error_df", df)
        if self.effect_shape is not None:
            shape = tuple(
                (real("effect_shape", w), real("effect_shape", v)) for w, v in self.effect_shape
            )
            if len(shape) < 2 or any(b[0] <= a[0] for a, b in zip(shape, shape[1:], strict=False)):
                raise ValueError("effect_shape must list (week, multiple) pairs in week order")
            set_(self, "effect_shape", shape)

    def replace(self, **changes: Any) -> TrialParams:
        """A copy with some parameters changed (validated again).

        >>> TrialParams().replace(effect=-8).effect
        -8.0
        """
        return dataclasses.replace(self, **changes)

    def effect_at(self, weeks: Any) -> np.ndarray:
        """The treated side's extra change at ``weeks`` (AU).

        >>> TrialParams().effect_at([2, 4, 8]).tolist()
        [-1.0, -2.0, -4.0]
        >>> TrialParams(effect=-3, effect_shape=FADING_SHAPE).effect_at([2, 4, 8]).tolist()
        [-3.0, -6.0, -3.0]
        """
        shape = self.effect_shape or ((0.0, 0.0), (self.weeks[-1], 1.0))
        knots, values = zip(*shape, strict=True)
        return self.effect * np.interp(np.asarray(weeks, dtype=float), knots, values)

    def to_dict(self) -> dict[str, Any]:
        """Plain values (lists for tuples) for a JSON file; ``TrialParams(**d)`` reverses it.

        >>> TrialParams(**TrialParams().to_dict()) == TrialParams()
        True
        """
        return json_ready(dataclasses.asdict(self))


def json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [json_ready(v) for v in value]
    return value


def assumptions(params: TrialParams | None = None) -> pd.DataFrame:
    """A table of the parameters, their values and where each value comes from.

    >>> table = assumptions()
    >>> table.loc["dropout", "value"], table.loc["dropout", "basis"]
    ('0.1', '10% [A]')
    """
    params = params or TrialParams()
    rows = [
        {"parameter": name, "value": str(getattr(params, name)), "basis": basis}
        for name, basis in ASSUMPTIONS.items()
    ]
    return pd.DataFrame(rows).set_index("parameter")


# ----------------------------------------------------------------------- simulation


@dataclass(frozen=True)
class SimulatedTrials:
    """Many simulated trials as arrays (one row per trial).

    ``melanin`` has shape (reps, n, 2, visits), sides ordered (left, right), NaN where a
    side is not measured or the participant has dropped out. ``active`` (reps, n, 2) is
    true where a side received the product; ``measured`` (reps, n, 2) where it is read.
    ``drift`` (reps,) is each trial's seasonal drift at the last visit.
    """

    params: TrialParams
    melanin: np.ndarray
    active: np.ndarray
    measured: np.ndarray
    drift: np.ndarray = field(repr=False)

    @property
    def reps(self) -> int:
        return self.melanin.shape[0]

    def change(self, week: float | None = None) -> np.ndarray:
        """Change from baseline to ``week`` (default: the last visit), shape (reps, n, 2)."""
        return self.melanin[..., _visit(self.params, week)] - self.melanin[..., 0]

    def outcomes(self, week: float | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The two arrays each analysis compares, shape (reps, n), NaN if missing.

        Split-face: the treated side's change and the placebo side's change of each
        participant. Parallel: each participant's change (measured cheek) and a
        boolean array, true in the product arm. Single-arm: each change and all true.
        """
        change = self.change(week)
        if self.params.design == "split-face":
            treated = np.where(self.active, change, 0.0).sum(axis=2)
            control = np.where(~self.active, change, 0.0).sum(axis=2)
            return treated, control
        measured = np.where(self.measured, change, 0.0).sum(axis=2)
        return measured, self.active.any(axis=2)

    def table(self, rep: int = 0) -> pd.DataFrame:
        """Trial number ``rep`` as a tidy table (see :func:`simulate_trial`)."""
        p = self.params
        values = self.melanin[rep]
        participant, side, visit = np.nonzero(~np.isnan(values))
        active = self.active[rep][participant, side]
        frame = pd.DataFrame(
            {
                "participant": participant + 1,
                "side": np.asarray(SIDES)[side],
                "treatment": np.where(active, "exosome", "placebo"),
                "week": np.asarray(p.weeks)[visit],
                "melanin": values[participant, side, visit],
            }
        )
        if all(float(w).is_integer() for w in p.weeks):
            frame["week"] = frame["week"].astype(int)
        frame.attrs["design"] = p.design
        frame.attrs["params"] = p.to_dict()
        return frame


def _visit(params: TrialParams, week: float | None) -> int:
    if week is None:
        return len(params.weeks) - 1
    if week not in params.weeks or week == 0:
        raise ValueError(f"week must be a follow-up visit {params.weeks[1:]}, got {week!r}")
    return params.weeks.index(week)


def simulate_many(
    params: TrialParams | None = None,
    reps: int = 1000,
    seed: int | np.random.Generator | None = None,
) -> SimulatedTrials:
    """Simulate ``reps`` independent trials at once (vectorised over trials).

    Random numbers are drawn in a fixed order (allocation, baselines, person changes,
    drift, errors, dropout), so a seed always gives the same trials.

    >>> sims = simulate_many(TrialParams(dropout=0), reps=500, seed=1)
    >>> sims.melanin.shape
    (500, 21, 2, 4)
    >>> treated, control = sims.outcomes()
    >>> bool(abs((treated - control).mean() - (-4)) < 0.5)
    True
    """
    p = params or TrialParams()
    reps = integer("reps", reps)
    if reps < 1:
        raise ValueError(f"reps must be at least 1, got {reps}")
    rng = np.random.default_rng(seed)
    n, weeks = p.n, np.asarray(p.weeks)
    frac = weeks / weeks[-1]
    visits = len(weeks)

    # Allocation: which sides get the product, which side is read.
    if p.design == "split-face":
        if p.treated_side == "random":
            treated_side = rng.integers(0, 2, size=(reps, n))
        else:
            treated_side = np.full((reps, n), SIDES.index(p.treated_side))
        active = np.stack([treated_side == 0, treated_side == 1], axis=2)
        measured = np.ones((reps, n, 2), dtype=bool)
    else:
        if p.design == "parallel":  # 1:1, n // 2 placebo, the rest product, in random order
            arm = np.arange(n) >= n // 2
            in_product = rng.permuted(np.broadcast_to(arm, (reps, n)), axis=1)
        else:
            in_product = np.ones((reps, n), dtype=bool)
        active = np.repeat(in_product[:, :, None], 2, axis=2)
        site = rng.integers(0, 2, size=(reps, n))
        measured = np.stack([site == 0, site == 1], axis=2)

    # True values.
    rho = p.side_correlation
    person = rng.standard_normal((reps, n, 1))
    sides = rng.standard_normal((reps, n, 2))
    baseline = p.baseline_mean + p.baseline_sd * (
        math.sqrt(rho) * person + math.sqrt(1 - rho) * sides
    )
    person_change = p.person_change_sd * rng.standard_normal((reps, n, 1))
    drift = rng.uniform(p.drift_range[0], p.drift_range[1], size=reps)
    shared = drift[:, None, None] + p.co_intervention + person_change  # (reps, n, 1)
    offset = np.array([p.left_offset, 0.0])[None, None, :]  # left side only
    dose = np.where(active, 1.0, p.spillover if p.design == "split-face" else 0.0)
    true = (
        baseline[..., None]
        + (shared + offset)[..., None] * frac
        + dose[..., None] * p.effect_at(weeks)
    )

    # Measurement error, then what is missing.
    shape = (reps, n, 2, visits)
    if p.error_df is None:
        error = rng.standard_normal(shape)
    else:
        error = rng.standard_t(p.error_df, size=shape) * math.sqrt((p.error_df - 2) / p.error_df)
    melanin = true + p.measurement_sd * error
    drops = rng.random((reps, n)) < p.dropout
    first_missed = np.where(drops, rng.integers(1, visits, size=(reps, n)), visits)
    missing = np.arange(visits)[None, None, :] >= first_missed[:, :, None]
    melanin[missing[:, :, None, :] | ~measured[..., None]] = np.nan
    return SimulatedTrials(p, melanin, active, measured, drift)


def simulate_trial(
    params: TrialParams | None = None, seed: int | np.random.Generator | None = None
) -> pd.DataFrame:
    """One simulated trial as a tidy table: one row per measured side per attended visit.

    Columns: ``participant`` (1..n), ``side`` (left/right), ``treatment``
    (exosome/placebo), ``week`` and ``melanin`` (AU). Visits missed after dropout have no
    row. ``DataFrame.attrs`` holds the design and the parameters.

    >>> t = simulate_trial(TrialParams(design="parallel", n=42, dropout=0), seed=3)
    >>> t.groupby("treatment")["participant"].nunique().to_dict()
    {'exosome': 21, 'placebo': 21}
    """
    return simulate_many(params, reps=1, seed=seed).table(0)


# ------------------------------------------------------------------ array analyses


def estimates(
    sims: SimulatedTrials,
    analysis: str = "paired",
    week: float | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Analyse every simulated trial one way; one row per trial.

    ``analysis``: ``"paired"``, ``"wilcoxon"`` or ``"independent"`` (split-face),
    ``"two-sample"`` (parallel), ``"pre-post"`` (single-arm). Columns include
    ``estimate`` (AU, product minus placebo change), ``p_value`` and ``reject``
    (``p_value <= alpha``).

    >>> sims = simulate_many(TrialParams(effect=0), reps=2000, seed=5)
    >>> rate = estimates(sims, "paired")["reject"].mean()
    >>> bool(0.03 < rate < 0.07)
    True
    """
    allowed = {
        "split-face": ("paired", "wilcoxon", "independent"),
        "parallel": ("two-sample",),
        "single-arm": ("pre-post",),
    }[sims.params.design]
    if analysis not in allowed:
        raise ValueError(
            f"analysis for a {sims.params.design} trial must be one of {allowed}, got {analysis!r}"
        )
    first, second = sims.outcomes(week)
    if analysis == "paired":
        result = paired_arrays(first, second, alpha)
    elif analysis == "independent":
        result = independent_arrays(first, second, alpha)
    elif analysis == "wilcoxon":
        result = wilcoxon_arrays(first, second, alpha)
    elif analysis == "two-sample":
        result = two_sample_arrays(first, second, alpha)
    else:
        result = one_sample_arrays(first, alpha)
    frame = pd.DataFrame({k: v for k, v in result.items() if np.ndim(v) == 1})
    frame["reject"] = frame["p_value"] <= alpha
    return frame


# ---------------------------------------------------------------- one-trial analyses


@dataclass(frozen=True)
class Analysis:
    """One analysis of one trial.

    ``estimate`` is in AU (product minus placebo change; for a pre/post analysis the mean
    change) with its ``ci_low``/``ci_high`` confidence interval. ``effect_size`` is the
    standardised version named in ``effect_size_name`` (d_z: mean difference / SD of the
    differences; d: difference / pooled SD), with its own interval.
    """

    method: str
    n: int
    estimate: float
    ci_low: float
    ci_high: float
    statistic: float
    df: float
    p_value: float
    effect_size_name: str = ""
    effect_size: float = math.nan
    effect_size_ci_low: float = math.nan
    effect_size_ci_high: float = math.nan


def changes(trial: pd.DataFrame, week: float | None = None) -> pd.DataFrame:
    """Change from week 0 per participant and side, for sides read at both visits.

    >>> t = simulate_trial(TrialParams(dropout=0), seed=1)
    >>> changes(t).columns.tolist()
    ['participant', 'side', 'treatment', 'change']
    """
    _check_trial(trial)
    last = trial["week"].max() if week is None else week
    if last not in set(trial["week"]) or last == 0:
        raise ValueError(f"week must be a follow-up visit in the trial, got {week!r}")
    keys = ["participant", "side", "treatment"]
    before = trial[trial["week"] == 0].set_index(keys)["melanin"]
    after = trial[trial["week"] == last].set_index(keys)["melanin"]
    change = (after - before).dropna().rename("change")
    return change.reset_index().sort_values(["participant", "side"], ignore_index=True)


def _check_trial(trial: pd.DataFrame) -> None:
    needed = {"participant", "side", "treatment", "week", "melanin"}
    if not isinstance(trial, pd.DataFrame) or not needed <= set(trial.columns):
        raise ValueError(f"trial must be a DataFrame with columns {sorted(needed)}")


def side_pairs(trial: pd.DataFrame, week: float | None = None) -> pd.DataFrame:
    """Split-face pairs: each participant's product-side and placebo-side change.

    >>> side_pairs(simulate_trial(seed=1)).columns.tolist()
    ['exosome', 'placebo']
    """
    table = changes(trial, week).pivot(index="participant", columns="treatment", values="change")
    if set(table.columns) != {"exosome", "placebo"}:
        raise ValueError("trial must have an exosome side and a placebo side")
    if trial.groupby("participant")["side"].nunique().max() < 2:
        raise ValueError("trial is not split-face: no participant has both sides measured")
    return table.dropna()[["exosome", "placebo"]]


def _nct_interval(t: float, df: float, scale: float, alpha: float) -> tuple[float, float]:
    """Confidence interval for a standardised effect from a t statistic, by inverting the
    noncentral t distribution: the noncentralities whose cdf at ``t`` is 1 - alpha/2 and
    alpha/2, divided by ``scale`` (sqrt(n) for d_z)."""

    def bound(target: float) -> float:
        def gap(ncp: float) -> float:
            return stats.nct.cdf(t, df, ncp) - target

        # the bounds lie about 2 SDs of the noncentral t from t; start 4 SDs out (far
        # tails are avoided: SciPy's nct.cdf can return NaN there)
        width = 4 * math.sqrt(1 + t * t / (2 * df))
        low, high = t - width, t + width
        while gap(low) < 0:
            low -= width
        while gap(high) > 0:
            high += width
        return optimize.brentq(gap, low, high, xtol=1e-10)

    return bound(1 - alpha / 2) / scale, bound(alpha / 2) / scale


def _from_arrays(method: str, result: dict, n: int, name: str, sd: float, alpha: float):
    if not sd > 0:  # NaN too: fewer than two values
        raise ValueError(
            f"{method}: the values have no spread (SD {sd:g}) or are fewer than two, so the "
            "t statistic and its interval are undefined"
        )
    row = {k: float(v[0]) for k, v in result.items()}
    # t = effect_size * (sd / se): the noncentrality is the standardised effect times sd / se
    low, high = _nct_interval(row["statistic"], row["df"], sd / row["se"], alpha)
    return Analysis(
        method=method,
        n=n,
        estimate=row["estimate"],
        ci_low=row["ci_low"],
        ci_high=row["ci_high"],
        statistic=row["statistic"],
        df=row["df"],
        p_value=row["p_value"],
        effect_size_name=name,
        effect_size=row["estimate"] / sd,
        effect_size_ci_low=low,
        effect_size_ci_high=high,
    )


def paired_t(trial: pd.DataFrame, week: float | None = None, alpha: float = 0.05) -> Analysis:
    """Paired t-test on the side difference of change (split-face), with d_z.

    >>> r = paired_t(simulate_trial(seed=4))
    >>> bool(r.ci_low < r.estimate < r.ci_high)
    True
    """
    pairs = side_pairs(trial, week)
    result = paired_arrays(pairs[["exosome"]].T.to_numpy(), pairs[["placebo"]].T.to_numpy(), alpha)
    sd = float((pairs["exosome"] - pairs["placebo"]).std(ddof=1))
    return _from_arrays("paired t-test", result, len(pairs), "d_z", sd, alpha)


def sides_as_independent(
    trial: pd.DataFrame, week: float | None = None, alpha: float = 0.05
) -> Analysis:
    """The wrong analysis: a pooled two-sample t-test that treats the product sides and
    the placebo sides as two groups of different people (same pairs as :func:`paired_t`).

    >>> r = sides_as_independent(simulate_trial(seed=4))
    >>> r.df == 2 * r.n - 2
    True
    """
    pairs = side_pairs(trial, week)
    t, c = pairs["exosome"].to_numpy(), pairs["placebo"].to_numpy()
    result = independent_arrays(t[None, :], c[None, :], alpha)
    pooled = math.sqrt((t.var(ddof=1) + c.var(ddof=1)) / 2)
    return _from_arrays("sides as independent (wrong)", result, len(pairs), "d", pooled, alpha)


def two_sample_t(trial: pd.DataFrame, week: float | None = None, alpha: float = 0.05) -> Analysis:
    """Pooled two-sample t-test of change, product arm minus placebo arm (parallel).

    >>> r = two_sample_t(simulate_trial(TrialParams(design="parallel", n=42), seed=4))
    >>> r.method
    'two-sample t-test'
    """
    table = changes(trial, week)
    if table["participant"].duplicated().any():
        raise ValueError("trial is not parallel-group: participants have two measured sides")
    y = table["change"].to_numpy()[None, :]
    group = (table["treatment"] == "exosome").to_numpy()[None, :]
    if group.all() or not group.any():
        raise ValueError("trial must have both an exosome arm and a placebo arm")
    result = two_sample_arrays(y, group, alpha)
    n1, n0 = int(group.sum()), int((~group).sum())
    pooled = math.sqrt(
        ((n1 - 1) * y[group].var(ddof=1) + (n0 - 1) * y[~group].var(ddof=1)) / (n1 + n0 - 2)
    )
    return _from_arrays("two-sample t-test", result, n1 + n0, "d", pooled, alpha)


def pre_post_t(trial: pd.DataFrame, week: float | None = None, alpha: float = 0.05) -> Analysis:
    """One-sample t-test of the mean change in the product group (single-arm pre/post).

    Without a control it estimates the product's effect *plus* everything else that
    changed (season, co-intervention, side offsets).

    >>> r = pre_post_t(simulate_trial(TrialParams(design="single-arm"), seed=4))
    >>> r.effect_size_name
    'd_z'
    """
    table = changes(trial, week)
    y = table.loc[table["treatment"] == "exosome", "change"].to_numpy()
    result = one_sample_arrays(y[None, :], alpha)
    return _from_arrays("pre/post t-test (no control)", result, len(y), "d_z", y.std(ddof=1), alpha)


def wilcoxon(trial: pd.DataFrame, week: float | None = None, alpha: float = 0.05) -> Analysis:
    """Wilcoxon signed-rank test on the side difference of change (split-face), with the
    Hodges-Lehmann estimate and interval (AU) and the matched-pairs rank-biserial
    correlation as its standardised effect (no interval).

    >>> r = wilcoxon(simulate_trial(seed=4))
    >>> bool(r.ci_low <= r.estimate <= r.ci_high)
    True
    """
    pairs = side_pairs(trial, week)
    diff = (pairs["exosome"] - pairs["placebo"]).to_numpy()
    test = stats.wilcoxon(diff)
    estimate, low, high = hodges_lehmann(diff, alpha)
    ranks = stats.rankdata(np.abs(diff[diff != 0]))
    signs = np.sign(diff[diff != 0])
    biserial = float((ranks * signs).sum() / ranks.sum())
    return Analysis(
        method="Wilcoxon signed-rank",
        n=len(diff),
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        statistic=float(test.statistic),
        df=math.nan,
        p_value=float(test.pvalue),
        effect_size_name="rank-biserial r",
        effect_size=biserial,
    )


def analyse(trial: pd.DataFrame, week: float | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Every analysis that suits the trial's design, one row each.

    >>> analyse(simulate_trial(seed=4))["method"].tolist()
    ['paired t-test', 'Wilcoxon signed-rank', 'sides as independent (wrong)']
    """
    design = trial.attrs.get("design") or _guess_design(trial)
    functions = {
        "split-face": (paired_t, wilcoxon, sides_as_independent),
        "parallel": (two_sample_t,),
        "single-arm": (pre_post_t,),
    }[design]
    return pd.DataFrame([dataclasses.asdict(f(trial, week, alpha)) for f in functions])


def _guess_design(trial: pd.DataFrame) -> str:
    _check_trial(trial)
    if trial.groupby("participant")["side"].nunique().max() == 2:
        return "split-face"
    return "parallel" if trial["treatment"].nunique() == 2 else "single-arm"
