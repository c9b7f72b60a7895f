"""Sends that wait for the update's transaction: a rolled-back update tells nobody anything,
and a moderator who presses "approve" on a card always finds the row the card is about."""

import logging
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

Send = Callable[..., Awaitable[Any]]


class AfterCommit:
    """Collected while an update is handled, run in order once its transaction has committed.

    The session middleware owns the transactions: it commits the update, runs these, and
    commits what they write (where a card was posted) after each one. One that fails is
    logged and rolled back; the others still run, since the update itself has already
    happened."""

    def __init__(self) -> None:
        self._pending: list[tuple[Send, tuple[Any, ...], dict[str, Any]]] = []

    def __call__(self, send: Send, *args: Any, **kwargs: Any) -> None:
        self._pending.append((send, args, kwargs))

    def __len__(self) -> int:
        return len(self._pending)

    def take(self) -> list[tuple[Send, tuple[Any, ...], dict[str, Any]]]:
        pending, self._pending = self._pending, []
        return pending
