"""A progress bar on stderr without extra dependencies.

On a terminal it redraws one line (``[#####-----] 20/40 ...``) and prints a line per
finished item above it; in a log (CI, a file) it prints one plain line per item.

>>> import io
>>> out = io.StringIO()
>>> bar = Progress(2, stream=out)
>>> bar.advance("ada: 3/4")
>>> bar.advance("bob: 4/4")
>>> print(out.getvalue().strip())
[1/2] ada: 3/4
[2/2] bob: 4/4
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Count ``total`` items as they finish, with an estimate of the time left."""

    def __init__(self, total: int, stream: TextIO | None = None, width: int = 30) -> None:
        self.total, self.done, self.width = total, 0, width
        self.stream = stream if stream is not None else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        if self.tty and total:
            self._draw()

    def advance(self, line: str = "") -> None:
        """Count one finished item and show ``line`` about it."""
        self.done += 1
        if self.tty:
            self.stream.write("\r\x1b[K" + (line + "\n" if line else ""))
            self._draw()
        else:
            self.stream.write(f"[{self.done}/{self.total}] {line}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.total:
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self) -> None:
        filled = self.width * self.done // max(self.total, 1)
        elapsed = time.monotonic() - self.started
        eta = ""
        if 0 < self.done < self.total:
            left = elapsed / self.done * (self.total - self.done)
            eta = f", about {int(left) // 60}:{int(left) % 60:02d} left"
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} graded{eta}")
        self.stream.flush()
