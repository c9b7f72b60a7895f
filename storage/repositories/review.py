"""The one review queue: what waits for a moderator, filtered, and who has taken what."""

from collections import Counter

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.enums import ReviewSource, ReviewStatus
from storage.errors import InvalidState, NotFound
from storage.models import ReviewItem, User


class ReviewRepo:
    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    def _open(self, community_ids: list[int], viewer: User):
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
    ) -> tuple[Counter[ReviewSource], Counter[int]]:
        """How many items wait, by source and by community."""
        items = await self._session.scalars(self._open(community_ids, viewer))
        by_source: Counter[ReviewSource] = Counter()
        by_community: Counter[int] = Counter()
        for item in items:
            by_source[item.source] += 1
            by_community[item.community_id] += 1
        return by_source, by_community

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
        if result.rowcount == 0:
            if item.status is not ReviewStatus.OPEN:
                raise InvalidState("review-already-closed")
            holder = await self._session.get(User, item.claimed_by_id)
            raise InvalidState("queue-claimed-by", name=(holder.full_name or "") if holder else "—")
        return item
