"""Several replicas on one PostgreSQL database: one of them sends the outbox (one Telegram
budget for the deployment) and one runs the scheduled jobs, and another takes over within
seconds when it dies. Each replica here is its own engine, as a process would have."""

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import time as clock_time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import I18n
from bot.metrics import Metrics
from scheduler import create_scheduler, run_jobs_while_leading
from scheduler.outbox import OutboxWorker, QuietHours, SendLimits
from storage.clock import utcnow
from storage.db import create_engine, create_sessionmaker
from storage.enums import DeliveryState
from storage.leadership import Leader
from storage.models import Delivery
from storage.repositories import Repo
from storage.sealing import Seal
from tests.conftest import SURVEY_KEY
from tests.flows import setup_community, share_document
from tests.harness import BotHarness, RecordingSession, make_bot, until
from tests.people import MODERATOR, TEACHER

FAST = {"retry_seconds": 0.1, "check_seconds": 0.25}  # failover within a second here
REMINDER = "⏰"  # a re-announced review card begins so


@pytest.fixture
def postgres(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip(
            "leadership is a PostgreSQL advisory lock (set METODSET_TEST_DATABASE_URL to a"
            " PostgreSQL database); on SQLite one process per file always leads"
        )
    return database_url


@pytest.fixture
async def replicas(postgres: str) -> AsyncIterator[list[AsyncEngine]]:
    engines = [create_engine(postgres), create_engine(postgres)]
    yield engines
    for engine in engines:
        await engine.dispose()


async def kill_lock_holder(engine: AsyncEngine, leader: Leader) -> None:
    """What a replica's death looks like to PostgreSQL: the lock's connection ends."""
    async with engine.connect() as connection:
        pids = list(
            await connection.scalars(
                text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND database = (SELECT oid FROM pg_database"
                    " WHERE datname = current_database())"
                    " AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = :key"
                ),
                {"key": leader.key},
            )
        )
        assert len(pids) == 1
        await connection.scalar(text("SELECT pg_terminate_backend(:pid)"), {"pid": pids[0]})


async def test_one_replica_leads_and_another_takes_over_when_it_dies_or_stops(replicas) -> None:
    working: list[str] = []
    most_at_once = 0

    def work(name: str):
        async def lead() -> None:
            nonlocal most_at_once
            working.append(name)
            most_at_once = max(most_at_once, len(working))
            try:
                await asyncio.Event().wait()
            finally:
                working.remove(name)

        return lead

    metrics = [Metrics(), Metrics()]
    leaders = [
        Leader(engine, "test-role", observer=m, **FAST)
        for engine, m in zip(replicas, metrics, strict=True)
    ]
    for name, leader in zip("ab", leaders, strict=True):
        leader.start(work(name))
    try:
        await until(lambda: len(working) == 1, "one replica works")
        await asyncio.sleep(0.5)  # many tries of the other one later
        assert len(working) == 1 and [lead.leading for lead in leaders].count(True) == 1
        first = working[0]
        holder = leaders["ab".index(first)]
        sample = metrics["ab".index(first)].registry.get_sample_value
        assert sample("metodset_leader", {"role": "test-role"}) == 1

        await kill_lock_holder(replicas[0], holder)
        other = "b" if first == "a" else "a"
        await until(lambda: working == [other], "the other took over", 5)
        assert not holder.leading
        assert sample("metodset_leader", {"role": "test-role"}) == 0

        # The new holder stops (a replica shut down): the first one, which lost the lock
        # and kept trying, takes it back.
        await leaders["ab".index(other)].stop()
        await until(lambda: working == [first], "the first leads again", 5)
        assert most_at_once == 1
    finally:
        for leader in leaders:
            await leader.stop()


async def queue_news(sessionmaker, clock, recipients: list[int]) -> None:
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        for chat_id in recipients:
            await repo.outbox.enqueue(f"news:{chat_id}", chat_id, f"новость для {chat_id}")
        await session.commit()


def make_worker(
    engine: AsyncEngine, recording: RecordingSession, i18n: I18n, *, per_second: float
) -> OutboxWorker:
    """A replica's worker on real time, faster than Telegram allows (the test need not
    take 7 s), quiet hours off (it runs day or night)."""
    return OutboxWorker(
        sessionmaker=create_sessionmaker(engine),
        bot=make_bot(recording),
        i18n_hub=i18n,
        clock=utcnow,
        monotonic=time.monotonic,
        limits=SendLimits(per_second=per_second, burst=20),
        quiet=QuietHours(start=clock_time(0), end=clock_time(0)),
    )


async def test_two_replicas_send_each_row_once_and_only_the_leader_sends(
    replicas, sessionmaker, i18n: I18n
) -> None:
    recipients = list(range(1001, 1201))
    await queue_news(sessionmaker, utcnow, recipients)
    recordings = [RecordingSession(), RecordingSession()]
    workers, leaders = [], []
    for engine, recording in zip(replicas, recordings, strict=True):
        recording.started.update(recipients)
        workers.append(make_worker(engine, recording, i18n, per_second=400))
        leaders.append(Leader(engine, "outbox", **FAST))
    for leader, worker in zip(leaders, workers, strict=True):
        leader.start(lambda worker=worker: worker.run(poll_seconds=0.05))

    async def all_sent() -> bool:
        async with sessionmaker() as session:
            sent = await session.scalar(
                select(func.count()).where(Delivery.state == DeliveryState.SENT)
            )
        return sent == len(recipients)

    try:
        await until(all_sent, "all 200 sent", 30)
    finally:
        for leader in leaders:
            await leader.stop()

    sends = [
        [c.method.chat_id for c in recording.calls if c.name == "sendMessage"]
        for recording in recordings
    ]
    assert sorted(sends[0] + sends[1]) == recipients  # each exactly once
    assert sorted(len(s) for s in sends) == [0, 200]  # by the leader alone


async def test_when_the_sending_replica_dies_mid_broadcast_the_other_finishes_it_sending_nothing_twice(
    replicas, sessionmaker, i18n: I18n
) -> None:
    recipients = list(range(3001, 3201))
    await queue_news(sessionmaker, utcnow, recipients)
    recordings = [RecordingSession(), RecordingSession()]
    leaders = []
    for engine, recording in zip(replicas, recordings, strict=True):
        recording.started.update(recipients)
        worker = make_worker(engine, recording, i18n, per_second=100)
        leader = Leader(engine, "outbox", **FAST)
        leader.start(lambda worker=worker: worker.run(poll_seconds=0.05))
        leaders.append(leader)

    def sent_by(recording: RecordingSession) -> list[int]:
        return [c.method.chat_id for c in recording.calls if c.name == "sendMessage"]

    async def settled() -> bool:
        async with sessionmaker() as session:
            left = await session.scalar(
                select(func.count()).where(
                    Delivery.state.in_((DeliveryState.PENDING, DeliveryState.SENDING))
                )
            )
        return left == 0

    try:
        await until(lambda: sum(len(sent_by(r)) for r in recordings) >= 40, "sending began")
        holder = next(leader for leader in leaders if leader.leading)
        await kill_lock_holder(replicas[0], holder)
        await until(settled, "the broadcast finished", 30)
    finally:
        for leader in leaders:
            await leader.stop()

    first, second = sorted((sent_by(r) for r in recordings), key=len)
    assert first and second  # both sent: the second took over
    received = first + second
    assert len(received) == len(set(received))  # nobody twice
    async with sessionmaker() as session:
        rows = list(
            await session.execute(select(Delivery.chat_id, Delivery.state, Delivery.last_error))
        )
    assert {chat for chat, state, _ in rows if state is DeliveryState.SENT} == set(received)
    unknown = [chat for chat, state, error in rows if state is not DeliveryState.SENT]
    # Only what was in flight at the handover may be unknown, and it is said so.
    assert len(unknown) <= SendLimits().lanes
    assert all(
        (state, error) == (DeliveryState.FAILED, "interrupted while sending")
        for _, state, error in rows
        if state is not DeliveryState.SENT
    )


async def test_two_concurrent_claims_take_different_rows_without_waiting(
    replicas, sessionmaker, clock
) -> None:
    await queue_news(sessionmaker, clock, list(range(2001, 2101)))
    sessionmakers = [create_sessionmaker(engine) for engine in replicas]
    async with sessionmakers[0]() as first, sessionmakers[1]() as second:
        # The first claim's transaction is still open: its rows are locked.
        mine = await Repo(first, clock).outbox.claim(clock(), 60)
        theirs = await asyncio.wait_for(Repo(second, clock).outbox.claim(clock(), 60), 5)
        assert len(mine) == 60 and len(theirs) == 40
        assert not {r.id for r in mine} & {r.id for r in theirs}
        await first.commit()
        await second.commit()
    async with sessionmaker() as session:
        states = list(await session.scalars(select(Delivery.state)))
    assert states == [DeliveryState.SENDING] * 100


async def test_one_replica_runs_the_jobs_and_another_runs_the_next_after_it_stops(
    harness: BotHarness, repo, replicas, settings, clock, i18n: I18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    clock.advance(25 * 3600)  # the item has waited more than a day: it is re-announced

    recordings = [h.session, RecordingSession()]
    recordings[1].started.update(h.session.started)
    replica_sessions = [create_sessionmaker(e, seal=Seal.from_text(SURVEY_KEY)) for e in replicas]
    schedulers, leaders = [], []
    for sessions, recording, engine in zip(replica_sessions, recordings, replicas, strict=True):
        scheduler = create_scheduler(
            settings=settings,
            sessionmaker=sessions,
            bot=h.bot if recording is h.session else make_bot(recording),
            i18n_hub=i18n,
            clock=clock,
        )
        scheduler.start(paused=True)
        scheduler.reschedule_job("reannounce-stale-reviews", trigger="interval", seconds=0.1)
        schedulers.append(scheduler)
        leader = Leader(engine, "scheduler", **FAST)
        leader.start(lambda scheduler=scheduler: run_jobs_while_leading(scheduler))
        leaders.append(leader)

    def reminders(recording: RecordingSession) -> int:
        return sum(
            1
            for c in recording.calls
            if c.name == "sendMessage"
            and c.method.chat_id == MODERATOR.id
            and (c.method.text or "").startswith(REMINDER)
        )

    try:
        await until(lambda: sum(map(reminders, recordings)) >= 1, "a reminder", 10)
        await asyncio.sleep(1)  # ten more runs of the job on the leader
        counts = [reminders(r) for r in recordings]
        assert sorted(counts) == [0, 1]  # sent once, by the leader
        leading = counts.index(1)
        assert leaders[leading].leading and not leaders[1 - leading].leading

        await leaders[leading].stop()
        schedulers[leading].shutdown(wait=False)
        await share_document(h, file_name="Дроби_второй_урок.pdf")
        await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
        clock.advance(25 * 3600)
        other = recordings[1 - leading]
        await until(lambda: reminders(other) == 1, "the other replica's run", 10)
        await asyncio.sleep(0.5)
        assert [reminders(r) for r in recordings] == [1, 1]  # the first item not again
    finally:
        for leader in leaders:
            await leader.stop()
        for scheduler in schedulers:
            if scheduler.running:
                scheduler.shutdown(wait=False)


async def test_on_sqlite_the_one_process_leads_both_roles_at_once(engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("the SQLite case; PostgreSQL's is above")
    metrics = Metrics()
    started: list[str] = []

    def work(role: str):
        async def lead() -> None:
            started.append(role)
            await asyncio.Event().wait()

        return lead

    leaders = [Leader(engine, role, observer=metrics) for role in ("outbox", "scheduler")]
    for leader in leaders:
        leader.start(work(leader.role))
    sample = metrics.registry.get_sample_value
    try:
        await until(lambda: sorted(started) == ["outbox", "scheduler"], "both at once", 1)
        assert [sample("metodset_leader", {"role": r}) for r in ("outbox", "scheduler")] == [1, 1]
    finally:
        for leader in leaders:
            await leader.stop()
    assert sample("metodset_leader", {"role": "outbox"}) == 0
