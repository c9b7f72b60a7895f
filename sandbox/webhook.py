"""Webhook delivery: POST queued updates to the bot's URL, in order.

Like Telegram, a delivery counts when the bot answers 2xx; otherwise the error is kept for
getWebhookInfo and the update is retried. A bot may answer an update with a method call in
the response body (JSON or multipart, as aiogram's webhook handler does); it is executed.

By default one update is on the wire at a time. With ``connections`` > 1 several are, as
Telegram opens up to the webhook's max_connections, while each chat's updates still go one
after another. With ``targets`` the sender plays a round-robin load balancer in front of
several replicas: each attempt goes to the next URL, so a retry skips a dead replica.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from collections.abc import Sequence
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, MultipartReader

from .botapi import BotApi
from .params import BodyTooLarge, Params, Upload, read_multipart
from .state import QueuedUpdate, SandboxState, Webhook, now_unix

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookSender:
    def __init__(
        self,
        state: SandboxState,
        api: BotApi,
        timeout: float = 60.0,
        *,
        connections: int = 1,
        targets: Sequence[str] = (),
    ) -> None:
        self.state = state
        self.api = api
        self.timeout = timeout
        self.connections = connections
        self.targets = list(targets)
        self._turn = itertools.count()
        self._session: ClientSession | None = None
        self._task: asyncio.Task[None] | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}  # by update id
        self._busy_chats: set[int] = set()

    async def start(self) -> None:
        self._session = ClientSession(timeout=ClientTimeout(total=self.timeout))
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        for task in list(self._in_flight.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        state = self.state
        while not state.notifier.closed:
            hook = state.webhook
            update = self._next_update(hook) if hook is not None else None
            if hook is None or update is None:
                await state.notifier.wait(30.0)
                continue
            chat = _order_key(update)
            self._busy_chats.add(chat)
            self._in_flight[update.update_id] = asyncio.create_task(
                self._attempt(hook, update, chat), name=f"sandbox-webhook-{update.update_id}"
            )
            state.webhook_in_flight = True
            state.touch()

    def _next_update(self, hook: Webhook) -> QueuedUpdate | None:
        """The oldest update not on the wire whose chat has nothing on the wire."""
        if len(self._in_flight) >= min(self.connections, hook.max_connections):
            return None
        for update in self.state.updates:
            if update.update_id in self._in_flight:
                continue
            if _order_key(update) in self._busy_chats:
                continue
            return update
        return None

    async def _attempt(self, hook: Webhook, update: QueuedUpdate, chat: int) -> None:
        state = self.state
        try:
            if await self._deliver(hook, update):
                state.updates = [u for u in state.updates if u.update_id != update.update_id]
            else:
                # Still "on the wire" while it waits: the chat's later updates wait too.
                await asyncio.sleep(state.config.webhook_retry_seconds)
        finally:
            del self._in_flight[update.update_id]
            self._busy_chats.discard(chat)
            state.webhook_in_flight = bool(self._in_flight)
            state.touch()

    async def _deliver(self, hook: Webhook, update: QueuedUpdate) -> bool:
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        body = json.dumps(update.to_json(), ensure_ascii=False).encode("utf-8")
        url = self.targets[next(self._turn) % len(self.targets)] if self.targets else hook.url
        try:
            async with self._session.post(url, data=body, headers=headers) as response:
                if 200 <= response.status < 300:
                    await self._run_reply(response.headers, response.content, response.content_type)
                    return True
                hook.last_error_message = (
                    f"Wrong response from the webhook: {response.status} {response.reason}"
                )
        except (ClientError, OSError, TimeoutError) as exc:
            hook.last_error_message = _describe(exc)
        hook.last_error_date = now_unix()
        self.state.emit("webhook_error", message=hook.last_error_message)
        return False

    async def _run_reply(self, headers: Any, content: Any, content_type: str) -> None:
        """Execute a method the bot put in its webhook response, if any."""
        values: dict[str, Any]
        uploads: dict[str, Upload]
        if content_type == "application/json":
            try:
                data = json.loads(await content.read() or b"{}")
            except ValueError:
                return
            if not isinstance(data, dict):
                return
            values, uploads = data, {}
        elif content_type == "multipart/form-data":
            try:
                values, uploads = await read_multipart(
                    MultipartReader(headers, content), self.state.config.max_upload_bytes
                )
            except BodyTooLarge:
                log.warning("webhook reply too large; ignored")
                return
        else:
            return
        method = values.pop("method", None)
        if not isinstance(method, str) or not method:
            return
        await self.api.execute(method, Params(values, uploads))


def _order_key(update: QueuedUpdate) -> int:
    """The chat an update belongs to (its sender's, for one without a chat): Telegram keeps
    the updates of one chat in order."""
    payload = update.payload
    chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
    if chat:
        return int(chat["id"])
    sender = payload.get("from") or payload.get("user")
    return int(sender["id"]) if sender else -update.update_id


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if "Connect call failed" in text or "Cannot connect" in text:
        return "Connection refused"
    if isinstance(exc, TimeoutError):
        return "Read timeout expired"
    return text or type(exc).__name__
