"""The harness itself: every update it feeds must be taken by some handler, and its
recording session refuses what Telegram refuses, with Telegram's words."""

from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import EditMessageReplyMarkup, EditMessageText, TelegramMethod
from aiogram.types import Chat, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from tests.harness import Person

STRANGER = Person(id=777_001, first_name="Гость")


def _channel_post() -> Update:
    post = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=-100_777, type="channel", title="Канал"),
        text="пост в канале",
    )
    return Update(update_id=99_001, channel_post=post)


async def test_an_update_no_handler_takes_fails_the_test(harness) -> None:
    with pytest.raises(AssertionError, match="no handler took update channel_post"):
        await harness.feed(_channel_post())


async def test_a_test_may_say_it_expects_no_handler(harness) -> None:
    assert await harness.feed(_channel_post(), expect_handled=False) == []


async def test_a_handled_update_passes(harness) -> None:
    calls = await harness.send(STRANGER, "/start")
    assert calls


# --- the strict session: Telegram's rules -------------------------------------------------

READER = Person(id=777_002, first_name="Пётр")
GROUP_ID = -100_777_002


def _keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Кнопка", callback_data=data)]]
    )


async def _raw(harness, method: TelegramMethod[Any]) -> Any:
    """Telegram's answer itself, past the bot's request middlewares."""
    return await harness.session.make_request(harness.bot, method)


async def test_a_message_keeps_plain_text_and_entities_apart(harness) -> None:
    harness.started(READER)
    sent = await harness.bot.send_message(READER.id, "<b>Привет</b>, &lt;мир&gt; 👋")
    assert sent.text == "Привет, <мир> 👋"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 6)]
    assert sent.html_text == "<b>Привет</b>, &lt;мир&gt; 👋"
    assert harness.last_message(READER.id).text == "Привет, <мир> 👋"


async def test_html_that_does_not_parse_is_refused_with_telegrams_words(harness) -> None:
    harness.started(READER)
    with pytest.raises(TelegramBadRequest) as refused:
        await harness.bot.send_message(READER.id, "/appeal <номер>")
    assert refused.value.message == (
        'Bad Request: can\'t parse entities: Unsupported start tag "номер" at byte offset 8'
    )
    assert harness.sent_to(READER.id) == []


async def test_text_and_caption_lengths_count_utf16_after_parsing(harness) -> None:
    harness.started(READER)
    await harness.bot.send_message(READER.id, f"<b>{'я' * 4096}</b>")  # tags do not count
    with pytest.raises(TelegramBadRequest, match="Bad Request: message is too long"):
        await harness.bot.send_message(READER.id, "😀" * 2049)  # 4,098 UTF-16 units
    await harness.bot.send_document(READER.id, "file-id", caption=f"<i>{'я' * 1024}</i>")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message caption is too long"):
        await harness.bot.send_document(READER.id, "file-id", caption="я" * 1025)
    for empty in ("", "<b> </b>"):
        with pytest.raises(TelegramBadRequest, match="Bad Request: message text is empty"):
            await harness.bot.send_message(READER.id, empty)


async def test_callback_data_over_64_bytes_is_refused_in_sends_and_edits(harness) -> None:
    harness.started(READER)
    sent = await harness.bot.send_message(READER.id, "Меню", reply_markup=_keyboard("я" * 32))
    with pytest.raises(TelegramBadRequest, match="Bad Request: BUTTON_DATA_INVALID"):
        await harness.bot.send_message(READER.id, "Меню", reply_markup=_keyboard("x" * 65))
    with pytest.raises(TelegramBadRequest, match="Bad Request: BUTTON_DATA_INVALID"):
        await harness.bot.edit_message_reply_markup(
            chat_id=READER.id, message_id=sent.message_id, reply_markup=_keyboard("я" * 33)
        )


async def test_an_edit_that_changes_nothing_is_refused_and_the_bot_takes_it_as_done(
    harness,
) -> None:
    harness.started(READER)
    sent = await harness.bot.send_message(READER.id, "<b>Итог</b>", reply_markup=_keyboard("a"))
    same_text = EditMessageText(
        chat_id=READER.id,
        message_id=sent.message_id,
        text="<b>Итог</b>",
        reply_markup=_keyboard("a"),
    )
    same_markup = EditMessageReplyMarkup(
        chat_id=READER.id, message_id=sent.message_id, reply_markup=_keyboard("a")
    )
    for edit in (same_text, same_markup):
        with pytest.raises(TelegramBadRequest) as refused:
            await _raw(harness, edit)
        assert refused.value.message == (
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message"
        )
    # The same words in another style, or without the keyboard, are a change.
    await _raw(
        harness,
        EditMessageText(
            chat_id=READER.id,
            message_id=sent.message_id,
            text="<i>Итог</i>",
            reply_markup=_keyboard("a"),
        ),
    )
    edited = await _raw(
        harness, EditMessageText(chat_id=READER.id, message_id=sent.message_id, text="<i>Итог</i>")
    )
    assert edited.reply_markup is None and harness.now(sent).html_text == "<i>Итог</i>"
    # The bot itself (bot.not_modified) takes the refusal as done.
    assert (
        await harness.bot.edit_message_text(
            "<i>Итог</i>", chat_id=READER.id, message_id=sent.message_id
        )
        is True
    )


async def test_the_bot_cannot_write_first_to_someone_who_never_started_it(harness) -> None:
    with pytest.raises(TelegramForbiddenError) as refused:
        await harness.bot.send_message(READER.id, "Здравствуйте")
    assert refused.value.message == "Forbidden: bot can't initiate conversation with a user"
    await harness.bot.send_message(GROUP_ID, "Группе можно всегда")
    # Writing anything to the bot in private opens the chat; so does harness.started().
    await harness.send(READER, "/start")
    await harness.bot.send_message(READER.id, "Здравствуйте")
    harness.started(STRANGER)
    await harness.bot.send_message(STRANGER.id, "Здравствуйте")
    # A message in a group is no start.
    other = Person(id=777_003, first_name="Ирина")
    group = Chat(id=GROUP_ID, type="supergroup", title="Группа")
    await harness.send(other, "всем привет", chat=group, expect_handled=False)
    with pytest.raises(TelegramForbiddenError):
        await harness.bot.send_message(other.id, "Здравствуйте")
