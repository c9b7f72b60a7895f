"""bot/documents rendered directly, without the bot: a chart is a PNG whatever its labels
hold, a workbook keeps its header and rows as plain text (never a formula, control
characters dropped), and importing the package loads neither Telegram nor the layers
above it, nor matplotlib or openpyxl before they are needed."""

import io
import subprocess
import sys

import openpyxl

from bot.documents.charts import BarPanel, bar_chart
from bot.documents.spreadsheets import Percent, Row, Sheet, xlsx_bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_a_chart_is_a_png_whatever_its_labels_hold() -> None:
    panels = [
        BarPanel(
            "1. Сколько стоит $5 и $x$ на уроке? 📊 " + "очень " * 30,
            ["$", "$$", "😀", "a$b"],
            [3, 0, 1, 2],
        ),
        BarPanel("2. Формат 🏫\nвстречи", ["Очно 🏫", "Онлайн\x07", "Затрудняюсь " * 5], [2, 1, 0]),
        BarPanel("3. Никто не ответил", ["да", "нет"], [0, 0]),
    ]
    png = bar_chart(panels)
    assert png.startswith(PNG_SIGNATURE)
    assert bar_chart(panels[:1]).startswith(PNG_SIGNATURE)


def test_a_workbook_holds_the_header_and_rows_as_given() -> None:
    header = ["Сообщество", "1. Оценка", "2. Формат\x01"]
    rows = [
        ["Математики", 5, "=SUM(A1:A2)"],
        ["", 4, "Очно\x0b; другое: онлайн"],
    ]
    sheets = [
        Sheet(
            "Ответы",
            [Row(header, bold=True), *(Row(row) for row in rows)],
            column_width=30,
            freeze_header=True,
        ),
        Sheet("Итоги", [Row(["Очно", 2, Percent(2 / 3)]), Row([]), Row(["Итого", 3])]),
    ]
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(sheets)))
    assert book.sheetnames == ["Ответы", "Итоги"]
    answers = book["Ответы"]
    assert list(answers.iter_rows(values_only=True)) == [
        ("Сообщество", "1. Оценка", "2. Формат"),
        ("Математики", 5, "=SUM(A1:A2)"),
        (None, 4, "Очно; другое: онлайн"),
    ]
    assert answers["C2"].data_type == "s"  # text, never a formula
    assert all(cell.font.bold for cell in answers[1])
    assert not answers["A2"].font.bold
    assert answers.freeze_panes == "A2"
    assert answers.column_dimensions["C"].width == 30
    summary = book["Итоги"]
    assert list(summary.iter_rows(values_only=True)) == [
        ("Очно", 2, 2 / 3),
        (None, None, None),
        ("Итого", 3, None),
    ]
    assert summary["C1"].number_format == "0%"


def test_importing_documents_loads_no_telegram_and_no_rendering_library() -> None:
    code = (
        "import sys, bot.documents.charts, bot.documents.spreadsheets\n"
        "heavy = ('aiogram', 'handlers', 'scheduler', 'matplotlib', 'openpyxl')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
