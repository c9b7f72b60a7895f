from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.enums import OrganisationKind
from storage.models import Organisation


class OrganisationRepo:
    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    async def get(self, organisation_id: int) -> Organisation | None:
        return await self._session.get(Organisation, organisation_id)

    async def page(self, offset: int, limit: int) -> tuple[list[Organisation], int]:
        total = await self._session.scalar(select(func.count()).select_from(Organisation)) or 0
        rows = await self._session.scalars(
            select(Organisation)
            .order_by(Organisation.name, Organisation.id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), total

    async def get_or_create(
        self, name: str, kind: OrganisationKind, municipality: str = ""
    ) -> Organisation:
        """Typed names match case-insensitively, so "школа №1" does not add "Школа №1" twice.

        Compared in Python: SQLite's lower() folds ASCII only, and a municipality has
        tens of organisations, not thousands.
        """
        same_place = await self._session.scalars(
            select(Organisation).where(Organisation.municipality == municipality)
        )
        wanted = " ".join(name.split()).casefold()
        for existing in same_place:
            if " ".join(existing.name.split()).casefold() == wanted:
                return existing
        organisation = Organisation(
            name=name, kind=kind, municipality=municipality, created_at=self._clock()
        )
        self._session.add(organisation)
        await self._session.flush()
        return organisation
