"""Webhook mode and the operations endpoints as Telegram and an operator meet them: the
aiohttp app `metodset run --webhook` serves, with the real Dispatcher and the recording
Bot session, driven over HTTP."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
import pytest
from aiogram.types import Chat, Message, MessageEntity, Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.app import StartupError, build_dispatcher, run_polling, run_webhook
from bot.config import OpsSettings, Settings, WebhookSettings
from bot.i18n import I18n
from bot.metrics import Metrics, UpdateMetrics
from bot.ops import add_ops_routes
from bot.webhook import build_webhook_app
from sandbox import SandboxClient, SandboxServer
from storage.db import create_engine, create_sessionmaker
from tests.fake_botapi import FakeBotApi, free_port
from tests.flows import make_outbox_worker
from tests.harness import Person, RecordingSession, make_bot, until
from tests.people import TEACHER

SECRET = "s3cret-token_for-tests"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Served:
    client: TestClient
    session: RecordingSession
    metrics: Metrics


@pytest.fixture
async def served(
    settings: Settings, engine, sessionmaker, clock, i18n: I18n
) -> AsyncIterator[Served]:
    webhook = WebhookSettings(url="https://bot.example.org", secret=SecretStr(SECRET))
    settings = settings.model_copy(update={"webhook": webhook})
    session = RecordingSession()
    bot = make_bot(session)
    metrics = Metrics()
    dispatcher = build_dispatcher(
        settings=settings,
        sessionmaker=sessionmaker,
        i18n_hub=i18n,
        clock=clock,
        monotonic=clock.monotonic,
        metrics=metrics,
    )
    app = build_webhook_app(
        dispatcher=dispatcher,
        bot=bot,
        webhook=webhook,
        engine=engine,
        sessionmaker=sessionmaker,
        metrics=metrics,
    )
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        yield Served(client, session, metrics)
    finally:
        await client.close()


def start_update(person: Person, update_id: int = 1) -> dict:
    message = Message(
        message_id=10,
        date=datetime.now(UTC),
        chat=Chat(id=person.id, type="private", first_name=person.first_name),
        from_user=person.tg,
        text="/start",
        entities=[MessageEntity(type="bot_command", offset=0, length=6)],
    )
    update = Update(update_id=update_id, message=message)
    return update.model_dump(mode="json", by_alias=True, exclude_none=True)


def sent_texts(session: RecordingSession, chat_id: int) -> list[str]:
    return [
        call.text
        for call in session.calls
        if call.name == "sendMessage" and call.chat_id == chat_id
    ]


async def test_the_webhook_is_set_on_start_with_the_secret_and_kept_updates(
    served: Served,
) -> None:
    [call] = [call for call in served.session.calls if call.name == "setWebhook"]
    assert call.url == "https://bot.example.org/telegram"
    assert call.secret_token == SECRET
    assert call.drop_pending_updates is False
    assert "message" in call.allowed_updates and "callback_query" in call.allowed_updates
    assert not [call for call in served.session.calls if call.name == "deleteWebhook"]


async def test_an_update_with_the_secret_is_answered(served: Served) -> None:
    served.session.started.add(TEACHER.id)  # they pressed Start
    response = await served.client.post(
        "/telegram", json=start_update(TEACHER), headers={SECRET_HEADER: SECRET}
    )
    assert response.status == 200
    greeting, consent = sent_texts(served.session, TEACHER.id)
    assert "Методсеть" in greeting
    assert "152-ФЗ" in consent


@pytest.mark.parametrize("headers", [{SECRET_HEADER: "wrong"}, {}], ids=["wrong", "missing"])
async def test_an_update_without_the_secret_is_refused_and_not_handled(
    served: Served, headers: dict[str, str]
) -> None:
    served.session.started.add(TEACHER.id)
    response = await served.client.post("/telegram", json=start_update(TEACHER), headers=headers)
    assert response.status in (401, 403)
    assert sent_texts(served.session, TEACHER.id) == []
    metrics = await (await served.client.get("/metrics")).text()
    assert 'metodset_updates_total{kind="message"}' not in metrics


async def test_healthz_and_readyz_answer_while_the_database_does(served: Served) -> None:
    health = await served.client.get("/healthz")
    assert (health.status, await health.text()) == (200, "ok")
    ready = await served.client.get("/readyz")
    assert (ready.status, await ready.text()) == (200, "ok")


async def test_readyz_is_503_with_the_reason_when_the_database_is_away() -> None:
    # A PostgreSQL server that is not there (a free port refuses): the driver leaves no thread
    # behind, as aiosqlite does on a file it cannot open.
    dead = create_engine(f"postgresql+asyncpg://metodset@127.0.0.1:{free_port()}/metodset")
    app = web.Application()
    add_ops_routes(app, engine=dead, sessionmaker=create_sessionmaker(dead), metrics=Metrics())
    async with TestClient(TestServer(app)) as client:
        ready = await client.get("/readyz")
        assert ready.status == 503
        reason = await ready.text()
        assert reason.startswith("database: ")
        assert "refused" in reason.lower() or "connect" in reason.lower()
        health = await client.get("/healthz")  # the process itself still lives
        assert (health.status, await health.text()) == (200, "ok")
        page = await client.get("/metrics")  # metrics too, without the outbox's depth
        assert page.status == 200
        assert "metodset_outbox_sent_total 0.0" in await page.text()
    await dead.dispose()


async def test_metrics_count_a_handled_update_and_name_the_outbox_counters(
    served: Served,
) -> None:
    served.session.started.add(TEACHER.id)
    await served.client.post(
        "/telegram", json=start_update(TEACHER), headers={SECRET_HEADER: SECRET}
    )
    page = await served.client.get("/metrics")
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/plain")
    text = await page.text()
    assert 'metodset_updates_total{kind="message"} 1.0' in text
    assert 'metodset_update_handling_seconds_count{kind="message"} 1.0' in text
    for name in (
        "metodset_outbox_sent_total",
        "metodset_outbox_failed_total",
        "metodset_outbox_rate_limited_total",
        "metodset_outbox_depth 0.0",
        "metodset_update_errors_total",
        "metodset_scheduler_job_runs_total",
    ):
        assert name in text


async def test_the_outbox_worker_reports_its_sends_to_the_metrics(
    engine, sessionmaker, repo, clock, i18n: I18n
) -> None:
    """A message queued for a teacher goes out: the sent counter says so, and the depth
    read at scrape time is back to zero."""
    session = RecordingSession()
    session.started.add(TEACHER.id)
    metrics = Metrics()
    await repo.outbox.enqueue(key="test:1", chat_id=TEACHER.id, text="Привет", urgent=True)
    await repo.session.commit()
    app = web.Application()
    add_ops_routes(app, engine=engine, sessionmaker=sessionmaker, metrics=metrics)
    async with TestClient(TestServer(app)) as client:
        before = await (await client.get("/metrics")).text()
        assert "metodset_outbox_depth 1.0" in before
        worker = make_outbox_worker(
            sessionmaker=sessionmaker,
            bot=make_bot(session),
            i18n_hub=i18n,
            clock=clock,
            observer=metrics,
        )
        assert await worker.drain() == 1
        after = await (await client.get("/metrics")).text()
    assert "metodset_outbox_sent_total 1.0" in after
    assert "metodset_outbox_depth 0.0" in after


async def test_polling_stops_with_one_line_when_telegram_answers_409(settings: Settings) -> None:
    """Another process polls with this token: one clear line, not a retry storm."""

    async def conflict(_request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {
                "ok": False,
                "error_code": 409,
                "description": "Conflict: terminated by other getUpdates request;"
                " make sure that only one bot instance is running",
            },
            status=409,
        )

    api = FakeBotApi({"getUpdates": conflict})
    base_url = await api.start()
    try:
        settings = settings.model_copy(update={"api_server": base_url})
        with pytest.raises(StartupError) as raised:
            await asyncio.wait_for(run_polling(settings, handle_signals=False), timeout=30)
    finally:
        await api.stop()
    assert str(raised.value).startswith(
        "Telegram refuses long polling: another process polls with this bot token."
    )
    assert "--webhook" in str(raised.value)
    assert api.calls.count("getUpdates") == 1
    assert "deleteWebhook" not in api.calls


# --- the runners, as `metodset run` starts them ----------------------------------------------


async def test_run_webhook_serves_updates_and_keeps_the_webhook_on_stop(settings: Settings) -> None:
    sent: list[str] = []

    async def send_message(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        sent.append(str(form["text"]))
        message = {
            "message_id": len(sent),
            "date": 0,
            "chat": {"id": int(str(form["chat_id"])), "type": "private"},
            "text": str(form["text"]),
        }
        return web.json_response({"ok": True, "result": message})

    api = FakeBotApi({"sendMessage": send_message})
    base_url = await api.start()
    port = free_port()
    webhook = WebhookSettings(
        url="https://bot.example.org", secret=SecretStr(SECRET), host="127.0.0.1", port=port
    )
    settings = settings.model_copy(update={"api_server": base_url, "webhook": webhook})
    runner = asyncio.create_task(run_webhook(settings))
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
            await until(lambda: "setWebhook" in api.calls, "setWebhook", timeout=30)

            async def ready() -> bool:
                try:
                    async with http.get("/readyz") as response:
                        return response.status == 200
                except aiohttp.ClientConnectionError:
                    return False

            await until(ready, "the webhook server listening", timeout=30)
            async with http.post(
                "/telegram", json=start_update(TEACHER), headers={SECRET_HEADER: SECRET}
            ) as response:
                assert response.status == 200
            greeting, consent = sent  # what the bot sent, in order
            assert "Методсеть" in greeting
            assert "152-ФЗ" in consent
            async with http.post("/telegram", json=start_update(TEACHER, 2)) as response:
                assert response.status == 401
            assert len(sent) == 2
    finally:
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
        await api.stop()
    assert "deleteWebhook" not in api.calls


async def test_polling_serves_the_ops_endpoints_on_their_own_port(settings: Settings) -> None:
    api = FakeBotApi()
    base_url = await api.start()
    port = free_port()
    settings = settings.model_copy(update={"api_server": base_url, "ops": OpsSettings(port=port)})
    runner = asyncio.create_task(run_polling(settings, handle_signals=False))
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
            await until(lambda: "getUpdates" in api.calls, "polling", timeout=30)
            async with http.get("/healthz") as response:
                assert (response.status, await response.text()) == (200, "ok")
            async with http.get("/metrics") as response:
                assert "metodset_outbox_depth 0.0" in await response.text()
    finally:
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
        await api.stop()


async def test_a_webhook_telegram_refuses_stops_start_up_with_one_line(settings: Settings) -> None:
    async def refuse(_request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: bad webhook: HTTPS url must be provided for webhook",
            },
            status=400,
        )

    api = FakeBotApi({"setWebhook": refuse})
    base_url = await api.start()
    webhook = WebhookSettings(
        url="http://bot.example.org", secret=SecretStr(SECRET), port=free_port()
    )
    settings = settings.model_copy(update={"api_server": base_url, "webhook": webhook})
    try:
        with pytest.raises(StartupError) as raised:
            await asyncio.wait_for(run_webhook(settings), timeout=30)
    finally:
        await api.stop()
    assert str(raised.value) == (
        "Telegram refused the webhook http://bot.example.org/telegram: TelegramBadRequest:"
        " Telegram server says - Bad Request: bad webhook: HTTPS url must be provided for"
        " webhook (check METODSET_WEBHOOK__URL: a public https:// address)"
    )
    assert "getUpdates" not in api.calls


async def test_an_update_whose_handling_raises_is_counted_as_an_error() -> None:
    metrics = Metrics()
    update = Update.model_validate(start_update(TEACHER))

    async def failing(_event: object, _data: dict) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await UpdateMetrics(metrics)(failing, update, {})
    sample = metrics.registry.get_sample_value
    assert sample("metodset_update_errors_total", {"kind": "message"}) == 1
    assert sample("metodset_updates_total", {"kind": "message"}) == 1


async def test_scheduler_job_runs_are_counted_by_job_and_outcome() -> None:
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    metrics = Metrics()

    async def sweep() -> None:
        pass

    async def broken() -> None:
        raise RuntimeError("boom")

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_listener(metrics.job_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    now = datetime.now(UTC)
    scheduler.add_job(sweep, "date", run_date=now, id="survey-schedule")
    scheduler.add_job(broken, "date", run_date=now, id="remind-report-deadlines")
    scheduler.start()
    try:
        sample = metrics.registry.get_sample_value
        await until(
            lambda: (
                sample(
                    "metodset_scheduler_job_runs_total",
                    {"job": "remind-report-deadlines", "outcome": "error"},
                )
                and sample(
                    "metodset_scheduler_job_runs_total", {"job": "survey-schedule", "outcome": "ok"}
                )
            ),
            "both jobs counted",
        )
    finally:
        scheduler.shutdown(wait=False)


async def test_through_the_sandbox_a_webhook_serves_and_then_polling_is_refused(
    settings: Settings,
) -> None:
    """The sandbox as Telegram: it posts a member's /start to the webhook with the secret
    and the bot answers; after the webhook process stops, the webhook is still set, so
    long polling gets Telegram's 409 and stops with one line."""
    server = SandboxServer(settings.bot_token.get_secret_value())
    base_url = await server.start()
    client = SandboxClient(base_url)
    port = free_port()
    webhook = WebhookSettings(
        url=f"http://127.0.0.1:{port}", secret=SecretStr(SECRET), host="127.0.0.1", port=port
    )
    settings = settings.model_copy(update={"api_server": base_url, "webhook": webhook})
    try:
        runner = asyncio.create_task(run_webhook(settings))
        try:
            user = await client.create_user("Анна")
            await client.start(user.id)
            greeting, consent = await client.wait_for_bot_messages(user.id, 2, timeout=30)
            assert "Методсеть" in greeting.text
            assert "152-ФЗ" in consent.text
        finally:
            runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await runner
        with pytest.raises(StartupError) as raised:
            await asyncio.wait_for(run_polling(settings, handle_signals=False), timeout=30)
    finally:
        await client.close()
        await server.stop()
    assert str(raised.value).startswith(
        "Telegram refuses long polling: a webhook is set for this bot"
    )
