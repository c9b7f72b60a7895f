"""Running the sandbox: in-process start/stop, loopback only, waits, `python -m sandbox`."""

import asyncio
import re
import sys
from pathlib import Path

import aiohttp
import pytest
from aiogram import Bot

from sandbox import RateLimits, SandboxClient, SandboxServer, SandboxTimeout
from sandbox.state import DEFAULT_TOKEN
from tests.harness import until

from .conftest import make_bot

PROJECT_ROOT = Path(__file__).resolve().parents[2]


async def test_start_reports_a_free_port_and_can_restart() -> None:
    server = SandboxServer(rate_limits=RateLimits.off())
    first = await server.start()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", first)
    await server.stop()
    second = await server.start()
    assert second.startswith("http://127.0.0.1:")
    bot = make_bot(server)
    try:
        assert (await bot.get_me()).id == server.bot_id
    finally:
        await bot.session.close()
        await server.stop()


async def test_only_loopback_addresses_are_accepted() -> None:
    with pytest.raises(ValueError, match="loopback"):
        await SandboxServer().start(host="0.0.0.0")


async def test_stop_releases_a_waiting_long_poll() -> None:
    server = SandboxServer()
    await server.start()
    bot = make_bot(server)
    try:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await until(lambda: server.state.notifier.waiting, "the long poll waits on the server")
        loop = asyncio.get_running_loop()
        started = loop.time()
        await server.stop()
        assert await asyncio.wait_for(poll, 5) == []
        assert loop.time() - started < 3
    finally:
        await bot.session.close()


async def test_waits_time_out_with_a_reason(
    bot: Bot, client: SandboxClient, server: SandboxServer
) -> None:
    user = await client.create_user("Анна")
    await client.send_text(user.id, "есть кто?")

    with pytest.raises(SandboxTimeout, match="the bot sent 0 of 1 messages"):
        await client.wait_for_bot_messages(user.id, 1, timeout=0.3)
    with pytest.raises(SandboxTimeout, match="1 updates not yet taken by the bot"):
        await client.wait_idle(timeout=0.3)

    [update] = await bot.get_updates()
    waiting = asyncio.create_task(client.wait_for_bot_messages(user.id, 1, timeout=5))
    await until(lambda: server.state.notifier.waiting, "the client's wait is open on the server")
    await bot.send_message(user.id, "да")
    [reply] = await waiting
    assert reply.text == "да" and reply.from_bot
    await bot.get_updates(offset=update.update_id + 1)
    await client.wait_idle(timeout=5, quiet=0.05)
    call = await client.wait_for_api_call("getUpdates", after_seq=0)
    assert call.method == "getUpdates"


async def test_python_m_sandbox_runs_standalone() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sandbox",
        "--port",
        "0",
        "--no-rate-limits",
        cwd=PROJECT_ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 20)).decode()
        match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
        assert match, line
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{match.group(1)}/bot{DEFAULT_TOKEN}/getMe") as response,
        ):
            body = await response.json()
        assert body["ok"] and body["result"]["is_bot"]
    finally:
        process.terminate()
        await process.wait()
