"""The one review queue: what waits for a moderator, filtered, and who has taken what."""

from collections import Counter

from sqlalchemy import Select, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.db import rowcount
from storage.enums import ReviewSource, ReviewStatus
from storage.errors import AlreadyDecided, InvalidState, NotFound
from storage.models import Report, ReviewCard, ReviewItem, User


class ReviewRepo:
    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def cards(self, item_id: int) -> list[ReviewCard]:
        """Every copy of an item's card that was posted, so a decision edits them all."""
        rows = await self._session.scalars(
            select(ReviewCard).where(ReviewCard.review_item_id == item_id).order_by(ReviewCard.id)
        )
        return list(rows)

    def remember_card(self, item_id: int, chat_id: int, message_id: int, locale: str) -> None:
        self._session.add(
            ReviewCard(
                review_item_id=item_id, chat_id=chat_id, message_id=message_id, locale=locale
            )
        )

    def _open(self, community_ids: list[int], viewer: User) -> Select[ReviewItem]:
        return select(ReviewItem).where(
            ReviewItem.status == ReviewStatus.OPEN,
            ReviewItem.community_id.in_(community_ids),
            # an item another moderator took is theirs to finish
            or_(ReviewItem.claimed_by_id.is_(None), ReviewItem.claimed_by_id == viewer.id),
        )

    async def queue(
        self,
        community_ids: list[int],
        viewer: User,
        *,
        source: ReviewSource | None = None,
        community_id: int | None = None,
        limit: int = 50,
    ) -> list[ReviewItem]:
        query = self._open(community_ids, viewer)
        if source is not None:
            query = query.where(ReviewItem.source == source)
        if community_id is not None:
            query = query.where(ReviewItem.community_id == community_id)
        rows = await self._session.scalars(
            query.order_by(ReviewItem.priority.desc(), ReviewItem.created_at, ReviewItem.id).limit(
                limit
            )
        )
        return list(rows)

    async def counts(
        self, community_ids: list[int], viewer: User
    ) -> tuple[Counter[ReviewSource], Counter[int | None]]:
        """How many items wait, by source and by community."""
        items = await self._session.scalars(self._open(community_ids, viewer))
        by_source: Counter[ReviewSource] = Counter()
        by_community: Counter[int | None] = Counter()  # None: items of no community
        for item in items:
            by_source[item.source] += 1
            by_community[item.community_id] += 1
        return by_source, by_community

    async def close(
        self, item: ReviewItem, actor: User, status: ReviewStatus, reason: str = ""
    ) -> None:
        """Decide an item. The first decision wins, however many moderators press at once:
        a later one raises AlreadyDecided naming the first."""
        result = await self._session.execute(
            update(ReviewItem)
            .where(ReviewItem.id == item.id, ReviewItem.status == ReviewStatus.OPEN)
            .values(status=status, decided_by_id=actor.id, decided_at=self._clock(), reason=reason)
            .execution_options(synchronize_session=False)
        )
        await self._session.refresh(item)
        if rowcount(result) == 0:
            decider = (
                await self._session.get(User, item.decided_by_id) if item.decided_by_id else None
            )
            raise AlreadyDecided(
                decided_by=(decider.full_name or "") if decider else "—",
                outcome=f"review-{item.status.value}",
            )

    async def file_report(
        self,
        *,
        object_type: str,
        object_id: int,
        community_id: int | None,
        reporter: User,
        reason: str,
        already_key: str,
    ) -> tuple[ReviewItem, bool]:
        """Reports of one thing share one open queue entry and each new reporter raises its
        priority; a member reports a thing once. Returns the entry and whether it is new."""
        item = await self._session.scalar(
            select(ReviewItem).where(
                ReviewItem.object_type == object_type,
                ReviewItem.object_id == object_id,
                ReviewItem.source == ReviewSource.MEMBER_REPORT,
                ReviewItem.status == ReviewStatus.OPEN,
            )
        )
        created = item is None
        if item is None:
            item = ReviewItem(
                community_id=community_id,
                object_type=object_type,
                object_id=object_id,
                source=ReviewSource.MEMBER_REPORT,
                status=ReviewStatus.OPEN,
                priority=1,
                hits=[],
                created_at=self._clock(),
            )
            self._session.add(item)
            await self._session.flush()
        already = await self._session.scalar(
            select(Report.id).where(
                Report.review_item_id == item.id, Report.reporter_id == reporter.id
            )
        )
        if already is not None:
            raise InvalidState(already_key)
        self._session.add(
            Report(
                review_item_id=item.id,
                reporter_id=reporter.id,
                reason=reason,
                created_at=self._clock(),
            )
        )
        if not created:
            item.priority += 1
        await self._session.flush()
        return item, created

    async def claim(self, item_id: int, moderator: User) -> ReviewItem:
        """Take an item; the first moderator to take it keeps it."""
        result = await self._session.execute(
            update(ReviewItem)
            .where(
                ReviewItem.id == item_id,
                ReviewItem.status == ReviewStatus.OPEN,
                or_(ReviewItem.claimed_by_id.is_(None), ReviewItem.claimed_by_id == moderator.id),
            )
            .values(claimed_by_id=moderator.id, claimed_at=self._clock())
            .execution_options(synchronize_session=False)
        )
        item = await self._session.get(ReviewItem, item_id)
        if item is None:
            raise NotFound()
        await self._session.refresh(item)
        if rowcount(result) == 0:
            if item.status is not ReviewStatus.OPEN:
                raise InvalidState("review-already-closed")
            holder = await self._session.get(User, item.claimed_by_id)
            raise InvalidState("queue-claimed-by", name=(holder.full_name or "") if holder else "—")
        return item
