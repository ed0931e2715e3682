"""Where a lesson page sends a reader: the notebook download, Binder and a JupyterHub.

All of them come from the one repository address in ``pyproject.toml``, as the README's
Binder badges do.

>>> links = Links("https://github.com/owner/course")
>>> links.binder("01-x")
'https://mybinder.org/v2/gh/owner/course/HEAD?urlpath=lab/tree/lessons/01-x/01-x.ipynb'
>>> Links("https://github.com/owner/course", "https://hub.example.org").hub("01-x")[:57]
'https://hub.example.org/hub/user-redirect/git-pull?repo=h'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import quote, urlencode


@dataclass(frozen=True)
class Links:
    """Links built from ``repository`` (and, if given, the JupyterHub at ``hub_url``)."""

    repository: str
    hub_url: str | None = None

    @staticmethod
    def notebook_path(lesson: str) -> str:
        return f"lessons/{lesson}/{lesson}.ipynb"

    def download(self, lesson: str) -> str:
        """The student notebook's address inside the site."""
        return f"notebooks/{lesson}.ipynb"

    def binder(self, lesson: str) -> str:
        """A mybinder.org launch of the student notebook in JupyterLab."""
        if self.repository.startswith("https://github.com/"):
            spec = "gh/" + self.repository.removeprefix("https://github.com/")
        else:
            spec = "git/" + quote(self.repository, safe="")
        return f"https://mybinder.org/v2/{spec}/HEAD?urlpath=lab/tree/{self.notebook_path(lesson)}"

    def hub(self, lesson: str) -> str | None:
        """An nbgitpuller link that copies the repository into the reader's JupyterHub home
        and opens the notebook in JupyterLab (the hub needs nbgitpuller installed)."""
        if not self.hub_url:
            return None
        folder = self.repository.rsplit("/", 1)[-1]
        query = urlencode(
            {
                "repo": self.repository,
                "urlpath": f"lab/tree/{folder}/{self.notebook_path(lesson)}",
                "branch": "main",
            }
        )
        return f"{self.hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"

    def bar(self, lesson: str) -> str:
        """The launch bar at the top of a lesson page (HTML in a Markdown cell)."""
        items = [
            (self.download(lesson), "Download the notebook (.ipynb)", " download"),
            (self.binder(lesson), "Launch in Binder", ""),
        ]
        hub = self.hub(lesson)
        if hub:
            items.append((hub, "Open in JupyterLab on your hub", ""))
        anchors = "\n".join(
            f'<a class="launch" href="{html.escape(url)}"{extra}>{text}</a>'
            for url, text, extra in items
        )
        return (
            "**Work this lesson:** the page shows it with its outputs; to do the exercises, "
            "download the student notebook or launch it, nothing to install. (A Binder session "
            "is temporary: download your notebook before you close it.)\n\n"
            f'<div class="launch-bar">\n{anchors}\n</div>'
        )
