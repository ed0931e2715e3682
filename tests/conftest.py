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
def built_site(tmp_path_factory) -> Path:
    """The course website, built once per test session (``exocourse site``) into a temp folder."""
    from exocourse.authoring.site import build_site

    return build_site(ROOT, tmp_path_factory.mktemp("site") / "html").out
