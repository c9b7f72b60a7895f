"""bot/documents rendered directly, without the bot: a chart is a PNG whatever its labels
hold, a workbook keeps its header and rows as plain text (never a formula, control
characters dropped) and draws its tables' native charts from their own cells, a PDF report
reads back as its cover, sections, tables and page numbers, and importing the package loads
neither Telegram nor the layers above it, nor matplotlib or openpyxl before they are needed."""

import io
import itertools
import re
import struct
import subprocess
import sys

import openpyxl
import pypdf

from bot.documents.charts import (
    BarPanel,
    ColumnPanel,
    LinePanel,
    bar_chart,
    charts_png,
    draw_panel,
)
from bot.documents.pdf import KeyValues, Paragraph, Section, TitlePage, pdf_bytes, render_pages
from bot.documents.spreadsheets import Percent, Row, Sheet, Table, xlsx_bytes

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
        "import sys, bot.documents.charts, bot.documents.spreadsheets, bot.documents.pdf\n"
        "heavy = ('aiogram', 'handlers', 'scheduler', 'matplotlib', 'openpyxl')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


WEEKS = [
    f"{day:02}.{month:02}"
    for month in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)
    for day in (1, 8, 15, 22)
]
EMU_PER_ROW = 190_500  # Excel's default row, 15 pt


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    return struct.unpack(">II", png[16:24])


def test_a_workbook_lays_out_tables_with_native_charts_over_their_own_cells() -> None:
    sheet = Sheet(
        "Отчёт",
        [Row(["Анализ работы за ноябрь"], bold=True)],
        tables=[
            Table(
                "Участники по сообществам",
                ["Сообщество", "Участники", "Доля"],
                [["Математики", 12, Percent(0.5)], ["=SUM(A1)", 6, Percent(0.25)]],
                chart="column",
            ),
            Table(
                "Форматы встреч", ["Формат", "Встречи"], [["Очно", 3], ["Онлайн", 5]], chart="pie"
            ),
        ],
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([sheet])))
    report = book["Отчёт"]
    values = list(report.iter_rows(values_only=True))
    assert values[:6] == [
        ("Анализ работы за ноябрь", None, None),
        (None, None, None),
        ("Участники по сообществам", None, None),
        ("Сообщество", "Участники", "Доля"),
        ("Математики", 12, 0.5),
        ("=SUM(A1)", 6, 0.25),
    ]
    second = next(n for n, row in enumerate(values, 1) if row[0] == "Форматы встреч")
    assert values[second : second + 3] == [
        ("Формат", "Встречи", None),
        ("Очно", 3, None),
        ("Онлайн", 5, None),
    ]
    assert report["A6"].data_type == "s"  # text, never a formula
    assert report["C5"].number_format == "0%"
    assert report["A3"].font.bold and report["B4"].font.bold and not report["B5"].font.bold
    assert report.column_dimensions["A"].width >= len("Сообщество")

    column, pie = report._charts
    assert column.tagname == "barChart" and column.type == "col"
    assert pie.tagname == "pieChart"
    (series,) = column.series
    assert series.val.numRef.f == "'Отчёт'!$B$5:$B$6"
    assert (series.cat.numRef or series.cat.strRef).f == "'Отчёт'!$A$5:$A$6"
    assert series.tx.strRef.f == "'Отчёт'!B4"
    (series,) = pie.series
    assert series.val.numRef.f == f"'Отчёт'!$B${second + 2}:$B${second + 3}"
    # Each chart right of its table (its columns and one more), clear of the next table
    assert (column.anchor._from.row, column.anchor._from.col) == (2, 4)
    assert (pie.anchor._from.row, pie.anchor._from.col) == (second - 1, 3)
    column_rows = column.anchor.ext.height / EMU_PER_ROW
    assert column.anchor._from.row + column_rows < second - 1  # rows counted from 0


def test_horizontal_bars_read_top_down_like_their_table() -> None:
    """A bar chart lists its rows in the table's order, the first on top (Excel's default
    puts it at the bottom), with the values' axis still below the bars."""
    table = Table("По организациям", ["Организация", "Участники"], [["СОШ № 1", 5], ["ЦДО", 3]])
    bars = Table(table.title, table.header, table.rows, chart="bar")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("Состав", [], tables=[bars])])))
    (chart,) = book["Состав"]._charts
    assert chart.type == "bar"
    assert chart.x_axis.scaling.orientation == "maxMin"
    assert chart.y_axis.crosses == "max"


def test_a_table_without_rows_shows_its_header_and_no_chart() -> None:
    empty = Table("Опросы", ["Опрос", "Ответы"], [], chart="bar")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("Опросы", [], tables=[empty])])))
    sheet = book["Опросы"]
    assert list(sheet.iter_rows(values_only=True)) == [("Опросы", None), ("Опрос", "Ответы")]
    assert sheet._charts == []


def test_a_year_of_weeks_as_columns_is_a_png_of_sane_size() -> None:
    counts = [week * 7 % 13 for week in range(52)]
    width, height = png_size(charts_png([ColumnPanel("Материалы по неделям 📊", WEEKS, counts)]))
    assert 600 <= width <= 1200 and 200 <= height <= 800
    mixed = [
        BarPanel("Сообщества", ["Математики", "Физики"], [5, 3]),
        ColumnPanel("Пусто", [], []),
        LinePanel("Просмотры", WEEKS[:10], [1, 2, 3, 2, 5, 4, 3, 6, 7, 5]),
    ]
    assert png_size(charts_png(mixed))[1] > height


def test_a_year_of_weeks_shows_every_few_labels_side_by_side() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6, 2.5))
    renderer = FigureCanvasAgg(figure).get_renderer()
    ax = figure.add_subplot()
    draw_panel(ax, ColumnPanel("Материалы по неделям", WEEKS, [1] * 52))
    figure.draw_without_rendering()  # the labels in their places
    labels = ax.get_xticklabels()
    assert labels[0].get_text() == "01.09" and 6 <= len(labels) <= 26
    boxes = [label.get_window_extent(renderer) for label in labels]
    assert all(left.x1 < right.x0 for left, right in itertools.pairwise(boxes))


def report_sections() -> list[Section]:
    schools = [[f"МАОУ СОШ № {n} 🏫", 10 + n, Percent(n / 60)] for n in range(1, 61)]
    schools[2][0] = "Муниципальное автономное общеобразовательное учреждение " * 3
    return [
        Section(
            "Состав участников",
            [
                Paragraph("В отчётный период в сообществе состояло 128 педагогов. " * 6),
                KeyValues([("Участников всего", "128"), ("Новых за период", "12")]),
                BarPanel("Участники по сообществам", ["Математики", "Психологи"], [48, 30]),
            ],
        ),
        Section(
            "Участие образовательных организаций",
            [Table("Таблица 2 — Организации", ["Организация", "Педагогов", "Доля"], schools)],
        ),
        Section("Публикации", [ColumnPanel("Материалы по неделям", WEEKS, [1] * 52)]),
    ]


COVER = TitlePage(
    "Сетевое сообщество педагогов «Методсеть»",
    "Анализ работы сетевого сообщества",
    "за период с 01.11.2026 по 30.11.2026",
    "Сеть в целом",
    "2026",
    "Сформировано 07.12.2026 21:40 (Екатеринбург)",
)


def test_a_report_pdf_reads_back_as_its_cover_sections_and_numbered_pages() -> None:
    pdf = pdf_bytes(COVER, report_sections(), document_title="Анализ работы — ноябрь 2026")
    assert pdf.startswith(b"%PDF")
    assert b"/FontFile2" in pdf  # DejaVu Sans embedded as TrueType: the text can be read back
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None and reader.metadata.title == "Анализ работы — ноябрь 2026"
    texts = [page.extract_text() for page in reader.pages]
    pages = len(texts)
    assert 4 <= pages <= 6
    cover = texts[0]
    for line in (
        "«Методсеть»",
        "Анализ работы сетевого сообщества",
        "по 30.11.2026",
        "Сеть в целом",
    ):
        assert line in cover
    assert "Стр." not in cover  # the cover counts but shows no number
    assert "1. Состав участников" in texts[1]
    assert re.search(r"Участников всего\s+128", texts[1])
    assert "Психологи" in texts[1]  # the chart's labels are text too (vector drawing)
    for number, text in enumerate(texts[1:], 2):
        assert f"Стр. {number} из {pages}" in text
    body = "\n".join(texts[1:])
    assert "2. Участие образовательных организаций" in body
    assert re.search(r"МАОУ СОШ № 1\s+11\s+2%", body)  # the emoji dropped, numbers in the row
    assert re.search(r"МАОУ СОШ № 60\s+70\s+100%", body)
    table_pages = [text for text in texts if "МАОУ СОШ № " in text]
    assert len(table_pages) >= 2  # the long table continues…
    assert all("Организация" in text for text in table_pages)  # …under its header again
    assert body.count("общеобразовательное учреждение") == 3  # a long cell wraps, whole
    assert "3. Публикации" in body


def test_a_report_page_is_a4_and_its_text_stays_within_the_margins() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from bot.documents.pdf import LEFT, PAGE_WIDTH, RIGHT

    sizes: list[tuple[float, float]] = []
    texts: list[str] = []
    outside: list[str] = []

    def look(figure) -> None:
        """Where each text of the page lands once drawn (the page as a PNG would show it)."""
        sizes.append(tuple(figure.get_size_inches()))
        renderer = FigureCanvasAgg(figure).get_renderer()
        dpi, slack = figure.dpi, 2  # pixels
        undrawn = set()  # the labels of ticks beyond an axis' limits
        for ax in figure.axes:
            for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
                for tick in axis.get_major_ticks():
                    if not min(low, high) <= tick.get_loc() <= max(low, high):
                        undrawn |= {tick.label1, tick.label2}
        for text in figure.findobj(Text):
            if not text.get_visible() or not text.get_text() or text in undrawn:
                continue
            texts.append(text.get_text())
            box = text.get_window_extent(renderer)
            within = LEFT * dpi - slack <= box.x0 and box.x1 <= (PAGE_WIDTH - RIGHT) * dpi + slack
            if not within or box.y0 < 0 or box.y1 > figure.bbox.height:
                outside.append(text.get_text())

    render_pages(COVER, report_sections(), document_title="Отчёт", save=look)
    assert len(sizes) >= 4
    assert all(abs(w - 210 / 25.4) < 0.01 and abs(h - 297 / 25.4) < 0.01 for w, h in sizes)
    assert "Материалы по неделям" in texts and "Организация" in texts
    assert outside == []
