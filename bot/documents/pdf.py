"""PDF reports laid out like a municipal report: a cover page, then numbered sections of
paragraphs, tables and charts flowing down A4 pages, a page number in every footer but the
cover's.

It is drawn with matplotlib's PDF backend (no other dependency): text in DejaVu Sans, which
ships inside matplotlib and has Cyrillic, embedded as TrueType so the text can be searched
and copied; charts are the panels of charts.py drawn as vector graphics. Text is measured
with the font itself, so paragraphs and table cells wrap to their real widths.
"""

import io
import re
import textwrap
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.documents.charts import (
    LABEL_WRAP,
    BarPanel,
    ColumnPanel,
    LinePanel,
    Panel,
    draw_panel,
    panel_height,
)
from bot.documents.spreadsheets import CellValue, Percent, Table

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.ft2font import FT2Font

MM = 1 / 25.4  # inches
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM  # A4 portrait
LEFT, RIGHT, TOP, BOTTOM = 25 * MM, 15 * MM, 20 * MM, 20 * MM  # margins, a report's usual
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
FONT = "DejaVu Sans"
BODY_SIZE = 10.5  # points
HEADING_SIZE = 13
TABLE_SIZE = 9
LEADING = 1.35  # line height as a multiple of the font size
INDENT = 10 * MM  # a paragraph's first line
GAP = 0.14  # inches between blocks
CELL_PAD = 0.05  # inches around a cell's text
RULE = "#9a9a9a"
HEADER_FILL = "#eef1f6"
INK = "#1a1a1a"
NUMBER = re.compile(r"[+\-−]?[\d\s\u00a0.,]*\d[\d\s\u00a0.,]*%?")

# matplotlib reads the PDF font type only from its global rcParams: one PDF at a time, so
# that one render's settings are never undone by another's halfway through.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class TitlePage:
    authority: str  # top line, e.g. the network's name
    title: str  # "Анализ работы сетевого сообщества"
    subtitle: str  # e.g. "за период с 01.11.2026 по 30.11.2026"
    scope: str  # "Сеть в целом" or a community's title
    place_year: str  # bottom line, e.g. "2026"
    prepared: str = ""  # e.g. "Сформировано 07.12.2026 21:40 (Екатеринбург)"


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class KeyValues:
    """A two-column table of a figure's name and its value."""

    rows: Sequence[tuple[str, str]]


Block = Paragraph | KeyValues | Table | BarPanel | ColumnPanel | LinePanel


@dataclass(frozen=True)
class Section:
    title: str
    blocks: Sequence[Block]


def pdf_bytes(
    title_page: TitlePage,
    sections: Sequence[Section],
    *,
    document_title: str,
    page_label: str = "Стр. {page} из {pages}",
    decimal_mark: str = ",",
) -> bytes:
    """The report as a PDF: the cover, then the sections numbered 1, 2, … from the top of
    the second page. `page_label` is the footer, formatted with {page} and {pages} (the
    cover counts, unnumbered, as page 1).

    It takes a moment of CPU: call it off the event loop."""
    return render_pages(
        title_page,
        sections,
        document_title=document_title,
        page_label=page_label,
        decimal_mark=decimal_mark,
        save=None,
    )


def render_pages(
    title_page: TitlePage,
    sections: Sequence[Section],
    *,
    document_title: str,
    page_label: str = "Стр. {page} из {pages}",
    decimal_mark: str = ",",
    save: "Callable[[Figure], None] | None" = None,
) -> bytes:
    """pdf_bytes, and each page's Figure handed to `save` too (a test renders them to PNG
    to look at them)."""
    # matplotlib is imported on first use, not at start-up (it takes a while to load)
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    with _LOCK, matplotlib.rc_context({"pdf.fonttype": 42, "font.family": FONT}):
        fonts = _Fonts()
        flow = _Flow()
        for number, section in enumerate(sections, 1):
            flow.place_all(_section_items(number, section, fonts, decimal_mark))
        pages = [_cover(title_page, fonts), *flow.pages]
        out = io.BytesIO()
        with PdfPages(out, metadata={"Title": fonts.clean(document_title)}) as pdf:
            for index, page in enumerate(pages, 1):
                figure = Figure(figsize=(PAGE_WIDTH, PAGE_HEIGHT))
                for draw in page:
                    draw(figure)
                if index > 1:
                    label = page_label.format(page=index, pages=len(pages))
                    _footer(figure, fonts, fonts.clean(document_title), label)
                pdf.savefig(figure)
                if save is not None:
                    save(figure)
        return out.getvalue()


# --- measuring and wrapping text -------------------------------------------------------


class _Fonts:
    """DejaVu Sans, regular and bold, to measure text (a render's own: FreeType objects are
    not to be shared between threads)."""

    def __init__(self) -> None:
        from matplotlib import font_manager
        from matplotlib.ft2font import FT2Font

        def load(weight: str) -> "FT2Font":
            return FT2Font(
                font_manager.findfont(font_manager.FontProperties(family=FONT, weight=weight))
            )

        self.regular, self.bold = load("normal"), load("bold")
        self.glyphs = frozenset(self.regular.get_charmap())

    def clean(self, text: str) -> str:
        """The text without what the font lacks (emoji), its spaces tidied."""
        kept = "".join(c for c in text if c == "\n" or ord(c) in self.glyphs)
        return "\n".join(" ".join(line.split()) for line in kept.split("\n")).strip()

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """The text's width in inches."""
        font = self.bold if bold else self.regular
        font.set_size(size, 72)
        font.set_text(text)
        return font.get_width_height()[0] / 64 / 72  # 1/64 pixel at 72 dpi: points

    def wrap(
        self, text: str, width: float, size: float, *, bold: bool = False, indent: float = 0
    ) -> list[str]:
        """Lines no wider than `width` inches (the first `indent` narrower); a word longer
        than a line is cut."""
        width += 1e-6  # a column as wide as its widest text holds it on one line
        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for word in paragraph.split(" "):
                room = width - (indent if not lines else 0)
                candidate = f"{line} {word}" if line else word
                if self.width(candidate, size, bold) <= room:
                    line = candidate
                    continue
                if line:
                    lines.append(line)
                    room = width
                while self.width(word, size, bold) > room and len(word) > 1:
                    cut = self._fitting(word, room, size, bold)
                    lines.append(word[:cut])
                    word = word[cut:]
                    room = width
                line = word
            lines.append(line)
        return lines

    def _fitting(self, word: str, room: float, size: float, bold: bool) -> int:
        cut = len(word) - 1
        while cut > 1 and self.width(word[:cut], size, bold) > room:
            cut -= 1
        return cut


def _line_height(size: float) -> float:
    return size * LEADING / 72


def _text(
    figure: "Figure",
    x: float,
    top: float,
    line: str,
    size: float,
    *,
    bold: bool = False,
    ha: str = "left",
    color: str = INK,
) -> None:
    """A line whose line box starts `top` inches below the page's top edge."""
    baseline = top + size / 72 * (0.9 + (LEADING - 1) / 2)
    figure.text(
        x,
        PAGE_HEIGHT - baseline,
        line,
        transform=figure.dpi_scale_trans,
        fontsize=size,
        fontfamily=FONT,
        fontweight="bold" if bold else "normal",
        ha=ha,
        va="baseline",
        color=color,
        parse_math=False,  # a "$" is a dollar, not the start of a formula
    )


def _rule(figure: "Figure", x0: float, x1: float, y: float, width: float, color: str) -> None:
    """A horizontal line `y` inches below the page's top edge."""
    from matplotlib.lines import Line2D

    line = Line2D(
        [x0, x1],
        [PAGE_HEIGHT - y] * 2,
        transform=figure.dpi_scale_trans,
        linewidth=width,
        color=color,
    )
    figure.add_artist(line)


# --- the flow of blocks down the pages -------------------------------------------------

Draw = Callable[["Figure"], None]


@dataclass
class _Item:
    """An unbreakable piece of a page: a line, a table row, a chart."""

    height: float
    draw: Callable[["Figure", float], None]  # given its top, in inches below the page's top
    space_before: float = 0  # dropped at the top of a page
    keep_with_next: bool = False  # a heading or a table's header never ends a page
    repeat: "_Item | None" = None  # drawn first when this item starts a new page


@dataclass
class _Flow:
    pages: list[list[Draw]] = field(default_factory=list)
    y: float = 0

    def new_page(self) -> None:
        self.pages.append([])
        self.y = TOP

    def place_all(self, items: Sequence[_Item]) -> None:
        for index, item in enumerate(items):
            if not self.pages or self.y + self._needed(items, index) > PAGE_HEIGHT - BOTTOM:
                self.new_page()
                if item.repeat is not None:
                    self._place(item.repeat)
            self._place(item)

    def _needed(self, items: Sequence[_Item], index: int) -> float:
        """The item's height with what it keeps with (at most a page: then it splits)."""
        needed = items[index].space_before if self.y > TOP else 0
        for item in items[index:]:
            needed += item.height + (item.space_before if item is not items[index] else 0)
            if not item.keep_with_next:
                break
        return min(needed, PAGE_HEIGHT - TOP - BOTTOM - self._repeat_height(items[index]))

    @staticmethod
    def _repeat_height(item: _Item) -> float:
        return item.repeat.height if item.repeat is not None else 0

    def _place(self, item: _Item) -> None:
        if self.y > TOP:
            self.y += item.space_before
        top = self.y
        self.pages[-1].append(lambda figure: item.draw(figure, top))
        self.y += item.height


# --- the cover and the footer ----------------------------------------------------------


def _cover(page: TitlePage, fonts: _Fonts) -> list[Draw]:
    """Centred like a report's cover: the authority at the top, the title in the middle,
    the place and year at the bottom."""
    draws: list[Draw] = []

    def centred(text: str, top: float, size: float, bold: bool = False, color: str = INK) -> float:
        """The text's lines centred from `top` down; where they end."""
        lines = fonts.wrap(fonts.clean(text), TEXT_WIDTH, size, bold=bold) if text else []
        for number, line in enumerate(lines):
            line_top = top + number * _line_height(size)
            draws.append(_centred_line(line, line_top, size, bold, color))
        return top + len(lines) * _line_height(size)

    below_authority = centred(page.authority, TOP + 0.2, 12)
    draws.append(lambda f: _rule(f, LEFT, PAGE_WIDTH - RIGHT, below_authority + 0.12, 0.6, INK))
    y = centred(page.title, PAGE_HEIGHT * 0.36, 20, bold=True)
    y = centred(page.subtitle, y + 0.2, 13)
    centred(page.scope, y + 0.35, 14, bold=True)
    bottom = PAGE_HEIGHT - BOTTOM - _line_height(12)
    centred(page.place_year, bottom, 12)
    centred(page.prepared, bottom - 0.45, 9, color="#555555")
    return draws


def _centred_line(line: str, top: float, size: float, bold: bool, color: str) -> Draw:
    centre = LEFT + TEXT_WIDTH / 2
    return lambda figure: _text(
        figure, centre, top, line, size, bold=bold, ha="center", color=color
    )


def _footer(figure: "Figure", fonts: _Fonts, title: str, label: str) -> None:
    top = PAGE_HEIGHT - BOTTOM + 0.18
    _rule(figure, LEFT, PAGE_WIDTH - RIGHT, top - 0.04, 0.4, RULE)
    label_width = fonts.width(label, 8) + 0.3
    lines = fonts.wrap(title, TEXT_WIDTH - label_width - 0.1, 8) if title else [""]
    shown = lines[0] + ("…" if len(lines) > 1 else "")  # one line, beside the page number
    _text(figure, LEFT, top, shown, 8, color="#555555")
    _text(figure, PAGE_WIDTH - RIGHT, top, label, 8, ha="right", color="#555555")


# --- sections and their blocks ---------------------------------------------------------


def _section_items(number: int, section: Section, fonts: _Fonts, mark: str) -> list[_Item]:
    heading = fonts.wrap(
        fonts.clean(f"{number}. {section.title}"), TEXT_WIDTH, HEADING_SIZE, bold=True
    )
    items = _lines(heading, HEADING_SIZE, bold=True, keep_with_next=True)
    items[0].space_before = 0.3
    items[-1].height += 0.06
    for index, block in enumerate(section.blocks):
        block_items = _block_items(block, fonts, mark)
        if not block_items:
            continue
        block_items[0].space_before = GAP
        following = section.blocks[index + 1 : index + 2]
        if isinstance(block, Paragraph) and following and not isinstance(following[0], Paragraph):
            block_items[-1].keep_with_next = True  # the words that lead in to a table or chart
        items += block_items
    return items


def _block_items(block: Block, fonts: _Fonts, mark: str) -> list[_Item]:
    if isinstance(block, Paragraph):
        lines = fonts.wrap(fonts.clean(block.text), TEXT_WIDTH, BODY_SIZE, indent=INDENT)
        items = _lines(lines, BODY_SIZE, indent=INDENT)
        if len(items) > 1:
            items[0].keep_with_next = True  # no paragraph's first line alone at a page's foot
        return items
    if isinstance(block, KeyValues):
        return _table_items(fonts, None, [list(row) for row in block.rows], mark)
    if isinstance(block, Table):
        items = []
        if block.title:
            title = fonts.wrap(fonts.clean(block.title), TEXT_WIDTH, 10, bold=True)
            items = _lines(title, 10, bold=True, keep_with_next=True)
            items[-1].height += 0.04
        return items + _table_items(fonts, block.header, block.rows, mark)
    return [_chart_item(block, fonts)]


def _lines(
    lines: Sequence[str],
    size: float,
    *,
    bold: bool = False,
    indent: float = 0,
    keep_with_next: bool = False,
) -> list[_Item]:
    def draw(line: str, x: float) -> Callable[["Figure", float], None]:
        return lambda figure, top: _text(figure, x, top, line, size, bold=bold)

    return [
        _Item(
            _line_height(size),
            draw(line, LEFT + (indent if n == 0 else 0)),
            keep_with_next=keep_with_next,
        )
        for n, line in enumerate(lines)
    ]


# --- tables ------------------------------------------------------------------------------


def _cell_text(value: CellValue, mark: str) -> str:
    if isinstance(value, Percent):
        return f"{value.value:.0%}"
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        # thousands apart from 10 000 on, as Russian typography has it
        return f"{value:,}".replace(",", "\u00a0") if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", mark)
    return value


def _is_number(value: CellValue, text: str) -> bool:
    return isinstance(value, int | float | Percent) or bool(NUMBER.fullmatch(text))


def _table_items(
    fonts: _Fonts,
    header: Sequence[str] | None,
    rows: Sequence[Sequence[CellValue]],
    mark: str,
) -> list[_Item]:
    """A header row (repeated atop each page the table continues on), then a row per item
    of `rows`, with thin rules between; numbers right-aligned; long text wraps in its cell."""
    columns = max([len(header or ()), *(len(row) for row in rows), 1])

    def padded(values: Sequence[CellValue]) -> list[CellValue]:
        return [*values, *[None] * (columns - len(values))]

    cells = [padded(row) for row in rows]
    body = [[fonts.clean(_cell_text(value, mark)) for value in row] for row in cells]
    numeric = [  # a column of numbers (blanks aside) is flush right
        bool(rows)
        and all(
            text[c] in ("", "—", "–", "-") or _is_number(row[c], text[c])
            for row, text in zip(cells, body, strict=True)
        )
        for c in range(columns)
    ]
    titles = [fonts.clean(h) for h in header] + [""] * (columns - len(header)) if header else None
    widths = _column_widths(fonts, titles, body, numeric)
    header_item = _row_item(fonts, titles, widths, numeric, header=True) if titles else None
    items = [] if header_item is None else [header_item]
    if header_item is not None:
        header_item.keep_with_next = True
    for number, texts in enumerate(body):
        item = _row_item(fonts, texts, widths, numeric, last=number == len(body) - 1)
        item.repeat = header_item
        items.append(item)
    return items


def _column_widths(
    fonts: _Fonts, header: list[str] | None, body: list[list[str]], numeric: list[bool]
) -> list[float]:
    """The table as wide as the text: each column as wide as its longest line where they
    all fit (the rest goes to the text columns), else narrowed towards its longest word."""
    columns = len(numeric)
    want, low = [0.0] * columns, [0.0] * columns
    for c in range(columns):
        for row, bold in [*[(r, False) for r in body], *([(header, True)] if header else [])]:
            text = row[c]
            for line in text.split("\n") or [""]:
                want[c] = max(want[c], fonts.width(line, TABLE_SIZE, bold))
                words = [line] if numeric[c] and row is not header else line.split(" ")
                low[c] = max(low[c], *(fonts.width(w, TABLE_SIZE, bold) for w in words))
    want = [w + 2 * CELL_PAD for w in want]
    low = [min(w + 2 * CELL_PAD, TEXT_WIDTH / columns * 2) for w in low]
    if sum(want) <= TEXT_WIDTH:
        growing = [c for c in range(columns) if not numeric[c]] or list(range(columns))
        share = sum(want[c] for c in growing) or 1
        extra = TEXT_WIDTH - sum(want)
        return [w + (extra * w / share if c in growing else 0) for c, w in enumerate(want)]
    slack = [w - lo for w, lo in zip(want, low, strict=True)]
    over = sum(want) - TEXT_WIDTH
    if sum(slack) >= over:
        return [w - s * over / sum(slack) for w, s in zip(want, slack, strict=True)]
    return [lo * TEXT_WIDTH / sum(low) for lo in low]  # words get cut to fit


def _row_item(
    fonts: _Fonts,
    cells: Sequence[str],
    widths: Sequence[float],
    numeric: Sequence[bool],
    *,
    header: bool = False,
    last: bool = False,
) -> _Item:
    wrapped = [
        fonts.wrap(text, width - 2 * CELL_PAD, TABLE_SIZE, bold=header)
        for text, width in zip(cells, widths, strict=True)
    ]
    height = max(len(lines) for lines in wrapped) * _line_height(TABLE_SIZE) + 2 * CELL_PAD

    def draw(figure: "Figure", top: float) -> None:
        from matplotlib.patches import Rectangle

        right = LEFT + sum(widths)
        if header:
            fill = Rectangle(
                (LEFT, PAGE_HEIGHT - top - height),
                sum(widths),
                height,
                transform=figure.dpi_scale_trans,
                color=HEADER_FILL,
                linewidth=0,
            )
            figure.add_artist(fill)
            _rule(figure, LEFT, right, top, 0.8, INK)
        x = LEFT
        for lines, width, is_number in zip(wrapped, widths, numeric, strict=True):
            for n, line in enumerate(lines):
                line_top = top + CELL_PAD + n * _line_height(TABLE_SIZE)
                if is_number:  # numbers and their heading flush right, to compare them
                    at, ha = x + width - CELL_PAD, "right"
                else:
                    at, ha = x + CELL_PAD, "left"
                _text(figure, at, line_top, line, TABLE_SIZE, bold=header, ha=ha)
            x += width
        strong = header or last
        _rule(figure, LEFT, right, top + height, 0.8 if strong else 0.3, INK if strong else RULE)

    return _Item(height, draw)


# --- charts ------------------------------------------------------------------------------


def _chart_item(panel: Panel, fonts: _Fonts) -> _Item:
    """The panel as vector graphics: its title, then the drawing, kept on one page."""
    title = fonts.wrap(fonts.clean(panel.title), TEXT_WIDTH, 10, bold=True)
    title_height = len(title) * _line_height(10) + 0.06
    if isinstance(panel, BarPanel):
        labels = [fonts.clean(label) for label in panel.labels]
        widest = max(
            [
                fonts.width(line, 9)
                for label in labels
                for line in textwrap.fill(label, LABEL_WRAP).split("\n")
            ]
            or [0]
        )
        left, bottom = widest + 0.15, 0.3
    else:
        left, bottom = 0.45, 0.3
    plot_height = min(panel_height(panel), PAGE_HEIGHT - TOP - BOTTOM - title_height - 0.6)
    height = title_height + plot_height + bottom + 0.1

    def draw(figure: "Figure", top: float) -> None:
        for n, line in enumerate(title):
            _text(figure, LEFT, top + n * _line_height(10), line, 10, bold=True)
        ax = figure.add_axes(
            (
                (LEFT + left) / PAGE_WIDTH,
                (PAGE_HEIGHT - top - title_height - plot_height) / PAGE_HEIGHT,
                (TEXT_WIDTH - left - 0.1) / PAGE_WIDTH,
                plot_height / PAGE_HEIGHT,
            )
        )
        draw_panel(ax, panel)

    return _Item(height, draw)
