"""The senders of recent updates, kept in the process between updates.

Every update needs its sender: the user row, their organisation and their global roles. A
person taps a few buttons in a row, so the row loaded for the first tap is kept (a detached
copy) and handed to the next update's session with ``Session.merge(load=False)``, which
costs no statement. The session gets its own copy; handlers change that one as before.

Whatever changes a kept user is noticed by the session that changes it, and the copy is
forgotten once that session commits, so the very next update reads the row again: a role
granted, a language switched, consent given or withdrawn, a ban, the bot blocked. A session
that updates or deletes users in bulk forgets everyone.

Another process (a second replica, the command line) keeps a cache of its own. With Redis,
replicas tell each other whom they changed: ``announce`` is called with what a commit here
changed, and what other replicas announce is forgotten here (bot/replicas.py). Without
Redis, and for the command line, another process's changes are seen within ``ttl``
seconds, as another replica's edit of the conduct code is (bot/conduct.py).
"""

import pickle
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from storage.models import Organisation, User, UserRole

USER_CACHE_INFO = "metodset.user_cache"
_NOTED = "metodset.user_cache.noted"
_ROLES = UserRole.__tablename__
_TABLES = frozenset({User.__tablename__, _ROLES, Organisation.__tablename__})


@dataclass(slots=True)
class _Kept:
    user: User  # detached: never attached to a session, only merged from
    kept_at: float


class UserCache:
    def __init__(
        self,
        *,
        max_users: int = 10_000,
        ttl: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._max_users = max_users
        self._ttl = ttl
        self._monotonic = monotonic
        self._kept: OrderedDict[int, _Kept] = OrderedDict()  # by Telegram id, oldest first
        self._telegram_ids: dict[int, int] = {}  # user id -> Telegram id
        self._changes = 0
        # Told whom a commit in this process changed (None: everyone), to tell the other
        # replicas; not called for what they announce, so nothing echoes back and forth.
        self.announce: Callable[[frozenset[int] | None], None] | None = None

    def __len__(self) -> int:
        return len(self._kept)

    def find(self, telegram_id: int) -> User | None:
        """The kept copy to merge into a session, if it is recent enough."""
        kept = self._kept.get(telegram_id)
        if kept is None:
            return None
        if self._monotonic() - kept.kept_at > self._ttl:
            self._drop(telegram_id)
            return None
        self._kept.move_to_end(telegram_id)
        return kept.user

    def stamp(self) -> int:
        """Taken before a user is read: ``keep`` refuses a row read before a change landed."""
        return self._changes

    def keep(self, user: User, stamp: int) -> None:
        """Keeps a copy of a freshly loaded, unchanged user (with organisation and roles)."""
        if stamp != self._changes:
            return  # someone committed a change while this row was read: it may be old
        # Pickling detaches a copy with everything loaded, the way SQLAlchemy caches rows.
        copy: User = pickle.loads(pickle.dumps(user))
        self._drop(user.telegram_id)
        self._kept[user.telegram_id] = _Kept(copy, self._monotonic())
        self._telegram_ids[user.id] = user.telegram_id
        while len(self._kept) > self._max_users:
            _, oldest = self._kept.popitem(last=False)
            self._telegram_ids.pop(oldest.user.id, None)

    def forget(self, user_ids: Iterable[int]) -> None:
        self._changes += 1
        for user_id in user_ids:
            telegram_id = self._telegram_ids.pop(user_id, None)
            if telegram_id is not None:
                self._kept.pop(telegram_id, None)

    def forget_everyone(self) -> None:
        self._changes += 1
        self._kept.clear()
        self._telegram_ids.clear()

    def _drop(self, telegram_id: int) -> None:
        kept = self._kept.pop(telegram_id, None)
        if kept is not None:
            self._telegram_ids.pop(kept.user.id, None)


def user_cache_of(session: Any) -> UserCache | None:
    """The cache of the session's sessionmaker (sync or async session alike)."""
    cache = session.info.get(USER_CACHE_INFO)
    return cache if isinstance(cache, UserCache) else None


def user_cache_of_sessionmaker(sessionmaker: Any) -> UserCache | None:
    """The cache every session of ``sessionmaker`` shares (storage/db.py puts it there)."""
    cache = sessionmaker.kw.get("info", {}).get(USER_CACHE_INFO)
    return cache if isinstance(cache, UserCache) else None


# --- noticing changes ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Noted:
    user_ids: set[int] = field(default_factory=set)
    everyone: bool = False


def _noted(session: Session) -> _Noted:
    noted: _Noted = session.info.setdefault(_NOTED, _Noted())
    return noted


def _note_flush(session: Session, _context: Any) -> None:
    if user_cache_of(session) is None:
        return
    for instance in (*session.new, *session.dirty, *session.deleted):
        if isinstance(instance, User) and instance.id is not None:
            _noted(session).user_ids.add(instance.id)
        elif isinstance(instance, UserRole) and instance.user_id is not None:
            _noted(session).user_ids.add(instance.user_id)
        elif isinstance(instance, Organisation):
            _noted(session).everyone = True  # its name is on every member's kept copy


def _note_bulk(state: ORMExecuteState) -> None:
    """UPDATE and DELETE statements, and INSERTs into roles, bypass the flush. (A new user
    or organisation changes nobody kept.)"""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    if user_cache_of(state.session) is None:
        return
    name = getattr(getattr(state.statement, "table", None), "name", None)
    if name == _ROLES or (name in _TABLES and not state.is_insert):
        _noted(state.session).everyone = True


def _forget_noted(session: Session) -> None:
    noted: _Noted | None = session.info.pop(_NOTED, None)
    cache = user_cache_of(session)
    if noted is None or cache is None:
        return
    if noted.everyone:
        cache.forget_everyone()
    elif noted.user_ids:
        cache.forget(noted.user_ids)
    else:
        return
    if cache.announce is not None:
        cache.announce(None if noted.everyone else frozenset(noted.user_ids))


def _forget_on_rollback(session: Session, *_: Any) -> None:
    # Forgetting what was only flushed costs a statement at worst; dropping the notes could
    # lose what a savepoint's outer transaction still commits.
    _forget_noted(session)


def watch_user_changes() -> None:
    """Once per process: every session notes the users it changes and, when it commits
    (or rolls back), its sessionmaker's cache forgets them."""
    for name, listener in (
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_bulk),
        ("after_commit", _forget_noted),
        ("after_rollback", _forget_on_rollback),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
