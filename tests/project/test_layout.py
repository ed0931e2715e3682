"""The package's layout: no import cycles (lazy imports count), and the lesson library never
imports the instructor's toolchain (docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

SRC = ROOT / "src"
TOOLCHAIN = ("exocourse.authoring", "exocourse.grading", "exocourse.cli")


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``name`` imports anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {t for t in targets if t in known and t != name and not name.startswith(t + ".")}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def test_the_import_graph_is_read_from_the_code():
    graph = _graph()
    assert "exocourse.grading.worker" in graph["exocourse.grading.batch"]
    assert "exocourse.inference" in graph["exocourse.power"]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        for target in sorted(graph[name]):
            if target in path:
                cycles.append(path[path.index(target) :] + [target])
            elif len(path) < 30:
                visit(target, path + [target])

    for name in sorted(graph):
        visit(name, [name])
    return cycles


def test_a_cycle_is_found_when_there_is_one():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})[0] == ["a", "b", "c", "a"]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_one_that_imports_it_back():
    cycles = _cycles(_graph())
    assert cycles == [], f"import cycles: {cycles[:3]}"


def test_the_lesson_library_never_imports_the_toolchain():
    graph = _graph()
    library = [m for m in graph if not m.startswith(TOOLCHAIN) and m != "exocourse.__main__"]
    assert "exocourse.power" in library and "exocourse.labels.rubric" in library
    for name in library:
        bad = {t for t in graph[name] if t.startswith(TOOLCHAIN)}
        assert not bad, f"{name} imports the instructor's toolchain: {sorted(bad)}"
