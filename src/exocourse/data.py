"""Load the course datasets by name, after checking them.

Every dataset ``NAME`` ships as ``NAME.csv`` (leading ``# `` comment lines, then a CSV
table) beside ``NAME.json`` (its description and column schema) in the package folder
``exocourse.datasets``; ``SHA256SUMS`` in the same folder lists each CSV's checksum.
Loading goes through :mod:`importlib.resources`, so it works the same from an editable
install, a wheel (Binder) and nbgrader's autograde folder.

>>> "nta_particles" in names()
True
>>> load("nta_particles").columns[:2].tolist()
['sample', 'particle_id']
"""

from __future__ import annotations

import io
import json
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from .digest import sha256

PACKAGE = "exocourse.datasets"


class DatasetError(ValueError):
    """A dataset file is missing, altered or does not match its schema."""


def folder() -> Path:
    """The folder that holds the dataset files.

    >>> (folder() / "SHA256SUMS").is_file()
    True
    """
    return Path(str(resources.files(PACKAGE)))


def names() -> list[str]:
    """The names of every dataset, sorted.

    >>> names() == sorted(names())
    True
    """
    return sorted(p.stem for p in folder().glob("*.json"))


def metadata(name: str) -> dict[str, Any]:
    """The description and column schema of dataset ``name`` (its ``NAME.json``).

    >>> metadata("nta_particles")["synthetic"]
    True
    """
    path = _path(name, ".json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path.name}: not valid JSON ({exc})") from exc


def checksums() -> dict[str, str]:
    """The expected SHA-256 of every CSV, read from ``SHA256SUMS``."""
    path = folder() / "SHA256SUMS"
    if not path.is_file():
        raise DatasetError("SHA256SUMS is missing from the datasets folder")
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, filename = line.split(maxsplit=1)
            sums[filename.lstrip("*")] = digest
    return sums


def load(name: str) -> pd.DataFrame:
    """Load dataset ``name`` as a DataFrame, verifying its checksum and schema.

    Raises :class:`DatasetError` naming the file and the problem when the file is
    missing, has been altered (checksum), or breaks its schema (columns, types, ranges).

    >>> nta = load("nta_particles")
    >>> bool(nta["diameter_nm"].min() > 0)
    True
    """
    meta = metadata(name)
    path = _path(name, ".csv")
    expected = checksums().get(path.name)
    if expected is None:
        raise DatasetError(f"{path.name}: no checksum listed in SHA256SUMS")
    if sha256(path) != expected:
        raise DatasetError(
            f"{path.name}: checksum mismatch: the file was altered, truncated or replaced. "
            "Reinstall the course package (or run `python -m exocourse.datasets.generate`)."
        )
    return parse(path.read_text(encoding="utf-8"), meta, path.name)


def parse(text: str, meta: dict[str, Any], filename: str = "<text>") -> pd.DataFrame:
    """Parse CSV ``text`` (leading ``#`` lines skipped) and check it against ``meta``.

    >>> meta = {"columns": [{"name": "x", "dtype": "int", "min": 0}]}
    >>> parse("# synthetic\\nx\\n1\\n2\\n", meta)["x"].tolist()
    [1, 2]
    >>> parse("x\\n-1\\n", meta)
    Traceback (most recent call last):
    ...
    exocourse.data.DatasetError: <text>: column 'x' has values below its minimum 0 (row 1)
    """
    body = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    try:
        frame = pd.read_csv(io.StringIO(body), keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DatasetError(f"{filename}: not a readable CSV table ({exc})") from exc
    columns = meta["columns"]
    wanted = [c["name"] for c in columns]
    if list(frame.columns) != wanted:
        missing = [c for c in wanted if c not in frame.columns]
        extra = [c for c in frame.columns if c not in wanted]
        raise DatasetError(
            f"{filename}: columns do not match the schema "
            f"(missing {missing}, unexpected {extra}, expected order {wanted})"
        )
    if frame.empty:
        raise DatasetError(f"{filename}: the table has no rows")
    for column in columns:
        frame[column["name"]] = _check_column(frame[column["name"]], column, filename)
    return frame


_DTYPES = ("int", "float", "str", "bool")


def _check_column(values: pd.Series, column: dict[str, Any], filename: str) -> pd.Series:
    name, dtype = column["name"], column["dtype"]
    if dtype not in _DTYPES:
        raise DatasetError(f"{filename}: column '{name}' has unknown dtype '{dtype}' in the schema")
    where = f"{filename}: column '{name}'"
    missing = values.isna()
    if missing.any() and not column.get("nullable", False):
        raise DatasetError(f"{where} has missing values (row {_first_row(missing)})")
    try:
        if dtype == "bool":
            mapped = values.map({True: True, False: False, "True": True, "False": False})
            if (mapped.isna() & ~missing).any():
                raise ValueError("expected True or False")
            converted = mapped.astype("boolean")
        elif dtype == "str":
            converted = values.map(lambda v: v if pd.isna(v) else str(v)).astype(object)
        else:
            converted = pd.to_numeric(values, errors="raise").astype("float64")
            if dtype == "int":
                if ((converted.dropna() % 1) != 0).any():
                    raise ValueError("expected whole numbers")
                converted = converted.astype("Int64" if missing.any() else "int64")
    except (ValueError, TypeError) as exc:
        raise DatasetError(f"{where} is not of type {dtype} ({exc})") from exc
    present = converted[~missing]
    if "min" in column and (present < column["min"]).any():
        bad = present < column["min"]
        raise DatasetError(
            f"{where} has values below its minimum {column['min']} (row {_first_row(bad)})"
        )
    if "max" in column and (present > column["max"]).any():
        bad = present > column["max"]
        raise DatasetError(
            f"{where} has values above its maximum {column['max']} (row {_first_row(bad)})"
        )
    if "allowed" in column and not present.isin(column["allowed"]).all():
        bad = ~present.isin(column["allowed"])
        raise DatasetError(
            f"{where} has a value outside {column['allowed']} (row {_first_row(bad)})"
        )
    return converted


def _first_row(mask: pd.Series) -> int:
    """1-based data row number of the first True in ``mask``."""
    return int(mask.to_numpy().nonzero()[0][0]) + 1


def _path(name: str, suffix: str) -> Path:
    if not isinstance(name, str) or not name or "/" in name or "\\" in name:
        raise DatasetError(
            f"dataset name must be a plain name such as 'nta_particles', got {name!r}"
        )
    path = folder() / f"{name}{suffix}"
    if not path.is_file():
        known = ", ".join(names()) or "none"
        raise DatasetError(f"no dataset named {name!r} ({path.name} is missing); known: {known}")
    return path
