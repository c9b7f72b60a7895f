"""An anonymous survey end to end, the bot running for real against the sandbox: a
coordinator builds and publishes it from the chat, three colleagues answer it from their
invitations, a second attempt is refused, and the coordinator reads the results."""

import pytest

from bot.config import ThrottlingSettings
from bot.demo import ADMIN, METHODIST, MODERATOR
from tests.e2e.conftest import Player
from tests.harness import until

TITLE = "Как прошёл методический день"


@pytest.fixture
def throttling() -> ThrottlingSettings:
    """The bot's flood limit (2 updates a second, a burst of 8) is for people; the players
    tap at machine speed instead of sleeping half a second before each step (the limit
    itself is tested in tests/test_middlewares.py)."""
    return ThrottlingSettings(rate=100, burst=100)


async def answer(player: Player, score: str, section: str) -> None:
    await player.sees("Анонимный опрос «Как прошёл методический день»")
    await player.tap("Пройти опрос")
    await player.tap("Начать")
    await player.sees("1 / 2")
    await player.tap(score)
    await player.sees("2 / 2")
    await player.tap(section)
    await player.tap("Отправить")
    await player.sees("Спасибо! Ваши ответы на опрос «Как прошёл методический день» приняты")


async def test_colleagues_answer_and_the_coordinator_reads_the_results(world) -> None:
    coordinator = Player(world, METHODIST.telegram_id)  # Козлова, a coordinator
    await coordinator.say("/new_survey", expect="Новый анонимный опрос")
    await coordinator.tap("Пустой опрос")
    await coordinator.say(TITLE, expect="Напишите вступление")
    await coordinator.tap("Пропустить")
    await coordinator.tap("Добавить вопрос")
    await coordinator.tap("Шкала")
    await coordinator.say("Насколько полезен был день?", expect="Какая шкала оценок?")
    await coordinator.tap("1–5")
    await coordinator.say("бесполезен — очень полезен", expect="обязателен?")
    await coordinator.tap("Да, обязателен")
    await coordinator.tap("Добавить вопрос")
    await coordinator.tap("Один вариант")
    await coordinator.say("Какая секция понравилась больше?", expect="варианты ответа")
    await coordinator.say("Математика\nРусский язык", expect="обязателен?")
    await coordinator.tap("Да, обязателен")
    await coordinator.sees("Вопросов: 2")
    await coordinator.tap("Опубликовать")
    await coordinator.tap("Всем участникам")
    await coordinator.tap("Далее")
    await coordinator.tap("Сейчас")
    await coordinator.tap("Через 7")
    await coordinator.tap("Мин. группа: 5")  # 5 → 10 → 3: three colleagues are enough
    await coordinator.tap("Мин. группа: 10")
    await coordinator.sees("Минимальная группа: 3")
    await coordinator.tap("Опубликовать (")

    # "открыт, приглашений: N" is edited into the progress line as soon as the worker sends:
    # either is the published survey's message.
    async def published() -> bool:
        texts = await coordinator.texts()
        return any(TITLE in t and ("открыт, приглашений" in t or "отправлено" in t) for t in texts)

    await until(published, "the survey was published (its progress line)", timeout=10)

    await answer(Player(world, MODERATOR.telegram_id), "5", "Математика")
    await answer(Player(world, ADMIN.telegram_id), "4", "Математика")
    await answer(coordinator, "3", "Русский язык")

    # once is enough: the invitation's button now says so
    admin = Player(world, ADMIN.telegram_id)
    toast = await admin.tap("Пройти опрос")
    assert toast == "Вы уже ответили на этот опрос — спасибо! Ответить можно один раз."

    await coordinator.say("/surveys", expect="Ваши опросы")
    await coordinator.tap(TITLE[:20])
    await coordinator.tap("Итоги")
    results = await coordinator.sees("Насколько полезен был день?")
    assert "4,0" in results.content  # the average of 5, 4 and 3
    assert "Математика" in results.content
    await coordinator.tap("Диаграмма")
    chart = await coordinator.sees(TITLE)
    await coordinator.client.wait_idle(quiet=0.5)
    photos = [
        m
        for m in await coordinator.client.chat(coordinator.user_id)
        if m.media and m.media.kind == "photo"
    ]
    assert photos, f"no chart among the coordinator's messages (last: {chart.content!r})"
