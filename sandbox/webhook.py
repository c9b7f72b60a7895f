"""Webhook delivery: POST queued updates to the bot's URL, one at a time, in order.

Like Telegram, a delivery counts when the bot answers 2xx; otherwise the error is kept for
getWebhookInfo and the update is retried. A bot may answer an update with a method call in
the response body (JSON or multipart, as aiogram's webhook handler does); it is executed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, MultipartReader

from .botapi import BotApi
from .params import BodyTooLarge, Params, Upload, read_multipart
from .state import QueuedUpdate, SandboxState, Webhook, now_unix

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookSender:
    def __init__(self, state: SandboxState, api: BotApi, timeout: float = 60.0) -> None:
        self.state = state
        self.api = api
        self.timeout = timeout
        self._session: ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._session = ClientSession(timeout=ClientTimeout(total=self.timeout))
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _run(self) -> None:
        state = self.state
        while not state.notifier.closed:
            hook = state.webhook
            if hook is None or not state.updates:
                await state.notifier.wait(30.0)
                continue
            update = state.updates[0]
            state.webhook_in_flight = True
            state.touch()
            try:
                delivered = await self._deliver(hook, update)
            finally:
                state.webhook_in_flight = False
                state.touch()
            if delivered:
                if state.updates and state.updates[0].update_id == update.update_id:
                    state.updates.pop(0)
                    state.touch()
            else:
                await asyncio.sleep(state.config.webhook_retry_seconds)

    async def _deliver(self, hook: Webhook, update: QueuedUpdate) -> bool:
        assert self._session is not None
        headers = {"Content-Type": "application/json"}
        if hook.secret_token:
            headers[SECRET_HEADER] = hook.secret_token
        body = json.dumps(update.to_json(), ensure_ascii=False).encode("utf-8")
        try:
            async with self._session.post(hook.url, data=body, headers=headers) as response:
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


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if "Connect call failed" in text or "Cannot connect" in text:
        return "Connection refused"
    if isinstance(exc, TimeoutError):
        return "Read timeout expired"
    return text or type(exc).__name__
