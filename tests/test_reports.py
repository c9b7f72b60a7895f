"""/report as people use it (issue 18): who may ask for what, the scope and period pickers,
the summary card, the charts, the workbook, the PDF, the plan of work and the data bank; the
dates typed with every mistake answered; the monthly digest from 09:00 on the 1st in each
recipient's zone; the deadline reminder's link to the report since the previous deadline.

The figures themselves are checked criterion by criterion in test_report_figures.py; here
the documents are read back (openpyxl, pypdf) for the figures a reader looks for first."""

import io
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pypdf
from sqlalchemy import func, select

from bot.callbacks import AnalysisAction, AnalysisCallback
from notices.reports import share_text
from scheduler.jobs import queue_monthly_digests, remind_report_deadlines
from storage.enums import GlobalRole, MaterialKind
from storage.models import AuditEntry, Delivery
from tests.conftest import ADMIN
from tests.flows import drain_outbox, make_community, publish, register, setup_community
from tests.harness import BotHarness, Person, labels
from tests.people import MODERATOR, TEACHER

COORDINATOR = Person(id=7801, first_name="Елена")
FAR_COORDINATOR = Person(id=7802, first_name="Пётр")  # in Yekaterinburg, UTC+5
DENIED = "⛔ У вас нет прав на это действие."
OCTOBER = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
NOVEMBER_2 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # 12:00 in Moscow


async def arranged(h: BotHarness, repo, clock) -> None:
    """A community of three (a moderator among them) with two lesson plans published in
    October, a coordinator, and the admin; the reading is done on 2 November."""
    clock.now = OCTOBER
    community = await setup_community(h, repo)
    await register(h, COORDINATOR, full_name="Кузнецова Елена")
    await register(h, ADMIN, full_name="Админова Анна")
    coordinator = await repo.users.by_telegram_id(COORDINATOR.id)
    await repo.users.grant_role(coordinator, GlobalRole.COORDINATOR, None)
    teacher = await repo.users.by_telegram_id(TEACHER.id)
    await publish(repo, teacher, community, "Сложение дробей", kind=MaterialKind.LESSON_PLAN)
    clock.now = OCTOBER + timedelta(days=10)
    await publish(repo, teacher, community, "Проценты", kind=MaterialKind.PRESENTATION)
    await repo.session.commit()
    clock.now = NOVEMBER_2


def _press(action: AnalysisAction, community: int = 0, first: date | None = None, last=None):
    return AnalysisCallback(
        action=action,
        community=community,
        first=first.toordinal() if first else 0,
        last=last.toordinal() if last else 0,
    ).pack()


async def open_october(h: BotHarness, who: Person = COORDINATOR, scope: str = "Вся сеть"):
    await h.send(who, "/report")
    picker = h.last_message(who.id)
    if scope:
        await h.tap(who, picker, scope)
    await h.tap(who, h.last_message(who.id), "Октябрь 2026")
    return h.last_message(who.id)


# --- who may ask ---------------------------------------------------------------------------------


async def test_a_teacher_gets_no_report_and_a_forged_button_is_refused(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await arranged(h, repo, clock)
    await h.send(TEACHER, "/report")
    answer = h.last_message(TEACHER.id)
    assert answer.text.startswith("Отчёты об эффективности формируют координаторы")
    assert labels(answer) == []
    for action in (AnalysisAction.CARD, AnalysisAction.XLSX, AnalysisAction.BANK):
        calls = await h.press(
            TEACHER, answer, _press(action, 0, date(2026, 10, 1), date(2026, 10, 31))
        )
        assert h.alerts()[-1] == DENIED
        assert [c for c in calls if c.name in {"sendDocument", "sendPhoto"}] == []


async def test_a_moderator_reports_only_on_their_community(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await arranged(h, repo, clock)
    physicists = await make_community(repo, "Физики")
    await h.send(MODERATOR, "/report")
    picker = h.last_message(MODERATOR.id)
    # one community to report on: straight to the period
    assert picker.text.splitlines() == ["📊 Математики", "За какой период?"]
    assert labels(picker) == [
        "Ноябрь 2026 (по сегодня)",
        "Октябрь 2026",
        "IV квартал 2026",
        "Учебный год 2026/27",
        "📅 Свои даты",
    ]
    await h.tap(MODERATOR, picker, "Октябрь 2026")
    card = h.last_message(MODERATOR.id)
    assert card.text.startswith("📊 Отчёт: Математики")
    assert "👥 Банк данных участников" not in labels(card)  # coordinators and admins only
    # the network and the data bank, pressed with forged buttons
    for action, community in (
        (AnalysisAction.CARD, 0),
        (AnalysisAction.CARD, physicists.id),
        (AnalysisAction.PDF, physicists.id),
        (AnalysisAction.SCOPE, 0),
    ):
        calls = await h.press(
            MODERATOR, card, _press(action, community, date(2026, 10, 1), date(2026, 10, 31))
        )
        assert h.alerts()[-1] == DENIED, action
        assert [c for c in calls if c.name in {"sendDocument", "sendPhoto"}] == []


# --- the journey -----------------------------------------------------------------------------------


async def test_the_coordinator_gets_the_card_charts_workbook_and_pdf(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await arranged(h, repo, clock)
    await h.send(COORDINATOR, "/report")
    scopes = h.last_message(COORDINATOR.id)
    assert scopes.text.splitlines() == ["📊 Отчёт об эффективности", "О ком отчёт?"]
    assert labels(scopes) == ["🌐 Вся сеть", "👥 Математики"]
    await h.tap(COORDINATOR, scopes, "Вся сеть")
    assert labels(h.last_message(COORDINATOR.id))[-1] == "◀️ Назад"
    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "Октябрь 2026")
    card = h.last_message(COORDINATOR.id)
    lines = card.text.splitlines()
    assert lines[0] == "📊 Отчёт: Сеть в целом"
    assert lines[1] == "Период: 01.10.2026 – 31.10.2026; сравнение с 31.08.2026 – 30.09.2026"
    assert "📚 Опубликовано материалов: 2 (+2); в среднем 0,4 в неделю" in lines
    assert labels(card) == [
        "📈 Графики",
        "📗 Excel",
        "📄 PDF",
        "🗓 План работы на учебный год",
        "👥 Банк данных участников",
        "◀️ Другой период",
    ]

    calls = await h.tap(COORDINATOR, card, "Графики")
    [photo] = [c for c in calls if c.name == "sendPhoto"]
    assert photo.method.photo.data.startswith(b"\x89PNG")
    assert photo.method.caption == "📈 Графики · Сеть в целом · 01.10.2026 – 31.10.2026"

    calls = await h.tap(COORDINATOR, card, "Excel")
    [document] = [c for c in calls if c.name == "sendDocument"]
    assert document.method.document.filename == "report-network-20261001-20261031.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(document.method.document.data))
    assert book.sheetnames[0] == "Сводка"
    assert len(book.sheetnames) == 12  # the summary and eleven sections
    periodicity = [
        [cell for cell in row if cell is not None]
        for row in book[book.sheetnames[5]].iter_rows(values_only=True)
    ]
    assert ["Опубликовано материалов", 2] in periodicity

    calls = await h.tap(COORDINATOR, card, "PDF")
    [document] = [c for c in calls if c.name == "sendDocument"]
    assert document.method.document.filename == "report-network-20261001-20261031.pdf"
    reader = pypdf.PdfReader(io.BytesIO(document.method.document.data))
    cover = reader.pages[0].extract_text()
    assert "Сетевое сообщество педагогов" in cover
    assert "Анализ работы сетевого сообщества" in cover
    assert "за период с 01.10.2026 по 31.10.2026" in cover
    body = "\n".join(page.extract_text() for page in reader.pages[1:])
    assert "5. Периодичность публикаций" in body
    assert "Опубликовано материалов 2" in body.splitlines()

    calls = await h.tap(COORDINATOR, card, "План работы")
    documents = [c for c in calls if c.name == "sendDocument"]
    assert [d.method.document.filename for d in documents] == [
        "plan-2026-2027.xlsx",
        "plan-2026-2027.pdf",
    ]

    calls = await h.tap(COORDINATOR, card, "Банк данных")
    [document] = [c for c in calls if c.name == "sendDocument"]
    assert document.method.document.filename == "data-bank-network-20261001-20261031.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(document.method.document.data))
    names = [row[1] for row in book[book.sheetnames[0]].iter_rows(values_only=True)]
    assert "Иванова Мария Петровна" in names
    audit = await repo.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "report.data_bank")
    )
    assert audit == 1

    # another period: the picker comes as a message of its own, the card stays as it was
    await h.tap(COORDINATOR, card, "Другой период")
    picker = h.last_message(COORDINATOR.id)
    assert picker.message_id != card.message_id
    assert picker.text == "📊 Сеть в целом\nЗа какой период?"
    assert h.now(card).text == card.text


async def test_typed_dates_with_mistakes_answered(harness: BotHarness, repo, clock) -> None:
    h = harness
    await arranged(h, repo, clock)
    await h.send(COORDINATOR, "/report")
    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "Вся сеть")
    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "Свои даты")
    assert h.last_message(COORDINATOR.id).text.startswith("📅 Сеть в целом\nНапишите первый")
    for bad, answer in (
        ("вчера", "Не понял даты."),
        ("31.02.2026 – 01.03.2026", "Такого дня нет в календаре."),
        ("31.10.2026 – 01.10.2026", "Первый день периода позже последнего."),
        ("01.01.2020 – 31.10.2026", "Период длиннее 3 лет"),
    ):
        await h.send(COORDINATOR, bad)
        assert h.last_message(COORDINATOR.id).text.startswith(answer), bad
    await h.send(COORDINATOR, "с 1.10 по 31.10")
    card = h.last_message(COORDINATOR.id)
    assert card.text.splitlines()[1].startswith("Период: 01.10.2026 – 31.10.2026")


# --- the digest and the deadline -----------------------------------------------------------------


async def test_the_monthly_digest_leaves_at_nine_in_each_zone(
    harness: BotHarness, repo, clock, sessionmaker, i18n, settings
) -> None:
    h = harness
    await arranged(h, repo, clock)
    await register(h, FAR_COORDINATOR, full_name="Орлов Пётр")
    far = await repo.users.by_telegram_id(FAR_COORDINATOR.id)
    await repo.users.grant_role(far, GlobalRole.COORDINATOR, None)
    far.time_zone = "Asia/Yekaterinburg"
    await repo.session.commit()

    async def run(at: datetime) -> int:
        clock.now = at
        return await queue_monthly_digests(
            sessionmaker=sessionmaker, i18n_hub=i18n, clock=clock, settings=settings
        )

    assert await run(datetime(2026, 11, 1, 3, 59, tzinfo=UTC)) == 0  # 08:59 in Yekaterinburg
    assert await run(datetime(2026, 11, 1, 4, 0, tzinfo=UTC)) == 1  # 09:00 there
    assert await run(datetime(2026, 11, 1, 5, 59, tzinfo=UTC)) == 0  # 08:59 in Moscow
    # 09:00 in Moscow: the coordinator (network) and the moderator (their community)
    assert await run(datetime(2026, 11, 1, 6, 0, tzinfo=UTC)) == 2
    assert await run(datetime(2026, 11, 1, 9, 0, tzinfo=UTC)) == 0  # once a month
    assert await run(datetime(2026, 11, 2, 9, 0, tzinfo=UTC)) == 0  # not on the 2nd
    rows = list(await repo.session.scalars(select(Delivery).order_by(Delivery.id)))
    by_chat = {row.chat_id: row for row in rows}
    assert set(by_chat) == {FAR_COORDINATOR.id, COORDINATOR.id, MODERATOR.id}
    assert by_chat[COORDINATOR.id].text.startswith(
        "🗓 Ежемесячная сводка за 01.10.2026 – 31.10.2026."
    )
    assert "📊 <b>Отчёт: Сеть в целом</b>" in by_chat[COORDINATOR.id].text
    assert "📊 <b>Отчёт: Математики</b>" in by_chat[MODERATOR.id].text
    buttons = [b["text"] for row in by_chat[MODERATOR.id].markup["inline_keyboard"] for b in row]
    assert buttons == ["📈 Графики", "📗 Excel", "📄 PDF", "🗓 План работы на учебный год"]


async def test_a_deadline_reminder_offers_the_report_since_the_previous_deadline(
    harness: BotHarness, repo, clock, sessionmaker, i18n
) -> None:
    h = harness
    await arranged(h, repo, clock)
    coordinator = await repo.users.by_telegram_id(COORDINATOR.id)
    clock.now = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)  # set at the start of the year
    for title, due_on in (
        ("Отчёт за сентябрь", date(2026, 9, 30)),
        ("Отчёт за октябрь", date(2026, 11, 3)),
    ):
        await repo.deadlines.create(coordinator, title, due_on, [1], zone_name="Europe/Moscow")
    await repo.session.commit()
    clock.now = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)  # 10:00 in Moscow, a day before
    await remind_report_deadlines(
        sessionmaker=sessionmaker, i18n_hub=i18n, clock=clock, zone_name="Europe/Moscow"
    )
    reminder = await repo.session.scalar(select(Delivery).where(Delivery.chat_id == COORDINATOR.id))
    buttons = [b for row in reminder.markup["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons] == [
        "✅ Отметить как сданный",
        "📊 Отчёт за период 01.10–03.11.2026",
    ]
    await drain_outbox(h)
    sent = h.last_message(COORDINATOR.id)
    await h.tap(COORDINATOR, sent, "Отчёт за период")
    card = h.last_message(COORDINATOR.id)
    assert card.message_id != sent.message_id  # a card of its own: the reminder stays
    assert card.text.splitlines()[:2] == [
        "📊 Отчёт: Сеть в целом",
        "Период: 01.10.2026 – 03.11.2026; сравнение с 28.08.2026 – 30.09.2026",
    ]
    assert labels(h.now(sent)) == ["✅ Отметить как сданный", "📊 Отчёт за период 01.10–03.11.2026"]


def test_shares_round_halves_up_as_the_workbook_shows_them() -> None:
    """The card and the workbook ("0%" format, halves up) must not disagree: 5 active of 8
    members is 63% in both, not 62% (Python's round() rounds halves to even)."""
    assert [share_text(s) for s in (5 / 8, 1 / 3, 0.0, 1.0, None)] == [
        "63%",
        "33%",
        "0%",
        "100%",
        "—",
    ]
