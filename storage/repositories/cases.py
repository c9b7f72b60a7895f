"""Conduct cases in the review queue: reported or flagged group messages, and appeals.

They share the queue, the first-decision-wins rule and the audit log with materials; the
queue is one table, these are two more kinds of thing waiting in it.
"""

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.engine import Verdict
from storage import limits, policy
from storage.clock import Clock
from storage.enums import ReviewSource, ReviewStatus, SanctionKind
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.models import (
    Appeal,
    Community,
    GroupMessage,
    Membership,
    Report,
    ReviewItem,
    Sanction,
    User,
)
from storage.repositories.audit import AuditRepo
from storage.repositories.review import ReviewRepo

GROUP_MESSAGE = "group_message"
APPEAL = "appeal"
TEXT_KEPT = 2000  # a reported message is kept for the moderators, not for ever in full


class CaseRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo, review: ReviewRepo):
        self._session = session
        self._clock = clock
        self._audit = audit
        self._review = review

    # --- group messages --------------------------------------------------------------------

    async def _group_message(
        self, community: Community, chat_id: int, message_id: int, author: User, text: str
    ) -> GroupMessage:
        row = await self._session.scalar(
            select(GroupMessage).where(
                GroupMessage.chat_id == chat_id, GroupMessage.message_id == message_id
            )
        )
        if row is None:
            row = GroupMessage(
                community_id=community.id,
                chat_id=chat_id,
                message_id=message_id,
                user_id=author.id,
                text=text[:TEXT_KEPT],
                created_at=self._clock(),
            )
            self._session.add(row)
            await self._session.flush()
        return row

    async def _open_item(self, object_type: str, object_id: int) -> ReviewItem | None:
        return await self._session.scalar(
            select(ReviewItem).where(
                ReviewItem.object_type == object_type,
                ReviewItem.object_id == object_id,
                ReviewItem.status == ReviewStatus.OPEN,
            )
        )

    async def report_group_message(
        self,
        community: Community,
        chat_id: int,
        message_id: int,
        author: User,
        text: str,
        reporter: User,
        reason: str,
    ) -> tuple[ReviewItem, bool]:
        """A member's /report: one queue entry per message, each new reporter raises it."""
        if author.id == reporter.id:
            raise InvalidState("report-own-message")
        message = await self._group_message(community, chat_id, message_id, author, text)
        item, created = await self._review.file_report(
            object_type=GROUP_MESSAGE,
            object_id=message.id,
            community_id=community.id,
            reporter=reporter,
            reason=reason,
            already_key="report-message-already-sent",
        )
        await self._audit.record(
            reporter, "group_message.report", GROUP_MESSAGE, message.id, reason=reason
        )
        return item, created

    async def flag_group_message(
        self,
        community: Community,
        chat_id: int,
        message_id: int,
        author: User,
        text: str,
        verdict: Verdict,
    ) -> ReviewItem:
        """The conduct code wants a moderator's look at a message it left in the group."""
        message = await self._group_message(community, chat_id, message_id, author, text)
        item = await self._open_item(GROUP_MESSAGE, message.id)
        if item is None:
            item = ReviewItem(
                community_id=community.id,
                object_type=GROUP_MESSAGE,
                object_id=message.id,
                source=ReviewSource.AUTO_FLAG,
                status=ReviewStatus.OPEN,
                priority=1,
                hits=verdict.as_dicts(),
                created_at=self._clock(),
            )
            self._session.add(item)
            await self._session.flush()
        return item

    async def group_message(self, message_id: int) -> GroupMessage | None:
        return await self._session.get(GroupMessage, message_id)

    async def reporters(self, item_id: int) -> list[tuple[User, str]]:
        rows = await self._session.execute(
            select(User, Report.reason)
            .join(Report, Report.reporter_id == User.id)
            .where(Report.review_item_id == item_id)
            .order_by(Report.id)
        )
        return [(user, reason) for user, reason in rows]

    async def reporting_record(self, reporter: User) -> tuple[int, int]:
        """How many reports a member made, and how many moderators found unfounded:
        abusive reporting shows up on the cards of that member's reports."""
        rows = await self._session.execute(
            select(ReviewItem.status, func.count())
            .join(Report, Report.review_item_id == ReviewItem.id)
            .where(Report.reporter_id == reporter.id)
            .group_by(ReviewItem.status)
        )
        counts = dict(rows.all())
        # A report kept (approved) means the content stayed: the report was unfounded.
        return sum(counts.values()), counts.get(ReviewStatus.APPROVED, 0)

    # --- appeals ---------------------------------------------------------------------------

    async def appealable(self, sanction_id: int, user: User) -> Sanction:
        """The member's own sanction, in force and not appealed yet: else why not."""
        sanction = await self._session.get(Sanction, sanction_id)
        if sanction is None or sanction.user_id != user.id:
            raise NotFound("appeal-not-found")
        if sanction.lifted_at is not None:
            raise InvalidState("appeal-already-lifted")
        if await self._session.scalar(select(Appeal.id).where(Appeal.sanction_id == sanction.id)):
            raise InvalidState("appeal-already-sent")
        return sanction

    @staticmethod
    def appeal_text(text: str) -> str:
        """The reason as it will be kept, or why it can't be."""
        text = " ".join(text.split())
        if not limits.APPEAL.low <= len(text) <= limits.APPEAL.high:
            raise InvalidState("appeal-text-length", max=limits.APPEAL.high)
        return text

    async def appeal(self, sanction_id: int, user: User, text: str) -> ReviewItem:
        sanction = await self.appealable(sanction_id, user)
        text = self.appeal_text(text)
        appeal = Appeal(sanction_id=sanction.id, text=text, created_at=self._clock())
        self._session.add(appeal)
        await self._session.flush()
        item = ReviewItem(
            community_id=sanction.community_id,
            object_type=APPEAL,
            object_id=appeal.id,
            source=ReviewSource.APPEAL,
            status=ReviewStatus.OPEN,
            priority=2,
            hits=[],
            created_at=self._clock(),
        )
        self._session.add(item)
        await self._session.flush()
        await self._audit.record(user, "sanction.appeal", "sanction", sanction.id, appeal=appeal.id)
        return item

    async def get_appeal(self, appeal_id: int) -> Appeal | None:
        return await self._session.get(Appeal, appeal_id)

    # --- deciding ---------------------------------------------------------------------------

    async def can_decide(self, actor: User, item: ReviewItem) -> bool:
        """Moderators of the community and admins; an appeal never goes back to the one
        who imposed the sanction."""
        if item.object_type == APPEAL:
            appeal = await self.get_appeal(item.object_id)
            if appeal is not None and appeal.sanction.issued_by_id == actor.id:
                return False
        if item.community_id is None:
            return policy.is_admin(actor)
        membership = await self._session.scalar(
            select(Membership).where(
                Membership.user_id == actor.id, Membership.community_id == item.community_id
            )
        )
        return policy.can_moderate(actor, membership)

    async def decide(
        self, item_id: int, actor: User, status: ReviewStatus, reason: str = ""
    ) -> ReviewItem:
        """The first decision wins; a later one raises AlreadyDecided naming the first."""
        item = await self._session.get(ReviewItem, item_id)
        if item is None or item.object_type not in (GROUP_MESSAGE, APPEAL, "post"):
            raise NotFound()
        if not await self.can_decide(actor, item):
            raise PermissionDenied()
        await self._review.close(item, actor, status, reason)
        await self._audit.record(
            actor,
            f"{item.object_type}.{status.value}",
            item.object_type,
            item.object_id,
            review_item=item.id,
            reason=reason,
        )
        return item

    async def mark_deleted(self, message: GroupMessage) -> None:
        message.deleted = True
        await self._session.flush()

    async def sanction_of(self, appeal: Appeal) -> Sanction:
        return appeal.sanction

    @staticmethod
    def restricts(sanction: Sanction) -> bool:
        return sanction.kind in (SanctionKind.MUTE, SanctionKind.BAN)
