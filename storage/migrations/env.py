"""Alembic environment: async engine, URL from the caller (the CLI passes Settings' URL)."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage import models  # noqa: F401 - registers the tables on Base.metadata
from storage.base import Base
from storage.db import create_engine, is_sqlite
from storage.migrate import include_object

config = context.config
target_metadata = Base.metadata


def _run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=is_sqlite(str(connection.engine.url)),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def run_offline(url: str) -> None:
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=is_sqlite(url),
    )
    with context.begin_transaction():
        context.run_migrations()


url = config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    run_offline(url)
else:
    asyncio.run(_run_async(url))
