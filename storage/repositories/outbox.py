"""The delivery outbox: everything sent to many people is a row per (message, recipient).

The unique key makes queuing idempotent (an announcement re-queued after a restart adds
nothing); the state machine pending → sending → sent | failed | blocked | cancelled makes
sending resumable. Each row is marked "sending" in its own committed transaction just
before the Bot API call, so after a crash a row is either not yet sent (pending), known
sent (sent), or in flight at the moment of the crash (sending, at most one per lane).
"""

from collections import Counter
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.clock import Clock
from storage.db import insert_new, rowcount
from storage.enums import DeliveryState
from storage.models import Delivery, DeliveryBatch, User
from storage.quiet import Held, QuietHours

ERROR_MAX = 500
INTERRUPTED = "interrupted while sending"
RESENT = "resent by the sender after an interrupted attempt"
QUIET = "held for the recipient's quiet hours"


class OutboxRepo:
    def __init__(self, session: AsyncSession, clock: Clock):
        self._session = session
        self._clock = clock

    # --- queuing ------------------------------------------------------------------------------

    async def new_batch(
        self, kind: str, title: str, *, sender_chat_id: int | None = None, locale: str = "ru"
    ) -> DeliveryBatch:
        batch = DeliveryBatch(
            kind=kind,
            title=title[:200],
            sender_chat_id=sender_chat_id,
            progress_locale=locale,
            created_at=self._clock(),
        )
        self._session.add(batch)
        await self._session.flush()
        return batch

    async def show_progress(
        self,
        batch: DeliveryBatch,
        message_id: int,
        *,
        chat_id: int | None = None,
        locale: str | None = None,
    ) -> None:
        """The sender's message that the worker edits as the batch goes out."""
        batch.progress_message_id = message_id
        if chat_id is not None:
            batch.sender_chat_id = chat_id
        if locale is not None:
            batch.progress_locale = locale
        await self._session.flush()

    async def enqueue(
        self,
        key: str,
        chat_id: int,
        text: str,
        *,
        user: User | None = None,
        markup: dict[str, Any] | None = None,
        document_id: str | None = None,
        urgent: bool = False,
        not_before: datetime | None = None,
        expires_at: datetime | None = None,
        batch: DeliveryBatch | None = None,
    ) -> bool:
        """Queue one message; False when a message with this key was queued before."""
        now = self._clock()
        values = {
            "key": key[:160],
            "batch_id": batch.id if batch else None,
            "chat_id": chat_id,
            "user_id": user.id if user else None,
            "text": text,
            "markup": markup,
            "document_id": document_id,
            "urgent": urgent,
            "not_before": not_before or now,
            "expires_at": expires_at,
            "state": DeliveryState.PENDING,
            "attempts": 0,
            "last_error": "",
            "created_at": now,
        }
        return await insert_new(self._session, Delivery, values, [Delivery.key])

    async def known(self, key: str) -> bool:
        """Whether a message with this key was ever queued (sent, waiting or withdrawn): a
        job asks before it does the work of wording one."""
        return (
            await self._session.scalar(select(Delivery.id).where(Delivery.key == key)) is not None
        )

    # --- sending ------------------------------------------------------------------------------

    async def claim(
        self, now: datetime, limit: int = 1, *, skip_chats: Collection[int] = ()
    ) -> list[Delivery]:
        """Take up to ``limit`` due rows for sending, oldest first, none for the chats in
        ``skip_chats`` (they wait for their limit): each goes from pending to sending, its
        attempt counted. Committed by the caller just before the request leaves.

        On PostgreSQL the rows are picked ``FOR UPDATE SKIP LOCKED``: two workers claiming
        at once take different rows and neither waits for the other's transaction. SQLite
        renders no such clause and needs none: it has one writer at a time."""
        ids = list(
            await self._session.scalars(
                select(Delivery.id)
                .where(
                    Delivery.state == DeliveryState.PENDING,
                    Delivery.not_before <= now,
                    Delivery.chat_id.not_in(list(skip_chats)),
                )
                .order_by(Delivery.not_before, Delivery.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        await self._session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(state=DeliveryState.SENDING, attempts=Delivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        rows = await self._session.scalars(
            select(Delivery)
            .where(Delivery.id.in_(ids))
            .order_by(Delivery.not_before, Delivery.id)
            .execution_options(populate_existing=True)
        )
        return list(rows.unique())

    async def any_due(self, now: datetime) -> bool:
        found = await self._session.scalar(
            select(Delivery.id)
            .where(Delivery.state == DeliveryState.PENDING, Delivery.not_before <= now)
            .limit(1)
        )
        return found is not None

    async def due_chats(self, now: datetime, chats: Collection[int]) -> set[int]:
        """Which of ``chats`` have a row due now (the worker waits for them, not longer)."""
        if not chats:
            return set()
        found = await self._session.scalars(
            select(Delivery.chat_id)
            .where(
                Delivery.state == DeliveryState.PENDING,
                Delivery.not_before <= now,
                Delivery.chat_id.in_(list(chats)),
            )
            .distinct()
        )
        return set(found)

    async def waiting(self) -> int:
        """Rows not yet sent, due or not (the outbox's depth, for /metrics)."""
        count = await self._session.scalar(
            select(func.count()).where(Delivery.state == DeliveryState.PENDING)
        )
        return count or 0

    async def start(self, delivery_id: int) -> bool:
        """Take a row for sending; False if another worker (or a cancel) got there first."""
        result = await self._session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id, Delivery.state == DeliveryState.PENDING)
            .values(state=DeliveryState.SENDING, attempts=Delivery.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result) == 1

    async def _set(self, delivery_id: int, **values: Any) -> None:
        await self._session.execute(
            update(Delivery)
            .where(Delivery.id == delivery_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def sent(self, delivery_id: int, message_id: int) -> None:
        await self._set(
            delivery_id,
            state=DeliveryState.SENT,
            message_id=message_id,
            sent_at=self._clock(),
            last_error="",
        )

    async def later(self, delivery_id: int, not_before: datetime, error: str = "") -> None:
        """Back to pending until ``not_before``: a 429, a network error, the quiet hours."""
        await self._set(
            delivery_id,
            state=DeliveryState.PENDING,
            not_before=not_before,
            last_error=error[:ERROR_MAX],
        )

    async def postpone(self, delivery_id: int, not_before: datetime) -> None:
        """Claimed, but the quiet hours hold it: back to pending without the attempt, the
        reason kept. Never on disk as sending (the claim and this commit together)."""
        await self._set(
            delivery_id,
            state=DeliveryState.PENDING,
            attempts=Delivery.attempts - 1,
            not_before=not_before,
            last_error=QUIET,
        )

    async def held(self, batch_id: int, quiet: QuietHours, now: datetime) -> Held:
        """Of the batch's messages still waiting, those the quiet hours hold (or will hold
        when they fall due): how many, and until which mornings."""
        rows = await self._session.execute(
            select(Delivery.not_before, Delivery.last_error, User.time_zone)
            .outerjoin(User, User.id == Delivery.user_id)
            .where(
                Delivery.batch_id == batch_id,
                Delivery.state == DeliveryState.PENDING,
                Delivery.urgent.is_(False),
                Delivery.chat_id > 0,
            )
        )
        mornings: list[datetime | None] = []
        for not_before, reason, zone in rows:
            if not_before.tzinfo is None:
                not_before = not_before.replace(tzinfo=now.tzinfo)
            if reason == QUIET and not_before > now:
                mornings.append(not_before)
            else:
                mornings.append(quiet.next_allowed(max(now, not_before), zone))
        return Held.of(mornings)

    async def failed(self, delivery_id: int, error: str) -> None:
        await self._set(delivery_id, state=DeliveryState.FAILED, last_error=error[:ERROR_MAX])

    async def blocked(self, delivery: Delivery, error: str) -> None:
        """The recipient blocked the bot: this and everything else waiting for them stops."""
        await self._session.execute(
            update(Delivery)
            .where(
                Delivery.chat_id == delivery.chat_id,
                Delivery.state.in_((DeliveryState.PENDING, DeliveryState.SENDING)),
            )
            .values(state=DeliveryState.BLOCKED, last_error=error[:ERROR_MAX])
            .execution_options(synchronize_session=False)
        )
        if delivery.user_id is not None:
            await self._session.execute(
                update(User)
                .where(User.id == delivery.user_id)
                .values(bot_blocked_at=self._clock())
                .execution_options(synchronize_session=False)
            )

    async def expired(self, delivery_id: int) -> None:
        """Claimed too late to mean anything (a reminder after the event began): dropped
        unsent, so the claim's attempt does not count; logged."""
        await self._set(
            delivery_id,
            state=DeliveryState.CANCELLED,
            attempts=Delivery.attempts - 1,
            last_error="expired",
        )

    async def pending(self, prefix: str) -> list[Delivery]:
        """What still waits among the messages whose key begins so (to bring up to date)."""
        rows = await self._session.scalars(
            select(Delivery).where(
                Delivery.key.startswith(prefix), Delivery.state == DeliveryState.PENDING
            )
        )
        return list(rows)

    async def cancel_keys(self, prefix: str) -> int:
        """Stop what is still waiting among the messages whose key begins so."""
        result = await self._session.execute(
            update(Delivery)
            .where(Delivery.key.startswith(prefix), Delivery.state == DeliveryState.PENDING)
            .values(state=DeliveryState.CANCELLED)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def interrupted(self) -> tuple[int, set[int]]:
        """At start-up: rows left "sending" by a crash were handed to Telegram, and whether
        it delivered them is unknown. They are not sent again on our own (a duplicate is
        worse than one explained gap): they are marked failed with the reason, and the
        sender of their batch may resend them knowingly (``resend_unconfirmed``).
        Returns how many, and the batches they belong to."""
        batches = {
            batch_id
            for batch_id in await self._session.scalars(
                select(Delivery.batch_id)
                .where(Delivery.state == DeliveryState.SENDING, Delivery.batch_id.is_not(None))
                .distinct()
            )
            if batch_id is not None
        }
        result = await self._session.execute(
            update(Delivery)
            .where(Delivery.state == DeliveryState.SENDING)
            .values(state=DeliveryState.FAILED, last_error=INTERRUPTED)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result), batches

    async def unconfirmed(self, batch_id: int) -> int:
        """Rows of the batch whose delivery a crash left unknown."""
        return (
            await self._session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(
                    Delivery.batch_id == batch_id,
                    Delivery.state == DeliveryState.FAILED,
                    Delivery.last_error == INTERRUPTED,
                )
            )
            or 0
        )

    async def resend_unconfirmed(self, batch_id: int) -> int:
        """The sender chose: those rows go again (some may arrive twice)."""
        result = await self._session.execute(
            update(Delivery)
            .where(
                Delivery.batch_id == batch_id,
                Delivery.state == DeliveryState.FAILED,
                Delivery.last_error == INTERRUPTED,
            )
            .values(state=DeliveryState.PENDING, not_before=self._clock(), last_error=RESENT)
            .execution_options(synchronize_session=False)
        )
        batch = await self._session.get(DeliveryBatch, batch_id)
        if batch is not None and rowcount(result):
            batch.finished_at = None
        return rowcount(result)

    # --- batches ------------------------------------------------------------------------------

    async def cancel_batch(self, batch_id: int) -> int:
        """Stop what has not gone out yet."""
        batch = await self._session.get(DeliveryBatch, batch_id)
        if batch is not None and batch.cancelled_at is None:
            batch.cancelled_at = self._clock()
        result = await self._session.execute(
            update(Delivery)
            .where(Delivery.batch_id == batch_id, Delivery.state == DeliveryState.PENDING)
            .values(state=DeliveryState.CANCELLED)
            .execution_options(synchronize_session=False)
        )
        return rowcount(result)

    async def progress(self, batch_id: int) -> Counter[DeliveryState]:
        rows = await self._session.execute(
            select(Delivery.state).where(Delivery.batch_id == batch_id)
        )
        return Counter(state for (state,) in rows)

    async def batch(self, batch_id: int) -> DeliveryBatch | None:
        return await self._session.get(DeliveryBatch, batch_id)
