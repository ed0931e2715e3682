"""One accessible figure style for every lesson (exocourse.plots), and lessons that use it.

The style is checked by drawing with it; the lessons are checked by reading their source
notebooks (nbval already runs them): the setup cell switches the style on, and every cell
that saved a figure labels both axes, keeps its text at a readable size, takes its colours
from the palette and is followed by a sentence saying what the figure shows. An axis of named
categories (tick labels such as "placebo cheek", "product cheek") counts as labelled.
"""

from __future__ import annotations

import ast
import base64
import re

import matplotlib as mpl
import nbformat
import pytest
from conftest import LESSONS, ROOT
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from exocourse.plots import CYCLE, OKABE_ITO, use_course_style

# Okabe & Ito (2008), "Color Universal Design": the eight colours as published, in 0-255 RGB.
PUBLISHED = {
    "black": (0, 0, 0),
    "orange": (230, 159, 0),
    "sky blue": (86, 180, 233),
    "bluish green": (0, 158, 115),
    "yellow": (240, 228, 66),
    "blue": (0, 114, 178),
    "vermillion": (213, 94, 0),
    "reddish purple": (204, 121, 167),
}
SMALLEST_READABLE_PT = 11
X_LABELS = {"set_xlabel", "xlabel", "supxlabel"}
Y_LABELS = {"set_ylabel", "ylabel", "supylabel"}
FONT_KEYWORDS = {"fontsize", "labelsize", "titlesize", "title_fontsize"}
COLOUR_KEYWORDS = {"color", "colors", "c", "facecolor", "edgecolor", "ecolor", "markerfacecolor"}
STYLE_OVERRIDES = re.compile(r"rcParams|\bstyle\.use\(|\brc\(|rc_context\(")


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def test_palette_is_okabe_ito_as_published():
    assert {name: mpl.colors.to_hex(c).upper() for name, c in OKABE_ITO.items()} == {
        name: "#{:02X}{:02X}{:02X}".format(*rgb) for name, rgb in PUBLISHED.items()
    }


def test_cycle_uses_only_the_palette_and_only_colours_visible_on_white():
    assert len(set(CYCLE)) == len(CYCLE) and set(CYCLE) <= set(OKABE_ITO)
    faint = {name: round(contrast_with_white(OKABE_ITO[name]), 2) for name in CYCLE}
    assert all(ratio >= 2.0 for ratio in faint.values()), faint
    assert contrast_with_white(OKABE_ITO["yellow"]) < 2.0  # which is why yellow is left out


def test_figures_drawn_in_the_course_style_use_the_palette_and_readable_text():
    with mpl.rc_context():
        use_course_style()
        fig = Figure()
        ax = fig.add_subplot()
        lines = [ax.plot([0, 1], [0, i], label=f"line {i}")[0] for i in range(len(CYCLE))]
        ax.set_xlabel("Days in storage")
        ax.set_ylabel("Fraction left")
        ax.set_title("Title")
        legend = ax.legend()
        fig.canvas.draw()  # tick labels exist only once drawn
    assert [mpl.colors.to_hex(line.get_color()).upper() for line in lines] == [
        OKABE_ITO[name] for name in CYCLE
    ]
    texts = [ax.xaxis.label, ax.yaxis.label, ax.title, *legend.get_texts()]
    texts += ax.get_xticklabels() + ax.get_yticklabels()
    sizes = {t.get_text(): t.get_fontsize() for t in texts if t.get_text()}
    assert sizes and min(sizes.values()) >= SMALLEST_READABLE_PT, sizes


def test_course_style_is_only_a_setting_and_can_be_applied_twice():
    with mpl.rc_context():
        use_course_style()
        once = dict(mpl.rcParams)
        use_course_style()
        assert dict(mpl.rcParams) == once


# --- every lesson uses the style -------------------------------------------------------------


def source(lesson: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / lesson / f"{lesson}.ipynb", as_version=4)


def figure_cells(nb: nbformat.NotebookNode) -> list[int]:
    return [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and any("image/png" in o.get("data", {}) for o in c.outputs)
    ]


def calls(code: str) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Call)]


def called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def sets_label(code: str, names: set[str], keyword: str) -> bool:
    """Does ``code`` set an axis label, as ``ax.set_xlabel("...")`` or ``xlabel="..."``?"""
    for call in calls(code):
        given = []
        if called_name(call) in names and call.args:
            given.append(call.args[0])
        given += [k.value for k in call.keywords if k.arg == keyword]
        for value in given:
            if not (isinstance(value, ast.Constant) and not str(value.value).strip()):
                return True  # a non-empty literal, or a computed label
    return False


def names_categories(code: str, axis: str) -> bool:
    """Is the ``axis`` ("x" or "y") of ``code``'s figure categorical, each position named by
    its tick label (``set_xticks(positions, names)``, ``set_xticklabels``, or the category
    axis of ``bar``/``barh``)? Such an axis needs no title."""
    bar = {"x": "bar", "y": "barh"}[axis]
    for call in calls(code):
        name = called_name(call)
        if name == f"set_{axis}ticklabels" or name == bar:
            return True
        if name in {f"set_{axis}ticks", f"{axis}ticks"} and (
            len(call.args) >= 2 or any(k.arg == "labels" for k in call.keywords)
        ):
            return True
    return False


#: Package functions that draw a whole lesson figure; their axis labels are checked where they
#: are drawn (tests/library/test_explore.py, test_explore_protocols.py), since the lesson's
#: cell only calls them.
PACKAGE_FIGURES = {"power_figure", "dance_figure", "protocol_figure"}


def drawn_by_package(code: str) -> bool:
    return any(called_name(call) in PACKAGE_FIGURES for call in calls(code))


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_switches_on_the_course_style_in_its_setup_cell(lesson):
    nb = source(lesson)
    setup = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup"]
    assert len(setup) == 1, f"{lesson}: no setup cell (grade_id 'setup')"
    code = setup[0].source
    assert "from exocourse.plots import" in code and "use_course_style" in code, (
        f"{lesson}: the setup cell should import use_course_style from exocourse.plots"
    )
    assert "use_course_style" in [called_name(c) for c in calls(code)], (
        f"{lesson}: the setup cell imports use_course_style but never calls it"
    )
    code_cells = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    overrides = STYLE_OVERRIDES.findall(code_cells)
    assert not overrides, f"{lesson}: the course style is overridden ({overrides})"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_figure_labels_its_axes_keeps_text_readable_and_uses_the_palette(lesson):
    nb = source(lesson)
    for i in figure_cells(nb):
        code = nb.cells[i].source
        first_line = code.strip().splitlines()[0]
        where = f"{lesson}: the figure of cell {i} ({first_line!r})"
        for axis, names in [("x", X_LABELS), ("y", Y_LABELS)]:
            labelled = sets_label(code, names, f"{axis}label") or names_categories(code, axis)
            assert labelled or drawn_by_package(code), (
                f"{where} has no {axis}-axis label (with units), nor named categories on it"
            )
        with mpl.rc_context():
            use_course_style()
            small = {
                f"{k.arg}={k.value.value!r}": size
                for call in calls(code)
                for k in call.keywords
                if k.arg in FONT_KEYWORDS and isinstance(k.value, ast.Constant)
                for size in [FontProperties(size=k.value.value).get_size_in_points()]
                if size < SMALLEST_READABLE_PT
            }
        assert not small, f"{where} shrinks text below {SMALLEST_READABLE_PT} pt: {small}"
        literal_colours = [
            k.value.value
            for call in calls(code)
            for k in call.keywords
            if k.arg in COLOUR_KEYWORDS
            and isinstance(k.value, ast.Constant)
            and str(k.value.value).lower() != "none"
        ]
        assert not literal_colours, (
            f"{where} names colours {literal_colours}: use OKABE_ITO[...] from exocourse.plots"
        )


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_figure_is_followed_by_what_it_shows(lesson):
    nb = source(lesson)
    for i in figure_cells(nb):
        after = nb.cells[i + 1] if i + 1 < len(nb.cells) else None
        text = after.source.strip() if after is not None and after.cell_type == "markdown" else ""
        assert text.startswith("*What the figure shows:*"), (
            f"{lesson}: the figure of cell {i} should be followed by a markdown cell starting "
            "'*What the figure shows:*'"
        )
        sentence = text.removeprefix("*What the figure shows:*").strip()
        assert len(sentence.split()) >= 8 and sentence.rstrip().endswith("."), (
            f"{lesson}: say in at least one full sentence what the figure of cell {i} shows"
        )


def test_show_displays_a_png_with_its_alt_text_and_closes_the_figure(monkeypatch):
    import matplotlib.pyplot as plt
    from IPython import display as ipython_display

    from exocourse import plots

    shown = []
    monkeypatch.setattr(ipython_display, "display", lambda *a, **k: shown.append((a, k)))
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    plots.show(fig, "A line falling from 1 to 0.")
    ((args, kwargs),) = shown
    data = args[0]
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG\r\n\x1a\n")
    assert data["text/plain"] == "A line falling from 1 to 0."
    alt = {"image/png": {"alt": "A line falling from 1 to 0."}}
    assert kwargs == {"metadata": alt, "raw": True}
    assert not plt.fignum_exists(fig.number)


@pytest.mark.parametrize("alt", ["", "   ", "figure", "Figure 1", "figure_3.png", None])
def test_show_refuses_alt_text_that_does_not_describe_the_figure(alt):
    from exocourse.plots import figure_bundle

    with pytest.raises(ValueError, match="say what the figure shows"):
        figure_bundle(Figure(), alt)


def alt_problem(alt: object) -> str | None:
    """Why ``alt`` is not usable alt text, or None if it is."""
    if not isinstance(alt, str) or len(alt.split()) < 3:
        return f"no alt text that says what it shows ({alt!r})"
    if re.search(r"\.(png|svg|jpe?g|gif)\s*$", alt, re.I) or re.fullmatch(r"[\w./-]+", alt):
        return f"a file name as alt text ({alt!r})"
    return None


@pytest.mark.parametrize("alt", [None, "", "figure 1", "fig_3.png", "plots/size-histogram.png"])
def test_alt_check_rejects_missing_and_file_name_alt_text(alt):
    assert alt_problem(alt)


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_saved_figure_carries_alt_text_in_its_metadata(lesson):
    """Each figure output stores alt text (exocourse.plots.show), for JupyterLab and the site."""
    nb = source(lesson)
    problems = [
        f"cell {i}: {problem}"
        for i in figure_cells(nb)
        for output in nb.cells[i].outputs
        if "image/png" in output.get("data", {})
        for problem in [alt_problem(output.get("metadata", {}).get("image/png", {}).get("alt"))]
        if problem
    ]
    assert not problems, (
        f"{lesson}: figures without alt text (show them with exocourse.plots.show(fig, "
        f"alt=...)): {problems}"
    )
