"""Scheduled jobs. Each is a plain async function with explicit dependencies, so tests call
it directly with an injected clock; what is due lives in the tables, not in the scheduler."""

import logging
from datetime import timedelta

from aiogram import Bot
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import I18n
from storage.clock import Clock
from storage.enums import ReviewStatus
from storage.models import ReviewItem
from storage.repositories import Repo

logger = logging.getLogger(__name__)


async def reannounce_stale_reviews(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    clock: Clock,
    after_hours: float,
) -> int:
    """Items waiting longer than ``after_hours`` are announced once more to their moderators."""
    from handlers.review import announce_review_item

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
        for item in items:
            # Claim first, so a crash mid-way never re-announces twice.
            item.reannounced_at = clock()
            await session.commit()
            await announce_review_item(bot, repo, i18n, item, reminder=True)
            await session.commit()
    if items:
        logger.info("Re-announced %d review items waiting since before %s", len(items), cutoff)
    return len(items)
