"""Scheduled jobs, called directly with an injected clock."""

from bot.config import Settings
from scheduler import create_scheduler
from scheduler.jobs import reannounce_stale_reviews
from tests.flows import setup_community, share_document
from tests.harness import BotHarness
from tests.people import MODERATOR, READER, TEACHER


async def test_waiting_review_is_reannounced_once(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    run = {
        "sessionmaker": sessionmaker,
        "bot": h.bot,
        "i18n_hub": i18n,
        "clock": clock,
        "after_hours": 24,
    }

    clock.advance(23 * 3600)
    assert await reannounce_stale_reviews(**run) == 0

    clock.advance(2 * 3600)
    assert await reannounce_stale_reviews(**run) == 1
    reminder = h.last_message(MODERATOR.id)
    assert reminder.html_text.startswith("⏰ <b>Ждёт решения больше суток</b>")
    assert "Сложение дробей" in reminder.text
    assert not any("Ждёт решения" in (c.text or "") for c in h.sent_to(READER.id))

    clock.advance(48 * 3600)
    assert await reannounce_stale_reviews(**run) == 0

    # The reminder card decides the same item.
    await h.tap(MODERATOR, reminder, "Одобрить")
    assert h.last_message(TEACHER.id).text.startswith("✅ Ваш материал")


async def test_scheduler_has_the_sweep_job(
    settings: Settings, sessionmaker, harness: BotHarness, i18n
) -> None:
    scheduler = create_scheduler(
        settings=settings,
        sessionmaker=sessionmaker,
        bot=harness.bot,
        i18n_hub=i18n,
    )
    job = scheduler.get_job("reannounce-stale-reviews")
    assert job is not None
    assert job.kwargs["after_hours"] == 24
