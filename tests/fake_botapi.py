"""Bot API servers that misbehave, for start-up and log tests: a tiny aiohttp app whose
methods answer what a test tells them to, and a way to run any server in its own thread
(the CLI runs its own event loop)."""

import asyncio
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiohttp import web

Behaviour = Callable[[web.Request], Awaitable[web.StreamResponse]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ok(result: Any) -> Behaviour:
    async def answer(_request: web.Request) -> web.StreamResponse:
        return web.json_response({"ok": True, "result": result})

    return answer


async def redirect_loop(request: web.Request) -> web.StreamResponse:
    """A misconfigured proxy: the request is sent back to itself until the client gives up."""
    raise web.HTTPFound(location=str(request.url))


ME = {"id": 42, "is_bot": True, "first_name": "Fake", "username": "fake_bot"}


class FakeBotApi:
    """``/bot<token>/<method>`` answered by ``behaviours[method]``; others answer ``ok: true``
    (getUpdates: an empty list after a short wait, as a long poll does)."""

    def __init__(self, behaviours: dict[str, Behaviour] | None = None) -> None:
        self.behaviours = {"getMe": ok(ME), **(behaviours or {})}
        self.calls: list[str] = []
        self._runner: web.AppRunner | None = None

    async def _method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        self.calls.append(method)
        behaviour = self.behaviours.get(method)
        if behaviour is not None:
            return await behaviour(request)
        if method == "getUpdates":
            await asyncio.sleep(0.2)
            return web.json_response({"ok": True, "result": []})
        return web.json_response({"ok": True, "result": True})

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        return f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@contextmanager
def serving_in_a_thread(
    start: Callable[[], Awaitable[str]], stop: Callable[[], Awaitable[None]]
) -> Iterator[str]:
    """Run a server (``start`` returns its URL) on its own loop in a thread."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        url = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
        yield url
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
