from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.models import AuditEntry, User


class AuditRepo:
    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def record(
        self,
        actor: User | None,
        action: str,
        object_type: str,
        object_id: int | None,
        **details: Any,
    ) -> AuditEntry:
        entry = AuditEntry(
            at=self._clock(),
            actor_id=actor.id if actor else None,
            action=action,
            object_type=object_type,
            object_id=object_id,
            details=details,
        )
        self._session.add(entry)
        await self._session.flush()
        return entry

    async def entries(self, object_type: str | None = None, limit: int = 100) -> list[AuditEntry]:
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if object_type:
            query = query.where(AuditEntry.object_type == object_type)
        return list(await self._session.scalars(query))
