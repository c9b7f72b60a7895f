"""Excel workbooks (XLSX) from rows of plain values: bold rows, shares shown as percentages,
column widths, a frozen header, and tables with native charts drawn from their own cells. A
cell is never taken for a formula, whatever it begins with, and characters a workbook may not
hold (control characters) are dropped."""

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

CHART_WIDTH_CM = 15
CHART_HEIGHT_CM = 8
ROW_HEIGHT_CM = 0.53  # Excel's default row (15 pt): how many rows a chart covers
MAX_COLUMN_WIDTH = 50  # characters; a longer cell wraps within it


@dataclass(frozen=True)
class Percent:
    """A share (0.25) shown as a percentage ("25%")."""

    value: float


CellValue = str | int | float | Percent | None
ChartKind = Literal["bar", "column", "line", "pie"]


@dataclass(frozen=True)
class Row:
    values: Sequence[CellValue]
    bold: bool = False


@dataclass(frozen=True)
class Table:
    """A titled table; with `chart`, a native chart of its `series` columns beside it."""

    title: str  # a bold line above the table
    header: Sequence[str]  # bold, the first column labels the rows
    rows: Sequence[Sequence[CellValue]]
    chart: ChartKind | None = None
    chart_title: str = ""  # defaults to title
    series: Sequence[int] = (1,)  # which columns (0-based; 0 = labels) the chart draws


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: Sequence[Row]
    column_width: float | None = None  # for every column that has a cell
    widths: Mapping[str, float] = field(default_factory=dict)  # by letter, after column_width
    freeze_header: bool = False  # the first row stays in view while scrolling
    tables: Sequence[Table] = ()  # after the rows, one below the other


def chart_rows() -> int:
    """How many rows a chart covers, so that the next table starts below it."""
    return math.ceil(CHART_HEIGHT_CM / ROW_HEIGHT_CM)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with the sheets in this order (the first is the one that opens)."""
    # openpyxl is imported on first use, not at start-up (it takes a while to load)
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    for number, spec in enumerate(sheets):
        if number == 0:
            sheet = book.active
            assert isinstance(sheet, Worksheet)  # a new workbook opens with one worksheet
            sheet.title = spec.title
        else:
            sheet = book.create_sheet(spec.title)
        for number, row in enumerate(spec.rows, 1):
            _write(sheet, number, row.values, bold=row.bold)  # an empty row is a blank line
        if spec.tables:
            _add_tables(sheet, spec.tables, top=len(spec.rows) + 2 if spec.rows else 1)
        if spec.column_width is not None:
            for column in range(1, sheet.max_column + 1):
                sheet.column_dimensions[get_column_letter(column)].width = spec.column_width
        for letter, width in spec.widths.items():
            sheet.column_dimensions[letter].width = width
        if spec.freeze_header:
            sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain(value: CellValue) -> str | int | float | None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Percent):
        return value.value
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _write(sheet: "Worksheet", row: int, values: Sequence[CellValue], *, bold: bool) -> None:
    from openpyxl.styles import Font

    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column, _plain(value))
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever it begins with
        if bold:
            cell.font = Font(bold=True)
        if isinstance(value, Percent):
            cell.number_format = "0%"


def _add_tables(sheet: "Worksheet", tables: Sequence[Table], *, top: int) -> None:
    """The tables one below the other from row `top`, each chart to the right of its table;
    a blank row separates them, and a table starts below the chart of the one above."""
    title_rows = set()
    for table in tables:
        title_rows.add(top)
        _write(sheet, top, [table.title], bold=True)
        _write(sheet, top + 1, table.header, bold=True)
        for number, values in enumerate(table.rows, top + 2):
            _write(sheet, number, values, bold=False)
        used = 2 + len(table.rows)
        if table.chart is not None and table.rows:  # Excel calls an empty chart an error
            _add_chart(sheet, table, header_row=top + 1)
            used = max(used, chart_rows())
        top += used + 1
    _fit_columns(sheet, skip_rows=title_rows)


def _add_chart(sheet: "Worksheet", table: Table, *, header_row: int) -> None:
    """A native chart over the table's own cells (it follows edits of the numbers)."""
    from openpyxl.chart import BarChart, LineChart, PieChart, Reference
    from openpyxl.utils import get_column_letter

    first, last = header_row + 1, header_row + len(table.rows)
    chart: BarChart | LineChart | PieChart
    if table.chart == "pie":
        chart = PieChart()
        series = list(table.series[:1])  # a pie shows one series
    else:
        chart = LineChart() if table.chart == "line" else BarChart()
        if isinstance(chart, BarChart):
            chart.type = "bar" if table.chart == "bar" else "col"
            if chart.type == "bar":  # rows read top-down, as in the table beside it,
                chart.x_axis.scaling.orientation = "maxMin"
                chart.y_axis.crosses = "max"  # and the values' axis stays at the bottom
        series = list(table.series)
        if len(series) == 1:
            chart.legend = None  # the title names the only series
    for column in series:
        data = Reference(sheet, min_col=column + 1, min_row=header_row, max_row=last)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.title = table.chart_title or table.title
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    anchor_column = get_column_letter(len(table.header) + 2)  # one empty column between
    sheet.add_chart(chart, f"{anchor_column}{header_row - 1}")


def _fit_columns(sheet: "Worksheet", *, skip_rows: set[int]) -> None:
    """Each column as wide as its longest cell (capped; longer text wraps). The tables'
    titles are left out: they run on over the empty cells to their right."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    longest: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or cell.row in skip_rows:
                continue
            text = f"{cell.value:.0%}" if cell.number_format == "0%" else str(cell.value)
            width = max(len(line) for line in text.split("\n"))
            if width > MAX_COLUMN_WIDTH:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            column = int(cell.column or 1)
            longest[column] = max(longest.get(column, 0), width)
    for column, width in longest.items():
        fitted = min(max(width * 1.1 + 2, 8), MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(column)].width = round(fitted, 1)
