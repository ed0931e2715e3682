"""Rebuild the synthetic datasets and their checksum manifest.

Each generated dataset ``NAME`` is described by ``NAME.json``, whose ``generator`` entry
names a builder below, its seed and its parameters; the builder returns the table and
this script writes ``NAME.csv`` with a header line saying the data are synthetic.
Hand-written files (``"generator": null``) are left as they are. ``SHA256SUMS`` is
rewritten to list every CSV.

Run from the repository root::

    python -m exocourse.datasets.generate          # rewrite the files
    python -m exocourse.datasets.generate --check  # exit 1 if a file differs
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from exocourse.digest import sha256

HERE = Path(__file__).resolve().parent
BUILDERS: dict[str, Callable[..., pd.DataFrame]] = {}


def builder(func: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Register ``func`` so a dataset's JSON can name it as its generator."""
    BUILDERS[func.__name__] = func
    return func


@builder
def build_nta_particles(seed: int, particles_per_sample: int, samples: dict) -> pd.DataFrame:
    """Particle diameters (nm) as a nanoparticle-tracking run would list them.

    Each sample is a mixture of log-normal populations given as
    ``{"weight", "median_nm", "gsd"}`` (gsd: geometric standard deviation).

    >>> t = build_nta_particles(1, 100, {"s": [{"weight": 1, "median_nm": 100, "gsd": 1.2}]})
    >>> len(t), round(float(t["diameter_nm"].median()), -1)
    (100, 100.0)
    """
    rng = np.random.default_rng(seed)
    parts = []
    for sample, populations in samples.items():
        weights = np.array([p["weight"] for p in populations], dtype=float)
        which = rng.choice(len(populations), size=particles_per_sample, p=weights / weights.sum())
        medians = np.array([p["median_nm"] for p in populations])[which]
        gsds = np.array([p["gsd"] for p in populations])[which]
        diameters = medians * np.exp(np.log(gsds) * rng.standard_normal(particles_per_sample))
        parts.append(
            pd.DataFrame(
                {
                    "sample": sample,
                    "particle_id": np.arange(1, particles_per_sample + 1),
                    "diameter_nm": np.round(diameters, 1),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


@builder
def build_interlab_counts(
    seed: int, labs: int, replicates: int, dilutions: list[int], materials: dict
) -> pd.DataFrame:
    """Particle counts of one shared sample per material, measured by several labs.

    Each material has a true stock concentration (particles/mL), a between-lab
    coefficient of variation and a within-lab (replicate) coefficient of variation;
    errors are log-normal. Each lab dilutes the stock by one of ``dilutions`` and
    reports the concentration it measured in the diluted aliquot.

    >>> m = {"EV": {"stock_per_ml": 1e10, "between_lab_cv": 0.5, "replicate_cv": 0.1}}
    >>> build_interlab_counts(3, 2, 2, [100], m).shape
    (4, 5)
    """
    rng = np.random.default_rng(seed)
    rows = []
    for material, p in materials.items():
        sd_lab = np.sqrt(np.log1p(p["between_lab_cv"] ** 2))
        sd_rep = np.sqrt(np.log1p(p["replicate_cv"] ** 2))
        lab_factor = np.exp(sd_lab * rng.standard_normal(labs) - sd_lab**2 / 2)
        lab_dilution = rng.choice(dilutions, size=labs)
        for lab in range(labs):
            rep_factor = np.exp(sd_rep * rng.standard_normal(replicates) - sd_rep**2 / 2)
            measured = p["stock_per_ml"] * lab_factor[lab] * rep_factor / lab_dilution[lab]
            for r in range(replicates):
                rows.append(
                    {
                        "material": material,
                        "lab": lab + 1,
                        "replicate": r + 1,
                        "dilution_factor": int(lab_dilution[lab]),
                        "measured_per_ml": float(f"{measured[r]:.4g}"),
                    }
                )
    return pd.DataFrame(rows)


@builder
def build_study_a_splitface(seed: int, trial: dict) -> pd.DataFrame:
    """A split-face trial from the course's trial simulator (:mod:`exocourse.trials`):
    ``trial`` holds the keywords of :class:`exocourse.trials.TrialParams`; melanin is
    rounded to 0.1 AU. Visits missed after dropout have no row.

    >>> t = build_study_a_splitface(1, {"n": 4, "dropout": 0.0})
    >>> t.columns.tolist(), len(t)
    (['participant', 'side', 'treatment', 'week', 'melanin'], 32)
    """
    from exocourse.trials import TrialParams, simulate_trial

    frame = simulate_trial(TrialParams(**trial), seed=seed)
    frame.attrs = {}
    frame["melanin"] = frame["melanin"].round(1)
    return frame


@builder
def build_study_b_prepost(seed: int, participants: int, weeks: int, design: dict) -> pd.DataFrame:
    """A single-arm pre/post study: every participant uses the product and is read at
    week 0 and at week ``weeks``; there is no control side and no control group.

    ``design`` holds the keywords of :func:`exocourse.evidence.draw_prepost` (enrolment
    threshold, co-intervention, shared drift, product effect, noise SDs), so the file is
    one draw of exactly the design that the lesson simulates many times.

    >>> t = build_study_b_prepost(1, 5, 6, {"enrol_min": 150.0})
    >>> t.columns.tolist(), bool(t["melanin_week0"].min() >= 150)
    (['participant', 'melanin_week0', 'melanin_week6'], True)
    """
    from exocourse.evidence import draw_prepost

    rng = np.random.default_rng(seed)
    pre, post = draw_prepost(rng, 1, participants, **design)
    return pd.DataFrame(
        {
            "participant": np.arange(1, participants + 1),
            "melanin_week0": np.round(pre[0], 1),
            f"melanin_week{weeks}": np.round(post[0], 1),
        }
    )


@builder
def build_study_c_microneedling(
    seed: int,
    participants: int,
    weeks: list[int],
    ramp: list[float],
    endpoints: dict,
    global_score: dict,
) -> pd.DataFrame:
    """A split-face trial with microneedling on both sides, an exosome solution on one
    (randomised, balanced) and saline on the other, read on several endpoints.

    Continuous endpoint ``e`` for participant *i*, side *s*, visit *v*:
    ``baseline_mean + between_sd·(√r·z_i + √(1−r)·z_is) + left_offset·[left]
    + ramp_v·(microneedling + exosome·[exosome side]) + shared_visit_sd·z_iv
    + measurement_sd·ε_isv`` (r = ``side_corr``), rounded to ``decimals`` and clipped
    to ``[min, max]``. The global score is an ordinal rating of improvement since
    baseline, made at every visit after week 0: a latent ``ramp_v·(microneedling +
    exosome·[exosome side]) + person_sd·z_i + noise_sd·ε_isv`` cut at ``cuts``
    (0 = no improvement … len(cuts) = the best category).

    >>> ep = {"x": {"baseline_mean": 10, "between_sd": 1, "side_corr": 0.9,
    ...             "shared_visit_sd": 0, "measurement_sd": 1, "microneedling": 0,
    ...             "exosome": 0, "decimals": 1}}
    >>> gs = {"microneedling": 1, "exosome": 0, "person_sd": 0.5, "noise_sd": 0.5,
    ...       "cuts": [0.5, 1.5]}
    >>> t = build_study_c_microneedling(1, 4, [0, 12], [0.0, 1.0], ep, gs)
    >>> t.shape, int(t["global_score"].isna().sum())
    ((16, 6), 8)
    """
    if len(weeks) != len(ramp) or weeks[0] != 0:
        raise ValueError("weeks must start at 0 and ramp must give one fraction per week")
    rng = np.random.default_rng(seed)
    n, visits = participants, len(weeks)
    sides = np.array(["left", "right"])
    exo_left = rng.permutation(np.arange(n) < (n + 1) // 2)  # balanced: half left, half right
    exo = np.stack([exo_left, ~exo_left], axis=1)  # (n, 2): side gets the exosome solution
    frac = np.asarray(ramp, dtype=float)[None, None, :]
    shape = (n, 2, visits)
    columns = {}
    for name, e in endpoints.items():
        r = e["side_corr"]
        person = rng.standard_normal((n, 1, 1))
        side = rng.standard_normal((n, 2, 1))
        shared_visit = rng.standard_normal((n, 1, visits))
        error = rng.standard_normal(shape)
        value = (
            e["baseline_mean"]
            + e["between_sd"] * (np.sqrt(r) * person + np.sqrt(1 - r) * side)
            + e.get("left_offset", 0.0) * np.array([1.0, 0.0])[None, :, None]
            + frac * (e["microneedling"] + e["exosome"] * exo[:, :, None])
            + e["shared_visit_sd"] * shared_visit
            + e["measurement_sd"] * error
        )
        value = np.clip(value, e.get("min", -np.inf), e.get("max", np.inf))
        columns[name] = np.round(value, e["decimals"])
    g = global_score
    latent = (
        frac * (g["microneedling"] + g["exosome"] * exo[:, :, None])
        + g["person_sd"] * rng.standard_normal((n, 1, 1))
        + g["noise_sd"] * rng.standard_normal(shape)
    )
    score = np.digitize(latent, g["cuts"]).astype(float)
    score[:, :, 0] = np.nan  # improvement is rated against baseline, so not at week 0
    i, s, v = np.meshgrid(np.arange(n), np.arange(2), np.arange(visits), indexing="ij")
    frame = pd.DataFrame(
        {
            "participant": i.ravel() + 1,
            "side": sides[s.ravel()],
            "treatment": np.where(exo[i.ravel(), s.ravel()], "exosome", "saline"),
            "week": np.asarray(weeks)[v.ravel()],
        }
    )
    for name, value in columns.items():
        frame[name] = value.ravel()
    frame["global_score"] = pd.array(score.ravel(), dtype="Int64")
    return frame


def render(frame: pd.DataFrame, meta: dict, name: str) -> str:
    """The CSV text of a generated dataset, starting with a line that says it is synthetic."""
    gen = meta["generator"]
    header = (
        f"# SYNTHETIC DATA, not measurements: generated by datasets/generate.py "
        f"({gen['function']}, seed {gen['seed']}). See datasets/README.md ({name}).\n"
    )
    return header + frame.to_csv(index=False, lineterminator="\n")


def build(name: str, folder: Path = HERE) -> str | None:
    """The CSV text that the generator makes for ``name``, or None for a hand-written file."""
    meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    gen = meta.get("generator")
    if not gen:
        return None
    func = BUILDERS[gen["function"]]
    return render(func(gen["seed"], **gen.get("parameters", {})), meta, name)


def manifest(folder: Path = HERE) -> str:
    """The text of SHA256SUMS for every CSV in ``folder``."""
    lines = [f"{sha256(p)}  {p.name}\n" for p in sorted(folder.glob("*.csv"))]
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Rebuild (or with ``--check``, compare) every generated file and the manifest."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    stale = []
    for meta_path in sorted(HERE.glob("*.json")):
        text = build(meta_path.stem)
        if text is None:
            continue
        csv_path = HERE / f"{meta_path.stem}.csv"
        old = csv_path.read_text(encoding="utf-8") if csv_path.exists() else None
        if old != text:
            stale.append(csv_path.name)
            if not args.check:
                csv_path.write_text(text, encoding="utf-8", newline="\n")
    sums_path = HERE / "SHA256SUMS"
    sums = manifest()
    if not sums_path.exists() or sums_path.read_text(encoding="utf-8") != sums:
        stale.append(sums_path.name)
        if not args.check:
            sums_path.write_text(sums, encoding="utf-8", newline="\n")
    verb = "differ from the generator" if args.check else "rewritten"
    print(f"{', '.join(stale)}: {verb}" if stale else "all datasets match the generator")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
