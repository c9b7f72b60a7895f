"""The effectiveness report's figures (ReportRepo) against a small network built by hand,
every expected value counted by hand below: November 2026 for a coordinator in
Yekaterinburg (UTC+5), the network and the community of mathematicians, the previous
period, the period's bounds in that zone, and who may see which report."""

import secrets
import sqlite3
from dataclasses import asdict
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.clock import as_utc
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    DeliveryState,
    EventKind,
    EventStatus,
    GlobalRole,
    JoinPolicy,
    MaterialKind,
    MaterialStatus,
    MembershipStatus,
    OrganisationKind,
    Position,
    PostStatus,
    QuestionKind,
    ReviewSource,
    ReviewStatus,
    RsvpStatus,
    SurveyStatus,
    UserStatus,
)
from storage.errors import PermissionDenied
from storage.migrate import upgrade
from storage.models import (
    AuditEntry,
    Community,
    Delivery,
    DeliveryBatch,
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
    Composition,
    DataBankRow,
    DeadlineFigures,
    Demand,
    Discussions,
    Diversity,
    Events,
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
from storage.repositories import Repo
from tests.conftest import POSTGRES_URL

ZONE = "Asia/Yekaterinburg"
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30), ZONE)  # 31.10 19:00 – 30.11 19:00 UTC
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def utc(month: int, day: int, hour: int = 0, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Yekaterinburg, in UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


def rounded(value: Any) -> Any:
    """Floats to six places (what the repository keeps of durations), so figures computed
    in SQL compare with fractions."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(rounded(item) for item in value)
    return value


def same(actual: Any, expected: Any) -> None:
    assert rounded(asdict(actual)) == rounded(asdict(expected))


@pytest.fixture
async def world(repo: Repo, clock) -> SimpleNamespace:
    """Ten people, three communities and a month of activity; the comments say what each
    row is there to show."""
    s = repo.session
    clock.now = utc(1, 5)
    school = Organisation(name="Школа 2", kind=OrganisationKind.SCHOOL, created_at=utc(1, 1))
    gymnasium = Organisation(name="Гимназия 1", kind=OrganisationKind.SCHOOL, created_at=utc(1, 1))
    s.add_all([school, gymnasium])
    await s.flush()

    def person(
        telegram_id: int,
        name: str | None,
        consent: datetime | None,
        organisation: Organisation | None = None,
        position: Position | None = None,
        subjects: tuple[str, ...] = (),
        role: GlobalRole | None = None,
        status: UserStatus = UserStatus.ACTIVE,
    ) -> User:
        user = User(
            telegram_id=telegram_id,
            status=status,
            full_name=name,
            organisation_id=organisation.id if organisation else None,
            position=position,
            subjects=list(subjects),
            time_zone=ZONE,
            consent_at=consent,
            created_at=consent or utc(1, 1),
        )
        user.roles = []
        if role:
            user.roles.append(UserRole(role=role, granted_at=utc(1, 10)))
        s.add(user)
        return user

    admin = person(1, "Админов Антон", utc(1, 10), role=GlobalRole.ADMIN)
    coord = person(
        2, "Коваль Елена", utc(1, 10), gymnasium, Position.METHODIST, role=GlobalRole.COORDINATOR
    )
    methodist = person(
        3, "Ежова Ева", utc(1, 10), school, Position.METHODIST, role=GlobalRole.METHODIST
    )
    moder = person(4, "Жукова Жанна", utc(2, 1), school, Position.SUBJECT_TEACHER, ("math",))
    t1 = person(
        5, "Андреева Анна", utc(3, 1), gymnasium, Position.SUBJECT_TEACHER, ("math", "physics")
    )
    t2 = person(6, "Борисов Борис", utc(3, 1), school, Position.PRIMARY_TEACHER, ("primary",))
    t3 = person(7, "Васильева Вера", utc(11, 10), subjects=("biology",))  # joined in November
    t4 = person(8, "Гусев Глеб", utc(3, 1), position=Position.OTHER)  # erased in November
    t5 = person(9, "Дмитриев Денис", utc(3, 1), None, Position.SUBJECT_TEACHER, ("math",))
    person(10, None, None, status=UserStatus.NEW)  # never gave consent: not a member
    maths = Community(title="Математики", status=CommunityStatus.ACTIVE, created_at=utc(1, 1))
    biology = Community(title="Биологи", status=CommunityStatus.ACTIVE, created_at=utc(1, 1))
    archive = Community(title="Архив", status=CommunityStatus.ARCHIVED, created_at=utc(1, 1))
    s.add_all([maths, biology, archive])
    await s.flush()

    def member(user: User, community: Community, joined: datetime, role=CommunityRole.MEMBER):
        s.add(
            Membership(
                community_id=community.id,
                user_id=user.id,
                role=role,
                status=MembershipStatus.ACTIVE,
                created_at=joined,
                joined_at=joined,
            )
        )

    member(moder, maths, utc(2, 1), CommunityRole.MODERATOR)
    member(t1, maths, utc(3, 5))
    member(t4, maths, utc(3, 5))
    member(t5, maths, utc(3, 5))
    member(t2, biology, utc(3, 5))
    member(t3, biology, local(11, 12), CommunityRole.MODERATOR)
    await s.flush()
    # Memberships that begin and end in November, through the repository's own paths.
    clock.now = utc(11, 5, 6)
    await repo.communities.join(t2, maths.id)
    clock.now = utc(11, 15, 6)
    await repo.communities.leave(t5, maths.id)

    def material(author, community, kind, grades, submitted, published=None, views=0, status=None):
        item = Material(
            author_id=author.id,
            community_id=community.id,
            status=status or MaterialStatus.PUBLISHED,
            kind=kind,
            title=f"Материал {len(s.new)}",
            grades=list(grades),
            views=views,
            created_at=submitted,
            updated_at=submitted,
            submitted_at=submitted,
            published_at=published,
        )
        s.add(item)
        return item

    m0 = material(t1, maths, MaterialKind.METHODICAL_DEVELOPMENT, [7], utc(10, 9), utc(10, 10), 3)
    m1 = material(
        t1, maths, MaterialKind.LESSON_PLAN, [5, 6, 10], utc(11, 3, 10), utc(11, 4, 10), 6
    )
    # 23:30 on the last day in Yekaterinburg, 18:30 UTC: November's
    m2 = material(t1, maths, None, [6], utc(11, 30, 16, 30), local(11, 30, 23, 30))
    # submitted at local midnight, published at 00:10 on December 1st: December's
    m3 = material(t2, biology, None, [], local(12, 1), local(12, 1, 0, 10))
    m4 = material(
        t5,
        maths,
        MaterialKind.PRESENTATION,
        [9],
        utc(11, 4, 8),
        status=MaterialStatus.CHANGES_REQUESTED,
    )
    m5 = material(t2, biology, MaterialKind.VIDEO, [2], utc(11, 8), status=MaterialStatus.REJECTED)
    await s.flush()
    m0.title, m1.title, m5.title = "Проекты", "Дроби", "Клетка"

    def decision(item, community, decider, status, created, decided):
        s.add(
            ReviewItem(
                community_id=community.id,
                object_type="material",
                object_id=item.id,
                source=ReviewSource.PREMODERATION,
                status=status,
                created_at=created,
                decided_by_id=decider.id,
                decided_at=decided,
            )
        )

    decision(m0, maths, moder, ReviewStatus.APPROVED, utc(10, 9), utc(10, 10))
    decision(m1, maths, moder, ReviewStatus.APPROVED, utc(11, 3, 10), utc(11, 4, 10))  # 24 h
    decision(m2, maths, moder, ReviewStatus.APPROVED, utc(11, 30, 16, 30), utc(11, 30, 18, 30))
    decision(m3, biology, admin, ReviewStatus.APPROVED, local(12, 1), local(12, 1, 0, 10))
    decision(m4, maths, moder, ReviewStatus.CHANGES_REQUESTED, utc(11, 4, 8), utc(11, 6, 8))
    decision(m5, biology, admin, ReviewStatus.REJECTED, utc(11, 8), utc(11, 8, 6))  # 6 h
    s.add(
        ExpertReview(
            material_id=m0.id, requested_at=utc(11, 1), expert_id=moder.id, decided_at=utc(11, 10)
        )
    )

    # Card openings by hour: 18:00 UTC on October 31st is 23:00 local, October's.
    for item, hour, views in (
        (m1, utc(11, 4, 10), 5),
        (m1, utc(10, 31, 18), 2),
        (m1, utc(10, 31, 19), 1),
        (m0, utc(11, 10, 12), 3),
        (m5, utc(11, 9, 10), 4),
    ):
        s.add(MaterialViews(material_id=item.id, hour=hour, views=views))
    for item, who, at in (
        (m1, t2, utc(11, 5)),
        (m1, t1, utc(11, 6)),
        (m1, None, utc(11, 7)),
        (m0, t2, utc(11, 10)),
        (m0, t3, utc(11, 10, 1)),
        (m0, t2, utc(10, 20)),
        (m5, t1, utc(11, 9)),
        (m5, t3, utc(11, 9, 1)),
    ):
        s.add(MaterialDownload(material_id=item.id, user_id=who.id if who else None, at=at))
    for item, who, useful, at in (
        (m1, t2, True, utc(11, 5)),
        (m1, t3, False, utc(11, 6)),
        (m0, t2, True, utc(10, 20)),
        (m5, t1, True, utc(11, 9)),
    ):
        s.add(MaterialRating(material_id=item.id, user_id=who.id, useful=useful, at=at))

    # Threads: one opened in October and answered in November, one opened in November.
    old = Thread(
        community_id=maths.id,
        author_id=t1.id,
        title="Олимпиады",
        created_at=utc(10, 20),
        last_post_at=utc(11, 13),
    )
    new = Thread(
        community_id=maths.id,
        author_id=t1.id,
        title="ВПР",
        created_at=utc(11, 7),
        last_post_at=utc(11, 9),
    )
    s.add_all([old, new])
    await s.flush()
    for thread, author, at, status in (
        (old, t1, utc(10, 20), PostStatus.PUBLISHED),
        (old, t1, utc(11, 12), PostStatus.PUBLISHED),
        (old, t2, utc(11, 13), PostStatus.DELETED),
        (new, t1, utc(11, 7), PostStatus.PUBLISHED),
        (new, t2, utc(11, 8), PostStatus.PUBLISHED),
        (new, moder, utc(11, 9), PostStatus.PUBLISHED),
    ):
        s.add(
            Post(thread_id=thread.id, author_id=author.id, body="…", status=status, created_at=at)
        )
        await s.flush()  # ids in this order: the first is the opening post
    for number, who, at in ((1, t2, utc(11, 14)), (2, None, utc(11, 14, 1)), (3, t4, utc(11, 16))):
        s.add(
            GroupMessage(
                community_id=maths.id,
                chat_id=-100,
                message_id=number,
                user_id=who.id if who else None,
                created_at=at,
            )
        )

    def event(
        community, kind, starts, place, creator=None, status=EventStatus.PUBLISHED, marked=None
    ):
        item = Event(
            community_id=community.id if community else None,
            creator_id=creator.id if creator else None,
            kind=kind,
            title=f"{kind.value} {starts:%d.%m}",
            starts_at=starts,
            place=place,
            time_zone=ZONE,
            status=status,
            attendance_marked_at=marked,
            created_at=utc(9, 1),
            updated_at=utc(9, 1),
        )
        s.add(item)
        return item

    room = "Гимназия 1, ауд. 12"
    zoom = "https://zoom.us/j/1"
    e1 = event(maths, EventKind.SEMINAR, utc(11, 20, 5), room, moder, marked=utc(11, 20, 7))
    e2 = event(None, EventKind.WEBINAR, utc(11, 25, 10), zoom, methodist)
    event(maths, EventKind.SEMINAR, utc(11, 26, 5), room, moder, EventStatus.CANCELLED)
    event(biology, EventKind.MEETING, local(12, 1), "")  # December's in Yekaterinburg
    e5 = event(
        maths, EventKind.MASTER_CLASS, utc(10, 15), "t.me/maths_live", moder, marked=utc(10, 15, 2)
    )
    event(biology, EventKind.ROUND_TABLE, utc(11, 12, 9), "")
    event(None, EventKind.WEBINAR, utc(11, 27, 10), zoom, methodist)
    await s.flush()
    for item, who, status, came in (
        (e1, t1, RsvpStatus.GOING, True),
        (e1, t2, RsvpStatus.GOING, False),
        (e1, moder, RsvpStatus.NOT_GOING, None),
        (e2, t3, RsvpStatus.GOING, None),
        (e2, t1, RsvpStatus.WAITING, None),
        (e5, t1, RsvpStatus.GOING, True),
    ):
        s.add(
            EventRsvp(
                event_id=item.id,
                user_id=who.id,
                status=status,
                attended=came,
                created_at=utc(9, 2),
                updated_at=utc(9, 2),
            )
        )

    # Surveys: one shown (two answers in the mathematicians' group, one in the
    # biologists'), one under its minimum group of five.
    def survey(title, closed, min_group):
        item = Survey(
            title=title,
            status=SurveyStatus.CLOSED,
            audience=[],
            min_group=min_group,
            created_at=utc(11, 1),
            closed_at=closed,
        )
        s.add(item)
        return item

    s1 = survey("Удовлетворённость", utc(11, 28, 10), 2)
    s2 = survey("Короткий опрос", utc(11, 29, 10), 5)
    await s.flush()
    q1 = SurveyQuestion(
        survey_id=s1.id, position=1, kind=QuestionKind.SCALE, text="Польза семинаров"
    )
    q2 = SurveyQuestion(survey_id=s1.id, position=2, kind=QuestionKind.TEXT, text="Что добавить?")
    q3 = SurveyQuestion(
        survey_id=s2.id, position=1, kind=QuestionKind.SCALE, text="Оценка", scale_max=10
    )
    s.add_all([q1, q2, q3])
    await s.flush()
    for item, who, answered, group in (
        (s1, t1, True, maths),
        (s1, t2, True, maths),
        (s1, moder, False, maths),
        (s1, t3, True, biology),
        (s2, t1, True, maths),
    ):
        s.add(
            SurveyParticipant(
                survey_id=item.id, user_id=who.id, answered=answered, group_id=group.id
            )
        )
    for item, group, answers in (
        (s1, maths, [(q1, 4), (q2, None)]),
        (s1, maths, [(q1, 5)]),
        (s1, biology, [(q1, 3)]),
        (s2, maths, [(q3, 2)]),
    ):
        response = SurveyResponse(
            id=secrets.token_hex(16), survey_id=item.id, community_id=group.id
        )
        s.add(response)
        await s.flush()
        for question, number in answers:
            s.add(
                SurveyAnswer(
                    id=secrets.token_hex(16),
                    response_id=response.id,
                    question_id=question.id,
                    number=number,
                    text="" if number else "больше практики",
                )
            )

    # The outbox: a broadcast (one batch of four), two single event reminders, a deadline
    # reminder, and October's broadcast.
    batch = DeliveryBatch(kind="broadcast", created_at=utc(11, 10))
    s.add(batch)
    await s.flush()
    for key, who, state, sent, created, batch_id in (
        (
            f"broadcast:{batch.id}:{t1.id}",
            t1,
            DeliveryState.SENT,
            utc(11, 10, 1),
            utc(11, 10),
            batch.id,
        ),
        (f"broadcast:{batch.id}:{t2.id}", t2, DeliveryState.FAILED, None, utc(11, 10), batch.id),
        (f"broadcast:{batch.id}:{t3.id}", t3, DeliveryState.BLOCKED, None, utc(11, 10), batch.id),
        # sent after the period's end: still waiting at its end
        (
            f"broadcast:{batch.id}:{moder.id}",
            moder,
            DeliveryState.SENT,
            utc(12, 1),
            utc(11, 10),
            batch.id,
        ),
        (f"event:{e1.id}:remind:60:{t1.id}", t1, DeliveryState.PENDING, None, utc(11, 19), None),
        (
            f"event:{e1.id}:remind:60:{t2.id}",
            t2,
            DeliveryState.SENT,
            utc(11, 19, 1),
            utc(11, 19),
            None,
        ),
        (f"deadline:1:7:{coord.id}", coord, DeliveryState.SENT, utc(11, 25, 1), utc(11, 25), None),
        ("broadcast:0:1", t1, DeliveryState.SENT, utc(10, 20, 1), utc(10, 20), None),
    ):
        s.add(
            Delivery(
                key=key,
                batch_id=batch_id,
                chat_id=who.telegram_id,
                user_id=who.id,
                text="…",
                not_before=created,
                state=state,
                created_at=created,
                sent_at=sent,
            )
        )

    # Report deadlines: on the last day (one on time at 23:59 local, one late the next
    # morning from someone not a coordinator), one missed, one cancelled, one in December.
    def deadline(title, due, cancelled=None):
        item = ReportDeadline(
            title=title, due_on=due, created_at=utc(10, 1), cancelled_at=cancelled
        )
        s.add(item)
        return item

    d1 = deadline("Отчёт за октябрь", date(2026, 11, 30))
    d2 = deadline("Отчёт о семинарах", date(2026, 11, 10))
    deadline("Отменённый", date(2026, 11, 15), cancelled=utc(11, 2))
    deadline("Декабрьский", date(2026, 12, 1))
    await s.flush()
    s.add(ReportSubmission(deadline_id=d1.id, user_id=coord.id, submitted_at=local(11, 30, 23, 59)))
    s.add(ReportSubmission(deadline_id=d1.id, user_id=methodist.id, submitted_at=local(12, 1, 7)))
    await s.flush()

    clock.now = utc(11, 20, 6)
    await repo.users.erase(t4)
    clock.now = NOW
    await s.commit()
    return SimpleNamespace(**{k: v for k, v in locals().items() if k not in {"s", "repo"}})


def composition_network() -> Composition:
    return Composition(
        members=8,  # everyone active with consent, but the erased one and the newcomer without
        joined=1,  # Васильева, consent on 10.11
        left=1,  # Гусев, erased on 20.11
        by_organisation=[("", 3), ("Школа 2", 3), ("Гимназия 1", 2)],
        by_position=[("subject_teacher", 3), ("", 2), ("methodist", 2), ("primary_teacher", 1)],
        by_subject=[("math", 3), ("biology", 1), ("physics", 1), ("primary", 1)],
    )


async def test_network_figures_for_november_in_yekaterinburg(repo: Repo, world) -> None:
    w = world
    figures = await repo.reports.figures(Scope(), NOVEMBER)

    assert figures.scope == Scope() and figures.period == NOVEMBER
    same(figures.composition, composition_network())
    # Actions (members at the end only; Гусев's group message is not his any more):
    # Андреева 7 (shared 2, posted 2, attended 1, answered 2), Жукова 5 (3 decisions, a
    # verdict, a reply), Борисов 4 (shared, a reply, a group message, an answer), Админов 1
    # (a rejection), Дмитриев 1 (shared), Васильева 1 (answered): 19 actions by 6 people.
    # Gini over 1,1,1,4,5,7: 2·89/(6·19) − 7/6 = 15/38. October: Андреева and Жукова.
    same(
        figures.participation,
        Participation(
            active=6,
            share=6 / 8,
            previous_active=2,
            previous_share=2 / 7,
            by_action=[
                ("shared", 3),
                ("reviewed", 2),
                ("posted", 3),
                ("attended", 1),
                ("answered", 3),
            ],
            actions=19,
            top_decile_share=7 / 19,
            gini=15 / 38,
        ),
    )
    same(
        figures.diversity,
        Diversity(
            materials_by_kind=[("", 1), ("lesson_plan", 1)],
            events_by_kind=[("webinar", 2), ("round_table", 1), ("seminar", 1)],
            threads=1,
        ),
    )
    same(
        figures.discussions,
        Discussions(opened=1, active=2, replies=3, turnover=1 / 2, group_messages=3),
    )
    # Published 4.11 15:00 local and 30.11 23:30 local; the longest silence runs between
    # them: 26 days 8.5 hours.
    same(
        figures.periodicity,
        Periodicity(
            published=2,
            per_week=[1, 0, 0, 0, 1],
            mean_per_week=2 / 5,
            longest_gap_days=26 + 8.5 / 24,
        ),
    )
    assert [asdict(i) for i in figures.informing] == [
        asdict(Informing("broadcast", 1, 4, 1, 2, 1)),
        asdict(Informing("event", 2, 2, 1, 0, 1)),
        asdict(Informing("deadline", 1, 1, 1, 0, 0)),
    ]
    same(
        figures.demand,
        Demand(
            views=13,  # 5 + 1 (00:00 local on the 1st) + 3 + 4; 23:00 on the 31st is October's
            downloads=7,
            useful=2,
            not_useful=1,
            top_downloaded=[
                TopMaterial(w.m1.id, "Дроби", "lesson_plan", 3, 6),
                TopMaterial(w.m0.id, "Проекты", "methodical_development", 2, 3),
                TopMaterial(w.m5.id, "Клетка", "video", 2, 4),
            ],
            never_opened=1,  # the one published on the last evening
            published_total=3,  # m3 was published after the end
        ),
    )
    same(
        figures.repository,
        Repository(
            published_by_kind=[("", 1), ("lesson_plan", 1)],
            published_by_grade=[("5", 1), ("6", 2), ("10", 1)],
            submitted=4,  # m3 at local midnight after the last day is December's
            approved=2,
            rejected=1,
            changes_requested=1,
            median_decision_hours=(6 + 24) / 2,  # of 2, 6, 24, 48
        ),
    )
    same(
        figures.events,
        Events(
            held=4,
            by_kind=[("webinar", 2), ("round_table", 1), ("seminar", 1)],
            places=[("https://zoom.us/j/1", 2), ("", 1), ("Гимназия 1, ауд. 12", 1)],
            going=3,
            attended=1,
            marked=1,
            online=2,
        ),
    )
    assert [rounded(asdict(f)) for f in figures.satisfaction] == [
        rounded(
            asdict(
                SurveyFigures(
                    w.s1.id, "Удовлетворённость", 4, 3, 3 / 4, True, [("Польза семинаров", 4.0, 5)]
                )
            )
        ),
        asdict(SurveyFigures(w.s2.id, "Короткий опрос", 1, 1, 1.0, False, [])),
    ]
    assert figures.deadlines == [
        DeadlineFigures(w.d2.id, "Отчёт о семинарах", date(2026, 11, 10), 1, 0, 0, 1),
        DeadlineFigures(w.d1.id, "Отчёт за октябрь", date(2026, 11, 30), 2, 1, 1, 0),
    ]
    assert figures.key == KeyFigures(
        members=8, active=6, published=2, threads=1, replies=3, events=4, views=13, downloads=7
    )
    assert figures.previous == KeyFigures(
        members=7, active=2, published=1, threads=1, replies=0, events=1, views=2, downloads=1
    )


async def test_community_figures_count_only_its_members_and_its_rows(repo: Repo, world) -> None:
    w = world
    scope = Scope(w.maths.id, "Математики")
    figures = await repo.reports.figures(scope, NOVEMBER)

    # Жукова, Андреева and Борисов (joined on 5.11); Дмитриев left, Гусев was erased.
    same(
        figures.composition,
        Composition(
            members=3,
            joined=1,
            left=2,
            by_organisation=[("Школа 2", 2), ("Гимназия 1", 1)],
            by_position=[("subject_teacher", 2), ("primary_teacher", 1)],
            by_subject=[("math", 2), ("physics", 1), ("primary", 1)],
        ),
    )
    # Андреева 7, Жукова 5, Борисов 3 (his biologists' answer is not this community's);
    # Дмитриев's material is not counted: he is no member at the end. Gini over 3,5,7:
    # 2·34/(3·15) − 4/3 = 8/45. October: 2 of Жукова, Андреева, Гусев, Дмитриев.
    same(
        figures.participation,
        Participation(
            active=3,
            share=1.0,
            previous_active=2,
            previous_share=2 / 4,
            by_action=[
                ("shared", 1),
                ("reviewed", 1),
                ("posted", 3),
                ("attended", 1),
                ("answered", 2),
            ],
            actions=15,
            top_decile_share=7 / 15,
            gini=8 / 45,
        ),
    )
    same(
        figures.diversity,
        Diversity(
            materials_by_kind=[("", 1), ("lesson_plan", 1)],
            events_by_kind=[("seminar", 1)],
            threads=1,
        ),
    )
    same(
        figures.discussions,
        Discussions(opened=1, active=2, replies=3, turnover=1 / 2, group_messages=3),
    )
    same(
        figures.periodicity,
        Periodicity(
            published=2,
            per_week=[1, 0, 0, 0, 1],
            mean_per_week=2 / 5,
            longest_gap_days=26 + 8.5 / 24,
        ),
    )
    assert [asdict(i) for i in figures.informing] == [
        asdict(Informing("broadcast", 1, 3, 1, 1, 1)),
        asdict(Informing("event", 2, 2, 1, 0, 1)),
    ]
    same(
        figures.demand,
        Demand(
            views=9,
            downloads=5,
            useful=1,
            not_useful=1,
            top_downloaded=[
                TopMaterial(w.m1.id, "Дроби", "lesson_plan", 3, 6),
                TopMaterial(w.m0.id, "Проекты", "methodical_development", 2, 3),
            ],
            never_opened=1,
            published_total=3,
        ),
    )
    same(
        figures.repository,
        Repository(
            published_by_kind=[("", 1), ("lesson_plan", 1)],
            published_by_grade=[("5", 1), ("6", 2), ("10", 1)],
            submitted=3,
            approved=2,
            rejected=0,
            changes_requested=1,
            median_decision_hours=24.0,  # of 2, 24, 48
        ),
    )
    same(
        figures.events,
        Events(
            held=1,
            by_kind=[("seminar", 1)],
            places=[("Гимназия 1, ауд. 12", 1)],
            going=2,
            attended=1,
            marked=1,
            online=0,
        ),
    )
    assert [rounded(asdict(f)) for f in figures.satisfaction] == [
        rounded(
            asdict(
                SurveyFigures(
                    w.s1.id, "Удовлетворённость", 3, 2, 2 / 3, True, [("Польза семинаров", 4.5, 5)]
                )
            )
        ),
        asdict(SurveyFigures(w.s2.id, "Короткий опрос", 1, 1, 1.0, False, [])),
    ]
    assert figures.deadlines == []  # the coordinators' deadlines are the network's
    assert figures.key == KeyFigures(
        members=3, active=3, published=2, threads=1, replies=3, events=1, views=9, downloads=5
    )
    assert figures.previous == KeyFigures(
        members=4, active=2, published=1, threads=1, replies=0, events=1, views=2, downloads=1
    )


async def test_the_period_is_cut_at_midnight_in_the_readers_zone(repo: Repo, world) -> None:
    # December in Yekaterinburg holds m3 (00:10 on the 1st) and not m2 (23:30 on the 30th);
    # the period runs past now, so its last silence ends now (5.12 09:00 UTC).
    december = await repo.reports.figures(
        Scope(), Period(date(2026, 12, 1), date(2026, 12, 31), ZONE)
    )
    same(
        december.periodicity,
        Periodicity(
            published=1,
            per_week=[1, 0, 0, 0, 0],
            mean_per_week=1 / 5,
            longest_gap_days=(NOW - local(12, 1, 0, 10)).total_seconds() / 86400,
        ),
    )
    assert december.repository.submitted == 1  # m3, submitted exactly at local midnight
    assert december.events.held == 1  # the biologists' meeting at local midnight
    # In Moscow both fall on November 30th.
    moscow = await repo.reports.figures(
        Scope(), Period(date(2026, 11, 1), date(2026, 11, 30), "Europe/Moscow")
    )
    assert moscow.periodicity.published == 3
    assert moscow.periodicity.per_week[-1] == 2


async def test_a_period_without_activity_is_all_silence(repo: Repo, world) -> None:
    quiet = Period(date(2025, 3, 1), date(2025, 3, 10), ZONE)
    figures = await repo.reports.figures(Scope(), quiet)
    assert figures.participation.active == 0
    assert (figures.participation.top_decile_share, figures.participation.gini) == (None, None)
    assert figures.periodicity == Periodicity(0, [0, 0], 0.0, 10.0)
    assert figures.repository.median_decision_hours is None
    assert figures.discussions.turnover is None
    assert figures.composition.members == 0 and figures.participation.share is None


async def test_who_may_report_on_what(repo: Repo, world) -> None:
    w = world
    network, maths, biology = (
        Scope(),
        Scope(w.maths.id, "Математики"),
        Scope(w.biology.id, "Биологи"),
    )
    everything = [network, biology, maths]  # the network, then communities by title
    assert await repo.reports.reportable(w.coord) == everything
    assert await repo.reports.reportable(w.methodist) == everything
    assert await repo.reports.reportable(w.admin) == everything
    assert await repo.reports.reportable(w.moder) == [maths]
    assert await repo.reports.reportable(w.t1) == []
    assert await repo.reports.may_report(w.moder, maths)
    assert not await repo.reports.may_report(w.moder, biology)
    assert not await repo.reports.may_report(w.moder, network)
    assert not await repo.reports.may_report(w.t1, maths)
    assert not await repo.reports.may_report(w.t1, network)
    assert await repo.reports.may_report(w.coord, biology)
    assert not await repo.reports.may_report(w.coord, Scope(w.archive.id, "Архив"))
    assert not await repo.reports.may_report(w.t4, network)  # erased

    recipients = await repo.reports.digest_recipients()
    assert [(user.id, scope) for user, scope in recipients] == [
        (w.coord.id, network),
        (w.t3.id, biology),
        (w.moder.id, maths),
    ]


async def test_the_data_bank_is_for_coordinators_and_admins_and_audited(repo: Repo, world) -> None:
    w = world
    for outsider in (w.t1, w.moder, w.methodist):
        with pytest.raises(PermissionDenied):
            await repo.reports.data_bank(outsider, Scope())

    rows = await repo.reports.data_bank(w.coord, Scope())

    def row(user, organisation, communities, joined):
        return DataBankRow(
            organisation=organisation,
            full_name=user.full_name,
            position=user.position.value if user.position else "",
            subjects=list(user.subjects),
            communities=communities,
            joined=joined,
        )

    assert rows == [
        row(w.admin, "", [], date(2026, 1, 10)),  # no community: since consent
        row(w.t3, "", ["Биологи"], date(2026, 11, 12)),
        row(w.t5, "", [], date(2026, 3, 1)),  # left the mathematicians
        row(w.t1, "Гимназия 1", ["Математики"], date(2026, 3, 5)),
        row(w.coord, "Гимназия 1", [], date(2026, 1, 10)),
        row(w.t2, "Школа 2", ["Биологи", "Математики"], date(2026, 3, 5)),
        row(w.methodist, "Школа 2", [], date(2026, 1, 10)),
        row(w.moder, "Школа 2", ["Математики"], date(2026, 2, 1)),
    ]
    assert [r.full_name for r in await repo.reports.data_bank(w.admin, Scope(w.maths.id))] == [
        "Андреева Анна",
        "Борисов Борис",
        "Жукова Жанна",
    ]
    audit = (
        await repo.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "report.data_bank")
            .order_by(AuditEntry.id)
        )
    ).all()
    assert [(a.actor_id, a.object_id) for a in audit] == [
        (w.coord.id, None),
        (w.admin.id, w.maths.id),
    ]


async def test_the_plan_of_work_lists_the_periods_events_cancelled_too(repo: Repo, world) -> None:
    w = world
    plan = await repo.reports.plan_of_work(Scope(), NOVEMBER)
    assert plan == [
        PlannedEvent(
            "2026-11-12 14:00", "round_table", "round_table 12.11", "Биологи", "", "", "published"
        ),
        PlannedEvent(
            "2026-11-20 10:00",
            "seminar",
            "seminar 20.11",
            "Математики",
            "Гимназия 1, ауд. 12",
            "Жукова Жанна",
            "published",
        ),
        PlannedEvent(
            "2026-11-25 15:00",
            "webinar",
            "webinar 25.11",
            "",
            "https://zoom.us/j/1",
            "Ежова Ева",
            "published",
        ),
        PlannedEvent(
            "2026-11-26 10:00",
            "seminar",
            "seminar 26.11",
            "Математики",
            "Гимназия 1, ауд. 12",
            "Жукова Жанна",
            "cancelled",
        ),
        PlannedEvent(
            "2026-11-27 15:00",
            "webinar",
            "webinar 27.11",
            "",
            "https://zoom.us/j/1",
            "Ежова Ева",
            "published",
        ),
    ]
    mathematicians = await repo.reports.plan_of_work(Scope(w.maths.id), NOVEMBER)
    assert [p.status for p in mathematicians] == ["published", "cancelled"]


async def test_memberships_record_when_they_began_and_ended(repo: Repo, world, clock) -> None:
    w = world
    rows = {
        m.user_id: m
        for m in await repo.session.scalars(
            select(Membership).where(Membership.community_id == w.maths.id)
        )
    }
    assert as_utc(rows[w.t2.id].joined_at) == utc(11, 5, 6) and rows[w.t2.id].left_at is None
    assert as_utc(rows[w.t5.id].left_at) == utc(11, 15, 6)
    assert rows[w.t4.id].status is MembershipStatus.LEFT
    assert as_utc(rows[w.t4.id].left_at) == utc(11, 20, 6)
    # Rejoining the same row starts again and clears the end.
    clock.now = utc(12, 2)
    await repo.communities.join(w.t5, w.maths.id)
    await repo.session.refresh(rows[w.t5.id])
    assert as_utc(rows[w.t5.id].joined_at) == utc(12, 2) and rows[w.t5.id].left_at is None


async def test_an_approved_request_and_a_role_given_begin_a_membership(
    repo: Repo, world, clock
) -> None:
    w = world
    w.biology.join_policy = JoinPolicy.BY_REQUEST
    await repo.session.flush()
    clock.now = utc(12, 3)
    request = await repo.communities.join(w.t5, w.biology.id)
    assert request.status is MembershipStatus.PENDING and request.joined_at is None
    clock.now = utc(12, 4)
    approved = await repo.communities.decide_join_request(request.id, w.t3, approve=True)
    assert as_utc(approved.joined_at) == utc(12, 4) and approved.left_at is None
    clock.now = utc(12, 5)
    appointed = await repo.communities.set_role(
        w.biology.id, w.t1, CommunityRole.EXPERT, actor=w.admin
    )
    assert as_utc(appointed.joined_at) == utc(12, 5)
    # A new role for someone already in keeps when they joined.
    clock.now = utc(12, 6)
    promoted = await repo.communities.set_role(
        w.biology.id, w.t1, CommunityRole.MODERATOR, actor=w.admin
    )
    assert as_utc(promoted.joined_at) == utc(12, 5)


def test_the_migration_dates_existing_memberships(tmp_path) -> None:
    if POSTGRES_URL:
        pytest.skip("the migration is replayed on its own SQLite file")
    url = f"sqlite+aiosqlite:///{tmp_path / 'backfill.db'}"
    upgrade(url, "0018")
    with sqlite3.connect(tmp_path / "backfill.db") as connection:
        connection.execute(
            "INSERT INTO users (id, telegram_id, status, subjects, created_at)"
            " VALUES (1, 1, 'active', '[]', '2026-01-01 00:00:00.000000')"
        )
        connection.execute(
            "INSERT INTO communities (id, title, description, area, join_policy, status,"
            " group_is_forum, conduct_settings, problem, expected_result, term,"
            " initial_participants, created_at) VALUES (1, 'Математики', '', '', 'open',"
            " 'active', 0, '{}', '', '', '', '', '2026-01-01 00:00:00.000000')"
        )
        for community, status, decided in (
            (1, "active", "'2026-03-02 00:00:00.000000'"),
            (2, "left", "NULL"),
            (3, "pending", "NULL"),
        ):
            if community > 1:
                connection.execute(
                    "INSERT INTO communities (id, title, description, area, join_policy,"
                    " status, group_is_forum, conduct_settings, problem, expected_result,"
                    f" term, initial_participants, created_at) VALUES ({community},"
                    f" 'С{community}', '', '', 'open', 'active', 0, '{{}}', '', '', '', '',"
                    " '2026-01-01 00:00:00.000000')"
                )
            connection.execute(
                "INSERT INTO memberships (community_id, user_id, role, status, created_at,"
                f" decided_at, notify_materials) VALUES ({community}, 1, 'member', '{status}',"
                f" '2026-03-01 00:00:00.000000', {decided}, 0)"
            )
    upgrade(url)
    with sqlite3.connect(tmp_path / "backfill.db") as connection:
        rows = connection.execute(
            "SELECT status, joined_at, left_at FROM memberships ORDER BY community_id"
        ).fetchall()
    assert rows == [
        ("active", "2026-03-02 00:00:00.000000", None),  # approved: since the decision
        ("left", "2026-03-01 00:00:00.000000", None),  # when it ended was never kept
        ("pending", None, None),
    ]
