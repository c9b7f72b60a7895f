"""Events: seminars, webinars, master classes... with answers, places and a waiting list.

A recurring event is stored as one row per occurrence sharing a ``series_id``: each date
has its own answers, reminders and waiting list, and can be moved or cancelled alone.
"""

from dataclasses import dataclass
from dataclasses import field as default
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule
from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import policy
from storage.clock import Clock, as_utc
from storage.enums import (
    EventKind,
    EventStatus,
    GlobalRole,
    MembershipStatus,
    Recurrence,
    RsvpStatus,
)
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.limits import EVENT_TITLE
from storage.models import DeliveryBatch, Event, EventRsvp, Membership, User
from storage.repositories.audit import AuditRepo
from storage.repositories.users import reachable

DEFAULT_REMINDERS = [24 * 60, 60]  # a day and an hour before
SERIES_MAX = 52  # a year of weekly meetings
EDITABLE = ("title", "starts_at", "duration_minutes", "place")
ORGANISER_ROLES = {GlobalRole.ADMIN, GlobalRole.METHODIST, GlobalRole.COORDINATOR}


# An organiser's event stays in their /events this long after it ended: time to mark who came.
FINISHED_SHOWN = timedelta(days=7)


@dataclass(slots=True)
class EventListing:
    upcoming: list[Event] = default(default_factory=list)
    finished: list[Event] = default(default_factory=list)  # the user's own, ended lately


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
        description: str = "",
        registration_until: datetime | None = None,
        reminders: list[int] | None = None,
        recurrence: Recurrence = Recurrence.ONCE,
        until: date | None = None,
    ) -> list[Event]:
        """The event, or every occurrence of a series (the first one heads it)."""
        if not await self.can_organise(creator, community_id):
            raise PermissionDenied()
        if starts_at <= self._clock():
            raise InvalidState("event-date-past")
        now = self._clock()
        starts = series_starts(starts_at, ZoneInfo(time_zone), recurrence, until)
        events = [
            Event(
                community_id=community_id,
                creator_id=creator.id,
                kind=kind,
                title=" ".join(title.split())[: EVENT_TITLE.high],
                starts_at=start,
                duration_minutes=duration_minutes,
                place=place,
                capacity=capacity,
                description=description,
                # a series closes each meeting's answers as long before it as the first's
                registration_until=start - (starts_at - registration_until)
                if registration_until
                else None,
                time_zone=time_zone,
                reminders=list(DEFAULT_REMINDERS if reminders is None else reminders),
                recurrence=recurrence.value,
                status=EventStatus.PUBLISHED,
                created_at=now,
                updated_at=now,
            )
            for start in starts
        ]
        self._session.add_all(events)
        await self._session.flush()
        if recurrence is not Recurrence.ONCE:
            for event in events:
                event.series_id = events[0].id
            await self._session.flush()
        await self._audit.record(
            creator, "event.create", "event", events[0].id, occurrences=len(events)
        )
        return events

    async def update(self, event: Event, actor: User, **changes: Any) -> dict[str, tuple[Any, Any]]:
        """Edit or reschedule one occurrence; returns {field: (before, after)} of what
        changed. The revision moves on, so reminders are queued afresh under new keys."""
        await self._check_organiser(event, actor)
        if event.status is EventStatus.CANCELLED:
            raise InvalidState("event-cancelled")
        if self.has_begun(event):
            raise InvalidState("event-started")
        if "starts_at" in changes and changes["starts_at"] <= self._clock():
            raise InvalidState("event-date-past")
        changed = {}
        for field, value in changes.items():
            if field not in EDITABLE:
                raise ValueError(field)
            before = getattr(event, field)
            if field == "starts_at":
                before = as_utc(before)
            if before != value:
                changed[field] = (before, value)
                setattr(event, field, value)
        if changed:
            event.revision += 1
            event.updated_at = self._clock()
            await self._session.flush()
            await self._audit.record(
                actor, "event.update", "event", event.id, fields=sorted(changed)
            )
        return changed

    async def series(self, event: Event) -> list[Event]:
        """The published occurrences of the event's series not yet begun, in order."""
        if event.series_id is None:
            return [event]
        rows = await self._session.scalars(
            select(Event)
            .where(
                Event.series_id == event.series_id,
                Event.status == EventStatus.PUBLISHED,
                Event.starts_at > self._clock(),
            )
            .order_by(Event.starts_at)
        )
        return list(rows)

    async def whole_series(self, event: Event) -> list[Event]:
        """Every occurrence of the event's series, past and cancelled ones included, in
        order (the calendar file states the series with its exceptions)."""
        if event.series_id is None:
            return [event]
        rows = await self._session.scalars(
            select(Event).where(Event.series_id == event.series_id).order_by(Event.starts_at)
        )
        return list(rows)

    async def upcoming(self, user: User, limit: int = 20) -> EventListing:
        """Published events not yet over, of the member's communities and the network,
        and those the user organises; and, in the same statement, the user's own events
        that ended in the last week, for them to mark who came."""
        communities = select(Membership.community_id).where(
            Membership.user_id == user.id, Membership.status == MembershipStatus.ACTIVE
        )
        now = self._clock()
        rows = await self._session.scalars(
            select(Event)
            .where(
                Event.status == EventStatus.PUBLISHED,
                or_(
                    and_(
                        Event.starts_at >= now - timedelta(hours=12),
                        or_(
                            Event.community_id.is_(None),
                            Event.community_id.in_(communities),
                            Event.creator_id == user.id,  # the organiser sees their own
                        ),
                    ),
                    and_(Event.creator_id == user.id, Event.starts_at >= now - FINISHED_SHOWN),
                ),
            )
            .order_by(Event.starts_at, Event.id)
            .limit(limit * 4)
        )
        listing, series = EventListing(), set()
        for event in rows:
            ends = ends_at(event)
            if ends <= now:
                if event.creator_id == user.id and ends > now - FINISHED_SHOWN:
                    listing.finished.append(event)
                continue
            if event.series_id is not None:  # a series shows its next date only
                if event.series_id in series:
                    continue
                series.add(event.series_id)
            listing.upcoming.append(event)
        listing.upcoming = listing.upcoming[:limit]
        listing.finished = listing.finished[-limit:][::-1]  # the latest first
        return listing

    async def announced_in(self, events: list[Event], batch: DeliveryBatch) -> None:
        """A series is announced once, in one batch: every meeting of it knows which."""
        for each in events:
            each.batch_id = batch.id
        await self._session.flush()

    async def with_community(self, event: Event) -> Event:
        """A row made in this update: its community loaded before anyone reads it."""
        await self._session.refresh(event, ["community"])
        return event

    async def audience(self, event: Event) -> list[User]:
        """Who hears the announcement: the community's members, or everyone registered."""
        communities = [event.community_id] if event.community_id is not None else None
        return list(await self._session.scalars(reachable(communities)))

    async def answer(self, event: Event, user: User) -> EventRsvp | None:
        return await self._session.scalar(
            select(EventRsvp).where(EventRsvp.event_id == event.id, EventRsvp.user_id == user.id)
        )

    def has_begun(self, event: Event) -> bool:
        """From its start on, answers and changes are refused and attendance is marked."""
        return as_utc(event.starts_at) <= self._clock()

    async def count(self, event: Event, status: RsvpStatus) -> int:
        return await self._count_answers(event, EventRsvp.status == status)

    async def attended(self, event: Event) -> int:
        """How many the organiser marked as present (0 before they marked anyone)."""
        return await self._count_answers(event, EventRsvp.attended.is_(True))

    async def _count_answers(self, event: Event, condition: ColumnElement[bool]) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(EventRsvp)
                .where(EventRsvp.event_id == event.id, condition)
            )
            or 0
        )

    async def rsvp(self, event: Event, user: User, going: bool) -> tuple[RsvpStatus, User | None]:
        """The member's answer; a full event puts them on the waiting list, and a place
        given up goes to the first one waiting. Returns the answer and who moved up."""
        if event.status is not EventStatus.PUBLISHED:
            raise InvalidState("event-cancelled")
        if self.has_begun(event):
            raise InvalidState("event-started")
        now = self._clock()
        if going and event.registration_until and as_utc(event.registration_until) <= now:
            raise InvalidState("event-registration-closed")
        current = await self.answer(event, user)
        was_going = current is not None and current.status is RsvpStatus.GOING
        if going:
            if current is not None and current.status in (RsvpStatus.GOING, RsvpStatus.WAITING):
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
        """Those coming, then those waiting, each in the order they answered."""
        rows = await self._session.scalars(
            select(EventRsvp)
            .where(EventRsvp.event_id == event.id, EventRsvp.status != RsvpStatus.NOT_GOING)
            .order_by(EventRsvp.status, EventRsvp.updated_at, EventRsvp.id)
        )
        return list(rows)

    async def attendance(self, event: Event, actor: User) -> list[EventRsvp]:
        """Who came, for the organiser to mark once the event has begun: those who answered
        "I'll come" or waited for a place. The first look ticks everyone who said they would
        come; the organiser then unticks who did not and ticks who came from the list."""
        await self._check_organiser(event, actor)
        if event.status is EventStatus.CANCELLED:
            raise InvalidState("event-cancelled")
        if not self.has_begun(event):
            raise InvalidState("event-attendance-too-early")
        rows = await self.attendees(event)
        if event.attendance_marked_at is None:
            for row in rows:
                row.attended = row.status is RsvpStatus.GOING
            event.attendance_marked_at = self._clock()
            await self._session.flush()
        return rows

    async def mark_attended(self, event: Event, actor: User, user_id: int) -> list[EventRsvp]:
        """Ticks or unticks one person on the attendance list; returns the list."""
        rows = await self.attendance(event, actor)
        row = next((r for r in rows if r.user_id == user_id), None)
        if row is None:
            raise NotFound()
        row.attended = not row.attended
        await self._session.flush()
        await self._audit.record(
            actor, "event.attendance", "event", event.id, user=user_id, attended=row.attended
        )
        return rows

    async def answers(self, event: Event) -> list[EventRsvp]:
        """Every answer, "can't come" included: the organiser's export."""
        rows = await self._session.scalars(
            select(EventRsvp)
            .where(EventRsvp.event_id == event.id)
            .order_by(
                case(
                    (EventRsvp.status == RsvpStatus.GOING, 0),
                    (EventRsvp.status == RsvpStatus.WAITING, 1),
                    else_=2,
                ),
                EventRsvp.updated_at,
                EventRsvp.id,
            )
        )
        return list(rows)

    async def is_organiser(self, event: Event, user: User) -> bool:
        return event.creator_id == user.id or await self.can_organise(user, event.community_id)

    async def _check_organiser(self, event: Event, actor: User) -> None:
        if not await self.is_organiser(event, actor):
            raise PermissionDenied()

    async def cancel(self, event: Event, actor: User, *, whole_series: bool = False) -> list[Event]:
        """Cancel the occurrence, or it and every later one of its series."""
        await self._check_organiser(event, actor)
        if event.status is EventStatus.CANCELLED:
            raise InvalidState("event-cancelled")
        events = [event]
        if whole_series and event.series_id is not None:
            events += [e for e in await self.series(event) if e.id != event.id]
        for each in events:
            each.status = EventStatus.CANCELLED
            each.updated_at = self._clock()
        await self._session.flush()
        await self._audit.record(actor, "event.cancel", "event", event.id, occurrences=len(events))
        return events


def ends_at(event: Event) -> datetime:
    return as_utc(event.starts_at) + timedelta(minutes=event.duration_minutes)


def series_starts(
    first: datetime, zone: ZoneInfo, recurrence: Recurrence, until: date | None
) -> list[datetime]:
    """The start of each occurrence, counted on the organiser's wall clock (a 15:00 meeting
    stays at 15:00 across a change of daylight saving time), at most SERIES_MAX."""
    if recurrence is Recurrence.ONCE or until is None:
        return [first]
    local = first.astimezone(zone).replace(tzinfo=None)
    end = datetime.combine(until, datetime.max.time())
    moments = rrule.rrule(dtstart=local, until=end, count=None, **series_rule(local, recurrence))
    starts = [m.replace(tzinfo=zone).astimezone(first.tzinfo) for m in moments]
    if not starts or starts[0] != first:
        starts.insert(0, first)
    return starts[:SERIES_MAX]


def series_rule(local: datetime, recurrence: Recurrence) -> dict[str, Any]:
    """The repetition of a series whose first meeting is at ``local`` (wall-clock time), as
    dateutil's rrule arguments; the calendar file states the same rule (RFC 5545 RRULE)."""
    nth = (local.day - 1) // 7 + 1
    rules: dict[Recurrence, dict[str, Any]] = {
        Recurrence.WEEKLY: {"freq": rrule.WEEKLY},
        Recurrence.BIWEEKLY: {"freq": rrule.WEEKLY, "interval": 2},
        # a fifth weekday does not come every month: "the last" one does
        Recurrence.MONTHLY_WEEKDAY: {
            "freq": rrule.MONTHLY,
            "byweekday": rrule.weekday(local.weekday())(nth if nth < 5 else -1),
        },
        Recurrence.MONTHLY_DATE: {"freq": rrule.MONTHLY, "bymonthday": min(local.day, 28)},
    }
    return rules[recurrence]
