"""The conduct code's data: rule versions, hit counts, learned models, sanctions."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from moderation.engine import Verdict
from moderation.learning import Model, features
from moderation.sanctions import Ladder, Step
from storage.clock import Clock
from storage.db import upsert
from storage.enums import SanctionKind
from storage.models import (
    ClassifierStats,
    ClassifierWord,
    Community,
    ConductHit,
    ConductVersion,
    GroupMember,
    Sanction,
    User,
)
from storage.repositories.audit import AuditRepo

logger = logging.getLogger(__name__)
SANCTION = "sanction"
LADDER_STEP = timedelta(seconds=5)  # a warning and the step it brings are written together


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    dry_run: bool
    hits: int


class ConductRepo:
    def __init__(self, session: AsyncSession, clock: Clock, audit: AuditRepo):
        self._session = session
        self._clock = clock
        self._audit = audit

    # --- rule versions ------------------------------------------------------------------

    async def latest_version(self) -> ConductVersion | None:
        return await self._session.scalar(
            select(ConductVersion).order_by(ConductVersion.id.desc()).limit(1)
        )

    async def latest_version_id(self) -> int | None:
        return await self._session.scalar(select(func.max(ConductVersion.id)))

    async def save_version(self, text: str, version: int, author: User, note: str) -> None:
        row = ConductVersion(
            version=version, text=text, author_id=author.id, note=note, created_at=self._clock()
        )
        self._session.add(row)
        await self._session.flush()
        await self._audit.record(author, "conduct.edit", "conduct", row.id, note=note)

    # --- hits --------------------------------------------------------------------------

    async def record_hits(
        self, verdict: Verdict, source: str, community_id: int | None, user: User | None
    ) -> None:
        """Per-rule counts for admins; dry-run hits are logged so a rule can be judged."""
        now = self._clock()
        for hit in verdict.hits + verdict.dry_run_hits:
            if hit.dry_run:
                logger.info("dry-run rule %s would %s (%s)", hit.rule, hit.action, source)
            self._session.add(
                ConductHit(
                    at=now,
                    rule=hit.rule,
                    category=hit.category.value,
                    action=hit.action.value,
                    dry_run=hit.dry_run,
                    source=source,
                    community_id=community_id,
                    user_id=user.id if user else None,
                )
            )
        await self._session.flush()

    async def hit_counts(self, since: datetime) -> list[RuleCount]:
        rows = await self._session.execute(
            select(ConductHit.rule, ConductHit.dry_run, func.count())
            .where(ConductHit.at >= since)
            .group_by(ConductHit.rule, ConductHit.dry_run)
            .order_by(func.count().desc(), ConductHit.rule)
        )
        return [RuleCount(rule, dry_run, count) for rule, dry_run, count in rows]

    # --- the learning layer ---------------------------------------------------------------

    async def model(self, community_id: int, stems: list[str]) -> Model:
        """The community's model, with counts for just the words that matter now."""
        stats = await self._session.get(ClassifierStats, community_id)
        if stats is None or not stems:
            return Model(0, 0, {})
        rows = await self._session.execute(
            select(ClassifierWord.stem, ClassifierWord.ham, ClassifierWord.spam).where(
                ClassifierWord.community_id == community_id, ClassifierWord.stem.in_(stems)
            )
        )
        return Model(stats.ham_docs, stats.spam_docs, {s: (h, p) for s, h, p in rows})

    async def spam_probability(self, community_id: int, text: str, min_docs: int) -> float:
        stems = features(text)
        model = await self.model(community_id, stems)
        return model.spam_probability(stems) if model.ready(min_docs) else 0.0

    async def learn(self, community_id: int, text: str, *, spam: bool) -> None:
        """A moderator's decision teaches the community's model."""
        stems = [stem for stem in features(text) if len(stem) <= 64]
        stats = await self._session.get(ClassifierStats, community_id)
        if stats is None:
            stats = ClassifierStats(community_id=community_id, ham_docs=0, spam_docs=0)
            self._session.add(stats)
        if spam:
            stats.spam_docs += 1
        else:
            stats.ham_docs += 1
        existing = {
            row.stem: row
            for row in await self._session.scalars(
                select(ClassifierWord).where(
                    ClassifierWord.community_id == community_id, ClassifierWord.stem.in_(stems)
                )
            )
        }
        for stem in stems:
            row = existing.get(stem)
            if row is None:
                row = ClassifierWord(community_id=community_id, stem=stem, ham=0, spam=0)
                self._session.add(row)
            if spam:
                row.spam += 1
            else:
                row.ham += 1
        await self._session.flush()

    async def forget(self, community_id: int, actor: User) -> None:
        """Reset a community's model: it starts learning again from nothing."""
        await self._session.execute(
            delete(ClassifierWord).where(ClassifierWord.community_id == community_id)
        )
        await self._session.execute(
            delete(ClassifierStats).where(ClassifierStats.community_id == community_id)
        )
        await self._audit.record(actor, "classifier.reset", "community", community_id)

    # --- members in groups and their sanctions ---------------------------------------------

    async def count_group_message(self, community_id: int, user: User) -> int:
        """How many messages the member has written in the group, this one included. One
        statement, which also counts two first messages arriving together."""
        counted = (
            upsert(self._session, GroupMember)
            .values(
                community_id=community_id,
                user_id=user.id,
                messages=1,
                first_seen_at=self._clock(),
            )
            .on_conflict_do_update(
                index_elements=[GroupMember.community_id, GroupMember.user_id],
                set_={"messages": GroupMember.messages + 1},
            )
            .returning(GroupMember.messages)
        )
        messages: int = (await self._session.execute(counted)).scalar_one()
        return messages

    @staticmethod
    def ladder(community: Community) -> Ladder:
        return Ladder.from_settings(community.conduct_settings)

    async def set_ladder(self, community: Community, ladder: Ladder, actor: User) -> None:
        community.conduct_settings = ladder.as_settings()
        await self._session.flush()
        await self._audit.record(
            actor, "community.ladder", "community", community.id, **ladder.as_settings()
        )

    async def _count(
        self, community_id: int, user: User, kind: SanctionKind, *conditions: ColumnElement[bool]
    ) -> int:
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(Sanction)
                .where(
                    Sanction.community_id == community_id,
                    Sanction.user_id == user.id,
                    Sanction.kind == kind,
                    Sanction.lifted_at.is_(None),
                    *conditions,
                )
            )
            or 0
        )

    async def active_warnings(self, community_id: int, user: User) -> int:
        return await self._count(
            community_id, user, SanctionKind.WARNING, Sanction.expires_at > self._clock()
        )

    async def recent_mutes(self, community_id: int, user: User, ladder: Ladder) -> int:
        since = self._clock() - ladder.warning_period
        return await self._count(
            community_id, user, SanctionKind.MUTE, Sanction.created_at >= since
        )

    async def sanction(
        self,
        community: Community,
        user: User,
        kind: SanctionKind,
        *,
        reason: str,
        clause: str = "",
        rule: str | None = None,
        issued_by: User | None = None,
        until: datetime | None = None,
    ) -> Sanction:
        now = self._clock()
        ladder = self.ladder(community)
        if until is None and kind is SanctionKind.WARNING:
            until = now + ladder.warning_period
        elif until is None and kind is SanctionKind.MUTE:
            until = now + ladder.mute_period
        row = Sanction(
            community_id=community.id,
            user_id=user.id,
            kind=kind,
            reason=reason,
            clause=clause,
            rule=rule,
            issued_by_id=issued_by.id if issued_by else None,
            created_at=now,
            expires_at=until,
        )
        self._session.add(row)
        await self._session.flush()
        await self._audit.record(
            issued_by,
            f"sanction.{kind.value}",
            SANCTION,
            row.id,
            user=user.id,
            community=community.id,
            reason=reason,
            clause=clause,
            rule=rule,
            until=until.isoformat() if until else None,
        )
        return row

    async def warn_on_ladder(
        self,
        community: Community,
        user: User,
        *,
        reason: str,
        clause: str,
        rule: str | None,
        issued_by: User | None = None,
    ) -> tuple[Step, Sanction]:
        """A warning, and the mute or ban it brings when the ladder says so."""
        ladder = self.ladder(community)
        warning = await self.sanction(
            community,
            user,
            SanctionKind.WARNING,
            reason=reason,
            clause=clause,
            rule=rule,
            issued_by=issued_by,
        )
        step = ladder.after_warning(
            await self.active_warnings(community.id, user),
            await self.recent_mutes(community.id, user, ladder),
        )
        if step is Step.WARN:
            return step, warning
        kind = SanctionKind.MUTE if step is Step.MUTE else SanctionKind.BAN
        escalated = await self.sanction(
            community, user, kind, reason=reason, clause=clause, rule=rule, issued_by=issued_by
        )
        return step, escalated

    async def history(
        self, community_id: int | None, user: User, limit: int = 20
    ) -> list[Sanction]:
        query = (
            select(Sanction)
            .where(Sanction.user_id == user.id)
            .order_by(Sanction.id.desc())
            .limit(limit)
        )
        if community_id is not None:
            query = query.where(Sanction.community_id == community_id)
        return list(await self._session.scalars(query))

    async def in_force(self, community_id: int, user: User) -> list[Sanction]:
        """Mutes and bans that still hold the member back."""
        now = self._clock()
        rows = await self._session.scalars(
            select(Sanction)
            .where(
                Sanction.community_id == community_id,
                Sanction.user_id == user.id,
                Sanction.kind.in_((SanctionKind.MUTE, SanctionKind.BAN)),
                Sanction.lifted_at.is_(None),
                or_(Sanction.expires_at.is_(None), Sanction.expires_at > now),
            )
            .order_by(Sanction.id)
        )
        return list(rows)

    async def get_sanction(self, sanction_id: int) -> Sanction | None:
        return await self._session.get(Sanction, sanction_id)

    async def lift(self, sanction: Sanction, actor: User, reason: str) -> None:
        """Lifting a mute or ban the ladder brought lifts the warning that brought it too:
        a granted appeal leaves nothing behind to count toward the next step."""
        cause = await self._ladder_cause(sanction)
        for row in (sanction, cause) if cause is not None else (sanction,):
            row.lifted_at = self._clock()
            row.lifted_by_id = actor.id
            row.lift_reason = reason
            await self._session.flush()
            await self._audit.record(
                actor, "sanction.lift", SANCTION, row.id, user=row.user_id, reason=reason
            )

    async def _ladder_cause(self, sanction: Sanction) -> Sanction | None:
        """The warning issued with a mute or ban in one step of the ladder (warn_on_ladder
        writes it just before, with the same reason), if this one came so."""
        if sanction.kind is SanctionKind.WARNING:
            return None
        created = sanction.created_at
        return await self._session.scalar(
            select(Sanction)
            .where(
                Sanction.community_id == sanction.community_id,
                Sanction.user_id == sanction.user_id,
                Sanction.kind == SanctionKind.WARNING,
                Sanction.id < sanction.id,
                Sanction.reason == sanction.reason,
                Sanction.issued_by_id.is_(None)
                if sanction.issued_by_id is None
                else Sanction.issued_by_id == sanction.issued_by_id,
                Sanction.created_at >= created - LADDER_STEP,
                Sanction.created_at <= created,
                Sanction.lifted_at.is_(None),
            )
            .order_by(Sanction.id.desc())
            .limit(1)
        )

    async def communities_seen_in(self, user: User, community_ids: list[int]) -> list[Community]:
        """Communities among these whose linked group the member has written in."""
        if not community_ids:
            return []
        rows = await self._session.scalars(
            select(Community)
            .join(GroupMember, GroupMember.community_id == Community.id)
            .where(
                GroupMember.user_id == user.id,
                Community.id.in_(community_ids),
                Community.group_chat_id.is_not(None),
            )
            .order_by(Community.id)
        )
        return list(rows)
