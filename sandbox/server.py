"""The sandbox HTTP server: Bot API, file downloads, control API and the chat page.

Runs inside any asyncio program::

    server = SandboxServer()
    base_url = await server.start()          # http://127.0.0.1:<free port>
    bot = Bot(server.token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))
    ...
    await server.stop()
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from .actions import UserActions
from .botapi import BotApi
from .control import ControlApi
from .errors import ApiError, not_found, too_large, unauthorized
from .params import Params
from .ratelimit import Clock, RateLimits
from .state import DEFAULT_TOKEN, Notifier, SandboxConfig, SandboxState
from .webhook import WebhookSender

STATIC_DIR = Path(__file__).with_name("static")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})

STATE_KEY = web.AppKey("sandbox_state", SandboxState)
API_KEY = web.AppKey("sandbox_api", BotApi)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _api_response(status: int, body: dict[str, Any]) -> web.Response:
    return web.json_response(body, status=status, dumps=_dumps)


def create_app(
    state: SandboxState, api: BotApi | None = None, actions: UserActions | None = None
) -> web.Application:
    """The aiohttp application serving one sandboxed bot."""
    api = api or BotApi(state)
    actions = actions or UserActions(state)
    control = ControlApi(state, actions)
    app = web.Application(client_max_size=state.config.max_upload_bytes + (1 << 20))
    app[STATE_KEY] = state
    app[API_KEY] = api

    async def bot_method(request: web.Request) -> web.Response:
        if request.match_info["token"] != state.config.token:
            return _api_response(401, unauthorized().to_json())
        method = request.match_info["method"]
        try:
            params = await Params.from_request(request, state.config.max_upload_bytes)
        except ApiError as exc:
            return _api_response(*await api.execute(method, None, error=exc))
        except web.HTTPRequestEntityTooLarge:
            return _api_response(*await api.execute(method, None, error=too_large()))
        return _api_response(*await api.execute(method, params))

    async def download(request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != state.config.token:
            return _api_response(401, unauthorized().to_json())
        stored = api.file_by_path(request.match_info["path"])
        if stored is None:
            return _api_response(404, not_found().to_json())
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    app.router.add_route("*", "/bot{token}/{method}", bot_method)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    app.router.add_routes(control.routes())
    app.router.add_get("/", index)
    app.router.add_static("/static", STATIC_DIR)
    return app


class SandboxServer:
    """A local stand-in for api.telegram.org for one bot, with a control API and a page."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = "metodset_sandbox_bot",
        bot_name: str = "Методсеть (песочница)",
        rate_limits: RateLimits | None = None,
        clock: Clock | None = None,
        privacy_mode: bool = True,
        inline_mode: bool = True,
        max_upload_bytes: int = 50 * 1024 * 1024,
        max_download_bytes: int = 20 * 1024 * 1024,
        webhook_retry_seconds: float = 0.5,
        webhook_connections: int = 1,
        webhook_targets: Sequence[str] = (),
    ) -> None:
        left, sep, right = token.partition(":")
        if not sep or not left.isdigit() or not right:
            raise ValueError("a bot token looks like 123456:ABC-DEF")
        config = SandboxConfig(
            token=token,
            bot_username=bot_username,
            bot_first_name=bot_name,
            privacy_mode=privacy_mode,
            inline_mode=inline_mode,
            max_upload_bytes=max_upload_bytes,
            max_download_bytes=max_download_bytes,
            webhook_retry_seconds=webhook_retry_seconds,
        )
        self.state = SandboxState(config, rate_limits, clock)
        self.api = BotApi(self.state)
        self.actions = UserActions(self.state)
        self.app: web.Application | None = None
        self._runner: web.AppRunner | None = None
        self._webhook: WebhookSender | None = None
        # Deliveries at once, and the replicas a load balancer would spread them over
        # (sandbox/webhook.py); by default one at a time to the webhook's own URL.
        self._webhook_connections = webhook_connections
        self._webhook_targets = list(webhook_targets)
        self.base_url: str | None = None

    @property
    def token(self) -> str:
        return self.state.config.token

    @property
    def bot_id(self) -> int:
        return self.state.bot.id

    @property
    def bot_username(self) -> str:
        return self.state.bot.username or ""

    def lack_methods(self, *names: str) -> None:
        """Answer these Bot API methods 404 "Not Found", as a server that does not implement
        them does (some third-party Bot API servers lack setMyCommands)."""
        for name in names:
            self.api.methods.pop(name.lower(), None)

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on loopback; port 0 picks a free port. Returns ``http://host:port``."""
        if host not in LOOPBACK_HOSTS:
            raise ValueError("the sandbox listens on loopback only (127.0.0.1, ::1, localhost)")
        if self._runner is not None:
            raise RuntimeError("the sandbox is already running")
        self.state.notifier = Notifier()
        self.app = create_app(self.state, self.api, self.actions)
        runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        real_port = runner.addresses[0][1]
        shown_host = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown_host}:{real_port}"
        self._webhook = WebhookSender(
            self.state,
            self.api,
            connections=self._webhook_connections,
            targets=self._webhook_targets,
        )
        await self._webhook.start()
        return self.base_url

    async def stop(self) -> None:
        """Wake every waiter (long polls, waits, event streams) and shut down."""
        self.state.notifier.close()
        if self._webhook is not None:
            await self._webhook.stop()
            self._webhook = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self.base_url = None

    async def __aenter__(self) -> SandboxServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
