"""Interactive exploration: pure functions compute and draw, thin widget wrappers put controls
in front of them (``ipywidgets``). Without a live kernel a widget shows nothing; each lesson
shows a static figure drawn by the same functions.

* :mod:`.designs` (Lesson 2): the exact power of three designs, :func:`power_explorer`;
* :mod:`.intervals` (Lesson 2): the dance of the confidence intervals, :func:`dance_explorer`;
* :mod:`.protocols` (Lesson 5): a protocol's estimates under each truth,
  :func:`protocol_explorer`;
* :mod:`.widgets`: the :class:`Explorer` they share.

>>> from exocourse import explore
>>> explore.power_table(21, effect=-4, sd=8.5, rho=0.0)["n_for_target"].tolist()
[73, 144, 73]
"""

from .designs import COMPARATORS, power_alt, power_explorer, power_figure, power_table
from .intervals import dance_alt, dance_explorer, dance_figure, dance_summary, simulate_intervals
from .protocols import (
    protocol_alt,
    protocol_explorer,
    protocol_figure,
    protocol_summary,
    true_contrast,
)
from .widgets import Explorer

__all__ = [
    "COMPARATORS",
    "Explorer",
    "dance_alt",
    "dance_explorer",
    "dance_figure",
    "dance_summary",
    "power_alt",
    "power_explorer",
    "power_figure",
    "power_table",
    "protocol_alt",
    "protocol_explorer",
    "protocol_figure",
    "protocol_summary",
    "simulate_intervals",
    "true_contrast",
]
