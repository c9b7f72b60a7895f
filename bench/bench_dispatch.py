"""Dispatch benchmark: a realistic mix of updates through the real Dispatcher, against bare aiogram.

    python bench/bench_dispatch.py [--updates N] [--postgres URL]

Feeds real aiogram Updates to bot.app.build_dispatcher with a null Bot session (no network):
40% /search, 20% community and material cards (button presses), 20% ordinary messages in a
community's linked group (the conduct check), 10% /start and /help, 10% /events and /surveys,
from active members, over 10,000 users and 100,000 published materials. The baseline is a
bare aiogram Dispatcher whose one router answers every message ("ok") and every button,
fed the very same updates with the same null session, in the same process.

Interleaved rounds (N/5 updates through metodset, then the same through bare aiogram, five
times), sequential, on SQLite and on PostgreSQL when reachable. Prints updates/s and their
ratio per backend, SQL statements per update kind, how many updates of each kind the
handlers answered, and the peak RSS. Figures, not assertions: these machines are shared and
noisy.
"""

import argparse
import asyncio
import logging
import random
import resource
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ParseMode
from aiogram.methods import (
    EditMessageText,
    GetChatMember,
    GetMe,
    GetMyCommands,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberMember,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from aiogram.types import User as TgUser
from bench_search import (
    COMMON,
    SUBJECT_WORDS,
    _postgres_ready,
    _reset_postgres,
    insert_materials,
    make_text,
)
from sqlalchemy import event, func, insert, select, text

from bot.app import build_dispatcher
from bot.callbacks import (
    CommunityAction,
    CommunityCallback,
    MaterialAction,
    MaterialCallback,
)
from bot.config import Settings
from bot.i18n import I18n
from storage.db import create_engine, create_sessionmaker
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    EventKind,
    EventStatus,
    MembershipStatus,
    QuestionKind,
    SurveyStatus,
    UserStatus,
)
from storage.migrate import upgrade
from storage.models import (
    Community,
    Event,
    GroupMember,
    Membership,
    Survey,
    SurveyParticipant,
    SurveyQuestion,
    User,
)
from storage.sealing import Seal, new_key

BOT_ID = 42
BOT_USER = TgUser(id=BOT_ID, is_bot=True, first_name="Методсеть", username="metodset_bot")
COMMUNITIES = 3
GROUP_CHAT = -1_001_000_000_000  # community c's linked group: GROUP_CHAT - c
SENDERS_PER_COMMUNITY = 200  # the members who send the updates (all of them are warmed up)
MEMBERS_PER_COMMUNITY = 1000
ROUNDS = 5
TELEGRAM_ID = 10_000  # user i (database id i + 1) has Telegram id TELEGRAM_ID + i

KINDS = ("search", "cards", "group", "start/help", "events/surveys")
MIX = (0.4, 0.2, 0.2, 0.1, 0.1)

# Answers that mean the update missed its handler (or failed): a fallback hint, the
# consent gate, the throttle, an error.
WRONG_PATH_KEYS = (
    "unknown-message",
    "expect-text",
    "consent-required",
    "help-start",
    "throttled",
    "error-unexpected",
    "error-stale-button",
)


# --- the null Bot session ---------------------------------------------------------------------


class NullSession(BaseSession):
    """Answers every Bot API call at once with a plausible result; counts the calls of the
    update being fed and keeps the texts it sent (to tell a wrong path from a real answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.texts: list[str] = []
        self._message_ids = 1_000_000

    def reset(self) -> None:
        self.calls = 0
        self.texts.clear()

    async def close(self) -> None:
        """Nothing to close: no connection was ever opened."""

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> Any:
        self.calls += 1
        if isinstance(method, SendMessage | EditMessageText):
            self.texts.append(method.text)
            chat_id = int(method.chat_id or 0)
            self._message_ids += 1
            return Message(
                message_id=method.message_id
                if isinstance(method, EditMessageText) and method.message_id
                else self._message_ids,
                date=datetime.now(UTC),
                chat=Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup"),
                from_user=BOT_USER,
                text=method.text,
                # Only an inline keyboard stays on a message (a reply keyboard is the chat's).
                reply_markup=method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None,
            ).as_(bot)
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, GetChatMember):
            return ChatMemberMember(user=TgUser(id=method.user_id, is_bot=False, first_name="x"))
        if isinstance(method, GetMyCommands):
            return []
        return True  # answerCallbackQuery, setMyCommands, deleteMessage...


def make_bot(session: NullSession) -> Bot:
    return Bot(
        f"{BOT_ID}:BENCH-TOKEN",
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


# --- the database -----------------------------------------------------------------------------


async def populate(url: str, materials: int, users: int, rng: random.Random) -> None:
    """10,000 consented users, 3 communities with a linked group and 1,000 members each,
    100,000 published materials (bench_search's corpus), a few events, one open survey
    to which everyone is invited."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        async with engine.begin() as connection:
            postgres = connection.dialect.name == "postgresql"
            await connection.execute(
                insert(User),
                [
                    {
                        "telegram_id": TELEGRAM_ID + i,
                        "status": UserStatus.ACTIVE,
                        "full_name": f"Педагог {i}",
                        "subjects": [],
                        "consent_at": now,
                        "created_at": now,
                    }
                    for i in range(users)
                ],
            )
            await connection.execute(
                insert(Community),
                [
                    {
                        "id": c,
                        "title": f"Сообщество {c}",
                        "status": CommunityStatus.ACTIVE,
                        "description": "Методическое объединение учителей",
                        "area": "",
                        "problem": "",
                        "expected_result": "",
                        "term": "",
                        "initial_participants": "",
                        "group_chat_id": GROUP_CHAT - c,
                        "conduct_settings": {},
                        "created_at": now,
                    }
                    for c in range(1, COMMUNITIES + 1)
                ],
            )
            # User i + 1 (0-based i) is a member of community i % 3 + 1; the first user of
            # each community moderates it, the second is its expert.
            await connection.execute(
                insert(Membership),
                [
                    {
                        "community_id": i % COMMUNITIES + 1,
                        "user_id": i + 1,
                        "role": CommunityRole.MODERATOR
                        if i < COMMUNITIES
                        else CommunityRole.EXPERT
                        if i < 2 * COMMUNITIES
                        else CommunityRole.MEMBER,
                        "status": MembershipStatus.ACTIVE,
                        "created_at": now,
                    }
                    for i in range(min(users, COMMUNITIES * MEMBERS_PER_COMMUNITY))
                ],
            )
            await insert_materials(
                connection,
                rng,
                materials=materials,
                users=users,
                communities=COMMUNITIES,
                postgres=postgres,
            )
            await connection.execute(
                insert(Event),
                [
                    {
                        "community_id": community_id,
                        "creator_id": 1,
                        "kind": kind,
                        "title": title,
                        "description": "Разбор заданий и обмен опытом",
                        "starts_at": now + timedelta(days=days),
                        "duration_minutes": 90,
                        "place": "https://example.org/webinar",
                        "time_zone": "Europe/Moscow",
                        "reminders": [60],
                        "status": EventStatus.PUBLISHED,
                        "recurrence": "",
                        "revision": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                    for community_id, kind, title, days in (
                        (None, EventKind.WEBINAR, "Функциональная грамотность", 3),
                        (None, EventKind.SEMINAR, "Оценивание по критериям", 10),
                        (1, EventKind.OPEN_LESSON, "Открытый урок: дроби", 5),
                        (2, EventKind.MASTER_CLASS, "Мастер-класс: сочинение", 7),
                        (3, EventKind.ROUND_TABLE, "Круглый стол: экосистемы", 14),
                    )
                ],
            )
            await connection.execute(
                insert(Survey),
                [
                    {
                        "id": 1,
                        "title": "Методическая неделя: ваши ожидания",
                        "intro": "Пять минут, анонимно",
                        "creator_id": 1,
                        "status": SurveyStatus.OPEN,
                        "audience": [],
                        "opens_at": now - timedelta(days=1),
                        "closes_at": now + timedelta(days=6),
                        "min_group": 5,
                        "reminders_max": 2,
                        "created_at": now - timedelta(days=2),
                    }
                ],
            )
            await connection.execute(
                insert(SurveyQuestion),
                [
                    {
                        "survey_id": 1,
                        "position": 0,
                        "kind": QuestionKind.SCALE,
                        "text": "Насколько полезны семинары?",
                        "options": [],
                        "scale_max": 5,
                        "scale_labels": ["совсем нет", "очень"],
                        "required": True,
                    },
                    {
                        "survey_id": 1,
                        "position": 1,
                        "kind": QuestionKind.TEXT,
                        "text": "Что добавить?",
                        "options": [],
                        "scale_max": 5,
                        "scale_labels": [],
                        "required": False,
                    },
                ],
            )
            await connection.execute(
                insert(SurveyParticipant),
                [{"survey_id": 1, "user_id": i + 1} for i in range(users)],
            )
            if postgres:
                for table, n in (
                    ("materials", materials),
                    ("communities", COMMUNITIES),
                    ("surveys", 1),
                ):
                    await connection.execute(text(f"SELECT setval('{table}_id_seq', :n)"), {"n": n})
                await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


# --- the updates ------------------------------------------------------------------------------


@dataclass
class Workload:
    updates: list[tuple[str, Update]]
    warmup: list[Update]
    senders: list[int] = field(default_factory=list)


def tg_user(telegram_id: int) -> TgUser:
    return TgUser(id=telegram_id, is_bot=False, first_name="Мария", language_code="ru")


def private_message(ids, telegram_id: int, body: str) -> Update:
    message = Message(
        message_id=next(ids),
        date=datetime.now(UTC),
        chat=Chat(id=telegram_id, type="private", first_name="Мария"),
        from_user=tg_user(telegram_id),
        text=body,
    )
    return Update(update_id=next(ids), message=message)


def group_message(ids, telegram_id: int, community_id: int, body: str) -> Update:
    message = Message(
        message_id=next(ids),
        date=datetime.now(UTC),
        chat=Chat(id=GROUP_CHAT - community_id, type="supergroup", title="Группа"),
        from_user=tg_user(telegram_id),
        text=body,
    )
    return Update(update_id=next(ids), message=message)


def press(ids, telegram_id: int, data: str) -> Update:
    """A button pressed on a message the bot sent earlier in the private chat."""
    shown = Message(
        message_id=next(ids),
        date=datetime.now(UTC),
        chat=Chat(id=telegram_id, type="private", first_name="Мария"),
        from_user=BOT_USER,
        text="Результаты поиска",
    )
    callback = CallbackQuery(
        id=str(next(ids)),
        from_user=tg_user(telegram_id),
        chat_instance="bench",
        message=shown,
        data=data,
    )
    return Update(update_id=next(ids), callback_query=callback)


def make_workload(count: int, materials: int, rng: random.Random) -> Workload:
    """``count`` updates of the mix, shuffled; senders are ordinary members (no moderators:
    the conduct code skips them) of the three communities."""
    ids = iter(range(1, 10**9))
    by_community = {
        c: [
            TELEGRAM_ID + i
            for i in range(2 * COMMUNITIES, COMMUNITIES * MEMBERS_PER_COMMUNITY)
            if i % COMMUNITIES + 1 == c
        ][:SENDERS_PER_COMMUNITY]
        for c in range(1, COMMUNITIES + 1)
    }
    senders = [s for members in by_community.values() for s in members]
    plan: list[str] = []
    for kind, share in zip(KINDS, MIX, strict=True):
        plan += [kind] * round(count * share)
    plan = (plan + ["search"] * count)[:count]
    rng.shuffle(plan)
    updates = []
    for kind in plan:
        sender = rng.choice(senders)
        if kind == "search":
            words = " ".join(rng.choice(SUBJECT_WORDS + COMMON) for _ in range(rng.randint(1, 3)))
            update = private_message(ids, sender, f"/search {words}")
        elif kind == "cards":
            if rng.random() < 0.5:
                data = CommunityCallback(
                    action=CommunityAction.CARD, community_id=rng.randint(1, COMMUNITIES)
                ).pack()
            else:
                data = MaterialCallback(
                    action=MaterialAction.OPEN, material_id=rng.randint(1, materials)
                ).pack()
            update = press(ids, sender, data)
        elif kind == "group":
            community_id = rng.randint(1, COMMUNITIES)
            author = rng.choice(by_community[community_id])
            body = make_text(rng, rng.randint(4, 25)).capitalize() + "."
            update = group_message(ids, author, community_id, body)
        elif kind == "start/help":
            update = private_message(ids, sender, rng.choice(("/start", "/help")))
        else:
            update = private_message(ids, sender, rng.choice(("/events", "/surveys")))
        updates.append((kind, update))
    # Each sender's first update in a process also recomputes their "/" menu (bot/commands.py,
    # again every 10 minutes): warmed up once, so the rounds measure the steady state.
    warmup = [private_message(ids, sender, "/help") for sender in senders]
    return Workload(updates, warmup, senders)


# --- the run ----------------------------------------------------------------------------------


def bare_dispatcher() -> Dispatcher:
    router = Router(name="bare")

    @router.message()
    async def on_message(message: Message) -> None:
        await message.answer("ok")

    @router.callback_query()
    async def on_callback(callback: CallbackQuery) -> None:
        await callback.answer()

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


class LogCounter(logging.Handler):
    """Counts the errors router's lines (a refusal at INFO, a failure at ERROR)."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.records = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.records += 1


@dataclass
class Tally:
    fed: Counter = field(default_factory=Counter)
    answered: Counter = field(default_factory=Counter)  # at least one Bot API call
    wrong: Counter = field(default_factory=Counter)  # a fallback, consent, throttle, error text
    unhandled: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    statements: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    waited: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


async def measure(
    url: str, label: str, workload: Workload, i18n: I18n, *, show_sql: bool = False
) -> dict[str, Any]:
    engine = create_engine(url)
    statements = [0]
    said: list[str] = []  # the statements of the update being fed

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements[0] += 1
        said.append(" ".join(statement.split())[:160])

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    waited = [0.0]  # seconds between a statement's start and its result, this update
    started_at = [0.0]

    def start_clock(*_: Any) -> None:
        started_at[0] = time.perf_counter()

    def stop_clock(*_: Any) -> None:
        waited[0] += time.perf_counter() - started_at[0]

    event.listen(engine.sync_engine, "before_cursor_execute", start_clock)
    event.listen(engine.sync_engine, "after_cursor_execute", stop_clock)
    key = new_key()
    sessionmaker = create_sessionmaker(engine, seal=Seal.from_text(key))
    settings = Settings(
        _env_file=None,
        bot_token=f"{BOT_ID}:BENCH-TOKEN",
        survey_key=key,
        database_url=url,
        admin_ids=[],
    )
    translate = i18n.translator("ru")
    wrong_texts = {translate(key) for key in WRONG_PATH_KEYS}
    errors_log = logging.getLogger("handlers.errors")
    counter = LogCounter()
    errors_log.addHandler(counter)
    errors_log.setLevel(logging.INFO)
    errors_log.propagate = False  # counted, and shown as a count in the table

    session, bare_session = NullSession(), NullSession()
    bot, bare_bot = make_bot(session), make_bot(bare_session)
    metodset = build_dispatcher(settings=settings, sessionmaker=sessionmaker, i18n_hub=i18n)
    bare = bare_dispatcher()
    tally = Tally()
    try:
        async with engine.connect() as connection:
            checked_before = await connection.scalar(select(func.sum(GroupMember.messages))) or 0
        for update in workload.warmup:
            await metodset.feed_update(bot, update)
        for update in workload.warmup:
            await bare.feed_update(bare_bot, update)
        elapsed = {"metodset": 0.0, "bare": 0.0}
        size = -(-len(workload.updates) // ROUNDS)
        for start in range(0, len(workload.updates), size):
            chunk = workload.updates[start : start + size]
            started = time.perf_counter()
            for kind, update in chunk:
                session.reset()
                statements[0] = 0
                waited[0] = 0.0
                said.clear()
                errors_before = counter.records
                fed_at = time.perf_counter()
                result = await metodset.feed_update(bot, update)
                tally.seconds[kind].append(time.perf_counter() - fed_at)
                tally.fed[kind] += 1
                tally.statements[kind].append(statements[0])
                tally.waited[kind].append(waited[0])
                tally.answered[kind] += session.calls > 0
                tally.wrong[kind] += any(t in wrong_texts for t in session.texts)
                tally.unhandled[kind] += result is UNHANDLED
                tally.errors[kind] += counter.records > errors_before
                if show_sql and tally.fed[kind] == 1:
                    print(f"{label} {kind}: {len(said)} statements")
                    for line in said:
                        print(f"    {line}")
            elapsed["metodset"] += time.perf_counter() - started
            started = time.perf_counter()
            for _, update in chunk:
                await bare.feed_update(bare_bot, update)
            elapsed["bare"] += time.perf_counter() - started
        async with engine.connect() as connection:
            checked_after = await connection.scalar(select(func.sum(GroupMember.messages))) or 0
    finally:
        errors_log.removeHandler(counter)
        errors_log.propagate = True
        await bot.session.close()
        await engine.dispose()
    n = len(workload.updates)
    return {
        "label": label,
        "metodset": n / elapsed["metodset"],
        "bare": n / elapsed["bare"],
        "tally": tally,
        "group_checked": checked_after - checked_before,
    }


def resident_mb() -> float:
    """The process's resident set now (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def report(result: dict[str, Any]) -> None:
    label, tally = result["label"], result["tally"]
    print(f"\n{label}: SQL statements per update, time per update, what the handlers answered")
    print(
        f"  {'kind':16} {'fed':>5} {'answered':>8} {'wrong path':>10} {'unhandled':>9}"
        f" {'errors':>6} {'SQL mean':>8} {'median':>6} {'ms mean':>7} {'median':>6}"
        f" {'DB ms':>6}"
    )
    everything: list[int] = []
    spent: list[float] = []
    waited: list[float] = []
    for kind in KINDS:
        counts, seconds = tally.statements[kind], tally.seconds[kind]
        everything += counts
        spent += seconds
        waited += tally.waited[kind]
        print(
            f"  {kind:16} {tally.fed[kind]:5} {tally.answered[kind]:8} {tally.wrong[kind]:10}"
            f" {tally.unhandled[kind]:9} {tally.errors[kind]:6}"
            f" {statistics.mean(counts):8.1f} {statistics.median(counts):6g}"
            f" {1000 * statistics.mean(seconds):7.2f} {1000 * statistics.median(seconds):6.2f}"
            f" {1000 * statistics.mean(tally.waited[kind]):6.2f}"
        )
    print(
        f"  {'overall':16} {sum(tally.fed.values()):5} {sum(tally.answered.values()):8}"
        f" {sum(tally.wrong.values()):10} {sum(tally.unhandled.values()):9}"
        f" {sum(tally.errors.values()):6}"
        f" {statistics.mean(everything):8.1f} {statistics.median(everything):6g}"
        f" {1000 * statistics.mean(spent):7.2f} {1000 * statistics.median(spent):6.2f}"
        f" {1000 * statistics.mean(waited):6.2f}"
    )
    print(
        "  (ms: the whole update through the Dispatcher; DB ms: of that, the mean time between"
        " a statement's start and its result, driver and thread hops included)"
    )
    print(
        f"  group messages counted by the conduct check: {result['group_checked']}"
        f" of {tally.fed['group']} (a clean message gets no answer: the check is seen in"
        " group_members.messages)"
    )
    for kind in KINDS:
        reached = tally.answered[kind] if kind != "group" else result["group_checked"]
        if tally.fed[kind] and not reached:
            print(f"  BROKEN: no {kind} update reached its handler")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--materials", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument(
        "--show-sql", action="store_true", help="print the statements of each kind's first update"
    )
    parser.add_argument(
        "--postgres",
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/metodset_bench_dispatch",
    )
    args = parser.parse_args()
    imported_rss = resident_mb()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger().setLevel(logging.WARNING)
    i18n = I18n()
    workload = make_workload(args.updates, args.materials, random.Random(2))
    mix = ", ".join(f"{kind} {share:.0%}" for kind, share in zip(KINDS, MIX, strict=True))
    print(
        f"{args.updates} updates ({mix}),"
        f" {ROUNDS} interleaved rounds; {args.users} users, {args.materials} materials,"
        f" {len(workload.senders)} senders (warmed up)",
        flush=True,
    )
    results = []
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        started = time.perf_counter()
        await populate(url, args.materials, args.users, random.Random(1))
        print(f"sqlite     populated in {time.perf_counter() - started:.1f} s", flush=True)
        results.append(await measure(url, "sqlite", workload, i18n, show_sql=args.show_sql))
    if await _postgres_ready(args.postgres):
        await _reset_postgres(args.postgres)
        await asyncio.to_thread(upgrade, args.postgres)
        started = time.perf_counter()
        await populate(args.postgres, args.materials, args.users, random.Random(1))
        print(f"postgresql populated in {time.perf_counter() - started:.1f} s", flush=True)
        results.append(
            await measure(args.postgres, "postgresql", workload, i18n, show_sql=args.show_sql)
        )
    else:
        print("postgresql not reachable: skipped (pass --postgres URL)")
    for result in results:
        report(result)
    print(f"\n  {'backend':10} {'metodset':>12} {'bare aiogram':>14} {'bare/metodset':>14}")
    for result in results:
        print(
            f"  {result['label']:10} {result['metodset']:8.0f} u/s {result['bare']:10.0f} u/s"
            f" {result['bare'] / result['metodset']:13.1f}x"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nupdates/s, sequential; each round: {args.updates // ROUNDS} updates through metodset,"
    )
    print("then the same through bare aiogram (one router answering everything), same null session")
    print(
        f"\nRSS {imported_rss:.0f} MB with everything imported, {resident_mb():.0f} MB after the"
        f" run, peak {peak:.0f} MB ({args.users} users, {args.materials} materials)"
    )


if __name__ == "__main__":
    asyncio.run(main())
