"""One process per SQLite file.

SQLite is the embedded backend for one process: two bots on one file would both poll,
both drain the outbox and both run the scheduler, so people would get everything twice.
``lock_sqlite`` takes an exclusive ``flock`` on ``<file>.lock`` for the process's life (the
kernel lets it go when the process ends, however it ends). PostgreSQL is not locked here:
several replicas on it are the scale-out path (docs/deploy.md)."""

import fcntl
import os
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import make_url

from storage.db import is_sqlite


class DatabaseInUse(Exception):
    """Another process holds the SQLite file; the message is the operator's one line."""


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL; None for PostgreSQL and in-memory databases."""
    if not is_sqlite(url):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).absolute()


def lock_sqlite(url: str) -> TextIO | None:
    """Hold ``<file>.lock`` until the returned handle is closed or the process ends.
    None when there is nothing to lock (PostgreSQL, or a folder that does not exist: the
    database's own check says so). Raises ``DatabaseInUse`` when another process holds it."""
    path = sqlite_path(url)
    if path is None or not path.parent.is_dir():
        return None
    lock_path = Path(f"{path}.lock")
    handle = open(lock_path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the process's life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip()
        handle.close()
        who = f"process {holder}" if holder.isdigit() else "another process"
        raise DatabaseInUse(
            f"the database {path} is in use by {who} (it holds {lock_path}): one process per"
            " SQLite file; stop the other one first"
        ) from None
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle
