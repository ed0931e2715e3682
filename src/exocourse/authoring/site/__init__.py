"""The course website (``exocourse site``): build it with :func:`build_site`.

Modules: ``build`` (the Sphinx project and the build), ``pages`` (a lesson as a page, its
header and references), ``links`` (download, Binder and hub links), ``glossary`` (the terms),
``postprocess`` (glossary links and the checks on the built HTML).
"""

from .build import SiteReport, build_site

__all__ = ["SiteReport", "build_site"]
