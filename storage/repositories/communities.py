"""Communities, memberships, join requests and applications for new communities."""

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import lazyload

from storage import policy
from storage.clock import Clock
from storage.db import rowcount
from storage.enums import CommunityRole, CommunityStatus, JoinPolicy, MembershipStatus, UserStatus
from storage.errors import AlreadyDecided, InvalidState, NotFound, PermissionDenied
from storage.models import Community, Membership, User
from storage.repositories.audit import AuditRepo


@dataclass(frozen=True, slots=True)
class CommunitySummary:
    community: Community
    members: int


@dataclass(frozen=True, slots=True)
class CommunityStaff:
    moderators: list[User]
    experts: list[User]


@dataclass(frozen=True, slots=True)
class Application:
    title: str
    area: str
    description: str
    problem: str
    expected_result: str
    term: str
    initial_participants: str
    join_policy: JoinPolicy = JoinPolicy.OPEN


class CommunityRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit

    # --- reading -----------------------------------------------------------------

    async def get(self, community_id: int) -> Community | None:
        return await self._session.get(Community, community_id)

    async def require(self, community_id: int, *statuses: CommunityStatus) -> Community:
        community = await self.get(community_id)
        wanted = statuses or (CommunityStatus.ACTIVE,)
        if community is None or community.status not in wanted:
            raise NotFound("error-community-not-found")
        return community

    async def by_group_chat(self, chat_id: int) -> Community | None:
        return await self._session.scalar(
            select(Community).where(Community.group_chat_id == chat_id)
        )

    async def browse(self, offset: int, limit: int) -> tuple[list[CommunitySummary], int]:
        """Active communities, alphabetically, with their member counts."""
        members = (
            select(Membership.community_id, func.count().label("members"))
            .where(Membership.status == MembershipStatus.ACTIVE)
            .group_by(Membership.community_id)
            .subquery()
        )
        where = Community.status == CommunityStatus.ACTIVE
        total = await self._session.scalar(select(func.count()).select_from(Community).where(where))
        rows = await self._session.execute(
            select(Community, func.coalesce(members.c.members, 0))
            .outerjoin(members, members.c.community_id == Community.id)
            .where(where)
            .order_by(Community.title, Community.id)
            .offset(offset)
            .limit(limit)
        )
        return [CommunitySummary(c, n) for c, n in rows.all()], total or 0

    async def member_count(self, community_id: int) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(Membership)
                .where(
                    Membership.community_id == community_id,
                    Membership.status == MembershipStatus.ACTIVE,
                )
            )
            or 0
        )

    async def staff(self, community_id: int) -> CommunityStaff:
        rows = await self._session.scalars(
            select(Membership)
            .where(
                Membership.community_id == community_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role.in_([CommunityRole.MODERATOR, CommunityRole.EXPERT]),
            )
            .order_by(Membership.id)
        )
        memberships = list(rows)
        return CommunityStaff(
            moderators=[m.user for m in memberships if m.role is CommunityRole.MODERATOR],
            experts=[m.user for m in memberships if m.role is CommunityRole.EXPERT],
        )

    async def membership(self, user: User, community_id: int) -> Membership | None:
        return await self._session.scalar(
            select(Membership)
            # The member is ``user``, already in the session: joining their row again would
            # also read their roles again.
            .options(lazyload(Membership.user))
            .where(Membership.user_id == user.id, Membership.community_id == community_id)
        )

    async def memberships_of(self, user: User) -> list[Membership]:
        """The user's communities and pending requests, alphabetically."""
        rows = await self._session.scalars(
            select(Membership)
            .join(Community, Community.id == Membership.community_id)
            .where(
                Membership.user_id == user.id,
                Membership.status.in_([MembershipStatus.ACTIVE, MembershipStatus.PENDING]),
                Community.status == CommunityStatus.ACTIVE,
            )
            .order_by(Community.title)
        )
        return list(rows)

    async def moderated_by(self, user: User) -> list[Community]:
        rows = await self._session.scalars(
            select(Community)
            .join(Membership, Membership.community_id == Community.id)
            .where(
                Membership.user_id == user.id,
                Membership.role == CommunityRole.MODERATOR,
                Membership.status == MembershipStatus.ACTIVE,
                Community.status == CommunityStatus.ACTIVE,
            )
            .order_by(Community.title)
        )
        return list(rows)

    async def moderators(self, community_id: int) -> list[User]:
        return (await self.staff(community_id)).moderators

    async def sole_moderated(self, user: User, community_id: int | None = None) -> list[Community]:
        """Active communities (or the one asked about) whose only active moderator is ``user``:
        without them the review queue and join requests would wait for nobody."""
        moderating = (
            Membership.status == MembershipStatus.ACTIVE,
            Membership.role == CommunityRole.MODERATOR,
        )
        mine = select(Membership.community_id).where(Membership.user_id == user.id, *moderating)
        others = (
            select(Membership.community_id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.user_id != user.id, User.status == UserStatus.ACTIVE, *moderating)
        )
        query = select(Community).where(
            Community.id.in_(mine),
            Community.id.not_in(others),
            Community.status == CommunityStatus.ACTIVE,
        )
        if community_id is not None:
            query = query.where(Community.id == community_id)
        return list(await self._session.scalars(query.order_by(Community.title)))

    async def subscribe_to_materials(self, user: User, community_id: int, on: bool) -> Membership:
        membership = await self.membership(user, community_id)
        if membership is None or membership.status is not MembershipStatus.ACTIVE:
            raise InvalidState("community-members-only")
        membership.notify_materials = on
        await self._session.flush()
        return membership

    async def material_subscribers(self, community_id: int) -> list[User]:
        """Active members who asked for new materials and still accept the bot's messages."""
        rows = await self._session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == community_id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.notify_materials.is_(True),
                User.status == UserStatus.ACTIVE,
                User.bot_blocked_at.is_(None),
            )
            .order_by(User.id)
        )
        return list(rows)

    async def pending_applications(self) -> list[Community]:
        rows = await self._session.scalars(
            select(Community)
            .where(Community.status == CommunityStatus.PROPOSED)
            .order_by(Community.created_at)
        )
        return list(rows)

    # --- joining -----------------------------------------------------------------

    async def join(self, user: User, community_id: int) -> Membership:
        """Open communities are joined at once; the others get a request to moderators."""
        community = await self.require(community_id)
        membership = await self.membership(user, community_id)
        if membership and membership.status is MembershipStatus.ACTIVE:
            raise InvalidState("community-already-member")
        if membership and membership.status is MembershipStatus.PENDING:
            raise InvalidState("community-request-already-sent")
        status = (
            MembershipStatus.ACTIVE
            if community.join_policy is JoinPolicy.OPEN
            else MembershipStatus.PENDING
        )
        now = self._clock()
        if membership is None:
            membership = Membership(
                community_id=community_id,
                user_id=user.id,
                role=CommunityRole.MEMBER,
                status=status,
                created_at=now,
            )
            self._session.add(membership)
        else:
            membership.role = CommunityRole.MEMBER
            membership.status = status
            membership.created_at = now
            membership.decided_by_id = None
            membership.decided_at = None
        # A rejoin begins a new stretch of membership; a request begins it when approved.
        membership.joined_at = now if status is MembershipStatus.ACTIVE else None
        membership.left_at = None
        await self._session.flush()
        await self._session.refresh(membership, ["community", "user"])
        return membership

    async def leave(self, user: User, community_id: int) -> Membership:
        membership = await self.membership(user, community_id)
        if membership is None or membership.status not in (
            MembershipStatus.ACTIVE,
            MembershipStatus.PENDING,
        ):
            raise InvalidState("community-not-member")
        if sole := await self.sole_moderated(user, community_id):
            raise InvalidState("community-last-moderator", title=sole[0].title)
        if membership.status is MembershipStatus.ACTIVE:
            membership.left_at = self._clock()
        membership.status = MembershipStatus.LEFT
        membership.role = CommunityRole.MEMBER
        await self._session.flush()
        return membership

    async def decide_join_request(
        self, membership_id: int, actor: User, *, approve: bool
    ) -> Membership:
        """The first moderator's decision wins; a later one gets AlreadyDecided."""
        membership = await self._session.get(Membership, membership_id)
        if membership is None:
            raise NotFound()
        actor_membership = await self.membership(actor, membership.community_id)
        if not policy.can_moderate(actor, actor_membership):
            raise PermissionDenied()
        new_status = MembershipStatus.ACTIVE if approve else MembershipStatus.DECLINED
        now = self._clock()
        result = await self._session.execute(
            update(Membership)
            .where(Membership.id == membership_id, Membership.status == MembershipStatus.PENDING)
            .values(
                status=new_status,
                decided_by_id=actor.id,
                decided_at=now,
                joined_at=now if approve else None,
                left_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        await self._session.refresh(membership)
        if rowcount(result) == 0:
            raise await self._already_decided(membership.decided_by_id, membership.status)
        await self._audit.record(
            actor,
            "membership.approve" if approve else "membership.decline",
            "membership",
            membership.id,
            community_id=membership.community_id,
            user_id=membership.user_id,
        )
        return membership

    async def _already_decided(self, decided_by_id: int | None, status: object) -> AlreadyDecided:
        decider = await self._session.get(User, decided_by_id) if decided_by_id else None
        return AlreadyDecided(
            decided_by=display_name(decider) if decider else "—",
            outcome=str(getattr(status, "value", status)),
        )

    # --- applications for new communities (seed 001 §3.1.4) ------------------------

    async def apply(self, applicant: User, application: Application) -> Community:
        community = Community(
            title=application.title,
            area=application.area,
            description=application.description,
            problem=application.problem,
            expected_result=application.expected_result,
            term=application.term,
            initial_participants=application.initial_participants,
            join_policy=application.join_policy,
            status=CommunityStatus.PROPOSED,
            created_by_id=applicant.id,
            created_at=self._clock(),
        )
        self._session.add(community)
        await self._session.flush()
        await self._audit.record(applicant, "community.apply", "community", community.id)
        return community

    async def decide_application(
        self, community_id: int, actor: User, *, approve: bool
    ) -> Community:
        """On approval the community opens and its applicant becomes its moderator."""
        if not policy.can_review_applications(actor):
            raise PermissionDenied()
        community = await self.get(community_id)
        if community is None:
            raise NotFound("error-community-not-found")
        new_status = CommunityStatus.ACTIVE if approve else CommunityStatus.DECLINED
        result = await self._session.execute(
            update(Community)
            .where(Community.id == community_id, Community.status == CommunityStatus.PROPOSED)
            .values(status=new_status, decided_by_id=actor.id, decided_at=self._clock())
            .execution_options(synchronize_session=False)
        )
        await self._session.refresh(community)
        if rowcount(result) == 0:
            raise await self._already_decided(community.decided_by_id, community.status)
        if approve and community.created_by_id:
            applicant = await self._session.get(User, community.created_by_id)
            if applicant is not None and applicant.status is UserStatus.ACTIVE:
                await self._put_member(applicant, community.id, CommunityRole.MODERATOR)
        await self._audit.record(
            actor,
            "community.approve" if approve else "community.decline",
            "community",
            community.id,
        )
        return community

    # --- administration --------------------------------------------------------------

    async def set_role(
        self, community_id: int, target: User, role: CommunityRole, actor: User
    ) -> Membership:
        if not policy.can_manage_communities(actor):
            raise PermissionDenied()
        await self.require(community_id)
        if target.status is not UserStatus.ACTIVE:
            raise InvalidState("admin-user-not-registered")
        if role is not CommunityRole.MODERATOR and (
            sole := await self.sole_moderated(target, community_id)
        ):
            # Appointing the successor first leaves no gap (an admin may appoint themselves).
            raise InvalidState("admin-last-moderator", title=sole[0].title)
        membership = await self._put_member(target, community_id, role)
        await self._audit.record(
            actor,
            "membership.role",
            "membership",
            membership.id,
            community_id=community_id,
            user_id=target.id,
            role=role.value,
        )
        return membership

    async def archive(self, community_id: int, actor: User) -> Community:
        if not policy.can_manage_communities(actor):
            raise PermissionDenied()
        community = await self.require(community_id)
        community.status = CommunityStatus.ARCHIVED
        community.group_chat_id = None
        community.moderators_chat_id = None
        await self._session.flush()
        await self._audit.record(actor, "community.archive", "community", community_id)
        return community

    async def link_group(
        self,
        community_id: int,
        chat_id: int,
        actor: User,
        *,
        moderators: bool = False,
        is_forum: bool = False,
    ) -> Community:
        """Link the community's discussion group, or (``moderators``) its moderators' chat."""
        if not policy.can_manage_communities(actor):
            raise PermissionDenied()
        community = await self.require(community_id)
        column = Community.moderators_chat_id if moderators else Community.group_chat_id
        other = await self._session.scalar(select(Community).where(column == chat_id))
        if other is not None and other.id != community_id:
            raise InvalidState("admin-group-already-linked", title=other.title)
        if moderators:
            community.moderators_chat_id = chat_id
        else:
            community.group_chat_id = chat_id
            community.group_is_forum = is_forum
        await self._session.flush()
        await self._audit.record(
            actor,
            "community.link_moderators_chat" if moderators else "community.link_group",
            "community",
            community_id,
            chat_id=chat_id,
        )
        return community

    async def active_titles(self) -> list[Community]:
        rows = await self._session.scalars(
            select(Community)
            .where(Community.status == CommunityStatus.ACTIVE)
            .order_by(Community.title, Community.id)
        )
        return list(rows)

    async def _put_member(self, user: User, community_id: int, role: CommunityRole) -> Membership:
        membership = await self.membership(user, community_id)
        if membership is None:
            membership = Membership(
                community_id=community_id, user_id=user.id, created_at=self._clock()
            )
            self._session.add(membership)
        membership.role = role
        if membership.status is not MembershipStatus.ACTIVE:
            membership.status = MembershipStatus.ACTIVE
            membership.joined_at = self._clock()
            membership.left_at = None
        await self._session.flush()
        await self._session.refresh(membership, ["community", "user"])
        return membership


def display_name(user: User | None) -> str:
    """How a person is shown to others; erased users stay anonymous."""
    if user is None or user.status is UserStatus.DELETED:
        return ""
    if user.full_name:
        return user.full_name
    return f"@{user.username}" if user.username else f"id{user.telegram_id}"


__all__ = ["Application", "CommunityRepo", "CommunityStaff", "CommunitySummary"]
