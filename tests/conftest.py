"""Shared fixtures: the repository root and the list of lessons."""

from __future__ import annotations

from pathlib import Path

import pytest

from exocourse.authoring.course import lessons

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lessons(ROOT)


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The course website, built once per test session (``exocourse site``) into
    ``test-artifacts/site/``, where CI leaves it as an artefact to preview."""
    from exocourse.authoring.site import build_site

    return build_site(ROOT, ROOT / "test-artifacts" / "site").out
