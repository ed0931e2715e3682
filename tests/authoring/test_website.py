"""The course website (``exocourse site``), read from the built HTML.

The site is built once per session (the ``built_site`` fixture) and every page is parsed: the
pages exist; nothing loads from another host; no hidden test (not even one probe's label)
appears; figures carry alt text and headings do not skip a level; the syllabus and references
come from the lessons' own cells; the launch links are built from pyproject.toml's repository.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from conftest import LESSONS, ROOT

from exocourse.authoring.course import CourseError
from exocourse.authoring.site import pages
from exocourse.authoring.site.build import build_site, repository_url, write_sources
from exocourse.cli import parser

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

SITE_PAGES = ["index", "syllabus", "glossary", "references", "instructor-guide", "datasets"]
REQUIRED_TERMS = [
    "EV",
    "MISEV",
    "NTA",
    "TRPS",
    "split-face",
    "carry-across",
    "ρ",
    "power",
    "Holm",
    "Hodges–Lehmann",
    "INCI",
    "MFDS",
]
RESOURCE_ATTRIBUTES = ["src", "href", "srcset", "data", "poster", "action", "formaction"]
EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)
CSS_URL = re.compile(
    r"""url\(\s*['"]?((?:https?:)?//[^'")\s]+)|@import\s+['"]((?:https?:)?//[^'"]+)"""
)
DATA_URI = re.compile(r"""url\(\s*['"]?data:[^)]*\)""")


def soup(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def all_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)


def words(text: str) -> str:
    return " ".join(text.split())


def source(lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)


def external_resources(page: BeautifulSoup) -> list[str]:
    """Everything the page would fetch from another host: src/href/... of any element but a
    plain <a> link, and url()/@import in inline styles."""
    found = []
    for tag in page.find_all(True):
        for attribute in RESOURCE_ATTRIBUTES:
            value = tag.get(attribute)
            if tag.name == "a" and attribute == "href":
                continue  # a link the reader may follow, not something the page loads
            if value and EXTERNAL.match(value):
                found.append(f"<{tag.name} {attribute}={value!r}>")
    styles = [t.get_text() for t in page.find_all("style")]
    styles += [t["style"] for t in page.find_all(style=True)]
    for style in styles:
        found += [a or b for a, b in CSS_URL.findall(DATA_URI.sub("", style))]
    return found


def test_every_page_is_built(built_site):
    names = {p.stem for p in all_pages(built_site)}
    assert set(SITE_PAGES) | set(LESSONS) <= names
    for lesson in LESSONS:
        assert (built_site / "notebooks" / f"{lesson}.ipynb").read_bytes() == (
            ROOT / "lessons" / lesson / f"{lesson}.ipynb"
        ).read_bytes()


def test_no_page_loads_anything_from_another_host(built_site):
    offenders = {}
    for path in all_pages(built_site):
        found = external_resources(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        if found:
            offenders[str(path.relative_to(built_site))] = found
    for css in built_site.rglob("*.css"):
        found = [a or b for a, b in CSS_URL.findall(DATA_URI.sub("", css.read_text("utf-8")))]
        if found:
            offenders[str(css.relative_to(built_site))] = found
    assert not offenders, f"external resources (the site must work offline): {offenders}"


def test_external_resource_check_catches_a_cdn():
    page = BeautifulSoup(
        '<script src="https://cdn.example.org/x.js"></script><link href="//fonts.example/a.css">'
        '<div style="background: url(https://img.example/a.png)"></div>'
        '<a href="https://doi.org/10.1/x">a DOI link is fine</a>'
        '<img src="data:image/png;base64,AA" alt="an inline image here">',
        "html.parser",
    )
    assert len(external_resources(page)) == 3


def hidden_tests(lesson: str) -> str:
    nb = source(lesson)
    return "\n".join(
        block for c in nb.cells if c.cell_type == "code" for block in pages.HIDDEN.findall(c.source)
    )


def hidden_only_lines(lesson: str) -> list[str]:
    """Lines of the lesson's hidden tests that appear nowhere else in its source or release."""
    nb = source(lesson)
    hidden = hidden_tests(lesson)
    visible = "\n".join(pages.HIDDEN.sub("", c.source) for c in nb.cells)
    student = (ROOT / "lessons" / lesson / f"{lesson}.ipynb").read_text(encoding="utf-8")
    lines = {words(line) for line in hidden.splitlines()}
    return sorted(
        line
        for line in lines
        if len(line) > 12
        and "HIDDEN TESTS" not in line
        and line not in words(visible)
        and line not in student
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_hidden_test_reaches_the_site(built_site, lesson):
    lines = hidden_only_lines(lesson)
    labels = re.findall(r"probe\(\s*f?[\"'](.+?)[\"']", hidden_tests(lesson))
    assert lines and labels, f"{lesson}: no hidden tests found to look for"
    for path in all_pages(built_site):
        text = path.read_text(encoding="utf-8")
        shown = words(BeautifulSoup(text, "html.parser").get_text())
        assert "HIDDEN TESTS" not in shown or path.stem not in LESSONS
        leaked = [line for line in lines if line in shown]
        assert not leaked, f"{path.name} shows hidden tests of {lesson}: {leaked[:3]}"
        calls = [rf"probe\(\s*f?.{re.escape(label)}" for label in labels]
        assert not [call for call in calls if re.search(call, shown)], path.name
    lesson_text = words(soup(built_site, lesson).get_text())
    assert "from exocourse.probes import probe" not in lesson_text


def test_a_hidden_test_anywhere_in_a_cell_is_cut():
    code = (
        "x = 1\n### BEGIN HIDDEN TESTS\nprobe('secret', lambda: x)\n### END HIDDEN TESTS\ny = 2\n"
    )
    assert "secret" not in pages.strip_hidden_tests(code)
    with pytest.raises(CourseError, match="unclosed"):
        pages.strip_hidden_tests("### BEGIN HIDDEN TESTS\nprobe('secret', f)\n")


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_figure_is_shown_with_alt_text(built_site, lesson):
    figures = sum(
        "image/png" in o.get("data", {}) for c in source(lesson).cells for o in c.get("outputs", [])
    )
    images = soup(built_site, lesson).find("article").find_all("img")
    assert len(images) == figures
    for img in images:
        alt = img.get("alt", "").strip()
        assert len(alt.split()) >= 3, f"{lesson}: an image without alt text: {alt!r}"
        assert not re.search(r"\.(png|svg|jpe?g)$|^[\w-]+$", alt), f"file name as alt: {alt!r}"


def test_every_image_on_every_page_has_alt_text(built_site):
    for path in all_pages(built_site):
        for img in BeautifulSoup(path.read_text("utf-8"), "html.parser").find_all("img"):
            alt = img.get("alt", "").strip()
            assert alt and not re.search(r"\.(png|svg|jpe?g|gif)$", alt), (path.name, img)


def test_headings_never_skip_a_level(built_site):
    for path in all_pages(built_site):
        article = BeautifulSoup(path.read_text("utf-8"), "html.parser").find("article")
        if article is None:  # search.html: no article
            continue
        levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
        assert levels and levels[0] == 1 and levels.count(1) == 1, (path.name, levels)
        jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not jumps, f"{path.name} skips a heading level: {jumps}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_model_answers_are_folded_behind_a_toggle(built_site, lesson):
    nb = source(lesson)
    answers = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    page = soup(built_site, lesson)
    toggles = page.select("details.solution")
    assert len(toggles) == len(answers)
    for details in toggles:
        assert details.get("open") is None
        assert "try it yourself first" in details.get_text().lower()
    folded = words(" ".join(d.get_text() for d in toggles))
    for cell in answers:
        body = pages.SOLUTION_MARKERS.sub("", cell.source).strip().splitlines()[0]
        if cell.cell_type == "code":
            assert words(body) in folded, f"{lesson}: solution not in a toggle: {body}"
    outside = words(
        " ".join(
            t.get_text()
            for t in page.find("article").find_all(string=True)
            if not t.find_parent("details")
        )
    )
    for cell in answers:
        if cell.cell_type == "markdown":
            assert words(cell.source)[:60].replace("**", "") not in outside


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_page_links_download_binder_and_no_hub_by_default(built_site, lesson):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    slug = project["urls"]["Repository"].removeprefix("https://github.com/")
    binder = (
        f"https://mybinder.org/v2/gh/{slug}/HEAD?urlpath=lab/tree/lessons/{lesson}/{lesson}.ipynb"
    )
    hrefs = [a["href"] for a in soup(built_site, lesson).select(".launch-bar a")]
    assert hrefs == [f"notebooks/{lesson}.ipynb", binder]


def test_a_configured_hub_gets_a_link(tmp_path):
    write_sources(ROOT, tmp_path, hub_url="https://hub.example.org")
    page = nbformat.read(tmp_path / f"{LESSONS[0]}.ipynb", as_version=4)
    bar = next(c.source for c in page.cells if "launch-bar" in c.source)
    assert "https://hub.example.org/hub/user-redirect/git-pull?repo=" in bar
    assert repository_url(ROOT).replace(":", "%3A").replace("/", "%2F") in bar


def header_items(lesson: str, heading: str) -> list[str]:
    """Items of a list in the lesson's header cell, read here independently of the site code."""
    block = source(lesson).cells[0].source.split(heading, 1)[1].split("\n\n", 1)[0]
    items = re.split(r"\n\s*(?:-|\d+\.)\s+", "\n" + block.split("\n", 1)[1])
    return [re.sub(r"[*`]", "", words(i)) for i in items if i.strip()]


@pytest.mark.parametrize("lesson", LESSONS)
def test_syllabus_comes_from_each_lessons_header(built_site, lesson):
    text = words(soup(built_site, "syllabus").find("article").get_text())
    questions = header_items(lesson, "**Questions**")
    assert questions and all(q in text for q in questions if "$" not in q)
    objectives = header_items(lesson, "**Learning objectives.**")
    plain = [o for o in objectives if "$" not in o]
    assert plain and all(o in text for o in plain)
    time = re.search(r"\*\*Time:\*\*(.+)", source(lesson).cells[0].source).group(1)
    assert words(time) in text


@pytest.mark.parametrize("lesson", LESSONS)
def test_references_come_from_each_lesson(built_site, lesson):
    text = words(soup(built_site, "references").get_text())
    cell = next(c.source for c in source(lesson).cells if c.source.startswith("## References"))
    entries = re.findall(r"^\d+\.\s+(.+)$", cell, re.M)
    assert entries
    for entry in entries:
        assert re.sub(r"[*_`]", "", entry)[:40] in text


def test_glossary_has_the_terms_and_lessons_link_to_it(built_site):
    glossary = soup(built_site, "glossary")
    names = [words(h.get_text()).rstrip("#") for h in glossary.find("article").find_all("h2")]
    for term in REQUIRED_TERMS:
        assert any(term.lower() in n.lower() for n in names), f"glossary lacks {term}"
    ids = {tag["id"] for tag in glossary.find_all(id=True)}
    linked = {}
    for lesson in LESSONS:
        links = soup(built_site, lesson).select("a.glossary-term")
        assert links, f"{lesson} links no glossary term"
        for a in links:
            target = a["href"].split("#")[1]
            assert a["href"].startswith("glossary.html#") and target in ids, a
            linked[target] = a.get_text()
    assert {"carry-across", "ev", "holm", "mfds"} <= set(linked)


def test_a_widget_shows_its_static_figure_and_a_sentence():
    """A real ``interact`` run by nbclient (as ``exocourse execute`` runs lessons): the page
    shows no widget, but a sentence and the figure its Output widget held, with alt text."""
    from nbclient import NotebookClient

    draw = (
        "import matplotlib\n"
        "import matplotlib.pyplot as plt\n"
        "from ipywidgets import interact\n"
        "from exocourse.plots import show\n\n"
        "def draw(n=3):\n"
        "    fig, ax = plt.subplots()\n"
        "    ax.plot(range(n))\n"
        "    show(fig, alt='A rising line of n points.')\n\n"
        "interact(draw, n=(1, 9));"
    )
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Lesson 9 — X\n\n**Time:** 1 minutes."),
            nbformat.v4.new_code_cell(draw),
            nbformat.v4.new_markdown_cell("*What the figure shows:* a rising line. More."),
        ]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    assert pages.WIDGET in nb.cells[1].outputs[0]["data"]  # a widget, as in JupyterLab
    page = pages.lesson_page(nb, nb, "09-x", "bar")
    (code,) = [c for c in page.cells if c.cell_type == "code"]
    html = [o["data"]["text/html"] for o in code.outputs]
    assert len(html) == 2 and "kernel" in html[0]
    assert html[1].startswith('<img src="data:image/png;base64,')
    assert html[1].endswith('alt="A rising line of n points." />')
    assert not any("widget" in k for o in code.outputs for k in o.get("data", {}))
    assert "widgets" not in page.metadata


def test_the_command_line_takes_an_out_folder_and_a_hub():
    args = parser().parse_args(["site", "--out", "public", "--hub-url", "https://hub.example"])
    assert args.func.__name__ == "_cmd_site"
    assert (str(args.out), args.hub_url) == ("public", "https://hub.example")


def test_the_build_never_deletes_a_folder_that_is_not_a_site(tmp_path):
    keep = tmp_path / "notes.txt"
    keep.write_text("mine")
    with pytest.raises(CourseError, match="not a site built before"):
        build_site(ROOT, tmp_path)
    with pytest.raises(CourseError, match="not a site built before"):
        build_site(ROOT, ROOT)
    assert keep.read_text() == "mine"


def test_a_figure_without_alt_text_stops_the_build_and_says_how_to_fix_it():
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    cell = nbformat.v4.new_code_cell("plt.show()")
    cell.outputs = [nbformat.v4.new_output("display_data", {"image/png": png, "text/plain": "x"})]
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# Lesson 9 — X\n\n**Time:** 1 minutes."), cell]
    )
    with pytest.raises(CourseError, match=r"no alt text.*plots\.show\(fig, alt=\.\.\.\)"):
        pages.lesson_page(nb, nb, "09-x", "bar")
