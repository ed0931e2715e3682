"""One figure style for every lesson: colour-blind-safe colours and readable text.

The palette is Okabe and Ito's eight colours, chosen to stay distinct for the common
forms of colour blindness. Call :func:`use_course_style` once at the top of a lesson, and
show each figure with :func:`show`, which gives it alt text for readers who cannot see it.

>>> OKABE_ITO["blue"]
'#0072B2'
>>> use_course_style()
>>> import matplotlib as mpl
>>> mpl.rcParams["axes.labelsize"]
13.0
"""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib.figure import Figure

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


def figure_bundle(fig: Figure, alt: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """The display data and metadata of ``fig`` as a PNG that carries ``alt`` as its alt text.

    The alt text is also the plain-text form, so a reader without images (a terminal, a
    screen reader on a text view) gets the description rather than ``<Figure size ...>``.

    >>> fig = Figure()
    >>> data, metadata = figure_bundle(fig, "An empty figure.")
    >>> sorted(data), data["text/plain"], metadata["image/png"]["alt"]
    (['image/png', 'text/plain'], 'An empty figure.', 'An empty figure.')
    >>> figure_bundle(fig, "  ")
    Traceback (most recent call last):
    ...
    ValueError: alt text must say what the figure shows, in words (got '  ')
    """
    text = alt.strip() if isinstance(alt, str) else ""
    if len(text.split()) < 3 or text.lower().endswith((".png", ".svg", ".jpg")):
        raise ValueError(f"alt text must say what the figure shows, in words (got {alt!r})")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {"image/png": png, "text/plain": text}, {"image/png": {"alt": text}}


def show(fig: Figure, alt: str) -> None:
    """Display ``fig`` in the notebook with alt text ``alt``, then close it.

    Use it in place of ``plt.show()``; ``alt`` is the lesson's "What the figure shows"
    sentence, or a shorter form of it. The alt text is stored in the output's metadata
    (``metadata["image/png"]["alt"]``), where nbconvert and the course website read it.
    """
    import matplotlib.pyplot as plt
    from IPython.display import display

    data, metadata = figure_bundle(fig, alt)
    display(data, metadata=metadata, raw=True)
    plt.close(fig)
