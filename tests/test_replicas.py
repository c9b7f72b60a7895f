"""Replicas sharing one Redis (bot/replicas.py), as an operator running several would see
them: a dialog goes on after a restart, an update delivered twice is answered once, a
person's flood budget holds across replicas, a role granted on one applies on the others.

Each "replica" is a real Dispatcher with its own sessionmaker (so its own kept senders) and
its own Redis client, fed real Updates. Redis comes from METODSET_TEST_REDIS_URL (.ci/run
sets it); each test uses a bot id of its own, so parallel workers share one Redis database
without meeting, and removes its keys at the end."""

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError
from aiogram.types import Chat, Message, MessageEntity, Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from bot import replicas as replicas_module
from bot.app import build_dispatcher, run_webhook
from bot.config import (
    RedisSettings,
    Settings,
    SettingsError,
    ThrottlingSettings,
    WebhookSettings,
    load_settings,
)
from bot.i18n import I18n
from bot.metrics import Metrics
from bot.not_modified import NotModifiedIsDone
from bot.ops import add_ops_routes
from bot.replicas import RedisSeenUpdates, UserChanges, connect
from storage.db import create_sessionmaker
from storage.repositories import Repo
from storage.sealing import Seal
from storage.user_cache import UserCache
from tests.conftest import SURVEY_KEY
from tests.fake_botapi import FakeBotApi, free_port
from tests.flows import register
from tests.harness import BotHarness, FakeClock, Person, RecordingSession, texts, until
from tests.people import ADMIN, TEACHER

REFUSED = "⛔ У вас нет прав на это действие."
ASK_KIND = "Какое мероприятие?"
THROTTLED = "Слишком много сообщений"
WELCOME = "👋 Здравствуйте!"
SECRET = "s3cret-token_for-tests"


@pytest.fixture
async def bot_id(redis_url: str) -> AsyncIterator[int]:
    """This test's own bot: every key and channel of bot/replicas.py carries its id."""
    bot_id = random.randint(10**9, 2 * 10**9)
    yield bot_id
    client = connect(redis_url)
    keys = [key async for key in client.scan_iter(match=f"metodset:*:{bot_id}:*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


class Replicas:
    """Builds replicas of one bot on one database and one Redis; closes their clients."""

    def __init__(
        self, settings: Settings, engine: AsyncEngine, clock: FakeClock, i18n: I18n, url: str
    ):
        self.settings, self.engine, self.clock, self.i18n, self.url = (
            settings,
            engine,
            clock,
            i18n,
            url,
        )
        self.clients: list[Redis] = []
        self.changes: list[UserChanges] = []

    def replica(
        self, *, metrics: Metrics | None = None, user_cache: UserCache | None = None
    ) -> Dispatcher:
        redis = connect(self.url)
        self.clients.append(redis)
        sessionmaker = create_sessionmaker(
            self.engine, seal=Seal.from_text(SURVEY_KEY), user_cache=user_cache
        )
        return build_dispatcher(
            settings=self.settings,
            sessionmaker=sessionmaker,
            i18n_hub=self.i18n,
            clock=self.clock,
            monotonic=self.clock.monotonic,
            metrics=metrics,
            redis=redis,
        )

    async def close(self) -> None:
        for changes in self.changes:
            await changes.stop()
        for client in self.clients:
            await client.aclose()


@pytest.fixture
async def replicas(
    settings: Settings, engine: AsyncEngine, clock: FakeClock, i18n: I18n, redis_url: str
) -> AsyncIterator[Replicas]:
    built = Replicas(settings, engine, clock, i18n, redis_url)
    yield built
    await built.close()


def harness_for(
    bot_id: int,
    dispatcher: Dispatcher,
    clock: FakeClock,
    session: RecordingSession | None = None,
) -> BotHarness:
    """The recording bot of tests/harness.py under this test's bot id; replicas given one
    ``session`` share one Telegram: one chat history, whichever replica answers."""
    session = session or RecordingSession()
    bot = Bot(
        f"{bot_id}:TEST-TOKEN",
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    bot.session.middleware(NotModifiedIsDone())
    return BotHarness(dispatcher, bot, session, clock=clock)


async def test_a_dialog_begun_before_a_restart_is_finished_after_it(
    replicas: Replicas, bot_id: int, repo: Repo
) -> None:
    h = harness_for(bot_id, replicas.replica(), replicas.clock)
    await h.send(TEACHER, "/start")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")
    await h.send(TEACHER, "Иванова Мария Петровна")

    await replicas.clients[0].aclose()  # the replica stops; a new process takes over
    h.dispatcher = replicas.replica()
    await h.send(TEACHER, "МБОУ СОШ № 1")  # the step after the name: the dialog went on
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Школа")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Учитель-предметник")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математика")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")

    teacher = await repo.users.by_telegram_id(TEACHER.id)
    assert teacher is not None
    assert teacher.full_name == "Иванова Мария Петровна"
    assert teacher.subjects == ["math"]


async def test_an_update_delivered_to_two_replicas_is_answered_once(
    replicas: Replicas, bot_id: int
) -> None:
    metrics = Metrics()
    first = harness_for(bot_id, replicas.replica(), replicas.clock)
    second = harness_for(bot_id, replicas.replica(metrics=metrics), replicas.clock)
    update = Update(update_id=501, message=first.message(TEACHER, "/start"))

    answered = await first.feed(update)
    again = await second.feed(update, expect_handled=False)

    assert texts(answered) and again == []
    assert "metodset_updates_duplicate_total 1.0" in metrics.exposition().decode()


async def test_an_update_whose_handling_failed_is_handled_when_telegram_sends_it_again(
    replicas: Replicas, bot_id: int
) -> None:
    first = harness_for(bot_id, replicas.replica(), replicas.clock)
    second = harness_for(bot_id, replicas.replica(), replicas.clock)
    # The first replica's answer fails mid-way: its handler raises.
    first.session.fail(
        "sendMessage", TEACHER.id, lambda method: TelegramNetworkError(method, "reset by peer")
    )
    update = Update(update_id=502, message=first.message(TEACHER, "/start"))

    assert texts(await first.feed(update)) == []
    resent = await second.feed(update)
    once_more = await first.feed(update, expect_handled=False)

    assert any(reply.startswith(WELCOME) for reply in texts(resent))
    assert once_more == []


async def test_an_update_whose_replica_died_mid_way_is_handled_when_its_claim_lapses(
    replicas: Replicas, bot_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replicas_module, "UPDATE_HANDLING_SECONDS", 1)
    survivor = harness_for(bot_id, replicas.replica(), replicas.clock)
    update = Update(update_id=504, message=survivor.message(TEACHER, "/start"))
    # A replica claimed the update, then its process was killed: nothing raised, no answer.
    dead = connect(replicas.url)
    assert await RedisSeenUpdates(dead).first_time(bot_id, update.update_id)
    await dead.aclose()

    assert await survivor.feed(update, expect_handled=False) == []  # still claimed
    await until(
        lambda: survivor.feed(update, expect_handled=False),
        "Telegram's next delivery handled",
        timeout=5,
        step=0.2,
    )
    assert await survivor.feed(update, expect_handled=False) == []  # handled: kept a day
    assert any(reply.startswith(WELCOME) for reply in texts(survivor.session.calls))


async def test_a_flood_spread_over_two_replicas_gets_one_budget(
    replicas: Replicas, bot_id: int
) -> None:
    # Four at once, and (nearly) no refill while the test runs.
    replicas.settings = replicas.settings.model_copy(
        update={"throttling": ThrottlingSettings(rate=0.01, burst=4)}
    )
    first = harness_for(bot_id, replicas.replica(), replicas.clock)
    second = harness_for(bot_id, replicas.replica(), replicas.clock)
    second.update_ids = first.update_ids  # one bot, one sequence of update ids

    replies: list[str] = []
    first.pace_seconds = 0.01  # the shared clock: a third of a token in the whole flood
    for _ in range(6):
        replies += texts(await first.send(TEACHER, "/start", expect_handled=False))
        replies += texts(await second.send(TEACHER, "/start", expect_handled=False))

    warnings = [reply for reply in replies if reply.startswith(THROTTLED)]
    welcomes = [reply for reply in replies if reply.startswith(WELCOME)]
    assert len(warnings) == 1
    assert len(welcomes) == 4  # the burst, not four on each replica


async def test_a_role_granted_on_one_replica_applies_at_once_on_another(
    replicas: Replicas, bot_id: int, repo: Repo, settings: Settings
) -> None:
    await repo.users.ensure_bootstrap_admins(settings.admin_ids)
    await repo.session.commit()
    kept_by = {name: UserCache() for name in ("first", "second")}  # 30 s ttl: not the reason
    first = harness_for(bot_id, replicas.replica(user_cache=kept_by["first"]), replicas.clock)
    second = harness_for(
        bot_id, replicas.replica(user_cache=kept_by["second"]), replicas.clock, first.session
    )
    second.update_ids = first.update_ids
    for cache, client in zip(kept_by.values(), replicas.clients, strict=True):
        changes = UserChanges(client, cache, bot_id)
        replicas.changes.append(changes)
        await changes.start()
        await until(changes.subscribed.is_set, "subscribed to user changes")
    await register(first, ADMIN, full_name="Админов Админ")
    await register(first, TEACHER)
    assert texts(await second.send(TEACHER, "/new_event")) == [REFUSED]  # now kept there

    granted = await first.send(ADMIN, f"/grant @{TEACHER.username} methodist")
    assert "назначена" in texts(granted)[0]

    await until(lambda: kept_by["second"].find(TEACHER.id) is None, "the second replica heard")
    assert texts(await second.send(TEACHER, "/new_event")) == [ASK_KIND]


async def test_readyz_is_503_when_redis_does_not_answer(engine: AsyncEngine, sessionmaker) -> None:
    gone = connect(f"redis://127.0.0.1:{free_port()}/0")
    app = web.Application()
    add_ops_routes(app, engine=engine, sessionmaker=sessionmaker, metrics=Metrics(), redis=gone)
    async with TestClient(TestServer(app)) as client:
        ready = await client.get("/readyz")
        assert ready.status == 503
        assert (await ready.text()).startswith("redis: ")
    await gone.aclose()


async def test_readyz_is_ok_when_redis_answers(
    engine: AsyncEngine, sessionmaker, redis_url: str
) -> None:
    redis = connect(redis_url)
    app = web.Application()
    add_ops_routes(app, engine=engine, sessionmaker=sessionmaker, metrics=Metrics(), redis=redis)
    async with TestClient(TestServer(app)) as client:
        ready = await client.get("/readyz")
        assert (ready.status, await ready.text()) == (200, "ok")
    await redis.aclose()


async def test_without_redis_an_update_delivered_twice_is_answered_once(
    harness: BotHarness,
) -> None:
    """One process keeps the recent update ids itself; a failed one is free again."""
    h = harness
    update = Update(update_id=503, message=h.message(TEACHER, "/start"))
    h.session.fail(
        "sendMessage", TEACHER.id, lambda method: TelegramNetworkError(method, "reset by peer")
    )
    await h.feed(update)
    h.session.failures.clear()

    assert any(reply.startswith(WELCOME) for reply in texts(await h.feed(update)))
    assert await h.feed(update, expect_handled=False) == []


async def test_two_webhook_replicas_answer_an_update_posted_to_both_once(
    settings: Settings, bot_id: int, redis_url: str
) -> None:
    """`metodset run --webhook` twice, as two processes assemble themselves from Settings."""
    sent: list[str] = []

    async def send_message(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        sent.append(str(form["text"]))
        chat = {"id": int(str(form["chat_id"])), "type": "private"}
        message = {"message_id": len(sent), "date": 0, "chat": chat, "text": sent[-1]}
        return web.json_response({"ok": True, "result": message})

    api = FakeBotApi({"sendMessage": send_message})
    base_url = await api.start()

    def replica(port: int) -> Settings:
        webhook = WebhookSettings(
            url="https://bot.example.org", secret=SecretStr(SECRET), host="127.0.0.1", port=port
        )
        return settings.model_copy(
            update={
                "bot_token": SecretStr(f"{bot_id}:TEST-TOKEN"),
                "api_server": base_url,
                "webhook": webhook,
                "redis": RedisSettings(url=redis_url),
            }
        )

    update = Update(update_id=random.randint(1, 10**9), message=_start(TEACHER))
    body = update.model_dump(mode="json", by_alias=True, exclude_none=True)
    runners: list[asyncio.Task[None]] = []
    try:
        for port in (free_port(), free_port()):
            # One after the other: each migrates on start, as replicas rolled out do.
            runners.append(asyncio.create_task(run_webhook(replica(port))))
            async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:

                async def ready(http: aiohttp.ClientSession = http) -> bool:
                    try:
                        async with http.get("/readyz") as response:
                            return response.status == 200
                    except aiohttp.ClientConnectionError:
                        return False

                await until(ready, f"the replica on {port} ready", timeout=30)
                async with http.post(
                    "/telegram", json=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                ) as response:
                    assert response.status == 200
    finally:
        for runner in runners:
            runner.cancel()
        for runner in runners:
            with contextlib.suppress(asyncio.CancelledError):
                await runner
        await api.stop()

    greeting, consent = sent  # once, not twice
    assert "Методсеть" in greeting
    assert "152-ФЗ" in consent


def _start(person: Person) -> Message:
    return Message(
        message_id=10,
        date=datetime.now(UTC),
        chat=Chat(id=person.id, type="private", first_name=person.first_name),
        from_user=person.tg,
        text="/start",
        entities=[MessageEntity(type="bot_command", offset=0, length=6)],
    )


def test_a_redis_url_that_is_not_one_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("METODSET_REDIS__URL", "127.0.0.1:6379")
    with pytest.raises(SettingsError) as refused:
        load_settings(_env_file=None)
    assert str(refused.value) == (
        "setting METODSET_REDIS__URL: must be a redis://, rediss:// or unix:// URL"
    )
    monkeypatch.setenv("METODSET_REDIS__URL", "redis://127.0.0.1:6379/0")
    assert load_settings(_env_file=None).redis.url == "redis://127.0.0.1:6379/0"
    monkeypatch.delenv("METODSET_REDIS__URL")
    assert load_settings(_env_file=None).redis.url is None  # unset: one process keeps it all
