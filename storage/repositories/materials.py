"""Materials: drafts, submission, the review queue's decisions, publication, search."""

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import policy
from storage import search as text_search
from storage.clock import Clock
from storage.db import rowcount, upsert
from storage.enums import (
    CommunityRole,
    ExpertVerdict,
    MaterialKind,
    MaterialStatus,
    MembershipStatus,
    ReviewSource,
    ReviewStatus,
)
from storage.errors import AlreadyDecided, InvalidState, NotFound, PermissionDenied
from storage.limits import TAG, TAGS_MAX
from storage.models import (
    Community,
    ExpertReview,
    Material,
    MaterialDownload,
    MaterialRating,
    MaterialViews,
    Membership,
    Report,
    ReviewItem,
    User,
)
from storage.repositories.audit import AuditRepo
from storage.repositories.conduct import ConductRepo
from storage.repositories.review import ReviewRepo

MATERIAL = "material"
# What the share dialog fills in; everything else on a material is the pipeline's.
DRAFT_FIELDS = frozenset(
    {
        "community",
        "community_id",
        "kind",
        "title",
        "description",
        "grades",
        "tags",
        "content_type",
        "file_id",
        "file_unique_id",
        "file_name",
        "file_size",
        "mime_type",
        "url",
        "body",
    }
)


def parse_tags(raw: str) -> list[str]:
    tags = []
    for part in re.split(r"[,;#\n]", raw):
        tag = " ".join(part.split()).strip().lower()
        if tag and tag not in tags:
            tags.append(tag[: TAG.high])
    return tags[:TAGS_MAX]


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    CHANGES = "changes"


class Submitted(StrEnum):
    PUBLISHED = "published"
    QUEUED = "queued"


@dataclass(frozen=True, slots=True)
class ContentCheck:
    """What the conduct code said about a text, in the form the pipeline needs.

    The conduct-code engine fills this in; until it runs, ``ContentCheck()`` means
    "nothing found".
    """

    blocked: bool = False
    needs_review: bool = False
    hits: tuple[dict[str, Any], ...] = ()
    clauses: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Listed:
    """A material as a list of results shows it."""

    id: int
    title: str
    kind: MaterialKind | None
    grades: list[int]
    community_title: str | None


@dataclass(frozen=True, slots=True)
class SearchFilters:
    community_id: int | None = None
    kind: str | None = None
    grade: int | None = None


def conduct_text(material: Material) -> str:
    """Everything the author wrote, as the conduct code and the learned filter read it."""
    parts = [material.title, material.description, " ".join(material.tags), material.body]
    parts += [material.file_name or "", material.url or ""]
    return "\n".join(part for part in parts if part)


class MaterialRepo:
    def __init__(
        self,
        session: AsyncSession,
        clock: Clock,
        audit: AuditRepo,
        conduct: ConductRepo,
        review: ReviewRepo,
    ):
        self._session = session
        self._clock = clock
        self._audit = audit
        self._conduct = conduct
        self._review = review
        self._index = text_search.SearchIndex(session)

    # --- drafts ------------------------------------------------------------------------

    async def get(self, material_id: int) -> Material | None:
        return await self._session.get(Material, material_id)

    async def require(self, material_id: int) -> Material:
        material = await self.get(material_id)
        if material is None:
            raise NotFound("error-material-not-found")
        return material

    async def require_published(self, material_id: int) -> Material:
        material = await self.get(material_id)
        if material is None or material.status is not MaterialStatus.PUBLISHED:
            raise NotFound("error-material-not-found")
        return material

    async def draft_of(self, author: User) -> Material | None:
        return await self._session.scalar(
            select(Material)
            .where(Material.author_id == author.id, Material.status == MaterialStatus.DRAFT)
            .order_by(Material.id.desc())
            .limit(1)
        )

    async def start_draft(self, author: User) -> Material:
        """A new draft, or the one the author left unfinished."""
        draft = await self.draft_of(author)
        if draft is not None:
            return draft
        now = self._clock()
        draft = Material(
            author_id=author.id,
            status=MaterialStatus.DRAFT,
            grades=[],
            tags=[],
            created_at=now,
            updated_at=now,
        )
        self._session.add(draft)
        await self._session.flush()
        await self._session.refresh(draft, ["author", "community"])
        return draft

    async def discard_draft(self, author: User) -> None:
        draft = await self.draft_of(author)
        if draft is not None:
            await self._session.delete(draft)
            await self._session.flush()

    async def changes_reason(self, material_id: int) -> str | None:
        """The moderator's reason, while the material's latest review sent it back."""
        item = await self._session.scalar(
            select(ReviewItem)
            .where(ReviewItem.object_type == MATERIAL, ReviewItem.object_id == material_id)
            .order_by(ReviewItem.id.desc())
            .limit(1)
        )
        if item is None or item.status is not ReviewStatus.CHANGES_REQUESTED:
            return None
        return item.reason

    async def touch(self, material: Material) -> None:
        material.updated_at = self._clock()
        await self._session.flush()

    async def update_draft(self, draft: Material, **fields: object) -> None:
        """What the author answered in the share dialog, written at once, so leaving the
        dialog loses nothing."""
        unknown = set(fields) - DRAFT_FIELDS
        if unknown:
            raise ValueError(f"not a draft field: {sorted(unknown)}")
        if draft.status is not MaterialStatus.DRAFT:
            raise InvalidState("error-stale-button")
        for name, value in fields.items():
            setattr(draft, name, value)
        await self.touch(draft)

    # --- submission ----------------------------------------------------------------------

    async def approved_count(self, author: User) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(Material)
                .where(Material.author_id == author.id, Material.status == MaterialStatus.PUBLISHED)
            )
            or 0
        )

    async def is_trusted(self, author: User, community_id: int, trusted_after: int) -> bool:
        """Experts of the community and authors with enough approved materials."""
        role = await self._session.scalar(
            select(Membership.role).where(
                Membership.user_id == author.id,
                Membership.community_id == community_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        if role in (CommunityRole.EXPERT, CommunityRole.MODERATOR):
            return True
        return await self.approved_count(author) >= trusted_after

    async def submit(
        self,
        material: Material,
        check: ContentCheck,
        *,
        trusted_after: int,
        source: ReviewSource = ReviewSource.PREMODERATION,
    ) -> tuple[Submitted, ReviewItem | None]:
        """The one path from a finished draft (or an edit) to the community.

        The conduct-code verdict plugs in here: a blocked text never gets this far
        (the caller refuses it with the clause); a text the engine wants reviewed goes
        to the queue even from a trusted author.
        """
        if check.blocked:
            raise InvalidState("material-blocked", clauses=", ".join(check.clauses))
        if material.community_id is None or not material.title or material.kind is None:
            raise InvalidState("material-incomplete")
        now = self._clock()
        material.submitted_at = now
        material.updated_at = now
        trusted = await self.is_trusted(material.author, material.community_id, trusted_after)
        if trusted and not check.needs_review and source is not ReviewSource.EDIT:
            await self._publish(material)
            await self._audit.record(material.author, "material.publish", MATERIAL, material.id)
            return Submitted.PUBLISHED, None
        material.status = MaterialStatus.PENDING
        await self._index.remove(material.id)
        item = await self._open_review(
            material, ReviewSource.AUTO_FLAG if check.needs_review else source, check.hits
        )
        await self._audit.record(
            material.author, "material.submit", MATERIAL, material.id, review_item=item.id
        )
        return Submitted.QUEUED, item

    async def _open_review(
        self, material: Material, source: ReviewSource, hits: tuple[dict[str, Any], ...]
    ) -> ReviewItem:
        await self._session.execute(
            update(ReviewItem)
            .where(
                ReviewItem.object_type == MATERIAL,
                ReviewItem.object_id == material.id,
                ReviewItem.status == ReviewStatus.OPEN,
            )
            .values(status=ReviewStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )
        item = ReviewItem(
            community_id=material.community_id,
            object_type=MATERIAL,
            object_id=material.id,
            source=source,
            status=ReviewStatus.OPEN,
            priority=1 if source is ReviewSource.AUTO_FLAG else 0,
            hits=list(hits),
            created_at=self._clock(),
        )
        self._session.add(item)
        await self._session.flush()
        return item

    async def _publish(self, material: Material) -> None:
        material.status = MaterialStatus.PUBLISHED
        material.published_at = material.published_at or self._clock()
        await self._session.flush()
        await self._index.put(
            material.id,
            text_search.document(
                title=material.title,
                description=material.description,
                tags=material.tags,
                file_name=material.file_name,
                body=material.body,
                community_id=material.community_id,
                kind=material.kind.value if material.kind else None,
                grades=material.grades,
                recommended=material.expert_verdict is ExpertVerdict.RECOMMENDED,
            ),
        )

    # --- review decisions --------------------------------------------------------------

    async def review_item(self, item_id: int) -> ReviewItem | None:
        return await self._session.get(ReviewItem, item_id)

    async def can_review(self, actor: User, community_id: int | None) -> bool:
        if community_id is None:
            return policy.is_admin(actor)
        membership = await self._session.scalar(
            select(Membership).where(
                Membership.user_id == actor.id, Membership.community_id == community_id
            )
        )
        return policy.can_moderate(actor, membership)

    async def decide(
        self, item_id: int, actor: User, decision: Decision, reason: str = ""
    ) -> tuple[ReviewItem, Material]:
        """The first decision wins; a later one raises AlreadyDecided naming the first."""
        item = await self.review_item(item_id)
        if item is None or item.object_type != MATERIAL:
            raise NotFound()
        if not await self.can_review(actor, item.community_id):
            raise PermissionDenied()
        status = {
            Decision.APPROVE: ReviewStatus.APPROVED,
            Decision.REJECT: ReviewStatus.REJECTED,
            Decision.CHANGES: ReviewStatus.CHANGES_REQUESTED,
        }[decision]
        await self._review.close(item, actor, status, reason)
        material = await self.get(item.object_id)
        if material is None:
            raise NotFound("error-material-not-found")
        if decision is not Decision.CHANGES and material.community_id is not None:
            # Moderators' decisions teach the community's filter what they let through.
            await self._conduct.learn(
                material.community_id, conduct_text(material), spam=decision is Decision.REJECT
            )
        if decision is Decision.APPROVE:
            await self._publish(material)
        else:
            # A report can take down a published material: it leaves the index too.
            await self._index.remove(material.id)
            material.status = (
                MaterialStatus.REJECTED
                if decision is Decision.REJECT
                else MaterialStatus.CHANGES_REQUESTED
            )
        material.updated_at = self._clock()
        await self._session.flush()
        await self._audit.record(
            actor,
            f"material.{decision.value}",
            MATERIAL,
            material.id,
            review_item=item.id,
            reason=reason,
        )
        return item, material

    async def fix_before_decision(self, item_id: int, actor: User, **fields: object) -> Material:
        """A moderator corrects title, kind, grades or tags without a rejection round."""
        item = await self.review_item(item_id)
        if item is None or item.object_type != MATERIAL:
            raise NotFound()
        if not await self.can_review(actor, item.community_id):
            raise PermissionDenied()
        if item.status is not ReviewStatus.OPEN:
            raise InvalidState("review-already-closed")
        material = await self.get(item.object_id)
        if material is None:
            raise NotFound()
        allowed = {"title", "kind", "grades", "tags"}
        for name, value in fields.items():
            if name not in allowed:
                raise ValueError(name)
            setattr(material, name, value)
        material.updated_at = self._clock()
        await self._session.flush()
        await self._audit.record(
            actor, "material.fix", MATERIAL, material.id, fields=sorted(fields)
        )
        return material

    async def report(
        self, material_id: int, reporter: User, reason: str
    ) -> tuple[ReviewItem, bool]:
        """A member reports a published material. Reports of one item share one queue entry,
        and each new reporter raises its priority. Returns the item and whether it is new."""
        material = await self.require_published(material_id)
        if material.author_id == reporter.id:
            raise InvalidState("report-own-material")
        item, created = await self._review.file_report(
            object_type=MATERIAL,
            object_id=material_id,
            community_id=material.community_id,
            reporter=reporter,
            reason=reason,
            already_key="report-already-sent",
        )
        await self._audit.record(reporter, "material.report", MATERIAL, material_id, reason=reason)
        return item, created

    async def report_reasons(self, item_id: int) -> list[str]:
        rows = await self._session.scalars(
            select(Report.reason).where(Report.review_item_id == item_id).order_by(Report.id)
        )
        return list(rows)

    async def open_queue(self, community_ids: list[int], *, limit: int = 50) -> list[ReviewItem]:
        rows = await self._session.scalars(
            select(ReviewItem)
            .where(
                ReviewItem.status == ReviewStatus.OPEN, ReviewItem.community_id.in_(community_ids)
            )
            .order_by(ReviewItem.priority.desc(), ReviewItem.created_at, ReviewItem.id)
            .limit(limit)
        )
        return list(rows)

    # --- the author's side -------------------------------------------------------------

    async def withdraw(self, material_id: int, actor: User) -> Material:
        material = await self.get(material_id)
        if material is None:
            raise NotFound("error-material-not-found")
        if material.author_id != actor.id:
            raise PermissionDenied()
        if material.status in (MaterialStatus.WITHDRAWN, MaterialStatus.DRAFT):
            raise InvalidState("material-not-withdrawable")
        material.status = MaterialStatus.WITHDRAWN
        material.updated_at = self._clock()
        await self._index.remove(material.id)
        await self._session.execute(
            update(ReviewItem)
            .where(
                ReviewItem.object_type == MATERIAL,
                ReviewItem.object_id == material.id,
                ReviewItem.status == ReviewStatus.OPEN,
            )
            .values(status=ReviewStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )
        await self._session.flush()
        await self._audit.record(actor, "material.withdraw", MATERIAL, material.id)
        return material

    async def reopen(self, material_id: int, actor: User) -> Material:
        """The author edits a published material or one a moderator sent back.

        It becomes the author's draft again (and leaves the index until approved)."""
        material = await self.get(material_id)
        if material is None:
            raise NotFound("error-material-not-found")
        if material.author_id != actor.id:
            raise PermissionDenied()
        if material.status not in (MaterialStatus.PUBLISHED, MaterialStatus.CHANGES_REQUESTED):
            raise InvalidState("material-not-editable")
        other = await self.draft_of(actor)
        if other is not None and other.id != material.id:
            raise InvalidState("material-draft-in-progress")
        material.status = MaterialStatus.DRAFT
        material.updated_at = self._clock()
        await self._index.remove(material.id)
        await self._session.flush()
        return material

    # --- expertise (seeds 000 §3.1, 001 §3.6) ----------------------------------------------

    async def request_expertise(self, material_id: int, author: User) -> ExpertReview:
        material = await self.require_published(material_id)
        if material.author_id != author.id:
            raise PermissionDenied()
        pending = await self._session.scalar(
            select(ExpertReview).where(
                ExpertReview.material_id == material_id, ExpertReview.decided_at.is_(None)
            )
        )
        if pending is not None:
            raise InvalidState("expertise-already-requested")
        review = ExpertReview(material_id=material_id, requested_at=self._clock(), comment="")
        self._session.add(review)
        await self._session.flush()
        await self._audit.record(author, "material.expertise_request", MATERIAL, material_id)
        return review

    async def experts_of(self, community_id: int) -> list[User]:
        rows = await self._session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == community_id,
                Membership.role == CommunityRole.EXPERT,
                Membership.status == MembershipStatus.ACTIVE,
            )
            .order_by(User.id)
        )
        return list(rows)

    async def require_expert(self, review_id: int, expert: User) -> tuple[ExpertReview, Material]:
        """Only an expert of the material's community (or an admin), never its author."""
        review = await self._session.get(ExpertReview, review_id)
        if review is None:
            raise NotFound()
        material = await self.get(review.material_id)
        if material is None or material.community_id is None:
            raise NotFound("error-material-not-found")
        role = await self._session.scalar(
            select(Membership.role).where(
                Membership.user_id == expert.id,
                Membership.community_id == material.community_id,
                Membership.status == MembershipStatus.ACTIVE,
            )
        )
        if role is not CommunityRole.EXPERT and not policy.is_admin(expert):
            raise PermissionDenied()
        if expert.id == material.author_id:
            raise InvalidState("expertise-own-material")
        return review, material

    async def give_verdict(
        self, review_id: int, expert: User, verdict: ExpertVerdict, comment: str
    ) -> tuple[ExpertReview, Material]:
        """An expert of the material's community decides; the first verdict stands."""
        review, material = await self.require_expert(review_id, expert)
        result = await self._session.execute(
            update(ExpertReview)
            .where(ExpertReview.id == review_id, ExpertReview.decided_at.is_(None))
            .values(expert_id=expert.id, verdict=verdict, comment=comment, decided_at=self._clock())
            .execution_options(synchronize_session=False)
        )
        await self._session.refresh(review)
        if rowcount(result) == 0:
            decider = await self._session.get(User, review.expert_id) if review.expert_id else None
            raise AlreadyDecided(
                decided_by=(decider.full_name or "") if decider else "—",
                outcome=f"expert-{review.verdict.value}" if review.verdict else "unknown",
            )
        material.expert_verdict = verdict
        if material.status is MaterialStatus.PUBLISHED:
            await self._publish(material)  # re-index: recommended materials rank higher
        await self._session.flush()
        await self._audit.record(
            expert, "material.expertise", MATERIAL, material.id, verdict=verdict.value
        )
        return review, material

    async def latest_review(self, material_id: int) -> ExpertReview | None:
        return await self._session.scalar(
            select(ExpertReview)
            .where(ExpertReview.material_id == material_id, ExpertReview.decided_at.is_not(None))
            .order_by(ExpertReview.decided_at.desc())
            .limit(1)
        )

    async def of_author(self, author: User) -> list[Material]:
        rows = await self._session.scalars(
            select(Material)
            .where(Material.author_id == author.id, Material.status != MaterialStatus.DRAFT)
            .order_by(Material.created_at.desc(), Material.id.desc())
        )
        return list(rows)

    # --- readers -------------------------------------------------------------------------

    async def search(self, raw_query: str, filters: SearchFilters = SearchFilters()) -> list[int]:
        facets = text_search.facet_tokens(
            community_id=filters.community_id,
            kind=filters.kind,
            grades=[filters.grade] if filters.grade is not None else [],
        )
        query = text_search.parse_query(raw_query)
        if query.empty:
            return await self._latest(filters)
        return await self._index.search(query, facets)

    async def _latest(
        self, filters: SearchFilters, limit: int = text_search.CANDIDATE_WINDOW
    ) -> list[int]:
        query = select(Material.id, Material.grades).where(
            Material.status == MaterialStatus.PUBLISHED
        )
        if filters.community_id is not None:
            query = query.where(Material.community_id == filters.community_id)
        if filters.kind:
            query = query.where(Material.kind == filters.kind)
        rows = (
            await self._session.execute(query.order_by(Material.id.desc()).limit(limit * 4))
        ).all()
        ids = [i for i, grades in rows if filters.grade is None or filters.grade in (grades or [])]
        return ids[:limit]

    async def by_ids(self, ids: list[int]) -> list[Material]:
        """In the order of ``ids``."""
        if not ids:
            return []
        query = select(Material).where(Material.id.in_(ids))
        found = {m.id: m for m in await self._session.scalars(query)}
        return [found[i] for i in ids if i in found]

    async def listed(self, ids: list[int]) -> list[Listed]:
        """What a list of results prints of each material, in the order of ``ids``: only
        those columns, not whole materials with their authors and bodies."""
        if not ids:
            return []
        rows = await self._session.execute(
            select(Material.id, Material.title, Material.kind, Material.grades, Community.title)
            .outerjoin(Community, Community.id == Material.community_id)
            .where(Material.id.in_(ids))
        )
        found = {row[0]: Listed(*row) for row in rows}
        return [found[i] for i in ids if i in found]

    async def record_view(self, material: Material) -> None:
        """The card's counter, and the opening counted in its hour for the reports."""
        material.views += 1
        await self._session.flush()
        hour = self._clock().replace(minute=0, second=0, microsecond=0)
        await self._session.execute(
            upsert(self._session, MaterialViews)
            .values(material_id=material.id, hour=hour, views=1)
            .on_conflict_do_update(
                index_elements=[MaterialViews.material_id, MaterialViews.hour],
                set_={"views": MaterialViews.views + 1},
            )
        )

    async def record_download(self, material: Material, user: User) -> None:
        material.downloads += 1
        self._session.add(
            MaterialDownload(material_id=material.id, user_id=user.id, at=self._clock())
        )
        await self._session.flush()

    async def rate(self, material: Material, user: User, useful: bool) -> None:
        """One vote per person; voting again changes the vote."""
        rating = await self._session.scalar(
            select(MaterialRating).where(
                MaterialRating.material_id == material.id, MaterialRating.user_id == user.id
            )
        )
        if rating is None:
            self._session.add(
                MaterialRating(
                    material_id=material.id, user_id=user.id, useful=useful, at=self._clock()
                )
            )
        elif rating.useful != useful:
            rating.useful = useful
            rating.at = self._clock()
        await self._session.flush()
        counts = (
            await self._session.execute(
                select(MaterialRating.useful, func.count())
                .where(MaterialRating.material_id == material.id)
                .group_by(MaterialRating.useful)
            )
        ).all()
        by_value = dict(counts)
        material.useful = by_value.get(True, 0)
        material.not_useful = by_value.get(False, 0)
        await self._session.flush()
