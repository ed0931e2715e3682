"""exocourse.data: loading by name, and clear errors for missing or damaged files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from exocourse import data
from exocourse.datasets import generate

ROOT = Path(__file__).resolve().parents[2]


def test_names_lists_every_dataset_in_the_folder():
    on_disk = sorted(p.stem for p in (ROOT / "datasets").glob("*.csv"))
    assert data.names() == on_disk
    assert len(on_disk) >= 2


@pytest.mark.parametrize("name", data.names())
def test_every_dataset_loads_with_its_schema(name):
    frame = data.load(name)
    meta = data.metadata(name)
    assert list(frame.columns) == [c["name"] for c in meta["columns"]]
    assert len(frame) > 0
    for column in meta["columns"]:
        values = frame[column["name"]].dropna()
        if "min" in column:
            assert values.min() >= column["min"]
        if "allowed" in column:
            assert set(values) <= set(column["allowed"])


@pytest.mark.parametrize("name", data.names())
def test_every_synthetic_dataset_says_so_in_file_dictionary_and_readme(name):
    meta = data.metadata(name)
    first_line = (data.folder() / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
    readme = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    assert f"`{name}.csv`" in readme, f"datasets/README.md does not describe {name}.csv"
    for column in meta["columns"]:
        assert f"`{column['name']}`" in readme, f"README lacks column {column['name']} of {name}"
    if meta["synthetic"]:
        assert first_line.startswith("# ") and (
            "SYNTHETIC" in first_line or "FICTIONAL" in first_line
        ), f"{name}.csv does not say it is synthetic in its first line"
        assert "SYNTHETIC" in meta["description"] or "FICTIONAL" in meta["description"]


def test_generator_rebuilds_the_committed_files_exactly():
    for meta_path in sorted((ROOT / "datasets").glob("*.json")):
        text = generate.build(meta_path.stem, ROOT / "datasets")
        if text is not None:
            committed = (ROOT / "datasets" / f"{meta_path.stem}.csv").read_text(encoding="utf-8")
            assert text == committed, f"{meta_path.stem}.csv differs from what the generator makes"
    assert generate.manifest(ROOT / "datasets") == (ROOT / "datasets" / "SHA256SUMS").read_text()


def test_generator_is_reproducible_and_seed_sensitive():
    meta = json.loads((ROOT / "datasets" / "nta_particles.json").read_text())
    params = meta["generator"]["parameters"]
    a = generate.build_nta_particles(7, **params)
    b = generate.build_nta_particles(7, **params)
    c = generate.build_nta_particles(8, **params)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


# --- damaged files: each error names the file and the problem -------------------------


@pytest.fixture
def copy_folder(tmp_path, monkeypatch):
    """A private copy of the datasets folder that the loader reads instead."""
    target = tmp_path / "datasets"
    shutil.copytree(data.folder(), target, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(data, "folder", lambda: target)
    return target


def _rewrite(folder: Path, name: str, text: str) -> None:
    """Replace a CSV and update its checksum, so only the schema check can catch it."""
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    (folder / "SHA256SUMS").write_text(generate.manifest(folder), encoding="utf-8")


def test_unknown_name_lists_known_datasets():
    with pytest.raises(data.DatasetError, match=r"no dataset named 'nope'.*nta_particles"):
        data.load("nope")


@pytest.mark.parametrize("bad", ["../etc/passwd", "", None])
def test_name_must_be_plain(bad):
    with pytest.raises(data.DatasetError, match="plain name"):
        data.load(bad)


def test_missing_csv_is_named(copy_folder):
    (copy_folder / "nta_particles.csv").unlink()
    with pytest.raises(data.DatasetError, match=r"nta_particles\.csv is missing"):
        data.load("nta_particles")


def test_truncated_file_fails_the_checksum(copy_folder):
    path = copy_folder / "nta_particles.csv"
    path.write_bytes(path.read_bytes()[:500])
    with pytest.raises(data.DatasetError, match=r"nta_particles\.csv: checksum mismatch"):
        data.load("nta_particles")


def test_missing_manifest_is_reported(copy_folder):
    (copy_folder / "SHA256SUMS").unlink()
    with pytest.raises(data.DatasetError, match="SHA256SUMS is missing"):
        data.load("nta_particles")


def test_unlisted_file_is_reported(copy_folder):
    (copy_folder / "SHA256SUMS").write_text("", encoding="utf-8")
    with pytest.raises(data.DatasetError, match=r"nta_particles\.csv: no checksum"):
        data.load("nta_particles")


def test_malformed_json_is_named(copy_folder):
    (copy_folder / "nta_particles.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(data.DatasetError, match=r"nta_particles\.json: not valid JSON"):
        data.load("nta_particles")


HEADER = "# SYNTHETIC\nsample,particle_id,diameter_nm\n"


@pytest.mark.parametrize(
    "body, problem",
    [
        ("sample,particle_id\nprep_A,1\n", r"columns do not match.*missing \['diameter_nm'\]"),
        (HEADER, "the table has no rows"),
        (HEADER + "prep_A,1,abc\n", r"column 'diameter_nm' is not of type float"),
        (HEADER + "prep_A,1.5,90\n", r"column 'particle_id' is not of type int"),
        (
            HEADER + "prep_A,1,-3\n",
            r"column 'diameter_nm' has values below its minimum 1 \(row 1\)",
        ),
        (
            HEADER + "prep_A,1,90\nprep_A,2,9000\n",
            r"column .diameter_nm. has values above its maximum 5000 \(row 2\)",
        ),
        (HEADER + "prep_Z,1,90\n", r"column 'sample' has a value outside"),
        (HEADER + "prep_A,,90\n", r"column 'particle_id' has missing values \(row 1\)"),
        (
            'sample,particle_id,diameter_nm\n"prep_A,1,90\n',
            "not a readable CSV|columns do not match",
        ),
        ("", "not a readable CSV"),
    ],
)
def test_schema_violations_name_file_column_and_problem(copy_folder, body, problem):
    _rewrite(copy_folder, "nta_particles", body)
    with pytest.raises(data.DatasetError, match="nta_particles.csv: " + f"(?:{problem})"):
        data.load("nta_particles")


def test_bool_column_and_nullable_values_are_typed():
    meta = {
        "columns": [
            {"name": "flag", "dtype": "bool"},
            {"name": "n", "dtype": "int", "nullable": True},
            {"name": "s", "dtype": "str", "nullable": True},
        ]
    }
    frame = data.parse("flag,n,s\nTrue,1,NA\nFalse,,\n", meta)
    assert frame["flag"].tolist() == [True, False]
    assert frame["n"].isna().tolist() == [False, True]
    assert frame["s"].tolist()[0] == "NA"  # the text 'NA' is data, not a missing value
    with pytest.raises(data.DatasetError, match="'flag' is not of type bool"):
        data.parse("flag,n,s\nyes,1,a\n", meta)


# --- the three ways the package is installed -------------------------------------------


def test_loads_from_a_wheel_install_outside_the_repository(tmp_path):
    """Binder installs the package with `pip install .` (a wheel, not editable)."""
    src = tmp_path / "src-copy"
    src.mkdir()
    for item in ["pyproject.toml", "README.md", "src", "datasets"]:
        copy = shutil.copytree if (ROOT / item).is_dir() else shutil.copy
        copy(ROOT / item, src / item)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "-w", str(tmp_path / "whl"), str(src)],
        check=True,
    )
    wheel = next((tmp_path / "whl").glob("exocourse-*.whl"))
    target = tmp_path / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    shutil.rmtree(src)  # nothing may point back at the source tree
    code = (
        "import exocourse, exocourse.data as d; "
        "print(exocourse.__file__); print(len(d.load('nta_particles')))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    module_file, rows = out.stdout.split()
    assert Path(module_file).is_relative_to(target)
    assert int(rows) == len(data.load("nta_particles"))


def test_editable_install_reads_the_repository_folder():
    assert data.folder().resolve() == (ROOT / "datasets").resolve()
