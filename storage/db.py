"""Engine and session factory. SQLite gets WAL and enforced foreign keys on every connection."""

import logging
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import CursorResult, Result, event
from sqlalchemy.dialects.postgresql import Insert as PostgreSQLInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SQLiteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import InstrumentedAttribute

from storage.sealing import SEAL_INFO, Seal
from storage.user_cache import USER_CACHE_INFO, UserCache, watch_user_changes

# aiosqlite logs every statement with its values at DEBUG ("executing partial(..., params)"):
# a survey answer beside its participant, personal data. Its debugging is not worth that.
logging.getLogger("aiosqlite").setLevel(logging.INFO)
logger = logging.getLogger(__name__)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Deleted content is overwritten with zeros, not left in free pages: a sealed response
    # released into the results, or a participant's earlier mark, leaves nothing behind.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    # No connection-wide plan_cache_mode: search asks for plans made for its own words
    # (a SET LOCAL in storage/search.py); every other statement keeps the plan cache.
    engine = create_async_engine(
        url,
        echo=echo,
        pool_pre_ping=not is_sqlite(url),
        # A database error in the log names the statement, never the row's values: no
        # survey answer beside a participant, no personal data, no token.
        hide_parameters=True,
    )
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    return engine


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE, DELETE or INSERT changed. ``Session.execute`` is typed to return
    a ``Result``; for those statements it is a ``CursorResult``, which counts them."""
    return cast(CursorResult[Any], result).rowcount


def create_sessionmaker(
    engine: AsyncEngine, *, seal: Seal | None = None, user_cache: UserCache | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded rows after a commit. Each session's ``info`` carries
    ``seal`` (the survey key), for the survey repository to seal and open answers with, and
    the senders kept between updates (storage/user_cache.py), which every session of this
    sessionmaker keeps true by telling it whom it changed."""
    watch_user_changes()
    return async_sessionmaker(
        engine,
        expire_on_commit=False,
        info={SEAL_INFO: seal, USER_CACHE_INFO: UserCache() if user_cache is None else user_cache},
    )


async def scrub_tables(engine: AsyncEngine, tables: Iterable[str]) -> bool:
    """Remove what deleted and updated rows of ``tables`` leave behind, outside any
    transaction. PostgreSQL: VACUUM FULL writes each table (and its indexes and TOAST)
    into new files, with only the live rows, so no earlier version of a row and no
    transaction id it carried remains. SQLite: deletions were zeroed as they happened
    (secure_delete); the write-ahead log still holds earlier pages until it is
    checkpointed into the database and truncated. True when it is done; False when other
    connections held it up (the next scrub tries again)."""
    async with engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        if is_sqlite(str(engine.url)):
            checkpoint = await autocommit.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            busy = checkpoint.scalar()  # (busy, log frames, checkpointed frames)
            return busy == 0
        try:
            # While VACUUM FULL waits for its lock, every query of the table queues behind
            # it: it gives up soon, and the next scrub tries again.
            await autocommit.exec_driver_sql("SET lock_timeout = '500ms'")
            await autocommit.exec_driver_sql(f"VACUUM FULL {', '.join(tables)}")
        except DBAPIError as error:
            logger.warning("Scrubbing waits for the next time: %s", error.orig)
            return False
        return True


async def insert_new(
    session: AsyncSession,
    model: type,
    values: dict[str, Any],
    unique: Iterable[InstrumentedAttribute[Any]],
) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on the ``unique`` columns, in either dialect: a
    row that exists already (maybe inserted a moment ago by a concurrent update) is left
    as it is. True when this call added the row."""
    result = await session.execute(
        upsert(session, model).values(**values).on_conflict_do_nothing(index_elements=list(unique))
    )
    return rowcount(result) == 1


def upsert(session: AsyncSession, model: type) -> SQLiteInsert | PostgreSQLInsert:
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL spell it alike)."""
    if session.get_bind().dialect.name == "sqlite":
        return sqlite_insert(model)
    return postgresql_insert(model)


# PostgreSQL SQLSTATE classes that mean "the database cannot be reached or used now",
# not "this statement is wrong": connection exceptions, authorisation (a wrong role or
# password), an unknown database, too many connections, shutdown or start-up in progress.
_UNAVAILABLE_SQLSTATES = ("08", "28", "3D", "53", "57P")


_DATABASE_MODULES = ("sqlalchemy.", "asyncpg.", "aiosqlite.", "alembic.")


def _raised_by_database(error: BaseException) -> bool:
    traceback = error.__traceback__
    while traceback is not None:
        module = traceback.tb_frame.f_globals.get("__name__", "")
        if module.startswith(_DATABASE_MODULES):
            return True
        traceback = traceback.tb_next
    return False


class CommitFailed(Exception):
    """An update's one transaction could not be committed: nothing it wrote stands, and
    nothing it meant to tell others was sent. The database's own error is the cause."""


class DatabaseUnavailable(Exception):
    """Found before connecting: the database cannot be there (e.g. its folder is missing)."""


def check_sqlite_folder(url: str) -> None:
    """SQLite creates the file but not its folder; say so before the driver fails (aiosqlite
    leaves the failed connection's thread behind)."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    if not is_sqlite(url):
        return
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).parent
    if not folder.is_dir():
        raise DatabaseUnavailable(f"the folder {folder} does not exist")


def database_unavailable(error: BaseException) -> bool:
    """True when ``error`` says the database is away (down, unreachable, refusing us),
    as opposed to a bug in a query: an outage is reported once, not as a traceback."""
    from sqlalchemy import exc

    if isinstance(error, DatabaseUnavailable):
        return True
    if isinstance(error, exc.TimeoutError | exc.InterfaceError):
        return True  # a full pool times out; a dropped connection
    if isinstance(error, OSError | TimeoutError):
        # asyncpg raises socket errors unwrapped; an OSError from elsewhere (an HTTP
        # client's "connection refused") is not the database's.
        return _raised_by_database(error)
    if isinstance(error, exc.DBAPIError):
        if error.connection_invalidated or isinstance(error, exc.OperationalError):
            return True
        sqlstate = getattr(error.orig, "sqlstate", None) or ""
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    return False


def describe_database_error(error: BaseException) -> str:
    """The reason in one line: the driver's own words, without SQLAlchemy's background link."""
    from sqlalchemy import exc

    if isinstance(error, exc.DBAPIError) and error.orig is not None:
        text = str(error.orig)
    elif isinstance(error, DatabaseUnavailable):
        text = str(error)
    else:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def display_url(url: str) -> str:
    """The database URL as it may be shown: the password masked."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL: show its scheme only
        return url.split("://", 1)[0] + "://…"


def unreachable_database(url: str, error: BaseException) -> str:
    """The one line an operator reads when the database cannot be reached at start-up."""
    return f"cannot reach the database at {display_url(url)}: {describe_database_error(error)}"
