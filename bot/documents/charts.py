"""Charts as PNG pictures: one panel per question (or any counted thing), its title above,
then horizontal bars (a count per label), vertical columns (a count per week, say) or a
line. `draw_panel` draws a panel onto any matplotlib Axes, so the PDF reports draw the same
panels as vector graphics."""

import io
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

TITLE_WRAP = 72  # characters per line of a panel's title: the picture's width at 10 pt
LABEL_WRAP = 30  # characters per line of a bar's label
COLOR = "#4c72b0"
TICK_SIZE = 8  # points, the axes' tick labels
COLUMN_LABELS_UP_TO = 16  # more columns than this and their counts would crowd each other


@dataclass(frozen=True)
class BarPanel:
    """One panel: a title (wrapped to the picture's width here) and a count per label,
    drawn as horizontal bars."""

    title: str
    labels: Sequence[str]
    counts: Sequence[int]


@dataclass(frozen=True)
class ColumnPanel:
    """A count per label as vertical columns, for a series in time ("01.09", "08.09", …)."""

    title: str
    labels: Sequence[str]
    counts: Sequence[int]


@dataclass(frozen=True)
class LinePanel:
    """A value per label joined by a line."""

    title: str
    labels: Sequence[str]
    values: Sequence[float]


Panel = BarPanel | ColumnPanel | LinePanel


@cache
def _glyphs() -> frozenset[int]:
    """The characters the chart's font can draw (others, such as emoji, are left out)."""
    # matplotlib is imported on first use, not at start-up (it takes a while to load)
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(FT2Font(path).get_charmap())


def _drawable(text: str) -> str:
    """The text without the characters the font lacks (emoji) and with its spaces tidied."""
    glyphs = _glyphs()
    kept = "".join(c for c in text if c == "\n" or ord(c) in glyphs)
    return "\n".join(" ".join(line.split()) for line in kept.split("\n"))


def _plain(text: str) -> str:
    return _drawable(text).replace("$", r"\$")  # a dollar sign would start matplotlib's math mode


def panel_height(panel: Panel) -> float:
    """A sensible height in inches of the panel's drawing, without its title."""
    if isinstance(panel, BarPanel):
        labels = [textwrap.fill(label, LABEL_WRAP) for label in panel.labels]
        lines = sum(label.count("\n") + 1 for label in labels)
        return 0.3 * max(lines, len(labels), 1) + 0.25
    return 2.4


def draw_panel(ax: "Axes", panel: Panel) -> None:
    """The panel's bars, columns or line on `ax`; the title is the caller's, so that it
    can span the whole width rather than only the part right of the labels."""
    if isinstance(panel, BarPanel):
        _draw_bars(ax, panel)
    elif isinstance(panel, ColumnPanel):
        _draw_columns(ax, panel)
    else:
        _draw_line(ax, panel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=TICK_SIZE)


def _draw_bars(ax: "Axes", panel: BarPanel) -> None:
    from matplotlib.ticker import MaxNLocator

    labels = [_plain(textwrap.fill(label, LABEL_WRAP)) for label in panel.labels]
    counts = list(panel.counts)
    positions = list(range(len(labels)))
    bars = ax.barh(positions, counts, color=COLOR)
    ax.set_yticks(positions, labels=labels, fontsize=9)
    ax.invert_yaxis()
    ax.bar_label(bars, padding=3, fontsize=9)
    ax.set_xlim(0, max([*counts, 1]) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _draw_columns(ax: "Axes", panel: ColumnPanel) -> None:
    from matplotlib.ticker import MaxNLocator

    counts = list(panel.counts)
    positions = list(range(len(counts)))
    bars = ax.bar(positions, counts, color=COLOR, width=0.7)
    if len(counts) <= COLUMN_LABELS_UP_TO:
        ax.bar_label(bars, padding=2, fontsize=TICK_SIZE)
    ax.set_ylim(0, max([*counts, 1]) * 1.15)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    _category_ticks(ax, panel.labels)


def _draw_line(ax: "Axes", panel: LinePanel) -> None:
    from matplotlib.ticker import MaxNLocator

    values = list(panel.values)
    ax.plot(range(len(values)), values, color=COLOR, marker="o", markersize=3)
    ax.set_ylim(min([*values, 0]), max([*values, 1]) * 1.15)
    ax.grid(axis="y", linewidth=0.4, alpha=0.5)
    if all(float(value).is_integer() for value in values):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # no "2.5" between counts
    _category_ticks(ax, panel.labels)


def _category_ticks(ax: "Axes", labels: Sequence[str]) -> None:
    """Every label when they fit side by side, else every second, third…: never overlapping."""
    if not labels:
        ax.set_xticks([])
        return
    # The axes' width before the layout shrinks it for the value labels: 85% of it is safe.
    width = ax.get_window_extent().width / ax.figure.dpi * 0.85
    longest = max(len(label) for label in labels)
    label_width = (longest * 0.62 * TICK_SIZE + 8) / 72  # inches, a digit's width plus a gap
    fitting = max(1, math.floor(width / label_width))
    step = math.ceil(len(labels) / fitting)
    positions = list(range(0, len(labels), step))
    ax.set_xticks(positions, labels=[_plain(labels[i]) for i in positions])
    ax.set_xlim(-0.6, len(labels) - 0.4)


def bar_chart(panels: Sequence[BarPanel]) -> bytes:
    """Horizontal bars, one sub-figure per panel, counts at the bars' ends: a PNG."""
    return charts_png(panels)


def charts_png(panels: Sequence[Panel]) -> bytes:
    """One sub-figure per panel (bars, columns or a line, mixed as they come): a PNG.

    It takes a moment of CPU: call it off the event loop (the Figure API is thread-safe)."""
    # matplotlib is imported on first use, not at start-up (it takes a while to load)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    titles = [textwrap.fill(panel.title, TITLE_WRAP) for panel in panels]
    heights = [
        panel_height(panel) + 0.35 * (title.count("\n") + 1) + 0.35
        for panel, title in zip(panels, titles, strict=True)
    ]
    figure = Figure(figsize=(8, sum(heights) + 0.3), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    # One sub-figure per panel: its title starts at the picture's left edge and has the
    # whole width, not only the part right of the bars' labels (where it was cut off).
    parts = figure.subfigures(len(panels), 1, squeeze=False, height_ratios=heights)
    for part, panel, title in zip(parts[:, 0], panels, titles, strict=True):
        part.suptitle(_plain(title), x=0.01, ha="left", fontsize=10)
        draw_panel(part.subplots(), panel)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
