"""What moderators decided, as texts the conduct model can learn from.

An approved item is a clean text in this community's eyes, and the most telling ones are
those the conduct code had flagged. A rejected item teaches a violation only when its hits
name a conduct category: a material rejected as incomplete or off-topic says nothing about
conduct. Texts whose author erased their data are gone with it, so they teach nothing.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.enums import ReviewStatus
from storage.models import GroupMessage, Material, Post, ReviewItem
from storage.repositories.cases import GROUP_MESSAGE
from storage.repositories.materials import MATERIAL, conduct_text
from storage.repositories.threads import POST

DECIDED = (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
# What a review item can be, the table that holds it, and its text as the conduct code read it.
SOURCES: tuple[tuple[str, type[Any], Callable[[Any], str]], ...] = (
    (MATERIAL, Material, conduct_text),
    (POST, Post, lambda post: post.body),
    (GROUP_MESSAGE, GroupMessage, lambda message: message.text),
)


@dataclass(frozen=True, slots=True)
class Decision:
    text: str
    approved: bool
    categories: frozenset[str]  # the conduct categories the item's hits named


class DecisionRepo:
    def __init__(self, session: AsyncSession):
        self._session = session

    async def decided_texts(self, community_id: int | None = None) -> list[Decision]:
        """Every approved or rejected text still stored, oldest decision first."""
        found: list[tuple[Any, Decision]] = []
        for object_type, model, text_of in SOURCES:
            query = (
                select(ReviewItem, model)
                .join(model, model.id == ReviewItem.object_id)
                .where(ReviewItem.object_type == object_type, ReviewItem.status.in_(DECIDED))
            )
            if community_id is not None:
                query = query.where(ReviewItem.community_id == community_id)
            for item, target in await self._session.execute(query):
                text = text_of(target).strip()
                if text:
                    approved = item.status is ReviewStatus.APPROVED
                    decision = Decision(text, approved, _categories(item.hits))
                    found.append(((item.decided_at, item.id), decision))
        found.sort(key=lambda pair: pair[0])
        return [decision for _, decision in found]


def _categories(hits: Iterable[dict[str, Any]]) -> frozenset[str]:
    return frozenset(str(hit["category"]) for hit in hits if hit.get("category"))
