"""Excel workbooks (XLSX) from rows of plain values: bold rows, shares shown as percentages,
column widths, a frozen header. A cell is never taken for a formula, whatever it begins
with, and characters a workbook may not hold (control characters) are dropped."""

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Percent:
    """A share (0.25) shown as a percentage ("25%")."""

    value: float


CellValue = str | int | float | Percent | None


@dataclass(frozen=True)
class Row:
    values: Sequence[CellValue]
    bold: bool = False


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: Sequence[Row]
    column_width: float | None = None  # for every column that has a cell
    widths: Mapping[str, float] = field(default_factory=dict)  # by letter, after column_width
    freeze_header: bool = False  # the first row stays in view while scrolling


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with the sheets in this order (the first is the one that opens)."""
    # openpyxl is imported on first use, not at start-up (it takes a while to load)
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    def plain(value: CellValue) -> str | int | float | None:
        if isinstance(value, Percent):
            return value.value
        if isinstance(value, str):
            return ILLEGAL_CHARACTERS_RE.sub("", value)
        return value

    bold = Font(bold=True)
    book = Workbook()
    for number, spec in enumerate(sheets):
        if number == 0:
            sheet = book.active
            assert isinstance(sheet, Worksheet)  # a new workbook opens with one worksheet
            sheet.title = spec.title
        else:
            sheet = book.create_sheet(spec.title)
        for row in spec.rows:
            sheet.append([plain(value) for value in row.values])
            if not row.values:
                continue  # a blank line between blocks
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # never a formula, whatever it begins with
                if row.bold:
                    cell.font = bold
            for column, value in enumerate(row.values, 1):
                if isinstance(value, Percent):
                    sheet.cell(sheet.max_row, column).number_format = "0%"
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
