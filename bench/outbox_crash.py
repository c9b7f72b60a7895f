"""A broadcast through the delivery outbox, with the worker SIGKILLed mid-way and restarted.

Shared by tests/e2e/test_e2e_outbox_crash.py and bench/bench_outbox.py. The parent runs the
sandbox (Telegram's flood limits on) in its own event loop, seeds a SQLite file with N
recipients and one batch of N deliveries, and runs this file as the worker process:

    python bench/outbox_crash.py --database URL --api-server URL --token TOKEN

The child is the production worker: ``build_bot`` as ``run_polling`` builds it for the outbox, the
real clocks, ``OutboxWorker.run()`` (recover, then drain forever); only quiet hours are off.
The parent then judges the outcome against what the sandbox actually received, by the
worker's crash contract: nothing twice, every "sent" row really delivered, every other
recipient failed as "interrupted while sending" (at most one per lane and kill).
"""

import argparse
import asyncio
import logging
import math
import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import time as daytime
from itertools import pairwise
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from sandbox import SandboxServer
from sandbox.state import ApiCall, SandboxState
from scheduler.outbox import QuietHours, SendLimits
from storage.clock import utcnow
from storage.db import create_engine, create_sessionmaker
from storage.enums import DeliveryState, UserStatus
from storage.migrate import upgrade
from storage.models import Delivery, User
from storage.repositories import Repo

ALLOWED_RATE = 30.0  # Telegram's (and the sandbox's) messages per second per bot
LANES = SendLimits().lanes
INTERRUPTED = "interrupted while sending"
# An empty window: with start <= end a moment is quiet when start <= t < end, never here.
NEVER_QUIET = QuietHours(start=daytime(0, 0), end=daytime(0, 0))
FIRST_TELEGRAM_ID = 710_000_001
# Plain text: build_bot sends HTML, and the sandbox stores the parsed text we match against.
TEXT = "Методсеть: открыта запись на августовскую конференцию педагогов, рассылка № {run}."
UNFINISHED = (DeliveryState.PENDING, DeliveryState.SENDING)


# --- the child: the worker as it runs in production ------------------------------------------


async def run_worker(
    database_url: str, api_server: str, token: str, per_second: float | None = None
) -> None:
    # Imported here: the parent (and the test) need none of the bot's assembly.
    from bot.app import build_bot
    from bot.config import Settings
    from bot.i18n import I18n
    from scheduler.outbox import OutboxWorker

    settings = Settings(
        _env_file=None, bot_token=token, api_server=api_server, database_url=database_url
    )
    engine = create_engine(database_url)
    bot = build_bot(settings, retry_after=False)  # as run_polling builds the outbox's bot
    worker = OutboxWorker(
        sessionmaker=create_sessionmaker(engine),
        bot=bot,
        i18n_hub=I18n(default_locale=settings.default_locale),
        clock=utcnow,
        monotonic=time.monotonic,
        quiet=NEVER_QUIET,
        limits=SendLimits() if per_second is None else SendLimits(per_second=per_second),
    )
    try:
        await worker.run()  # until SIGKILL
    finally:
        await bot.session.close()
        await engine.dispose()


def child_main() -> None:
    parser = argparse.ArgumentParser(description="the outbox worker alone, until killed")
    parser.add_argument("--database", required=True)
    parser.add_argument("--api-server", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--per-second", type=float, help="the worker's pace (default: its own)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    asyncio.run(run_worker(args.database, args.api_server, args.token, args.per_second))


# --- the parent: seed, run, kill, restart, judge -----------------------------------------------


@dataclass
class Figures:
    label: str
    recipients: int
    kill_at: int | None = None  # messages the sandbox had received when SIGKILL was sent
    received: int = 0  # broadcast messages in the recipients' chats
    sent_rows: int = 0
    too_many_requests: int = 0  # 429 answers in the sandbox's API log
    duplicates: int = 0  # messages beyond the first in one chat
    losses: int = 0  # recipients neither delivered-and-"sent" nor failed-as-interrupted
    interrupted: int = 0  # rows failed "interrupted while sending" by recover()
    interrupted_received: int = 0  # ...of them the sandbox did receive: the true unknowns
    span: float = 0.0  # seconds from the first to the last message the sandbox received
    restart_gap: float = 0.0  # the longest pause between two messages, in a killed run
    wall: float = 0.0  # seconds from the first child's start to the batch finished
    problems: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Messages per second first to last: n messages make n - 1 intervals."""
        return (self.received - 1) / self.span if self.span > 0 else 0.0

    @property
    def sending_rate(self) -> float:
        """The same without the restart gap (two stretches, so n - 2 intervals)."""
        if not self.restart_gap:
            return self.rate
        busy = self.span - self.restart_gap
        return (self.received - 2) / busy if busy > 0 else 0.0


class Tally:
    """Reads the sandbox's API log as it grows: successful sends (of ``text`` only, when
    given: the bot answers people meanwhile) and 429 answers."""

    def __init__(self, state: SandboxState, text: str | None = None):
        self._log = state.api_log
        self._text = text
        self._read = 0
        self.sends: list[ApiCall] = []
        self.too_many_requests = 0

    def update(self, final: bool = False) -> int:
        log = self._log
        # Stop at a call still in flight, unless all is over (then it never completed).
        while self._read < len(log) and (final or log[self._read].ok is not None):
            call = log[self._read]
            self._read += 1
            if call.error_code == 429:
                self.too_many_requests += 1
            elif call.ok and call.method.lower() == "sendmessage" and self._counts(call):
                self.sends.append(call)
        return len(self.sends)

    def _counts(self, call: ApiCall) -> bool:
        return self._text is None or call.params.get("text") == self._text


class Child:
    """One worker process; its output goes to a log file, quoted when something goes wrong."""

    def __init__(self, log_path: Path, arguments: list[str]):
        self.log_path = log_path
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), *arguments],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    def check_alive(self) -> None:
        if self.process.poll() is not None:
            raise RuntimeError(
                f"the worker exited with {self.process.returncode}:\n{self.log_tail()}"
            )

    def kill(self) -> None:
        """SIGKILL: no finally blocks, no commits, no goodbyes."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


async def seed(sessionmaker: async_sessionmaker[AsyncSession], recipients: int, text: str) -> None:
    now = utcnow()
    async with sessionmaker() as session:
        await session.execute(
            insert(User),
            [
                {
                    "telegram_id": FIRST_TELEGRAM_ID + i,
                    "status": UserStatus.ACTIVE,
                    "full_name": f"Педагог {i}",
                    "subjects": [],
                    "created_at": now,
                }
                for i in range(recipients)
            ],
        )
        repo = Repo(session, utcnow)
        batch = await repo.outbox.new_batch("broadcast", "Августовская конференция")
        for user in await session.scalars(select(User).order_by(User.id)):
            # The key a broadcast uses: queuing again after a restart adds nothing.
            await repo.outbox.enqueue(
                f"broadcast:{batch.id}:{user.id}", user.telegram_id, text, user=user, batch=batch
            )
        await session.commit()


async def unfinished(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.state.in_(UNFINISHED))
        )
    return count or 0


async def broadcast(
    recipients: int,
    *,
    kill: bool,
    folder: Path,
    rng: random.Random,
    label: str = "",
    progress: bool = False,
    per_second: float | None = None,
) -> Figures:
    """One broadcast to ``recipients`` fresh users; with ``kill``, one SIGKILL and a restart.

    ``per_second`` overrides the worker's pace (SendLimits.per_second) to try other values.
    """
    figures = Figures(label or ("killed" if kill else "clean"), recipients)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    text = TEXT.format(run=rng.randrange(1000, 10000))
    server = SandboxServer()  # RateLimits(): 30/s per bot, 1/s per private chat
    for i in range(recipients):
        server.state.add_user(f"Педагог {i}", user_id=FIRST_TELEGRAM_ID + i, started=True)
    database_url = f"sqlite+aiosqlite:///{folder / 'outbox.db'}"
    await asyncio.to_thread(upgrade, database_url)
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    base_url = await server.start()
    children: list[Child] = []
    loop = asyncio.get_running_loop()
    tally = Tally(server.state)
    try:
        await seed(sessionmaker, recipients, text)
        started = loop.time()
        deadline = started + 60 + 2 * recipients / ALLOWED_RATE

        arguments = ["--database", database_url, "--api-server", base_url]
        arguments += ["--token", server.token]
        if per_second is not None:
            arguments += ["--per-second", str(per_second)]

        def spawn() -> Child:
            child = Child(folder / f"worker-{len(children) + 1}.log", arguments)
            children.append(child)
            return child

        child = spawn()
        if kill:
            low, high = math.ceil(0.2 * recipients), math.floor(0.8 * recipients)
            figures.kill_at = rng.randint(low, high)
            while tally.update() < figures.kill_at:
                child.check_alive()
                if loop.time() > deadline:
                    raise TimeoutError(f"{label}: no kill point in time:\n{child.log_tail()}")
                await asyncio.sleep(0.01)
            child.kill()
            if progress:
                print(f"  {figures.label}: SIGKILL after {len(tally.sends)} messages", flush=True)
            child = spawn()
        reported = loop.time()
        while await unfinished(sessionmaker):
            child.check_alive()
            if loop.time() > deadline:
                raise TimeoutError(f"{label}: the batch did not finish:\n{child.log_tail()}")
            if progress and loop.time() - reported > 30:
                reported = loop.time()
                print(f"  {figures.label}: {tally.update()} messages so far", flush=True)
            await asyncio.sleep(0.25)
        figures.wall = loop.time() - started
        child.kill()
        await asyncio.sleep(0.2)  # let any request still on the wire settle in the sandbox
        tally.update(final=True)
        await judge(figures, server.state, sessionmaker, tally, text, len(children))
    finally:
        for child in children:
            child.kill()
        await server.stop()
        await engine.dispose()
    return figures


async def judge(
    figures: Figures,
    state: SandboxState,
    sessionmaker: async_sessionmaker[AsyncSession],
    tally: Tally,
    text: str,
    workers: int,
) -> None:
    """Compare the outbox rows with the sandbox's chats, by the worker's crash contract."""
    problems = figures.problems
    async with sessionmaker() as session:
        rows = (
            await session.execute(
                select(Delivery.chat_id, Delivery.state, Delivery.message_id, Delivery.last_error)
            )
        ).all()
    # What each recipient's chat actually holds from the bot: the broadcast's message ids.
    received: dict[int, list[int]] = {}
    for chat_id, *_ in rows:
        chat = state.chats.get(chat_id)
        messages = chat.messages.values() if chat else ()
        received[chat_id] = [
            m.message_id for m in messages if m.sender_id == state.bot.id and m.text == text
        ]
    figures.received = sum(len(ids) for ids in received.values())
    # (a) nobody got it twice
    figures.duplicates = sum(len(ids) - 1 for ids in received.values() if len(ids) > 1)
    if figures.duplicates:
        problems.append(f"{figures.duplicates} duplicate messages")
    states = Counter(state_ for _, state_, _, _ in rows)
    unaccounted = 0
    for chat_id, state_, message_id, last_error in rows:
        if state_ == DeliveryState.SENT:
            # (b) "sent" is the message the sandbox holds, by chat, text and message id
            figures.sent_rows += 1
            if message_id not in received[chat_id]:
                unaccounted += 1
        elif state_ == DeliveryState.FAILED and last_error == INTERRUPTED:
            # (c) the ambiguous ones, reported failed; did the sandbox get them anyway?
            figures.interrupted += 1
            figures.interrupted_received += bool(received[chat_id])
        else:
            unaccounted += 1  # (d) left pending/sending, or failed for another reason
    figures.losses = unaccounted
    if unaccounted:
        problems.append(f"{unaccounted} recipients unaccounted for; states {dict(states)}")
    if states[DeliveryState.PENDING] or states[DeliveryState.SENDING]:
        problems.append("rows left pending or sending")
    kills = workers - 1
    if figures.interrupted > LANES * kills:
        problems.append(f"{figures.interrupted} interrupted rows, more than {LANES} per kill")
    # (e) every message the sandbox got is a "sent" row or an interrupted one
    if figures.received != figures.sent_rows + figures.interrupted_received:
        problems.append(
            f"the sandbox received {figures.received}, the outbox accounts for"
            f" {figures.sent_rows} sent + {figures.interrupted_received} interrupted"
        )
    if len(tally.sends) != figures.received:
        problems.append(
            f"{len(tally.sends)} successful sendMessage calls for {figures.received} messages"
        )
    # (f) the worker kept within the limits
    figures.too_many_requests = tally.too_many_requests
    if figures.too_many_requests:
        problems.append(f"{figures.too_many_requests} answers 429 from the sandbox")
    times = sorted(call.time for call in tally.sends)
    if len(times) > 1:
        figures.span = times[-1] - times[0]
    if workers > 1 and len(times) > 1:
        # The restart (seconds of process start) is the longest pause between two messages.
        figures.restart_gap = max(b - a for a, b in pairwise(times))


def table(results: list[Figures]) -> str:
    """The figures side by side, one column per run."""
    rows: list[tuple[str, ...]] = [
        ("", *(f.label for f in results)),
        ("recipients", *(str(f.recipients) for f in results)),
        ("SIGKILL after (messages)", *(str(f.kill_at or "-") for f in results)),
        ("messages received", *(str(f.received) for f in results)),
        ("first→last message, s", *(f"{f.span:.1f}" for f in results)),
        ("rate, msg/s", *(f"{f.rate:.2f}" for f in results)),
        ("rate / 30 per s", *(f"{f.rate / ALLOWED_RATE:.1%}" for f in results)),
        ("restart gap, s", *(f"{f.restart_gap:.1f}" for f in results)),
        ("rate without the gap", *(f"{f.sending_rate:.2f}" for f in results)),
        ("rate w/o gap / 30 per s", *(f"{f.sending_rate / ALLOWED_RATE:.1%}" for f in results)),
        ("wall time, s", *(f"{f.wall:.1f}" for f in results)),
        ("429 answers", *(str(f.too_many_requests) for f in results)),
        ("duplicates", *(str(f.duplicates) for f in results)),
        ("losses", *(str(f.losses) for f in results)),
        ("rows sent", *(str(f.sent_rows) for f in results)),
        ("interrupted (failed)", *(str(f.interrupted) for f in results)),
        ("  ...of them received", *(str(f.interrupted_received) for f in results)),
        ("contract", *("ok" if not f.problems else "VIOLATED" for f in results)),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        for row in rows
    )


if __name__ == "__main__":
    child_main()
