"""Flood control: on by default, with Telegram's limits, on an injectable clock."""

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter

from sandbox import ManualClock, RateLimits, SandboxClient, SandboxServer
from sandbox.ratelimit import RateLimiter

from .conftest import make_bot


@pytest.fixture
async def limited(clock: ManualClock) -> AsyncIterator[tuple[SandboxServer, Bot, SandboxClient]]:
    server = SandboxServer(clock=clock)  # default limits
    base_url = await server.start()
    bot = make_bot(server)
    try:
        async with SandboxClient(base_url) as client:
            yield server, bot, client
    finally:
        await bot.session.close()
        await server.stop()


async def test_limits_are_on_by_default() -> None:
    limits = SandboxServer().state.limiter.limits
    assert limits.enabled
    assert (limits.global_per_second, limits.private_per_second, limits.group_per_minute) == (
        30,
        1,
        20,
    )


async def test_burst_to_a_private_chat_is_throttled(
    limited: tuple[SandboxServer, Bot, SandboxClient], clock: ManualClock
) -> None:
    _, bot, client = limited
    user = await client.create_user("Анна", started=True)
    burst = RateLimits().private_burst
    for number in range(burst):
        await bot.send_message(user.id, f"сообщение {number}")

    with pytest.raises(TelegramRetryAfter) as throttled:
        await bot.send_message(user.id, "лишнее")
    assert throttled.value.retry_after > 0
    assert "Too Many Requests: retry after" in throttled.value.message
    # Edits and callback answers are not counted.
    sent = await client.chat(user.id)
    await bot.edit_message_text("правка", chat_id=user.id, message_id=sent[0].message_id)

    clock.advance(throttled.value.retry_after)
    await bot.send_message(user.id, "после паузы")
    failed = [call for call in await client.api_calls("sendMessage") if not call.ok]
    assert [call.error_code for call in failed] == [429]


async def test_group_allows_20_messages_per_minute(
    limited: tuple[SandboxServer, Bot, SandboxClient], clock: ManualClock
) -> None:
    _, bot, client = limited
    owner = await client.create_user("Ольга")
    group = await client.create_group("Учительская", creator_id=owner.id)
    results: list[int | None] = []
    for number in range(25):
        try:
            await bot.send_message(group["id"], f"объявление {number + 1}")
            results.append(None)
        except TelegramRetryAfter as error:
            results.append(error.retry_after)
        clock.advance(0.1)  # 25 sends within 2.5 seconds

    assert results[:20] == [None] * 20
    assert results[20] is not None and results[20] > 0
    assert all(result is not None for result in results[20:])

    clock.advance(60)
    await bot.send_message(group["id"], "через минуту")


async def test_limits_can_be_changed_at_run_time(
    limited: tuple[SandboxServer, Bot, SandboxClient],
) -> None:
    _, bot, client = limited
    user = await client.create_user("Анна", started=True)
    await client.set_rate_limits(enabled=False)
    for number in range(10):
        await bot.send_message(user.id, str(number))
    assert (await client.set_rate_limits(enabled=True, private_burst=1))["private_burst"] == 1


def test_global_limit_of_30_per_second() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock)
    for chat_id in range(30):
        assert limiter.retry_after(chat_id, "private") == 0
        limiter.record(chat_id, "private")
    assert limiter.retry_after(999, "private") == 1
    clock.advance(1 / 30)
    assert limiter.retry_after(999, "private") == 0
