"""The effectiveness report end to end, the bot running for real against the sandbox: the
demo's coordinator asks for last month's network report and receives the card, the charts
and both documents, which open (openpyxl, pypdf) with the card's figures in them."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pypdf
import pytest

from bot.config import ThrottlingSettings
from bot.demo import METHODIST
from storage.periods import Preset, preset_period
from tests.e2e.conftest import Player

MONTHS = "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь"


@pytest.fixture
def throttling() -> ThrottlingSettings:
    """The players tap at machine speed (the flood limit is tested elsewhere)."""
    return ThrottlingSettings(rate=100, burst=100)


async def test_a_coordinator_gets_last_months_network_report(world) -> None:
    coordinator = Player(world, METHODIST.telegram_id, patience=30)  # Козлова, a coordinator
    today = datetime.now(ZoneInfo("Europe/Moscow")).date()
    last_month = preset_period(Preset.LAST_MONTH, today, "Europe/Moscow")
    label = f"{MONTHS.split()[last_month.first.month - 1]} {last_month.first.year}"
    await coordinator.say("/report", expect="О ком отчёт?")
    await coordinator.tap("Вся сеть")
    await coordinator.sees("За какой период?")
    await coordinator.tap(label)
    card = await coordinator.sees("📊 Отчёт: Сеть в целом")
    period = f"{last_month.first:%d.%m.%Y} – {last_month.last:%d.%m.%Y}"
    assert f"Период: {period}" in card.content
    published = next(
        line for line in card.content.splitlines() if line.startswith("📚 Опубликовано")
    )

    await coordinator.tap("Графики")
    chart = await coordinator.sees(f"📈 Графики · Сеть в целом · {period}")
    assert chart.media is not None and chart.media.kind == "photo"
    assert (await world.download(chart.media.file_id)).startswith(b"\x89PNG")

    await coordinator.tap("Excel")
    sheet = await coordinator.sees("📗 Отчёт об эффективности (Excel)")
    assert sheet.media is not None and sheet.media.file_name.endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(await world.download(sheet.media.file_id)))
    assert book.sheetnames[0] == "Сводка"
    cells = [
        value for ws in book.worksheets for row in ws.iter_rows(values_only=True) for value in row
    ]
    count = int(published.split(":")[1].split("(")[0])
    assert "Опубликовано материалов" in cells and count in cells

    await coordinator.tap("PDF")
    document = await coordinator.sees("📄 Анализ работы сетевого сообщества (PDF)")
    assert document.media is not None and document.media.file_name.endswith(".pdf")
    reader = pypdf.PdfReader(io.BytesIO(await world.download(document.media.file_id)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Анализ работы сетевого сообщества" in text
    assert f"за период с {last_month.first:%d.%m.%Y} по {last_month.last:%d.%m.%Y}" in text
