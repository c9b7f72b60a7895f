"""Broadcasts: who may send, the audience chosen with toggles, each bad input answered,
the preview with the number of recipients, the batch in the outbox, the progress message
edited in place, a scheduled broadcast stopped before it goes."""

from datetime import UTC, datetime

from sqlalchemy import select

from bot.callbacks import BroadcastAction, BroadcastCallback
from storage.enums import DeliveryState, GlobalRole
from storage.models import Delivery, DeliveryBatch
from tests.flows import from_template, methodist, outbox_worker, register, setup_community
from tests.harness import BotHarness, Person, labels
from tests.people import BROADCASTER as METHODIST
from tests.people import METHODIST as EVENTS_METHODIST
from tests.people import MODERATOR, READER, SURVEYOR, TEACHER

NO_RIGHTS = "⛔ У вас нет прав на это действие."


async def test_a_teacher_cannot_broadcast(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/broadcast")
    assert h.last_message(TEACHER.id).text == NO_RIGHTS
    await h.press(
        TEACHER,
        h.last_message(TEACHER.id),
        BroadcastCallback(action=BroadcastAction.SEND).pack(),
    )
    assert h.alerts()[-1] == NO_RIGHTS
    assert (await repo.session.scalars(select(Delivery))).all() == []


async def test_a_broadcast_to_a_community_with_preview_count_and_progress(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, METHODIST)
    await h.send(METHODIST, "/broadcast")
    assert labels(h.last_message(METHODIST.id)) == [
        "▫️ Всем участникам",
        "▫️ Математики",
        "Далее ▶",
    ]
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Далее")
    assert h.alerts()[-1] == "Отметьте хотя бы одно сообщество."
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    assert labels(h.last_message(METHODIST.id))[1] == "✅ Математики"
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Далее")
    await h.send(METHODIST, "я" * 3501)
    assert h.last_message(METHODIST.id).text == "Текст — от 1 до 3500 символов."
    text = "Уважаемые коллеги! Открыт приём заявок на конкурс «Педагог года»."
    await h.send(METHODIST, text)
    await h.send(METHODIST, "01.09.2026 10:00")
    assert h.last_message(METHODIST.id).text == "Эта дата уже прошла."
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Сейчас")
    echo, preview = h.sent_to(METHODIST.id)[-2:]
    assert echo.text == text
    assert preview.text.splitlines()[:3] == [
        "☝️ Так объявление увидят участники.",
        "Кому: Математики",
        "Получателей: 3",
    ]
    assert labels(h.last_message(METHODIST.id)) == ["✅ Отправить (3)"]
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Отправить")
    progress = h.last_message(METHODIST.id)
    assert progress.text.startswith("📣 Рассылка начата, получателей: 3.")
    assert labels(progress) == ["⏹ Остановить"]
    rows = (await repo.session.scalars(select(Delivery))).all()
    assert sorted(row.chat_id for row in rows) == sorted([TEACHER.id, MODERATOR.id, READER.id])
    assert {row.text for row in rows} == {text}

    # 12:00 in Moscow: the worker sends all three and reports in the same message
    assert await outbox_worker(h).drain() == 3
    for member in (TEACHER, MODERATOR, READER):
        assert h.last_message(member.id).text == text
    report = h.now(progress)
    assert report.text == (
        f"📣 «{text[:60].strip()}»: отправлено 3, не доставлено 0, заблокировали бота 0,"
        " отменено 0, осталось 0."
    )
    assert labels(report) == []


async def test_a_scheduled_broadcast_to_everyone_is_stopped_by_its_sender_only(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, METHODIST)
    await h.send(METHODIST, "/broadcast")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Всем участникам")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Далее")
    await h.send(METHODIST, "Семинар переносится.")
    await h.send(METHODIST, "20.11.2026 10:00")
    assert "Когда: 20.11.2026 10:00" in h.last_message(METHODIST.id).text
    assert "Получателей: 4" in h.last_message(METHODIST.id).text  # the methodist too
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Отправить")
    progress = h.last_message(METHODIST.id)
    assert progress.text == "🕒 Рассылка запланирована на 20.11.2026 10:00, получателей: 4."
    rows = (await repo.session.scalars(select(Delivery))).all()
    assert {row.not_before.replace(tzinfo=UTC) for row in rows} == {
        datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
    }
    # not due yet: nothing goes
    assert await outbox_worker(h).drain() == 0

    batch_id = (await repo.session.scalar(select(DeliveryBatch))).id
    stop = BroadcastCallback(action=BroadcastAction.STOP, value=batch_id).pack()
    # another methodist's forged press is refused
    await register(h, Person(id=7502, first_name="Вера"))
    other = await repo.users.by_telegram_id(7502)
    await repo.users.grant_role(other, GlobalRole.METHODIST, None)
    await repo.session.commit()
    await h.press(Person(id=7502, first_name="Вера"), progress, stop)
    assert h.alerts()[-1] == NO_RIGHTS
    await h.press(METHODIST, progress, stop)
    assert h.alerts()[-1] == "Рассылка остановлена; не отправлено: 4."
    repo.session.expire_all()
    states = {row.state for row in (await repo.session.scalars(select(Delivery))).all()}
    assert states == {DeliveryState.CANCELLED}


async def test_help_shows_the_methodists_tools_to_methodists_only(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, METHODIST)
    await h.send(METHODIST, "/help")
    assert "<b>Методисту</b>" in h.last_message(METHODIST.id).html_text
    assert "/broadcast" in h.last_message(METHODIST.id).text
    await h.send(TEACHER, "/help")
    assert "/broadcast" not in h.last_message(TEACHER.id).text
    assert "/events" in h.last_message(TEACHER.id).text


async def test_after_a_crash_the_sender_sees_what_is_unknown_and_may_resend_it(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, METHODIST)
    await h.send(METHODIST, "/broadcast")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Далее")
    await h.send(METHODIST, "Завтра методический день.")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Сейчас")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Отправить")
    progress = h.last_message(METHODIST.id)

    # the process died with one request in flight: the row is left "sending"
    reader = await repo.users.by_telegram_id(READER.id)
    in_flight = await repo.session.scalar(select(Delivery).where(Delivery.user_id == reader.id))
    assert await repo.outbox.start(in_flight.id)
    await repo.session.commit()

    restarted = outbox_worker(h)
    assert await restarted.recover() == 1
    assert await restarted.drain() == 2

    def received(person: Person) -> int:
        return sum(
            1
            for c in h.session.calls
            if c.name == "sendMessage"
            and c.method.chat_id == person.id
            and c.method.text == "Завтра методический день."
        )

    assert [received(p) for p in (TEACHER, MODERATOR, READER)] == [1, 1, 0]
    report = h.now(progress)
    assert report.text.splitlines()[-1] == (
        "⚠️ Неизвестно, дошли ли 1: бот перезапускался во время отправки,"
        " а Telegram не сообщает, доставлено ли сообщение."
    )
    assert labels(report) == ["🔁 Отправить ещё раз (1; кто-то может получить дважды)"]

    # only the sender (or an admin) decides
    await register(h, Person(id=7503, first_name="Вера"))
    other = await repo.users.by_telegram_id(7503)
    await repo.users.grant_role(other, GlobalRole.METHODIST, None)
    await repo.session.commit()
    resend = BroadcastCallback(action=BroadcastAction.RESEND, value=in_flight.batch_id).pack()
    await h.press(Person(id=7503, first_name="Вера"), report, resend)
    assert h.alerts()[-1] == NO_RIGHTS
    await h.press(METHODIST, report, resend)
    assert h.alerts()[-1] == "Отправляем ещё раз: 1."
    assert await restarted.drain() == 1
    assert [received(p) for p in (TEACHER, MODERATOR, READER)] == [1, 1, 1]
    final = h.now(progress)
    assert "⚠️" not in final.text
    assert final.text.endswith(
        "отправлено 3, не доставлено 0, заблокировали бота 0, отменено 0, осталось 0."
    )
    assert labels(final) == []


async def test_at_night_every_screen_says_who_waits_for_the_morning_and_until_when(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, METHODIST)
    reader = await repo.users.by_telegram_id(READER.id)
    await repo.users.set_time_zone(reader, "Asia/Yekaterinburg")  # 08:00 there is 06:00 MSK
    await repo.session.commit()
    clock.now = datetime(2026, 11, 2, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    await h.send(METHODIST, "/broadcast")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Далее")
    await h.send(METHODIST, "Завтра педсовет в 15:00.")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Сейчас")

    preview = h.last_message(METHODIST.id)
    assert preview.text.splitlines()[-1] == (
        "🌙 3 из 3 — в тихих часах (ночь по их времени): им сообщение уйдёт утром,"
        " в 06:00–08:00 по вашему времени."
    )

    await h.tap(METHODIST, preview, "Отправить")

    progress = h.last_message(METHODIST.id)
    assert progress.text.splitlines()[-1] == "⏸ 3 ждут утра: тихие часы до 06:00–08:00."
    outbox = outbox_worker(h)
    assert await outbox.drain() == 0
    report = h.now(progress).text
    assert "осталось 3." in report
    assert report.endswith("⏸ 3 ждут утра: тихие часы до 06:00–08:00.")
    assert labels(h.now(progress)) == ["⏹ Остановить"]

    clock.now = datetime(2026, 11, 3, 3, 1, tzinfo=UTC)  # morning in Yekaterinburg
    assert await outbox.drain() == 1
    assert h.now(progress).text.endswith("⏸ 2 ждут утра: тихие часы до 08:00.")

    clock.now = datetime(2026, 11, 3, 5, 1, tzinfo=UTC)  # morning in Moscow
    assert await outbox.drain() == 2
    assert "⏸" not in h.now(progress).text
    assert "отправлено 3" in h.now(progress).text


async def test_in_the_day_the_preview_says_nothing_of_quiet_hours(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, METHODIST)
    await h.send(METHODIST, "/broadcast")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Далее")
    await h.send(METHODIST, "Завтра педсовет в 15:00.")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Сейчас")

    preview = h.last_message(METHODIST.id).text
    assert "🌙" not in preview
    assert "Когда: сразу" in preview


async def test_at_night_a_surveys_summary_and_confirmation_say_who_waits(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, SURVEYOR)
    m = SURVEYOR
    clock.now = datetime(2026, 11, 2, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    await from_template(h, m, "Оценка эффективности")
    await h.tap(m, h.last_message(m.id), "Опубликовать")
    await h.tap(m, h.last_message(m.id), "Математики")
    await h.tap(m, h.last_message(m.id), "Далее")
    await h.tap(m, h.last_message(m.id), "Сейчас")
    await h.tap(m, h.last_message(m.id), "Через 7 дней")

    summary = h.last_message(m.id)
    assert summary.text.splitlines()[-1] == (
        "🌙 3 из 3 — в тихих часах (ночь по их времени): им сообщение уйдёт утром,"
        " в 08:00 по вашему времени."
    )

    await h.tap(m, summary, "Опубликовать (3)")

    confirmation = h.last_message(m.id)
    assert confirmation.text.splitlines()[-1] == "⏸ 3 ждут утра: тихие часы до 08:00."


async def test_at_night_an_events_preview_and_progress_say_who_waits(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, EVENTS_METHODIST)
    m = EVENTS_METHODIST
    clock.now = datetime(2026, 11, 2, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    await h.send(m, "/new_event")
    await h.tap(m, h.last_message(m.id), "Семинар")
    await h.send(m, "Функциональная грамотность на уроках математики")
    await h.tap(m, h.last_message(m.id), "Пропустить")
    await h.tap(m, h.last_message(m.id), "Математики")
    await h.send(m, "25.12.2026 15:00")
    await h.send(m, "90")
    await h.send(m, "Школа № 1, актовый зал")
    await h.tap(m, h.last_message(m.id), "Без ограничения")
    await h.tap(m, h.last_message(m.id), "Один раз")

    preview = h.last_message(m.id)
    assert preview.text.splitlines()[-1] == (
        "🌙 3 из 3 — в тихих часах (ночь по их времени): им сообщение уйдёт утром,"
        " в 08:00 по вашему времени."
    )

    await h.tap(m, preview, "Опубликовать")
    progress = h.last_message(m.id)
    assert await outbox_worker(h).drain() == 0

    assert h.now(progress).text.endswith("⏸ 3 ждут утра: тихие часы до 08:00.")
