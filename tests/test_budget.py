"""One Telegram budget for every new message of the deployment (bot/budget.py): the answers
and the outbox take from one bucket, the outbox leaves the last tokens to the answers, and
replicas share the bucket through Redis."""

import random

import pytest
from aiogram import Bot
from aiogram.methods import EditMessageText, SendMessage

from bot.budget import BURST, OUTBOX_RESERVE, PER_SECOND, LocalSendBucket, SendBudget
from bot.replicas import PREFIX, RedisSendBucket, connect

BOT_ID = 42


class Monotonic:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_the_outbox_leaves_the_last_tokens_to_the_answers() -> None:
    clock = Monotonic()
    bucket = LocalSendBucket(monotonic=clock)

    outbox = [await bucket.take(BOT_ID, OUTBOX_RESERVE) for _ in range(BURST)]
    answers = [await bucket.take(BOT_ID, 0) for _ in range(int(OUTBOX_RESERVE))]

    assert outbox.count(0.0) == BURST - OUTBOX_RESERVE  # then it waits...
    assert answers == [0.0] * int(OUTBOX_RESERVE)  # ...and a person's answer goes at once
    wait = await bucket.take(BOT_ID, 0)
    assert wait == pytest.approx(1 / PER_SECOND)
    clock.now += wait
    assert await bucket.take(BOT_ID, 0) == 0.0


async def test_new_messages_wait_for_the_budget_and_edits_do_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Monotonic()
    budget = SendBudget(LocalSendBucket(monotonic=clock))
    bot = Bot(f"{BOT_ID}:TEST-TOKEN")
    made: list[str] = []

    async def make_request(_bot, method):
        made.append(type(method).__name__)

    for _ in range(BURST):
        await budget(make_request, bot, SendMessage(chat_id=1, text="ответ"))
    for _ in range(3 * BURST):
        await budget(make_request, bot, EditMessageText(chat_id=1, message_id=1, text="правка"))
    assert len(made) == 4 * BURST  # no wait yet: edits took nothing

    # The bucket is empty: the next message sleeps until the clock gives a token back.
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock.now += seconds

    monkeypatch.setattr("bot.budget.asyncio.sleep", sleep)
    await budget(make_request, bot, SendMessage(chat_id=1, text="ещё ответ"))
    assert slept and sum(slept) == pytest.approx(1 / PER_SECOND)
    assert made[-1] == "SendMessage"
    await bot.session.close()


async def test_replicas_share_one_budget_through_redis(redis_url: str) -> None:
    redis = connect(redis_url)
    bot_id = random.randint(10**9, 2 * 10**9)
    wall = [1_000_000.0]
    first = RedisSendBucket(redis, PER_SECOND, BURST, wall_clock=lambda: wall[0])
    second = RedisSendBucket(redis, PER_SECOND, BURST, wall_clock=lambda: wall[0])
    try:
        taken = [await first.take(bot_id, 0) for _ in range(BURST)]
        assert taken == [0.0] * BURST
        assert await second.take(bot_id, 0) == pytest.approx(1 / PER_SECOND, abs=1e-4)
        assert await second.take(bot_id, OUTBOX_RESERVE) == pytest.approx(
            (1 + OUTBOX_RESERVE) / PER_SECOND, abs=1e-4
        )
        wall[0] += 1 / PER_SECOND
        assert await second.take(bot_id, 0) == 0.0
    finally:
        await redis.delete(f"{PREFIX}:sends:{bot_id}")
        await redis.aclose()
