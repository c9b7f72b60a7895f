"""The one delivery worker: drains the outbox within Telegram's limits.

Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
about 30 messages a second overall, one a second to a private chat, 20 a minute to a
group. A 429 names how long to wait: the row waits exactly that long and the whole worker
pauses too. A 403 means the recipient blocked the bot: nothing more is sent to them.
Network errors are retried with a growing delay. Non-urgent messages wait out the
recipient's night (quiet hours, in their own time zone).

One worker serves the whole deployment: with several replicas on PostgreSQL it runs on the
one that leads the "outbox" role (storage/leadership.py, bot/app.py), so these limits are
the bot's, not each replica's.
"""

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal, Protocol

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.callbacks import BroadcastAction, BroadcastCallback
from bot.i18n import I18n
from bot.logs import redact
from storage.clock import Clock
from storage.db import database_unavailable, describe_database_error
from storage.enums import DeliveryState
from storage.models import Delivery
from storage.quiet import QuietHours
from storage.repositories import Repo

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
REPORT_EVERY = 200  # sends between two edits of a batch's progress message
__all__ = [
    "MAX_ATTEMPTS",
    "DeliveryObserver",
    "OutboxWorker",
    "Pacer",
    "QuietHours",
    "SendLimits",
]

Outcome = Literal["sent", "failed", "rate_limited", "blocked", "retried"]


class DeliveryObserver(Protocol):
    """Told the outcome of every send (bot/metrics.py counts them); this module needs no
    metrics library."""

    def delivery(self, outcome: Outcome) -> None: ...


class _Unobserved:
    def delivery(self, outcome: Outcome) -> None:
        """Without /metrics (tests, the command line) outcomes are not counted."""


@dataclass(frozen=True, slots=True)
class SendLimits:
    # Telegram lets a bot burst 30 messages and then send 30 a second. Requests arrive
    # with varying latency, so a worker that spends the whole burst runs on an empty bucket
    # at Telegram's side and any early arrival gets a 429. A small burst of our own keeps
    # most of Telegram's in reserve to absorb that jitter, and a pace a little under 30
    # refills the reserve for the handlers' own answers, which share the bot's budget
    # (measured: bench/bench_outbox.py).
    per_second: float = 29.0
    burst: int = 5
    private_interval: float = 1.0
    group_per_minute: int = 20
    lanes: int = 8  # requests in flight at once


class Pacer:
    """Who may get a message when, from Telegram's limits; time from an injected clock."""

    def __init__(self, limits: SendLimits, monotonic: Callable[[], float]):
        self._limits = limits
        self._monotonic = monotonic
        self._tokens = float(limits.burst)
        self._refilled = monotonic()
        self._private_next: dict[int, float] = {}
        self._group_sent: dict[int, deque[float]] = defaultdict(deque)
        self.paused_until = 0.0

    def chat_wait(self, chat_id: int) -> float:
        now = self._monotonic()
        if chat_id < 0:
            sent = self._group_sent[chat_id]
            while sent and sent[0] <= now - 60:
                sent.popleft()
            if len(sent) < self._limits.group_per_minute:
                return 0.0
            return sent[0] + 60 - now
        return max(0.0, self._private_next.get(chat_id, 0.0) - now)

    def global_wait(self) -> float:
        now = self._monotonic()
        if now < self.paused_until:
            return self.paused_until - now
        self._tokens = min(
            float(self._limits.burst),
            self._tokens + (now - self._refilled) * self._limits.per_second,
        )
        self._refilled = now
        if self._tokens >= 1 - 1e-9:  # float rounding of the refill must not stall the loop
            return 0.0
        return (1 - self._tokens) / self._limits.per_second

    def take(self, chat_id: int) -> float:
        """Reserve a send now; returns the reservation's time for ``leaving``."""
        now = self._monotonic()
        self._tokens -= 1
        if chat_id < 0:
            self._group_sent[chat_id].append(now)
        else:
            self._private_next[chat_id] = now + self._limits.private_interval
        return now

    def leaving(self, chat_id: int, taken: float) -> None:
        """The request leaves now, maybe later than reserved: a chat's limits count from
        the moment it really goes, or two sends could land closer than Telegram allows."""
        now = self._monotonic()
        if chat_id < 0:
            sent = self._group_sent[chat_id]
            for index, moment in enumerate(sent):
                if moment == taken:
                    sent[index] = now
                    break
        else:
            self._private_next[chat_id] = max(
                self._private_next.get(chat_id, 0.0), now + self._limits.private_interval
            )

    def busy_chats(self) -> dict[int, float]:
        """The chats that must wait now, with how long; forgets those free again, so the
        pacer does not grow with every recipient of a long broadcast."""
        now = self._monotonic()
        for chat_id in [chat for chat, free in self._private_next.items() if free <= now]:
            del self._private_next[chat_id]
        busy = {chat: free - now for chat, free in self._private_next.items()}
        for chat_id in list(self._group_sent):
            if wait := self.chat_wait(chat_id):
                busy[chat_id] = wait
            elif not self._group_sent[chat_id]:
                del self._group_sent[chat_id]
        return busy

    def paused(self) -> bool:
        """Telegram answered 429: everything waits until its ``retry_after`` is over."""
        return self._monotonic() < self.paused_until

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, self._monotonic() + seconds)


def _progress_buttons(t, batch, remaining: int, unknown: int) -> InlineKeyboardMarkup | None:
    """A broadcast can be stopped while messages remain; once nothing remains, the sender
    may resend what a crash left unknown."""
    rows = []
    if remaining and batch.kind == "broadcast" and batch.cancelled_at is None:
        rows.append(
            InlineKeyboardButton(
                text=t("broadcast-stop-button"),
                callback_data=BroadcastCallback(action=BroadcastAction.STOP, value=batch.id).pack(),
            )
        )
    if unknown and not remaining:
        rows.append(
            InlineKeyboardButton(
                text=t("delivery-resend-button", count=unknown),
                callback_data=BroadcastCallback(
                    action=BroadcastAction.RESEND, value=batch.id
                ).pack(),
            )
        )
    return InlineKeyboardMarkup(inline_keyboard=[[row] for row in rows]) if rows else None


class OutboxWorker:
    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        bot: Bot,
        i18n_hub: I18n,
        clock: Clock,
        monotonic: Callable[[], float],
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        limits: SendLimits = SendLimits(),
        quiet: QuietHours = QuietHours(),
        observer: DeliveryObserver | None = None,
    ):
        self._sessionmaker = sessionmaker
        self._observer = observer or _Unobserved()
        self._bot = bot
        self._i18n_hub = i18n_hub
        self._clock = clock
        self._sleep = sleep
        self._quiet = quiet
        self._limits = limits
        self.pacer = Pacer(limits, monotonic)
        self._lanes = asyncio.Semaphore(limits.lanes)
        self._tasks: set[asyncio.Task] = set()

    async def recover(self) -> int:
        """At start-up, before the first drain."""
        async with self._sessionmaker() as session:
            count, batches = await Repo(session, self._clock).outbox.interrupted()
            await session.commit()
        if count:
            logger.warning("%d deliveries were in flight at the last stop; marked failed", count)
        for batch_id in batches:  # their senders see it, and may resend
            await self.report(batch_id)
        return count

    async def drain(self) -> int:
        """Send everything due now; returns how many rows were handed to Telegram.

        One row is claimed at a time, when a lane and the overall budget are free and never
        for a chat that must wait: a row is "sending" on disk only while it really goes, so
        a crash leaves at most one unknown row per lane."""
        handed = 0
        batches: set[int] = set()
        since_report = 0
        while True:
            await self._lanes.acquire()
            launched = False
            try:
                if self.pacer.paused() and not await self._anything_due():
                    break  # a 429's pause is waited out only for something to send
                while (wait := self.pacer.global_wait()) > 0:
                    await self._sleep(wait)
                busy = self.pacer.busy_chats()
                row = await self._claim(busy, batches)
                if row is None:
                    waiting = await self._busy_with_due_rows(busy)
                    if not waiting:
                        break
                    # Only chats that wait for their limit have due rows: sleep until one is free.
                    await self._sleep(max(0.05, min(waiting)))
                    continue
                if row is True:  # expired or held for the morning: nothing sent
                    continue
                taken = self.pacer.take(row.chat_id)
                task = asyncio.create_task(self._send(row, taken))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
                launched = True
                handed += 1
                since_report += 1
                if row.batch_id:
                    batches.add(row.batch_id)
            finally:
                if not launched:
                    self._lanes.release()
            if since_report >= REPORT_EVERY:  # the senders see a long batch move
                await self._settle()
                for batch_id in batches:
                    await self.report(batch_id)
                since_report = 0
        await self._settle()
        for batch_id in batches:
            await self.report(batch_id)
        return handed

    async def _claim(
        self, busy: dict[int, float], batches: set[int]
    ) -> Delivery | Literal[True] | None:
        """The next row to send, claimed and committed as "sending"; True when the row
        claimed turned out expired or held by the quiet hours (settled in the same
        transaction, never on disk as sending); None when nothing is due for a free chat."""
        async with self._sessionmaker() as session:
            repo = Repo(session, self._clock)
            rows = await repo.outbox.claim(self._clock(), 1, skip_chats=busy)
            if not rows:
                return None
            row = rows[0]
            settled = await self._too_late(repo, row) or await self._hold_back(repo, row)
            await session.commit()  # "sending" is on disk before the request leaves
        if settled:
            if row.batch_id:  # the sender sees it: dropped, or waiting for the morning
                batches.add(row.batch_id)
            return True
        return row

    async def _anything_due(self) -> bool:
        async with self._sessionmaker() as session:
            return await Repo(session, self._clock).outbox.any_due(self._clock())

    async def _busy_with_due_rows(self, busy: dict[int, float]) -> list[float]:
        """How long each chat that waits for its limit and has a row due must still wait."""
        if not busy:
            return []
        async with self._sessionmaker() as session:
            due = await Repo(session, self._clock).outbox.due_chats(self._clock(), busy)
        return [busy[chat] for chat in due]

    async def _settle(self) -> None:
        """Wait for the requests in flight. Stopping the worker (a shutdown, a lost lead)
        never cancels one: it has left, and its outcome is recorded as it is."""
        if self._tasks:
            await asyncio.wait(list(self._tasks))

    async def _too_late(self, repo: Repo, row: Delivery) -> bool:
        expires = row.expires_at
        if expires is None:
            return False
        now = self._clock()
        if expires.tzinfo is None:
            expires = expires.replace(tzinfo=now.tzinfo)
        if now < expires:
            return False
        logger.info("delivery %s dropped: due before %s, now %s", row.key, expires, now)
        await repo.outbox.expired(row.id)
        return True

    async def _hold_back(self, repo: Repo, row: Delivery) -> bool:
        """Quiet hours: a non-urgent message waits for the recipient's morning."""
        if row.urgent or row.chat_id < 0:
            return False
        zone = row.user.time_zone if row.user else None
        morning = self._quiet.next_allowed(self._clock(), zone)
        if morning is None:
            return False
        await repo.outbox.postpone(row.id, morning)
        return True

    async def _send(self, row: Delivery, taken: float) -> None:
        try:
            async with self._sessionmaker() as session:
                repo = Repo(session, self._clock)
                self.pacer.leaving(row.chat_id, taken)
                outcome: Outcome
                try:
                    message = await self._deliver(row)
                except TelegramRetryAfter as error:
                    self.pacer.pause(error.retry_after)
                    await repo.outbox.later(
                        row.id,
                        self._clock() + timedelta(seconds=error.retry_after),
                        f"429: retry after {error.retry_after} s",
                    )
                    outcome = "rate_limited"
                except TelegramForbiddenError as error:
                    await repo.outbox.blocked(row, self._stored(error))
                    outcome = "blocked"
                except TelegramNetworkError as error:
                    if row.attempts >= MAX_ATTEMPTS:  # the claim counted this one
                        await repo.outbox.failed(row.id, self._stored(error))
                        outcome = "failed"
                    else:
                        backoff = timedelta(seconds=2**row.attempts)
                        await repo.outbox.later(
                            row.id, self._clock() + backoff, self._stored(error)
                        )
                        outcome = "retried"
                except TelegramAPIError as error:
                    await repo.outbox.failed(row.id, self._stored(error))
                    outcome = "failed"
                else:
                    await repo.outbox.sent(row.id, message.message_id)
                    outcome = "sent"
                await session.commit()
            self._observer.delivery(outcome)
        finally:
            self._lanes.release()

    def _stored(self, error: TelegramAPIError) -> str:
        """The error as ``last_error`` keeps it: a network error quotes the request's URL,
        and the URL holds the bot token."""
        return redact(error.message, [self._bot.token])

    async def _deliver(self, row: Delivery):
        markup = InlineKeyboardMarkup.model_validate(row.markup) if row.markup else None
        if row.document_id:
            return await self._bot.send_document(
                row.chat_id, row.document_id, caption=row.text, reply_markup=markup
            )
        return await self._bot.send_message(row.chat_id, row.text, reply_markup=markup)

    async def report(self, batch_id: int) -> None:
        """The sender's progress message, edited in place: sent, failed, blocked, remaining."""
        async with self._sessionmaker() as session:
            repo = Repo(session, self._clock)
            batch = await repo.outbox.batch(batch_id)
            if batch is None:
                return
            counts = await repo.outbox.progress(batch_id)
            remaining = counts[DeliveryState.PENDING] + counts[DeliveryState.SENDING]
            if remaining == 0 and batch.finished_at is None:
                batch.finished_at = self._clock()
                await session.commit()
            if not batch.sender_chat_id or not batch.progress_message_id:
                return
            t = self._i18n_hub.translator(batch.progress_locale)
            text = t(
                "delivery-progress",
                title=batch.title,
                sent=counts[DeliveryState.SENT],
                failed=counts[DeliveryState.FAILED],
                blocked=counts[DeliveryState.BLOCKED],
                cancelled=counts[DeliveryState.CANCELLED],
                remaining=remaining,
            )
            unknown = await repo.outbox.unconfirmed(batch_id)
            if unknown:
                text += "\n" + t("delivery-unconfirmed", count=unknown)
            now = self._clock()
            held = await repo.outbox.held(batch_id, self._quiet, now)
            if held:
                sender = await repo.users.by_telegram_id(batch.sender_chat_id)
                zone = self._quiet.zone(sender.time_zone if sender else None)
                text += "\n" + t(
                    "delivery-held", count=held.count, until=held.until_text(zone, now)
                )
            try:
                await self._bot.edit_message_text(
                    text,
                    chat_id=batch.sender_chat_id,
                    message_id=batch.progress_message_id,
                    reply_markup=_progress_buttons(t, batch, remaining, unknown),
                )
            except TelegramAPIError as error:
                # "message is not modified" when nothing changed since the last report
                logger.debug("progress of batch %s not updated: %s", batch_id, error)

    async def run(self, poll_seconds: float = 1.0) -> None:
        """The worker's life: recover, then drain whatever falls due, forever.

        A failing pass never stops deliveries. While the database is away every pass
        fails the same way: that is one line when it goes and one when it is back; an
        unexpected error is logged with its traceback once, not once a second."""
        try:
            await self._drain_forever(poll_seconds)
        finally:
            await self._settle()

    async def _drain_forever(self, poll_seconds: float) -> None:
        recovered = False
        away: str | None = None
        last_bug: str | None = None
        while True:
            try:
                if not recovered:
                    await self.recover()
                    recovered = True
                await self.drain()
            except Exception as error:
                if database_unavailable(error):
                    if away is None:
                        away = describe_database_error(error)
                        logger.warning("Database unavailable, deliveries wait: %s", away)
                else:
                    bug = f"{type(error).__name__}: {error}"
                    if bug != last_bug:
                        logger.exception("outbox drain failed")
                    last_bug = bug
            else:
                if away is not None:
                    logger.warning("Database is back, deliveries resume")
                away = last_bug = None
            await self._sleep(poll_seconds)
