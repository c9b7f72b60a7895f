"""Pressing the same button twice: the second press edits the message into what it already
is, Telegram answers "message is not modified", and that is no error for the member."""

import pytest
from aiogram.exceptions import TelegramBadRequest

from bot.app import build_bot
from sandbox.errors import MESSAGE_NOT_MODIFIED
from tests.flows import (
    create_event,
    make_community,
    methodist,
    open_listed,
    register,
    setup_community,
    start_sharing,
)
from tests.harness import BotHarness, Person, labels
from tests.people import METHODIST, READER, SHARER

SEARCHER = Person(id=7801, first_name="Пётр")
APOLOGY = "что-то пошло не так"


def apologies(h: BotHarness, person: Person) -> list[str]:
    """The generic error text, in a message to the member or in a button's alert."""
    said = [getattr(c.method, "text", None) or "" for c in h.sent_to(person.id)]
    return [text for text in [*said, *h.alerts()] if APOLOGY in text.lower()]


def not_modified(h: BotHarness) -> list[str]:
    """Edits Telegram refused as changing nothing (the bot then took them as done)."""
    return [str(error) for _, error in h.session.refused if "not modified" in str(error)]


async def test_i_will_come_twice(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await create_event(h, capacity=None)
    await h.send(READER, "/events")
    await open_listed(h, READER, h.last_message(READER.id), "Функциональная")
    card = h.last_message(READER.id)

    await h.tap(READER, card, "Приду")
    await h.tap(READER, h.now(card), "Приду")

    assert not_modified(h)  # the second press really changed nothing
    assert apologies(h, READER) == []
    assert h.alerts()[-2:] == ["✅ Вы придёте.", "✅ Вы придёте."]
    assert apologies(h, METHODIST) == []


async def test_thumbs_down_twice(harness: BotHarness, repo, library) -> None:
    h = harness
    await register(h, SEARCHER, full_name="Петров Пётр")
    await h.send(SEARCHER, "дроби")
    await h.tap(SEARCHER, h.last_message(SEARCHER.id), "1")
    card = h.last_message(SEARCHER.id)

    await h.tap(SEARCHER, card, "👎")
    await h.tap(SEARCHER, h.now(card), "👎")

    assert not_modified(h)
    assert apologies(h, SEARCHER) == []
    assert "👎 1" in h.now(card).text


async def test_leave_the_draft_twice(harness: BotHarness, repo) -> None:
    h = harness
    await start_sharing(h, repo)
    step = h.last_message(SHARER.id)

    await h.tap(SHARER, step, "Отложить")
    await h.tap(SHARER, step, "Отложить")  # the same button, pressed again before it went

    assert not_modified(h)
    assert apologies(h, SHARER) == []
    assert h.now(step).text.startswith("Черновик сохранён")


async def test_back_twice(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, SEARCHER, full_name="Петров Пётр")
    await make_community(repo, "Математики")
    await h.send(SEARCHER, "/communities")
    listing = h.last_message(SEARCHER.id)
    await h.tap(SEARCHER, listing, "Математики")
    card = h.now(listing)

    await h.tap(SEARCHER, card, "← Назад")
    await h.tap(SEARCHER, card, "← Назад")

    assert not_modified(h)
    assert apologies(h, SEARCHER) == []
    assert "Математики · 0 👥" in labels(h.now(listing))


async def test_the_same_search_filter_twice(harness: BotHarness, repo, library) -> None:
    h = harness
    await register(h, SEARCHER, full_name="Петров Пётр")
    await h.send(SEARCHER, "/search урок")
    results = h.last_message(SEARCHER.id)
    await h.tap(SEARCHER, results, "Сообщество: все")
    choices = h.now(results)

    await h.tap(SEARCHER, choices, "Биологи")
    await h.tap(SEARCHER, choices, "Биологи")

    assert not_modified(h)
    assert apologies(h, SEARCHER) == []
    assert "Сообщество: Биологи" in labels(h.now(results))


@pytest.mark.parametrize("retry_after", [True, False])
async def test_the_running_bot_takes_an_unchanged_edit_as_done(settings, retry_after) -> None:
    """bot.app.build_bot (the handlers' bot and the outbox worker's) has the middleware."""
    bot = build_bot(settings, retry_after=retry_after)

    async def telegram(bot_, method, timeout=None):  # noqa: ASYNC109 - the session's signature
        raise TelegramBadRequest(method=method, message=f"Bad Request: {MESSAGE_NOT_MODIFIED}")

    bot.session.make_request = telegram  # type: ignore[method-assign]
    try:
        assert await bot.edit_message_text("Итог", chat_id=1, message_id=2) is True
        assert await bot.edit_message_reply_markup(chat_id=1, message_id=2) is True
        with pytest.raises(TelegramBadRequest):  # only an edit can be "not modified"
            await bot.send_message(1, "Итог")
    finally:
        await bot.session.close()
