"""A fresh migrated database per test (SQLite by default; PostgreSQL when
METODSET_TEST_DATABASE_URL is set) and a fresh Dispatcher with a recording Bot.

The suite runs in parallel (pytest-xdist, ``-n auto`` in pyproject.toml): session fixtures
run once per worker, and on PostgreSQL each worker gets its own database, the URL's name
with the worker's id appended (``metodset_test_gw0``), created when missing. Figures that
tests print at the end (``FIGURES``) travel from the workers with their reports."""

import asyncio
import contextlib
import logging
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.app import build_dispatcher
from bot.config import Settings
from bot.i18n import I18n
from bot.replicas import connect, redis_problem
from storage.base import Base
from storage.db import create_engine, create_sessionmaker
from storage.enums import CommunityRole, CommunityStatus, MaterialKind, MembershipStatus, UserStatus
from storage.migrate import upgrade
from storage.models import Community, Membership, User
from storage.repositories import Repo
from storage.sealing import Seal, new_key
from tests.flows import publish
from tests.harness import BotHarness, FakeClock, RecordingSession, make_bot
from tests.people import ADMIN


def _worker_database(url: str | None) -> str | None:
    """Each xdist worker's own PostgreSQL database: tests reset the schema and truncate."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = _worker_database(os.environ.get("METODSET_TEST_DATABASE_URL"))

# Figures a test prints at the end of the run (title -> text), e.g. the fuzzer's and the
# crawler's coverage. Under xdist they are filled in a worker: each test's report carries
# what its test added, and the summary is printed from the reports.
FIGURES: dict[str, str] = {}
_REPORTED: dict[str, str] = {}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    for title, body in FIGURES.items():
        if _REPORTED.get(title) != body:
            _REPORTED[title] = body
            report.user_properties.append(("figures", (title, body)))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    shown: dict[str, str] = {}
    for reports in terminalreporter.stats.values():
        for report in reports:
            for name, value in getattr(report, "user_properties", ()):
                if name == "figures":
                    title, body = value
                    shown[title] = body
    for title, body in shown.items():
        terminalreporter.write_sep("-", title)
        for line in body.splitlines():
            terminalreporter.write_line(line)


async def _create_database(url: str) -> None:
    """Create the URL's database when it does not exist (a worker's own, on first use)."""
    target = make_url(url)
    engine = create_async_engine(
        target.set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with engine.connect() as connection:
            exists = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"),
                {"name": target.database},
            )
            if not exists:
                await connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        await engine.dispose()


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


async def _postgres_reachable(url: str) -> str | None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return None
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Migrate once per run: a template SQLite file to copy, or the PostgreSQL schema."""
    if POSTGRES_URL:
        if os.environ.get("METODSET_TEST_DATABASE_URL") != POSTGRES_URL:
            with contextlib.suppress(Exception):  # unreachable: said just below
                asyncio.run(_create_database(POSTGRES_URL))
        problem = asyncio.run(_postgres_reachable(POSTGRES_URL))
        if problem:
            if os.environ.get("METODSET_REQUIRE_POSTGRES"):
                pytest.fail(f"PostgreSQL is required but unreachable: {problem}")
            pytest.skip(f"PostgreSQL at METODSET_TEST_DATABASE_URL is unreachable: {problem}")
        asyncio.run(_reset_postgres(POSTGRES_URL))
        upgrade(POSTGRES_URL)
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return str(path)


@pytest.fixture
async def database_url(migrated_template: str, tmp_path: Path) -> AsyncIterator[str]:
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        tables = ", ".join([*(t.name for t in Base.metadata.sorted_tables), "material_search"])
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()
        yield POSTGRES_URL
        return
    path = tmp_path / "test.db"
    shutil.copyfile(migrated_template, path)
    yield f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


# The tests' survey key (METODSET_SURVEY_KEY): sealed answers open with it.
SURVEY_KEY = new_key()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine, seal=Seal.from_text(SURVEY_KEY))


REDIS_URL = os.environ.get("METODSET_TEST_REDIS_URL")


@pytest.fixture
async def redis_url() -> str:
    """METODSET_TEST_REDIS_URL when Redis answers there; else the test skips, saying why."""
    if not REDIS_URL:
        pytest.skip(
            "Redis tests need METODSET_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379/9 (.ci/run"
            " sets it)"
        )
    client = connect(REDIS_URL)
    problem = await redis_problem(client, 2.0)
    await client.aclose()
    if problem is not None:
        pytest.skip(f"Redis at METODSET_TEST_REDIS_URL does not answer: {problem}")
    return REDIS_URL


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The CLI as an operator starts it: settings from the environment only."""
    for name in list(os.environ):
        if name.startswith("METODSET_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("METODSET_SURVEY_KEY", new_key())
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    level = root.level
    yield monkeypatch
    for handler in list(root.handlers):  # the CLI installs its own handler on stderr
        if handler.get_name() == "metodset":
            root.removeHandler(handler)
    root.setLevel(level)


def stderr_lines(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.strip()]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in list(os.environ):
        if name.startswith("METODSET_") and name != "METODSET_TEST_DATABASE_URL":
            monkeypatch.delenv(name)
    return Settings(
        _env_file=None,
        bot_token="42:TEST-TOKEN",
        survey_key=SURVEY_KEY,
        database_url=database_url,
        admin_ids=[ADMIN.id],
    )


@pytest.fixture(scope="session")
def i18n() -> I18n:
    return I18n()


@pytest.fixture
async def harness(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: FakeClock,
    i18n: I18n,
) -> AsyncIterator[BotHarness]:
    async with sessionmaker() as session:
        await Repo(session, clock).users.ensure_bootstrap_admins(settings.admin_ids)
        await session.commit()
    recording = RecordingSession()
    bot = make_bot(recording)
    dispatcher = build_dispatcher(
        settings=settings,
        sessionmaker=sessionmaker,
        i18n_hub=i18n,
        clock=clock,
        monotonic=clock.monotonic,
    )
    yield BotHarness(dispatcher, bot, recording, clock=clock)
    await bot.session.close()


@pytest.fixture
async def repo(
    sessionmaker: async_sessionmaker[AsyncSession], clock: FakeClock
) -> AsyncIterator[Repo]:
    """A separate session for arranging and checking rows, as another process would."""
    async with sessionmaker() as session:
        yield Repo(session, clock)


@pytest.fixture
async def library(repo):
    now = repo.clock()
    author = User(
        telegram_id=1, status=UserStatus.ACTIVE, full_name="Автор", subjects=[], created_at=now
    )
    maths = Community(title="Математики", status=CommunityStatus.ACTIVE, created_at=now)
    biology = Community(title="Биологи", status=CommunityStatus.ACTIVE, created_at=now)
    repo.session.add_all([author, maths, biology])
    await repo.session.flush()
    repo.session.add(
        Membership(
            community_id=maths.id,
            user_id=author.id,
            role=CommunityRole.EXPERT,
            status=MembershipStatus.ACTIVE,
            created_at=now,
        )
    )
    repo.session.add(
        Membership(
            community_id=biology.id,
            user_id=author.id,
            role=CommunityRole.EXPERT,
            status=MembershipStatus.ACTIVE,
            created_at=now,
        )
    )
    await repo.session.flush()
    items = {
        "fractions": await publish(
            repo,
            author,
            maths,
            "Сложение дробей",
            description="Урок для 5 класса: обыкновенные дроби",
            grades=(5,),
        ),
        "pupils": await publish(
            repo,
            author,
            maths,
            "Работа с учениками",
            description="Как мотивировать учеников",
            kind=MaterialKind.RECOMMENDATIONS,
            grades=(6, 7),
        ),
        "hedgehog": await publish(
            repo,
            author,
            biology,
            "Ёжик в лесу",
            description="Внеурочное занятие",
            kind=MaterialKind.VIDEO,
            grades=(2,),
        ),
        "english": await publish(
            repo,
            author,
            biology,
            "Teaching photosynthesis",
            description="Lesson with experiments",
            tags=("biology",),
            grades=(6,),
        ),
    }
    await repo.session.commit()
    return items, maths, biology
