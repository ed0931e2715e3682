"""Build the course website: write its pages into a Sphinx project and build that offline.

Sphinx with MyST-NB renders the pages (notebooks are never executed: their outputs are the
ones the executed sources saved); the sphinx-book-theme styles them; MathJax 2 comes from the
``jupyter-server-mathjax`` package and is copied into the site, so the site loads nothing from
another host. See :func:`build_site`.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import nbformat

from ..course import CourseError, lessons
from . import pages, postprocess
from .glossary import glossary_markdown
from .links import Links

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

SITE_PAGES = ["syllabus", "glossary", "references", "datasets", "instructor-guide"]
CSS = """
.launch-bar { display: flex; flex-wrap: wrap; gap: 0.6rem; margin: 1rem 0; }
.launch-bar a { border: 2px solid currentColor; border-radius: 0.4rem; padding: 0.3rem 0.8rem;
  font-weight: 600; text-decoration: none; }
.launch-bar a:hover, .launch-bar a:focus { text-decoration: underline; }
details.solution { border-left: 4px solid #0072B2; padding: 0.2rem 0.8rem; margin: 1rem 0; }
details.solution > summary { cursor: pointer; font-weight: 600; }
a.glossary-term { text-decoration: underline dotted; }
"""
# A browser asks for an icon; without one it logs a 404 on every page.
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16">'
    '<circle cx="8" cy="8" r="7" fill="#0072B2"/></svg>'
)


@dataclass
class SiteReport:
    """What :func:`build_site` built."""

    out: Path
    pages: list[Path]
    seconds: float
    warnings: str


def repository_url(root: Path) -> str:
    """The course's public repository, from ``[project.urls] Repository`` in pyproject.toml."""
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    try:
        return project["urls"]["Repository"].rstrip("/")
    except KeyError as exc:
        raise CourseError("pyproject.toml has no [project.urls] Repository") from exc


def _conf(repository: str) -> str:
    return f"""project = "Exosomes on Trial"
author = "The Exosomes on Trial authors"
copyright = "the authors; code MIT, lesson text and data CC BY 4.0"
extensions = ["myst_nb"]
exclude_patterns = ["_build", "_extra", "_static"]
nb_execution_mode = "off"
smartquotes = False  # the text as the lessons write it
nb_output_stderr = "show"
myst_enable_extensions = ["dollarmath", "amsmath", "deflist"]
myst_heading_anchors = 3
html_theme = "sphinx_book_theme"
html_title = "Exosomes on Trial"
html_static_path = ["_static"]
html_extra_path = ["_extra"]
html_css_files = ["course.css"]
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
# The packaged MathJax 2 ships the STIX-Web fonts only (as Jupyter's classic notebook used it).
mathjax2_config = {{
    "messageStyle": "none",
    "HTML-CSS": {{
        "availableFonts": [],
        "imageFont": None,
        "webFont": "STIX-Web",
        # MathJax's own blank probe font is url('about:blank'), which Chromium refuses with a
        # console error on every page; a local() name that matches nothing requests nothing.
        "styles": {{
            "@font-face": {{"font-family": "MathJax_Blank", "src": "local('MathJax_Blank')"}}
        }},
    }},
    "tex2jax": {{
        "inlineMath": [["\\\\(", "\\\\)"]],
        "displayMath": [["\\\\[", "\\\\]"]],
        "processEscapes": True,
        "ignoreClass": "document",
        "processClass": "math|output_area",
    }},
}}
html_context = {{"default_mode": "light"}}
html_theme_options = {{
    "repository_url": {repository!r},
    "use_repository_button": True,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "launch_buttons": {{}},
    "home_page_in_toc": True,
}}
"""


def _index(headers: dict[str, pages.Header], links: Links) -> str:
    total = sum(h.minutes for h in headers.values())
    prerequisites = headers[next(iter(headers))].prerequisites
    rows = "\n".join(
        f"| [{h.title}]({name}.ipynb) | about {h.minutes} minutes | "
        f"[launch in Binder]({links.binder(name)}) |"
        for name, h in headers.items()
    )
    toc = "\n".join([*headers, *SITE_PAGES])
    return f"""# Exosomes on Trial

A news piece claims that a cream of stem-cell "exosomes" cut melanin in a split-face trial.
This open course teaches you to judge claims like that: the biology of extracellular vesicles,
the statistics of within-person trials, the published record behind the story, and the product
labels that sell it.

## Who it is for

Self-study learners and classes who want to weigh the evidence behind a health or beauty
claim. What you need to start (Lesson 1's prerequisites): {prerequisites}

## How long it takes

{len(headers)} lessons, about {total} minutes in all (some {round(total / 60)} hours): each lesson
gives its own time in the [syllabus](syllabus.md).

## How to start

Read a lesson here, with its figures and outputs; then work it: **launch it in Binder**
(nothing to install; a Binder session is temporary, so download your notebook before you close
it) or **download the notebook** from the top of its page and open it in JupyterLab. Each
exercise has a test cell that tells you whether your answer works; model answers are folded
under "Show solution".

| lesson | time | work it |
|---|---|---|
{rows}

Also here: the [glossary](glossary.md), every lesson's [references](references.md), the
[datasets](datasets.md) (all synthetic or fictional) and the
[instructor guide](instructor-guide.md).

```{{toctree}}
:hidden:
{toc}
```
"""


def _syllabus(headers: dict[str, pages.Header]) -> str:
    parts = [
        "# Syllabus",
        "",
        "Each lesson's questions, objectives, time and prerequisites, as its first cell states",
        "them.",
    ]
    for name, h in headers.items():
        parts += ["", f"## [{h.title}]({name}.ipynb)", "", "### Questions", ""]
        parts += [f"- {q}" for q in h.questions]
        parts += ["", "### Learning objectives", ""]
        parts += [f"{i}. {o}" for i, o in enumerate(h.objectives, start=1)]
        parts += ["", f"**Time:** {h.time}", "", f"**Prerequisites:** {h.prerequisites}"]
    return "\n".join(parts) + "\n"


def _references(headers: dict[str, pages.Header], refs: dict[str, str]) -> str:
    parts = ["# References", "", "Every lesson's reference list, as the lesson gives it."]
    for name, h in headers.items():
        parts += ["", f"## [{h.title}]({name}.ipynb)", "", refs[name]]
    return "\n".join(parts) + "\n"


def _copy_mathjax(static: Path) -> None:
    source = resources.files("jupyter_server_mathjax") / "static"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, static / "mathjax")


def write_sources(root: Path, src: Path, hub_url: str | None = None) -> list[str]:
    """Write the Sphinx project of the site into ``src``; return the lesson names."""
    names = lessons(root)
    if not names:
        raise CourseError(f"no lessons in {root / 'solutions'}")
    links = Links(repository_url(root), hub_url)
    headers, refs = {}, {}
    extra = src / "_extra"
    (extra / "notebooks").mkdir(parents=True)
    (extra / ".nojekyll").write_text("")  # GitHub Pages: serve _static/ as it is
    for name in names:
        source = nbformat.read(root / "solutions" / name / f"{name}.ipynb", as_version=4)
        student_path = root / "lessons" / name / f"{name}.ipynb"
        if not student_path.is_file():
            raise CourseError(f"{student_path} is missing: run `exocourse release {name}`")
        student = nbformat.read(student_path, as_version=4)
        headers[name] = pages.read_header(source.cells[0].source)
        refs[name] = pages.references(source)
        page = pages.lesson_page(source, student, name, links.bar(name))
        nbformat.write(page, src / f"{name}.ipynb")
        shutil.copyfile(student_path, extra / "notebooks" / f"{name}.ipynb")
    (src / "index.md").write_text(_index(headers, links), encoding="utf-8")
    (src / "syllabus.md").write_text(_syllabus(headers), encoding="utf-8")
    (src / "references.md").write_text(_references(headers, refs), encoding="utf-8")
    (src / "glossary.md").write_text(glossary_markdown(), encoding="utf-8")
    shutil.copyfile(root / "docs" / "instructor-guide.md", src / "instructor-guide.md")
    shutil.copyfile(root / "datasets" / "README.md", src / "datasets.md")
    (src / "conf.py").write_text(_conf(links.repository), encoding="utf-8")
    static = src / "_static"
    static.mkdir()
    (static / "course.css").write_text(CSS, encoding="utf-8")
    (static / "favicon.svg").write_text(FAVICON, encoding="utf-8")
    _copy_mathjax(static)
    return names


def build_site(root: Path, out: Path, hub_url: str | None = None) -> SiteReport:
    """Build the course website from ``root`` into ``out`` (replaced if it exists).

    >>> from exocourse.authoring.course import find_root
    >>> callable(build_site) and repository_url(find_root()).startswith("https://")
    True
    """
    from sphinx.application import Sphinx

    start = time.perf_counter()
    out = Path(out).resolve()
    protected = (root.resolve(), *root.resolve().parents)
    if out.exists() and any(out.iterdir()):
        if not (out / "searchindex.js").is_file() or out in protected:
            raise CourseError(
                f"{out} is not empty and not a site built before: give --out a new or empty folder"
            )
        shutil.rmtree(out)  # a site built before: replaced whole
    warnings = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="exocourse-site-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        names = write_sources(root, src, hub_url)
        app = Sphinx(
            str(src),
            str(src),
            str(out),
            str(Path(tmp) / "doctrees"),
            "html",
            status=io.StringIO(),
            warning=warnings,
            freshenv=True,
        )
        app.build()
        if app.statuscode:
            raise CourseError(f"the site did not build:\n{warnings.getvalue()}")
    built = postprocess.finish(out, names)
    return SiteReport(out, built, time.perf_counter() - start, warnings.getvalue())
