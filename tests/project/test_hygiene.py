"""Project hygiene: licences, citation, changelog and contributing guide agree with each other
and with the package."""

from __future__ import annotations

import re
import shlex

import yaml
from conftest import ROOT

from exocourse.cli import parser

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
KEEP_A_CHANGELOG_SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_code_is_mit_and_lesson_text_and_data_are_cc_by():
    code = (ROOT / "LICENSE").read_text()
    content = (ROOT / "LICENSE-CONTENT").read_text()
    assert code.startswith("MIT License") and "Permission is hereby granted" in code
    assert "CC BY 4.0" in content and "creativecommons.org/licenses/by/4.0/legalcode" in content
    assert "LICENSE-CONTENT" in code and "LICENSE" in content.replace("LICENSE-CONTENT", "")
    assert "MIT" in PROJECT["license"]["text"] and "CC-BY-4.0" in PROJECT["license"]["text"]
    readme = (ROOT / "README.md").read_text()
    licence = readme.split("## Licence")[1].split("\n## ")[0]
    assert "MIT" in licence and "CC BY 4.0" in licence, "the README must state both licences"


def test_citation_file_is_valid_cff_and_agrees_with_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    for key in ["message", "title", "authors", "type"]:
        assert cff.get(key), f"CITATION.cff lacks {key}"
    assert cff["type"] == "software"
    assert all(set(author) == {"name"} for author in cff["authors"]), (
        "authors are credited as an entity (name only), not as invented people"
    )
    assert cff["title"] == PROJECT["description"]
    assert cff["version"] == PROJECT["version"]
    assert cff["repository-code"] == PROJECT["urls"]["Repository"]
    assert set(cff["license"]) == {"MIT", "CC-BY-4.0"}


def test_changelog_keeps_an_unreleased_section_first():
    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n") and "keepachangelog.com" in text
    versions = re.findall(r"^## (.+)$", text, re.MULTILINE)
    assert versions and versions[0] == "[Unreleased]", versions
    for heading in versions[1:]:
        assert re.fullmatch(r"\[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", heading), heading
    sections = set(re.findall(r"^### (.+)$", text, re.MULTILINE))
    assert sections <= KEEP_A_CHANGELOG_SECTIONS, sections - KEEP_A_CHANGELOG_SECTIONS


def test_contributing_guide_explains_adding_a_lesson_with_commands_that_exist():
    text = (ROOT / "CONTRIBUTING.md").read_text()
    section = text.split("## How to add a lesson")[1].split("\n## ")[0]
    for step in ["solutions/", "exocourse execute", "exocourse release", "pytest", "CHANGELOG"]:
        assert step in section, f"the 'How to add a lesson' section never mentions {step!r}"
    commands = re.findall(r"(?:\.venv/bin/)?\bexocourse (?:[a-z][\w-]*)(?: [\w.-]+)*", text)
    assert len(commands) >= 3
    for command in commands:
        try:
            parser().parse_args(shlex.split(command)[1:])
        except SystemExit:
            raise AssertionError(f"CONTRIBUTING.md shows a command that fails: {command}") from None
