"""Power of split-face and parallel-group trials: exact formulas and fast simulation.

The model
---------
For participant *i* and face side *s* the change from baseline is
``c_is = u_i + e_is`` with ``Var(u) = rho * sd**2`` and ``Var(e) = (1 - rho) * sd**2``:
each side's change has standard deviation ``sd`` and the two sides of one face
correlate ``rho``. The treated side adds ``effect``; the control side adds
``spillover * effect`` (carry-across, split-face only).

* **Split-face** (``"split-face"``): every participant has one treated and one control
  side; the analysis is the paired t-test on ``d_i = c_i,treated - c_i,control``, whose
  mean is ``(1 - spillover) * effect`` and variance ``2 * sd**2 * (1 - rho)``.
* **Parallel group** (``"parallel"``): each participant gets one treatment on the whole
  face; participants are randomised 1:1 (an odd ``n`` gives arms of ``n // 2`` controls
  and ``n - n // 2`` treated). The analysis is the pooled two-sample t-test of each
  person's outcome. A non-zero ``spillover`` is an error (there is no control side).
  ``sites`` says how many cheeks are read per person:

  - ``sites=1`` (the default): one measured site, so the outcome has SD ``sd`` and
    ``rho`` plays no part;
  - ``sites=2``: both cheeks are read and averaged, so the outcome
    ``(c_i1 + c_i2) / 2`` has SD ``sd * sqrt((1 + rho) / 2)``.

``n`` is always the total number of participants. Tests are two-sided at level ``alpha``.
For equal precision a split-face trial needs about ``(1 - rho) / 2`` of the participants
of a one-site parallel trial (``2 * (1 - rho) / n_split = 4 / n_parallel``), but only
``(1 - rho) / (1 + rho)`` of a two-site parallel trial
(``2 * (1 - rho) / n_split = 2 * (1 + rho) / n_parallel``): with ``rho = 0`` the two
designs need the same number of people. The split-face gain beyond counting cheeks comes
from ``rho``, the correlation of the two sides' *changes*: the shared part ``u_i``
cancels in the paired difference but not in a between-person comparison.

The simulation draws each pair of sides as ``sd * z1`` and
``sd * (rho * z1 + sqrt(1 - rho**2) * z2)``: the same bivariate normal distribution as
``u + e`` for ``rho >= 0``, and still valid for a negative ``rho`` (where ``u + e``
cannot be written). It works on whole blocks of replicates at once, in chunks of about
:data:`CHUNK_VALUES` random numbers so memory stays bounded however many replicates are
asked for. Chunks are consecutive draws from one generator, so the result for a seed
does not depend on the chunk size.

>>> round(analytic_power("split-face", n=21, effect=-4, sd=8.5, rho=0.0), 3)
0.306
>>> result = simulated_power("split-face", n=21, effect=-4, sd=8.5, rho=0.0, reps=4000, seed=1)
>>> abs(result.power - 0.306) < 3 * result.se
True
>>> sample_size("split-face", power=0.8, effect=-4, sd=8.5, rho=0.0)
73
>>> sample_size("parallel", power=0.8, effect=-4, sd=8.5, rho=0.0, sites=2)
73
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .arguments import integer, real
from .inference import paired_estimate, t_test_power, two_sample_estimate

DESIGNS = ("split-face", "parallel")

#: Analyses the simulation can apply: the right one for each design, and the wrong one
#: that treats the two sides of a face as if they came from different people.
ANALYSES = {"split-face": ("paired", "independent"), "parallel": ("two-sample",)}

#: About how many random numbers one chunk of replicates draws (2 MiB of float64).
CHUNK_VALUES = 2**18

#: The smallest total number of participants each design can analyse.
MIN_N = {"split-face": 2, "parallel": 4}

_MAX_N = 10_000_000

#: Cheeks read per person that a parallel trial may average: one, or both.
SITES = (1, 2)

#: :func:`simulated_power` warns when asked for more replicates than this. At 10 million
#: the Monte Carlo SE is at most ``sqrt(0.25 / 10**7)``, about 0.00016, far below any
#: difference that matters for planning, while the run takes minutes on a laptop.
REPS_WARNING = 10_000_000


@dataclass(frozen=True)
class SimulatedPower:
    """The result of :func:`simulated_power`.

    ``power`` is the fraction of replicates whose test rejected at ``alpha``; ``se`` is
    its Monte Carlo standard error ``sqrt(power * (1 - power) / reps)``.
    """

    design: str
    analysis: str
    n: int
    reps: int
    rejections: int
    power: float
    se: float
    sites: int = 1


# --------------------------------------------------------------------------- checks


def _check_design(design: object) -> str:
    if design not in DESIGNS:
        raise ValueError(f"design must be one of {', '.join(map(repr, DESIGNS))}, got {design!r}")
    return str(design)


def _check_n(design: str, n: object) -> int:
    n = integer("n", n)
    if n < MIN_N[design]:
        raise ValueError(
            f"n (total participants) must be at least {MIN_N[design]} for a {design} trial, got {n}"
        )
    return n


def _check_model(
    design: str, effect: object, sd: object, rho: object, alpha: object, spillover: object
) -> tuple[float, float, float, float, float]:
    effect = real("effect", effect)
    sd = real("sd", sd)
    if sd <= 0:
        raise ValueError(f"sd must be positive, got {sd}")
    rho = real("rho", rho)
    if not -1 <= rho <= 1:
        raise ValueError(f"rho must lie in [-1, 1], got {rho}")
    if design == "split-face" and rho == 1:
        raise ValueError(
            "rho = 1 makes the two sides' changes identical, so the paired difference has no "
            "variance; use rho < 1"
        )
    alpha = real("alpha", alpha)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must lie strictly between 0 and 1, got {alpha}")
    spillover = real("spillover", spillover)
    if not 0 <= spillover <= 1:
        raise ValueError(f"spillover must lie in [0, 1] (a fraction of effect), got {spillover}")
    if design == "parallel" and spillover != 0:
        raise ValueError(
            "spillover must be 0 in a parallel trial: there is no control side for the "
            f"treatment to reach (got {spillover})"
        )
    return effect, sd, rho, alpha, spillover


def _check_sites(design: str, sites: object, rho: float) -> int:
    sites = integer("sites", sites)
    if sites not in SITES:
        raise ValueError(
            "sites must be 1 (one cheek read per person) or 2 (both cheeks read and "
            f"averaged), got {sites}"
        )
    if design == "split-face" and sites != 1:
        raise ValueError(
            "sites applies to parallel trials only: a split-face trial reads both sides, "
            f"one per treatment (got sites={sites}); leave it at 1"
        )
    if sites == 2 and rho == -1:
        raise ValueError(
            "rho = -1 makes the average of the two sides constant, so a two-site parallel "
            "trial has no variance; use rho > -1"
        )
    return sites


def _check_analysis(design: str, analysis: str | None) -> str:
    if analysis is None:
        return ANALYSES[design][0]
    if analysis not in ANALYSES[design]:
        raise ValueError(
            f"analysis for a {design} trial must be one of "
            f"{', '.join(map(repr, ANALYSES[design]))}, got {analysis!r}"
        )
    return analysis


def arm_sizes(n: int) -> tuple[int, int]:
    """Control and treated arm sizes of a parallel trial of ``n`` participants (1:1).

    >>> arm_sizes(21)
    (10, 11)
    """
    return n // 2, n - n // 2


# ------------------------------------------------------------------------- analytic


def _df_ncp(
    design: str, n: int, effect: float, sd: float, rho: float, spillover: float, sites: int = 1
) -> tuple[int, float]:
    """Degrees of freedom and noncentrality of the t statistic under the model."""
    if design == "split-face":
        sd_diff = sd * math.sqrt(2 * (1 - rho))
        return n - 1, (1 - spillover) * effect / (sd_diff / math.sqrt(n))
    n0, n1 = arm_sizes(n)
    sd_person = sd if sites == 1 else sd * math.sqrt((1 + rho) / 2)
    return n - 2, effect / (sd_person * math.sqrt(1 / n0 + 1 / n1))


def analytic_power(
    design: str,
    n: int,
    effect: float,
    sd: float,
    rho: float,
    alpha: float = 0.05,
    spillover: float = 0.0,
    *,
    sites: int = 1,
) -> float:
    """Exact power of the two-sided t-test, from the noncentral t distribution.

    Split-face: paired t-test, ``n - 1`` degrees of freedom. Parallel: pooled two-sample
    t-test, ``n - 2`` degrees of freedom, on one cheek per person (``sites=1``) or on the
    average of both cheeks (``sites=2``, outcome SD ``sd * sqrt((1 + rho) / 2)``).

    >>> round(analytic_power("parallel", n=42, effect=-4, sd=8.5, rho=0.0), 3)
    0.319
    >>> round(analytic_power("parallel", n=42, effect=-4, sd=8.5, rho=0.0, sites=2), 3)
    0.558
    >>> round(analytic_power("split-face", n=42, effect=-4, sd=8.5, rho=0.0), 3)  # the same
    0.558
    >>> analytic_power("parallel", n=42, effect=-4, sd=8.5, rho=0.0, spillover=0.3)
    Traceback (most recent call last):
    ...
    ValueError: spillover must be 0 in a parallel trial: there is no control side for the \
treatment to reach (got 0.3)
    """
    design = _check_design(design)
    n = _check_n(design, n)
    effect, sd, rho, alpha, spillover = _check_model(design, effect, sd, rho, alpha, spillover)
    sites = _check_sites(design, sites, rho)
    return t_test_power(*_df_ncp(design, n, effect, sd, rho, spillover, sites), alpha)


def sample_size(
    design: str,
    power: float,
    effect: float,
    sd: float,
    rho: float,
    alpha: float = 0.05,
    spillover: float = 0.0,
    *,
    sites: int = 1,
) -> int:
    """The smallest total number of participants whose analytic power reaches ``power``.

    ``power`` must exceed ``alpha``: with any effect at all a two-sided t-test rejects with
    probability at least ``alpha``, so a lower target would be met by any ``n``.
    ``sites`` is as in :func:`analytic_power` (parallel trials only).

    >>> sample_size("parallel", power=0.8, effect=-4, sd=8.5, rho=0.0)
    144
    >>> sample_size("split-face", power=0.8, effect=-4, sd=8.5, rho=0.5)
    38
    >>> sample_size("parallel", power=0.8, effect=-4, sd=8.5, rho=0.5, sites=2)
    109
    >>> sample_size("split-face", power=0.04, effect=-4, sd=8.5, rho=0.0)
    Traceback (most recent call last):
    ...
    ValueError: power must exceed alpha (got power 0.04, alpha 0.05): a two-sided test \
rejects with probability alpha even with no effect, so every n would reach it
    """
    design = _check_design(design)
    target = real("power", power)
    if not 0 < target < 1:
        raise ValueError(f"power must lie strictly between 0 and 1, got {power}")
    effect, sd, rho, alpha, spillover = _check_model(design, effect, sd, rho, alpha, spillover)
    sites = _check_sites(design, sites, rho)
    if target <= alpha:
        raise ValueError(
            f"power must exceed alpha (got power {target}, alpha {alpha}): a two-sided test "
            "rejects with probability alpha even with no effect, so every n would reach it"
        )
    if effect * (1 - spillover) == 0:
        raise ValueError(
            "effect (after spillover) is 0, so power stays at alpha whatever n is; "
            "no sample size reaches the requested power"
        )

    def reaches(n: int) -> bool:
        df, ncp = _df_ncp(design, n, effect, sd, rho, spillover, sites)
        return t_test_power(df, ncp, alpha) >= target

    low = MIN_N[design]
    if reaches(low):
        return low
    high = low
    while not reaches(high):  # power grows with n, so double until it is reached
        low, high = high, 2 * high
        if high > _MAX_N:
            raise ValueError(f"power {target} needs more than {_MAX_N:,} participants")
    while high - low > 1:  # reaches(high) and not reaches(low)
        middle = (low + high) // 2
        low, high = (low, middle) if reaches(middle) else (middle, high)
    return high


# ----------------------------------------------------------------------- simulation


def _chunk_reps(design: str, n: int, chunk_reps: int | None, sites: int = 1) -> int:
    if chunk_reps is not None:
        chunk_reps = integer("chunk_reps", chunk_reps)
        if chunk_reps < 1:
            raise ValueError(f"chunk_reps must be at least 1, got {chunk_reps}")
        return chunk_reps
    values_per_rep = 2 * n if design == "split-face" or sites == 2 else n
    return max(1, CHUNK_VALUES // values_per_rep)


def _rejections_split_face(
    z: np.ndarray, effect: float, sd: float, rho: float, spillover: float, analysis: str, crit
) -> int:
    """Count rejections in a chunk of split-face replicates; ``z`` has shape (reps, n, 2)."""
    treated = sd * z[:, :, 0] + effect
    control = sd * (rho * z[:, :, 0] + math.sqrt(1 - rho * rho) * z[:, :, 1])
    control += spillover * effect
    if analysis == "paired":
        estimate, se, _ = paired_estimate(treated, control)
    else:  # the two sides treated as 2n independent people: pooled two-sample t-test
        estimate, se, _ = two_sample_estimate(treated, control)
    t = estimate / se
    return int(np.count_nonzero(np.abs(t) > crit))


def _rejections_parallel(z: np.ndarray, effect: float, sd: float, rho: float, crit) -> int:
    """Count rejections in a chunk of parallel replicates; ``z`` has shape (reps, n) for
    one site per person, or (reps, n, 2) for both sites, averaged per person."""
    if z.ndim == 3:  # the two sides as in a split face, then their mean
        second = rho * z[:, :, 0] + math.sqrt(1 - rho * rho) * z[:, :, 1]
        z = (z[:, :, 0] + second) / 2
    n0 = arm_sizes(z.shape[1])[0]
    control = sd * z[:, :n0]
    treated = sd * z[:, n0:] + effect
    estimate, se, _ = two_sample_estimate(treated, control)
    t = estimate / se
    return int(np.count_nonzero(np.abs(t) > crit))


def simulated_power(
    design: str,
    n: int,
    effect: float,
    sd: float,
    rho: float,
    alpha: float = 0.05,
    spillover: float = 0.0,
    reps: int = 10_000,
    seed: int | np.random.Generator | None = None,
    *,
    analysis: str | None = None,
    chunk_reps: int | None = None,
    sites: int = 1,
) -> SimulatedPower:
    """Power estimated by simulating ``reps`` trials and testing each one.

    Replicates are processed in vectorised chunks (``chunk_reps`` replicates each; by
    default about :data:`CHUNK_VALUES` random numbers). A replicate rejects when its
    ``|t|`` exceeds the two-sided critical value ``t.isf(alpha / 2, df)``, which is the
    same event as ``p <= alpha``. ``analysis`` defaults to the right test for the design;
    ``"independent"`` applies the wrong one that treats the two sides of a split face as
    independent people (pooled two-sample t on ``2n`` values). ``sites=2`` simulates a
    parallel trial that reads both cheeks and analyses their average per person.

    Asking for more than :data:`REPS_WARNING` replicates gives a warning (the run is long
    and the extra precision is rarely needed); the simulation still runs.

    >>> both = simulated_power("parallel", 42, -4, 8.5, 0.5, reps=4000, seed=3, sites=2)
    >>> abs(both.power - analytic_power("parallel", 42, -4, 8.5, 0.5, sites=2)) < 3 * both.se
    True
    >>> a = simulated_power("parallel", 20, effect=5, sd=8, rho=0, reps=3000, seed=7)
    >>> b = simulated_power("parallel", 20, effect=5, sd=8, rho=0, reps=3000, seed=7, chunk_reps=9)
    >>> a == b
    True
    """
    design = _check_design(design)
    n = _check_n(design, n)
    effect, sd, rho, alpha, spillover = _check_model(design, effect, sd, rho, alpha, spillover)
    analysis = _check_analysis(design, analysis)
    reps = integer("reps", reps)
    if reps < 1:
        raise ValueError(f"reps must be at least 1, got {reps}")
    sites = _check_sites(design, sites, rho)
    if reps > REPS_WARNING:
        warnings.warn(
            f"reps = {reps:,} is more than {REPS_WARNING:,} replicates: the run will be long, "
            f"and {REPS_WARNING:,} already give a Monte Carlo SE below 0.0002; use fewer "
            "unless you need that precision",
            UserWarning,
            stacklevel=2,
        )
    if not (seed is None or isinstance(seed, np.random.Generator)):
        seed = integer("seed", seed)
    rng = np.random.default_rng(seed)
    step = _chunk_reps(design, n, chunk_reps, sites)
    df = {"paired": n - 1, "independent": 2 * n - 2, "two-sample": n - 2}[analysis]
    crit = stats.t.isf(alpha / 2, df)
    rejections = 0
    for start in range(0, reps, step):
        k = min(step, reps - start)
        if design == "split-face":
            z = rng.standard_normal((k, n, 2))
            rejections += _rejections_split_face(z, effect, sd, rho, spillover, analysis, crit)
        else:
            z = rng.standard_normal((k, n) if sites == 1 else (k, n, 2))
            rejections += _rejections_parallel(z, effect, sd, rho, crit)
    power = rejections / reps
    return SimulatedPower(
        design=design,
        analysis=analysis,
        n=n,
        reps=reps,
        rejections=rejections,
        power=power,
        se=math.sqrt(power * (1 - power) / reps),
        sites=sites,
    )


def power_curve(
    design: str | Sequence[str],
    ns: Iterable[int],
    effect: float,
    sd: float,
    rho: float,
    alpha: float = 0.05,
    spillover: float = 0.0,
    reps: int = 10_000,
    seed: int | None = None,
    *,
    simulate: bool = True,
    sites: int = 1,
) -> pd.DataFrame:
    """Analytic and (if ``simulate``) simulated power for each total sample size in ``ns``.

    ``design`` may be one design or a list of designs (rows are stacked). Each point
    gets its own random stream, spawned from ``seed`` in row order, so the same
    arguments give the same curve. ``spillover`` applies to split-face rows only (a
    parallel trial has no control side for it to reach) and ``sites`` to parallel rows only
    (a split face always reads both sides). Columns: ``design``, ``n``,
    ``analytic_power``, ``simulated_power``, ``mc_se`` (the last two are NaN when
    ``simulate`` is false).

    >>> power_curve("split-face", [10, 20], effect=-4, sd=8.5, rho=0, simulate=False).round(3)
           design   n  analytic_power  simulated_power  mc_se
    0  split-face  10           0.157              NaN    NaN
    1  split-face  20           0.293              NaN    NaN
    """
    designs = [design] if isinstance(design, str) else list(design)
    ns = [int(integer("ns", v)) for v in ns]
    if not ns:
        raise ValueError("ns must list at least one sample size")
    rows = []
    streams = np.random.SeedSequence(seed).spawn(len(designs) * len(ns))
    for d_index, one_design in enumerate(designs):
        for n_index, n in enumerate(ns):
            row = {
                "design": one_design,
                "n": n,
                "analytic_power": analytic_power(
                    one_design,
                    n,
                    effect,
                    sd,
                    rho,
                    alpha,
                    spillover if one_design == "split-face" else 0.0,
                    sites=sites if one_design != "split-face" else 1,
                ),
                "simulated_power": np.nan,
                "mc_se": np.nan,
            }
            if simulate:
                rng = np.random.default_rng(streams[d_index * len(ns) + n_index])
                result = simulated_power(
                    one_design,
                    n,
                    effect,
                    sd,
                    rho,
                    alpha,
                    spillover if one_design == "split-face" else 0.0,
                    reps,
                    rng,
                    sites=sites if one_design != "split-face" else 1,
                )
                row["simulated_power"] = result.power
                row["mc_se"] = result.se
            rows.append(row)
    return pd.DataFrame(rows)
