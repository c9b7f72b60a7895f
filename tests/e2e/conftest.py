"""End to end: the real bot runner (long polling over HTTP) against the sandbox."""

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import pytest

from bot.app import run_polling
from bot.config import DeliverySettings, Settings, ThrottlingSettings
from bot.demo import ADMIN, DEMO_TOKEN, seed_database, seed_sandbox
from sandbox import ChatMessage, SandboxClient, SandboxServer
from storage.sealing import new_key
from tests.conftest import POSTGRES_URL


@pytest.fixture(autouse=True)
def _sqlite_only(request: pytest.FixtureRequest) -> None:
    """End-to-end runs use the demo's own SQLite file; the PostgreSQL run covers storage.
    The fault test (marked ``replicas``) is the other way round: it needs PostgreSQL."""
    if POSTGRES_URL and request.node.get_closest_marker("replicas") is None:
        pytest.skip(
            "end-to-end runs use the demo's own SQLite file; the PostgreSQL run covers storage"
        )


@dataclass
class Player:
    """One persona at the keyboard: writes, taps, reads what they see.

    Every step waits for what it needs to appear (a button, a text) instead of sleeping:
    the bot answers asynchronously over HTTP, as with real Telegram.
    """

    client: SandboxClient
    user_id: int
    patience: float = 10.0

    async def say(self, text: str, expect: str, chat_id: int | None = None) -> ChatMessage:
        """Write, then wait for the answer containing ``expect`` (people read before typing)."""
        await self.client.send_text(self.user_id, text, chat_id=chat_id)
        return await self.sees(expect, chat_id)

    async def tap(self, label: str, chat_id: int | None = None) -> str | None:
        """Press the newest button whose text contains ``label``; returns the toast, if any."""
        deadline = asyncio.get_running_loop().time() + self.patience
        while True:
            for message in reversed(await self.client.chat(self.user_id, chat_id)):
                for text in message.button_texts:
                    if label in text:
                        result = await self.client.press_button(
                            self.user_id, chat_id, message.message_id, text
                        )
                        await self.client.wait_idle(quiet=0.3)
                        return result.text
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"no button with {label!r} in the chat of {self.user_id}")
            await asyncio.sleep(0.1)

    async def sees(self, fragment: str, chat_id: int | None = None) -> ChatMessage:
        """The newest message containing ``fragment``, waiting for it to arrive."""
        deadline = asyncio.get_running_loop().time() + self.patience
        while True:
            for message in reversed(await self.client.chat(self.user_id, chat_id)):
                if fragment in message.content:
                    return message
            if asyncio.get_running_loop().time() > deadline:
                shown = [m.content[:80] for m in await self.client.chat(self.user_id, chat_id)]
                raise AssertionError(f"{fragment!r} never appeared; the chat shows {shown}")
            await asyncio.sleep(0.1)

    async def last(self, chat_id: int | None = None) -> ChatMessage:
        return await self.client.last_message(self.user_id, chat_id)

    async def texts(self, chat_id: int | None = None) -> list[str]:
        return [m.content for m in await self.client.chat(self.user_id, chat_id)]


@pytest.fixture
def throttling() -> ThrottlingSettings:
    """The bot's flood guard per user; a module may override it (the crawler taps faster
    than a person)."""
    return ThrottlingSettings()


@pytest.fixture(scope="session")
def seeded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's database migrated and seeded once per run; each test gets a copy."""
    path = tmp_path_factory.mktemp("demo") / "seeded.db"
    asyncio.run(seed_database(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture
async def world(
    tmp_path, throttling: ThrottlingSettings, seeded_demo: Path
) -> AsyncIterator[SandboxClient]:
    server = SandboxServer(
        DEMO_TOKEN, bot_username="metodset_demo_bot", bot_name="Методсеть (демо)"
    )
    seed_sandbox(server)
    base_url = await server.start()
    shutil.copyfile(seeded_demo, tmp_path / "e2e.db")
    url = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    settings = Settings(
        _env_file=None,
        bot_token=DEMO_TOKEN,
        survey_key=new_key(),
        api_server=base_url,
        database_url=url,
        admin_ids=[ADMIN.telegram_id],
        # no night in these runs: what they check must not depend on the hour CI runs at
        delivery=DeliverySettings(quiet_start=time(0, 0), quiet_end=time(0, 0)),
        throttling=throttling,
    )
    runner = asyncio.create_task(run_polling(settings, handle_signals=False))
    client = SandboxClient(base_url)
    try:
        # polling: its first getUpdates is open (it is answered only when its long poll ends)
        await client.wait_for_api_call("getUpdates", timeout=15, started=True)
        yield client
    finally:
        await client.close()
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner
        await server.stop()
