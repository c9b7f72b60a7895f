"""Users, consent, profile, global roles and the data a user may see or erase (152-ФЗ)."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from storage.clock import Clock
from storage.db import insert_new
from storage.enums import CommunityRole, GlobalRole, MembershipStatus, Position, UserStatus
from storage.models import Membership, User, UserRole
from storage.numbers import parse_telegram_id
from storage.repositories.audit import AuditRepo
from storage.repositories.personal_data import PersonalData, iso
from storage.user_cache import user_cache_of


def reachable(community_ids: list[int] | None) -> Select[User]:
    """Who a message to many can reach: active members of these communities (each once)
    or, with None, everyone registered; never those who blocked the bot."""
    query = select(User).where(User.status == UserStatus.ACTIVE, User.bot_blocked_at.is_(None))
    if community_ids is not None:
        members = select(Membership.user_id).where(
            Membership.community_id.in_(community_ids),
            Membership.status == MembershipStatus.ACTIVE,
        )
        query = query.where(User.id.in_(members))
    return query.order_by(User.id)


class UserRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit

    async def get(self, user_id: int) -> User | None:
        return await self._session.get(User, user_id)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        """The sender of every update: the user, their organisation and their roles in one
        statement (the roles' own "selectin" load would be a second on every update)."""
        users = await self._session.scalars(
            select(User).options(joinedload(User.roles)).where(User.telegram_id == telegram_id)
        )
        return users.unique().first()

    async def sender(self, telegram_id: int) -> User:
        """The sender of an update, as ``get_or_create``; a sender of the last few seconds
        comes from the process's cache (storage/user_cache.py) without a statement."""
        cache = user_cache_of(self._session)
        if cache is None:
            return await self.get_or_create(telegram_id)
        kept = cache.find(telegram_id)
        if kept is not None:
            return await self._session.merge(kept, load=False)
        stamp = cache.stamp()
        user = await self.get_or_create(telegram_id)
        cache.keep(user, stamp)
        return user

    async def by_username(self, username: str) -> User | None:
        name = username.removeprefix("@").lower()
        return await self._session.scalar(
            select(User).where(func.lower(User.username) == name, User.status == UserStatus.ACTIVE)
        )

    async def named(self, who: str) -> User | None:
        """By @username or Telegram id, as a person types it; a number that is no id ("⁵",
        one too long) names nobody."""
        who = who.strip()
        if who.lstrip("-").isdigit():
            telegram_id = parse_telegram_id(who)
            return await self.by_telegram_id(telegram_id) if telegram_id else None
        return await self.by_username(who)

    async def get_or_create(self, telegram_id: int) -> User:
        """Before consent only the Telegram id is stored."""
        user = await self.by_telegram_id(telegram_id)
        if user is not None:
            return user
        # A new member's first updates may arrive together and be handled at once: the
        # second insert waits for the first and then does nothing, instead of failing.
        await insert_new(
            self._session,
            User,
            {
                "telegram_id": telegram_id,
                "status": UserStatus.NEW,
                "subjects": [],
                "created_at": self._clock(),
            },
            [User.telegram_id],
        )
        user = await self.by_telegram_id(telegram_id)
        assert user is not None
        return user

    async def give_consent(self, user: User, *, username: str | None) -> None:
        user.status = UserStatus.ACTIVE
        user.consent_at = self._clock()
        user.username = username
        user.deleted_at = None
        await self._session.flush()

    async def update_profile(
        self,
        user: User,
        *,
        full_name: str,
        organisation_id: int | None,
        position: Position,
        subjects: Iterable[str],
    ) -> None:
        user.full_name = full_name
        user.organisation_id = organisation_id
        user.position = position
        user.subjects = list(subjects)
        await self._session.flush()
        await self._session.refresh(user, ["organisation"])

    async def sync_username(self, user: User, username: str | None) -> None:
        if user.has_consent and user.username != username:
            user.username = username

    async def set_locale(self, user: User, locale: str) -> None:
        user.locale = locale
        await self._session.flush()

    async def set_time_zone(self, user: User, time_zone: str) -> None:
        user.time_zone = time_zone
        await self._session.flush()

    async def grant_role(self, user: User, role: GlobalRole, actor: User | None) -> bool:
        """Returns False when the user already had the role."""
        if role in user.global_roles:
            return False
        user.roles.append(
            UserRole(role=role, granted_by_id=actor.id if actor else None, granted_at=self._clock())
        )
        await self._session.flush()
        await self._audit.record(actor, "role.grant", "user", user.id, role=role.value)
        return True

    async def revoke_role(self, user: User, role: GlobalRole, actor: User | None) -> bool:
        held = [r for r in user.roles if r.role is role]
        if not held:
            return False
        for item in held:
            user.roles.remove(item)
        await self._session.flush()
        await self._audit.record(actor, "role.revoke", "user", user.id, role=role.value)
        return True

    async def ensure_bootstrap_admins(self, telegram_ids: Iterable[int]) -> None:
        """The first admins come from settings; they are stored like any other role."""
        for telegram_id in telegram_ids:
            user = await self.get_or_create(telegram_id)
            await self.grant_role(user, GlobalRole.ADMIN, actor=None)

    async def with_role(self, *roles: GlobalRole) -> list[User]:
        # IN over a subquery, not DISTINCT: PostgreSQL cannot compare the JSON column.
        holders = select(UserRole.user_id).where(UserRole.role.in_(roles))
        query = (
            select(User)
            .where(User.id.in_(holders), User.status != UserStatus.DELETED)
            .order_by(User.id)
        )
        return list(await self._session.scalars(query))

    async def export(self, user: User) -> dict[str, Any]:
        """Everything stored about the user, for /export_me: the profile, then one section
        per table that holds their id (survey participation without any answers)."""
        organisation = user.organisation
        profile = {
            "telegram_id": user.telegram_id,
            "status": user.status.value,
            "full_name": user.full_name,
            "username": user.username,
            "organisation": (
                {
                    "name": organisation.name,
                    "kind": organisation.kind.value,
                    "municipality": organisation.municipality,
                }
                if organisation
                else None
            ),
            "position": user.position.value if user.position else None,
            "subjects": list(user.subjects or []),
            "locale": user.locale,
            "time_zone": user.time_zone,
            "consent_at": iso(user.consent_at),
            "created_at": iso(user.created_at),
            "bot_blocked_at": iso(user.bot_blocked_at),
            "roles": sorted(role.value for role in user.global_roles),
        }
        return profile | await PersonalData(self._session).export(user)

    async def erase(self, user: User) -> None:
        """Erase personal data; published content stays and shows "deleted member"."""
        user.full_name = None
        user.username = None
        user.organisation_id = None
        user.position = None
        user.subjects = []
        user.time_zone = None
        user.consent_at = None
        user.status = UserStatus.DELETED
        user.deleted_at = self._clock()
        user.roles.clear()
        # Memberships end rather than vanish, so the community's figures still count who
        # left when; the rows keep no personal data, only the anonymous user's id.
        now = self._clock()
        await self._session.execute(
            update(Membership)
            .where(Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE)
            .values(status=MembershipStatus.LEFT, role=CommunityRole.MEMBER, left_at=now)
            .execution_options(synchronize_session=False)
        )
        await self._session.execute(
            delete(Membership).where(
                Membership.user_id == user.id, Membership.status != MembershipStatus.LEFT
            )
        )
        await self._session.execute(
            update(Membership)
            .where(Membership.user_id == user.id)
            .values(notify_materials=False, decided_by_id=None)
            .execution_options(synchronize_session=False)
        )
        await self._session.flush()
        await self._audit.record(user, "user.erase", "user", user.id)

    async def count_active(self) -> int:
        return (
            await self._session.scalar(
                select(func.count()).select_from(User).where(User.status == UserStatus.ACTIVE)
            )
            or 0
        )
