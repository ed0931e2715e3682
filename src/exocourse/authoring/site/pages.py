"""A lesson as web pages: its header (for the syllabus), its references, and its page notebook.

The page notebook is the student's notebook (``lessons/``) cell by cell, with the outputs that
the executed source (``solutions/``) saved. Where the two differ (an answer, a model answer, a
mark scheme) the page shows the student's cell and folds the source's behind a "Show solution"
toggle. Test cells show their visible checks only and no output, and any hidden test left in a
cell is cut out, so no hidden test reaches the site. Figures become ``<img>`` tags with the
alt text their output carries (``exocourse.plots.show``); a figure without one stops the build.
Widgets keep their static fallback only.

>>> header = read_header(["# Lesson 9 — Title", "", "**Time:** 5 minutes, then 10 minutes."])
>>> header.title, header.minutes
('Lesson 9 — Title', 15)
>>> strip_hidden_tests("a\\n### BEGIN HIDDEN TESTS\\nprobe('a', f)\\n### END HIDDEN TESTS\\nb")
'a\\nb'
"""

from __future__ import annotations

import base64
import copy
import html
import re
from dataclasses import dataclass, field

import nbformat

from ..course import CourseError

HIDDEN = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS.*?^[ \t]*### END HIDDEN TESTS[^\n]*\n?", re.M | re.S
)
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (?:BEGIN|END) SOLUTION[^\n]*\n?", re.M)
WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
TRY_FIRST = (
    "*Try it yourself first: work the exercise in the notebook, run its test cell, and open "
    "this only to check your answer or when you are stuck.*"
)
WIDGET_NOTE = (
    "This control is interactive only where a Python kernel runs (launch the lesson in Binder "
    "or JupyterLab); here you see the figure it drew when the lesson was run."
)


@dataclass
class Header:
    """What a lesson's first cell says about it."""

    title: str
    questions: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)
    time: str = ""
    minutes: int = 0
    prerequisites: str = ""


def _paragraphs(lines: list[str]) -> list[str]:
    text = "\n".join(lines)
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _items(paragraph: str) -> list[str]:
    """The items of a Markdown list, each joined onto one line."""
    items: list[str] = []
    for line in paragraph.splitlines()[1:]:
        match = re.match(r"\s*(?:[-*]|\d+\.)\s+(.*)", line)
        if match:
            items.append(match.group(1).strip())
        elif items:
            items[-1] += " " + line.strip()
    return items


def read_header(source: str | list[str]) -> Header:
    """Parse a lesson's header cell: title, **Questions**, **Learning objectives.**,
    **Time:** (and the minutes it adds up to) and **Prerequisites:**."""
    lines = source.splitlines() if isinstance(source, str) else source
    if not lines or not lines[0].startswith("# "):
        raise CourseError("a lesson's first cell must start with its title: '# Lesson N — ...'")
    header = Header(title=lines[0][2:].strip())
    for paragraph in _paragraphs(lines[1:]):
        if paragraph.startswith("**Questions**"):
            header.questions = _items(paragraph)
        elif paragraph.startswith("**Learning objectives.**"):
            header.objectives = _items(paragraph)
        elif paragraph.startswith("**Time:**"):
            header.time = " ".join(paragraph.removeprefix("**Time:**").split())
            header.minutes = sum(int(m) for m in re.findall(r"(\d+) minutes", header.time))
        elif paragraph.startswith("**Prerequisites:**"):
            header.prerequisites = " ".join(paragraph.removeprefix("**Prerequisites:**").split())
    return header


def references(nb: nbformat.NotebookNode) -> str:
    """The body of the lesson's ``## References`` cell (without its heading)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## References"):
            return cell.source.removeprefix("## References").strip()
    raise CourseError("the lesson has no '## References' cell")


def strip_hidden_tests(code: str) -> str:
    """``code`` without its hidden tests; an unclosed hidden-test block is an error."""
    stripped = HIDDEN.sub("", code)
    if "HIDDEN TESTS" in stripped:
        raise CourseError("a cell has an unclosed '### BEGIN HIDDEN TESTS' block")
    return stripped


def _img(png: str, alt: str) -> str:
    return f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}" />'


def _widget_outputs(state: dict, model_id: str, seen: set[str]) -> list:
    """The outputs a widget (and the widgets inside it) held when the notebook was saved:
    what an ``Output`` widget, such as the one ``interact`` draws into, last showed."""
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    model = state[model_id]
    is_output = model.get("model_name") == "OutputModel"
    found = list(model["state"].get("outputs", [])) if is_output else []
    for child in model["state"].get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            found += _widget_outputs(state, child.removeprefix("IPY_MODEL_"), seen)
    return found


def _outputs(outputs: list, where: str, widgets: dict) -> list:
    """Saved outputs as the page shows them: figures as <img> with alt text, and each widget
    as a sentence followed by the static outputs it held (its figure)."""
    shown = []
    for output in outputs:
        output = copy.deepcopy(output)
        data = output.get("data")
        if data is None:
            shown.append(output)
            continue
        if WIDGET in data:
            view = data.pop(WIDGET)
            data.pop("text/plain", None)  # the widget's repr, e.g. "interactive(children=...)"
            note = nbformat.v4.new_output("display_data", {"text/html": f"<p>{WIDGET_NOTE}</p>"})
            held = _widget_outputs(widgets, view.get("model_id", ""), set())
            shown += [note, *_outputs(held, where, widgets)]
            if not data:
                continue
        if "image/png" in data:
            png = data["image/png"]
            base64.b64decode(png, validate=True)
            alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
            if not alt:
                raise CourseError(
                    f"{where}: a figure has no alt text: show it with "
                    "exocourse.plots.show(fig, alt=...)"
                )
            output["data"] = {"text/html": _img(png, alt)}
            output["metadata"] = {}
        shown.append(output)
    return shown


def _fence(code: str) -> str:
    ticks = "`" * max(3, max((len(m) for m in re.findall(r"`+", code)), default=0) + 1)
    return f"{ticks}python\n{code.strip()}\n{ticks}"


def _toggle(body: str, label: str = "Show solution") -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(
        f'<details class="solution">\n<summary>{label}</summary>\n\n{TRY_FIRST}\n\n'
        f"{body.strip()}\n\n</details>"
    )


def _graded(cell: nbformat.NotebookNode) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _code_cell(source: str, outputs: list) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = outputs
    return cell


def lesson_page(
    source: nbformat.NotebookNode,
    student: nbformat.NotebookNode,
    name: str,
    launch_html: str,
) -> nbformat.NotebookNode:
    """The notebook the site renders for lesson ``name`` (see the module's docstring)."""
    if [c.cell_type for c in source.cells] != [c.cell_type for c in student.cells] or [
        _graded(a).get("grade_id") for a in source.cells
    ] != [_graded(b).get("grade_id") for b in student.cells]:
        raise CourseError(
            f"lessons/{name} does not match solutions/{name}: run `exocourse release {name}`"
        )
    widgets = source.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    cells = []
    for index, (src, stu) in enumerate(zip(source.cells, student.cells, strict=True)):
        where = f"solutions/{name} cell {index}"
        if index == 0:  # the title, the launch bar, then the rest of the header
            title, _, rest = src.source.partition("\n")
            cells += [nbformat.v4.new_markdown_cell(c) for c in (title, launch_html, rest)]
        elif src.cell_type == "markdown":
            if src.source == stu.source:
                cells.append(nbformat.v4.new_markdown_cell(src.source))
            else:
                if stu.source.strip() and stu.source.strip() != "YOUR ANSWER HERE":
                    cells.append(nbformat.v4.new_markdown_cell(stu.source))
                cells.append(_toggle(src.source, "Show the model answer and mark scheme"))
        elif src.cell_type == "code":
            visible = strip_hidden_tests(stu.source)
            if _graded(src).get("grade") and not _graded(src).get("solution"):
                cells.append(_code_cell(visible, []))  # a test cell: its checks, no output
            elif strip_hidden_tests(src.source) == visible:
                outputs = _outputs(src.get("outputs", []), where, widgets)
                cells.append(_code_cell(visible, outputs))
            else:
                cells.append(_code_cell(visible, []))
                solution = SOLUTION_MARKERS.sub("", strip_hidden_tests(src.source))
                cells.append(_toggle(_fence(solution)))
    page = nbformat.v4.new_notebook(cells=cells)
    kept = ("kernelspec", "language_info")  # no widget state: its scripts would load from a CDN
    page.metadata = {k: v for k, v in source.metadata.items() if k in kept}
    return page
