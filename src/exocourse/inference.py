"""The shared statistics of the lesson library: vectorised tests and exact power.

``power``, ``trials`` and ``evidence`` all use these, so each formula has one home:

* t-tests on every row of an array at once (many simulated trials in one call):
  :func:`paired_arrays`, :func:`two_sample_arrays`, :func:`independent_arrays`,
  :func:`one_sample_arrays`; missing values (NaN) are left out row by row;
* the Wilcoxon signed-rank test on rows (:func:`wilcoxon_arrays`), the exact null
  distribution of its statistic (:func:`signed_rank_null`) and the Hodges-Lehmann
  estimate with its distribution-free interval (:func:`hodges_lehmann`);
* the exact power of a two-sided t-test from the noncentral t (:func:`t_test_power`).

>>> r = paired_arrays(np.array([[1.0, 3.0, 2.0]]), np.zeros((1, 3)))
>>> float(r["estimate"][0]), round(float(r["statistic"][0]), 4)
(2.0, 3.4641)
>>> round(t_test_power(df=20, ncp=0.0, alpha=0.05), 12)  # no effect: the test's own alpha
0.05
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import stats


def moments(y: np.ndarray, axis: int = -1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, mean and sample variance (ddof 1) of the non-missing values along ``axis``.

    >>> count, mean, var = moments(np.array([[1.0, 2.0, np.nan, 3.0]]))
    >>> int(count[0]), float(mean[0]), float(var[0])
    (3, 2.0, 1.0)
    """
    if not np.isnan(y).any():  # the common case of simulation: no missing values, faster
        count = np.full(np.delete(y.shape, axis), y.shape[axis])
        return count, y.mean(axis=axis), y.var(axis=axis, ddof=1)
    ok = ~np.isnan(y)
    count = ok.sum(axis=axis)
    filled = np.where(ok, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=axis) / count
        dev = np.where(ok, y - np.expand_dims(mean, axis), 0.0)
        var = (dev * dev).sum(axis=axis) / (count - 1)
    return count, mean, var


def paired_estimate(treated: np.ndarray, control: np.ndarray) -> tuple[np.ndarray, ...]:
    """Estimate, standard error and degrees of freedom of the paired t-test on each row:
    the mean of ``treated - control`` (pairs with a NaN left out)."""
    count, mean, var = moments(treated - control)
    return mean, np.sqrt(var / count), count - 1


def two_sample_estimate(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, ...]:
    """Estimate (mean of ``first`` minus mean of ``second``), standard error and degrees of
    freedom of the pooled two-sample t-test on each row (NaN left out)."""
    n1, m1, v1 = moments(first)
    n0, m0, v0 = moments(second)
    pooled = ((n1 - 1) * v1 + (n0 - 1) * v0) / (n1 + n0 - 2)
    return m1 - m0, np.sqrt(pooled * (1 / n1 + 1 / n0)), n1 + n0 - 2


def t_result(estimate, se, df, alpha: float = 0.05) -> dict[str, np.ndarray]:
    """Statistic, two-sided p-value and confidence interval from an estimate, its standard
    error and degrees of freedom (arrays, elementwise)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        t = estimate / se
        p = 2 * stats.t.sf(np.abs(t), df)
        half = stats.t.isf(alpha / 2, df) * se
    return {
        "estimate": estimate,
        "se": se,
        "statistic": t,
        "df": df * 1.0,
        "p_value": p,
        "ci_low": estimate - half,
        "ci_high": estimate + half,
    }


def paired_arrays(treated: np.ndarray, control: np.ndarray, alpha: float = 0.05) -> dict:
    """Paired t-test on each row: mean of ``treated - control`` (NaN pairs left out)."""
    return t_result(*paired_estimate(treated, control), alpha)


def two_sample_arrays(y: np.ndarray, group: np.ndarray, alpha: float = 0.05) -> dict:
    """Pooled two-sample t-test on each row: mean of ``y`` where ``group`` minus elsewhere.

    >>> r = two_sample_arrays(np.array([[1.0, 2.0, 4.0, 5.0]]), np.array([[0, 0, 1, 1]]) == 1)
    >>> float(r["estimate"][0]), float(r["df"][0])
    (3.0, 2.0)
    """
    return t_result(
        *two_sample_estimate(np.where(group, y, np.nan), np.where(group, np.nan, y)), alpha
    )


def independent_arrays(treated: np.ndarray, control: np.ndarray, alpha: float = 0.05) -> dict:
    """The wrong analysis: the two sides compared as if they came from different people.

    Only pairs with both sides observed are used, as in the paired test, so the two
    analyses see the same numbers.
    """
    both = ~(np.isnan(treated) | np.isnan(control))
    first, second = np.where(both, treated, np.nan), np.where(both, control, np.nan)
    return t_result(*two_sample_estimate(first, second), alpha)


def one_sample_arrays(y: np.ndarray, alpha: float = 0.05) -> dict:
    """One-sample t-test of mean change 0 on each row (a single-arm pre/post analysis)."""
    return paired_arrays(y, np.zeros_like(y), alpha)


def wilcoxon_arrays(treated: np.ndarray, control: np.ndarray, alpha: float = 0.05) -> dict:
    """Wilcoxon signed-rank test on each row of ``treated - control`` (via SciPy), with the
    Hodges-Lehmann estimate and its distribution-free interval (``ci_low``, ``ci_high``: as
    :func:`hodges_lehmann` gives for that row). Rows are grouped by how many pairs are
    complete so SciPy and the Walsh averages work on whole blocks.

    >>> result = wilcoxon_arrays(np.arange(1.0, 8.0)[None, :], np.zeros((1, 7)))
    >>> [float(result[k][0]) for k in ("estimate", "ci_low", "ci_high")]
    [4.0, 2.0, 6.0]
    """
    diff = treated - control
    count = (~np.isnan(diff)).sum(axis=1)
    names = ("statistic", "p_value", "estimate", "ci_low", "ci_high")
    out = {name: np.full(diff.shape[0], np.nan) for name in names}
    ordered = np.sort(diff, axis=1)  # NaN last
    for k in np.unique(count)[np.unique(count) > 0]:
        rows = np.nonzero(count == k)[0]
        if k >= 2:
            result = stats.wilcoxon(ordered[rows, :k], axis=1)
            out["statistic"][rows], out["p_value"][rows] = result.statistic, result.pvalue
        i, j = np.triu_indices(k)
        size, rank = i.size, _interval_rank(int(k), alpha)
        middle = [(size - 1) // 2, size // 2]  # the median of an even count averages two
        wanted = sorted({*middle, rank - 1, size - rank}) if rank else middle
        step = max(1, WALSH_BLOCK // size)  # rows per block: bounded memory
        for start in range(0, rows.size, step):
            block = rows[start : start + step]
            walsh = np.partition((ordered[block][:, i] + ordered[block][:, j]) / 2, wanted, axis=1)
            out["estimate"][block] = walsh[:, middle].mean(axis=1)
            low, high = (walsh[:, rank - 1], walsh[:, size - rank]) if rank else (-np.inf, np.inf)
            out["ci_low"][block], out["ci_high"][block] = low, high
    return {**out, "n": count}


#: Walsh averages held at once by :func:`wilcoxon_arrays` (bounds its memory, 8 bytes each).
WALSH_BLOCK = 4_000_000


@functools.lru_cache(maxsize=512)
def _interval_rank(n: int, alpha: float) -> int:
    """The k of the Hodges-Lehmann interval of ``n`` pairs (0: no finite interval)."""
    below = np.nonzero(np.cumsum(signed_rank_null(n)) <= alpha / 2)[0]  # P(T <= c) <= alpha/2
    return int(below[-1]) + 1 if below.size else 0


def signed_rank_null(n: int) -> np.ndarray:
    """Exact null distribution of the Wilcoxon signed-rank statistic for ``n`` pairs:
    ``P(T = t)`` for ``t = 0 .. n(n+1)/2`` (no ties).

    >>> signed_rank_null(3).tolist()
    [0.125, 0.125, 0.125, 0.25, 0.125, 0.125, 0.125]
    """
    prob = np.zeros(n * (n + 1) // 2 + 1)
    prob[0] = 1.0
    top = 0
    for rank in range(1, n + 1):  # each rank joins T with probability 1/2
        top += rank
        prob[rank : top + 1] = (prob[rank : top + 1] + prob[: top + 1 - rank]) / 2
        prob[:rank] /= 2
    return prob


def hodges_lehmann(diff: np.ndarray, alpha: float = 0.05) -> tuple[float, float, float]:
    """Hodges-Lehmann estimate (median of Walsh averages) and its distribution-free
    confidence interval: the k-th smallest and k-th largest Walsh averages, with k from
    the exact signed-rank distribution (the shifts the two-sided test does not reject).

    >>> hodges_lehmann(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]))
    (4.0, 2.0, 6.0)
    """
    diff = np.asarray(diff, dtype=float)
    diff = diff[~np.isnan(diff)]
    i, j = np.triu_indices(diff.size)
    walsh = np.sort((diff[i] + diff[j]) / 2)
    k = _interval_rank(diff.size, alpha)
    if not k:
        return float(np.median(walsh)), -math.inf, math.inf
    return float(np.median(walsh)), float(walsh[k - 1]), float(walsh[walsh.size - k])


def t_test_power(df: float, ncp: float, alpha: float = 0.05) -> float:
    """Exact power of a two-sided t-test with ``df`` degrees of freedom when its statistic
    has noncentrality ``ncp``: P(|T| > t_crit) under the noncentral t distribution."""
    crit = stats.t.isf(alpha / 2, df)
    return float(stats.nct.sf(crit, df, ncp) + stats.nct.cdf(-crit, df, ncp))
