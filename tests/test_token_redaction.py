"""The bot token never reaches the log or the database: each error path that quotes the
Bot API URL (``…/bot<token>/<method>``) is forced against a misconfigured server (a
redirect loop), with logging set up as `metodset run` sets it up, then the captured log
and the deliveries table are searched for the token."""

import asyncio
import contextlib
import io
import logging
from datetime import time

import pytest
from aiohttp import web
from pydantic import SecretStr
from sqlalchemy import select

import bot.app
from bot.app import run_polling
from bot.cli import configure_logging
from bot.config import DeliverySettings, Settings
from bot.logs import redact
from storage.models import Delivery
from storage.repositories import Repo
from tests.fake_botapi import FakeBotApi, redirect_loop

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = TOKEN.split(":")[1]
START = {
    "update_id": 1,
    "message": {
        "message_id": 1,
        "date": 1_700_000_000,
        "chat": {"id": 777, "type": "private", "first_name": "Анна"},
        "from": {"id": 777, "is_bot": False, "first_name": "Анна", "language_code": "ru"},
        "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    },
}


@pytest.fixture
def captured_log(settings: Settings):
    """Logging exactly as `metodset run` configures it, into a string."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = configure_logging(
        settings.model_copy(update={"bot_token": SecretStr(TOKEN)}), stream=stream
    )
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


async def eventually(condition, seconds: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "the error path never ran"
        await asyncio.sleep(0.1)


@contextlib.asynccontextmanager
async def bot_against(api: FakeBotApi, settings: Settings):
    base_url = await api.start()
    settings = settings.model_copy(
        update={
            "bot_token": SecretStr(TOKEN),
            "api_server": base_url,
            "delivery": DeliverySettings(quiet_start=time(0, 0), quiet_end=time(0, 0)),
        }
    )
    runner = asyncio.create_task(run_polling(settings, handle_signals=False))
    try:
        yield runner
    finally:
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
        await api.stop()


def assert_no_token(text: str) -> None:
    assert SECRET not in text
    assert TOKEN not in text


async def test_a_redirect_loop_at_start_up_logs_no_token(
    settings: Settings, captured_log, monkeypatch
) -> None:
    monkeypatch.setattr(bot.app, "API_RETRY_SECONDS", (0.1,))
    api = FakeBotApi({"getMe": redirect_loop})

    async def warned() -> bool:
        return "Cannot reach the Bot API server" in captured_log.getvalue()

    async with bot_against(api, settings):
        await eventually(warned)
    log = captured_log.getvalue()
    assert "TooManyRedirects" in log and "bot123456789:***/getMe" in log
    assert_no_token(log)


async def test_polling_handler_and_outbox_errors_keep_the_token_out_of_log_and_database(
    settings: Settings, captured_log, sessionmaker
) -> None:
    async with sessionmaker() as session:
        await Repo(session).outbox.enqueue("news:1:101", 101, "Новости", urgent=True)
        await session.commit()
    served = []

    async def one_update_then_a_loop(request: web.Request) -> web.StreamResponse:
        if not served:
            served.append(1)
            return web.json_response({"ok": True, "result": [START]})
        return await redirect_loop(request)

    api = FakeBotApi(
        {
            "getUpdates": one_update_then_a_loop,  # a polling error
            "sendMessage": redirect_loop,  # the handler's answer and the outbox's delivery
        }
    )

    async def every_path_ran() -> bool:
        log = captured_log.getvalue()
        async with sessionmaker() as session:
            stored = await session.scalar(select(Delivery.last_error))
        return (
            "Failed to fetch updates" in log
            and "Update 1 failed" in log
            and "Could not report an error to chat 777" in log
            and bool(stored)
        )

    async with bot_against(api, settings):
        await eventually(every_path_ran)

    log = captured_log.getvalue()
    assert "Traceback" in log  # the handler's failure, its traceback masked too
    assert log.count("bot123456789:***/") >= 3
    assert_no_token(log)
    async with sessionmaker() as session:
        stored = list(await session.scalars(select(Delivery.last_error)))
    assert stored and all("bot123456789:***/sendMessage" in text for text in stored)
    for text in stored:
        assert_no_token(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"url=URL('http://h/bot{TOKEN}/getMe')", "url=URL('http://h/bot123456789:***/getMe')"),
        ("http://h/bot42:short/getMe?x=1", "http://h/bot42:***/getMe?x=1"),
        (f"token {TOKEN}.", "token 123456789:***."),
        ("a phone 8:30 and news:1:101 stay", "a phone 8:30 and news:1:101 stay"),
    ],
)
def test_redact_masks_tokens_and_nothing_else(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_a_known_token_of_any_shape_is_masked() -> None:
    assert redact("demo 700000001:metodset-demo-token!", ["700000001:metodset-demo-token"]) == (
        "demo 700000001:***!"
    )
