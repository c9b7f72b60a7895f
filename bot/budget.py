"""One Telegram budget for every message the deployment sends.

Telegram allows a bot about 30 new messages a second, whichever process sends them. The
outbox's own pacer keeps a broadcast at 29 a second, but the answers to people's updates
(from every replica) come on top of it: during a broadcast they went over, and the answers
met 429s (the fault test, tests/e2e/test_fault.py, saw it). So every Bot of the process
takes a token for each new message from one bucket: in Redis when replicas share one
(bot/replicas.py: RedisSendBucket), in the process otherwise. The outbox leaves the last
``OUTBOX_RESERVE`` tokens to the answers: a person waiting for a reply goes first, and the
broadcast slows down by as much as the answers take. Edits and callback answers are not
counted: Telegram's flood limits are about new messages.
"""

import asyncio
import time
from collections.abc import Callable
from typing import Protocol

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import (
    CopyMessage,
    CopyMessages,
    ForwardMessage,
    ForwardMessages,
    Response,
    SendAnimation,
    SendAudio,
    SendContact,
    SendDice,
    SendDocument,
    SendLocation,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendPoll,
    SendSticker,
    SendVenue,
    SendVideo,
    SendVideoNote,
    SendVoice,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

# Just under Telegram's 30 a second with a small burst, as the outbox's pacer: requests
# reach Telegram with varying latency, and one bucket full at both ends would overflow.
PER_SECOND = 29.0
BURST = 5
# Tokens the outbox never takes: they are the answers' while a broadcast runs.
OUTBOX_RESERVE = 2.0

NEW_MESSAGES = (
    SendMessage,
    SendDocument,
    SendPhoto,
    SendVideo,
    SendAnimation,
    SendAudio,
    SendVoice,
    SendVideoNote,
    SendSticker,
    SendPoll,
    SendDice,
    SendLocation,
    SendVenue,
    SendContact,
    SendMediaGroup,
    CopyMessage,
    CopyMessages,
    ForwardMessage,
    ForwardMessages,
)


class SendBucket(Protocol):
    async def take(self, bot_id: int, reserve: float) -> float:
        """Take a token if more than ``reserve`` remain: 0; else the seconds to wait."""
        ...


class LocalSendBucket:
    """The bucket of one process (no Redis): its answers and its outbox."""

    def __init__(
        self,
        per_second: float = PER_SECOND,
        burst: int = BURST,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self._per_second = per_second
        self._burst = float(burst)
        self._monotonic = monotonic
        self._tokens = float(burst)
        self._updated = monotonic()

    async def take(self, bot_id: int, reserve: float) -> float:
        now = self._monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._per_second)
        self._updated = now
        needed = 1.0 + reserve
        if self._tokens >= needed - 1e-9:
            self._tokens -= 1.0
            return 0.0
        return (needed - self._tokens) / self._per_second


class SendBudget(BaseRequestMiddleware):
    """Waits for a token before each new message; ``reserve`` > 0 for the outbox's Bot."""

    def __init__(self, bucket: SendBucket, reserve: float = 0.0):
        self._bucket = bucket
        self._reserve = reserve

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if isinstance(method, NEW_MESSAGES):
            # A wait, not an event: the tokens come back with time, in another process too.
            while wait := await self._bucket.take(bot.id, self._reserve):  # noqa: ASYNC110
                await asyncio.sleep(wait)
        return await make_request(bot, method)
