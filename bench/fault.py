"""Replicas under load with one killed: the fault test of issue 20.

Shared by tests/e2e/test_fault.py and bench/bench_replicas.py. The parent runs the sandbox
(Telegram's flood limits on) in its own event loop and ``replicas`` real bot processes
(`python -m bot.cli run --webhook`) on one PostgreSQL database and one Redis, each on its
own port. The sandbox plays Telegram and the load balancer: it posts each update to the
next replica in turn, several at once but each chat's in order, and a failed attempt goes
to the next one (a dead replica costs a retry, as behind a balancer without health checks).

Simulated members walk the demo's onboarding and join a community, while a broadcast to
many recipients (rows in the delivery outbox, as the broadcast dialog queues them) is sent
by whichever replica leads the outbox. With ``kill``, the outbox's leader is SIGKILLed
part-way through the broadcast and started again on its port.

Members are people: one who waited ``PATIENCE`` seconds for an answer that never came
writes or taps again. That happens only to an update the killed replica had taken: its
claim in Redis keeps the re-delivery out for a minute (docs/deploy.md, section 9).
"""

import asyncio
import os
import random
import re
import secrets
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import ClientError, ClientSession, ClientTimeout

from bench.outbox_crash import (
    FIRST_TELEGRAM_ID,
    TEXT,
    Tally,
    judge,
    seed,
    unfinished,
)
from bench.outbox_crash import (
    Figures as BroadcastFigures,
)
from bot.demo import ADMIN, seed_database, seed_sandbox
from bot.replicas import connect
from sandbox import SandboxClient, SandboxServer
from sandbox.client import ChatMessage
from storage.db import create_engine, create_sessionmaker
from storage.sealing import new_key

FIRST_MEMBER_ID = 730_000_001
PATIENCE = 20.0  # seconds a member waits for an answer before writing or tapping again
SECRET = "fault-test-secret"
READY_TIMEOUT = 60.0


# --- the replicas ---------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Replica:
    """One `metodset run --webhook` process on its own port; output to a log file."""

    def __init__(self, name: str, port: int, environment: dict[str, str], folder: Path):
        self.name, self.port, self.environment, self.folder = name, port, environment, folder
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / f"{self.name}.log"

    def start(self) -> None:
        self.starts += 1
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run", "--webhook"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**self.environment, "METODSET_WEBHOOK__PORT": str(self.port)},
                cwd=self.folder,  # no .env of the checkout's
            )

    def kill(self) -> None:
        """SIGKILL: no finally blocks, no released locks, no goodbyes."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        if self.process is not None:
            self.process.wait()

    def check_alive(self) -> None:
        if self.process is None or self.process.poll() is not None:
            code = self.process.returncode if self.process else None
            raise RuntimeError(f"{self.name} exited with {code}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    async def get(self, http: ClientSession, path: str) -> tuple[int, str]:
        try:
            async with http.get(self.url + path) as response:
                return response.status, await response.text()
        except (ClientError, OSError, TimeoutError):
            return 0, ""

    async def wait_ready(self, http: ClientSession) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while (await self.get(http, "/readyz"))[0] != 200:
            self.check_alive()
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name} not ready:\n{self.log_tail()}")
            await asyncio.sleep(0.2)

    async def leads(self, http: ClientSession, role: str) -> bool:
        status, body = await self.get(http, "/metrics")
        pattern = rf'^metodset_leader\{{role="{role}"\}} 1(\.0)?$'
        return status == 200 and re.search(pattern, body, re.MULTILINE) is not None


def replica_environment(
    *, token: str, api_server: str, database_url: str, redis_url: str, survey_key: str
) -> dict[str, str]:
    """What each replica is started with: the same bot, database, Redis and secrets."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("METODSET_")}
    return {
        **inherited,
        "PYTHONUNBUFFERED": "1",
        "METODSET_BOT_TOKEN": token,
        "METODSET_API_SERVER": api_server,
        "METODSET_DATABASE_URL": database_url,
        "METODSET_REDIS__URL": redis_url,
        "METODSET_SURVEY_KEY": survey_key,
        "METODSET_ADMIN_IDS": str(ADMIN.telegram_id),
        # The sandbox delivers round-robin to the replicas' ports; this is what they set.
        "METODSET_WEBHOOK__URL": "http://balancer.fault-test",
        "METODSET_WEBHOOK__SECRET": SECRET,
        # No night in these runs: nothing may depend on the hour they run at.
        "METODSET_DELIVERY__QUIET_START": "00:00",
        "METODSET_DELIVERY__QUIET_END": "00:00",
        "METODSET_LOG_LEVEL": "WARNING",
    }


# --- the members ----------------------------------------------------------------------


class Stuck(AssertionError):
    """A member saw no answer even after trying again."""


@dataclass
class Member:
    client: SandboxClient
    user_id: int
    number: int
    think: float  # seconds between reading an answer and the next step
    rng: random.Random
    poll: float = 0.2  # seconds between two looks at the chat while waiting
    retries: int = 0
    steps: int = 0  # updates the member made (presses and messages)
    finished: bool = False
    started: bool = False

    @property
    def organisation(self) -> str:
        return f"Лицей № {self.number}"

    async def pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.think)

    async def seen(self, fragment: str, patience: float) -> ChatMessage | None:
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            for message in reversed(await self.client.chat(self.user_id)):
                if fragment in message.content:
                    return message
            await asyncio.sleep(self.poll)
        return None

    async def say(self, text: str, expect: str) -> None:
        """Write; wait for the answer containing ``expect``; write again once if none came."""
        for attempt in range(2):
            self.retries += attempt
            self.steps += 1
            await self.client.send_text(self.user_id, text)
            if await self.seen(expect, PATIENCE):
                await self.pause()
                return
        raise Stuck(f"member {self.user_id}: no {expect!r} after {text!r}")

    async def tap(self, label: str) -> None:
        """Press the newest button containing ``label``, waiting for it to appear; press
        again once if the bot never answered the press."""
        for attempt in range(2):
            message, text = await self.button(label)
            self.retries += attempt
            self.steps += 1
            result = await self.client.press_button(
                self.user_id, None, message.message_id, text, wait=PATIENCE
            )
            if result.answered:
                await self.pause()
                return
        raise Stuck(f"member {self.user_id}: the press on {label!r} was never answered")

    async def button(self, label: str) -> tuple[ChatMessage, str]:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            for message in reversed(await self.client.chat(self.user_id)):
                for text in message.button_texts:
                    if label in text:
                        return message, text
            await asyncio.sleep(self.poll)
        raise Stuck(f"member {self.user_id}: no button {label!r}")

    async def journey(self) -> None:
        """The demo's onboarding, then joining the maths teachers' community."""
        self.started = True
        self.steps += 1
        await self.client.start(self.user_id)
        await self.tap("Согласен")
        if not await self.seen("Как вас зовут?", PATIENCE):
            raise Stuck(f"member {self.user_id}: no question for the name")
        await self.say(f"Участникова Анна {self.number}", expect="организац")
        await self.say(self.organisation, expect=f"Что такое «{self.organisation}»?")
        await self.tap("Школа")
        await self.tap("Учитель-предметник")
        await self.tap("Математика")
        await self.tap("Готово")
        if not await self.seen("Теперь выберите сообщество", PATIENCE):
            raise Stuck(f"member {self.user_id}: onboarding did not end")
        await self.say("/communities", expect="Сообщества сети")
        await self.tap("Учителя математики")
        await self.tap("Вступить")
        if not await self.seen("✅ Вы участник", PATIENCE):
            raise Stuck(f"member {self.user_id}: not a member after «Вступить»")
        self.finished = True


# --- the run ---------------------------------------------------------------------------


@dataclass
class Figures:
    label: str
    replicas: int
    members: int
    recipients: int
    bot_id: int = 0  # random per run: its Redis keys are the run's own
    finished: int = 0  # journeys that ended in the community
    stuck: list[str] = field(default_factory=list)
    retries: int = 0  # a member's second try after PATIENCE seconds without an answer
    updates: int = 0  # updates the members made
    journeys_span: float = 0.0  # seconds from the first member's start to the last one's end
    mid_journey_at_kill: int = 0  # members started and not finished when SIGKILL was sent
    killed: str | None = None  # the replica killed (the outbox's leader then)
    double_answers: list[str] = field(default_factory=list)  # an update answered twice
    too_many_requests: int = 0  # 429 answers over the whole run
    limited: Counter[str] = field(default_factory=Counter)  # ...by method, broadcast apart
    broadcast: BroadcastFigures | None = None

    @property
    def updates_per_second(self) -> float:
        return self.updates / self.journeys_span if self.journeys_span else 0.0


async def run(
    *,
    database_url: str,
    redis_url: str,
    folder: Path,
    rng: random.Random,
    replicas: int = 3,
    members: int = 40,
    recipients: int = 600,
    kill: bool = True,
    think: float = 2.0,
    arrival: float = 10.0,
    connections: int = 40,
    label: str = "",
    progress: bool = False,
) -> Figures:
    """One run on a migrated, empty database. ``think``: seconds a member reads between two
    steps (about; a person's pace keeps within 1 message a second per chat); ``arrival``:
    seconds over which the members start."""
    # Not from ``rng``: a seed run again must not meet the keys of its first run in Redis.
    bot_id = secrets.randbelow(10**9) + 10**9
    figures = Figures(label or f"{replicas} replicas", replicas, members, recipients, bot_id)
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    ports = [free_port() for _ in range(replicas)]
    server = SandboxServer(
        f"{bot_id}:fault-test-token",
        bot_username="metodset_demo_bot",
        bot_name="Методсеть (демо)",
        webhook_retry_seconds=0.1,
        webhook_connections=connections,
        webhook_targets=[f"http://127.0.0.1:{port}/telegram" for port in ports],
    )
    seed_sandbox(server)
    for i in range(members):
        server.state.add_user("Анна", user_id=FIRST_MEMBER_ID + i, last_name="Участникова")
    for i in range(recipients):
        server.state.add_user(f"Педагог {i}", user_id=FIRST_TELEGRAM_ID + i, started=True)
    await seed_database(database_url)
    engine = create_engine(database_url)
    sessionmaker = create_sessionmaker(engine)
    base_url = await server.start()
    environment = replica_environment(
        token=server.token,
        api_server=base_url,
        database_url=database_url,
        redis_url=redis_url,
        survey_key=new_key(),
    )
    processes = [
        Replica(f"replica-{n + 1}", port, environment, folder) for n, port in enumerate(ports)
    ]
    client = SandboxClient(base_url)
    http = ClientSession(timeout=ClientTimeout(total=5))
    text = TEXT.format(run=rng.randrange(1000, 10000))
    tally = Tally(server.state, text)  # the broadcast's messages, and every 429
    team: list[Member] = []
    try:
        for replica in processes:
            replica.start()
        for replica in processes:
            await replica.wait_ready(http)
        if progress:
            print(f"  {figures.label}: {replicas} replicas ready", flush=True)

        # Each member looks at the chat a few times a second, all of them together at most
        # about 250 times: the sandbox is one process on the same cores as the replicas.
        poll = max(0.2, members / 250)
        team = [
            Member(client, FIRST_MEMBER_ID + i, i + 1, think, random.Random(rng.random()), poll)
            for i in range(members)
        ]
        started = time.monotonic()

        async def walk(member: Member) -> None:
            await asyncio.sleep(rng.uniform(0, arrival))  # members arrive over ``arrival`` s
            try:
                await member.journey()
            except Stuck as error:
                figures.stuck.append(str(error))

        journeys = asyncio.gather(*(walk(member) for member in team))
        if recipients:
            await seed(sessionmaker, recipients, text)  # queued while the members walk
        if kill and recipients:
            kill_at = rng.randint(recipients // 5, recipients // 2)
            # Generous: the answers go first in the budget, and many members slow the outbox.
            deadline = time.monotonic() + 60 + 10 * recipients / 30
            while tally.update() < kill_at:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"no kill point: {len(tally.sends)} messages sent")
                await asyncio.sleep(0.02)
            victim = await outbox_leader(processes, http)
            victim.kill()
            figures.killed = victim.name
            figures.mid_journey_at_kill = sum(m.started and not m.finished for m in team)
            if progress:
                print(
                    f"  {figures.label}: SIGKILL {victim.name} (the outbox's leader) after"
                    f" {len(tally.sends)} messages; {figures.mid_journey_at_kill} members"
                    " mid-journey",
                    flush=True,
                )
            victim.start()
            await victim.wait_ready(http)
        await journeys
        figures.journeys_span = time.monotonic() - started
        deadline = time.monotonic() + 60 + 2 * recipients / 30
        while await unfinished(sessionmaker):
            if time.monotonic() > deadline:
                raise TimeoutError("the broadcast did not finish")
            await asyncio.sleep(0.25)
        await asyncio.sleep(0.3)  # a request still on the wire settles in the sandbox
        tally.update(final=True)
        broadcast = BroadcastFigures(figures.label, recipients)
        if recipients:
            await judge(broadcast, server.state, sessionmaker, tally, text, 1 + bool(kill))
        figures.broadcast = broadcast
        figures.too_many_requests = tally.too_many_requests
        figures.limited = Counter(
            "broadcast" if call.params.get("text") == text else call.method
            for call in server.state.api_log
            if call.error_code == 429
        )
        figures.finished = sum(m.finished for m in team)
        figures.retries = sum(m.retries for m in team)
        figures.updates = sum(m.steps for m in team)
        figures.double_answers = await double_answers(client, server, team)
    finally:
        for replica in processes:
            replica.kill()
        await http.close()
        await client.close()
        await server.stop()
        await engine.dispose()
        await forget(redis_url, bot_id)
    return figures


async def forget(redis_url: str, bot_id: int) -> None:
    """Remove the run's keys from Redis (dialogs, claimed updates, buckets)."""
    redis = connect(redis_url)
    try:
        keys = [key async for key in redis.scan_iter(match=f"metodset:*:{bot_id}*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


async def outbox_leader(processes: list[Replica], http: ClientSession) -> Replica:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for replica in processes:
            if await replica.leads(http, "outbox"):
                return replica
        await asyncio.sleep(0.1)
    raise TimeoutError("no replica leads the outbox")


async def double_answers(
    client: SandboxClient, server: SandboxServer, team: list[Member]
) -> list[str]:
    """Updates answered twice: a callback query answered more than once, or a member whose
    chat holds more messages from the bot than the others' (every journey is the same; a
    member who tried a step again is left out, since a second try is rightly answered)."""
    answers = Counter(
        call.params.get("callback_query_id")
        for call in server.state.api_log
        if call.method.lower() == "answercallbackquery"
    )
    found = [f"callback query {query} answered {n} times" for query, n in answers.items() if n > 1]
    counts = {
        member.user_id: sum(m.from_bot for m in await client.chat(member.user_id))
        for member in team
        if member.finished and not member.retries
    }
    if counts:
        usual, _ = Counter(counts.values()).most_common(1)[0]
        found += [
            f"member {user_id}: {count} messages from the bot, {usual} in most chats"
            for user_id, count in counts.items()
            if count != usual
        ]
    return found


def table(results: list[Figures]) -> str:
    """The figures side by side, one column per run."""

    def broadcast(f: Figures, attribute: str, spec: str = "") -> str:
        value = getattr(f.broadcast, attribute) if f.broadcast else None
        return "-" if value is None else format(value, spec)

    rows: list[tuple[str, ...]] = [
        ("", *(f.label for f in results)),
        ("replicas", *(str(f.replicas) for f in results)),
        ("members (journeys)", *(str(f.members) for f in results)),
        ("journeys finished", *(str(f.finished) for f in results)),
        ("updates from members", *(str(f.updates) for f in results)),
        ("journeys' span, s", *(f"{f.journeys_span:.1f}" for f in results)),
        ("updates/s", *(f"{f.updates_per_second:.1f}" for f in results)),
        ("second tries", *(str(f.retries) for f in results)),
        ("SIGKILL", *(f.killed or "-" for f in results)),
        ("mid-journey at the kill", *(str(f.mid_journey_at_kill) for f in results)),
        ("broadcast recipients", *(str(f.recipients) for f in results)),
        ("broadcast rate, msg/s", *(broadcast(f, "rate", ".2f") for f in results)),
        (
            "  without the failover gap",
            *(broadcast(f, "sending_rate", ".2f") for f in results),
        ),
        ("duplicates", *(broadcast(f, "duplicates") for f in results)),
        ("losses", *(broadcast(f, "losses") for f in results)),
        ("interrupted (failed)", *(broadcast(f, "interrupted") for f in results)),
        ("429 answers", *(str(f.too_many_requests) for f in results)),
        ("updates answered twice", *(str(len(f.double_answers)) for f in results)),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        for row in rows
    )
