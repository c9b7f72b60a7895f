"""Report deadlines (seed 004 §5.4): the setter's dialog with each bad input refused, who
may set and see them, the card with who has not submitted, and the reminder job run with an
injected clock: on time, once, only to those who have not marked the report, only the latest
offset after downtime, nothing after the date or after cancelling."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.app import COMMANDS
from bot.callbacks import DeadlineAction, DeadlineCallback
from bot.i18n import I18n
from scheduler import create_scheduler
from scheduler.jobs import remind_report_deadlines
from storage.enums import DeliveryState, GlobalRole
from storage.models import Delivery, ReportDeadline, ReportSubmission
from tests.conftest import ADMIN
from tests.flows import methodist, outbox_worker, register, setup_community
from tests.fluent_files import messages
from tests.harness import BotHarness, Person, labels
from tests.people import METHODIST

COORDINATOR = Person(id=7501, first_name="Ольга")
SECOND_COORDINATOR = Person(id=7502, first_name="Пётр")
BLOCKED_COORDINATOR = Person(id=7503, first_name="Нина")
TEACHER = Person(id=7504, first_name="Мария")
TITLE = "Отчёт о работе сетевого сообщества"
ZONE = "Europe/Moscow"
DENIED = "⛔ У вас нет прав на это действие."
OFFSETS_INVALID = "Напишите от 1 до 5 чисел через пробел, каждое от 0 до 365, например «30 7 1»."
MARKED = "✅ Отчёт отмечен как сданный. Больше напоминаний не будет."
# 10:00 in Moscow on 29.11, 06.12 and 12.12: 14, 7 and 1 days before 13.12.2026.
DAY_14 = datetime(2026, 11, 29, 7, 0, tzinfo=UTC)
DAY_7 = datetime(2026, 12, 6, 7, 0, tzinfo=UTC)
DAY_1 = datetime(2026, 12, 12, 7, 0, tzinfo=UTC)


async def people(h: BotHarness, repo) -> None:
    """Two coordinators who can be reminded, one who blocked the bot, a teacher, an admin."""
    await register(h, COORDINATOR, full_name="Кузнецова Ольга")
    await register(h, SECOND_COORDINATOR, full_name="Орлов Пётр")
    await register(h, BLOCKED_COORDINATOR, full_name="Белова Нина")
    await register(h, TEACHER, full_name="Иванова Мария")
    await register(h, ADMIN, full_name="Админова Анна")
    for member in (COORDINATOR, SECOND_COORDINATOR, BLOCKED_COORDINATOR):
        user = await repo.users.by_telegram_id(member.id)
        await repo.users.grant_role(user, GlobalRole.COORDINATOR, None)
    blocked = await repo.users.by_telegram_id(BLOCKED_COORDINATOR.id)
    blocked.bot_blocked_at = datetime(2026, 11, 1, tzinfo=UTC)
    await repo.session.commit()


async def arranged(h: BotHarness, repo) -> int:
    """The people, and a deadline a coordinator created through the bot: its id."""
    await people(h, repo)
    await create_deadline(h)
    return (await repo.session.scalar(select(ReportDeadline))).id


async def create_deadline(h: BotHarness, who: Person = COORDINATOR) -> None:
    await h.send(who, "/new_deadline")
    await h.send(who, TITLE)
    await h.send(who, "13.12.2026")
    await h.tap(who, h.last_message(who.id), "За 14, 7 и 1 день")
    await h.tap(who, h.last_message(who.id), "Сохранить")


async def run_job(sessionmaker, i18n, clock) -> int:
    return await remind_report_deadlines(
        sessionmaker=sessionmaker, i18n_hub=i18n, clock=clock, zone_name=ZONE
    )


async def deliveries(repo) -> list[Delivery]:
    repo.session.expire_all()
    return list(await repo.session.scalars(select(Delivery).order_by(Delivery.id)))


# --- the dialog --------------------------------------------------------------------------------


async def test_the_dialog_refuses_each_bad_input_and_saves(harness: BotHarness, repo) -> None:
    h = harness
    await people(h, repo)
    await h.send(COORDINATOR, "/new_deadline")
    assert h.last_message(COORDINATOR.id).text == (
        "Что за отчёт? Напишите название (от 3 до 150 символов). /cancel — отменить."
    )
    await h.send(COORDINATOR, "Ок")
    assert h.last_message(COORDINATOR.id).text == "Название — от 3 до 150 символов."
    await h.send(COORDINATOR, "  Отчёт о работе   сетевого\nсообщества ")
    assert h.last_message(COORDINATOR.id).text == (
        "К какой дате сдать отчёт? Напишите дату, например 13.12.2026 или 13.12."
    )
    for bad, answer in (
        ("завтра", "Не понял дату: напишите её, например, 13.12.2026 или 13.12."),
        ("13.12.2026 года", "Не понял дату: напишите её, например, 13.12.2026 или 13.12."),
        ("31.02.2027", "Такой даты нет в календаре."),
        ("01.11.2026", "Эта дата уже прошла: срок не может быть в прошлом."),
    ):
        await h.send(COORDINATOR, bad)
        assert h.last_message(COORDINATOR.id).text == answer, bad
    await h.send(COORDINATOR, "13.12.2026")
    asked = h.last_message(COORDINATOR.id)
    assert asked.text.startswith("За сколько дней до срока напоминать?")
    assert labels(asked) == ["За 14, 7 и 1 день до срока"]
    for bad in ("никогда", "30 7 400", "1 2 3 4 5 6", "-1", ""):
        await h.send(COORDINATOR, bad or " ")
        answer = h.last_message(COORDINATOR.id)
        assert answer.text == OFFSETS_INVALID, bad
        assert labels(answer) == ["За 14, 7 и 1 день до срока"]  # the default stays at hand
    await h.send(COORDINATOR, "1, 30 7")
    preview = h.last_message(COORDINATOR.id)
    assert preview.html_text.splitlines() == [
        "Проверьте перед сохранением:",
        f"🗓 <b>{TITLE}</b>",
        "Срок: 13.12.2026 (остался 41 день)",
        "Напоминания: за 30 дней, за 7 дней, за 1 день",
        # the coordinator who blocked the bot cannot be reminded and is not counted
        "Напоминания получат координаторы: 2",
    ]
    assert labels(preview) == ["💾 Сохранить"]
    await h.tap(COORDINATOR, preview, "Сохранить")
    assert h.last_message(COORDINATOR.id).text == (
        f"✅ Срок «{TITLE}» (13.12.2026) сохранён. Напоминания получат координаторы: 2."
    )
    assert labels(h.now(preview)) == []  # the button is gone: no second save
    await h.press(COORDINATOR, preview, DeadlineCallback(action=DeadlineAction.NEW_SAVE).pack())
    assert h.alerts()[-1] == "Эта кнопка устарела. Откройте раздел заново."

    [deadline] = (await repo.session.scalars(select(ReportDeadline))).all()
    coordinator = await repo.users.by_telegram_id(COORDINATOR.id)
    assert (deadline.title, deadline.due_on, deadline.offsets, deadline.creator_id) == (
        TITLE,
        date(2026, 12, 13),
        [30, 7, 1],
        coordinator.id,
    )


async def test_the_default_offsets_and_an_admin_may_set_deadlines(
    harness: BotHarness, repo
) -> None:
    h = harness
    await people(h, repo)
    await create_deadline(h, ADMIN)
    [deadline] = (await repo.session.scalars(select(ReportDeadline))).all()
    assert deadline.offsets == [14, 7, 1]
    assert h.last_message(ADMIN.id).text.endswith("Напоминания получат координаторы: 2.")


async def test_others_are_refused_even_with_forged_buttons(harness: BotHarness, repo) -> None:
    h = harness
    await people(h, repo)
    methodist = await repo.users.by_telegram_id(TEACHER.id)
    await repo.users.grant_role(methodist, GlobalRole.METHODIST, None)
    await repo.session.commit()
    await create_deadline(h)
    deadline = await repo.session.scalar(select(ReportDeadline))

    for command in ("/new_deadline", "/deadlines"):
        await h.send(TEACHER, command)
        assert h.last_message(TEACHER.id).text == DENIED
    card = h.last_message(TEACHER.id)
    for action in (
        DeadlineAction.OPEN,
        DeadlineAction.SUBMIT,
        DeadlineAction.CANCEL_CONFIRM,
        DeadlineAction.NEW_DEFAULT,
        DeadlineAction.NEW_SAVE,
    ):
        await h.press(
            TEACHER, card, DeadlineCallback(action=action, deadline_id=deadline.id).pack()
        )
        assert h.alerts()[-1] == DENIED, action
    # an admin sets deadlines but owes no report: no "submitted" for them
    await h.press(
        ADMIN,
        h.last_message(ADMIN.id),
        DeadlineCallback(action=DeadlineAction.SUBMIT, deadline_id=deadline.id).pack(),
    )
    assert h.alerts()[-1] == DENIED
    deadline_id = deadline.id
    repo.session.expire_all()
    assert (await repo.session.get(ReportDeadline, deadline_id)).cancelled_at is None
    assert await repo.session.scalar(select(func.count()).select_from(ReportSubmission)) == 0


# --- the list and the card ---------------------------------------------------------------------


async def test_the_card_shows_who_has_not_submitted_and_marks_a_submission(
    harness: BotHarness, repo
) -> None:
    h = harness
    await people(h, repo)
    await create_deadline(h)
    await h.send(COORDINATOR, "/deadlines")
    listing = h.last_message(COORDINATOR.id)
    assert listing.text == "🗓 Сроки сдачи отчётов: 1"
    assert labels(listing) == [f"13.12.2026 · {TITLE}"]
    await h.tap(COORDINATOR, listing, TITLE)
    card = h.last_message(COORDINATOR.id)
    assert card.html_text.splitlines() == [
        f"🗓 <b>{TITLE}</b>",
        "Срок: 13.12.2026 (остался 41 день)",
        "Напоминания: за 14 дней, за 7 дней, за 1 день",
        "Сдали: 0 из 2",
        "Ещё не сдали: Кузнецова Ольга, Орлов Пётр",
    ]
    assert labels(card) == ["✅ Отметить как сданный", "🚫 Отменить срок", "« К списку сроков"]

    await h.tap(COORDINATOR, card, "Отметить как сданный")
    assert h.alerts()[-1] == MARKED
    card = h.now(card)
    assert card.text.splitlines()[3:] == [
        "Сдали: 1 из 2",
        "Уже сдали: Кузнецова Ольга",
        "Ещё не сдали: Орлов Пётр",
        "✅ Вы отметили отчёт как сданный.",
    ]
    assert labels(card) == ["↩️ Отменить отметку", "🚫 Отменить срок", "« К списку сроков"]
    # pressing an old "submitted" button again changes nothing
    deadline = await repo.session.scalar(select(ReportDeadline))
    await h.press(
        COORDINATOR,
        card,
        DeadlineCallback(action=DeadlineAction.SUBMIT, deadline_id=deadline.id, card=True).pack(),
    )
    rows = (await repo.session.scalars(select(ReportSubmission))).all()
    coordinator = await repo.users.by_telegram_id(COORDINATOR.id)
    assert [row.user_id for row in rows] == [coordinator.id]

    # the admin sees the same counts, may cancel, and has nothing to mark
    await h.send(ADMIN, "/deadlines")
    await h.tap(ADMIN, h.last_message(ADMIN.id), TITLE)
    admin_card = h.last_message(ADMIN.id)
    assert "Сдали: 1 из 2" in admin_card.text
    assert labels(admin_card) == ["🚫 Отменить срок", "« К списку сроков"]
    await h.tap(ADMIN, admin_card, "К списку")
    assert h.now(admin_card).text == "🗓 Сроки сдачи отчётов: 1"


# --- the reminder job --------------------------------------------------------------------------


async def test_reminders_come_on_time_once_and_stop_for_who_submitted(
    harness: BotHarness, repo, sessionmaker, clock, i18n: I18n
) -> None:
    h = harness
    deadline_id = await arranged(h, repo)
    first_id = (await repo.users.by_telegram_id(COORDINATOR.id)).id
    second_id = (await repo.users.by_telegram_id(SECOND_COORDINATOR.id)).id

    assert await run_job(sessionmaker, i18n, clock) == 0
    clock.now = DAY_14 - timedelta(minutes=1)
    assert await run_job(sessionmaker, i18n, clock) == 0
    assert await deliveries(repo) == []

    clock.now = DAY_14
    assert await run_job(sessionmaker, i18n, clock) == 2
    rows = await deliveries(repo)
    assert [(row.key, row.chat_id) for row in rows] == [
        (f"deadline:{deadline_id}:{first_id}:14", COORDINATOR.id),
        (f"deadline:{deadline_id}:{second_id}:14", SECOND_COORDINATOR.id),
    ]
    assert rows[0].text == (
        f"⏰ Срок сдачи отчёта «{TITLE}» — 13.12.2026 (осталось 14 дней).\n"
        "Если отчёт уже сдан, нажмите «Отметить как сданный», и напоминания прекратятся."
    )
    assert rows[0].markup["inline_keyboard"][0][0]["text"] == "✅ Отметить как сданный"
    assert rows[0].expires_at.replace(tzinfo=UTC) == datetime(2026, 12, 13, 21, 0, tzinfo=UTC)
    assert not rows[0].urgent

    clock.advance(15 * 60)  # the next run adds nothing
    assert await run_job(sessionmaker, i18n, clock) == 0
    assert len(await deliveries(repo)) == 2

    # the reminders go out; the first coordinator marks the report on the reminder itself
    assert await outbox_worker(h).drain() == 2
    reminder = h.last_message(COORDINATOR.id)
    assert reminder.text.startswith("⏰ Срок сдачи отчёта")
    await h.tap(COORDINATOR, reminder, "Отметить как сданный")
    assert h.alerts()[-1] == MARKED
    assert h.now(reminder).text.endswith(f"прекратятся.\n\n{MARKED}")
    assert labels(h.now(reminder)) == ["↩️ Отменить отметку"]

    # a week before, only the one who has not submitted hears again, in their own language
    await repo.users.set_locale(await repo.users.get(second_id), "en")
    await repo.session.commit()
    clock.now = DAY_7
    assert await run_job(sessionmaker, i18n, clock) == 1
    latest = (await deliveries(repo))[-1]
    assert (latest.key, latest.chat_id) == (
        f"deadline:{deadline_id}:{second_id}:7",
        SECOND_COORDINATOR.id,
    )
    assert latest.text == (
        f"⏰ The report “{TITLE}” is due on 13.12.2026 (7 days left).\n"
        "If you have submitted it, press “Mark as submitted” and the reminders stop."
    )
    assert latest.markup["inline_keyboard"][0][0]["text"] == "✅ Mark as submitted"

    # marking the report from /deadlines withdraws the reminder still waiting to go out
    await h.send(SECOND_COORDINATOR, "/deadlines")
    await h.tap(SECOND_COORDINATOR, h.last_message(SECOND_COORDINATOR.id), TITLE[:10])
    await h.tap(SECOND_COORDINATOR, h.last_message(SECOND_COORDINATOR.id), "Mark as submitted")
    repo.session.expire_all()
    withdrawn = (await deliveries(repo))[-1]
    assert (withdrawn.key, withdrawn.state) == (
        f"deadline:{deadline_id}:{second_id}:7",
        DeliveryState.CANCELLED,
    )


async def test_after_downtime_only_the_latest_reminder_and_nothing_after_the_date(
    harness: BotHarness, repo, sessionmaker, clock, i18n: I18n
) -> None:
    h = harness
    deadline_id = await arranged(h, repo)

    # down from before the 14-day reminder until the morning of the due day
    clock.now = datetime(2026, 12, 13, 6, 30, tzinfo=UTC)
    assert await run_job(sessionmaker, i18n, clock) == 2
    rows = await deliveries(repo)
    assert all(
        row.key.startswith(f"deadline:{deadline_id}:") and row.key.endswith(":1") for row in rows
    )
    assert "13.12.2026 (сегодня)" in rows[0].text
    assert await run_job(sessionmaker, i18n, clock) == 0

    clock.now = datetime(2026, 12, 13, 21, 0, tzinfo=UTC)  # midnight in Moscow: it has passed
    await h.send(COORDINATOR, "/deadlines")
    assert h.last_message(COORDINATOR.id).text.startswith("Предстоящих сроков")
    assert await run_job(sessionmaker, i18n, clock) == 0
    assert len(await deliveries(repo)) == 2


async def test_nothing_is_sent_for_a_deadline_whose_date_has_passed(
    harness: BotHarness, repo, sessionmaker, clock, i18n: I18n
) -> None:
    h = harness
    await people(h, repo)
    await create_deadline(h)
    clock.now = datetime(2026, 12, 14, 7, 0, tzinfo=UTC)
    assert await run_job(sessionmaker, i18n, clock) == 0
    assert await deliveries(repo) == []


async def test_cancelling_stops_pending_and_later_reminders(
    harness: BotHarness, repo, sessionmaker, clock, i18n: I18n
) -> None:
    h = harness
    deadline_id = await arranged(h, repo)
    clock.now = DAY_14
    assert await run_job(sessionmaker, i18n, clock) == 2

    await h.send(ADMIN, "/deadlines")
    await h.tap(ADMIN, h.last_message(ADMIN.id), TITLE)
    card = h.last_message(ADMIN.id)
    await h.tap(ADMIN, card, "Отменить срок")
    assert h.now(card).text == (
        f"Отменить срок «{TITLE}»? Координаторы больше не получат напоминаний."
    )
    assert labels(h.now(card)) == ["Да, отменить", "Нет, оставить"]
    await h.tap(ADMIN, h.now(card), "Да, отменить")
    assert h.alerts()[-1] == "Срок отменён, напоминания остановлены."
    assert h.now(card).text.splitlines()[-1] == "🚫 Срок отменён."
    assert labels(h.now(card)) == ["« К списку сроков"]

    assert {row.state for row in await deliveries(repo)} == {DeliveryState.CANCELLED}
    clock.now = DAY_7
    assert await run_job(sessionmaker, i18n, clock) == 0
    assert len(await deliveries(repo)) == 2
    await h.send(COORDINATOR, "/deadlines")
    assert h.last_message(COORDINATOR.id).text == (
        "Предстоящих сроков сдачи отчётов нет. Назначить срок: /new_deadline"
    )
    # a reminder's button pressed after the cancelling
    await h.press(
        COORDINATOR,
        h.last_message(COORDINATOR.id),
        DeadlineCallback(action=DeadlineAction.SUBMIT, deadline_id=deadline_id).pack(),
    )
    assert h.alerts()[-1] == "Этот срок отменён."
    await h.press(
        COORDINATOR,
        h.last_message(COORDINATOR.id),
        DeadlineCallback(action=DeadlineAction.SUBMIT, deadline_id=deadline_id + 99).pack(),
    )
    assert h.alerts()[-1] == "Срок не найден."


# --- texts -------------------------------------------------------------------------------------


def test_the_command_menu_and_every_deadline_text_exist_in_both_locales() -> None:
    assert "deadlines" in COMMANDS
    root = Path(__file__).resolve().parent.parent
    used: set[str] = set()
    for path in ("handlers/deadlines.py", "storage/repositories/deadlines.py", "scheduler/jobs.py"):
        used |= set(re.findall(r"""["'](deadlines?-[a-z0-9-]+)["']""", (root / path).read_text()))
    assert len(used) > 30
    for locale in ("ru", "en"):
        keys = messages(locale).keys()
        assert sorted(used - keys) == [], locale
        assert [name for name in COMMANDS if f"command-{name}" not in keys] == [], locale


async def test_the_reminder_job_is_scheduled_every_quarter_hour(
    settings, sessionmaker, harness: BotHarness, i18n: I18n
) -> None:
    scheduler = create_scheduler(
        settings=settings,
        sessionmaker=sessionmaker,
        bot=harness.bot,
        i18n_hub=i18n,
    )
    job = scheduler.get_job("remind-report-deadlines")
    assert job is not None
    assert job.trigger.interval == timedelta(minutes=15)
    assert (job.coalesce, job.max_instances) == (True, 1)
    assert job.kwargs["zone_name"] == settings.time_zone == ZONE


# --- one way to write a date in every dialog (issue 13) ----------------------------------------

SAME_DAY_FORMS = ("25.12", "25.12.2026", "25.12.26", "25/12", "25/12/2026", " 25.12.2026 ")


async def test_deadlines_and_events_accept_the_same_ways_of_writing_a_day(
    harness: BotHarness, repo
) -> None:
    """ "25.12" that /new_event takes is taken by /new_deadline too, and so is every other
    form: one parser (handlers/dates.py) for every dialog."""
    from storage.models import Event

    h = harness
    await people(h, repo)
    await setup_community(h, repo)
    await methodist(h, repo)
    for form in SAME_DAY_FORMS:
        await h.send(COORDINATOR, "/new_deadline")
        await h.send(COORDINATOR, TITLE)
        await h.send(COORDINATOR, form)
        assert h.last_message(COORDINATOR.id).text.startswith(
            "За сколько дней до срока напоминать?"
        ), form
        await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "За 14, 7 и 1 день")
        assert "Срок: 25.12.2026 (" in h.last_message(COORDINATOR.id).text, form
        await h.send(COORDINATOR, "/cancel")

        await h.send(METHODIST, "/new_event")
        await h.tap(METHODIST, h.last_message(METHODIST.id), "Заседание МО")
        await h.send(METHODIST, "Заседание МО учителей математики")
        await h.tap(METHODIST, h.last_message(METHODIST.id), "Пропустить")
        await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
        await h.send(METHODIST, f"{form.strip()} 15:00")
        assert h.last_message(METHODIST.id).text.startswith("Продолжительность"), form
        await h.send(METHODIST, "60")
        await h.send(METHODIST, "Школа № 1")
        await h.tap(METHODIST, h.last_message(METHODIST.id), "Без ограничения")
        await h.tap(METHODIST, h.last_message(METHODIST.id), "Каждую неделю")
        # the series' last day, in the same form one month on
        await h.send(
            METHODIST,
            form.replace("25.12", "25.01")
            .replace("25/12", "25/01")
            .replace(".2026", ".2027")
            .replace("/2026", "/2027")
            .replace(".26", ".27"),
        )
        preview = h.last_message(METHODIST.id).text
        assert preview.startswith("Проверьте перед публикацией:"), form
        assert "Когда: 25.12.2026 15:00 (МСК), 60 мин." in preview, form
        assert "Встреч: 5, последняя — 22.01.2027." in preview, form
        await h.send(METHODIST, "/cancel")
    # a day gone by this year is next year's when the year is left out
    await h.send(COORDINATOR, "/new_deadline")
    await h.send(COORDINATOR, TITLE)
    await h.send(COORDINATOR, "15.01")
    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "За 14, 7 и 1 день")
    assert "Срок: 15.01.2027 (" in h.last_message(COORDINATOR.id).text
    assert await repo.session.scalar(select(func.count()).select_from(Event)) == 0


async def test_a_mark_can_be_undone_and_the_reminders_resume(
    harness: BotHarness, repo, sessionmaker, clock, i18n: I18n
) -> None:
    """ "Отметить как сданный" pressed by mistake is taken back on the card or on the
    reminder; the coordinator is pending again and the next reminder comes."""
    h = harness
    deadline_id = await arranged(h, repo)
    first_id = (await repo.users.by_telegram_id(COORDINATOR.id)).id

    # on the card
    await h.send(COORDINATOR, "/deadlines")
    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), TITLE)
    card = h.last_message(COORDINATOR.id)
    await h.tap(COORDINATOR, card, "Отметить как сданный")
    await h.tap(COORDINATOR, h.now(card), "Отменить отметку")
    assert h.alerts()[-1] == ("↩️ Отметка снята. Напоминания возобновятся: следующее — 29.11.2026.")
    card = h.now(card)
    assert card.text.splitlines()[3:] == [
        "Сдали: 0 из 2",
        "Ещё не сдали: Кузнецова Ольга, Орлов Пётр",
    ]
    assert labels(card) == ["✅ Отметить как сданный", "🚫 Отменить срок", "« К списку сроков"]
    assert await repo.session.scalar(select(func.count()).select_from(ReportSubmission)) == 0
    # a second press of the stale undo changes nothing and says so
    await h.press(
        COORDINATOR,
        card,
        DeadlineCallback(action=DeadlineAction.UNSUBMIT, deadline_id=deadline_id, card=True).pack(),
    )
    assert h.alerts()[-1] == "Отчёт и так не отмечен как сданный."

    # on the reminder
    clock.now = DAY_14
    assert await run_job(sessionmaker, i18n, clock) == 2
    assert await outbox_worker(h).drain() == 2
    reminder = h.last_message(COORDINATOR.id)
    original = reminder.text
    await h.tap(COORDINATOR, reminder, "Отметить как сданный")
    await h.tap(COORDINATOR, h.now(reminder), "Отменить отметку")
    assert h.alerts()[-1] == ("↩️ Отметка снята. Напоминания возобновятся: следующее — 06.12.2026.")
    assert h.now(reminder).text == original
    # as it came: the mark, and the report since the academic year began (no deadline before)
    assert labels(h.now(reminder)) == [
        "✅ Отметить как сданный",
        "📊 Отчёт за период 01.09–13.12.2026",
    ]

    # the reminders resume for them: the week-before one comes to both again
    clock.now = DAY_7
    assert await run_job(sessionmaker, i18n, clock) == 2
    assert f"deadline:{deadline_id}:{first_id}:7" in [row.key for row in await deliveries(repo)]

    # on the last reminder's day, once it is queued, nothing is left to come: it says so
    clock.now = DAY_1
    assert await run_job(sessionmaker, i18n, clock) == 2
    await h.tap(COORDINATOR, h.now(reminder), "Отметить как сданный")
    await h.tap(COORDINATOR, h.now(reminder), "Отменить отметку")
    assert h.alerts()[-1] == "↩️ Отметка снята. До срока напоминаний больше не запланировано."

    # only coordinators, and only their own mark
    await h.press(
        TEACHER,
        card,
        DeadlineCallback(action=DeadlineAction.UNSUBMIT, deadline_id=deadline_id).pack(),
    )
    assert h.alerts()[-1] == DENIED


async def test_a_reminder_sent_in_the_older_button_format_still_marks_the_report(
    harness: BotHarness, repo, sessionmaker, clock, i18n: I18n
) -> None:
    """A reminder sent before the buttons' format changed (dl1) still marks the report."""
    h = harness
    deadline_id = await arranged(h, repo)
    clock.now = DAY_14
    await run_job(sessionmaker, i18n, clock)
    await outbox_worker(h).drain()
    reminder = h.last_message(COORDINATOR.id)

    await h.press(COORDINATOR, reminder, f"dl1:sub:{deadline_id}:")

    assert h.alerts()[-1] == MARKED
    assert labels(h.now(reminder)) == ["↩️ Отменить отметку"]
