"""Search benchmark: 100,000 materials and 10,000 users, SQLite (and PostgreSQL when reachable).

    python bench/bench_search.py [--materials 100000] [--users 10000] [--postgres URL]
                                 [--no-sqlite]

The corpus mixes the subject words below with a few thousand Russian word forms taken from
the domain's regulations (vocabulary_ru.txt) at a Zipf-like frequency. Prints p50/p95/p99 of
search latency for 1-3 word queries of subject words, for queries made only of the corpus's
most common words, for 1-3 words drawn as often as the corpus holds them and for pairs of
rare words; the on-disk size of the PostgreSQL search table and its indexes; and the time of
submitting and approving a material. Figures, not assertions: these machines are shared and
noisy. PostgreSQL is loaded with COPY and its indexes built afterwards, so a million
materials take minutes (--materials 1000000).

Search quality: for 20 two-word queries of common words, how many of the top 10 results
have both words in the title, against how many the same candidate window could give.
"""

import argparse
import asyncio
import bisect
import itertools
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path

from sqlalchemy import bindparam, insert, text

from storage import search
from storage.db import create_engine, create_sessionmaker
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    ContentType,
    MaterialKind,
    MaterialStatus,
    MembershipStatus,
    UserStatus,
)
from storage.migrate import upgrade
from storage.models import Community, Material, Membership, User
from storage.repositories import Repo
from storage.repositories.materials import ContentCheck, Decision

COMMON = ["урок", "класс", "5"]
SUBJECT_WORDS = [
    "дроби",
    "уравнения",
    "функции",
    "геометрия",
    "треугольник",
    "площадь",
    "окружность",
    "проценты",
    "задачи",
    "орфография",
    "пунктуация",
    "сочинение",
    "изложение",
    "причастие",
    "деепричастие",
    "словарные",
    "диктант",
    "фотосинтез",
    "клетка",
    "экосистема",
    "генетика",
    "эволюция",
    "растения",
    "животные",
    "бактерии",
    "революция",
    "реформы",
    "империя",
    "летопись",
    "отечественная",
    "война",
    "конституция",
    "право",
    "экономика",
    "электричество",
    "магнетизм",
    "оптика",
    "механика",
    "давление",
    "энергия",
    "атом",
    "молекула",
    "реакция",
    "кислоты",
    "проект",
    "исследование",
    "практикум",
    "экскурсия",
    "игра",
    "викторина",
    "олимпиада",
    "конкурс",
    "квест",
    "функциональная",
    "грамотность",
    "читательская",
    "математическая",
    "естественнонаучная",
    "финансовая",
    "оценивание",
    "критерии",
    "рубрика",
    "портфолио",
    "рефлексия",
    "мотивация",
    "дифференциация",
    "инклюзия",
    "презентация",
    "видеоурок",
    "конспект",
    "разработка",
    "рекомендации",
    "программа",
    "контрольная",
    "проверочная",
]
FILLER = [
    "для",
    "по",
    "с",
    "и",
    "на",
    "в",
    "к",
    "от",
    "из",
    "занятие",
    "работа",
    "ученики",
    "учитель",
    "тема",
    "материал",
]


def _load_vocabulary() -> list[str]:
    path = Path(__file__).with_name("vocabulary_ru.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


# Several thousand Russian word forms from the domain's own texts (see vocabulary_ru.txt for
# where they come from), drawn with a Zipf-like frequency: rank r weighs 1/r, so prepositions
# and "сообщества" are everywhere, mid words are in thousands of materials and the tail is rare.
VOCABULARY = _load_vocabulary()
_VOCABULARY_WEIGHTS = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
# The rarest half of the vocabulary: pairs of these match a few materials, or none.
RARE_WORDS = VOCABULARY[len(VOCABULARY) // 2 :]


def _vocabulary_word(rng: random.Random) -> str:
    at = bisect.bisect_left(_VOCABULARY_WEIGHTS, rng.random() * _VOCABULARY_WEIGHTS[-1])
    return VOCABULARY[min(at, len(VOCABULARY) - 1)]


def _word(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return rng.choice(COMMON)
    if roll < 0.4:
        return rng.choice(FILLER)
    if roll < 0.65:
        # Zipf-like: early words of the list are much more frequent. The subject words keep
        # the quality queries' common pairs in thousands of titles.
        index = min(int(rng.paretovariate(1.2)) - 1, len(SUBJECT_WORDS) - 1)
        return SUBJECT_WORDS[index] if rng.random() < 0.5 else rng.choice(SUBJECT_WORDS)
    return _vocabulary_word(rng)


def make_text(rng: random.Random, words: int) -> str:
    return " ".join(_word(rng) for _ in range(words))


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    q = statistics.quantiles(samples, n=100)
    return f"p50 {q[49]:6.2f} ms   p95 {q[94]:6.2f} ms   p99 {q[98]:6.2f} ms   (n={len(samples)})"


async def populate(url: str, materials: int, users: int, rng: random.Random) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(User),
                [
                    {
                        "telegram_id": 10_000 + i,
                        "status": UserStatus.ACTIVE,
                        "full_name": f"Педагог {i}",
                        "subjects": [],
                        "created_at": now,
                    }
                    for i in range(users)
                ],
            )
            await connection.execute(
                insert(Community),
                [
                    {
                        "title": f"Сообщество {i}",
                        "status": CommunityStatus.ACTIVE,
                        "description": "",
                        "area": "",
                        "problem": "",
                        "expected_result": "",
                        "term": "",
                        "initial_participants": "",
                        "created_at": now,
                    }
                    for i in range(20)
                ],
            )
            postgres = connection.dialect.name == "postgresql"
            # Building an index once after the rows are in is far quicker than keeping it up
            # to date row by row (a GIN index most of all); the same definitions come back.
            indexes = await _drop_indexes(connection) if postgres else []
            await insert_materials(
                connection, rng, materials=materials, users=users, communities=20, postgres=postgres
            )
            for definition in indexes:
                await connection.execute(text(definition))
            if postgres:
                await connection.execute(
                    text("SELECT setval('materials_id_seq', :n)"), {"n": materials}
                )
        if postgres:
            # A settled database: statistics and the visibility map are up to date, and the
            # loaded pages are on disk (no checkpoint writing a gigabyte during the timing).
            async with engine.connect() as connection:
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                await connection.execute(text("VACUUM ANALYZE"))
                await connection.execute(text("CHECKPOINT"))
    finally:
        await engine.dispose()


BULK_TABLES = ("materials", "material_search")


async def _drop_indexes(connection) -> list[str]:
    """Drop the bulk-loaded tables' indexes that no constraint owns; their definitions."""
    rows = (
        await connection.execute(
            text(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)"
                " FROM pg_index i"
                " WHERE i.indrelid::regclass::text IN :tables"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
            ).bindparams(bindparam("tables", expanding=True)),
            {"tables": list(BULK_TABLES)},
        )
    ).all()
    for name, _ in rows:
        await connection.execute(text(f"DROP INDEX {name}"))
    return [definition for _, definition in rows]


async def insert_materials(
    connection, rng: random.Random, *, materials: int, users: int, communities: int, postgres: bool
) -> None:
    """``materials`` published materials (ids from 1) by random authors in random
    communities, with their search index rows, inserted 5,000 at a time."""
    now = datetime.now(UTC)
    batch, index_rows = [], []
    for i in range(1, materials + 1):
        title = make_text(rng, rng.randint(2, 6))
        description = make_text(rng, rng.randint(8, 40))
        kind = rng.choice(list(MaterialKind))
        grades = sorted(rng.sample(range(1, 12), rng.randint(1, 3)))
        community_id = rng.randint(1, communities)
        batch.append(
            {
                "id": i,
                "author_id": rng.randint(1, users),
                "community_id": community_id,
                "status": MaterialStatus.PUBLISHED,
                "kind": kind,
                "title": title,
                "description": description,
                "grades": grades,
                "tags": [],
                "content_type": ContentType.TEXT,
                "body": "",
                "created_at": now,
                "updated_at": now,
                "published_at": now,
            }
        )
        doc = search.document(
            title=title,
            description=description,
            tags=[],
            file_name=None,
            body="",
            community_id=community_id,
            kind=kind.value,
            grades=grades,
        )
        index_rows.append({"id": i, "title": doc.title, "body": doc.body, "facets": doc.facets})
        if len(batch) == 5000:
            await _flush(connection, batch, index_rows, postgres)
    await _flush(connection, batch, index_rows, postgres)


async def _flush(connection, batch, index_rows, postgres: bool) -> None:
    if not batch:
        return
    if postgres:
        await _copy(connection, batch, index_rows)
    else:
        await connection.execute(insert(Material), batch)
        await connection.execute(
            text(
                "INSERT INTO material_search (rowid, title, body, facets)"
                " VALUES (:id, :title, :body, :facets)"
            ),
            index_rows,
        )
    batch.clear()
    index_rows.clear()


async def _copy(connection, batch, index_rows) -> None:
    """PostgreSQL's COPY through asyncpg: a million rows in a minute instead of ten."""
    raw = (await connection.get_raw_connection()).driver_connection
    # COPY skips the model's Python-side defaults (views = 0 ...): pass the scalar ones.
    defaults = {
        column.name: column.default.arg
        for column in Material.__table__.columns
        if column.name not in batch[0] and column.default is not None and column.default.is_scalar
    }
    batch = [{**row, **defaults} for row in batch]
    columns = list(batch[0])
    await raw.copy_records_to_table(
        "materials",
        columns=columns,
        records=[
            tuple(
                json.dumps(value)
                if isinstance(value, list)
                else value.value
                if isinstance(value, Enum)
                else value
                for value in row.values()
            )
            for row in batch
        ],
    )
    await raw.copy_records_to_table(
        "material_search",
        columns=["material_id", "title", "body", "facets"],
        records=[(row["id"], row["title"], row["body"], row["facets"]) for row in index_rows],
    )


async def measure(url: str, rng: random.Random, label: str) -> None:
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    mixed = [
        " ".join(rng.choice(SUBJECT_WORDS + COMMON) for _ in range(rng.randint(1, 3)))
        for _ in range(400)
    ]
    common = [" ".join(rng.choice(COMMON) for _ in range(rng.randint(1, 3))) for _ in range(400)]
    # Words as often as the corpus holds them: mostly its head, now and then a rare one.
    frequent = [" ".join(_word(rng) for _ in range(rng.randint(1, 3))) for _ in range(400)]
    rare = [" ".join(rng.sample(RARE_WORDS, 2)) for _ in range(400)]
    try:
        async with sessionmaker() as session:
            repo = Repo(session)
            for query in mixed[:20]:
                await repo.materials.search(query)  # warm the caches
            for name, queries in (
                ("1-3 word queries", mixed),
                ("most common words only", common),
                ("1-3 words by frequency", frequent),
                ("rare-word pairs", rare),
            ):
                samples = []
                for query in queries:
                    started = time.perf_counter()
                    await repo.materials.search(query)
                    samples.append((time.perf_counter() - started) * 1000)
                print(f"{label:10} search, {name:24} {percentiles(samples)}")
            await _measure_quality(repo, label)
            await _measure_submit_and_approve(sessionmaker, label)
    finally:
        await engine.dispose()


# The most frequent content words of the corpus (COMMON and the head of SUBJECT_WORDS).
QUALITY_WORDS = ["урок", "класс", *SUBJECT_WORDS[:8]]
QUALITY_QUERIES = 20
TOP = 10


async def _measure_quality(repo: Repo, label: str) -> None:
    """Top-10 results with every query word in the title, out of what the window allows."""
    rng = random.Random(3)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < QUALITY_QUERIES:
        pair = tuple(rng.sample(QUALITY_WORDS, 2))
        if pair not in pairs and pair[::-1] not in pairs:
            pairs.append(pair)  # type: ignore[arg-type]
    good = possible = 0
    for first, second in pairs:
        found = await repo.materials.search(f"{first} {second}")
        stems = {search.stem(first), search.stem(second)}
        titles = dict(
            (
                await repo.session.execute(
                    text("SELECT id, title FROM materials WHERE id IN :ids").bindparams(
                        bindparam("ids", expanding=True)
                    ),
                    {"ids": found},
                )
            ).all()
        )
        both = [i for i in found if stems <= set(search.tokens(titles[i]))]
        good += sum(1 for i in found[:TOP] if i in set(both))
        possible += min(TOP, len(both))
    print(
        f"{label:10} search quality: {good}/{QUALITY_QUERIES * TOP} of the top {TOP} have both"
        f" words in the title ({possible} possible from the same candidate window)"
    )


async def _measure_submit_and_approve(sessionmaker, label: str) -> None:
    now = datetime.now(UTC)
    async with sessionmaker() as session:
        repo = Repo(session)
        author = await repo.users.get(1)
        moderator = await repo.users.get(2)
        session.add(
            Membership(
                community_id=1,
                user_id=moderator.id,
                role=CommunityRole.MODERATOR,
                status=MembershipStatus.ACTIVE,
                created_at=now,
            )
        )
        await session.commit()
    submit, approve = [], []
    for i in range(100):
        async with sessionmaker() as session:
            repo = Repo(session)
            author = await repo.users.get(1)
            draft = await repo.materials.start_draft(author)
            draft.title, draft.kind, draft.community_id = (
                f"Новый урок {i}",
                MaterialKind.LESSON_PLAN,
                1,
            )
            draft.description, draft.grades = "Разработка урока по теме дроби", [5]
            draft.content_type, draft.body = ContentType.TEXT, "текст материала " * 20
            await session.commit()
            started = time.perf_counter()
            _, item = await repo.materials.submit(draft, ContentCheck(), trusted_after=10**9)
            await session.commit()
            submit.append((time.perf_counter() - started) * 1000)
            moderator = await repo.users.get(2)
            started = time.perf_counter()
            await repo.materials.decide(item.id, moderator, Decision.APPROVE)
            await session.commit()
            approve.append((time.perf_counter() - started) * 1000)
    print(f"{label:10} submit a material (domain + commit)  {percentiles(submit)}")
    print(f"{label:10} approve a material (domain + commit) {percentiles(approve)}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--materials", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument(
        "--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/metodset_bench"
    )
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    args = parser.parse_args()
    print(f"{args.materials} materials, {args.users} users")
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
            await asyncio.to_thread(upgrade, url)
            started = time.perf_counter()
            await populate(url, args.materials, args.users, random.Random(1))
            print(f"sqlite     populated in {time.perf_counter() - started:.1f} s")
            await measure(url, random.Random(2), "sqlite")
    if await _postgres_ready(args.postgres):
        await _reset_postgres(args.postgres)
        await asyncio.to_thread(upgrade, args.postgres)
        started = time.perf_counter()
        await populate(args.postgres, args.materials, args.users, random.Random(1))
        print(f"postgresql populated in {time.perf_counter() - started:.1f} s")
        await _print_sizes(args.postgres)
        await measure(args.postgres, random.Random(2), "postgresql")
    else:
        print("postgresql not reachable: skipped (pass --postgres URL)")


async def _print_sizes(url: str) -> None:
    """On-disk size of the searched tables and of each of their indexes."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text(
                        "SELECT c.relname, c.relkind = 'r',"
                        " pg_size_pretty(pg_relation_size(c.oid)),"
                        " pg_size_pretty(pg_total_relation_size(c.oid))"
                        " FROM pg_class c LEFT JOIN pg_index i ON i.indexrelid = c.oid"
                        " WHERE c.relname IN :tables OR i.indrelid::regclass::text IN :tables"
                        " ORDER BY c.relkind DESC, c.relname"
                    ).bindparams(bindparam("tables", expanding=True)),
                    {"tables": list(BULK_TABLES)},
                )
            ).all()
    finally:
        await engine.dispose()
    for name, table, size, total in rows:
        line = (
            f"table {name}: {size} ({total} with TOAST and indexes)"
            if table
            else f"  index {name}: {size}"
        )
        print(f"postgresql {line}")


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
