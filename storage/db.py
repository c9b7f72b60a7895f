"""Engine and session factory. SQLite gets WAL and enforced foreign keys on every connection."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql+asyncpg"):
        # asyncpg prepares every statement; after five runs PostgreSQL may switch to a generic
        # plan that cannot see how common a search word is, and full-text queries get 10x slower.
        connect_args["server_settings"] = {"plan_cache_mode": "force_custom_plan"}
    engine = create_async_engine(
        url, echo=echo, pool_pre_ping=not is_sqlite(url), connect_args=connect_args
    )
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def insert_new(session: AsyncSession, model: type, values: dict[str, Any], unique) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on the ``unique`` columns, in either dialect: a
    row that exists already (maybe inserted a moment ago by a concurrent update) is left
    as it is. True when this call added the row."""
    from sqlalchemy.dialects.postgresql import insert as postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else postgresql_insert
    result = await session.execute(
        insert(model).values(**values).on_conflict_do_nothing(index_elements=list(unique))
    )
    return result.rowcount == 1
