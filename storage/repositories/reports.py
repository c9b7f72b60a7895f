"""The effectiveness report's figures (storage/report_figures.py), computed by the database.

Every figure is an aggregate (COUNT, SUM, window functions) over the period's rows; Python
only reads back a few grouped rows. The SQL is the same on SQLite and PostgreSQL except for
three small constructs below, each compiled per backend: seconds between two datetimes,
the elements of a JSON array, and a delivery key's kind.

Members are counted at the end of a period: for the network, people with consent given
before it and not erased; for a community, memberships begun before it and not ended by it.
Only members at the end count as taking part: who left a community during the period is
not among its active people. "Published in the period" means published then and still
published now (a withdrawn or rejected material has left the repository). The coordinators'
report deadlines belong to the network's report only.
"""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    DateTime,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from storage.clock import Clock, as_utc
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    DeliveryState,
    EventStatus,
    GlobalRole,
    MaterialStatus,
    MembershipStatus,
    PostStatus,
    QuestionKind,
    ReviewStatus,
    RsvpStatus,
    ThreadStatus,
    UserStatus,
)
from storage.errors import PermissionDenied
from storage.models import (
    Community,
    Delivery,
    Event,
    EventRsvp,
    ExpertReview,
    GroupMessage,
    Material,
    MaterialDownload,
    MaterialRating,
    MaterialViews,
    Membership,
    Organisation,
    Post,
    ReportDeadline,
    ReportSubmission,
    ReviewItem,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
    SurveyQuestion,
    SurveyResponse,
    Thread,
    User,
    UserRole,
)
from storage.periods import Period
from storage.report_figures import (
    ACTIONS,
    Composition,
    Counts,
    DataBankRow,
    DeadlineFigures,
    Demand,
    Discussions,
    Diversity,
    Events,
    Figures,
    Informing,
    KeyFigures,
    Participation,
    Periodicity,
    PlannedEvent,
    Repository,
    Scope,
    SurveyFigures,
    TopMaterial,
)
from storage.repositories.audit import AuditRepo
from storage.repositories.communities import display_name

# Who may read the network's and every community's report (seed 004 §6.1).
REPORTING_ROLES = frozenset({GlobalRole.ADMIN, GlobalRole.COORDINATOR, GlobalRole.METHODIST})
DATA_BANK_ROLES = frozenset({GlobalRole.ADMIN, GlobalRole.COORDINATOR})
DEFAULT_ZONE = "Europe/Moscow"  # the data bank's dates for someone who never set a zone
TOP = 10

Query = Select[*tuple[Any, ...]]  # a statement of any columns


# --- the three pieces of SQL that differ between the backends --------------------------


class seconds_between(FunctionElement[float]):  # noqa: N801 - reads as the SQL function it is
    """Seconds from the first datetime to the second."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    earlier, later = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    earlier, later = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


class json_elements(FunctionElement[Any]):  # noqa: N801
    """The elements of a JSON array, one row each (column ``value``)."""

    inherit_cache = True
    name = "json_elements"


@compiles(json_elements, "sqlite")
def _elements_sqlite(element: json_elements, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_each({compiler.process(element.clauses, **kw)})"


@compiles(json_elements, "postgresql")
def _elements_postgresql(element: json_elements, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array_elements_text({compiler.process(element.clauses, **kw)})"


class key_kind(FunctionElement[str]):  # noqa: N801
    """A delivery key's first part, before the first colon ("broadcast:12:34" -> "broadcast")."""

    type = String()
    inherit_cache = True
    name = "key_kind"


@compiles(key_kind, "sqlite")
def _kind_sqlite(element: key_kind, compiler: SQLCompiler, **kw: Any) -> str:
    key = compiler.process(element.clauses, **kw)
    return f"substr({key}, 1, instr({key} || ':', ':') - 1)"


@compiles(key_kind, "postgresql")
def _kind_postgresql(element: key_kind, compiler: SQLCompiler, **kw: Any) -> str:
    return f"split_part({compiler.process(element.clauses, **kw)}, ':', 1)"


# --- small helpers -----------------------------------------------------------------------


def _within(column: InstrumentedAttribute[Any], period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


def _moment(value: datetime) -> ColumnElement[datetime]:
    """A datetime as a typed bind, so SQLite gets it in the stored text format."""
    return literal(value, DateTime(timezone=True))


def _ones(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _label(value: object) -> str:
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def scopes_for(user: User, active: Sequence[Community], moderated: Collection[int]) -> list[Scope]:
    """The scopes a person may report on: the network and every active community for
    admins, coordinators and methodists; the communities they moderate for a moderator."""
    if user.status is not UserStatus.ACTIVE:
        return []
    if REPORTING_ROLES & user.global_roles:
        return [Scope(), *(Scope(c.id, c.title) for c in active)]
    return [Scope(c.id, c.title) for c in active if c.id in moderated]


class ReportRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit

    # --- who may see what -------------------------------------------------------------

    async def _active_communities(self) -> list[Community]:
        rows = await self._session.scalars(
            select(Community)
            .where(Community.status == CommunityStatus.ACTIVE)
            .order_by(Community.title, Community.id)
        )
        return list(rows)

    async def _moderated(self, user: User) -> set[int]:
        rows = await self._session.scalars(
            select(Membership.community_id).where(
                Membership.user_id == user.id,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == CommunityRole.MODERATOR,
            )
        )
        return set(rows)

    async def reportable(self, user: User) -> list[Scope]:
        """The network first when allowed, then communities by title."""
        return scopes_for(user, await self._active_communities(), await self._moderated(user))

    async def may_report(self, user: User, scope: Scope) -> bool:
        if user.status is not UserStatus.ACTIVE:
            return False
        if scope.community_id is None:
            return bool(REPORTING_ROLES & user.global_roles)
        community = await self._session.get(Community, scope.community_id)
        if community is None or community.status is not CommunityStatus.ACTIVE:
            return False
        moderated = set() if REPORTING_ROLES & user.global_roles else await self._moderated(user)
        return bool(scopes_for(user, [community], moderated))

    async def digest_recipients(self) -> list[tuple[User, Scope]]:
        """Coordinators get the network's digest, each active community's moderators their
        community's; only people the bot can write to."""
        reachable = (User.status == UserStatus.ACTIVE, User.bot_blocked_at.is_(None))
        coordinators = await self._session.scalars(
            select(User)
            .where(
                User.id.in_(
                    select(UserRole.user_id).where(UserRole.role == GlobalRole.COORDINATOR)
                ),
                *reachable,
            )
            .order_by(User.id)
        )
        recipients = [(user, Scope()) for user in coordinators]
        moderators = await self._session.execute(
            select(User, Community.id, Community.title)
            .join(Membership, Membership.user_id == User.id)
            .join(Community, Community.id == Membership.community_id)
            .where(
                Community.status == CommunityStatus.ACTIVE,
                Membership.status == MembershipStatus.ACTIVE,
                Membership.role == CommunityRole.MODERATOR,
                *reachable,
            )
            .order_by(Community.title, Community.id, User.id)
        )
        recipients += [(user, Scope(cid, title)) for user, cid, title in moderators]
        return recipients

    # --- the figures ------------------------------------------------------------------

    async def figures(self, scope: Scope, period: Period) -> Figures:
        if self._session.get_bind().dialect.name == "postgresql":
            # For the rest of this transaction: plans made for the period's own bounds.
            # asyncpg prepares statements, and after five runs PostgreSQL may switch to a
            # generic plan; for a year's range it took 40 s instead of 1 (bench_reports).
            await self._session.execute(
                text("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
            )
        previous_period = period.previous()
        composition = await self._composition(scope, period)
        previous_members = await self._count(self._members(scope, previous_period.end))
        previous_active = await self._active(scope, previous_period)
        participation = await self._participation(
            scope,
            period,
            composition.members,
            previous_active=previous_active,
            previous_share=_share(previous_active, previous_members),
        )
        published_by_kind = await self._published_by_kind(scope, period)
        discussions = await self._discussions(scope, period)
        events = await self._events(scope, period)
        demand = await self._demand(scope, period)
        periodicity = await self._periodicity(scope, period)
        return Figures(
            scope=scope,
            period=period,
            composition=composition,
            participation=participation,
            diversity=Diversity(
                materials_by_kind=published_by_kind,
                events_by_kind=events.by_kind,
                threads=discussions.opened,
            ),
            discussions=discussions,
            periodicity=periodicity,
            informing=await self._informing(scope, period),
            demand=demand,
            repository=await self._repository(scope, period, published_by_kind),
            events=events,
            satisfaction=await self._satisfaction(scope, period),
            deadlines=await self._deadlines(scope, period),
            key=KeyFigures(
                members=composition.members,
                active=participation.active,
                published=periodicity.published,
                threads=discussions.opened,
                replies=discussions.replies,
                events=events.held,
                views=demand.views,
                downloads=demand.downloads,
            ),
            previous=await self._key(scope, previous_period, previous_members, previous_active),
        )

    async def _key(self, scope: Scope, period: Period, members: int, active: int) -> KeyFigures:
        return KeyFigures(
            members=members,
            active=active,
            published=await self._count(self._published(scope, period)),
            threads=await self._count(self._threads_opened(scope, period)),
            replies=await self._count(self._replies(scope, period)),
            events=await self._count(self._held(scope, period)),
            views=await self._views(scope, period),
            downloads=await self._count(self._downloads(scope, period)),
        )

    async def _count(self, query: Query) -> int:
        return int(
            await self._session.scalar(select(func.count()).select_from(query.subquery())) or 0
        )

    async def _counts(self, query: Query, limit: int = 0) -> Counts:
        """(key, count) of a query's rows grouped by its column labelled "key", most first,
        then by key."""
        rows = query.subquery()
        grouped = (
            select(rows.c.key, func.count().label("n"))
            .group_by(rows.c.key)
            .order_by(func.count().desc(), rows.c.key)
        )
        if limit:
            grouped = grouped.limit(limit)
        return [(_label(k), int(n)) for k, n in (await self._session.execute(grouped))]

    # --- membership --------------------------------------------------------------------

    @staticmethod
    def _members(scope: Scope, end: datetime) -> Query:
        """The ids of the scope's members at ``end``."""
        if scope.community_id is None:
            return select(User.id.label("user_id")).where(
                User.status == UserStatus.ACTIVE, User.consent_at < end
            )
        return select(Membership.user_id.label("user_id")).where(
            Membership.community_id == scope.community_id,
            Membership.joined_at < end,
            or_(Membership.left_at.is_(None), Membership.left_at >= end),
        )

    async def _composition(self, scope: Scope, period: Period) -> Composition:
        members = self._members(scope, period.end).subquery()
        people = select(User).join(members, members.c.user_id == User.id)
        if scope.community_id is None:
            joined = select(User.id).where(_within(User.consent_at, period))
            left = select(User.id).where(_within(User.deleted_at, period))
        else:
            mine = Membership.community_id == scope.community_id
            joined = select(Membership.id).where(mine, _within(Membership.joined_at, period))
            left = select(Membership.id).where(mine, _within(Membership.left_at, period))
        organisation = func.coalesce(Organisation.name, "")
        subjects = json_elements(User.subjects).table_valued("value")
        return Composition(
            members=await self._count(select(members.c.user_id)),
            joined=await self._count(joined),
            left=await self._count(left),
            by_organisation=await self._counts(
                people.outerjoin(
                    Organisation, Organisation.id == User.organisation_id
                ).with_only_columns(organisation.label("key")),
            ),
            by_position=await self._counts(
                people.with_only_columns(
                    func.coalesce(type_coerce(User.position, String), "").label("key")
                ),
            ),
            by_subject=await self._counts(
                people.join(subjects, true()).with_only_columns(
                    cast(subjects.c.value, String).label("key")
                ),
            ),
        )

    # --- participation ----------------------------------------------------------------

    def _actions(self, scope: Scope, period: Period) -> Query:
        """One row per counted action of the scope's members at the end: (user_id, action)."""
        members = self._members(scope, period.end)
        cid = scope.community_id

        def done(action: str, who: InstrumentedAttribute[Any], query: Query) -> Query:
            return query.with_only_columns(
                who.label("user_id"), literal_column(f"'{action}'", String).label("action")
            )

        shared = select(Material).where(_within(Material.submitted_at, period))
        decided = select(ReviewItem).where(
            ReviewItem.decided_by_id.is_not(None), _within(ReviewItem.decided_at, period)
        )
        verdicts = select(ExpertReview).where(
            ExpertReview.expert_id.is_not(None), _within(ExpertReview.decided_at, period)
        )
        posts = select(Post).where(
            Post.status == PostStatus.PUBLISHED, _within(Post.created_at, period)
        )
        messages = select(GroupMessage).where(
            GroupMessage.user_id.is_not(None), _within(GroupMessage.created_at, period)
        )
        came = (
            select(EventRsvp)
            .join(Event, Event.id == EventRsvp.event_id)
            .where(EventRsvp.attended.is_(True), _within(Event.starts_at, period))
        )
        answered = (
            select(SurveyParticipant)
            .join(Survey, Survey.id == SurveyParticipant.survey_id)
            .where(SurveyParticipant.answered.is_(True), _within(Survey.closed_at, period))
        )
        if cid is not None:
            shared = shared.where(Material.community_id == cid)
            decided = decided.where(ReviewItem.community_id == cid)
            verdicts = verdicts.join(Material, Material.id == ExpertReview.material_id).where(
                Material.community_id == cid
            )
            posts = posts.join(Thread, Thread.id == Post.thread_id).where(
                Thread.community_id == cid
            )
            messages = messages.where(GroupMessage.community_id == cid)
            came = came.where(Event.community_id == cid)
            answered = answered.where(SurveyParticipant.group_id == cid)
        # Members are checked once over all the actions: an IN on each part would make the
        # planner walk the people instead of the period's rows.
        every = union_all(
            done("shared", Material.author_id, shared),
            done("reviewed", ReviewItem.decided_by_id, decided),
            done("reviewed", ExpertReview.expert_id, verdicts),
            done("posted", Post.author_id, posts),
            done("posted", GroupMessage.user_id, messages),
            done("attended", EventRsvp.user_id, came),
            done("answered", SurveyParticipant.user_id, answered),
        ).subquery()
        return select(every.c.user_id, every.c.action).where(every.c.user_id.in_(members))

    async def _active(self, scope: Scope, period: Period) -> int:
        actions = self._actions(scope, period).subquery()
        return int(
            await self._session.scalar(select(func.count(func.distinct(actions.c.user_id)))) or 0
        )

    async def _participation(
        self,
        scope: Scope,
        period: Period,
        members: int,
        *,
        previous_active: int,
        previous_share: float | None,
    ) -> Participation:
        # One statement, so the actions are gathered once: the people per action, then one
        # row (action NULL) with the active people, their actions, the top tenth's actions
        # and the rank-weighted sum the Gini coefficient needs.
        actions = self._actions(scope, period).subquery()
        per_action = (
            select(actions.c.user_id, actions.c.action, func.count().label("done"))
            .group_by(actions.c.user_id, actions.c.action)
            .cte("per_action")
        )
        per_person = (
            select(per_action.c.user_id, func.sum(per_action.c.done).label("done"))
            .group_by(per_action.c.user_id)
            .subquery()
        )
        ranked = select(
            per_person.c.done,
            func.row_number()
            .over(order_by=(per_person.c.done.desc(), per_person.c.user_id))
            .label("from_top"),
            func.row_number()
            .over(order_by=(per_person.c.done, per_person.c.user_id))
            .label("from_bottom"),
            func.count().over().label("people"),
        ).subquery()
        # The most active tenth, rounded up: ceil(n / 10) in integer arithmetic.
        in_top_tenth = ranked.c.from_top <= (ranked.c.people + 9) // 10
        nothing = literal_column("0", Integer)
        rows = await self._session.execute(
            union_all(
                select(per_action.c.action, func.count(), nothing, nothing, nothing).group_by(
                    per_action.c.action
                ),
                select(
                    literal_column("NULL", String),
                    func.count(),
                    func.coalesce(func.sum(ranked.c.done), 0),
                    func.coalesce(func.sum(case((in_top_tenth, ranked.c.done), else_=0)), 0),
                    func.coalesce(func.sum(ranked.c.from_bottom * ranked.c.done), 0),
                ),
            )
        )
        by_action: dict[str, int] = {}
        active = total = top = weighted = 0
        for action, people, done, done_by_top, rank_weighted in rows:
            if action is None:
                active, total, top, weighted = (
                    int(people),
                    int(done),
                    int(done_by_top),
                    int(rank_weighted),
                )
            else:
                by_action[action] = int(people)
        # Gini over the sorted counts x_1 <= ... <= x_n: 2·Σ i·x_i / (n·Σ x) − (n + 1) / n.
        gini = 2 * weighted / (active * total) - (active + 1) / active if total else None
        return Participation(
            active=active,
            share=_share(active, members),
            previous_active=previous_active,
            previous_share=previous_share,
            by_action=[(action, int(by_action.get(action, 0))) for action in ACTIONS],
            actions=total,
            top_decile_share=_share(top, total),
            gini=max(gini, 0.0) if gini is not None else None,  # rounding, never below 0
        )

    # --- materials ---------------------------------------------------------------------

    @staticmethod
    def _materials(scope: Scope) -> Query:
        query = select(Material)
        if scope.community_id is not None:
            query = query.where(Material.community_id == scope.community_id)
        return query

    def _published(self, scope: Scope, period: Period) -> Query:
        """Materials published in the period and still in the repository."""
        return self._materials(scope).where(
            Material.status == MaterialStatus.PUBLISHED, _within(Material.published_at, period)
        )

    async def _published_by_kind(self, scope: Scope, period: Period) -> Counts:
        return await self._counts(
            self._published(scope, period).with_only_columns(
                func.coalesce(type_coerce(Material.kind, String), "").label("key")
            ),
        )

    async def _periodicity(self, scope: Scope, period: Period) -> Periodicity:
        published = self._published(scope, period)
        weeks = period.weeks()
        slices = [
            func.coalesce(
                func.sum(
                    case((and_(Material.published_at >= s, Material.published_at < e), 1), else_=0)
                ),
                0,
            )
            for s, e in weeks
        ]
        per_week = [
            int(n)
            for n in (await self._session.execute(published.with_only_columns(*slices))).one()
        ]
        # The gaps run from the period's start to the first publication, between
        # publications, and from the last one to the period's end, or to now if sooner.
        stop = max(period.start, min(period.end, self._clock()))
        points = union_all(
            published.with_only_columns(Material.published_at.label("at")),
            select(_moment(period.start).label("at")),
            select(_moment(stop).label("at")),
        ).subquery()
        gaps = select(
            seconds_between(func.lag(points.c.at).over(order_by=points.c.at), points.c.at).label(
                "gap"
            )
        ).subquery()
        longest = await self._session.scalar(select(func.max(gaps.c.gap)))
        total = sum(per_week)
        return Periodicity(
            published=total,
            per_week=per_week,
            mean_per_week=total / len(weeks),
            longest_gap_days=round(float(longest or 0) / 86400, 6),
        )

    async def _repository(
        self, scope: Scope, period: Period, published_by_kind: Counts
    ) -> Repository:
        published = self._published(scope, period).subquery()
        grades = json_elements(published.c.grades).table_valued("value")
        grade = cast(grades.c.value, String)
        grade_rows = (
            select(grade, func.count())
            .select_from(published)
            .join(grades, true())
            .group_by(grade)
            .order_by(cast(grade, Integer))
        )
        by_grade = [(str(g), int(n)) for g, n in (await self._session.execute(grade_rows))]
        decided = select(ReviewItem).where(
            ReviewItem.object_type == "material",
            ReviewItem.status.in_(
                (ReviewStatus.APPROVED, ReviewStatus.REJECTED, ReviewStatus.CHANGES_REQUESTED)
            ),
            _within(ReviewItem.decided_at, period),
        )
        if scope.community_id is not None:
            decided = decided.where(ReviewItem.community_id == scope.community_id)
        by_status = await self._session.execute(
            decided.with_only_columns(ReviewItem.status, func.count()).group_by(ReviewItem.status)
        )
        statuses = {status: int(n) for status, n in by_status}
        return Repository(
            published_by_kind=published_by_kind,
            published_by_grade=by_grade,
            submitted=await self._count(
                self._materials(scope).where(_within(Material.submitted_at, period))
            ),
            approved=int(statuses.get(ReviewStatus.APPROVED, 0)),
            rejected=int(statuses.get(ReviewStatus.REJECTED, 0)),
            changes_requested=int(statuses.get(ReviewStatus.CHANGES_REQUESTED, 0)),
            median_decision_hours=await self._median_hours(decided),
        )

    async def _median_hours(self, decided: Query) -> float | None:
        """The median of created→decided, by ranks: the middle row, or the mean of the two."""
        waits = decided.with_only_columns(
            seconds_between(ReviewItem.created_at, ReviewItem.decided_at).label("wait")
        ).subquery()
        ranked = select(
            waits.c.wait,
            func.row_number().over(order_by=waits.c.wait).label("place"),
            func.count().over().label("decisions"),
        ).subquery()
        middle = await self._session.scalar(
            select(func.avg(ranked.c.wait)).where(
                ranked.c.place.in_(((ranked.c.decisions + 1) // 2, (ranked.c.decisions + 2) // 2))
            )
        )
        return None if middle is None else round(float(middle) / 3600, 6)

    # --- demand -------------------------------------------------------------------------

    def _downloads(self, scope: Scope, period: Period) -> Query:
        query = select(MaterialDownload.material_id).where(_within(MaterialDownload.at, period))
        if scope.community_id is not None:
            query = query.join(Material, Material.id == MaterialDownload.material_id).where(
                Material.community_id == scope.community_id
            )
        return query

    def _view_hours(self, scope: Scope, period: Period) -> Query:
        query = select(MaterialViews).where(_within(MaterialViews.hour, period))
        if scope.community_id is not None:
            query = query.join(Material, Material.id == MaterialViews.material_id).where(
                Material.community_id == scope.community_id
            )
        return query

    async def _views(self, scope: Scope, period: Period) -> int:
        total = await self._session.scalar(
            self._view_hours(scope, period).with_only_columns(
                func.coalesce(func.sum(MaterialViews.views), 0)
            )
        )
        return int(total or 0)

    async def _demand(self, scope: Scope, period: Period) -> Demand:
        ratings = select(MaterialRating).where(_within(MaterialRating.at, period))
        if scope.community_id is not None:
            ratings = ratings.join(Material, Material.id == MaterialRating.material_id).where(
                Material.community_id == scope.community_id
            )
        useful, not_useful = (
            await self._session.execute(
                ratings.with_only_columns(
                    _ones(MaterialRating.useful.is_(True)), _ones(MaterialRating.useful.is_(False))
                )
            )
        ).one()
        # The ten most downloaded first; then their views, ten look-ups.
        top_ten = (
            self._downloads(scope, period)
            .with_only_columns(MaterialDownload.material_id, func.count().label("n"))
            .group_by(MaterialDownload.material_id)
            .order_by(func.count().desc(), MaterialDownload.material_id)
            .limit(TOP)
            .subquery()
        )
        views = (
            select(func.coalesce(func.sum(MaterialViews.views), 0))
            .where(
                MaterialViews.material_id == top_ten.c.material_id,
                _within(MaterialViews.hour, period),
            )
            .scalar_subquery()
        )
        top = await self._session.execute(
            select(
                Material.id,
                Material.title,
                func.coalesce(type_coerce(Material.kind, String), ""),
                top_ten.c.n,
                views,
            )
            .join(top_ten, top_ten.c.material_id == Material.id)
            .order_by(top_ten.c.n.desc(), Material.id)
        )
        in_repository = self._materials(scope).where(
            Material.status == MaterialStatus.PUBLISHED, Material.published_at < period.end
        )
        total, never_opened = (
            await self._session.execute(
                in_repository.with_only_columns(func.count(), _ones(Material.views == 0))
            )
        ).one()
        return Demand(
            views=await self._views(scope, period),
            downloads=await self._count(self._downloads(scope, period)),
            useful=int(useful),
            not_useful=int(not_useful),
            top_downloaded=[
                TopMaterial(int(mid), title, kind, int(n), int(v)) for mid, title, kind, n, v in top
            ],
            never_opened=int(never_opened),
            published_total=int(total),
        )

    # --- discussions ----------------------------------------------------------------------

    @staticmethod
    def _threads_opened(scope: Scope, period: Period) -> Query:
        query = select(Thread.id).where(
            Thread.status != ThreadStatus.DELETED, _within(Thread.created_at, period)
        )
        if scope.community_id is not None:
            query = query.where(Thread.community_id == scope.community_id)
        return query

    @staticmethod
    def _replies(scope: Scope, period: Period) -> Query:
        """Published posts of the period other than a thread's opening one (its first)."""
        # One set of first posts, not a look-up per post.
        openings = select(func.min(Post.id)).group_by(Post.thread_id)
        query = (
            select(Post.thread_id, Thread.created_at)
            .join(Thread, Thread.id == Post.thread_id)
            .where(
                Post.status == PostStatus.PUBLISHED,
                Thread.status != ThreadStatus.DELETED,
                _within(Post.created_at, period),
                Post.id.not_in(openings),
            )
        )
        if scope.community_id is not None:
            query = query.where(Thread.community_id == scope.community_id)
        return query

    async def _discussions(self, scope: Scope, period: Period) -> Discussions:
        replies = self._replies(scope, period).subquery()
        opened_within = and_(
            replies.c.created_at >= period.start, replies.c.created_at < period.end
        )
        count, active, fresh = (
            await self._session.execute(
                select(
                    func.count(),
                    func.count(func.distinct(replies.c.thread_id)),
                    func.count(func.distinct(case((opened_within, replies.c.thread_id)))),
                )
            )
        ).one()
        messages = select(GroupMessage.id).where(_within(GroupMessage.created_at, period))
        if scope.community_id is not None:
            messages = messages.where(GroupMessage.community_id == scope.community_id)
        return Discussions(
            opened=await self._count(self._threads_opened(scope, period)),
            active=int(active),
            replies=int(count),
            turnover=_share(int(fresh), int(active)),
            group_messages=await self._count(messages),
        )

    # --- events ----------------------------------------------------------------------------

    @staticmethod
    def _held(scope: Scope, period: Period) -> Query:
        query = select(Event).where(
            Event.status == EventStatus.PUBLISHED, _within(Event.starts_at, period)
        )
        if scope.community_id is not None:
            query = query.where(Event.community_id == scope.community_id)
        return query

    async def _events(self, scope: Scope, period: Period) -> Events:
        held = self._held(scope, period)
        online = or_(Event.place.like("http%"), Event.place.like("t.me/%"))
        count, marked, links = (
            await self._session.execute(
                held.with_only_columns(
                    func.count(), _ones(Event.attendance_marked_at.is_not(None)), _ones(online)
                )
            )
        ).one()
        answers = held.join(EventRsvp, EventRsvp.event_id == Event.id)
        going, came = (
            await self._session.execute(
                answers.with_only_columns(
                    _ones(EventRsvp.status == RsvpStatus.GOING), _ones(EventRsvp.attended.is_(True))
                )
            )
        ).one()
        return Events(
            held=int(count),
            by_kind=await self._counts(
                held.with_only_columns(type_coerce(Event.kind, String).label("key"))
            ),
            places=await self._counts(held.with_only_columns(Event.place.label("key")), limit=TOP),
            going=int(going),
            attended=int(came),
            marked=int(marked),
            online=int(links),
        )

    # --- informing -------------------------------------------------------------------------

    async def _informing(self, scope: Scope, period: Period) -> list[Informing]:
        kind = key_kind(Delivery.key)
        sent_by_end = and_(Delivery.state == DeliveryState.SENT, Delivery.sent_at < period.end)
        waiting = or_(
            Delivery.state.in_((DeliveryState.PENDING, DeliveryState.SENDING)),
            and_(Delivery.state == DeliveryState.SENT, Delivery.sent_at >= period.end),
        )
        query = (
            select(
                kind,
                func.count(func.distinct(Delivery.batch_id)) + _ones(Delivery.batch_id.is_(None)),
                func.count(),
                _ones(sent_by_end),
                _ones(Delivery.state.in_((DeliveryState.FAILED, DeliveryState.BLOCKED))),
                _ones(waiting),
            )
            .where(_within(Delivery.created_at, period))
            .group_by(kind)
            .order_by(func.count().desc(), kind)
        )
        if scope.community_id is not None:
            query = query.where(Delivery.user_id.in_(self._members(scope, period.end)))
        rows = await self._session.execute(query)
        return [
            Informing(str(k), int(b), int(m), int(d), int(f), int(w)) for k, b, m, d, f, w in rows
        ]

    # --- satisfaction and deadlines --------------------------------------------------------

    async def _satisfaction(self, scope: Scope, period: Period) -> list[SurveyFigures]:
        joined = SurveyParticipant.survey_id == Survey.id
        if scope.community_id is not None:
            joined = and_(joined, SurveyParticipant.group_id == scope.community_id)
        invited = func.count(SurveyParticipant.id)
        query = (
            select(
                Survey.id,
                Survey.title,
                Survey.min_group,
                invited,
                _ones(SurveyParticipant.answered.is_(True)),
            )
            .outerjoin(SurveyParticipant, joined)
            .where(_within(Survey.closed_at, period))
            .group_by(Survey.id, Survey.title, Survey.min_group, Survey.closed_at)
            .order_by(Survey.closed_at, Survey.id)
        )
        if scope.community_id is not None:
            query = query.having(invited > 0)
        surveys = list(await self._session.execute(query))
        shown = [sid for sid, _t, least, _i, answered in surveys if answered >= least]
        averages: dict[int, list[tuple[str, float, int]]] = {sid: [] for sid in shown}
        if shown:
            responses = select(SurveyResponse.id).where(SurveyResponse.survey_id.in_(shown))
            if scope.community_id is not None:
                responses = responses.where(SurveyResponse.community_id == scope.community_id)
            rows = await self._session.execute(
                select(
                    SurveyQuestion.survey_id,
                    SurveyQuestion.text,
                    func.avg(SurveyAnswer.number),
                    SurveyQuestion.scale_max,
                )
                .join(SurveyAnswer, SurveyAnswer.question_id == SurveyQuestion.id)
                .where(
                    SurveyQuestion.survey_id.in_(shown),
                    SurveyQuestion.kind == QuestionKind.SCALE,
                    SurveyAnswer.number.is_not(None),
                    SurveyAnswer.response_id.in_(responses),
                )
                .group_by(
                    SurveyQuestion.survey_id,
                    SurveyQuestion.id,
                    SurveyQuestion.text,
                    SurveyQuestion.scale_max,
                    SurveyQuestion.position,
                )
                .order_by(SurveyQuestion.survey_id, SurveyQuestion.position)
            )
            for sid, text, mean, scale_max in rows:
                averages[sid].append((text, round(float(mean), 6), int(scale_max)))
        return [
            SurveyFigures(
                survey_id=sid,
                title=title,
                invited=int(invited_count),
                answered=int(answered),
                response_rate=_share(int(answered), int(invited_count)),
                shown=sid in averages,
                averages=averages.get(sid, []),
            )
            for sid, title, _least, invited_count, answered in surveys
        ]

    async def _deadlines(self, scope: Scope, period: Period) -> list[DeadlineFigures]:
        """The network's report deadlines: coordinators owe them, not communities."""
        if scope.community_id is not None:
            return []
        deadlines = list(
            await self._session.execute(
                select(ReportDeadline.id, ReportDeadline.title, ReportDeadline.due_on)
                .where(
                    ReportDeadline.cancelled_at.is_(None),
                    ReportDeadline.due_on >= period.first,
                    ReportDeadline.due_on <= period.last,
                )
                .order_by(ReportDeadline.due_on, ReportDeadline.id)
            )
        )
        if not deadlines:
            return []
        # Today's coordinators, as DeadlineRepo.audience reminds them.
        audience = select(User.id).where(
            User.id.in_(select(UserRole.user_id).where(UserRole.role == GlobalRole.COORDINATOR)),
            User.status == UserStatus.ACTIVE,
            User.bot_blocked_at.is_(None),
        )
        asked = await self._count(audience)
        # On time: before local midnight after the due day, in the period's zone.
        cutoff = case(
            {did: _moment(Period(due, due, period.zone).end) for did, _t, due in deadlines},
            value=ReportSubmission.deadline_id,
        )
        rows = await self._session.execute(
            select(
                ReportSubmission.deadline_id,
                func.count(),
                _ones(ReportSubmission.submitted_at < cutoff),
                _ones(ReportSubmission.user_id.in_(audience)),
            )
            .where(ReportSubmission.deadline_id.in_([did for did, _t, _d in deadlines]))
            .group_by(ReportSubmission.deadline_id)
        )
        submitted = {
            did: (int(n), int(on_time), int(of_asked)) for did, n, on_time, of_asked in rows
        }
        figures = []
        for did, title, due in deadlines:
            n, on_time, of_asked = submitted.get(did, (0, 0, 0))
            expected = asked + n - of_asked
            figures.append(
                DeadlineFigures(
                    deadline_id=did,
                    title=title,
                    due_on=due,
                    expected=expected,
                    on_time=on_time,
                    late=n - on_time,
                    missing=expected - n,
                )
            )
        return figures

    # --- exports -----------------------------------------------------------------------------

    async def data_bank(self, actor: User, scope: Scope) -> list[DataBankRow]:
        """Seed 004 §6.1: the participants, by organisation then name. Personal data: only
        admins and coordinators, and every export is audited."""
        if actor.status is not UserStatus.ACTIVE or not DATA_BANK_ROLES & actor.global_roles:
            raise PermissionDenied()
        await self._audit.record(
            actor, "report.data_bank", "community", scope.community_id, scope=scope.title
        )
        zone = ZoneInfo(actor.time_zone or DEFAULT_ZONE)
        current = (
            Membership.status == MembershipStatus.ACTIVE,
            Community.status == CommunityStatus.ACTIVE,
        )
        people = (
            select(User, func.coalesce(Organisation.name, "").label("organisation"))
            .outerjoin(Organisation, Organisation.id == User.organisation_id)
            .where(User.status == UserStatus.ACTIVE)
            .order_by(func.coalesce(Organisation.name, ""), User.full_name, User.id)
        )
        if scope.community_id is not None:
            people = people.where(
                User.id.in_(
                    select(Membership.user_id)
                    .join(Community, Community.id == Membership.community_id)
                    .where(Membership.community_id == scope.community_id, *current)
                )
            )
        users = list(await self._session.execute(people))
        memberships = await self._session.execute(
            select(Membership.user_id, Community.title, Membership.joined_at)
            .join(Community, Community.id == Membership.community_id)
            .where(Membership.user_id.in_([user.id for user, _o in users]), *current)
            .order_by(Community.title)
        )
        titles: dict[int, list[str]] = {}
        since: dict[int, datetime] = {}
        for user_id, title, joined_at in memberships:
            titles.setdefault(user_id, []).append(title)
            if joined_at is not None:
                moment = as_utc(joined_at)
                since[user_id] = min(since.get(user_id, moment), moment)
        rows = []
        for user, organisation in users:
            began = since.get(user.id) or as_utc(user.consent_at or user.created_at)
            rows.append(
                DataBankRow(
                    organisation=organisation,
                    full_name=user.full_name or "",
                    position=_label(user.position),
                    subjects=list(user.subjects or []),
                    communities=titles.get(user.id, []),
                    joined=began.astimezone(zone).date(),
                )
            )
        return rows

    async def plan_of_work(self, scope: Scope, period: Period) -> list[PlannedEvent]:
        """Seed 004 §3.1: the events of the period, cancelled ones too, in order."""
        query = (
            select(Event)
            .where(_within(Event.starts_at, period))
            .order_by(Event.starts_at, Event.id)
        )
        if scope.community_id is not None:
            query = query.where(Event.community_id == scope.community_id)
        zone = ZoneInfo(period.zone)
        return [
            PlannedEvent(
                starts_at_local=as_utc(event.starts_at).astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                kind=event.kind.value,
                title=event.title,
                community=event.community.title if event.community else "",
                place=event.place,
                organiser=display_name(event.creator),
                status=event.status.value,
            )
            for event in await self._session.scalars(query)
        ]


__all__ = ["ReportRepo", "scopes_for"]
