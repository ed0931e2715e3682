"""Lesson 3 helpers: what a single-arm pre/post study can and cannot show.

A single-arm study measures everyone before and after treatment and tests whether the
mean change differs from zero. The change mixes four things: the product's effect, any
co-intervention everyone receives, a drift shared by everyone (such as the season), and
**regression to the mean** when people are enrolled because their first reading was high.
This module simulates that design, vectorised over many simulated studies, and gives the
analytic expectations the simulation can be checked against.

Measurement model (all values in the outcome's units, e.g. melanin index AU):
each person has a persistent level ``P ~ N(baseline_mean, between_sd²)``; each visit adds
a transient person-level state (SD ``transient_sd``) and a measurement error (SD
``measurement_sd``), independent between visits. People are enrolled only if their
baseline reading is at least ``enrol_min`` (``None``: everyone). The follow-up reading adds
``co_intervention + drift + product_effect``.

>>> sims = simulate_prepost(56, n_sims=2000, seed=1)
>>> bool(abs(rejection_rate(sims["p_value"]) - 0.05) < 0.02)
True
>>> round(expected_prepost_change(enrol_min=None, drift=-4.0), 6)
-4.0
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .inference import one_sample_arrays, t_test_power

#: The design parameters of :func:`simulate_prepost` and their defaults (teaching
#: assumptions [A], see the course fact sheet section 6; ``transient_sd`` is an extra one).
DEFAULT_DESIGN: dict[str, float | None] = {
    "baseline_mean": 150.0,
    "between_sd": 30.0,
    "transient_sd": 8.0,
    "measurement_sd": 6.0,
    "enrol_min": None,
    "co_intervention": 0.0,
    "drift": 0.0,
    "product_effect": 0.0,
}


def _design(overrides: dict) -> dict:
    unknown = sorted(set(overrides) - set(DEFAULT_DESIGN))
    if unknown:
        raise ValueError(
            f"unknown design parameter(s) {unknown}; known: {', '.join(DEFAULT_DESIGN)}"
        )
    design = {**DEFAULT_DESIGN, **overrides}
    for name in ("between_sd", "transient_sd", "measurement_sd"):
        value = design[name]
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if design["transient_sd"] == 0 and design["measurement_sd"] == 0:
        raise ValueError("transient_sd and measurement_sd cannot both be 0 (no visit noise)")
    for name in ("baseline_mean", "co_intervention", "drift", "product_effect"):
        value = design[name]
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value!r}")
    if design["enrol_min"] is not None and not math.isfinite(design["enrol_min"]):
        raise ValueError(f"enrol_min must be a finite number or None, got {design['enrol_min']!r}")
    return design


def _visit_var(d: dict) -> float:
    return d["transient_sd"] ** 2 + d["measurement_sd"] ** 2


def expected_prepost_change(**design: float | None) -> float:
    """The expected mean change (follow-up minus baseline) of the pre/post design.

    Analytic: ``co_intervention + drift + product_effect`` minus regression to the mean,
    ``w · (E[baseline | baseline ≥ enrol_min] − baseline_mean)``, where ``w`` is the share
    of the baseline variance that does not persist to the next visit (visit variance over
    total variance) and the conditional mean is that of a normal truncated below.

    >>> round(expected_prepost_change(), 6)
    0.0
    >>> rtm = expected_prepost_change(enrol_min=150.0)  # enrol only readings >= the mean
    >>> bool(-3 < rtm < -2)
    True
    """
    d = _design(design)
    shift = d["co_intervention"] + d["drift"] + d["product_effect"]
    if d["enrol_min"] is None:
        return float(shift)
    visit_var = _visit_var(d)
    total_sd = math.sqrt(d["between_sd"] ** 2 + visit_var)
    a = (d["enrol_min"] - d["baseline_mean"]) / total_sd
    selected_excess = total_sd * stats.norm.pdf(a) / stats.norm.sf(a)
    return float(shift - visit_var / total_sd**2 * selected_excess)


def draw_prepost(
    rng: np.random.Generator, n_sims: int, n: int, **design: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """Baseline and follow-up readings, each of shape ``(n_sims, n)``: ``n_sims`` studies
    of ``n`` enrolled people each.

    With enrolment, the baseline reading is drawn from its normal distribution truncated
    below at ``enrol_min``; the baseline's visit component is then drawn given the
    reading (bivariate normal), so the persistent level, and hence the follow-up, carries
    exactly the regression to the mean that screening on a noisy reading produces.

    >>> pre, post = draw_prepost(np.random.default_rng(0), 3, 10, enrol_min=160.0)
    >>> pre.shape, bool(pre.min() >= 160.0)
    ((3, 10), True)
    """
    n, n_sims = _count("n", n, 2), _count("n_sims", n_sims, 1)
    d = _design(design)
    visit_var = _visit_var(d)
    total_var = d["between_sd"] ** 2 + visit_var
    total_sd = math.sqrt(total_var)
    size = (n_sims, n)
    if d["enrol_min"] is None:
        pre = d["baseline_mean"] + total_sd * rng.standard_normal(size)
    else:
        a = (d["enrol_min"] - d["baseline_mean"]) / total_sd
        pre = stats.truncnorm.rvs(
            a, np.inf, loc=d["baseline_mean"], scale=total_sd, size=size, random_state=rng
        )
    # Visit component of the baseline given the reading: mean w·(pre − mean), var visit·(1 − w).
    w = visit_var / total_var
    visit_pre = w * (pre - d["baseline_mean"]) + math.sqrt(
        visit_var * (1 - w)
    ) * rng.standard_normal(size)
    persistent = pre - visit_pre
    shift = d["co_intervention"] + d["drift"] + d["product_effect"]
    post = persistent + shift + math.sqrt(visit_var) * rng.standard_normal(size)
    return pre, post


def simulate_prepost(n: int, n_sims: int, seed: int, **design: float | None) -> pd.DataFrame:
    """Simulate ``n_sims`` single-arm pre/post studies of ``n`` people and analyse each
    with a paired t-test (one-sample t-test of the changes against zero).

    Returns one row per simulated study: ``mean_change``, ``sd_change`` and ``p_value``.
    Design parameters are keywords (see :data:`DEFAULT_DESIGN`).

    >>> sims = simulate_prepost(30, 500, seed=3, drift=-10.0)
    >>> list(sims.columns)
    ['mean_change', 'sd_change', 'p_value']
    >>> bool(rejection_rate(sims["p_value"]) > 0.5)
    True
    """
    rng = np.random.default_rng(seed)
    pre, post = draw_prepost(rng, n_sims, n, **design)
    change = post - pre
    result = one_sample_arrays(change)
    return pd.DataFrame(
        {
            "mean_change": result["estimate"],
            "sd_change": change.std(axis=1, ddof=1),
            "p_value": result["p_value"],
        }
    )


def rejection_rate(p_values: np.ndarray | pd.Series, alpha: float = 0.05) -> float:
    """The fraction of p-values below ``alpha``.

    >>> rejection_rate([0.01, 0.2, 0.04, 0.5])
    0.5
    """
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        raise ValueError("p_values is empty")
    return float(np.mean(p < alpha))


def paired_t_rejection_rate(n: int, mean_change: float, sd_change: float, alpha=0.05) -> float:
    """Analytic probability that a two-sided paired t-test of ``n`` normal changes with
    mean ``mean_change`` and SD ``sd_change`` gives p < ``alpha`` (noncentral t).

    >>> paired_t_rejection_rate(20, 0.0, 1.0)  # no true change: the test's own alpha
    0.05
    """
    n = _count("n", n, 2)
    if not sd_change > 0:
        raise ValueError(f"sd_change must be > 0, got {sd_change!r}")
    rate = t_test_power(df=n - 1, ncp=mean_change * math.sqrt(n) / sd_change, alpha=alpha)
    return round(rate, 12)


def _count(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)
