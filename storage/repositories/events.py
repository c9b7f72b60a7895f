"""Events: seminars, webinars, master classes... with answers, places and a waiting list."""

from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import policy
from storage.clock import Clock
from storage.enums import (
    EventKind,
    EventStatus,
    GlobalRole,
    MembershipStatus,
    RsvpStatus,
    UserStatus,
)
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.models import Event, EventRsvp, Membership, User
from storage.repositories.audit import AuditRepo

DEFAULT_REMINDERS = [24 * 60, 60]  # a day and an hour before
TITLE_MAX = 150
ORGANISER_ROLES = {GlobalRole.ADMIN, GlobalRole.METHODIST, GlobalRole.COORDINATOR}


class EventRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit

    async def get(self, event_id: int) -> Event:
        event = await self._session.get(Event, event_id)
        if event is None:
            raise NotFound("event-not-found")
        return event

    async def can_organise(self, user: User, community_id: int | None) -> bool:
        """Methodists, coordinators and admins anywhere; moderators in their community."""
        if user.global_roles & ORGANISER_ROLES:
            return True
        if community_id is None:
            return False
        membership = await self._session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.community_id == community_id
            )
        )
        return policy.can_moderate(user, membership)

    async def create(
        self,
        creator: User,
        *,
        community_id: int | None,
        kind: EventKind,
        title: str,
        starts_at: datetime,
        duration_minutes: int,
        place: str,
        capacity: int | None,
        time_zone: str,
    ) -> Event:
        if not await self.can_organise(creator, community_id):
            raise PermissionDenied()
        if starts_at <= self._clock():
            raise InvalidState("event-date-past")
        now = self._clock()
        event = Event(
            community_id=community_id,
            creator_id=creator.id,
            kind=kind,
            title=" ".join(title.split())[:TITLE_MAX],
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            place=place,
            capacity=capacity,
            time_zone=time_zone,
            reminders=list(DEFAULT_REMINDERS),
            status=EventStatus.PUBLISHED,
            created_at=now,
            updated_at=now,
        )
        self._session.add(event)
        await self._session.flush()
        await self._audit.record(creator, "event.create", "event", event.id)
        return event

    async def upcoming(self, user: User, limit: int = 20) -> list[Event]:
        """Published events not yet over, of the member's communities and the network."""
        communities = select(Membership.community_id).where(
            Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
        )
        rows = await self._session.scalars(
            select(Event)
            .where(
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at >= self._clock() - timedelta(hours=12),
                or_(Event.community_id.is_(None), Event.community_id.in_(communities)),
            )
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
        )
        now = self._clock()
        return [e for e in rows if _aware(e.starts_at, now) + _length(e) > now]

    async def audience(self, event: Event) -> list[User]:
        """Who hears the announcement: the community's members, or everyone registered."""
        query = select(User).where(User.status == UserStatus.ACTIVE, User.bot_blocked_at.is_(None))
        if event.community_id is not None:
            query = query.join(Membership, Membership.user_id == User.id).where(
                Membership.community_id == event.community_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        return list(await self._session.scalars(query.order_by(User.id)))

    async def answer(self, event: Event, user: User) -> EventRsvp | None:
        return await self._session.scalar(
            select(EventRsvp).where(EventRsvp.event_id == event.id, EventRsvp.user_id == user.id)
        )

    async def count(self, event: Event, status: RsvpStatus) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(EventRsvp)
                .where(EventRsvp.event_id == event.id, EventRsvp.status == status)
            )
            or 0
        )

    async def rsvp(self, event: Event, user: User, going: bool) -> tuple[RsvpStatus, User | None]:
        """The member's answer; a full event puts them on the waiting list, and a place
        given up goes to the first one waiting. Returns the answer and who moved up."""
        if event.status is not EventStatus.PUBLISHED:
            raise InvalidState("event-cancelled")
        if _aware(event.starts_at, self._clock()) <= self._clock():
            raise InvalidState("event-started")
        now = self._clock()
        current = await self.answer(event, user)
        was_going = current is not None and current.status is RsvpStatus.GOING
        if going:
            if was_going or (current is not None and current.status is RsvpStatus.WAITING):
                return current.status, None
            full = event.capacity is not None and (
                await self.count(event, RsvpStatus.GOING) >= event.capacity
            )
            status = RsvpStatus.WAITING if full else RsvpStatus.GOING
        else:
            status = RsvpStatus.NOT_GOING
        if current is None:
            current = EventRsvp(
                event_id=event.id, user_id=user.id, status=status, created_at=now, updated_at=now
            )
            self._session.add(current)
        else:
            current.status = status
            current.updated_at = now
        await self._session.flush()
        promoted = None
        if was_going and not going:
            promoted = await self._promote(event)
        return status, promoted

    async def _promote(self, event: Event) -> User | None:
        first = await self._session.scalar(
            select(EventRsvp)
            .where(EventRsvp.event_id == event.id, EventRsvp.status == RsvpStatus.WAITING)
            .order_by(EventRsvp.updated_at, EventRsvp.id)
            .limit(1)
        )
        if first is None:
            return None
        first.status = RsvpStatus.GOING
        first.updated_at = self._clock()
        await self._session.flush()
        return first.user

    async def attendees(self, event: Event) -> list[EventRsvp]:
        rows = await self._session.scalars(
            select(EventRsvp)
            .where(EventRsvp.event_id == event.id, EventRsvp.status != RsvpStatus.NOT_GOING)
            .order_by(EventRsvp.status, EventRsvp.updated_at, EventRsvp.id)
        )
        return list(rows)

    async def cancel(self, event: Event, actor: User) -> None:
        if event.creator_id != actor.id and not await self.can_organise(actor, event.community_id):
            raise PermissionDenied()
        if event.status is EventStatus.CANCELLED:
            raise InvalidState("event-cancelled")
        event.status = EventStatus.CANCELLED
        event.updated_at = self._clock()
        await self._session.flush()
        await self._audit.record(actor, "event.cancel", "event", event.id)


def _aware(moment: datetime, like: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=like.tzinfo)


def _length(event: Event) -> timedelta:
    return timedelta(minutes=event.duration_minutes)
