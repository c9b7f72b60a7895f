"""Events: the organiser's dialog with its bad inputs, time zones, answers with a waiting
list, reminders through the outbox, the .ics file, cancelling."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from bot.callbacks import EventAction, EventCallback
from bot.keyboards import paired_rows
from handlers.events import ics_file
from storage.clock import as_utc
from storage.enums import DeliveryState, GlobalRole, RsvpStatus
from storage.models import Delivery, Event, EventRsvp
from tests.flows import create_event, methodist, open_listed, outbox_worker, setup_community
from tests.harness import BotHarness, labels
from tests.people import METHODIST, MODERATOR, READER, TEACHER

START = datetime(2026, 12, 25, 12, 0, tzinfo=UTC)  # 15:00 in Moscow


async def test_the_dialog_refuses_each_bad_input_and_publishes_to_the_community(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Вебинар")
    await h.send(METHODIST, "Ок")
    assert h.last_message(METHODIST.id).text == "Название — от 3 до 150 символов."
    await h.send(METHODIST, "Проектная деятельность")
    assert h.last_message(METHODIST.id).text.startswith("Коротко опишите мероприятие")
    await h.send(METHODIST, "я" * 1001)
    assert h.last_message(METHODIST.id).text == "Описание — до 1000 символов."
    await h.send(METHODIST, "Для 5–9 классов: проект от замысла до защиты <с презентацией>.")
    assert labels(h.last_message(METHODIST.id))[0] == "вся сеть"
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    for bad, answer in (
        ("завтра", "Не понял дату: напишите, например, 25.12.2026 15:00."),
        ("31.02.2027 10:00", "Такой даты нет в календаре."),
        ("01.09.2026 10:00", "Эта дата уже прошла."),
        (
            "25.12 15:00 Mars/Olympus",
            "Не знаю часового пояса «Mars/Olympus»: укажите, например, Europe/Moscow или Asia/Yekaterinburg.",
        ),
    ):
        await h.send(METHODIST, bad)
        assert h.last_message(METHODIST.id).text == answer
    await h.send(METHODIST, "25.12 14:00 Asia/Yekaterinburg")  # 09:00 UTC
    await h.send(METHODIST, "час")
    assert h.last_message(METHODIST.id).text.startswith("Продолжительность — число минут")
    await h.send(METHODIST, "60")
    await h.send(METHODIST, "https://sferum.ru/webinar/77")
    await h.send(METHODIST, "ноль")
    assert h.last_message(METHODIST.id).text == "Число мест — от 1 до 100000."
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Без ограничения")
    assert h.last_message(METHODIST.id).text == "Повторять мероприятие?"
    assert labels(h.last_message(METHODIST.id)) == [
        "Один раз",
        "Каждую неделю, по пятницам",
        "Раз в две недели, по пятницам",
        "Каждый месяц, в четвёртую пятницу",
        "Каждый месяц, 25-го числа",
    ]
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Один раз")
    preview = h.last_message(METHODIST.id)
    assert preview.html_text.splitlines()[:3] == [
        "Проверьте перед публикацией:",
        "📅 <b>Вебинар: Проектная деятельность</b>",
        "Когда: 25.12.2026 12:00 (МСК), 60 мин.",
    ]
    reader = await repo.users.by_telegram_id(READER.id)
    reader.time_zone = "Asia/Yekaterinburg"  # each recipient reads their own time
    await repo.session.commit()
    # On a phone no label of the preview is cut: the longer ones have a row each.
    assert [len(row) for row in preview.reply_markup.inline_keyboard] == [1, 1, 1, 1]
    await h.tap(METHODIST, preview, "Опубликовать")
    assert h.last_message(METHODIST.id).text == (
        "📣 Мероприятие опубликовано. Приглашения получат: 3."
    )
    assert h.now(preview).reply_markup is None  # published: it cannot be pressed again
    own = await repo.session.scalar(select(Delivery).where(Delivery.chat_id == READER.id))
    assert "Когда: 25.12.2026 14:00 (МСК+2), 60 мин." in own.text
    # the organiser's text is shown as written, never read as markup
    assert own.text.endswith("Для 5–9 классов: проект от замысла до защиты &lt;с презентацией&gt;.")
    event = await repo.session.scalar(select(Event))
    assert event.starts_at.replace(tzinfo=UTC) == datetime(2026, 12, 25, 9, 0, tzinfo=UTC)
    invitations = (
        await repo.session.scalars(select(Delivery).where(Delivery.key.contains(":announce:")))
    ).all()
    assert sorted(d.chat_id for d in invitations) == sorted([TEACHER.id, MODERATOR.id, READER.id])
    teachers = next(d for d in invitations if d.chat_id == TEACHER.id)
    assert "Когда: 25.12.2026 12:00 (МСК)" in teachers.text


async def test_a_step_left_behind_keeps_its_answer_and_its_buttons_go_stale(
    harness: BotHarness, repo
) -> None:
    """A refused answer offers the step's button again; once the dialog has moved on, a
    button of an earlier step changes nothing and says so; a demoted organiser's next
    answer is refused."""
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Семинар")
    await h.send(METHODIST, "Функциональная грамотность")
    await h.send(METHODIST, "я" * 1001)
    refusal = h.last_message(METHODIST.id)
    assert refusal.text == "Описание — до 1000 символов."
    assert labels(refusal) == ["Пропустить"]
    await h.tap(METHODIST, refusal, "Пропустить")
    assert h.last_message(METHODIST.id).text.startswith("Для кого")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.tap(METHODIST, refusal, "Пропустить")  # the description step is behind
    assert h.alerts()[-1] == "Эта кнопка устарела. Откройте раздел заново."
    assert h.last_message(METHODIST.id).text.startswith("Когда начало")
    await h.send(METHODIST, "25.12.2026 15:00")
    assert h.last_message(METHODIST.id).text.startswith("Продолжительность")
    organiser = await repo.users.by_telegram_id(METHODIST.id)
    await repo.users.revoke_role(organiser, GlobalRole.METHODIST, None)
    await repo.session.commit()
    await h.send(METHODIST, "90")
    assert h.last_message(METHODIST.id).text == "⛔ У вас нет прав на это действие."
    assert await repo.session.scalar(select(Event)) is None


async def test_a_member_cannot_organise(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(READER, "/new_event")
    assert h.last_message(READER.id).text == "⛔ У вас нет прав на это действие."


async def test_capacity_waiting_list_and_reminders(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await create_event(h, capacity="1")
    event = await repo.session.scalar(select(Event))
    card = EventCallback(action=EventAction.OPEN, event_id=event.id).pack()
    going = EventCallback(action=EventAction.GOING, event_id=event.id).pack()
    not_going = EventCallback(action=EventAction.NOT_GOING, event_id=event.id).pack()

    await h.send(READER, "/events")
    await open_listed(h, READER, h.last_message(READER.id), "Функциональная")
    await h.press(READER, h.last_message(READER.id), going)
    assert h.alerts()[-1] == "✅ Вы придёте."
    await h.send(TEACHER, "/events")
    await h.press(TEACHER, h.last_message(TEACHER.id), card)
    await h.press(TEACHER, h.last_message(TEACHER.id), going)
    assert h.alerts()[-1] == "⏳ Мест нет — вы в листе ожидания."

    reader = await repo.users.by_telegram_id(READER.id)
    reminders = (
        await repo.session.scalars(
            select(Delivery).where(Delivery.key.startswith(f"event:{event.id}:remind:"))
        )
    ).all()
    assert sorted((d.key, d.not_before.replace(tzinfo=UTC)) for d in reminders) == [
        (f"event:{event.id}:remind:{reader.id}:0:1440", START - timedelta(days=1)),
        (f"event:{event.id}:remind:{reader.id}:0:60", START - timedelta(hours=1)),
    ]
    assert all(d.expires_at.replace(tzinfo=UTC) == START for d in reminders)

    event_id = event.id
    await h.press(READER, h.last_message(READER.id), not_going)  # the place goes to Мария
    repo.session.expire_all()
    event = await repo.events.get(event_id)
    answers = {a.user_id: a.status for a in await repo.events.attendees(event)}
    teacher = await repo.users.by_telegram_id(TEACHER.id)
    assert answers == {teacher.id: RsvpStatus.GOING}
    states = {
        d.key: d.state
        for d in (await repo.session.scalars(select(Delivery))).all()
        if ":remind:" in d.key or ":promoted:" in d.key
    }
    assert states[f"event:{event.id}:remind:{reader.id}:0:60"] is DeliveryState.CANCELLED
    assert states[f"event:{event.id}:remind:{teacher.id}:0:60"] is DeliveryState.PENDING
    assert states[f"event:{event.id}:promoted:{teacher.id}"] is DeliveryState.PENDING

    # the bot was down through the last hour: the hour's reminder is dropped, not sent late
    clock.now = START + timedelta(minutes=5)

    worker = outbox_worker(h)
    teacher_id = teacher.id
    await worker.drain()
    repo.session.expire_all()
    late = await repo.session.scalar(
        select(Delivery).where(Delivery.key == f"event:{event_id}:remind:{teacher_id}:0:60")
    )
    assert (late.state, late.last_error) == (DeliveryState.CANCELLED, "expired")


async def test_the_ics_file_and_cancelling(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await create_event(h, capacity=None)
    event = await repo.session.scalar(select(Event))

    calendar = icalendar.Calendar.from_ical(ics_file(event))
    [item] = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Функциональная грамотность на уроках математики"
    assert item.decoded("dtstart") == START
    assert item.decoded("dtend") == START + timedelta(minutes=90)
    assert str(item["location"]) == "Школа № 1, актовый зал"

    going = EventCallback(action=EventAction.GOING, event_id=event.id).pack()
    await h.send(READER, "/events")
    await h.press(READER, h.last_message(READER.id), going)
    await h.press(
        READER,
        h.last_message(READER.id),
        EventCallback(action=EventAction.ICS, event_id=event.id).pack(),
    )
    assert [c for c in h.session.calls if c.name == "sendDocument"][-1].method.chat_id == READER.id

    await h.press(
        READER,
        h.last_message(READER.id),
        EventCallback(action=EventAction.CANCEL, event_id=event.id).pack(),
    )
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    await h.send(METHODIST, "/events")
    await h.press(
        METHODIST,
        h.last_message(METHODIST.id),
        EventCallback(action=EventAction.CANCEL, event_id=event.id).pack(),
    )
    assert h.alerts()[-1] == "Мероприятие отменено, записавшиеся предупреждены."
    rows = {d.key: d.state for d in (await repo.session.scalars(select(Delivery))).all()}
    reader = await repo.users.by_telegram_id(READER.id)
    assert rows[f"event:{event.id}:remind:{reader.id}:0:60"] is DeliveryState.CANCELLED
    assert rows[f"event:{event.id}:cancelled:{reader.id}"] is DeliveryState.PENDING
    assert rows[f"event:{event.id}:announce:{reader.id}"] is DeliveryState.CANCELLED


async def series_dialog(h: BotHarness, until: str) -> None:
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Заседание МО")
    await h.send(METHODIST, "Методическое объединение учителей математики")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Пропустить")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.send(METHODIST, "08.12.2026 15:00")  # the second Tuesday of December
    await h.send(METHODIST, "60")
    await h.send(METHODIST, "Школа № 1, каб. 12")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Без ограничения")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "во второй вторник")
    assert h.last_message(METHODIST.id).text == "До какой даты повторять? Например: 25.05.2027."
    await h.send(METHODIST, until)


async def test_a_monthly_series_on_the_second_tuesday(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await series_dialog(h, "весной")
    assert h.last_message(METHODIST.id).text == "Не понял дату: напишите, например, 25.05.2027."
    await h.send(METHODIST, "01.12.2026")
    assert h.last_message(METHODIST.id).text == (
        "Дата окончания — после первой встречи и не дальше чем через 366 дней."
    )
    await h.send(METHODIST, "31.05.2027")
    preview = h.last_message(METHODIST.id).text.splitlines()
    assert "🔁 Каждый месяц, во второй вторник" in preview
    assert "Встреч: 6, последняя — 11.05.2027." in preview
    assert "Напоминания: за день, за час" in preview
    assert "Приглашения: сразу после публикации" in preview
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Опубликовать")
    assert h.last_message(METHODIST.id).text == (
        "📣 Серия опубликована, встреч: 6. Приглашения получат: 3."
    )
    events = (await repo.session.scalars(select(Event).order_by(Event.starts_at))).all()
    # 15:00 in Moscow each time: the second Tuesday of each month
    assert [e.starts_at.replace(tzinfo=UTC) for e in events] == [
        datetime(2026, 12, 8, 12, 0, tzinfo=UTC),
        datetime(2027, 1, 12, 12, 0, tzinfo=UTC),
        datetime(2027, 2, 9, 12, 0, tzinfo=UTC),
        datetime(2027, 3, 9, 12, 0, tzinfo=UTC),
        datetime(2027, 4, 13, 12, 0, tzinfo=UTC),
        datetime(2027, 5, 11, 12, 0, tzinfo=UTC),
    ]
    assert {e.series_id for e in events} == {events[0].id}
    # one invitation per member for the whole series, not six
    invitations = (
        await repo.session.scalars(select(Delivery).where(Delivery.key.contains(":announce:")))
    ).all()
    assert len(invitations) == 3
    assert "🔁 Встреч в серии: 6, последняя — 11.05.2027." in invitations[0].text
    # /events shows the series once, at its next date
    await h.send(READER, "/events")
    listing = h.last_message(READER.id)
    assert listing.html_text.splitlines()[2:] == [
        "1. <b>Методическое объединение учителей математики</b> 🔁",
        "📅 08.12.2026 15:00 · Заседание МО · Математики",
    ]
    assert labels(listing) == ["1"]

    # cancelling one date of a series asks which; the whole rest of it goes
    first_id = events[0].id
    await h.press(
        METHODIST,
        h.last_message(METHODIST.id),
        EventCallback(action=EventAction.CANCEL, event_id=events[1].id).pack(),
    )
    assert h.last_message(METHODIST.id).text == (
        "Отменить только эту встречу или всю оставшуюся серию?"
    )
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Только эту встречу")
    assert h.alerts()[-1] == "Мероприятие отменено, записавшиеся предупреждены."
    await h.press(
        METHODIST,
        h.last_message(METHODIST.id),
        EventCallback(action=EventAction.CANCEL, event_id=first_id).pack(),
    )
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Эту и все следующие")
    assert h.alerts()[-1] == "Отменено встреч: 5; записавшиеся предупреждены."


async def test_reminders_and_a_later_announcement_are_chosen_in_the_preview(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Мастер-класс")
    await h.send(METHODIST, "Читательская грамотность")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Пропустить")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.send(METHODIST, "25.12.2026 15:00")
    await h.send(METHODIST, "45")
    await h.send(METHODIST, "Онлайн")
    await h.send(METHODIST, "30")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Один раз")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Напоминания")
    assert "Напоминания: за час" in h.last_message(METHODIST.id).text
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Пригласить позже")
    await h.send(METHODIST, "26.12.2026 10:00")
    assert h.last_message(METHODIST.id).text == "Приглашения должны уйти до начала мероприятия."
    await h.send(METHODIST, "20.12.2026 10:00")
    assert "Приглашения: 20.12.2026 10:00" in h.last_message(METHODIST.id).text
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Закрыть запись раньше")
    await h.send(METHODIST, "25.12.2026 16:00")
    assert h.last_message(METHODIST.id).text == "Запись должна закрыться до начала мероприятия."
    await h.send(METHODIST, "24.12.2026 18:00")
    assert "Запись до: 24.12.2026 18:00" in h.last_message(METHODIST.id).text
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Опубликовать")
    assert h.last_message(METHODIST.id).text == (
        "📣 Мероприятие сохранено. Приглашения (3) уйдут 20.12.2026 10:00 (МСК)."
    )
    event = await repo.session.scalar(select(Event))
    assert event.reminders == [60]
    assert event.registration_until.replace(tzinfo=UTC) == datetime(2026, 12, 24, 15, 0, tzinfo=UTC)
    invitations = (
        await repo.session.scalars(select(Delivery).where(Delivery.key.contains(":announce:")))
    ).all()
    assert {d.not_before.replace(tzinfo=UTC) for d in invitations} == {
        datetime(2026, 12, 20, 7, 0, tzinfo=UTC)
    }
    # an edit before the invitations go out: they go out saying what is true
    await h.send(METHODIST, "/events")
    await open_listed(h, METHODIST, h.last_message(METHODIST.id), "Читательская")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Изменить")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Место")
    await h.send(METHODIST, "https://sferum.ru/webinar/90")
    repo.session.expire_all()
    invitations = select(Delivery).where(Delivery.key.contains(":announce:"))
    texts = {d.text for d in (await repo.session.scalars(invitations)).all()}
    assert len(texts) == 1
    assert "Где: https://sferum.ru/webinar/90" in texts.pop()

    # after the sign-up closes, "I'll come" is refused; "Can't come" still frees a place
    clock.now = datetime(2026, 12, 24, 15, 1, tzinfo=UTC)
    await h.send(READER, "/events")
    await open_listed(h, READER, h.last_message(READER.id), "Читательская")
    assert "Запись до: 24.12.2026 18:00" in h.last_message(READER.id).text
    await h.tap(READER, h.last_message(READER.id), "Приду")
    assert h.alerts()[-1] == "Запись на это мероприятие закрыта."
    await h.tap(READER, h.last_message(READER.id), "Не смогу")
    assert h.alerts()[-1] == "Вы не придёте."


async def test_rescheduling_tells_those_coming_and_moves_their_reminders(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await create_event(h, capacity=None)
    event = await repo.session.scalar(select(Event))
    event_id = event.id
    await h.send(READER, "/events")
    await h.press(
        READER,
        h.last_message(READER.id),
        EventCallback(action=EventAction.GOING, event_id=event_id).pack(),
    )
    # a member cannot edit, even with a forged button
    await h.press(
        READER,
        h.last_message(READER.id),
        EventCallback(action=EventAction.EDIT, event_id=event_id).pack(),
    )
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."

    await h.send(METHODIST, "/events")
    await open_listed(h, METHODIST, h.last_message(METHODIST.id), "Функциональная")
    assert "✏️ Изменить" in labels(h.last_message(METHODIST.id))
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Изменить")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Дату и время")
    await h.send(METHODIST, "30.02.2027 15:00")
    assert h.last_message(METHODIST.id).text == "Такой даты нет в календаре."
    await h.send(METHODIST, "26.12.2026 16:30")
    assert h.sent_to(METHODIST.id)[-2].text == "✏️ Сохранено. Записавшихся предупредим: 1."

    repo.session.expire_all()
    reader = await repo.users.by_telegram_id(READER.id)
    rows = {d.key: d for d in (await repo.session.scalars(select(Delivery))).all()}
    notice = rows[f"event:{event_id}:changed:1:{reader.id}"]
    assert notice.text.splitlines() == [
        "✏️ Изменения в мероприятии «Функциональная грамотность на уроках математики»:",
        "Когда: 25.12.2026 15:00 (МСК) → 26.12.2026 16:30 (МСК)",
    ]
    assert rows[f"event:{event_id}:remind:{reader.id}:0:60"].state is DeliveryState.CANCELLED
    moved = rows[f"event:{event_id}:remind:{reader.id}:1:60"]
    assert moved.state is DeliveryState.PENDING
    assert moved.not_before.replace(tzinfo=UTC) == datetime(2026, 12, 26, 12, 30, tzinfo=UTC)
    # the organiser is asked who came at the new end, not the old one
    assert rows[f"event:{event_id}:attendance:0"].state is DeliveryState.CANCELLED
    ask = rows[f"event:{event_id}:attendance:1"]
    assert (ask.state, ask.not_before.replace(tzinfo=UTC)) == (
        DeliveryState.PENDING,
        datetime(2026, 12, 26, 15, 0, tzinfo=UTC),
    )

    # the calendar file carries the new time and a higher sequence
    event = await repo.events.get(event_id)
    [item] = icalendar.Calendar.from_ical(ics_file(event)).walk("VEVENT")
    assert item.decoded("dtstart") == datetime(2026, 12, 26, 13, 30, tzinfo=UTC)
    assert int(item["sequence"]) == 1


async def answered_by_three(h: BotHarness, repo) -> int:
    """Пётр and Мария answer "I'll come" to the event, Ольга "can't come"; its id."""
    event_id = (await repo.session.scalar(select(Event))).id
    for person_, going in ((READER, True), (TEACHER, True), (MODERATOR, False)):
        await h.send(person_, "/events")
        await h.press(
            person_,
            h.last_message(person_.id),
            EventCallback(
                action=EventAction.GOING if going else EventAction.NOT_GOING, event_id=event_id
            ).pack(),
        )
    return event_id


async def test_the_organiser_exports_the_list_and_messages_those_coming(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await create_event(h, capacity="1")
    await answered_by_three(h, repo)
    await h.send(METHODIST, "/events")
    await open_listed(h, METHODIST, h.last_message(METHODIST.id), "Функциональная")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Участники")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "CSV")
    document = [c for c in h.session.calls if c.name == "sendDocument"][-1].method
    assert document.chat_id == METHODIST.id
    assert document.caption == ("👥 «Функциональная грамотность на уроках математики»: ответов 3.")
    assert document.document.data.startswith(b"\xef\xbb\xbf")
    content = document.document.data.decode("utf-8-sig").splitlines()
    # ";" as Excel with Russian settings expects, so the columns open as columns
    assert content[0] == "ФИО;Telegram;Организация;Ответ;Когда ответил(а);Пришёл(ла)"
    assert [line.split(";")[3] for line in content[1:]] == [
        "придёт",
        "в листе ожидания",
        "не придёт",
    ]

    await h.send(METHODIST, "/events")
    await open_listed(h, METHODIST, h.last_message(METHODIST.id), "Функциональная")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Написать участникам")
    assert h.last_message(METHODIST.id).text.startswith("Напишите сообщение для записавшихся (2)")
    await h.send(METHODIST, "Возьмите, пожалуйста, ноутбуки.")
    assert labels(h.last_message(METHODIST.id)) == ["✉️ Отправить (2)"]
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Отправить")
    assert h.last_message(METHODIST.id).text == "✉️ Сообщение отправляется: 2."
    messages = (
        await repo.session.scalars(select(Delivery).where(Delivery.key.contains(":message:")))
    ).all()
    assert sorted(d.chat_id for d in messages) == sorted([READER.id, TEACHER.id])
    assert messages[0].text == (
        "✉️ «Функциональная грамотность на уроках математики»: Возьмите, пожалуйста, ноутбуки."
    )


# --- issue 13: the card's title and way back, a series' calendar file -------------------------


async def test_the_card_names_the_kind_once_and_leads_back_to_the_list(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await series_dialog(h, "31.05.2027")  # "Заседание МО" titled "Методическое объединение…"
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Опубликовать")
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Заседание МО")
    await h.send(METHODIST, "Заседание МО учителей физики")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Пропустить")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.send(METHODIST, "10.12 15:00")
    await h.send(METHODIST, "60")
    await h.send(METHODIST, "Школа № 2")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Без ограничения")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Один раз")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Опубликовать")

    await h.send(READER, "/events")
    listing = h.last_message(READER.id)
    await open_listed(h, READER, listing, "учителей физики")
    card = h.now(listing)  # the list turns into the card in place
    assert card.html_text.splitlines()[0] == "📅 <b>Заседание МО учителей физики</b>"
    assert labels(card)[-1] == "← К мероприятиям"
    await h.tap(READER, card, "К мероприятиям")
    assert h.now(card).text.startswith("📅 Ближайшие мероприятия: 2\n\n1. ")
    await open_listed(h, READER, h.now(card), "учителей математики")
    # a title that does not start with the kind keeps it
    assert h.now(card).html_text.splitlines()[0] == (
        "📅 <b>Заседание МО: Методическое объединение учителей математики</b>"
    )
    assert labels(h.now(card))[-1] == "← К мероприятиям"
    # the organiser's card leads back too
    await h.send(METHODIST, "/events")
    await open_listed(h, METHODIST, h.last_message(METHODIST.id), "учителей физики")
    assert labels(h.last_message(METHODIST.id))[-1] == "← К мероприятиям"


def expand(item) -> list[datetime]:
    """The meetings a calendar app shows for a VEVENT: its RRULE from DTSTART, less EXDATEs."""
    from dateutil import rrule

    start = item.decoded("dtstart")
    if "rrule" not in item:
        return [start]
    rule = rrule.rrulestr(item["rrule"].to_ical().decode(), dtstart=start)
    excluded = {d.dt for d in item["exdate"].dts} if "exdate" in item else set()
    return [moment for moment in rule if moment not in excluded]


async def test_a_series_calendar_file_repeats_as_the_series_does(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await series_dialog(h, "31.05.2027")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Опубликовать")
    events = (await repo.session.scalars(select(Event).order_by(Event.starts_at))).all()
    # the January meeting is cancelled
    await h.press(
        METHODIST,
        h.last_message(METHODIST.id),
        EventCallback(action=EventAction.CANCEL, event_id=events[1].id).pack(),
    )
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Только эту встречу")

    await h.send(READER, "/events")
    await open_listed(h, READER, h.last_message(READER.id), "Методическое")
    await h.tap(READER, h.last_message(READER.id), "В календарь")
    document = [c for c in h.session.calls if c.name == "sendDocument"][-1].method
    assert document.chat_id == READER.id
    assert document.document.filename == (
        "Методическое_объединение_учителей_математики_2026-12-08.ics"
    )
    calendar = icalendar.Calendar.from_ical(document.document.data)
    [item] = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Методическое объединение учителей математики"
    assert item["rrule"].to_ical().decode() == "FREQ=MONTHLY;UNTIL=20270511T120000Z;BYDAY=2TU"
    assert item["dtstart"].params["TZID"] == "Europe/Moscow"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Moscow"]
    moscow = ZoneInfo("Europe/Moscow")
    assert [d.dt for d in item["exdate"].dts] == [datetime(2027, 1, 12, 15, 0, tzinfo=moscow)]
    assert expand(item) == [
        datetime(2026, 12, 8, 15, 0, tzinfo=moscow),
        datetime(2027, 2, 9, 15, 0, tzinfo=moscow),
        datetime(2027, 3, 9, 15, 0, tzinfo=moscow),
        datetime(2027, 4, 13, 15, 0, tzinfo=moscow),
        datetime(2027, 5, 11, 15, 0, tzinfo=moscow),
    ]


@pytest.mark.parametrize(
    ("first", "recurrence", "until", "rule"),
    [
        (
            datetime(2026, 12, 8, 12, 0, tzinfo=UTC),
            "weekly",
            date(2027, 1, 5),
            "FREQ=WEEKLY;UNTIL=20270105T120000Z",
        ),
        (
            datetime(2026, 12, 8, 12, 0, tzinfo=UTC),
            "biweekly",
            date(2027, 2, 1),
            "FREQ=WEEKLY;UNTIL=20270119T120000Z;INTERVAL=2",
        ),
        (
            datetime(2026, 12, 29, 12, 0, tzinfo=UTC),
            "monthly_weekday",
            date(2027, 4, 1),
            "FREQ=MONTHLY;UNTIL=20270330T110000Z;BYDAY=-1TU",
        ),
        (
            datetime(2026, 12, 15, 12, 0, tzinfo=UTC),
            "monthly_date",
            date(2027, 3, 20),
            "FREQ=MONTHLY;UNTIL=20270315T120000Z;BYMONTHDAY=15",
        ),
    ],
)
async def test_each_kind_of_series_has_its_rule(repo, first, recurrence, until, rule) -> None:
    """Weekly, fortnightly, the last Tuesday of the month, the 15th: the file's rule gives
    exactly the meetings stored, across the change to summer time (Berlin, 28.03.2027)."""
    from handlers.events import series_ics
    from storage.enums import EventKind, Recurrence

    organiser = await repo.users.get_or_create(7490)
    await repo.users.grant_role(organiser, GlobalRole.METHODIST, None)
    events = await repo.events.create(
        organiser,
        community_id=None,
        kind=EventKind.MEETING,
        title="Заседание МО",
        starts_at=first,
        duration_minutes=60,
        place="Школа № 1",
        capacity=None,
        time_zone="Europe/Berlin",
        recurrence=Recurrence(recurrence),
        until=until,
    )
    await repo.session.commit()
    [item] = icalendar.Calendar.from_ical(series_ics(events)).walk("VEVENT")
    assert item["rrule"].to_ical().decode() == rule
    assert [m.astimezone(UTC) for m in expand(item)] == [
        e.starts_at.replace(tzinfo=UTC) for e in events
    ]


async def test_a_series_file_keeps_a_moved_meeting_and_drops_a_cancelled_one(repo) -> None:
    """One meeting moved by an hour, another cancelled: the calendar shows exactly the
    meetings that will take place."""
    from handlers.events import series_ics
    from storage.enums import EventKind, Recurrence

    organiser = await repo.users.get_or_create(7491)
    await repo.users.grant_role(organiser, GlobalRole.METHODIST, None)
    events = await repo.events.create(
        organiser,
        community_id=None,
        kind=EventKind.SEMINAR,
        title="Школа молодого учителя",
        starts_at=datetime(2026, 12, 8, 12, 0, tzinfo=UTC),
        duration_minutes=60,
        place="Школа № 1",
        capacity=None,
        time_zone="Europe/Moscow",
        recurrence=Recurrence.WEEKLY,
        until=date(2026, 12, 29),
    )
    await repo.events.update(
        events[1], organiser, starts_at=datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
    )
    await repo.events.cancel(events[2], organiser)
    await repo.session.commit()
    calendar = icalendar.Calendar.from_ical(series_ics(await repo.events.whole_series(events[0])))
    shown = sorted(m.astimezone(UTC) for item in calendar.walk("VEVENT") for m in expand(item))
    assert shown == [
        datetime(2026, 12, 8, 12, 0, tzinfo=UTC),
        datetime(2026, 12, 15, 13, 0, tzinfo=UTC),
        datetime(2026, 12, 29, 12, 0, tzinfo=UTC),
    ]


async def test_no_event_kind_is_cut_on_a_phone(harness: BotHarness, repo) -> None:
    """Two short kinds a row; "Методическая неделя" takes a row of its own on a 390 px
    screen instead of being cut to "Методическая н…"."""
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await h.send(METHODIST, "/new_event")

    rows = h.last_message(METHODIST.id).reply_markup.inline_keyboard
    alone = [[b.text for b in row] for row in rows if len(row) == 1]
    assert alone == [["Открытый урок"], ["Методическая неделя"]]  # the order is kept
    assert all(len(row) <= 2 for row in rows)
    assert sum(len(row) for row in rows) == 10


def test_paired_rows_keep_the_order_and_give_long_labels_a_row() -> None:
    assert paired_rows(["Один", "Два", "Три"]) == [2, 1]
    assert paired_rows(["Один", "Очень длинная подпись", "Два", "Три"]) == [1, 1, 2]
    assert paired_rows([]) == []


# --- issue 18: attendance, marked by the organiser once the event has begun --------------------


async def test_the_organiser_marks_who_came_after_the_event(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await create_event(h, capacity=None)
    event_id = await answered_by_three(h, repo)
    attendance = EventCallback(action=EventAction.ATTENDANCE, event_id=event_id).pack()
    # when it ends, the organiser will be asked to mark who came
    ask = await repo.session.scalar(select(Delivery).where(Delivery.key.contains(":attendance:")))
    assert (ask.chat_id, ask.state, as_utc(ask.not_before)) == (
        METHODIST.id,
        DeliveryState.PENDING,
        START + timedelta(minutes=90),
    )
    assert ask.text == (
        "🧾 «Функциональная грамотность на уроках математики» завершилось. Отметьте, кто"
        " пришёл: это войдёт в отчёт о работе сети."
    )
    assert [b["text"] for row in ask.markup["inline_keyboard"] for b in row] == [
        "🧾 Отметить, кто пришёл"
    ]

    # before the start: no button on the card, and an old or forged press is refused
    await h.send(METHODIST, "/events")
    await open_listed(h, METHODIST, h.last_message(METHODIST.id), "Функциональная")
    assert "🧾 Отметить, кто пришёл" not in labels(h.last_message(METHODIST.id))
    await h.press(METHODIST, h.last_message(METHODIST.id), attendance)
    assert h.alerts()[-1] == "Отмечать, кто пришёл, можно после начала мероприятия."

    # the day after: the organiser finds it under their past events and marks who came
    h.clock.advance((START - h.clock() + timedelta(days=1)).total_seconds())
    await h.send(READER, "/events")
    assert "Функциональная" not in h.last_message(READER.id).text
    await h.send(METHODIST, "/events")
    listing = h.last_message(METHODIST.id)
    assert "Ваши прошедшие за неделю" in listing.text
    await open_listed(h, METHODIST, listing, "Функциональная")
    card = h.last_message(METHODIST.id)
    # answers and changes are refused once it has begun: only what still works is offered
    assert labels(card) == [
        "📅 В календарь (.ics)",
        "🧾 Отметить, кто пришёл",
        "👥 Участники",
        "✉️ Написать участникам",
        "🚫 Отменить",
        "← К мероприятиям",
    ]
    opened = EventCallback(action=EventAction.OPEN, event_id=event_id).pack()
    await h.press(READER, h.last_message(READER.id), opened)
    assert labels(h.last_message(READER.id)) == ["📅 В календарь (.ics)", "← К мероприятиям"]
    await h.tap(METHODIST, card, "Отметить, кто пришёл")
    await repo.session.refresh(ask)
    assert ask.state is DeliveryState.CANCELLED  # found without being asked
    shown = h.last_message(METHODIST.id)
    assert shown.text.splitlines()[1] == (
        "Отмечено: 2 из 2. Нажмите на имя, чтобы поставить или снять отметку."
    )
    assert labels(shown) == ["☑️ Петров Пётр", "☑️ Иванова Мария Петровна", "✅ Готово"]

    await h.tap(METHODIST, shown, "Иванова Мария Петровна")
    shown = h.last_message(METHODIST.id)
    assert labels(shown) == ["☑️ Петров Пётр", "⬜ Иванова Мария Петровна", "✅ Готово"]
    assert shown.text.splitlines()[1].startswith("Отмечено: 1 из 2.")
    repo.session.expire_all()
    marked = {
        rsvp.user.telegram_id: rsvp.attended
        for rsvp in (await repo.session.scalars(select(EventRsvp))).all()
    }
    assert marked == {READER.id: True, TEACHER.id: False, MODERATOR.id: None}

    await h.tap(METHODIST, shown, "Готово")
    assert "Пришли: 1" in h.last_message(METHODIST.id).text
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Участники")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "CSV")
    document = [c for c in h.session.calls if c.name == "sendDocument"][-1].method
    rows = document.document.data.decode("utf-8-sig").splitlines()[1:]
    assert [(row.split(";")[0], row.split(";")[-1]) for row in rows] == [
        ("Петров Пётр", "да"),
        ("Иванова Мария Петровна", "нет"),
        ("Смирнова Ольга", ""),
    ]

    # a member pressing the organiser's toggle is refused, and nothing changes
    toggle = EventCallback(action=EventAction.ATTEND, event_id=event_id, person=1).pack()
    await h.press(READER, h.last_message(READER.id), toggle)
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    repo.session.expire_all()
    assert [r.attended for r in (await repo.session.scalars(select(EventRsvp))).all()].count(
        True
    ) == 1
