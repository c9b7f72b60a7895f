"""Scheduled jobs. Each is a plain async function with explicit dependencies, so tests call
it directly with an injected clock; what is due lives in the tables, not in the scheduler."""

import logging
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.dates import zone_of
from bot.i18n import I18n
from notices.deadlines import end_of_day, reminder_moment, reminder_text, submit_markup
from notices.reports import card_markup, digest_due, digest_key, digest_period, digest_text
from notices.review_cards import announce_review_item
from storage import policy
from storage.clock import Clock
from storage.db import rowcount
from storage.enums import ReviewStatus
from storage.models import ReviewItem
from storage.periods import Period
from storage.report_figures import Figures, Scope
from storage.repositories import Repo
from storage.repositories.deadlines import today_in

logger = logging.getLogger(__name__)


async def reannounce_stale_reviews(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n_hub: I18n,
    clock: Clock,
    after_hours: float,
) -> int:
    """Items waiting longer than ``after_hours`` are announced once more to their moderators."""
    cutoff = clock() - timedelta(hours=after_hours)
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        items = list(
            await session.scalars(
                select(ReviewItem)
                .where(
                    ReviewItem.status == ReviewStatus.OPEN,
                    ReviewItem.reannounced_at.is_(None),
                    ReviewItem.created_at <= cutoff,
                )
                .order_by(ReviewItem.created_at)
                .limit(100)
            )
        )
        announced = 0
        for item in items:
            # Claim first, so a crash mid-way never re-announces twice; compare-and-set, so a
            # run overlapping a leadership handover (scheduler/__init__.py) cannot too.
            claimed = await session.execute(
                update(ReviewItem)
                .where(ReviewItem.id == item.id, ReviewItem.reannounced_at.is_(None))
                .values(reannounced_at=clock())
                .execution_options(synchronize_session=False)
            )
            await session.commit()
            if rowcount(claimed) != 1:
                continue
            await announce_review_item(bot, repo, i18n_hub, item, reminder=True)
            await session.commit()
            announced += 1
    if announced:
        logger.info("Re-announced %d review items waiting since before %s", announced, cutoff)
    return announced


async def remind_report_deadlines(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n_hub: I18n,
    clock: Clock,
    zone_name: str,
) -> int:
    """Queue the report-deadline reminders that have come: for each upcoming deadline, the
    latest offset whose day has reached 10:00 (community time), one per coordinator who has
    not marked the report as submitted. After downtime the stale, earlier offsets are skipped
    rather than sent in a pile; the outbox key makes re-runs add nothing."""
    zone = ZoneInfo(zone_name)
    now = clock()
    today = today_in(zone_name, now)
    queued = 0
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        for deadline in await repo.deadlines.upcoming(zone_name=zone_name):
            come = [
                offset
                for offset in deadline.offsets
                if reminder_moment(deadline.due_on, offset, zone) <= now
            ]
            if not come:
                continue
            offset = min(come)
            # Stored in UTC (SQLite keeps no zone); a reminder after the day is pointless.
            expires_at = end_of_day(deadline.due_on, zone).astimezone(UTC)
            report_days = await repo.deadlines.report_period(deadline)
            for user in await repo.deadlines.pending(deadline):
                t = i18n_hub.for_user(user)
                queued += await repo.outbox.enqueue(
                    f"deadline:{deadline.id}:{user.id}:{offset}",
                    user.telegram_id,
                    reminder_text(t, deadline, today),
                    user=user,
                    markup=submit_markup(t, deadline, report_days).model_dump(exclude_none=True),
                    urgent=False,
                    expires_at=expires_at,
                )
        await session.commit()
    if queued:
        logger.info("Queued %d report-deadline reminders", queued)
    return queued


async def queue_monthly_digests(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n_hub: I18n,
    clock: Clock,
    settings: Settings,
) -> int:
    """On the 1st of each month, once 09:00 has come in a recipient's zone, queue last
    month's summary card: the network's to coordinators, a community's to its moderators.
    The outbox key (month, person, scope) makes later sweeps of the day add nothing; after
    downtime that spans the whole 1st, that month's digest is skipped rather than sent late."""
    now = clock()
    queued = 0
    async with sessionmaker() as session:
        repo = Repo(session, clock)
        computed: dict[tuple[Scope, Period], Figures] = {}
        for user, scope in await repo.reports.digest_recipients():
            zone = zone_of(user, settings)
            today = digest_due(now, zone)
            if today is None:
                continue
            period = digest_period(today, zone.key)
            key = digest_key(user.id, scope, period)
            if await repo.outbox.known(key):
                continue
            if (scope, period) not in computed:
                computed[scope, period] = await repo.reports.figures(scope, period)
            t = i18n_hub.for_user(user)
            markup = card_markup(
                t, scope, period, data_bank=policy.may_see_data_bank(user), back=False
            )
            queued += await repo.outbox.enqueue(
                key,
                user.telegram_id,
                digest_text(t, computed[scope, period]),
                user=user,
                markup=markup.model_dump(exclude_none=True),
                urgent=False,
            )
        await session.commit()
    if queued:
        logger.info("Queued %d monthly report digests", queued)
    return queued
