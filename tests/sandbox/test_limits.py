"""Telegram's limits the crawler relies on the sandbox to enforce (tests/e2e/test_crawler.py
fails on any refused call): captions, inline keyboards, url buttons, edits, callback answers."""

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from sandbox import SandboxClient


def _markup(*buttons: InlineKeyboardButton) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[button] for button in buttons])


async def test_a_caption_over_1024_characters_is_refused(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    file = BufferedInputFile(b"%PDF-1.4", filename="plan.pdf")

    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(user.id, file, caption="я" * 1025)
    sent = await bot.send_document(user.id, file, caption="я" * 1024)
    assert len(sent.caption or "") == 1024


async def test_bad_html_in_a_caption_is_refused(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    file = BufferedInputFile(b"%PDF-1.4", filename="plan.pdf")

    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_document(user.id, file, caption="<b>План", parse_mode="HTML")


async def test_an_inline_keyboard_over_100_buttons_is_refused(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна", started=True)
    buttons = [InlineKeyboardButton(text=str(n), callback_data=str(n)) for n in range(101)]

    with pytest.raises(TelegramBadRequest, match="REPLY_MARKUP_TOO_LONG"):
        await bot.send_message(user.id, "много", reply_markup=_markup(*buttons))
    await bot.send_message(user.id, "сто", reply_markup=_markup(*buttons[:100]))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "http://", ""])
async def test_a_url_button_telegram_cannot_open_is_refused(
    bot: Bot, client: SandboxClient, url: str
) -> None:
    user = await client.create_user("Анна", started=True)
    button = InlineKeyboardButton(text="Открыть", url=url)

    with pytest.raises(TelegramBadRequest, match="BUTTON_URL_INVALID"):
        await bot.send_message(user.id, "ссылка", reply_markup=_markup(button))


@pytest.mark.parametrize("url", ["https://example.org/a?b=1", "tg://user?id=1", "example.org"])
async def test_url_buttons_telegram_opens_are_accepted(
    bot: Bot, client: SandboxClient, url: str
) -> None:
    user = await client.create_user("Анна", started=True)
    button = InlineKeyboardButton(text="Открыть", url=url)

    await bot.send_message(user.id, "ссылка", reply_markup=_markup(button))


async def test_an_edit_that_changes_nothing_is_refused(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    markup = _markup(InlineKeyboardButton(text="Дальше", callback_data="next"))
    sent = await bot.send_message(user.id, "<b>Шаг 1</b>", parse_mode="HTML", reply_markup=markup)

    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "<b>Шаг 1</b>",
            chat_id=user.id,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=markup,
        )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(
            chat_id=user.id, message_id=sent.message_id, reply_markup=markup
        )
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.edit_message_text("я" * 4097, chat_id=user.id, message_id=sent.message_id)


async def test_a_callback_is_answered_once_and_briefly(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    markup = _markup(InlineKeyboardButton(text="Дальше", callback_data="next"))
    sent = await bot.send_message(user.id, "шаг", reply_markup=markup)
    pressed = await client.press_button(user.id, None, sent.message_id, "Дальше", wait=0)
    query_id = pressed.callback_query_id
    assert query_id is not None

    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await bot.answer_callback_query(query_id, text="я" * 201)
    await bot.answer_callback_query(query_id, text="Готово")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)


async def test_lengths_are_counted_in_utf16_after_the_markup_is_parsed(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна", started=True)
    file = BufferedInputFile(b"%PDF-1.4", filename="plan.pdf")

    # Tags and character references do not count; what the member reads does.
    sent = await bot.send_message(user.id, f"<b>{'я' * 4095}</b>&amp;", parse_mode="HTML")
    assert len(sent.text or "") == 4096
    # An emoji outside the BMP counts twice, as in UTF-16.
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user.id, "😀" * 2049)
    await bot.send_document(user.id, file, caption=f"<i>{'я' * 1024}</i>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(user.id, file, caption="😀" * 513)


async def test_callback_data_over_64_bytes_is_refused_in_an_edit(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна", started=True)
    sent = await bot.send_message(
        user.id, "шаг", reply_markup=_markup(InlineKeyboardButton(text="x", callback_data="я" * 32))
    )
    too_long = _markup(InlineKeyboardButton(text="x", callback_data="я" * 32 + "!"))

    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.edit_message_reply_markup(
            chat_id=user.id, message_id=sent.message_id, reply_markup=too_long
        )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.edit_message_text(
            "шаг 2", chat_id=user.id, message_id=sent.message_id, reply_markup=too_long
        )
