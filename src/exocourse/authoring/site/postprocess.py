"""Finish the built HTML: link glossary terms from the lesson pages, and refuse a page that
shows a figure without alt text or a hidden test.

>>> from bs4 import BeautifulSoup
>>> soup = BeautifulSoup('<article><p>Two EVs and a <code>EV</code>.</p></article>', "html.parser")
>>> link_terms(soup)
1
>>> str(soup.p.a["href"]), soup.p.a.text
('glossary.html#ev', 'EVs')
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

from ..course import CourseError
from .glossary import TERMS

SKIP = {"a", "code", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "summary"}
LEAKS = re.compile(r"BEGIN HIDDEN TESTS|END HIDDEN TESTS|BEGIN SOLUTION|BEGIN MARK SCHEME")


def _linkable(text: NavigableString) -> bool:
    for parent in text.parents:
        if parent.name in SKIP or "math" in (parent.get("class") or []):
            return False
        if parent.name == "article":
            return True
    return False


def link_terms(soup: BeautifulSoup) -> int:
    """Link the first use of each glossary term in the page's article; return how many."""
    article = soup.find("article")
    if article is None:
        return 0
    count = 0
    for term in TERMS:
        for text in article.find_all(string=term.pattern):
            if not _linkable(text):
                continue
            match = term.pattern.search(text)
            link = soup.new_tag("a", href=f"glossary.html#{term.anchor}", title=term.definition)
            link["class"] = "glossary-term"
            link.string = match.group(0)
            text.replace_with(
                NavigableString(text[: match.start()]),
                link,
                NavigableString(text[match.end() :]),
            )
            count += 1
            break
    return count


def check_page(soup: BeautifulSoup, where: str, lesson: bool) -> None:
    """Raise if a lesson page shows a hidden test or solution marker, or if a page has an
    image without alt text."""
    leak = LEAKS.search(soup.get_text()) if lesson else None
    if leak:
        raise CourseError(f"{where} shows {leak.group(0)!r}: nothing hidden may reach the site")
    for img in soup.find_all("img"):
        alt = (img.get("alt") or "").strip()
        if len(alt.split()) < 3 or re.search(r"\.(png|svg|jpe?g|gif)$", alt, re.I):
            raise CourseError(f"{where}: an image has no alt text that says what it shows")


def finish(out: Path, lessons: list[str]) -> list[Path]:
    """Post-process the built site in ``out``; return its HTML pages."""
    built = sorted(p for p in out.rglob("*.html") if "_static" not in p.parts)
    for path in built:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        check_page(soup, str(path.relative_to(out)), path.stem in lessons)
        if path.stem in lessons:
            link_terms(soup)
            path.write_text(str(soup), encoding="utf-8")
    return built
