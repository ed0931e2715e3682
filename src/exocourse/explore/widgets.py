"""The widget behind every explorer: controls in front of a function that draws a figure.

:class:`Explorer` redraws the figure whenever a control's value changes; :func:`slider` makes
the sliders the explorers share. ``ipywidgets`` is imported only when a widget is made.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.figure import Figure

from ..plots import figure_bundle


class Explorer:
    """Sliders and the figure they control; displayed, it shows as a widget.

    ``controls`` maps each keyword of ``draw`` to a widget whose ``value`` it takes;
    ``draw(**values)`` returns ``(figure, alt_text)``. Whenever a value changes the figure is
    drawn again in :attr:`output`; :attr:`shown` holds the display data last shown (the PNG
    and its alt text, or the reason nothing could be drawn), which is what a test reads.

    >>> import ipywidgets as widgets
    >>> def draw(n):
    ...     return Figure(), f"An empty figure for n = {n}."
    >>> explorer = Explorer({"n": widgets.IntSlider(value=21, min=4, max=60)}, draw)
    >>> explorer.controls["n"].value = 40
    >>> explorer.shown["text/plain"]
    'An empty figure for n = 40.'
    """

    NO_KERNEL = (
        "An interactive explorer: run the notebook with a live kernel to move its sliders. "
        "The static figure above shows such a plot for the lesson's assumptions."
    )

    def __init__(self, controls: dict[str, Any], draw: Callable[..., tuple[Figure, str]]):
        import ipywidgets as widgets

        self.controls, self.draw = controls, draw
        self.output = widgets.Output()
        self.widget = widgets.VBox([widgets.VBox(list(controls.values())), self.output])
        self.shown: dict[str, str] = {}
        for control in controls.values():
            control.observe(lambda _change: self.redraw(), names="value")
        self.redraw()

    def values(self) -> dict[str, Any]:
        """The current value of every control, by keyword."""
        return {name: control.value for name, control in self.controls.items()}

    def redraw(self) -> None:
        """Draw the figure for the current values and show it in :attr:`output`."""
        try:
            data, metadata = figure_bundle(*self.draw(**self.values()))
        except ValueError as error:  # a combination the model refuses: say why, draw nothing
            data, metadata = {"text/plain": f"Nothing to draw: {error}"}, {}
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": metadata},)
        self.shown = data

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.NO_KERNEL
        return bundle


def slider(kind: str, value: float, low: float, high: float, step: float, label: str) -> Any:
    """An integer (``kind="int"``) or float slider, redrawn only when released.

    >>> slider("int", 21, 4, 200, 1, "participants, n").value
    21
    """
    import ipywidgets as widgets

    make = widgets.IntSlider if kind == "int" else widgets.FloatSlider
    return make(
        value=value,
        min=low,
        max=high,
        step=step,
        description=label,
        continuous_update=False,
        style={"description_width": "11em"},
        layout=widgets.Layout(width="34em"),
    )
