"""The course website in a real browser: served on loopback as a reader would meet it.

The site is built once (``built_site``), served from a private HTTP server on 127.0.0.1, and
Chromium (driven by Playwright, as in ``test_browser.py``) opens every page. Each page must
load with no console error, no failed request and no request to any other host; the search
must find "carry-across"; a "Show solution" toggle must open; the download link must return
a valid notebook; a newcomer must reach a lesson's launch link from the home page. Screenshots
of the home page and one lesson land in ``test-artifacts/screenshots/site/``.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import nbformat
import pytest
from conftest import LESSONS, ROOT
from test_browser import CHROMIUM, CHROMIUM_FLAGS, require_chromium

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots" / "site"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="module")
def server(built_site) -> Iterator[str]:
    """The built site on http://127.0.0.1:PORT/ (a free port), for this module."""
    require_chromium()
    handler = functools.partial(QuietHandler, directory=str(built_site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(server, tmp_path_factory) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-site-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()


class Reader:
    """One tab, recording what went wrong while pages load."""

    def __init__(self, page, base: str):
        self.page, self.base, self.problems = page, base, []
        page.on(
            "console",
            lambda m: (
                m.type == "error"
                and self.problems.append(f"console: {m.text} ({m.location.get('url')})")
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        page.on(
            "response",
            lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"),
        )
        page.on(
            "request",
            lambda r: (
                r.url.startswith((base, "data:", "blob:", "about:"))
                or self.problems.append(f"another host: {r.url}")
            ),
        )

    def open(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="networkidle")
        # MathJax typesets after load, on pages with mathematics: wait until it is done.
        self.page.wait_for_function(
            """() => ![...document.scripts].some(s => s.src.includes('MathJax.js'))
              || (window.MathJax && MathJax.isReady && MathJax.Hub.queue.pending === 0
                  && !MathJax.Hub.queue.running)"""
        )

    def screenshot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=False)
        return path


@pytest.fixture
def reader(browser, server) -> Iterator[Reader]:
    page = browser.new_page()
    page.set_default_timeout(60_000)
    try:
        yield Reader(page, server)
    finally:
        page.close()


def pages_of(site: Path) -> list[str]:
    return sorted(
        str(p.relative_to(site)) for p in site.rglob("*.html") if "_static" not in p.parts
    )


def test_every_page_loads_cleanly_and_from_this_host_only(built_site, reader):
    names = pages_of(built_site)
    assert {f"{lesson}.html" for lesson in LESSONS} <= set(names)
    for name in names:
        reader.open(name)
        assert reader.page.title(), f"{name} has no title"
    assert not reader.problems, "\n".join(reader.problems)


def test_home_page_and_a_lesson_look_right(reader):
    reader.open("index.html")
    home = reader.screenshot("home")
    reader.open(f"{LESSONS[0]}.html")
    math = reader.page.locator(".MathJax, .MathJax_CHTML, mjx-container").count()
    lesson = reader.screenshot("lesson-1")
    assert home.stat().st_size > 10_000 and lesson.stat().st_size > 10_000
    if "$" in (ROOT / "solutions" / LESSONS[0] / f"{LESSONS[0]}.ipynb").read_text():
        assert math > 0, "MathJax did not typeset the lesson's mathematics"
    assert not reader.problems, "\n".join(reader.problems)


def test_search_finds_carry_across(reader):
    reader.open("search.html?q=carry-across")
    results = reader.page.locator("#search-results ul.search li a")
    results.first.wait_for()
    found = {
        results.nth(i).get_attribute("href").split("?")[0].split("#")[0]
        for i in range(results.count())
    }
    assert "glossary.html" in found and any(f"{lesson}.html" in found for lesson in LESSONS), found
    assert not reader.problems, "\n".join(reader.problems)


def test_solution_toggle_opens(reader):
    reader.open(f"{LESSONS[0]}.html")
    toggle = reader.page.locator("details.solution").first
    code = toggle.locator("pre").first
    assert toggle.get_attribute("open") is None and not code.is_visible()
    toggle.locator("summary").click()
    assert toggle.get_attribute("open") is not None
    code.wait_for(state="visible")
    assert "NotImplementedError" not in code.inner_text()
    assert not reader.problems, "\n".join(reader.problems)


def test_download_link_returns_the_valid_student_notebook(reader):
    lesson = LESSONS[0]
    reader.open(f"{lesson}.html")
    link = reader.page.locator(".launch-bar a[download]")
    with reader.page.expect_download() as download:
        link.click()
    saved = Path(download.value.path())
    nb = nbformat.reads(saved.read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(nb)
    assert saved.read_bytes() == (ROOT / "lessons" / lesson / f"{lesson}.ipynb").read_bytes()
    assert "NotImplementedError" in json.dumps(nb)  # the student's version, not the source


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_newcomer_reaches_the_launch_link_in_two_clicks(reader, lesson):
    reader.open("index.html")
    reader.page.locator(f"article a[href='{lesson}.html']").first.click()  # click 1
    reader.page.wait_for_url(f"**/{lesson}.html")
    binder = reader.page.locator(".launch-bar a", has_text="Binder")
    href = binder.get_attribute("href")
    assert href.startswith("https://mybinder.org/v2/gh/") and f"lessons/{lesson}/" in href
    assert binder.is_visible()  # click 2 launches it (not followed: no network here)


@pytest.mark.parametrize("page", [f"{LESSONS[0]}.html", f"{LESSONS[-1]}.html", "index.html"])
def test_links_in_the_text_are_told_apart_by_more_than_colour(reader, page):
    """A link inside the page's text is underlined (solid or dotted), so a reader who cannot
    tell its colour from the text's still sees it; buttons of the launch bar look like buttons."""
    reader.open(page)
    links, plain = reader.page.evaluate(
        """() => {
             const links = [...document.querySelectorAll('article p a, article li a, article td a')]
               .filter(a => a.offsetParent !== null && !a.closest('.launch-bar'));
             const plain = links
               .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline')
                            && getComputedStyle(a).borderBottomStyle === 'none')
               .map(a => a.outerHTML.slice(0, 120));
             return [links.length, plain];
           }"""
    )
    assert links > 0, f"{page}: no link in the text was found to check"
    assert plain == [], f"{page}: links shown by colour alone: {plain[:5]}"
