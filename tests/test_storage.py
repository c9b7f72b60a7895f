"""Migrations (stairway, models in sync), SQLite pragmas, repository invariants."""

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.base import Base
from storage.db import create_engine, create_sessionmaker
from storage.migrate import downgrade, include_object, revisions, upgrade
from storage.models import User
from tests.conftest import POSTGRES_URL


def test_stairway_upgrade_downgrade_upgrade(tmp_path) -> None:
    if POSTGRES_URL:
        pytest.skip("the stairway runs on its own SQLite file; the PostgreSQL run migrates once")
    url = f"sqlite+aiosqlite:///{tmp_path / 'stairway.db'}"
    previous = "base"
    for revision in revisions():
        upgrade(url, revision)
        downgrade(url, previous)
        upgrade(url, revision)
        previous = revision
    with sqlite3.connect(tmp_path / "stairway.db") as connection:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    assert {
        "users",
        "communities",
        "memberships",
        "organisations",
        "user_roles",
        "audit_log",
    } <= tables


async def test_models_match_migrations(engine) -> None:
    def diff(connection):
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_sqlite_runs_in_wal_with_foreign_keys(engine, database_url) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1


async def test_foreign_keys_are_enforced(engine) -> None:
    from sqlalchemy.exc import IntegrityError

    async with engine.connect() as connection:
        with pytest.raises(IntegrityError):
            await connection.execute(
                text(
                    "INSERT INTO memberships (community_id, user_id, role, status, created_at)"
                    " VALUES (999, 999, 'member', 'active', CURRENT_TIMESTAMP)"
                )
            )


async def test_enum_columns_reject_unknown_values(engine) -> None:
    from sqlalchemy.exc import IntegrityError

    async with engine.connect() as connection:
        with pytest.raises(IntegrityError):
            await connection.execute(
                text(
                    "INSERT INTO users (telegram_id, status, subjects, created_at)"
                    " VALUES (1, 'superuser', '[]', CURRENT_TIMESTAMP)"
                )
            )


def test_engine_factory_accepts_both_backends() -> None:
    assert create_engine("sqlite+aiosqlite://").dialect.name == "sqlite"
    assert create_engine("postgresql+asyncpg://u@localhost/db").dialect.name == "postgresql"


async def test_a_new_users_simultaneous_first_updates_make_one_row(sessionmaker, clock) -> None:
    """Polling handles updates concurrently: two first messages must not collide."""
    from sqlalchemy import func, select

    from storage.models import User
    from storage.repositories import Repo

    async def first_update() -> int:
        async with sessionmaker() as session:
            user = await Repo(session, clock).users.get_or_create(777_000)
            await asyncio.sleep(0.05)  # the transaction stays open, as a handler's does
            await session.commit()
            return user.id

    first, second = await asyncio.gather(first_update(), first_update())

    assert first == second
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(User).where(User.telegram_id == 777_000)
        )
    assert count == 1


PRIVATE = "Петрова Анна, диагноз из медкарты"


async def test_a_failed_statement_logs_the_statement_not_the_values(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            now = datetime(2026, 12, 1, tzinfo=UTC)
            session.add(User(telegram_id=1, full_name="Иванова Мария Петровна", created_at=now))
            await session.commit()
            session.add(User(telegram_id=1, full_name=PRIVATE, created_at=now))
            with pytest.raises(IntegrityError) as raised:
                await session.commit()
    finally:
        await engine.dispose()

    text = str(raised.value)
    assert "INSERT INTO users" in text  # the statement is still there to debug with
    assert "Петрова" not in text
    assert "parameters hidden" in text
