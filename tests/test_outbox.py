"""The delivery outbox and its worker: the state machine, Telegram's limits and errors,
quiet hours, batches, and what a crash leaves behind. Time is injected: nothing sleeps."""

import asyncio
import itertools
import logging
from datetime import timedelta

import pytest
from aiogram.exceptions import TelegramForbiddenError, TelegramNetworkError, TelegramRetryAfter
from sqlalchemy import event, select

from bot.i18n import I18n
from scheduler.outbox import MAX_ATTEMPTS, SendLimits
from storage.enums import DeliveryState
from storage.models import Delivery, User
from storage.repositories import Repo
from tests.flows import make_outbox_worker
from tests.harness import FakeClock, RecordingSession, make_bot

GROUP = -100_500


@pytest.fixture
async def outbox(sessionmaker, clock: FakeClock, i18n: I18n):
    recording = RecordingSession()
    # The recipients these tests queue for are members who once started the bot.
    recording.started.update({101, 102, 103, 201, 202, 203, 204})
    bot = make_bot(recording)
    sent_at: list[tuple[int, float]] = []
    original = recording.make_request

    async def timed(bot_, method, timeout=None):  # noqa: ASYNC109 - the session's signature
        result = await original(bot_, method, timeout)
        if method.__api_method__ == "sendMessage":
            sent_at.append((method.chat_id, clock.seconds))
        return result

    recording.make_request = timed

    worker = make_outbox_worker(
        sessionmaker=sessionmaker, bot=bot, i18n_hub=i18n, clock=clock, limits=SendLimits(lanes=1)
    )
    worker.recording = recording
    worker.sent_at = sent_at
    yield worker
    await bot.session.close()


async def queue(sessionmaker, clock, *messages, **options) -> None:
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        for key, chat_id in messages:
            await repo.outbox.enqueue(key, chat_id, f"текст {key}", **options)
        await session.commit()


async def rows(sessionmaker) -> list[Delivery]:
    async with sessionmaker() as session:
        return list(await session.scalars(select(Delivery).order_by(Delivery.id)))


async def member(sessionmaker, clock, telegram_id: int, time_zone: str | None = None) -> User:
    async with sessionmaker() as session:
        user = await Repo(session, clock).users.get_or_create(telegram_id)
        user.time_zone = time_zone
        await session.commit()
        return user


async def test_each_message_is_queued_once_and_sent_once(outbox, sessionmaker, clock) -> None:
    await queue(sessionmaker, clock, ("news:1:101", 101), ("news:1:102", 102))
    await queue(sessionmaker, clock, ("news:1:101", 101))  # queued again after a restart

    assert await outbox.drain() == 2
    assert await outbox.drain() == 0

    sent = [c for c in outbox.recording.calls if c.name == "sendMessage"]
    assert [(c.method.chat_id, c.method.text) for c in sent] == [
        (101, "текст news:1:101"),
        (102, "текст news:1:102"),
    ]
    states = [(r.state, r.attempts, r.message_id is not None) for r in await rows(sessionmaker)]
    assert states == [(DeliveryState.SENT, 1, True), (DeliveryState.SENT, 1, True)]


async def test_a_429_waits_exactly_the_time_telegram_names(outbox, sessionmaker, clock) -> None:
    await queue(sessionmaker, clock, ("news:2:101", 101))
    failures = outbox.recording.failures

    def flood(method):
        failures.pop(("sendMessage", 101))
        return TelegramRetryAfter(method=method, message="Too Many Requests", retry_after=7)

    outbox.recording.fail("sendMessage", 101, flood)
    started = clock()

    await outbox.drain()

    [row] = await rows(sessionmaker)
    assert (row.state, row.attempts) == (DeliveryState.PENDING, 1)
    assert row.not_before.replace(tzinfo=None) == (started + timedelta(seconds=7)).replace(
        tzinfo=None
    )
    assert row.last_error == "429: retry after 7 s"
    assert outbox.pacer.global_wait() == pytest.approx(7, abs=0.01)  # everything pauses

    clock.advance(6)
    assert await outbox.drain() == 0  # not a second early
    clock.advance(1)
    assert await outbox.drain() == 1
    [row] = await rows(sessionmaker)
    assert (row.state, row.attempts) == (DeliveryState.SENT, 2)


async def test_a_recipient_who_blocked_the_bot_gets_nothing_more(
    outbox, sessionmaker, clock
) -> None:
    user = await member(sessionmaker, clock, 101)
    await queue(sessionmaker, clock, ("news:3:101", 101), ("news:4:101", 101), user=user)
    outbox.recording.fail(
        "sendMessage",
        101,
        lambda m: TelegramForbiddenError(
            method=m, message="Forbidden: bot was blocked by the user"
        ),
    )

    await outbox.drain()

    assert [r.state for r in await rows(sessionmaker)] == [DeliveryState.BLOCKED] * 2
    assert len([c for c in outbox.recording.calls if c.name == "sendMessage"]) == 0
    async with sessionmaker() as session:
        assert (await session.get(User, user.id)).bot_blocked_at is not None


async def test_network_errors_are_retried_with_backoff_then_given_up(
    outbox, sessionmaker, clock
) -> None:
    await queue(sessionmaker, clock, ("news:5:101", 101))
    outbox.recording.fail(
        "sendMessage", 101, lambda m: TelegramNetworkError(method=m, message="timeout")
    )
    delays = []
    for _ in range(MAX_ATTEMPTS):
        await outbox.drain()
        [row] = await rows(sessionmaker)
        delays.append(row.not_before)
        clock.advance(60)
    [row] = await rows(sessionmaker)
    assert row.state is DeliveryState.FAILED
    assert row.attempts == MAX_ATTEMPTS
    assert row.last_error == "timeout"


async def test_quiet_hours_in_the_recipients_own_time_zone(outbox, sessionmaker, clock) -> None:
    clock.now = clock.now.replace(hour=13)  # 16:00 in Moscow, 23:00 in Vladivostok
    far_east = await member(sessionmaker, clock, 101, "Asia/Vladivostok")
    moscow = await member(sessionmaker, clock, 102, "Europe/Moscow")
    await queue(sessionmaker, clock, ("news:6:101", 101), user=far_east)
    await queue(sessionmaker, clock, ("news:6:102", 102), user=moscow)
    await queue(sessionmaker, clock, ("remind:6:101", 101), user=far_east, urgent=True)

    await outbox.drain()

    by_key = {r.key: r for r in await rows(sessionmaker)}
    assert by_key["news:6:102"].state is DeliveryState.SENT
    assert by_key["remind:6:101"].state is DeliveryState.SENT  # urgent: goes at once
    waiting = by_key["news:6:101"]
    assert waiting.state is DeliveryState.PENDING
    assert waiting.attempts == 0
    # 08:00 in Vladivostok is 22:00 UTC
    assert (waiting.not_before.hour, waiting.not_before.minute) == (22, 0)


async def test_telegrams_limits_per_chat_and_per_group(outbox, sessionmaker, clock) -> None:
    await queue(sessionmaker, clock, *[(f"p:{n}", 101) for n in range(3)])
    await queue(sessionmaker, clock, *[(f"g:{n}", GROUP) for n in range(25)])

    await outbox.drain()

    private = [at for chat, at in outbox.sent_at if chat == 101]
    assert len(private) == 3
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(private))
    group = [at for chat, at in outbox.sent_at if chat == GROUP]
    assert len(group) == 25
    assert all(group[n + 20] - group[n] >= 60 for n in range(5))  # 20 a minute at most


async def test_a_batch_reports_progress_in_place_and_can_be_cancelled(
    outbox, sessionmaker, clock
) -> None:
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        batch = await repo.outbox.new_batch("broadcast", "Семинар", sender_chat_id=900)
        batch.progress_message_id = 55
        for chat_id in (101, 102):
            await repo.outbox.enqueue(f"b:{chat_id}", chat_id, "Приглашаем", batch=batch)
        await repo.outbox.enqueue(
            "b:103", 103, "Приглашаем", batch=batch, not_before=clock() + timedelta(hours=1)
        )
        await session.commit()
        batch_id = batch.id

    await outbox.drain()

    edits = [c for c in outbox.recording.calls if c.name == "editMessageText"]
    assert edits[-1].method.chat_id == 900 and edits[-1].method.message_id == 55
    assert edits[-1].method.text == (
        "📣 «Семинар»: отправлено 2, не доставлено 0, заблокировали бота 0, отменено 0, осталось 1."
    )
    async with sessionmaker() as session:
        assert await Repo(session, clock).outbox.cancel_batch(batch_id) == 1
        await session.commit()
    clock.advance(7200)
    assert await outbox.drain() == 0
    states = {r.key: r.state for r in await rows(sessionmaker)}
    assert states["b:103"] is DeliveryState.CANCELLED


async def test_a_crash_mid_send_is_never_sent_twice(outbox, sessionmaker, clock) -> None:
    await queue(sessionmaker, clock, ("news:7:101", 101), ("news:7:102", 102))
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        [_] = await repo.outbox.claim(clock())  # handed to Telegram, then the process died
        await session.commit()

    assert await outbox.recover() == 1
    await outbox.drain()

    states = {r.key: (r.state, r.last_error) for r in await rows(sessionmaker)}
    assert states["news:7:101"] == (DeliveryState.FAILED, "interrupted while sending")
    assert states["news:7:102"] == (DeliveryState.SENT, "")
    assert [c.method.chat_id for c in outbox.recording.calls if c.name == "sendMessage"] == [102]


async def test_stopping_the_worker_lets_a_request_in_flight_finish_and_records_it(
    sessionmaker, clock, i18n: I18n
) -> None:
    """A shutdown, or a replica losing the outbox lead, stops the worker; a request that has
    left is not abandoned half-way: its outcome is recorded, not left unknown."""
    await queue(sessionmaker, clock, ("news:8:101", 101))
    recording = RecordingSession()
    recording.started.add(101)
    in_flight, answer = asyncio.Event(), asyncio.Event()
    original = recording.make_request

    async def slow(bot_, method, timeout=None):  # noqa: ASYNC109 - the session's signature
        if method.__api_method__ == "sendMessage":
            in_flight.set()
            await answer.wait()
        return await original(bot_, method, timeout)

    recording.make_request = slow
    bot = make_bot(recording)
    worker = make_outbox_worker(sessionmaker=sessionmaker, bot=bot, i18n_hub=i18n, clock=clock)
    running = asyncio.create_task(worker.run())
    await asyncio.wait_for(in_flight.wait(), 5)
    await asyncio.sleep(0.05)  # the drain has nothing more and waits for the request

    running.cancel()
    answer.set()
    await asyncio.gather(running, return_exceptions=True)

    [row] = await rows(sessionmaker)
    assert (row.state, row.message_id is not None) == (DeliveryState.SENT, True)
    await bot.session.close()


def test_event_reminders_in_the_quiet_hours_go_the_evening_before_or_in_the_morning() -> None:
    from datetime import UTC, datetime, time

    from scheduler.outbox import QuietHours

    quiet = QuietHours()  # 22:00 to 08:00, Moscow by default (UTC+3)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def msk(day: int, hour: int, minute: int = 0) -> datetime:
        return datetime(2026, 12, day, hour - 3, minute, tzinfo=UTC)

    # due in the afternoon: when due
    assert quiet.reminder_time(msk(9, 14), msk(9, 15), None, now) == msk(9, 14)
    # an 08:30 lesson, an hour before is 07:30: the evening before, at 22:00
    assert quiet.reminder_time(msk(10, 7, 30), msk(10, 8, 30), None, now) == msk(9, 22)
    # a day before an 23:30 event falls in the night, the event is not that day: the morning
    assert quiet.reminder_time(msk(9, 23, 30), msk(10, 23, 30), None, now) == msk(10, 8)
    # answered at 23:00 for a 07:00 event: the window began already, so at once
    late = msk(2, 23)
    assert quiet.reminder_time(msk(3, 6), msk(3, 7), None, late) == late
    # each recipient's own zone: 07:30 in Moscow is 09:30 in Yekaterinburg, not quiet there
    assert quiet.reminder_time(msk(10, 7, 30), msk(10, 8, 30), "Asia/Yekaterinburg", now) == msk(
        10, 7, 30
    )
    # configurable: a window from 23:00 to 07:00 leaves 07:30 alone
    assert QuietHours(start=time(23), end=time(7)).reminder_time(
        msk(10, 7, 30), msk(10, 8, 30), None, now
    ) == msk(10, 7, 30)


async def test_at_night_the_batch_says_how_many_wait_for_the_morning_and_until_when(
    outbox, sessionmaker, clock
) -> None:
    from datetime import UTC, datetime, time
    from zoneinfo import ZoneInfo

    from storage.quiet import QuietHours

    quiet = QuietHours()  # 22:00 to 08:00 in each recipient's zone, Moscow by default
    clock.now = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)  # 23:30 in Moscow
    moscow = ZoneInfo("Europe/Moscow")
    people = [
        await member(sessionmaker, clock, 201),  # Moscow: quiet until 05:00 UTC
        await member(sessionmaker, clock, 202, "Asia/Yekaterinburg"),  # until 03:00 UTC
        await member(sessionmaker, clock, 203, "Europe/Kaliningrad"),  # 22:30 there: quiet
    ]
    # Before anything is queued: the forecast from the recipients' zones.
    forecast = quiet.held([p.time_zone for p in people], clock())
    assert (forecast.count, forecast.until_text(moscow, clock())) == (3, "06:00–09:00")
    assert quiet.held(["Asia/Novosibirsk", "America/New_York"], clock()).count == 1  # 15:30 NY
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        batch = await repo.outbox.new_batch("broadcast", "Педсовет", sender_chat_id=900)
        for person in people:
            await repo.outbox.enqueue(
                f"b:{person.id}", person.telegram_id, "Педсовет", user=person, batch=batch
            )
        await repo.outbox.enqueue("b:group", GROUP, "Педсовет", batch=batch)
        await repo.outbox.enqueue("b:urgent", 204, "Срочно", urgent=True, batch=batch)
        held = await repo.outbox.held(batch.id, quiet, clock())
        await session.commit()
    assert (held.count, held.until_text(moscow, clock())) == (3, "06:00–09:00")

    # The worker holds them back (the group and the urgent one go); the count stays true.
    assert await outbox.drain() == 2
    async with sessionmaker() as session:
        held = await Repo(session, clock).outbox.held(batch.id, quiet, clock())
    assert (held.count, held.until_text(moscow, clock())) == (3, "06:00–09:00")

    clock.now = datetime(2026, 12, 2, 3, 1, tzinfo=UTC)  # morning in Yekaterinburg
    assert await outbox.drain() == 1
    async with sessionmaker() as session:
        held = await Repo(session, clock).outbox.held(batch.id, quiet, clock())
    assert (held.count, held.until_text(moscow, clock())) == (2, "08:00–09:00")

    # Off (start = end): nothing is ever held.
    assert not QuietHours(start=time(0), end=time(0)).held(["Europe/Moscow"], clock())


def test_the_demo_runs_with_quiet_hours_off(settings) -> None:
    from datetime import UTC, datetime

    from bot.demo import settings_for_demo
    from storage.quiet import QuietHours

    demo = settings_for_demo(settings, api_server="http://127.0.0.1:1", database_url="sqlite://")
    quiet = QuietHours.from_settings(demo)
    assert not quiet.enabled
    assert not quiet.held(["Europe/Moscow"], datetime(2026, 12, 1, 21, 0, tzinfo=UTC))  # 00:00
    assert QuietHours.from_settings(settings).enabled  # the real bot keeps them


class _Stop(Exception):
    """Ends a worker's endless run in a test."""


async def test_a_database_away_for_20_seconds_is_one_line_each_way_and_nothing_is_lost(
    engine, sessionmaker, clock: FakeClock, i18n: I18n, caplog
) -> None:
    """The database server goes away for 20 s (of the worker's time): the worker says so
    once, keeps trying every second without a traceback, says when it is back, and sends
    what was queued."""
    await queue(sessionmaker, clock, ("news:1:101", 101))
    away_from = clock.seconds

    def refuse(*_args) -> None:
        if clock.seconds - away_from < 20:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    event.listen(engine.sync_engine, "do_connect", refuse)
    await engine.dispose()  # the pooled connections went with the server

    recording = RecordingSession()
    recording.started.add(101)  # a member who once started the bot
    bot = make_bot(recording)
    passes = 0

    async def sleep(seconds: float) -> None:
        nonlocal passes
        passes += 1
        if clock.seconds - away_from > 40:
            raise _Stop
        clock.advance(seconds)
        await asyncio.sleep(0)

    worker = make_outbox_worker(
        sessionmaker=sessionmaker,
        bot=bot,
        i18n_hub=i18n,
        clock=clock,
        sleep=sleep,
        limits=SendLimits(lanes=1),
    )
    try:
        with pytest.raises(_Stop):
            await worker.run()
    finally:
        event.remove(engine.sync_engine, "do_connect", refuse)
        await bot.session.close()

    assert passes > 40
    lines = [
        (record.levelname, record.getMessage(), record.exc_info)
        for record in caplog.records
        if record.name == "scheduler.outbox" and record.levelno >= logging.WARNING
    ]
    assert lines == [
        (
            "WARNING",
            "Database unavailable, deliveries wait: ConnectionRefusedError:"
            " [Errno 111] Connect call failed ('127.0.0.1', 5432)",
            None,
        ),
        ("WARNING", "Database is back, deliveries resume", None),
    ]
    [row] = await rows(sessionmaker)
    assert row.state is DeliveryState.SENT
    assert [(call.name, call.chat_id) for call in recording.calls] == [("sendMessage", 101)]
