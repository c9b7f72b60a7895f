"""APScheduler wiring: one AsyncIOScheduler in UTC, jobs with stable ids, run on the one
replica that leads the scheduler."""

import asyncio

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.i18n import I18n
from scheduler.jobs import queue_monthly_digests, reannounce_stale_reviews, remind_report_deadlines
from scheduler.surveys import run_survey_schedule
from storage.clock import Clock, utcnow

REVIEW_SWEEP_MINUTES = 15
SURVEY_SWEEP_MINUTES = 5
DEADLINE_SWEEP_MINUTES = 15
DIGEST_SWEEP_MINUTES = 15  # digests leave from 09:00 on the 1st in each zone


def create_scheduler(
    *,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n_hub: I18n,
    clock: Clock = utcnow,
) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(
        reannounce_stale_reviews,
        "interval",
        minutes=REVIEW_SWEEP_MINUTES,
        id="reannounce-stale-reviews",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        kwargs={
            "sessionmaker": sessionmaker,
            "bot": bot,
            "i18n_hub": i18n_hub,
            "clock": clock,
            "after_hours": settings.materials.reannounce_hours,
        },
    )
    scheduler.add_job(
        remind_report_deadlines,
        "interval",
        minutes=DEADLINE_SWEEP_MINUTES,
        id="remind-report-deadlines",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        kwargs={
            "sessionmaker": sessionmaker,
            "i18n_hub": i18n_hub,
            "clock": clock,
            "zone_name": settings.time_zone,
        },
    )
    scheduler.add_job(
        queue_monthly_digests,
        "interval",
        minutes=DIGEST_SWEEP_MINUTES,
        id="monthly-report-digests",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        kwargs={
            "sessionmaker": sessionmaker,
            "i18n_hub": i18n_hub,
            "clock": clock,
            "settings": settings,
        },
    )
    scheduler.add_job(
        run_survey_schedule,
        "interval",
        minutes=SURVEY_SWEEP_MINUTES,
        id="survey-schedule",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        kwargs={"sessionmaker": sessionmaker, "i18n_hub": i18n_hub, "clock": clock},
    )
    return scheduler


async def run_jobs_while_leading(scheduler: AsyncIOScheduler) -> None:
    """The scheduler's work while this replica leads it (storage/leadership.py): every
    replica starts its scheduler paused, and only the leader's runs the jobs.

    Why pause rather than a leadership check inside each job: a paused scheduler counts no
    runs that did nothing, and a job never starts on a replica that has lost the lead.
    Each scheduled reminder is still sent once across a failover: a pass already running
    when the lead is lost finishes, but the jobs are sweeps of what is due in the tables
    and each claims what it acts on there (an outbox key, a review item's
    ``reannounced_at`` by compare-and-set), so a pass overlapping it on the new leader adds
    nothing. A new leader runs each job at its own next interval; runs missed while paused
    are skipped (APScheduler's misfire grace), not replayed in a pile."""
    scheduler.resume()
    try:
        await asyncio.Event().wait()
    finally:
        scheduler.pause()
