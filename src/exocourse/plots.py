"""One figure style for every lesson: colour-blind-safe colours and readable text.

The palette is Okabe and Ito's eight colours, chosen to stay distinct for the common
forms of colour blindness. Call :func:`use_course_style` once at the top of a lesson.

>>> OKABE_ITO["blue"]
'#0072B2'
>>> use_course_style()
>>> import matplotlib as mpl
>>> mpl.rcParams["axes.labelsize"]
13.0
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
from cycler import cycler

OKABE_ITO = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

#: The order colours are used in: the strongest contrasts first.
CYCLE = ["blue", "orange", "bluish green", "vermillion", "reddish purple", "sky blue", "black"]


def use_course_style() -> None:
    """Set Matplotlib's defaults to the course style."""
    settings: dict[str, Any] = {
        "axes.prop_cycle": cycler(color=[OKABE_ITO[c] for c in CYCLE]),
        "figure.figsize": (7.0, 4.2),
        "figure.dpi": 90,
        "font.size": 12,
        "axes.titlesize": 14,
        "axes.labelsize": 13,
        "legend.fontsize": 11,
        "xtick.labelsize": 11,
        "ytick.labelsize": 11,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "lines.linewidth": 2.0,
    }
    mpl.rcParams.update(settings)
