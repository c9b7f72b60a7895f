"""What replicas share through Redis (METODSET_REDIS__URL), and its one-process stand-ins.

- Dialog state: aiogram's RedisStorage, and its lock per user and chat so two replicas do
  not handle one person's updates at once (``fsm_storage``).
- Once-only updates: an update Telegram sends again (a webhook answer that came too late,
  a replica stopped mid-way) is handled by whichever replica sees it first (``OnceOnly``).
- The throttle's token buckets (``RedisBuckets``), so a person's budget holds across
  replicas.
- Whom a commit changed, so every replica's kept senders stay true (``UserChanges``).
- The deployment's one Telegram budget for new messages (``RedisSendBucket``, bot/budget.py).

Without Redis each has an in-process stand-in with the same guarantee for one process.
"""

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.fsm.storage.base import DefaultKeyBuilder
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from aiogram.types import TelegramObject, Update
from redis.asyncio import Redis

from bot.metrics import Metrics
from storage.clock import Clock
from storage.user_cache import UserCache

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

PREFIX = "metodset"
# An update being handled holds its key this long: if its replica dies mid-way, the key
# goes and Telegram's next delivery is handled. As long as aiogram's Redis lock on a chat.
UPDATE_HANDLING_SECONDS = 60
# A handled update keeps its key this long: Telegram re-sends for a while, not for a day.
UPDATE_HANDLED_SECONDS = 24 * 3600


def connect(url: str) -> Redis:
    """A client; it connects on first use (redis-py keeps a pool and reconnects)."""
    return Redis.from_url(url, socket_connect_timeout=5, health_check_interval=30)


def fsm_storage(redis: Redis) -> RedisStorage:
    """Dialog state under ``metodset:fsm:<bot id>:...``; it survives a restart, and any
    replica continues a dialog another one began."""
    return RedisStorage(redis, key_builder=_FSM_KEYS)


def event_isolation(redis: Redis) -> RedisEventIsolation:
    """One person's updates in a chat are handled one at a time across all replicas (a lock
    beside the state's keys): two replicas must not both read and write one dialog's state."""
    return RedisEventIsolation(redis, key_builder=_FSM_KEYS)


_FSM_KEYS = DefaultKeyBuilder(prefix=f"{PREFIX}:fsm", with_bot_id=True)


async def redis_problem(redis: Redis, seconds: float) -> str | None:
    """None when Redis answers PING within ``seconds``; else the reason (for /readyz)."""
    try:
        async with asyncio.timeout(seconds):
            await redis.ping()
    except TimeoutError:
        return f"Redis did not answer within {seconds:g} s"
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


# --- once-only updates ----------------------------------------------------------------------


class SeenUpdates(Protocol):
    async def first_time(self, bot_id: int, update_id: int) -> bool: ...
    async def handled(self, bot_id: int, update_id: int) -> None: ...
    async def forget(self, bot_id: int, update_id: int) -> None: ...


class RecentUpdates:
    """The last ``max_ids`` update ids this process began: enough for one process, whose
    duplicates arrive within seconds."""

    def __init__(self, max_ids: int = 10_000):
        self._max_ids = max_ids
        self._seen: OrderedDict[tuple[int, int], None] = OrderedDict()

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        key = (bot_id, update_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > self._max_ids:
            self._seen.popitem(last=False)
        return True

    async def handled(self, bot_id: int, update_id: int) -> None:
        """Nothing more to record: the id is kept from ``first_time`` on, and a process
        that dies takes its duplicates' only source (its own queue) with it."""

    async def forget(self, bot_id: int, update_id: int) -> None:
        self._seen.pop((bot_id, update_id), None)


class RedisSeenUpdates:
    """``SET NX``: of all replicas, exactly one sets the key first. It is kept briefly while
    the update is handled, then for a day."""

    def __init__(self, redis: Redis):
        self._redis = redis

    @staticmethod
    def key(bot_id: int, update_id: int) -> str:
        return f"{PREFIX}:update:{bot_id}:{update_id}"

    async def first_time(self, bot_id: int, update_id: int) -> bool:
        key = self.key(bot_id, update_id)
        return bool(await self._redis.set(key, "handling", nx=True, ex=UPDATE_HANDLING_SECONDS))

    async def handled(self, bot_id: int, update_id: int) -> None:
        await self._redis.set(self.key(bot_id, update_id), "handled", ex=UPDATE_HANDLED_SECONDS)

    async def forget(self, bot_id: int, update_id: int) -> None:
        await self._redis.delete(self.key(bot_id, update_id))


class OnceOnly(BaseMiddleware):
    """An outer update middleware, right after the update's log context: an update already
    begun (here or on another replica) is dropped unhandled. One whose handling raises is
    forgotten, so Telegram's next delivery of it is handled."""

    def __init__(self, seen: SeenUpdates, metrics: Metrics | None = None):
        self._seen = seen
        self._metrics = metrics

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        bot_id = data["bot"].id
        if not await self._seen.first_time(bot_id, event.update_id):
            logger.debug("Update %s arrived again and was dropped", event.update_id)
            if self._metrics is not None:
                self._metrics.duplicate_updates.inc()
            return None
        try:
            result = await handler(event, data)
        except BaseException:
            try:
                await self._seen.forget(bot_id, event.update_id)
            except Exception as error:  # Redis away: the claim lapses by itself
                logger.warning("Update %s stays claimed for a minute: %s", event.update_id, error)
            raise
        await self._seen.handled(bot_id, event.update_id)
        return result


# --- the throttle's buckets -----------------------------------------------------------------

# A token bucket per key, atomic however many replicas take from it. ARGV[3] is the wall
# clock in seconds: each process's monotonic clock is its own, and the domain clock is the
# one all replicas share (and tests move). Returns {allowed, first refusal}: a flood is
# answered once, as bot/middlewares.py does in memory. The key lives as long as a bucket
# takes to fill again; after that it would be full anyway.
_TAKE_TOKEN = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local kept = redis.call('HMGET', KEYS[1], 'tokens', 'updated', 'warned')
local tokens = tonumber(kept[1]) or burst
local updated = tonumber(kept[2]) or now
local warned = kept[3] == '1'
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local allowed, warn = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
  warned = false
else
  if not warned then warn = 1 end
  warned = true
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens),
  'updated', string.format('%.6f', now), 'warned', warned and '1' or '0')
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return {allowed, warn}
"""


class RedisBuckets:
    """The throttle's buckets in Redis: one budget per person, whichever replica they reach."""

    def __init__(self, redis: Redis, rate: float, burst: int, clock: Clock):
        self._script = redis.register_script(_TAKE_TOKEN)
        self._rate = rate
        self._burst = burst
        self._clock = clock

    async def take(self, bot_id: int, user_id: int) -> tuple[bool, bool]:
        """(allowed, first refusal since the last allowed update)."""
        allowed, warn = await self._script(
            keys=[f"{PREFIX}:throttle:{bot_id}:{user_id}"],
            args=[self._rate, self._burst, f"{self._clock().timestamp():.6f}"],
        )
        return bool(allowed), bool(warn)


# --- the deployment's Telegram budget (bot/budget.py) ---------------------------------------

# One bucket per bot for every new message of every replica. ARGV[4] is the reserve: the
# caller takes a token only if more than that remain. Returns the seconds to wait, as a
# string (Redis would cut a Lua number to an integer); "0" when the token was taken.
_TAKE_SEND = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local needed = 1 + tonumber(ARGV[4])
local kept = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(kept[1]) or burst
local updated = tonumber(kept[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local wait = 0
if tokens >= needed - 1e-9 then
  tokens = tokens - 1
else
  wait = (needed - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens),
  'updated', string.format('%.6f', now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / rate) + 1)
return string.format('%.6f', wait)
"""


class RedisSendBucket:
    """bot/budget.py's bucket shared by every replica of a bot. The wall clock, as the
    replicas' monotonic clocks are each their own."""

    def __init__(
        self,
        redis: Redis,
        per_second: float,
        burst: int,
        wall_clock: Callable[[], float] = time.time,
    ):
        self._script = redis.register_script(_TAKE_SEND)
        self._per_second = per_second
        self._burst = burst
        self._wall_clock = wall_clock

    async def take(self, bot_id: int, reserve: float) -> float:
        wait = await self._script(
            keys=[f"{PREFIX}:sends:{bot_id}"],
            args=[self._per_second, self._burst, f"{self._wall_clock():.6f}", reserve],
        )
        return float(wait)


# --- the kept senders -----------------------------------------------------------------------


class UserChanges:
    """Keeps every replica's kept senders (storage/user_cache.py) true.

    Why pub/sub and not a version key read on every update: the cache exists so that a kept
    sender costs nothing, and a key read would cost a round trip per update. A commit here
    publishes whom it changed; every other replica forgets them. A message can be lost
    only while a replica is disconnected from Redis, so on every (re)subscription the
    replica forgets everyone; the cache's ``ttl`` remains the backstop. A message arrives
    within milliseconds of the commit: a change is seen from the next update on, but for
    one that reaches another replica in those milliseconds."""

    def __init__(self, redis: Redis, cache: UserCache, bot_id: int):
        self._redis = redis
        self._cache = cache
        self._channel = f"{PREFIX}:users-changed:{bot_id}"
        self._me = uuid.uuid4().hex  # our own messages come back to us: skip them
        self._sending: set[asyncio.Task[Any]] = set()
        self._listening: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    async def start(self) -> None:
        self._cache.announce = self._announce
        self._listening = asyncio.create_task(self._listen(), name="user-changes")

    async def stop(self) -> None:
        self._cache.announce = None
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening
        await asyncio.gather(*self._sending, return_exceptions=True)

    def _announce(self, user_ids: frozenset[int] | None) -> None:
        # Called from SQLAlchemy's after-commit hook, which cannot await: send on the side.
        body = json.dumps(
            {"from": self._me, "users": None if user_ids is None else sorted(user_ids)}
        )
        task = asyncio.get_running_loop().create_task(self._publish(body))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _publish(self, body: str) -> None:
        try:
            await self._redis.publish(self._channel, body)
        except Exception as error:
            logger.warning("Could not tell other replicas whom a commit changed: %s", error)

    async def _listen(self) -> None:
        lost = False
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    async for message in pubsub.listen():
                        if lost and message["type"] == "subscribe":
                            logger.warning("Hearing other replicas' user changes again")
                            lost = False
                        self._heard(message)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.subscribed.clear()
                if not lost:  # one line per outage, not one a second
                    logger.warning("Lost Redis for user changes, retrying: %s", error)
                    lost = True
                await asyncio.sleep(1.0)

    def _heard(self, message: dict[str, Any]) -> None:
        if message["type"] == "subscribe":
            self._cache.forget_everyone()  # whatever was said while we were away
            self.subscribed.set()
            return
        if message["type"] != "message":
            return
        body = json.loads(message["data"])
        if body.get("from") == self._me:
            return
        users = body.get("users")
        if users is None:
            self._cache.forget_everyone()
        else:
            self._cache.forget(int(user_id) for user_id in users)
