"""Bot API basics through a real aiogram Bot: identity, errors with Telegram's wording."""

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramUnauthorizedError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import SandboxClient, SandboxServer

from .conftest import make_bot


async def test_get_me_describes_the_bot(bot: Bot, server: SandboxServer) -> None:
    me = await bot.get_me()

    assert me.id == server.bot_id
    assert me.is_bot
    assert me.username == server.bot_username
    assert me.can_join_groups
    assert me.can_read_all_group_messages is False  # privacy mode, like BotFather's default


async def test_unknown_method_is_404_and_method_names_ignore_case(server: SandboxServer) -> None:
    base = f"{server.base_url}/bot{server.token}"
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/sendMessageToMars", json={}) as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with session.get(f"{base}/GETME") as response:
            body = await response.json()
            assert response.status == 200
            assert body["ok"] is True
            assert body["result"]["id"] == server.bot_id


async def test_unknown_token_is_unauthorized(server: SandboxServer) -> None:
    stranger = make_bot(server, token="42:not-this-bot")
    try:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await stranger.get_me()
    finally:
        await stranger.session.close()


async def test_json_and_urlencoded_bodies_are_read(
    server: SandboxServer, client: SandboxClient
) -> None:
    user = await client.create_user("Анна")
    await client.start(user.id)
    base = f"{server.base_url}/bot{server.token}"
    async with aiohttp.ClientSession() as session:
        async with session.post(
            f"{base}/sendMessage", json={"chat_id": user.id, "text": "json"}
        ) as response:
            assert (await response.json())["result"]["text"] == "json"
        async with session.post(
            f"{base}/sendMessage", data={"chat_id": str(user.id), "text": "form"}
        ) as response:
            assert (await response.json())["result"]["text"] == "form"
        async with session.get(f"{base}/sendMessage?chat_id={user.id}&text=query") as response:
            assert (await response.json())["result"]["text"] == "query"


async def test_chat_not_found(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: chat not found"):
        await bot.send_message(123456789, "hello")


async def test_user_who_never_started_the_bot_cannot_be_written_to(
    bot: Bot, client: SandboxClient
) -> None:
    anna = await client.create_user("Анна")
    boris = await client.create_user("Борис")
    await client.create_group("Учительская", members=[anna.id, boris.id])

    with pytest.raises(TelegramForbiddenError, match="bot can't initiate conversation"):
        await bot.send_message(boris.id, "hello")


async def test_blocked_user_raises_forbidden(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна")
    await client.start(user.id)
    await bot.send_message(user.id, "до блокировки")
    await client.block_bot(user.id)

    with pytest.raises(TelegramForbiddenError, match="Forbidden: bot was blocked by the user"):
        await bot.send_message(user.id, "после блокировки")

    await client.unblock_bot(user.id)
    await bot.send_message(user.id, "снова можно")


async def test_malformed_html_cannot_be_parsed(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)

    with pytest.raises(TelegramBadRequest) as unclosed:
        await bot.send_message(user.id, "<b>жирный", parse_mode="HTML")
    assert unclosed.value.message == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    with pytest.raises(TelegramBadRequest) as unknown:
        await bot.send_message(user.id, "привет <br> мир", parse_mode="HTML")
    assert unknown.value.message == (
        'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 13'
    )
    sent = await bot.send_message(
        user.id,
        '<b>a</b> <i>b</i> <u>c</u> <s>d</s> <tg-spoiler>e</tg-spoiler> <a href="https://x.org">f</a>'
        " <code>g</code> <pre>h</pre> <blockquote>i</blockquote> 1 &lt; 2",
        parse_mode="HTML",
    )
    assert sent.text == "a b c d e f g h i 1 < 2"
    assert [entity.type for entity in sent.entities or []] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "text_link",
        "code",
        "pre",
        "blockquote",
    ]


async def test_text_limits(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)

    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await bot.send_message(user.id, "   ")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
        await bot.send_message(user.id, "<b> </b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await bot.send_message(user.id, "я" * 4097)
    sent = await bot.send_message(user.id, "я" * 4096)
    assert len(sent.text or "") == 4096


async def test_callback_data_over_64_bytes_is_refused(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="я" * 33)]]
    )

    with pytest.raises(TelegramBadRequest, match="Bad Request: BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "кнопка", reply_markup=markup)


async def test_unknown_callback_query_is_too_old(bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="query is too old and response timeout expired"):
        await bot.answer_callback_query("123456789")


async def test_every_call_is_logged(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    await bot.get_me()
    await bot.send_message(user.id, "<b>hi</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest):
        await bot.send_message(user.id, "")

    calls = await client.api_calls()
    assert [call.method for call in calls] == ["getMe", "sendMessage", "sendMessage"]
    sent, failed = await client.api_calls("sendmessage")
    assert sent.ok and sent.params["text"] == "<b>hi</b>" and sent.params["parse_mode"] == "HTML"
    assert sent.result["text"] == "hi"
    assert failed.ok is False and failed.error_code == 400


async def test_commands_per_scope_and_language(bot: Bot, client: SandboxClient) -> None:
    from aiogram.types import BotCommand, BotCommandScopeAllGroupChats

    user = await client.create_user("Анна", language_code="en", started=True)
    await bot.set_my_commands([BotCommand(command="start", description="Начать")])
    await bot.set_my_commands(
        [BotCommand(command="start", description="Start")], language_code="en"
    )
    await bot.set_my_commands(
        [BotCommand(command="help", description="Помощь")], scope=BotCommandScopeAllGroupChats()
    )

    assert [c.description for c in await bot.get_my_commands()] == ["Начать"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeAllGroupChats())] == [
        "help"
    ]
    assert await client.commands(user.id) == [{"command": "start", "description": "Start"}]
    await bot.delete_my_commands(language_code="en")
    assert await client.commands(user.id) == [{"command": "start", "description": "Начать"}]
    assert await bot.set_my_description("Бот сообщества педагогов")
    assert (await bot.get_my_description()).description == "Бот сообщества педагогов"
    assert await bot.set_my_short_description("Методсеть")
