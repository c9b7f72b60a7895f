"""Report benchmark: the effectiveness report's figures over two years of a large network.

    python bench/bench_reports.py [--users 10000] [--materials 100000] [--activity 1000000]
                                  [--postgres URL] [--no-sqlite] [--repeat 3]

Builds 10,000 members in 20 communities, 100,000 materials (each with its review decision)
and a million activity records over the two years before 7.12.2026: card openings by hour,
downloads, ratings, forum posts, group messages and event answers, with events, threads,
surveys and outbox deliveries around them, all by bulk inserts (COPY on PostgreSQL). Then
times ``ReportRepo.figures`` for the network and for the largest community, for last month
and for the academic year so far, each in a fresh session, on SQLite (a temporary file) and
on PostgreSQL when reachable. Prints the best and worst of the repeats in seconds and the
process's peak RSS. Figures, not assertions: these machines are shared and noisy.
"""

import argparse
import asyncio
import json
import random
import resource
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import create_engine, create_sessionmaker, is_sqlite
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    DeliveryState,
    EventKind,
    EventStatus,
    MaterialKind,
    MaterialStatus,
    MembershipStatus,
    OrganisationKind,
    Position,
    PostStatus,
    ReviewSource,
    ReviewStatus,
    RsvpStatus,
    Subject,
    SurveyStatus,
    ThreadStatus,
    UserStatus,
)
from storage.migrate import upgrade
from storage.models import (
    Community,
    Delivery,
    Event,
    EventRsvp,
    GroupMessage,
    Material,
    MaterialDownload,
    MaterialRating,
    MaterialViews,
    Membership,
    Organisation,
    Post,
    ReviewItem,
    Survey,
    SurveyParticipant,
    Thread,
    User,
)
from storage.periods import Preset, preset_period
from storage.report_figures import Scope
from storage.repositories import Repo

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SPAN = timedelta(days=730)
ZONE = "Europe/Moscow"
COMMUNITIES = 20
ORGANISATIONS = 60
CHUNK = 20_000

# How the million activity records are shared out.
ACTIVITY_SHARES = {
    "views": 0.40,
    "downloads": 0.25,
    "ratings": 0.10,
    "posts": 0.13,
    "group_messages": 0.08,
    "rsvps": 0.04,
}


def moment(rng: random.Random) -> datetime:
    """A moment in the two years before NOW, busier lately (the network grows)."""
    return NOW - SPAN * (1 - rng.random() ** 0.7)


def table_of(model: Any) -> Table:
    table: Table = model.__table__
    return table


async def bulk(connection: AsyncConnection, model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows in chunks: COPY on PostgreSQL, executemany on SQLite."""
    table = table_of(model)
    postgres = not is_sqlite(str(connection.engine.url))
    count = 0
    for chunk in _chunks(rows, CHUNK):
        count += len(chunk)
        if postgres:
            await _copy(connection, table, chunk)
        else:
            await connection.execute(insert(table), chunk)
    return count


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


async def _copy(connection: AsyncConnection, table: Table, chunk: list[dict[str, Any]]) -> None:
    raw = (await connection.get_raw_connection()).driver_connection
    # COPY skips the model's Python-side defaults: pass them (JSON lists are callables).
    defaults = {
        column.name: column.default.arg
        if column.default.is_scalar
        else column.default.arg(None)  # SQLAlchemy wraps them to take a context
        for column in table.columns
        if column.name not in chunk[0] and column.default is not None
    }
    columns = [*chunk[0], *defaults]

    def value(item: Any) -> Any:
        if isinstance(item, Enum):
            return item.value
        if isinstance(item, list | dict):
            return json.dumps(item)
        return item

    await raw.copy_records_to_table(
        table.name,
        columns=columns,
        records=[tuple(value(v) for v in {**row, **defaults}.values()) for row in chunk],
    )


async def populate(url: str, users: int, materials: int, activity: int) -> dict[str, int]:
    rng = random.Random(1)
    engine = create_engine(url)
    counts: dict[str, int] = {}
    try:
        async with engine.begin() as c:
            counts["organisations"] = await bulk(
                c,
                Organisation,
                (
                    {
                        "id": i,
                        "name": f"Школа № {i}",
                        "kind": OrganisationKind.SCHOOL,
                        "municipality": "",
                        "created_at": NOW - SPAN,
                    }
                    for i in range(1, ORGANISATIONS + 1)
                ),
            )
            counts["communities"] = await bulk(
                c,
                Community,
                (
                    {
                        "id": i,
                        "title": f"Сообщество {i:02d}",
                        "status": CommunityStatus.ACTIVE,
                        "created_at": NOW - SPAN,
                    }
                    for i in range(1, COMMUNITIES + 1)
                ),
            )
            subjects = [s.value for s in Subject]
            positions = list(Position)

            def person(i: int) -> dict[str, Any]:
                consent = moment(rng)
                deleted = rng.random() < 0.02
                return {
                    "id": i,
                    "telegram_id": 10_000_000 + i,
                    "status": UserStatus.DELETED if deleted else UserStatus.ACTIVE,
                    "full_name": None if deleted else f"Участник {i}",
                    "organisation_id": None if deleted else rng.randint(1, ORGANISATIONS),
                    "position": None if deleted else rng.choice(positions),
                    "subjects": [] if deleted else rng.sample(subjects, rng.randint(1, 2)),
                    "consent_at": None if deleted else consent,
                    "created_at": consent,
                    "deleted_at": consent + (NOW - consent) * rng.random() if deleted else None,
                }

            counts["users"] = await bulk(c, User, (person(i) for i in range(1, users + 1)))

            # A community of its own for each member, a second one for a third of them;
            # one membership in ten has ended.
            def memberships() -> Iterator[dict[str, Any]]:
                serial = 0
                for user in range(1, users + 1):
                    homes = {1 + (user * 7) % COMMUNITIES}
                    if rng.random() < 0.33:
                        homes.add(rng.randint(1, COMMUNITIES))
                    for community in homes:
                        serial += 1
                        joined = moment(rng)
                        left = rng.random() < 0.1
                        yield {
                            "id": serial,
                            "community_id": community,
                            "user_id": user,
                            "role": CommunityRole.MODERATOR if user <= 40 else CommunityRole.MEMBER,
                            "status": MembershipStatus.LEFT if left else MembershipStatus.ACTIVE,
                            "created_at": joined,
                            "joined_at": joined,
                            "left_at": joined + (NOW - joined) * rng.random() if left else None,
                        }

            counts["memberships"] = await bulk(c, Membership, memberships())
            kinds = list(MaterialKind)
            published_at: dict[int, datetime] = {}

            def material(i: int) -> dict[str, Any]:
                submitted = moment(rng)
                published = rng.random() < 0.9
                if published:
                    published_at[i] = submitted + timedelta(hours=rng.uniform(0.5, 72))
                return {
                    "id": i,
                    "author_id": rng.randint(1, users),
                    "community_id": rng.randint(1, COMMUNITIES),
                    "status": MaterialStatus.PUBLISHED if published else MaterialStatus.REJECTED,
                    "kind": rng.choice(kinds),
                    "title": f"Материал {i}",
                    "grades": rng.sample(range(12), rng.randint(0, 3)),
                    "views": rng.choice((0, 0, 1, 3, 10, 40)),
                    "created_at": submitted,
                    "updated_at": submitted,
                    "submitted_at": submitted,
                    "published_at": published_at.get(i),
                }

            counts["materials"] = await bulk(
                c, Material, (material(i) for i in range(1, materials + 1))
            )
            counts["review_items"] = await bulk(
                c,
                ReviewItem,
                (
                    {
                        "id": i,
                        "community_id": 1 + i % COMMUNITIES,
                        "object_type": "material",
                        "object_id": i,
                        "source": ReviewSource.PREMODERATION,
                        "status": ReviewStatus.APPROVED
                        if i in published_at
                        else ReviewStatus.REJECTED,
                        "created_at": published_at.get(i, NOW) - timedelta(hours=5),
                        "decided_by_id": rng.randint(1, 40),
                        "decided_at": published_at.get(i, NOW - timedelta(hours=1)),
                    }
                    for i in range(1, materials + 1)
                ),
            )
            shares = {name: int(activity * share) for name, share in ACTIVITY_SHARES.items()}

            def view_hours() -> Iterator[dict[str, Any]]:
                seen: set[tuple[int, datetime]] = set()
                while len(seen) < shares["views"]:
                    key = (
                        rng.randint(1, materials),
                        moment(rng).replace(minute=0, second=0, microsecond=0),
                    )
                    if key not in seen:
                        seen.add(key)
                        yield {"material_id": key[0], "hour": key[1], "views": rng.randint(1, 5)}

            counts["material_views"] = await bulk(c, MaterialViews, view_hours())
            counts["material_downloads"] = await bulk(
                c,
                MaterialDownload,
                (
                    {
                        "id": i,
                        "material_id": rng.randint(1, materials),
                        "user_id": rng.randint(1, users),
                        "at": moment(rng),
                    }
                    for i in range(1, shares["downloads"] + 1)
                ),
            )

            def ratings() -> Iterator[dict[str, Any]]:
                seen: set[tuple[int, int]] = set()
                while len(seen) < shares["ratings"]:
                    key = (rng.randint(1, materials), rng.randint(1, users))
                    if key not in seen:
                        seen.add(key)
                        yield {
                            "id": len(seen),
                            "material_id": key[0],
                            "user_id": key[1],
                            "useful": rng.random() < 0.8,
                            "at": moment(rng),
                        }

            counts["material_ratings"] = await bulk(c, MaterialRating, ratings())
            threads = max(1, shares["posts"] // 20)
            thread_opened = {i: moment(rng) for i in range(1, threads + 1)}
            counts["threads"] = await bulk(
                c,
                Thread,
                (
                    {
                        "id": i,
                        "community_id": 1 + i % COMMUNITIES,
                        "author_id": rng.randint(1, users),
                        "title": f"Тема {i}",
                        "status": ThreadStatus.OPEN,
                        "created_at": opened,
                        "last_post_at": opened,
                    }
                    for i, opened in thread_opened.items()
                ),
            )

            def posts() -> Iterator[dict[str, Any]]:
                for i in range(1, shares["posts"] + 1):
                    thread = 1 + (i - 1) % threads  # the first round: each thread's opening post
                    opened = thread_opened[thread]
                    at = opened if i <= threads else opened + (NOW - opened) * rng.random()
                    yield {
                        "id": i,
                        "thread_id": thread,
                        "author_id": rng.randint(1, users),
                        "body": "…",
                        "status": PostStatus.PUBLISHED
                        if rng.random() < 0.95
                        else PostStatus.DELETED,
                        "created_at": at,
                    }

            counts["posts"] = await bulk(c, Post, posts())
            counts["group_messages"] = await bulk(
                c,
                GroupMessage,
                (
                    {
                        "id": i,
                        "community_id": 1 + i % COMMUNITIES,
                        "chat_id": -1000 - i % COMMUNITIES,
                        "message_id": i,
                        "user_id": rng.randint(1, users),
                        "text": "",
                        "created_at": moment(rng),
                    }
                    for i in range(1, shares["group_messages"] + 1)
                ),
            )
            events = max(1, shares["rsvps"] // 20)
            places = ["Гимназия 1", "ИМЦ, ауд. 3", "https://sferum.ru/x", "t.me/live", ""]
            event_kinds = list(EventKind)
            counts["events"] = await bulk(
                c,
                Event,
                (
                    {
                        "id": i,
                        "community_id": None if i % 5 == 0 else 1 + i % COMMUNITIES,
                        "creator_id": rng.randint(1, 40),
                        "kind": rng.choice(event_kinds),
                        "title": f"Событие {i}",
                        "starts_at": moment(rng),
                        "place": rng.choice(places),
                        "time_zone": ZONE,
                        "status": EventStatus.CANCELLED
                        if rng.random() < 0.05
                        else EventStatus.PUBLISHED,
                        "attendance_marked_at": NOW if rng.random() < 0.5 else None,
                        "created_at": NOW - SPAN,
                        "updated_at": NOW - SPAN,
                    }
                    for i in range(1, events + 1)
                ),
            )

            def rsvps() -> Iterator[dict[str, Any]]:
                seen: set[tuple[int, int]] = set()
                while len(seen) < shares["rsvps"]:
                    key = (rng.randint(1, events), rng.randint(1, users))
                    if key not in seen:
                        seen.add(key)
                        yield {
                            "id": len(seen),
                            "event_id": key[0],
                            "user_id": key[1],
                            "status": rng.choice(list(RsvpStatus)),
                            "attended": rng.choice((True, False, None)),
                            "created_at": NOW - SPAN,
                            "updated_at": NOW - SPAN,
                        }

            counts["event_rsvps"] = await bulk(c, EventRsvp, rsvps())
            surveys = 24
            counts["surveys"] = await bulk(
                c,
                Survey,
                (
                    {
                        "id": i,
                        "title": f"Опрос {i}",
                        "status": SurveyStatus.CLOSED,
                        "audience": [],
                        "created_at": NOW - SPAN,
                        "closed_at": NOW - SPAN * (i / surveys) + timedelta(days=1),
                    }
                    for i in range(1, surveys + 1)
                ),
            )
            counts["survey_participants"] = await bulk(
                c,
                SurveyParticipant,
                (
                    {
                        "id": i,
                        "survey_id": 1 + i // 1000,
                        "user_id": 1 + (i * 7919) % users,
                        "answered": rng.random() < 0.4,
                        "group_id": 1 + i % COMMUNITIES,
                    }
                    # a thousand people per survey, distinct within it (7919 is prime)
                    for i in range((surveys - 1) * 1000)
                ),
            )
            counts["deliveries"] = await bulk(
                c,
                Delivery,
                (
                    {
                        "id": i,
                        "key": f"{rng.choice(('broadcast', 'event', 'survey', 'deadline'))}:{i}",
                        "batch_id": None,
                        "chat_id": 1,
                        "user_id": rng.randint(1, users),
                        "text": "…",
                        "not_before": (at := moment(rng)),
                        "state": rng.choice(list(DeliveryState)),
                        "created_at": at,
                        "sent_at": at,
                    }
                    for i in range(1, 50_001)
                ),
            )
        if is_sqlite(url):
            async with engine.begin() as c:
                await c.execute(text("ANALYZE"))
        else:
            async with engine.connect() as c:
                await c.execute(text("COMMIT"))
                await c.execute(text("VACUUM ANALYZE"))
    finally:
        await engine.dispose()
    return counts


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def measure(url: str, label: str, repeat: int) -> None:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    today = date(2026, 12, 7)
    periods = {
        "last month": preset_period(Preset.LAST_MONTH, today, ZONE),
        "academic year": preset_period(Preset.ACADEMIC_YEAR, today, ZONE),
    }
    try:
        for scope in (Scope(), Scope(1 + 7 % COMMUNITIES, "largest")):
            for name, period in periods.items():
                seconds = []
                for _ in range(repeat):
                    async with sessionmaker() as session:
                        started = time.perf_counter()
                        figures = await Repo(session, lambda: NOW).reports.figures(scope, period)
                        seconds.append(time.perf_counter() - started)
                where = "network" if scope.community_id is None else "community"
                print(
                    f"{label:10} {where:9} {name:13} best {min(seconds):6.2f} s,"
                    f" worst {max(seconds):6.2f} s; members {figures.key.members},"
                    f" active {figures.key.active}, published {figures.key.published},"
                    f" views {figures.key.views}, downloads {figures.key.downloads};"
                    f" peak RSS {peak_rss_mb():.0f} MB"
                )
    finally:
        await engine.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--materials", type=int, default=100_000)
    parser.add_argument("--activity", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/metodset_bench_reports"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(f"{args.users} users, {args.materials} materials, {args.activity} activity records")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await asyncio.to_thread(upgrade, url)
            started = time.perf_counter()
            counts = await populate(url, args.users, args.materials, args.activity)
            print(f"sqlite     populated in {time.perf_counter() - started:.1f} s: {counts}")
            await measure(url, "sqlite", args.repeat)
    if await _postgres_ready(args.postgres):
        await _reset_postgres(args.postgres)
        await asyncio.to_thread(upgrade, args.postgres)
        started = time.perf_counter()
        counts = await populate(args.postgres, args.users, args.materials, args.activity)
        print(f"postgresql populated in {time.perf_counter() - started:.1f} s")
        await measure(args.postgres, "postgresql", args.repeat)
    else:
        print("postgresql not reachable: skipped (pass --postgres URL)")


async def _postgres_ready(url: str) -> bool:
    admin = url.rsplit("/", 1)[0] + "/postgres"
    engine = create_engine(admin)
    try:
        async with engine.connect() as connection:
            name = url.rsplit("/", 1)[1]
            exists = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
            if not exists:
                await connection.execute(text("COMMIT"))
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
        return True
    except Exception:
        return False
    finally:
        await engine.dispose()


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
