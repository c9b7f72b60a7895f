"""The sender kept between updates (storage/user_cache.py): every change a person would
notice applies on their very next update, and a kept sender costs no statement."""

from collections.abc import Iterator
from contextlib import contextmanager

from aiogram import Router
from aiogram.filters import Command
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from storage.db import create_sessionmaker
from storage.enums import GlobalRole
from storage.models import User
from storage.repositories import Repo
from storage.user_cache import UserCache, user_cache_of
from tests.flows import register
from tests.harness import BotHarness, labels, texts
from tests.people import ADMIN, TEACHER

REFUSED = "⛔ У вас нет прав на это действие."
ASK_KIND = "Какое мероприятие?"
NO_COMMUNITIES = "Пока нет ни одного сообщества"
NO_COMMUNITIES_EN = "No communities yet"


@contextmanager
def statements(engine: AsyncEngine) -> Iterator[list[str]]:
    said: list[str] = []

    def count(_conn, _cursor, statement: str, *_) -> None:
        said.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    try:
        yield said
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count)


async def known_people(sessionmaker: async_sessionmaker, clock) -> None:
    async with sessionmaker() as session:
        for person in (TEACHER, ADMIN):
            await Repo(session, clock).users.get_or_create(person.id)
        await session.commit()


async def test_a_role_granted_in_the_bot_applies_on_the_very_next_update(
    harness: BotHarness,
) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)
    assert texts(await h.send(TEACHER, "/new_event")) == [REFUSED]

    granted = await h.send(ADMIN, f"/grant @{TEACHER.username} methodist")
    assert "назначена" in texts(granted)[0]

    assert texts(await h.send(TEACHER, "/new_event")) == [ASK_KIND]


async def test_a_role_granted_by_another_session_applies_on_the_very_next_update(
    harness: BotHarness, repo: Repo
) -> None:
    """The scheduler, the outbox and a test's arranging session share the bot's
    sessionmaker: their commits reach the kept senders too."""
    h = harness
    await register(h, TEACHER)
    assert texts(await h.send(TEACHER, "/new_event")) == [REFUSED]

    teacher = await repo.users.by_telegram_id(TEACHER.id)
    await repo.users.grant_role(teacher, GlobalRole.METHODIST, None)
    await repo.session.commit()

    assert texts(await h.send(TEACHER, "/new_event")) == [ASK_KIND]


async def test_a_language_switched_applies_at_once(harness: BotHarness) -> None:
    h = harness
    await register(h, TEACHER)
    assert NO_COMMUNITIES in texts(await h.send(TEACHER, "/communities"))[0]

    await h.send(TEACHER, "/language")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "English")

    assert NO_COMMUNITIES_EN in texts(await h.send(TEACHER, "/communities"))[0]
    await h.send(TEACHER, "/language")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Русский")
    assert NO_COMMUNITIES in texts(await h.send(TEACHER, "/communities"))[0]


async def test_a_change_the_update_rolled_back_is_not_kept(harness: BotHarness, repo) -> None:
    """A handler changes its own copy of the sender; when the update fails, the next one
    sees the row as it is in the database."""
    h = harness
    await register(h, TEACHER)
    broken = Router(name="broken")

    @broken.message(Command("halfway"))
    async def halfway(message, user) -> None:
        user.locale = "en"
        raise RuntimeError("after the change")

    h.dispatcher.sub_routers[0].sub_routers[1].include_router(broken)
    await h.send(TEACHER, "/halfway")

    assert NO_COMMUNITIES in texts(await h.send(TEACHER, "/communities"))[0]


async def test_a_kept_sender_costs_no_statement(harness: BotHarness, engine: AsyncEngine) -> None:
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/language")

    with statements(engine) as said:
        calls = await h.send(TEACHER, "/language")

    assert labels(h.last_message(TEACHER.id)) == ["🇬🇧 English", "🇷🇺 Русский"], texts(calls)
    assert said == []


async def test_a_bulk_update_of_users_forgets_everyone(
    sessionmaker: async_sessionmaker, clock
) -> None:
    """The outbox marks "blocked the bot" with an UPDATE statement, not through a row."""
    await known_people(sessionmaker, clock)
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        await repo.users.sender(TEACHER.id)
        await repo.users.sender(ADMIN.id)
        await session.commit()
        cache = user_cache_of(session)
        assert cache is not None and len(cache) == 2

        await session.execute(
            update(User)
            .where(User.telegram_id == TEACHER.id)
            .values(bot_blocked_at=clock())
            .execution_options(synchronize_session=False)
        )
        assert len(cache) == 2  # not before the commit: it may still be rolled back
        await session.commit()

    assert len(cache) == 0
    async with sessionmaker() as session:
        teacher = await Repo(session, clock).users.sender(TEACHER.id)
        assert teacher.bot_blocked_at is not None


async def test_a_row_read_while_a_change_commits_is_not_kept(
    sessionmaker: async_sessionmaker, clock
) -> None:
    await known_people(sessionmaker, clock)
    async with sessionmaker() as session:
        user = await Repo(session, clock).users.sender(TEACHER.id)
        await session.commit()
    cache = user_cache_of(session)
    assert cache is not None
    cache.forget_everyone()

    stamp = cache.stamp()  # an update begins reading the sender...
    async with sessionmaker() as other:  # ...while another commits a change to them
        changed = await other.get(User, user.id)
        changed.locale = "en"
        await other.commit()
    cache.keep(user, stamp)  # the row read before that commit

    assert cache.find(TEACHER.id) is None


async def test_another_process_change_is_seen_after_the_ttl(
    engine: AsyncEngine, sessionmaker: async_sessionmaker, clock
) -> None:
    """A second replica shares no cache: its changes arrive within ``ttl`` seconds."""
    await known_people(sessionmaker, clock)
    now = [0.0]
    ours = create_sessionmaker(engine, user_cache=UserCache(ttl=30, monotonic=lambda: now[0]))
    async with ours() as session:
        await Repo(session, clock).users.sender(TEACHER.id)
        await session.commit()

    async with sessionmaker() as elsewhere:  # another process: another cache
        row = await Repo(elsewhere, clock).users.by_telegram_id(TEACHER.id)
        row.locale = "en"
        await elsewhere.commit()

    async with ours() as session:
        assert (await Repo(session, clock).users.sender(TEACHER.id)).locale is None
    now[0] = 31.0
    async with ours() as session:
        assert (await Repo(session, clock).users.sender(TEACHER.id)).locale == "en"
