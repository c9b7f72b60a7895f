"""Report deadlines (seed 004 §5.4): dates by which network coordinators owe a report to
the education department, and who has marked theirs as submitted.

"Today" depends on where one stands: every operation that compares with today takes the
community's time zone, so a deadline is "past" from the same midnight for everyone.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.db import insert_new
from storage.enums import GlobalRole, UserStatus
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.limits import DEADLINE_TITLE
from storage.models import ReportDeadline, ReportSubmission, User, UserRole
from storage.periods import ACADEMIC_YEAR_STARTS
from storage.repositories.audit import AuditRepo
from storage.repositories.outbox import OutboxRepo

OFFSET_MAX = 365  # days before the date
OFFSETS_MAX = 5
DEFAULT_OFFSETS = (14, 7, 1)
SETTER_ROLES = frozenset({GlobalRole.ADMIN, GlobalRole.COORDINATOR})


def normalise_title(title: str) -> str:
    """One line, single spaces; InvalidState("deadline-title-length") outside 3..150."""
    title = " ".join(title.split())
    if DEADLINE_TITLE.cleaned(title) is None:
        raise InvalidState("deadline-title-length", min=DEADLINE_TITLE.low, max=DEADLINE_TITLE.high)
    return title


def normalise_offsets(offsets: list[int] | tuple[int, ...]) -> list[int]:
    """Distinct days before the date, furthest first; 0 is the day itself."""
    distinct = sorted(set(offsets), reverse=True)
    if (
        not distinct
        or len(distinct) > OFFSETS_MAX
        or not all(0 <= day <= OFFSET_MAX for day in distinct)
    ):
        raise InvalidState("deadline-offsets-invalid", count=OFFSETS_MAX, max=OFFSET_MAX)
    return distinct


def today_in(zone_name: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone_name)).date()


def is_coordinator(user: User) -> bool:
    return GlobalRole.COORDINATOR in user.global_roles


class DeadlineRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit

    @staticmethod
    def can_set(user: User) -> bool:
        """Coordinators and admins set deadlines (and cancel them, and see who is late)."""
        return bool(user.global_roles & SETTER_ROLES)

    async def create(
        self,
        creator: User,
        title: str,
        due_on: date,
        offsets: list[int] | tuple[int, ...] = DEFAULT_OFFSETS,
        *,
        zone_name: str,
    ) -> ReportDeadline:
        if not self.can_set(creator):
            raise PermissionDenied()
        title = normalise_title(title)
        if due_on < today_in(zone_name, self._clock()):
            raise InvalidState("deadline-date-past")
        deadline = ReportDeadline(
            title=title,
            due_on=due_on,
            offsets=normalise_offsets(offsets),
            creator_id=creator.id,
            created_at=self._clock(),
        )
        self._session.add(deadline)
        await self._session.flush()
        await self._audit.record(
            creator,
            "deadline.create",
            "deadline",
            deadline.id,
            due_on=due_on.isoformat(),
            offsets=deadline.offsets,
        )
        return deadline

    async def get(self, deadline_id: int) -> ReportDeadline:
        deadline = await self._session.get(ReportDeadline, deadline_id)
        if deadline is None:
            raise NotFound("deadline-not-found")
        return deadline

    async def upcoming(self, *, zone_name: str, limit: int = 50) -> list[ReportDeadline]:
        """Not cancelled and not yet past (the due day itself still counts), soonest first."""
        rows = await self._session.scalars(
            select(ReportDeadline)
            .where(
                ReportDeadline.cancelled_at.is_(None),
                ReportDeadline.due_on >= today_in(zone_name, self._clock()),
            )
            .order_by(ReportDeadline.due_on, ReportDeadline.id)
            .limit(limit)
        )
        return list(rows)

    async def report_period(self, deadline: ReportDeadline) -> tuple[date, date]:
        """The days a report due on this deadline covers: from the day after the previous
        deadline (or from September 1st, the academic year's start) to the due day."""
        previous = await self._session.scalar(
            select(func.max(ReportDeadline.due_on)).where(
                ReportDeadline.cancelled_at.is_(None), ReportDeadline.due_on < deadline.due_on
            )
        )
        if previous is not None:
            return previous + timedelta(days=1), deadline.due_on
        due = deadline.due_on
        year = due.year if due.month >= ACADEMIC_YEAR_STARTS else due.year - 1
        return date(year, ACADEMIC_YEAR_STARTS, 1), due

    async def audience(self) -> list[User]:
        """The coordinators the bot can remind: active, holding the role, not blocking us."""
        # IN over a subquery, not a join with DISTINCT: PostgreSQL cannot compare JSON.
        holders = select(UserRole.user_id).where(UserRole.role == GlobalRole.COORDINATOR)
        rows = await self._session.scalars(
            select(User)
            .where(
                User.id.in_(holders),
                User.status == UserStatus.ACTIVE,
                User.bot_blocked_at.is_(None),
            )
            .order_by(User.id)
        )
        return list(rows)

    async def submission(self, deadline: ReportDeadline, user: User) -> ReportSubmission | None:
        return await self._session.scalar(
            select(ReportSubmission).where(
                ReportSubmission.deadline_id == deadline.id, ReportSubmission.user_id == user.id
            )
        )

    async def submit(self, deadline: ReportDeadline, user: User) -> bool:
        """The coordinator marks the report as submitted; False if they had already."""
        if not is_coordinator(user):
            raise PermissionDenied()
        if deadline.cancelled_at is not None:
            raise InvalidState("deadline-cancelled")
        added = await insert_new(
            self._session,
            ReportSubmission,
            {"deadline_id": deadline.id, "user_id": user.id, "submitted_at": self._clock()},
            [ReportSubmission.deadline_id, ReportSubmission.user_id],
        )
        if added:
            await self._audit.record(user, "deadline.submit", "deadline", deadline.id)
        return added

    async def unsubmit(self, deadline: ReportDeadline, user: User) -> bool:
        """The coordinator takes their mark back (pressed by mistake): they are pending
        again, so the reminder job reminds them again. False if there was no mark."""
        if not is_coordinator(user):
            raise PermissionDenied()
        if deadline.cancelled_at is not None:
            raise InvalidState("deadline-cancelled")
        submission = await self.submission(deadline, user)
        if submission is None:
            return False
        await self._session.delete(submission)
        await self._session.flush()
        await self._audit.record(user, "deadline.unsubmit", "deadline", deadline.id)
        return True

    async def reminded(self, deadline: ReportDeadline, user: User, offset: int) -> bool:
        """Whether the reminder for this offset was queued for them (sent, waiting or
        withdrawn): the job never queues one key twice."""
        key = f"deadline:{deadline.id}:{user.id}:{offset}"
        return await OutboxRepo(self._session, self._clock).known(key)

    async def submitted(self, deadline: ReportDeadline) -> list[ReportSubmission]:
        rows = await self._session.scalars(
            select(ReportSubmission)
            .where(ReportSubmission.deadline_id == deadline.id)
            .order_by(ReportSubmission.submitted_at, ReportSubmission.id)
        )
        return list(rows)

    async def pending(self, deadline: ReportDeadline) -> list[User]:
        """Coordinators who have not marked the report as submitted."""
        done = {row.user_id for row in await self.submitted(deadline)}
        return [user for user in await self.audience() if user.id not in done]

    async def cancel(self, deadline: ReportDeadline, actor: User) -> None:
        if not self.can_set(actor):
            raise PermissionDenied()
        if deadline.cancelled_at is not None:
            raise InvalidState("deadline-cancelled")
        deadline.cancelled_at = self._clock()
        await self._session.flush()
        await self._audit.record(actor, "deadline.cancel", "deadline", deadline.id)
