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
