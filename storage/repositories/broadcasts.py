"""Broadcasts: a free announcement from a methodist or an admin to one community, several,
or every member. The messages themselves are outbox rows of one batch."""

from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.enums import GlobalRole
from storage.errors import PermissionDenied
from storage.models import DeliveryBatch, User
from storage.repositories.users import reachable

SENDER_ROLES = {GlobalRole.ADMIN, GlobalRole.METHODIST}


class BroadcastRepo:
    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    @staticmethod
    def can_send(user: User) -> bool:
        return bool(user.global_roles & SENDER_ROLES)

    async def audience(self, community_ids: list[int] | None) -> list[User]:
        """Active members who have not blocked the bot, each once; None means everyone
        registered."""
        return list(await self._session.scalars(reachable(community_ids)))

    async def own_batch(
        self, batch_id: int, actor: User, *, kind: str | None = None
    ) -> DeliveryBatch:
        """A batch its sender (or an admin) may stop or resend; anyone else is refused."""
        batch = await self._session.get(DeliveryBatch, batch_id)
        if batch is None or (kind is not None and batch.kind != kind):
            raise PermissionDenied()
        if batch.sender_chat_id != actor.telegram_id and GlobalRole.ADMIN not in actor.global_roles:
            raise PermissionDenied()
        return batch
