"""Benchmark exocourse.power against a per-replicate loop, in one run.

    python benchmarks/bench_power.py

Prints:
1. simulated_power (split-face, n = 21, 20,000 replicates) against a loop that draws the
   same kind of data per replicate and calls scipy.stats.ttest_rel: times and their ratio
   (aim: at least 200x), with both power estimates to show they agree;
2. the time of a full power curve: n = 6..60, both designs, 10,000 replicates per point
   (aim: under 2 s on a 2-core machine);
3. peak traced memory (tracemalloc) of one simulated_power call with 1,000,000
   replicates, against the size of all its random numbers drawn at once.

Times are the best of a few repeats (the loop: one run), so a busy machine inflates them
less. Nothing here is a pass/fail test: the numbers are for the README.
"""

from __future__ import annotations

import math
import time
import tracemalloc

import numpy as np
from scipy import stats

from exocourse.power import CHUNK_VALUES, analytic_power, power_curve, simulated_power

# The course's assumed scenario [A]: a -4 AU effect; a side's change from baseline is the
# difference of two readings with SD 6 AU, so SD 6 * sqrt(2); sides uncorrelated.
N, EFFECT, SD, RHO, ALPHA = 21, -4.0, 6 * math.sqrt(2), 0.0, 0.05


def best_of(repeats: int, func) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def loop_power(reps: int, seed: int) -> float:
    """The slow way: one replicate at a time, SciPy's paired t-test on each."""
    rng = np.random.default_rng(seed)
    scale = math.sqrt(1 - RHO**2)
    rejections = 0
    for _ in range(reps):
        z = rng.standard_normal((N, 2))
        treated = SD * z[:, 0] + EFFECT
        control = SD * (RHO * z[:, 0] + scale * z[:, 1])
        rejections += stats.ttest_rel(treated, control).pvalue <= ALPHA
    return rejections / reps


def main() -> None:
    reps = 20_000
    print(f"1. Split-face power, n = {N}, {reps:,} replicates")
    fast_time, fast = best_of(
        5, lambda: simulated_power("split-face", N, EFFECT, SD, RHO, ALPHA, reps=reps, seed=1)
    )
    slow_time, slow = best_of(1, lambda: loop_power(reps, seed=1))
    exact = analytic_power("split-face", N, EFFECT, SD, RHO, ALPHA)
    print(f"   simulated_power (vectorised): {fast_time * 1e3:8.1f} ms   power {fast.power:.4f}")
    print(f"   loop with scipy ttest_rel:    {slow_time * 1e3:8.1f} ms   power {slow:.4f}")
    print(f"   analytic (noncentral t):                     power {exact:.4f}")
    same = "identical" if fast.power == slow else "different"
    print(f"   speed-up: {slow_time / fast_time:.0f}x (aim: >= 200x); the seed gives both the same")
    print(f"   data in the same order, and their rejection rates are {same}")

    ns = range(6, 61)
    print("\n2. Power curve, n = 6..60, both designs, 10,000 replicates per point")
    curve_time, curve = best_of(
        3,
        lambda: power_curve(
            ["split-face", "parallel"], ns, EFFECT, SD, RHO, ALPHA, reps=10_000, seed=2
        ),
    )
    worst = (abs(curve["simulated_power"] - curve["analytic_power"]) / curve["mc_se"]).max()
    print(
        f"   {len(curve)} points in {curve_time:.2f} s (aim: < 2 s); "
        f"largest |simulated - analytic| = {worst:.1f} Monte Carlo SE"
    )

    million = 1_000_000
    print(f"\n3. Memory for {million:,} replicates (split-face, n = {N})")
    tracemalloc.start()
    start = time.perf_counter()
    result = simulated_power("split-face", N, EFFECT, SD, RHO, ALPHA, reps=million, seed=3)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    everything = million * N * 2 * 8
    print(
        f"   peak traced memory {peak / 2**20:.1f} MiB "
        f"(all random numbers at once: {everything / 2**20:.0f} MiB; "
        f"chunks of ~{CHUNK_VALUES:,} numbers); {elapsed:.2f} s; power {result.power:.4f}"
    )


if __name__ == "__main__":
    main()
