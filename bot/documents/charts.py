"""Bar charts as PNG pictures: one panel per question (or any counted thing), its title
above, a horizontal bar per label, the count at the bar's end."""

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

TITLE_WRAP = 72  # characters per line of a panel's title: the picture's width at 10 pt
LABEL_WRAP = 30  # characters per line of a bar's label


@dataclass(frozen=True)
class BarPanel:
    """One panel: a title (wrapped to the picture's width here) and a count per label."""

    title: str
    labels: Sequence[str]
    counts: Sequence[int]


@cache
def _glyphs() -> frozenset[int]:
    """The characters the chart's font can draw (others, such as emoji, are left out)."""
    # matplotlib is imported on first use, not at start-up (it takes a while to load)
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties())
    return frozenset(FT2Font(path).get_charmap())


def _plain(text: str) -> str:
    glyphs = _glyphs()
    kept = "".join(c for c in text if c == "\n" or ord(c) in glyphs)
    kept = "\n".join(" ".join(line.split()) for line in kept.split("\n"))
    return kept.replace("$", r"\$")  # a dollar sign would start matplotlib's math mode


def bar_chart(panels: Sequence[BarPanel]) -> bytes:
    """Horizontal bars, one sub-figure per panel, counts at the bars' ends: a PNG.

    It takes a moment of CPU: call it off the event loop (the Figure API is thread-safe)."""
    # matplotlib is imported on first use, not at start-up (it takes a while to load)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    laid_out = []
    for panel in panels:
        title = textwrap.fill(panel.title, TITLE_WRAP)
        labels = [textwrap.fill(label, LABEL_WRAP) for label in panel.labels]
        lines = sum(label.count("\n") + 1 for label in labels)
        height = 0.3 * max(lines, len(labels)) + 0.35 * (title.count("\n") + 1) + 0.6
        laid_out.append((title, labels, list(panel.counts), height))
    figure = Figure(figsize=(8, sum(p[3] for p in laid_out) + 0.3), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    # One sub-figure per panel: its title starts at the picture's left edge and has the
    # whole width, not only the part right of the bars' labels (where it was cut off).
    parts = figure.subfigures(
        len(laid_out), 1, squeeze=False, height_ratios=[p[3] for p in laid_out]
    )
    for part, (title, labels, counts, _) in zip(parts[:, 0], laid_out, strict=True):
        part.suptitle(_plain(title), x=0.01, ha="left", fontsize=10)
        ax = part.subplots()
        positions = list(range(len(labels)))
        bars = ax.barh(positions, counts, color="#4c72b0")
        ax.set_yticks(positions, labels=[_plain(label) for label in labels], fontsize=9)
        ax.invert_yaxis()
        ax.bar_label(bars, padding=3, fontsize=9)
        ax.set_xlim(0, max([*counts, 1]) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="x", labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
