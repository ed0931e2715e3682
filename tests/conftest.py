"""Shared fixtures: the repository root and the list of lessons."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from exocourse.authoring.course import lessons

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lessons(ROOT)
#: The sandbox gives each kernel a private, empty /tmp. When this clone lives under /tmp, its
#: path may exist in that private /tmp too (where a folder inside it is bound), so a kernel's
#: write to the repository's path can succeed there and is gone with the sandbox. The tests that
#: write there check that nothing reached the clone on the real file system.
REPO_UNDER_TMP = ROOT.is_relative_to("/tmp")
#: The golden submissions' builders are imported by the tests as ``golden.*``, never collected
#: as modules themselves (collected alone, ``golden`` is not importable).
collect_ignore_glob = ["grading/golden/*"]


@pytest.fixture
def root() -> Path:
    return ROOT


def file_hashes(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under ``folder``, by path relative to it: two calls are equal
    only if no file was added, removed or changed in between."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The course website, built once per test session (``exocourse site``) into
    ``test-artifacts/site/``, where CI leaves it as an artefact to preview."""
    from exocourse.authoring.site import build_site

    return build_site(ROOT, ROOT / "test-artifacts" / "site").out


#: A label for the label-rule tests (tests/library, tests/instructor): each test changes one field.
LABEL = {
    "label_id": "T1",
    "name": "Test Serum",
    "source_text": "Bovine milk exosomes",
    "claims": "Hydrates dry skin.",
    "directions": "Apply daily.",
    "concentration_text": "2 × 10^9 particles/mL (NTA)",
    "storage": "Refrigerate",
    "packaging": "30 mL bottle",
    "volume_ml": 30.0,
    "evidence": "Aesthet Surg J 2022;42(10):1185",
    "country": "US",
    "recorded": "2025-06-01",
}


def label_verdict(rule, **changes):
    """``rule`` applied to :data:`LABEL` with ``changes``."""
    return rule({**LABEL, **changes})
