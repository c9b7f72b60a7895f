"""Messages as users see them: buttons and toasts, edits, deletions, reply keyboards."""

import asyncio

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)

from sandbox import SandboxClient, SandboxError


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=text, callback_data=data)] for text, data in pairs
        ]
    )


async def test_button_press_reaches_the_bot_and_the_toast_reaches_the_user(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна", started=True)
    sent = await bot.send_message(
        user.id, "Вступить в сообщество?", reply_markup=keyboard(("Да", "join:7"), ("Нет", "no"))
    )
    press = asyncio.create_task(client.press_button(user.id, None, sent.message_id, "Да"))

    [update] = await bot.get_updates(timeout=5)
    query = update.callback_query
    assert query is not None
    assert query.data == "join:7"
    assert query.from_user.id == user.id
    assert query.message is not None and query.message.message_id == sent.message_id
    assert query.chat_instance
    assert await bot.answer_callback_query(query.id, text="Заявка отправлена", show_alert=True)

    result = await press
    assert result.answered
    assert result.text == "Заявка отправлена"
    assert result.show_alert
    view = await client.chat_view(user.id)
    assert [(t.text, t.data, t.message_id) for t in view.toasts] == [
        ("Заявка отправлена", "join:7", sent.message_id)
    ]
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query.id)


async def test_press_by_callback_data_and_without_waiting(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    sent = await bot.send_message(user.id, "?", reply_markup=keyboard(("Да", "yes")))

    result = await client.press_button(user.id, None, sent.message_id, "yes", wait=0)
    assert not result.answered
    [update] = await bot.get_updates()
    assert update.callback_query is not None and update.callback_query.data == "yes"
    with pytest.raises(SandboxError, match="no button"):
        await client.press_button(user.id, None, sent.message_id, "Может быть", wait=0)


async def test_edit_text_and_message_not_modified(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    sent = await bot.send_message(user.id, "Черновик", reply_markup=keyboard(("Ок", "ok")))

    edited = await bot.edit_message_text(
        "<b>Готово</b>",
        chat_id=user.id,
        message_id=sent.message_id,
        parse_mode="HTML",
        reply_markup=keyboard(("Ок", "ok")),
    )
    assert not isinstance(edited, bool)
    assert edited.text == "Готово" and edited.edit_date is not None

    with pytest.raises(TelegramBadRequest) as same:
        await bot.edit_message_text(
            "<strong>Готово</strong>",
            chat_id=user.id,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard(("Ок", "ok")),
        )
    assert same.value.message == (
        "Bad Request: message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message"
    )
    # Without reply_markup the keyboard goes away: that is a change.
    await bot.edit_message_text(
        "<b>Готово</b>", chat_id=user.id, message_id=sent.message_id, parse_mode="HTML"
    )
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=user.id, message_id=999)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=user.id, message_id=sent.message_id)
    await bot.edit_message_reply_markup(
        chat_id=user.id, message_id=sent.message_id, reply_markup=keyboard(("Ещё", "more"))
    )

    [message] = await client.chat(user.id)
    assert message.text == "Готово"
    assert message.source_text == "<b>Готово</b>"
    assert message.edited
    assert message.button_texts == ["Ещё"]


async def test_user_messages_cannot_be_edited_by_the_bot(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна")
    sent = await client.send_text(user.id, "моё")

    with pytest.raises(TelegramBadRequest, match="message can't be edited"):
        await bot.edit_message_text("чужое", chat_id=user.id, message_id=sent["message_id"])


async def test_delete_message(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    first = await bot.send_message(user.id, "первое")
    second = await bot.send_message(user.id, "второе")

    assert await bot.delete_message(user.id, first.message_id)
    with pytest.raises(TelegramBadRequest) as missing:
        await bot.delete_message(user.id, first.message_id)
    assert missing.value.message == "Bad Request: message to delete not found"

    assert [m.message_id for m in await client.chat(user.id)] == [second.message_id]


async def test_chat_view_after_edits_and_deletions(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна")
    await client.send_text(user.id, "/start")
    menu = await bot.send_message(user.id, "Меню", reply_markup=keyboard(("Профиль", "profile")))
    note = await bot.send_message(user.id, "Временное")
    reply = await bot.send_message(
        user.id, "Ответ", reply_parameters=ReplyParameters(message_id=menu.message_id)
    )
    await bot.edit_message_text("Меню (обновлено)", chat_id=user.id, message_id=menu.message_id)
    await bot.delete_message(user.id, note.message_id)
    await client.send_text(user.id, "спасибо", reply_to=reply.message_id)

    messages = await client.chat(user.id)
    assert [(m.from_bot, m.content) for m in messages] == [
        (False, "/start"),
        (True, "Меню (обновлено)"),
        (True, "Ответ"),
        (False, "спасибо"),
    ]
    assert messages[1].edited and messages[1].buttons == []
    assert messages[2].reply_to_message_id == menu.message_id
    assert messages[3].reply_to_message_id == reply.message_id
    assert messages[0].sender_name == "Анна"


async def test_reply_keyboard_is_shown_collapsed_and_removed(
    bot: Bot, client: SandboxClient
) -> None:
    user = await client.create_user("Анна", started=True)
    markup = ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text="Поделиться")], [KeyboardButton(text="Отмена")]],
        one_time_keyboard=True,
        input_field_placeholder="Выберите",
    )
    await bot.send_message(user.id, "Что дальше?", reply_markup=markup)

    view = await client.chat_view(user.id)
    assert view.reply_keyboard is not None
    assert view.reply_keyboard.rows == [["Поделиться"], ["Отмена"]]
    assert view.reply_keyboard.placeholder == "Выберите"

    await client.press_reply_button(user.id, "Отмена")
    [update] = await bot.get_updates()
    assert update.message is not None and update.message.text == "Отмена"
    view = await client.chat_view(user.id)
    assert view.reply_keyboard is not None and view.reply_keyboard.collapsed

    await bot.send_message(user.id, "Убрал", reply_markup=ReplyKeyboardRemove())
    assert (await client.chat_view(user.id)).reply_keyboard is None
    with pytest.raises(SandboxError, match="no reply button"):
        await client.press_reply_button(user.id, "Отмена")


async def test_copy_and_forward(bot: Bot, client: SandboxClient) -> None:
    anna = await client.create_user("Анна")
    boris = await client.create_user("Борис", started=True)
    sent = await client.send_text(anna.id, "Мой конспект")

    copied = await bot.copy_message(boris.id, anna.id, sent["message_id"])
    forwarded = await bot.forward_message(boris.id, anna.id, sent["message_id"])
    assert forwarded.forward_origin is not None
    assert forwarded.forward_origin.type == "user"
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(boris.id, anna.id, 999)

    messages = await client.chat(boris.id)
    assert [m.message_id for m in messages] == [copied.message_id, forwarded.message_id]
    assert [m.text for m in messages] == ["Мой конспект", "Мой конспект"]


async def test_poll_and_pins(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    poll_message = await bot.send_poll(user.id, "Удобно в среду?", options=["Да", "Нет"])
    assert poll_message.poll is not None and not poll_message.poll.is_closed
    stopped = await bot.stop_poll(user.id, poll_message.message_id)
    assert stopped.is_closed
    with pytest.raises(TelegramBadRequest, match="poll has already been closed"):
        await bot.stop_poll(user.id, poll_message.message_id)

    assert await bot.pin_chat_message(user.id, poll_message.message_id)
    chat = await bot.get_chat(user.id)
    assert chat.first_name == "Анна"
    messages = await client.chat(user.id)
    assert messages[-1].service == "pinned_message"
    assert messages[0].raw["pinned"]
    assert await bot.unpin_chat_message(user.id)


async def test_inline_query_answer_and_chosen_result(bot: Bot, client: SandboxClient) -> None:
    from aiogram.types import InlineQueryResultArticle, InputTextMessageContent

    user = await client.create_user("Анна", started=True)
    query = asyncio.create_task(client.inline_query(user.id, "дроби"))
    [update] = await bot.get_updates(timeout=5)
    assert update.inline_query is not None and update.inline_query.query == "дроби"
    await bot.answer_inline_query(
        update.inline_query.id,
        [
            InlineQueryResultArticle(
                id="m1",
                title="Дроби, 5 класс",
                input_message_content=InputTextMessageContent(
                    message_text="<b>Дроби</b>", parse_mode="HTML"
                ),
                reply_markup=keyboard(("Открыть", "open:1")),
            )
        ],
    )
    answered = await query
    assert [r["id"] for r in answered["answer"]["results"]] == ["m1"]

    chosen = await client.choose_inline_result(user.id, answered["inline_query_id"], "m1")
    updates = await bot.get_updates(offset=update.update_id + 1)
    result = next(u.chosen_inline_result for u in updates if u.chosen_inline_result)
    assert result.result_id == "m1" and result.inline_message_id == chosen["inline_message_id"]
    assert (
        await bot.edit_message_text(
            "Дроби (открыто)", inline_message_id=chosen["inline_message_id"]
        )
        is True
    )
    last = await client.last_message(user.id)
    assert last.via_bot and last.text == "Дроби (открыто)"
