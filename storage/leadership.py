"""One leader per role across replicas: whoever holds a PostgreSQL advisory lock.

Several replicas share one database; work that must run once for the whole deployment
(the outbox sender, whose pace is the bot's Telegram budget, and the scheduler) runs only
on the replica that holds the role's session-level advisory lock
(``pg_try_advisory_lock``). The lock lives as long as the connection that took it: when the
holder dies, its connection drops and PostgreSQL frees the lock, and another replica, trying
every few seconds, takes it over. The holder checks its connection every few seconds too:
a lost connection is lost leadership, and the work is cancelled at once.

A replica that has just taken the lock waits out the time a previous holder needs to notice
its loss (``check_seconds`` twice: one check, one timed-out query) before it starts the work,
so the two never work at once. On SQLite every process leads: one process per file is
already enforced (storage/single_process.py)."""

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.db import database_unavailable, describe_database_error

logger = logging.getLogger(__name__)
Work = Callable[[], Coroutine[Any, Any, None]]  # started afresh each time this replica leads


class LeadershipObserver(Protocol):
    """Told when this replica starts or stops leading a role (bot/metrics.py shows it)."""

    def leadership(self, role: str, leading: bool) -> None: ...


def lock_key(role: str) -> int:
    """The role's advisory lock key: a stable 64-bit number from its name."""
    digest = hashlib.sha256(f"metodset:{role}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Leader:
    def __init__(
        self,
        engine: AsyncEngine,
        role: str,
        *,
        retry_seconds: float = 5.0,
        check_seconds: float = 2.0,
        observer: LeadershipObserver | None = None,
    ):
        self.role = role
        self.key = lock_key(role)
        self.leading = False
        self._engine = engine
        self._retry_seconds = retry_seconds
        self._check_seconds = check_seconds
        self._observer = observer
        self._task: asyncio.Task[None] | None = None

    def start(self, work: Work) -> None:
        """Run ``work()`` whenever this replica leads, until ``stop``."""
        self._task = asyncio.create_task(self.run(work), name=f"leader-{self.role}")

    async def stop(self) -> None:
        """Stop the work and let the lock go, for another replica to take at once."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def run(self, work: Work) -> None:
        if self._engine.dialect.name == "sqlite":
            self._set(True)
            try:
                await work()
            finally:
                self._set(False)
            return
        while True:
            connection = await self._acquire()
            try:
                await asyncio.sleep(2 * self._check_seconds)  # a previous holder stops first
                if not await self._alive(connection):
                    continue
                working: asyncio.Task[None] = asyncio.create_task(
                    work(), name=f"{self.role}-while-leading"
                )
                try:
                    await self._watch(connection, working)
                finally:
                    self._set(False)  # said at once, before the work has wound down
                    working.cancel()
                    await asyncio.gather(working, return_exceptions=True)
                if not working.cancelled() and working.exception():
                    logger.error(
                        "The %s work failed; leadership passes on",
                        self.role,
                        exc_info=working.exception(),
                    )
            finally:
                self._set(False)
                await self._release(connection)
            await asyncio.sleep(self._retry_seconds)

    async def _acquire(self) -> AsyncConnection:
        """Try the lock every ``retry_seconds`` until it is ours; returns the connection
        that holds it (a replica that does not lead holds no connection)."""
        away: str | None = None
        while True:
            connection: AsyncConnection | None = None
            try:
                connection = await self._engine.connect()
                # Autocommit: the holder must not sit "idle in transaction" for hours.
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                taken = await connection.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
                )
                if taken:
                    logger.info("This replica leads the %s", self.role)
                    self._set(True)
                    return connection
                away = None
            except Exception as error:
                # Never raise: a leader task that died would leave the role to the others
                # without a word. One line per reason, not one per try.
                reason = describe_database_error(error)
                if reason != away:
                    away = reason
                    if database_unavailable(error):
                        logger.warning("Cannot try the %s lead: %s", self.role, reason)
                    else:
                        logger.exception("Trying the %s lead failed", self.role)
            if connection is not None:
                with contextlib.suppress(Exception):
                    await connection.close()
            await asyncio.sleep(self._retry_seconds)

    async def _watch(self, connection: AsyncConnection, working: asyncio.Task[None]) -> None:
        """Returns when the work ends or the lock's connection is lost."""
        while not working.done():
            await asyncio.wait({working}, timeout=self._check_seconds)
            if working.done() or not await self._alive(connection):
                return

    async def _alive(self, connection: AsyncConnection) -> bool:
        """Whether the lock's connection still answers: if not, the lock is gone with it."""
        try:
            await asyncio.wait_for(connection.scalar(text("SELECT 1")), self._check_seconds)
        except Exception as error:
            logger.warning(
                "This replica lost the %s lead (its connection: %s); the work stops",
                self.role,
                describe_database_error(error),
            )
            return False
        return True

    async def _release(self, connection: AsyncConnection) -> None:
        """Unlock, and close the connection for good rather than return it to the pool:
        a pooled connection would keep a lock that failed to unlock."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(
                connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key}),
                self._check_seconds,
            )
        with contextlib.suppress(Exception):
            await connection.invalidate()
        with contextlib.suppress(Exception):
            await connection.close()

    def _set(self, leading: bool) -> None:
        if leading != self.leading:
            self.leading = leading
            if self._observer is not None:
                self._observer.leadership(self.role, leading)
