"""The control API under ``/control/``: personas, groups, actions, views, waits, logs.

Answers are ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}`` with a
fitting HTTP status. ``/control/events`` is a server-sent-events stream of changes.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from .actions import UserActions
from .errors import ControlError
from .params import BodyTooLarge, read_multipart
from .ratelimit import RateLimits
from .state import SandboxState
from .views import chat_list, chat_summary, chat_view, message_view, user_view

ControlHandler = Callable[[web.Request], Awaitable[Any]]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def ok(result: Any, status: int = 200) -> web.Response:
    return web.json_response({"ok": True, "result": result}, status=status, dumps=_dumps)


def failure(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response({"ok": False, "error": message, **extra}, status=status, dumps=_dumps)


def _int(value: Any, name: str, *, required: bool = True) -> int | None:
    if value is None or value == "":
        if required:
            raise ControlError(400, f"{name} is required")
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ControlError(400, f"{name} must be an integer") from None


def _float(value: Any, name: str, default: float) -> float:
    if value is None or value == "":
        return default
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ControlError(400, f"{name} must be a number") from None


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        data = await request.json()
    except ValueError:
        raise ControlError(400, "the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise ControlError(400, "the body must be a JSON object")
    return data


class ControlApi:
    def __init__(self, state: SandboxState, actions: UserActions) -> None:
        self.state = state
        self.actions = actions

    def routes(self) -> list[web.RouteDef]:
        get, post = web.get, web.post
        table: list[tuple[Callable[..., web.RouteDef], str, ControlHandler]] = [
            (get, "/control/state", self.get_state),
            (get, "/control/seq", self.get_seq),
            (get, "/control/users", self.list_users),
            (post, "/control/users", self.create_user),
            (get, "/control/users/{user_id}/chats", self.user_chats),
            (get, "/control/chats", self.list_chats),
            (post, "/control/groups", self.create_group),
            (get, "/control/chats/{chat_id}", self.get_chat),
            (post, "/control/topics", self.create_topic),
            (post, "/control/start", self.start),
            (post, "/control/send_text", self.send_text),
            (post, "/control/send_file", self.send_file),
            (post, "/control/edit_text", self.edit_text),
            (post, "/control/press_button", self.press_button),
            (post, "/control/inline_query", self.inline_query),
            (post, "/control/choose_inline_result", self.choose_inline_result),
            (post, "/control/join_group", self.join_group),
            (post, "/control/leave_group", self.leave_group),
            (post, "/control/add_bot", self.add_bot),
            (post, "/control/remove_bot", self.remove_bot),
            (post, "/control/set_member", self.set_member),
            (post, "/control/block_bot", self.block_bot),
            (post, "/control/unblock_bot", self.unblock_bot),
            (get, "/control/chat_view", self.chat_view),
            (get, "/control/commands", self.commands),
            (post, "/control/wait/bot_messages", self.wait_bot_messages),
            (post, "/control/wait/idle", self.wait_idle),
            (post, "/control/wait/api_call", self.wait_api_call),
            (get, "/control/api_calls", self.api_calls),
            (get, "/control/updates", self.updates),
            (get, "/control/rate_limits", self.get_rate_limits),
            (post, "/control/rate_limits", self.set_rate_limits),
            (post, "/control/reset", self.reset),
            (get, "/control/files/{file_id}", self.download),
            (get, "/control/events", self.events),
        ]
        return [method(path, self._wrap(handler)) for method, path, handler in table]

    def _wrap(
        self, handler: ControlHandler
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def wrapped(request: web.Request) -> web.StreamResponse:
            try:
                result = await handler(request)
            except ControlError as exc:
                return failure(exc.status, exc.message)
            if isinstance(result, web.StreamResponse):
                return result
            return ok(result)

        return wrapped

    # --- overview ---------------------------------------------------------------------

    async def get_state(self, request: web.Request) -> Any:
        state = self.state
        hook = state.webhook
        return {
            "seq": state.seq,
            "bot": user_view(state, state.bot),
            "users": [user_view(state, user) for user in state.users.values() if not user.is_bot],
            "chats": [chat.id for chat in state.chats.values()],
            "pending_updates": len(state.updates),
            "webhook": hook.url if hook else None,
            "polling": state.polling_waiters > 0,
            "privacy_mode": state.config.privacy_mode,
            "rate_limits": state.limiter.limits.to_json(),
        }

    async def get_seq(self, request: web.Request) -> Any:
        return {"seq": self.state.seq}

    async def list_users(self, request: web.Request) -> Any:
        state = self.state
        return [user_view(state, user) for user in state.users.values() if not user.is_bot]

    async def create_user(self, request: web.Request) -> Any:
        body = await _body(request)
        first_name = str(body.get("first_name") or "").strip()
        if not first_name:
            raise ControlError(400, "first_name is required")
        user = self.state.add_user(
            first_name,
            user_id=_int(body.get("id"), "id", required=False),
            last_name=body.get("last_name") or None,
            username=body.get("username") or None,
            language_code=body.get("language_code", "ru") or None,
            is_premium=bool(body.get("is_premium")),
            started=bool(body.get("started")),
        )
        return user_view(self.state, user)

    async def user_chats(self, request: web.Request) -> Any:
        user_id = _int(request.match_info["user_id"], "user_id")
        assert user_id is not None
        return chat_list(self.state, user_id)

    async def list_chats(self, request: web.Request) -> Any:
        return [chat_summary(self.state, chat) for chat in self.state.chats.values()]

    async def create_group(self, request: web.Request) -> Any:
        body = await _body(request)
        title = str(body.get("title") or "").strip()
        if not title:
            raise ControlError(400, "title is required")
        chat = self.state.add_group(
            title,
            chat_type=body.get("type", "supergroup"),
            chat_id=_int(body.get("id"), "id", required=False),
            username=body.get("username") or None,
            is_forum=bool(body.get("is_forum")),
            description=body.get("description") or None,
            creator_id=_int(body.get("creator_id"), "creator_id", required=False),
            members=[int(user_id) for user_id in body.get("members") or []],
            admins=[int(user_id) for user_id in body.get("admins") or []],
            bot_status=body.get("bot_status", "member"),
            bot_rights=body.get("bot_rights") or None,
            permissions=body.get("permissions") or None,
        )
        return chat_summary(self.state, chat)

    async def get_chat(self, request: web.Request) -> Any:
        chat_id = _int(request.match_info["chat_id"], "chat_id")
        assert chat_id is not None
        state = self.state
        chat = state.chat(chat_id)
        summary = chat_summary(state, chat)
        summary["members"] = [
            {
                "user_id": member.user_id,
                "status": member.status,
                "rights": member.rights,
                "name": state.users[member.user_id].full_name
                if member.user_id in state.users
                else "",
            }
            for member in chat.members.values()
        ]
        summary["pinned"] = list(chat.pinned)
        return summary

    # --- actions ----------------------------------------------------------------------

    async def create_topic(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.create_topic(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id"),  # type: ignore[arg-type]
            str(body.get("name") or ""),
            _int(body.get("icon_color"), "icon_color", required=False),
        )

    async def start(self, request: web.Request) -> Any:
        body = await _body(request)
        payload = body.get("payload")
        text = f"/start {payload}" if payload else "/start"
        return self.actions.send_text(_int(body.get("user_id"), "user_id"), text)  # type: ignore[arg-type]

    async def send_text(self, request: web.Request) -> Any:
        body = await _body(request)
        text = body.get("text")
        if not isinstance(text, str):
            raise ControlError(400, "text is required")
        return self.actions.send_text(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            text,
            chat_id=_int(body.get("chat_id"), "chat_id", required=False),
            thread_id=_int(body.get("thread_id"), "thread_id", required=False),
            reply_to=_int(body.get("reply_to"), "reply_to", required=False),
        )

    async def send_file(self, request: web.Request) -> Any:
        """Multipart (fields + a ``file`` part) or JSON with base64 ``data``."""
        max_bytes = self.state.config.max_upload_bytes
        if request.content_type == "multipart/form-data":
            try:
                fields, uploads = await read_multipart(await request.multipart(), max_bytes)
            except BodyTooLarge:
                raise ControlError(413, "file is too big") from None
            upload = uploads.get("file") or next(iter(uploads.values()), None)
            if upload is None:
                raise ControlError(400, "a file part is required")
            data, filename, mime = (
                upload.data,
                fields.get("filename") or upload.filename,
                upload.content_type,
            )
        else:
            fields = await _body(request)
            try:
                data = base64.b64decode(fields.get("data") or "", validate=True)
            except ValueError:
                raise ControlError(400, "data must be base64") from None
            filename, mime = fields.get("filename") or "file.bin", fields.get("mime_type")
        return self.actions.send_file(
            _int(fields.get("user_id"), "user_id"),  # type: ignore[arg-type]
            data,
            filename,
            kind=fields.get("kind") or "document",
            caption=fields.get("caption") or None,
            chat_id=_int(fields.get("chat_id"), "chat_id", required=False),
            thread_id=_int(fields.get("thread_id"), "thread_id", required=False),
            reply_to=_int(fields.get("reply_to"), "reply_to", required=False),
            mime_type=fields.get("mime_type") or mime,
        )

    async def edit_text(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.edit_text(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id", required=False),
            _int(body.get("message_id"), "message_id"),  # type: ignore[arg-type]
            str(body.get("text") or ""),
        )

    async def press_button(self, request: web.Request) -> Any:
        body = await _body(request)
        if body.get("text") is None and body.get("data") is None:
            raise ControlError(400, "text or data is required")
        return await self.actions.press_button(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id", required=False),
            _int(body.get("message_id"), "message_id"),  # type: ignore[arg-type]
            text=body.get("text"),
            data=body.get("data"),
            wait=_float(body.get("wait"), "wait", 0.0) or None,
        )

    async def inline_query(self, request: web.Request) -> Any:
        body = await _body(request)
        return await self.actions.inline_query(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            str(body.get("query") or ""),
            chat_type=body.get("chat_type", "sender"),
            offset=str(body.get("offset") or ""),
            wait=_float(body.get("wait"), "wait", 0.0) or None,
        )

    async def choose_inline_result(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.choose_inline_result(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            str(body.get("inline_query_id") or ""),
            str(body.get("result_id") or ""),
            chat_id=_int(body.get("chat_id"), "chat_id", required=False),
        )

    async def join_group(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.join_group(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id"),  # type: ignore[arg-type]
        )

    async def leave_group(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.leave_group(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id"),  # type: ignore[arg-type]
        )

    async def add_bot(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.add_bot(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id"),  # type: ignore[arg-type]
            status=body.get("status") or "member",
            rights=body.get("rights") or None,
        )

    async def remove_bot(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.remove_bot(
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id"),  # type: ignore[arg-type]
        )

    async def set_member(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.set_member(
            _int(body.get("actor_id"), "actor_id"),  # type: ignore[arg-type]
            _int(body.get("chat_id"), "chat_id"),  # type: ignore[arg-type]
            _int(body.get("user_id"), "user_id"),  # type: ignore[arg-type]
            str(body.get("status") or ""),
            rights=body.get("rights") or None,
            until_date=_int(body.get("until_date"), "until_date", required=False) or 0,
        )

    async def block_bot(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.block_bot(_int(body.get("user_id"), "user_id"))  # type: ignore[arg-type]

    async def unblock_bot(self, request: web.Request) -> Any:
        body = await _body(request)
        return self.actions.unblock_bot(_int(body.get("user_id"), "user_id"))  # type: ignore[arg-type]

    # --- reading ----------------------------------------------------------------------

    async def chat_view(self, request: web.Request) -> Any:
        query = request.query
        return chat_view(
            self.state,
            _int(query.get("user_id"), "user_id"),  # type: ignore[arg-type]
            _int(query.get("chat_id"), "chat_id", required=False),
        )

    async def commands(self, request: web.Request) -> Any:
        query = request.query
        user_id = _int(query.get("user_id"), "user_id")
        assert user_id is not None
        chat_id = _int(query.get("chat_id"), "chat_id", required=False)
        chat = self.state.chats.get(chat_id if chat_id is not None else user_id)
        return self.state.commands_for(user_id, chat)

    async def api_calls(self, request: web.Request) -> Any:
        method = (request.query.get("method") or "").lower()
        after = _int(request.query.get("after_seq"), "after_seq", required=False) or 0
        return [
            call.to_json()
            for call in self.state.api_log
            if call.seq > after and (not method or call.method.lower() == method)
        ]

    async def updates(self, request: web.Request) -> Any:
        kind = request.query.get("kind")
        after = _int(request.query.get("after_seq"), "after_seq", required=False) or 0
        return [
            entry
            for entry in self.state.update_log
            if entry["seq"] > after and (not kind or entry["kind"] == kind)
        ]

    async def download(self, request: web.Request) -> Any:
        stored = self.state.files.get(request.match_info["file_id"])
        if stored is None:
            raise ControlError(404, "no such file")
        name = stored.file_name or f"{stored.kind}.jpg"
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type
            or ("image/jpeg" if stored.kind == "photo" else "application/octet-stream"),
            headers={"Content-Disposition": f"inline; filename*=UTF-8''{quote(name, safe='')}"},
        )

    # --- waiting ----------------------------------------------------------------------

    async def wait_bot_messages(self, request: web.Request) -> Any:
        """Wait until the bot has sent ``count`` messages to ``chat_id`` after ``after_seq``."""
        state = self.state
        body = await _body(request)
        chat_id = _int(body.get("chat_id"), "chat_id")
        count = _int(body.get("count"), "count", required=False) or 1
        after = _int(body.get("after_seq"), "after_seq", required=False)
        after = state.seq if after is None else after
        timeout = _float(body.get("timeout"), "timeout", 5.0)

        def sent() -> list[Any]:
            chat = state.chats.get(chat_id)  # type: ignore[arg-type]
            if chat is None:
                return []
            return [
                message
                for message in chat.messages.values()
                if message.seq > after
                and message.sender_id == state.bot.id
                and message.service is None
            ]

        satisfied = await state.notifier.wait_for(lambda: len(sent()) >= count, timeout)
        views = [dict(message_view(state, m), deleted=m.deleted) for m in sent()]
        if not satisfied:
            return failure(
                408,
                f"the bot sent {len(views)} of {count} messages to chat {chat_id} in {timeout:g} s",
                messages=views,
            )
        return {"messages": views, "seq": state.seq}

    async def wait_idle(self, request: web.Request) -> Any:
        state = self.state
        body = await _body(request)
        timeout = _float(body.get("timeout"), "timeout", 10.0)
        quiet = _float(body.get("quiet"), "quiet", 0.25)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            now = loop.time()
            busy = bool(state.updates) or state.api_in_flight > 0 or state.webhook_in_flight
            if not busy and now - state.last_api_activity >= quiet:
                return {"idle": True, "seq": state.seq}
            if now >= deadline or state.notifier.closed:
                reason = (
                    f"{len(state.updates)} updates not yet taken by the bot"
                    if state.updates
                    else "the bot is still making calls"
                )
                return failure(408, f"the bot did not become idle in {timeout:g} s: {reason}")
            step = deadline - now
            if not busy:
                step = min(step, state.last_api_activity + quiet - now)
            await state.notifier.wait(max(step, 0.005))

    async def wait_api_call(self, request: web.Request) -> Any:
        state = self.state
        body = await _body(request)
        method = str(body.get("method") or "").lower()
        after = _int(body.get("after_seq"), "after_seq", required=False)
        after = state.seq if after is None else after
        timeout = _float(body.get("timeout"), "timeout", 5.0)
        started = bool(body.get("started"))  # made, not yet answered (a long poll waiting)

        def found() -> Any:
            for call in state.api_log:
                if (
                    call.seq > after
                    and (started or call.ok is not None)
                    and (not method or call.method.lower() == method)
                ):
                    return call
            return None

        if not await state.notifier.wait_for(lambda: found() is not None, timeout):
            return failure(408, f"no {method or 'Bot API'} call in {timeout:g} s")
        return found().to_json()

    # --- settings ---------------------------------------------------------------------

    async def get_rate_limits(self, request: web.Request) -> Any:
        return self.state.limiter.limits.to_json()

    async def set_rate_limits(self, request: web.Request) -> Any:
        body = await _body(request)
        current = self.state.limiter.limits.to_json()
        unknown = set(body) - set(current)
        if unknown:
            raise ControlError(400, f"unknown limits: {', '.join(sorted(unknown))}")
        current.update(body)
        try:
            limits = RateLimits(**current)  # type: ignore[arg-type]
        except TypeError as exc:
            raise ControlError(400, str(exc)) from None
        self.state.limiter.configure(limits)
        return limits.to_json()

    async def reset(self, request: web.Request) -> Any:
        self.state.reset()
        return {"seq": self.state.seq}

    # --- server-sent events -----------------------------------------------------------

    async def events(self, request: web.Request) -> web.StreamResponse:
        state = self.state
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        last = _int(
            request.headers.get("Last-Event-ID") or request.query.get("after"),
            "after",
            required=False,
        )
        last = state.seq if last is None else last
        loop = asyncio.get_running_loop()
        with contextlib.suppress(ConnectionResetError):
            await response.write(b"retry: 1000\n: connected\n\n")
            last_write = loop.time()
            while not state.notifier.closed:
                fresh = [event for event in state.events if event.id > last]
                for event in fresh:
                    payload = _dumps({"type": event.type, **event.data})
                    await response.write(
                        f"id: {event.id}\nevent: {event.type}\ndata: {payload}\n\n".encode()
                    )
                    last = event.id
                    last_write = loop.time()
                if loop.time() - last_write >= 15.0:
                    await response.write(b": ping\n\n")
                    last_write = loop.time()
                await state.notifier.wait(15.0)
        return response
