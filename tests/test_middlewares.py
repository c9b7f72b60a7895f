"""Throttling, errors turned into apologies, commands menus, the session per update."""

import logging

from aiogram import Router
from aiogram.filters import Command

from bot.app import set_commands
from tests.flows import register
from tests.harness import BotHarness, Person, texts

TEACHER = Person(id=6001, first_name="Мария")


def private(h: BotHarness) -> Router:
    """The router of private chats, where a test's own router can go after the features."""
    return next(router for router in h.dispatcher.chain_tail if router.name == "private")


async def test_a_flood_is_answered_once_and_dropped(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    h.pace_seconds = 0.01  # thirty messages in about a third of a second

    replies: list[str] = []
    for _ in range(30):
        replies += texts(await h.send(TEACHER, "/my"))

    warnings = [r for r in replies if r.startswith("Слишком много сообщений")]
    handled = [r for r in replies if "Мои сообщества" in r or "не состоите" in r]
    assert len(warnings) == 1
    assert 1 <= len(handled) <= 9  # the burst allowance, not thirty
    h.pace_seconds = 5  # a pause refills the bucket
    assert "не состоите" in texts(await h.send(TEACHER, "/my"))[0]


async def test_unexpected_error_is_logged_with_update_id_and_apologised_for(
    harness: BotHarness, caplog
) -> None:
    h = harness
    await register(h, TEACHER)
    broken = Router(name="broken")

    @broken.message(Command("boom"))
    async def boom(message) -> None:
        raise RuntimeError("database on fire")

    private(h).include_router(broken)

    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        calls = await h.send(TEACHER, "/boom")

    assert texts(calls) == [
        "Извините, что-то пошло не так. Мы уже знаем об ошибке — попробуйте ещё раз чуть позже."
    ]
    assert "Traceback" not in texts(calls)[0]
    record = next(r for r in caplog.records if r.name == "handlers.errors")
    assert record.getMessage().startswith("Update ")
    assert "failed" in record.getMessage()


async def test_failed_update_writes_nothing(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    broken = Router(name="broken")

    @broken.message(Command("halfway"))
    async def halfway(message, user, repo) -> None:
        user.full_name = "Half Written"
        await repo.session.flush()
        raise RuntimeError("after the write")

    private(h).include_router(broken)
    await h.send(TEACHER, "/halfway")

    repo.session.expire_all()
    assert (await repo.users.by_telegram_id(TEACHER.id)).full_name == "Иванова Мария Петровна"


async def test_unknown_text_gets_a_hint(harness: BotHarness) -> None:
    h = harness
    await register(h, TEACHER)

    calls = await h.send(TEACHER, "что тут делать?")

    # Typed text is a search; finding nothing, it says where the menu and commands are.
    assert texts(calls) == [
        "По запросу «что тут делать?» материалов не нашлось. Попробуйте другие слова. "
        "Если вы не искали материал — меню внизу экрана, список команд — /help."
    ]


async def test_stale_button_is_answered(harness: BotHarness) -> None:
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/my")

    await h.press(TEACHER, h.last_message(TEACHER.id), "zz9:unknown")

    assert h.alerts()[-1] == "Эта кнопка устарела. Откройте раздел заново."


async def test_commands_are_registered_in_both_languages(harness: BotHarness, i18n) -> None:
    h = harness
    await set_commands(h.bot, i18n)

    calls = [
        c
        for c in h.session.calls
        if c.name == "setMyCommands"
        and (c.method.scope is None or c.method.scope.type == "default")
    ]
    by_language = {c.method.language_code: c.method.commands for c in calls}
    assert set(by_language) == {"ru", "en", None}
    assert [c.command for c in by_language["ru"]][:4] == ["start", "search", "share", "communities"]
    assert by_language["ru"][1].description == "Найти материал"
    assert by_language["en"][1].description == "Find materials"
    assert by_language[None] == by_language["ru"]  # Russian for everyone else
