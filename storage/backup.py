"""`metodset db backup`: an online, consistent copy of a SQLite database (the bot may keep
running), or the pg_dump command for PostgreSQL."""

import shlex
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url


def stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%SZ")


def default_backup_path(database: Path, now: datetime) -> Path:
    """Beside the database, named by the UTC time: metodset-backup-20261208T013000Z.db."""
    return database.with_name(f"{database.stem}-backup-{stamp(now)}{database.suffix or '.db'}")


def backup_sqlite(database: Path, target: Path) -> int:
    """Copy ``database`` to ``target`` with SQLite's backup API: one consistent snapshot,
    taken while other connections read and write (WAL lets them). Written under a
    temporary name first, so a file with the target's name is always a whole backup.
    Returns the copy's size in bytes."""
    if not database.is_file():
        raise FileNotFoundError(f"there is no database file {database}")
    if target.exists():
        raise FileExistsError(f"{target} exists already; choose another --out")
    partial = target.with_name(f"{target.name}.part")
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)
            # A self-contained file: the copy's own WAL folded in, so it travels alone.
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    partial.rename(target)
    return target.stat().st_size


def pg_dump_command(url: str, now: datetime) -> str:
    """The pg_dump command for the configured PostgreSQL database, without its password
    (pg_dump reads it from PGPASSWORD or ~/.pgpass)."""
    parsed = make_url(url)
    parts = ["pg_dump", "--format=custom", f"--file={parsed.database}-{stamp(now)}.dump"]
    if parsed.host:
        parts.append(f"--host={parsed.host}")
    if parsed.port:
        parts.append(f"--port={parsed.port}")
    if parsed.username:
        parts.append(f"--username={parsed.username}")
    parts.append(parsed.database or "")
    return shlex.join(parts)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
