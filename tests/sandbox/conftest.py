"""Fixtures: a sandbox server on a free loopback port, an aiogram Bot pointed at it, and a
control client. Flood control is off unless a test builds its own limited server."""

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from sandbox import ManualClock, RateLimits, SandboxClient, SandboxServer


def make_bot(server: SandboxServer, token: str | None = None) -> Bot:
    assert server.base_url is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.base_url))
    return Bot(token or server.token, session=session)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def server(clock: ManualClock) -> AsyncIterator[SandboxServer]:
    sandbox = SandboxServer(rate_limits=RateLimits.off(), clock=clock, webhook_retry_seconds=0.05)
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.stop()


@pytest.fixture
async def bot(server: SandboxServer) -> AsyncIterator[Bot]:
    instance = make_bot(server)
    try:
        yield instance
    finally:
        await instance.session.close()


@pytest.fixture
async def client(server: SandboxServer) -> AsyncIterator[SandboxClient]:
    assert server.base_url is not None
    async with SandboxClient(server.base_url) as control:
        yield control
