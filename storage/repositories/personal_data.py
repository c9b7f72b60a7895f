"""Everything stored about one person, for /export_me (152-ФЗ: the subject's right to know
what is processed). One section per table that holds their user id; survey participation
says only whether they were invited and answered, never what: answers are anonymous."""

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import as_utc
from storage.models import (
    Appeal,
    AuditEntry,
    Community,
    ConductHit,
    ConductVersion,
    Delivery,
    Event,
    EventRsvp,
    ExpertReview,
    GroupMember,
    GroupMessage,
    Material,
    MaterialDownload,
    MaterialRating,
    Membership,
    Post,
    Report,
    ReportDeadline,
    ReportSubmission,
    ReviewItem,
    Sanction,
    Survey,
    SurveyParticipant,
    SurveyProgress,
    Thread,
    ThreadFollow,
    User,
)


def iso(moment: datetime | None) -> str | None:
    """A stored moment (UTC, naive from SQLite) as ISO 8601 with its offset."""
    return as_utc(moment).isoformat() if moment else None


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _row(**fields: Any) -> dict[str, Any]:
    return {key: _value(value) for key, value in fields.items()}


class PersonalData:
    """Reads, never writes: one method per section of the export."""

    def __init__(self, session: AsyncSession):
        self._session = session

    async def _all(self, query: Select[Any]) -> list[Any]:
        return list(await self._session.scalars(query))

    async def export(self, user: User) -> dict[str, Any]:
        return {
            "memberships": await self.memberships(user),
            "community_applications": await self.community_applications(user),
            "materials": await self.materials(user),
            "material_ratings": await self.material_ratings(user),
            "material_downloads": await self.material_downloads(user),
            "expertise_requests": await self.expertise_requests(user),
            "expert_reviews_given": await self.expert_reviews_given(user),
            "threads_started": await self.threads_started(user),
            "thread_posts": await self.thread_posts(user),
            "thread_follows": await self.thread_follows(user),
            "reports_made": await self.reports_made(user),
            "sanctions": await self.sanctions(user),
            "appeals": await self.appeals(user),
            "conduct_checks": await self.conduct_checks(user),
            "group_messages_kept": await self.group_messages(user),
            "group_activity": await self.group_activity(user),
            "events_organised": await self.events_organised(user),
            "event_rsvps": await self.event_rsvps(user),
            "report_deadlines_created": await self.deadlines_created(user),
            "report_submissions": await self.report_submissions(user),
            "surveys_created": await self.surveys_created(user),
            "survey_participation": await self.survey_participation(user),
            "conduct_code_versions_written": await self.conduct_versions(user),
            "review_decisions": await self.review_decisions(user),
            "messages_sent_to_you": await self.deliveries(user),
            "audit_log_about_you": await self.audit_about(user),
            "audit_log_your_actions": await self.audit_actions(user),
        }

    async def memberships(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Membership).where(Membership.user_id == user.id).order_by(Membership.id)
        )
        return [
            _row(
                community=m.community.title,
                role=m.role,
                status=m.status,
                since=m.created_at,
                decided_at=m.decided_at,
                new_materials_subscription=m.notify_materials,
            )
            for m in rows
        ]

    async def community_applications(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Community).where(Community.created_by_id == user.id).order_by(Community.id)
        )
        return [
            _row(
                title=c.title,
                area=c.area,
                description=c.description,
                problem=c.problem,
                expected_result=c.expected_result,
                term=c.term,
                initial_participants=c.initial_participants,
                status=c.status,
                applied_at=c.created_at,
                decided_at=c.decided_at,
            )
            for c in rows
        ]

    async def materials(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Material).where(Material.author_id == user.id).order_by(Material.id)
        )
        return [
            _row(
                id=m.id,
                title=m.title,
                description=m.description,
                kind=m.kind,
                status=m.status,
                community=m.community.title if m.community else None,
                grades=list(m.grades or []),
                tags=list(m.tags or []),
                file_name=m.file_name,
                url=m.url,
                body=m.body,
                created_at=m.created_at,
                published_at=m.published_at,
            )
            for m in rows
        ]

    async def material_ratings(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(MaterialRating, Material.title)
            .join(Material, Material.id == MaterialRating.material_id)
            .where(MaterialRating.user_id == user.id)
            .order_by(MaterialRating.id)
        )
        return [_row(material=title, useful=r.useful, at=r.at) for r, title in rows]

    async def material_downloads(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(MaterialDownload, Material.title)
            .join(Material, Material.id == MaterialDownload.material_id)
            .where(MaterialDownload.user_id == user.id)
            .order_by(MaterialDownload.id)
        )
        return [_row(material=title, at=d.at) for d, title in rows]

    async def expertise_requests(self, user: User) -> list[dict[str, Any]]:
        """Expertise the person asked for on their own materials, and its verdict."""
        rows = await self._session.execute(
            select(ExpertReview, Material.title)
            .join(Material, Material.id == ExpertReview.material_id)
            .where(Material.author_id == user.id)
            .order_by(ExpertReview.id)
        )
        return [
            _row(
                material=title,
                requested_at=r.requested_at,
                verdict=r.verdict,
                comment=r.comment,
                decided_at=r.decided_at,
            )
            for r, title in rows
        ]

    async def expert_reviews_given(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(ExpertReview, Material.title)
            .join(Material, Material.id == ExpertReview.material_id)
            .where(ExpertReview.expert_id == user.id)
            .order_by(ExpertReview.id)
        )
        return [
            _row(material=title, verdict=r.verdict, comment=r.comment, decided_at=r.decided_at)
            for r, title in rows
        ]

    async def threads_started(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Thread).where(Thread.author_id == user.id).order_by(Thread.id)
        )
        return [
            _row(
                id=t.id,
                community=t.community.title,
                title=t.title,
                status=t.status,
                created_at=t.created_at,
            )
            for t in rows
        ]

    async def thread_posts(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(Post, Thread.title)
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.author_id == user.id)
            .order_by(Post.id)
        )
        return [
            _row(
                thread=title,
                body=p.body,
                file_name=p.file_name,
                status=p.status,
                created_at=p.created_at,
                edited_at=p.edited_at,
                removed_reason=p.removed_reason,
            )
            for p, title in rows
        ]

    async def thread_follows(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(ThreadFollow, Thread.title)
            .join(Thread, Thread.id == ThreadFollow.thread_id)
            .where(ThreadFollow.user_id == user.id)
            .order_by(ThreadFollow.id)
        )
        return [_row(thread=title, since=f.created_at) for f, title in rows]

    async def reports_made(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(Report, ReviewItem)
            .join(ReviewItem, ReviewItem.id == Report.review_item_id)
            .where(Report.reporter_id == user.id)
            .order_by(Report.id)
        )
        return [
            _row(
                about=item.object_type,
                object_id=item.object_id,
                reason=r.reason,
                created_at=r.created_at,
                outcome=item.status,
            )
            for r, item in rows
        ]

    async def sanctions(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Sanction).where(Sanction.user_id == user.id).order_by(Sanction.id)
        )
        return [
            _row(
                id=s.id,
                community=s.community.title,
                kind=s.kind,
                reason=s.reason,
                clause=s.clause,
                rule=s.rule,
                automatic=s.issued_by_id is None,
                created_at=s.created_at,
                expires_at=s.expires_at,
                lifted_at=s.lifted_at,
                lift_reason=s.lift_reason,
            )
            for s in rows
        ]

    async def appeals(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Appeal)
            .join(Sanction, Sanction.id == Appeal.sanction_id)
            .where(Sanction.user_id == user.id)
            .order_by(Appeal.id)
        )
        return [_row(sanction=a.sanction_id, text=a.text, created_at=a.created_at) for a in rows]

    async def conduct_checks(self, user: User) -> list[dict[str, Any]]:
        """The conduct code's hits on the person's texts (the texts themselves are not kept)."""
        rows = await self._all(
            select(ConductHit).where(ConductHit.user_id == user.id).order_by(ConductHit.id)
        )
        return [
            _row(at=h.at, rule=h.rule, category=h.category, action=h.action, source=h.source)
            for h in rows
        ]

    async def group_messages(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(GroupMessage).where(GroupMessage.user_id == user.id).order_by(GroupMessage.id)
        )
        return [_row(text=m.text, created_at=m.created_at, deleted=m.deleted) for m in rows]

    async def group_activity(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(GroupMember, Community.title)
            .join(Community, Community.id == GroupMember.community_id)
            .where(GroupMember.user_id == user.id)
            .order_by(GroupMember.id)
        )
        return [
            _row(community=title, messages=g.messages, first_seen_at=g.first_seen_at)
            for g, title in rows
        ]

    async def events_organised(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(select(Event).where(Event.creator_id == user.id).order_by(Event.id))
        return [
            _row(title=e.title, kind=e.kind, starts_at=e.starts_at, status=e.status) for e in rows
        ]

    async def event_rsvps(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(EventRsvp, Event)
            .join(Event, Event.id == EventRsvp.event_id)
            .where(EventRsvp.user_id == user.id)
            .order_by(EventRsvp.id)
        )
        return [
            _row(event=e.title, starts_at=e.starts_at, answer=r.status, updated_at=r.updated_at)
            for r, e in rows
        ]

    async def deadlines_created(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(ReportDeadline)
            .where(ReportDeadline.creator_id == user.id)
            .order_by(ReportDeadline.id)
        )
        return [_row(title=d.title, due_on=d.due_on, created_at=d.created_at) for d in rows]

    async def report_submissions(self, user: User) -> list[dict[str, Any]]:
        rows = await self._session.execute(
            select(ReportSubmission, ReportDeadline.title)
            .join(ReportDeadline, ReportDeadline.id == ReportSubmission.deadline_id)
            .where(ReportSubmission.user_id == user.id)
            .order_by(ReportSubmission.id)
        )
        return [_row(deadline=title, submitted_at=s.submitted_at) for s, title in rows]

    async def surveys_created(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Survey).where(Survey.creator_id == user.id).order_by(Survey.id)
        )
        return [_row(title=s.title, status=s.status, created_at=s.created_at) for s in rows]

    async def survey_participation(self, user: User) -> list[dict[str, Any]]:
        """Whether the person was invited and answered: never the answers, finished or not."""
        rows = (
            await self._session.execute(
                select(SurveyParticipant, Survey.title)
                .join(Survey, Survey.id == SurveyParticipant.survey_id)
                .where(SurveyParticipant.user_id == user.id)
                .order_by(SurveyParticipant.id)
            )
        ).all()
        unfinished = set(
            await self._session.scalars(
                select(SurveyProgress.survey_id).where(SurveyProgress.user_id == user.id)
            )
        )
        groups = dict(
            (
                await self._session.execute(
                    select(Community.id, Community.title).where(
                        Community.id.in_({p.group_id for p, _ in rows if p.group_id})
                    )
                )
            ).all()
        )
        return [
            _row(
                survey=title,
                invited=True,
                answered=p.answered,
                # the answer reached the results (in a batch), or waits sealed for one
                answer_released=p.released,
                answer_counted_in=groups.get(p.group_id) if p.group_id else None,
                answer_in_progress=p.survey_id in unfinished,
                reminders_sent=p.reminders_sent,
            )
            for p, title in rows
        ]

    async def conduct_versions(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(ConductVersion)
            .where(ConductVersion.author_id == user.id)
            .order_by(ConductVersion.id)
        )
        return [_row(version=v.version, note=v.note, created_at=v.created_at) for v in rows]

    async def review_decisions(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(ReviewItem)
            .where(or_(ReviewItem.decided_by_id == user.id, ReviewItem.claimed_by_id == user.id))
            .order_by(ReviewItem.id)
        )
        return [
            _row(
                about=i.object_type,
                object_id=i.object_id,
                status=i.status,
                decided_by_you=i.decided_by_id == user.id,
                decided_at=i.decided_at,
                reason=i.reason,
            )
            for i in rows
        ]

    async def deliveries(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(Delivery).where(Delivery.user_id == user.id).order_by(Delivery.id)
        )
        return [
            _row(text=d.text, state=d.state, created_at=d.created_at, sent_at=d.sent_at)
            for d in rows
        ]

    async def audit_about(self, user: User) -> list[dict[str, Any]]:
        """Entries whose object is the person, or that name them (a sanction, a role); who
        acted is not given away, only whether it was the person themselves."""
        rows = await self._all(
            select(AuditEntry)
            .where(
                or_(
                    (AuditEntry.object_type == "user") & (AuditEntry.object_id == user.id),
                    AuditEntry.details["user"].as_integer() == user.id,
                    AuditEntry.details["user_id"].as_integer() == user.id,
                )
            )
            .order_by(AuditEntry.id)
        )
        return [
            _row(
                at=e.at,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                by_you=e.actor_id == user.id,
                details=dict(e.details or {}),
            )
            for e in rows
        ]

    async def audit_actions(self, user: User) -> list[dict[str, Any]]:
        rows = await self._all(
            select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id)
        )
        return [
            _row(
                at=e.at,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                details=dict(e.details or {}),
            )
            for e in rows
        ]
