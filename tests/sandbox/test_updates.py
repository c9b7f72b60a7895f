"""Getting updates: long polling with offsets and timeouts, allowed_updates, webhooks."""

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError
from aiogram.filters import CommandStart
from aiogram.methods import SendMessage
from aiogram.types import Message, Update
from aiohttp import web

from sandbox import SandboxClient, SandboxServer


async def test_long_poll_returns_promptly_when_an_update_arrives(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна")
    loop = asyncio.get_running_loop()
    started = loop.time()
    mark = await client.mark()
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await client.wait_for_api_call("getUpdates", after_seq=mark, started=True)
    assert not poll.done()

    await client.send_text(user.id, "/start")
    updates = await asyncio.wait_for(poll, 5)

    assert loop.time() - started < 3
    assert len(updates) == 1
    assert updates[0].message is not None
    assert updates[0].message.text == "/start"


async def test_poll_timeout_waits_then_answers_empty(bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == []
    assert 0.9 <= loop.time() - started < 3


async def test_offset_confirms_earlier_updates_and_limit_caps(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна")
    for text in ("один", "два", "три"):
        await client.send_text(user.id, text)

    first_two = await bot.get_updates(limit=2)
    assert [u.message.text for u in first_two if u.message] == ["один", "два"]
    again = await bot.get_updates()
    assert len(again) == 3  # nothing is confirmed until an offset says so

    rest = await bot.get_updates(offset=first_two[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["три"]
    assert await bot.get_updates(offset=rest[-1].update_id + 1) == []
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0


async def test_negative_offset_keeps_the_last_updates(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна")
    for text in ("1", "2", "3"):
        await client.send_text(user.id, text)

    last = await bot.get_updates(offset=-1)
    assert [u.message.text for u in last if u.message] == ["3"]


async def test_allowed_updates_filters_types(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна")
    await bot.get_updates(allowed_updates=["callback_query"])
    await client.send_text(user.id, "не доставят")

    assert await bot.get_updates() == []
    assert [entry["allowed"] for entry in await client.updates("message")] == [False]

    await bot.get_updates(allowed_updates=[])
    await client.send_text(user.id, "доставят")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "доставят"


async def test_a_second_poller_terminates_the_first(
    bot: Bot, server: SandboxServer, client: SandboxClient
) -> None:
    mark = await client.mark()
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await client.wait_for_api_call("getUpdates", after_seq=mark, started=True)
    second = asyncio.create_task(bot.get_updates(timeout=1))

    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 5)
    assert await second == []


async def test_every_generated_update_is_valid_for_aiogram(
    bot: Bot, client: SandboxClient, server: SandboxServer
) -> None:
    owner = await client.create_user("Ольга", username="olga")
    anna = await client.create_user("Анна", username="anna")
    group = await client.create_group(
        "Учительская", is_forum=True, creator_id=owner.id, bot_status=None
    )
    await bot.get_updates(
        allowed_updates=[
            "message",
            "callback_query",
            "my_chat_member",
            "chat_member",
            "inline_query",
            "chosen_inline_result",
            "edited_message",
        ]
    )
    await client.start(anna.id, "c_42")
    await client.add_bot(owner.id, group["id"], status="administrator")
    await client.join_group(anna.id, group["id"])
    thread = await client.create_topic(owner.id, group["id"], "Алгебра")
    await client.send_text(anna.id, "вопрос", chat_id=group["id"], thread_id=thread)
    await client.send_file(anna.id, b"\x89PNG\r\n\x1a\n" + b"\0" * 16, "p.png", kind="photo")
    await client.send_file(anna.id, b"%PDF-1.4", "plan.pdf", caption="План #урок")
    await client.edit_text(anna.id, 1, "/start c_43")
    await client.leave_group(anna.id, group["id"])
    await client.block_bot(anna.id)

    updates = await bot.get_updates()
    kinds = [next(k for k in u.model_fields_set if k != "update_id") for u in updates]
    assert kinds.count("message") >= 5
    assert {"my_chat_member", "chat_member", "edited_message"} <= set(kinds)
    # The raw JSON the sandbox generated, exactly as it went over the wire.
    generated = [entry for entry in await client.updates() if entry["allowed"]]
    assert len(generated) == len(updates)
    for entry in generated:
        raw = {"update_id": entry["update_id"], entry["kind"]: entry["payload"]}
        assert Update.model_validate(raw).update_id == entry["update_id"]
    topic_message = next(u.message for u in updates if u.message and u.message.text == "вопрос")
    assert topic_message.message_thread_id == thread
    assert topic_message.is_topic_message


# --- webhooks ---------------------------------------------------------------------------


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, asyncio.Queue[tuple[dict, dict]]]]:
    """A tiny webhook endpoint on a free loopback port recording what arrives."""
    received: asyncio.Queue[tuple[dict, dict]] = asyncio.Queue()

    async def handle(request: web.Request) -> web.Response:
        received.put_nowait((dict(request.headers), await request.json()))
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/hook", received
    finally:
        await runner.cleanup()


async def test_webhook_delivery_with_secret_header(
    bot: Bot, client: SandboxClient, receiver: tuple[str, asyncio.Queue[tuple[dict, dict]]]
) -> None:
    url, received = receiver
    user = await client.create_user("Анна")
    await client.send_text(user.id, "до вебхука")
    assert await bot.set_webhook(url, secret_token="s3cr3t_token")

    headers, body = await asyncio.wait_for(received.get(), 5)
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "s3cr3t_token"
    assert body["message"]["text"] == "до вебхука"

    await client.send_text(user.id, "после")
    _, body = await asyncio.wait_for(received.get(), 5)
    assert body["message"]["text"] == "после"
    with pytest.raises(TelegramConflictError, match="can't use getUpdates method while webhook"):
        await bot.get_updates()
    await client.wait_idle(timeout=5)
    info = await bot.get_webhook_info()
    assert info.url == url
    assert info.pending_update_count == 0

    assert await bot.delete_webhook()
    await client.send_text(user.id, "снова опрос")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "снова опрос"


async def test_webhook_errors_are_reported_and_retried(bot: Bot, client: SandboxClient) -> None:
    attempts: list[int] = []

    async def flaky(request: web.Request) -> web.Response:
        attempts.append(1)
        if len(attempts) == 1:
            return web.Response(status=500)
        return web.json_response({})

    app = web.Application()
    app.router.add_post("/hook", flaky)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        user = await client.create_user("Анна")
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook")
        await client.send_text(user.id, "привет")
        await client.wait_idle(timeout=5)
        info = await bot.get_webhook_info()
        assert len(attempts) == 2
        assert (
            info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
        )
        assert info.pending_update_count == 0
    finally:
        await runner.cleanup()


async def test_aiogram_webhook_reply_with_a_method_is_executed(
    server: SandboxServer, client: SandboxClient
) -> None:
    """aiogram's SimpleRequestHandler can answer an update with a method in the response."""
    from aiogram.webhook.aiohttp_server import SimpleRequestHandler

    from .conftest import make_bot

    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def greet(message: Message) -> SendMessage:
        return message.answer("<b>Здравствуйте!</b>", parse_mode="HTML")

    bot = make_bot(server)
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False, secret_token="abc").register(
        app, path="/hook"
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await bot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/hook", secret_token="abc")
        user = await client.create_user("Анна")
        await client.start(user.id)
        [reply] = await client.wait_for_bot_messages(user.id, 1)
        assert reply.text == "Здравствуйте!"
        assert reply.entities == [{"type": "bold", "offset": 0, "length": 13}]
    finally:
        await runner.cleanup()
        await bot.session.close()


async def test_dispatcher_polling_end_to_end(server: SandboxServer, client: SandboxClient) -> None:
    """A real aiogram Dispatcher polls the sandbox; the client waits instead of sleeping."""
    from .conftest import make_bot

    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def greet(message: Message) -> None:
        await message.answer(
            f"Привет, {message.from_user.first_name if message.from_user else ''}!"
        )
        await message.answer("Чем помочь?")

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(json.dumps({"echo": message.text}, ensure_ascii=False))

    bot = make_bot(server)
    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, polling_timeout=1)
    )
    try:
        user = await client.create_user("Анна")
        await client.start(user.id)
        greeting = await client.wait_for_bot_messages(user.id, 2)
        assert [m.text for m in greeting] == ["Привет, Анна!", "Чем помочь?"]

        await client.send_text(user.id, "тест")
        [echo_reply] = await client.wait_for_bot_messages(user.id, 1)
        assert json.loads(echo_reply.text or "") == {"echo": "тест"}
        await client.wait_idle(timeout=5)
        assert len(await client.chat(user.id)) == 5
    finally:
        await dispatcher.stop_polling()
        await asyncio.wait_for(polling, 10)
