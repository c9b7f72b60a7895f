"""The harness itself: every update it feeds must be taken by some handler."""

from datetime import UTC, datetime

import pytest
from aiogram.types import Chat, Message, Update

from tests.harness import Person

STRANGER = Person(id=777_001, first_name="Гость")


def _channel_post() -> Update:
    post = Message(
        message_id=1,
        date=datetime.now(UTC),
        chat=Chat(id=-100_777, type="channel", title="Канал"),
        text="пост в канале",
    )
    return Update(update_id=99_001, channel_post=post)


async def test_an_update_no_handler_takes_fails_the_test(harness) -> None:
    with pytest.raises(AssertionError, match="no handler took update channel_post"):
        await harness.feed(_channel_post())


async def test_a_test_may_say_it_expects_no_handler(harness) -> None:
    assert await harness.feed(_channel_post(), expect_handled=False) == []


async def test_a_handled_update_passes(harness) -> None:
    calls = await harness.send(STRANGER, "/start")
    assert calls
