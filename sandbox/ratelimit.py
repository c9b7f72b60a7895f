"""Flood control modelled on Telegram's published limits.

Telegram allows a bot about 30 messages per second overall, about one message per second
in a private chat (short bursts are tolerated) and 20 messages per minute in a group.
Each limit is a token bucket; a send is allowed when every bucket it touches has a whole
token, and the 429 answer carries the seconds until that is true again.

The clock is injectable so tests can step time instead of sleeping.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(frozen=True)
class RateLimits:
    """Limits of the flood control; ``RateLimits.off()`` disables it."""

    enabled: bool = True
    global_per_second: float = 30.0
    global_burst: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: float = 20.0
    group_burst: int = 20

    @classmethod
    def off(cls) -> RateLimits:
        return cls(enabled=False)

    def to_json(self) -> dict[str, float | int | bool]:
        return {
            "enabled": self.enabled,
            "global_per_second": self.global_per_second,
            "global_burst": self.global_burst,
            "private_per_second": self.private_per_second,
            "private_burst": self.private_burst,
            "group_per_minute": self.group_per_minute,
            "group_burst": self.group_burst,
        }


class ManualClock:
    """A monotonic clock that only moves when told to; handy in tests."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class TokenBucket:
    def __init__(self, capacity: int, per_second: float, now: float) -> None:
        self.capacity = float(capacity)
        self.per_second = per_second
        self.tokens = float(capacity)
        self.updated = now

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.per_second)
        self.updated = now

    def wait_time(self, now: float) -> float:
        """Seconds until one whole token is available (0 when it is already)."""
        self.refill(now)
        if self.tokens >= 1.0 - 1e-9:  # tolerate float rounding of the refill
            return 0.0
        return (1.0 - self.tokens) / self.per_second

    def take(self, now: float) -> None:
        self.refill(now)
        self.tokens -= 1.0


class RateLimiter:
    """Checks and counts message sends per bot and per chat."""

    def __init__(self, limits: RateLimits | None = None, clock: Clock | None = None) -> None:
        self.limits = limits or RateLimits()
        self.clock: Clock = clock or time.monotonic
        self._global: TokenBucket | None = None
        self._chats: dict[int, TokenBucket] = {}

    def configure(self, limits: RateLimits) -> None:
        self.limits = limits
        self.reset()

    def reset(self) -> None:
        self._global = None
        self._chats.clear()

    def _buckets(self, chat_id: int, chat_type: str) -> list[TokenBucket]:
        now = self.clock()
        limits = self.limits
        if self._global is None:
            self._global = TokenBucket(limits.global_burst, limits.global_per_second, now)
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if chat_type == "private":
                bucket = TokenBucket(limits.private_burst, limits.private_per_second, now)
            else:
                bucket = TokenBucket(limits.group_burst, limits.group_per_minute / 60.0, now)
            self._chats[chat_id] = bucket
        return [self._global, bucket]

    def retry_after(self, chat_id: int, chat_type: str) -> int:
        """0 when a send to the chat is allowed now, else whole seconds to wait (>= 1)."""
        if not self.limits.enabled:
            return 0
        now = self.clock()
        wait = max(bucket.wait_time(now) for bucket in self._buckets(chat_id, chat_type))
        if wait <= 0:
            return 0
        return max(1, math.ceil(wait))

    def record(self, chat_id: int, chat_type: str) -> None:
        """Count one successful send."""
        if not self.limits.enabled:
            return
        now = self.clock()
        for bucket in self._buckets(chat_id, chat_type):
            bucket.take(now)
