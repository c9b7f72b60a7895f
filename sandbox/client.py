"""A Python client for the sandbox control API, for tests and scripts.

::

    async with SandboxClient(base_url) as sandbox:
        anna = await sandbox.create_user("Анна", username="anna")
        await sandbox.send_text(anna.id, "/start")
        [greeting] = await sandbox.wait_for_bot_messages(anna.id, 1)
        await sandbox.press_button(anna.id, None, greeting.message_id, "Профиль")

Every action remembers the sandbox's sequence number from just before it, so
``wait_for_bot_messages`` waits for what the bot sent *after the last action* by default.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import ClientSession, FormData


class SandboxError(Exception):
    """The control API refused a request."""

    def __init__(self, status: int, message: str, payload: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.payload = payload or {}


class SandboxTimeout(SandboxError, TimeoutError):
    """A wait ran out of time (HTTP 408 from the control API)."""


@dataclass
class SandboxUser:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    started: bool = False
    blocked: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SandboxUser:
        return cls(
            id=data["id"],
            first_name=data["first_name"],
            last_name=data.get("last_name"),
            username=data.get("username"),
            language_code=data.get("language_code"),
            started=data.get("started", False),
            blocked=data.get("blocked", False),
        )


@dataclass
class Button:
    text: str
    callback_data: str | None = None
    url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Media:
    kind: str
    file_id: str
    file_name: str | None
    mime_type: str | None
    file_size: int
    width: int | None = None
    height: int | None = None
    url: str | None = None


@dataclass
class ChatMessage:
    """A message as a persona sees it, with its current text after edits."""

    chat_id: int
    message_id: int
    seq: int
    date: int
    sender_id: int
    from_bot: bool
    sender_name: str
    text: str | None
    entities: list[dict[str, Any]]
    source_text: str | None
    caption: str | None
    thread_id: int | None
    reply_to_message_id: int | None
    edited: bool
    buttons: list[list[Button]]
    media: Media | None
    service: str | None
    service_data: dict[str, Any] | None
    via_bot: bool
    poll: dict[str, Any] | None
    deleted: bool
    raw: dict[str, Any]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChatMessage:
        media = data.get("media")
        return cls(
            chat_id=data["chat_id"],
            message_id=data["message_id"],
            seq=data["seq"],
            date=data["date"],
            sender_id=data["sender_id"],
            from_bot=data["from_bot"],
            sender_name=data["sender_name"],
            text=data.get("text"),
            entities=data.get("entities") or [],
            source_text=data.get("source_text"),
            caption=data.get("caption"),
            thread_id=data.get("thread_id"),
            reply_to_message_id=data.get("reply_to_message_id"),
            edited=data.get("edited", False),
            buttons=[
                [
                    Button(
                        text=button["text"],
                        callback_data=button.get("callback_data"),
                        url=button.get("url"),
                        raw=button,
                    )
                    for button in row
                ]
                for row in data.get("buttons") or []
            ],
            media=Media(
                kind=media["kind"],
                file_id=media["file_id"],
                file_name=media.get("file_name"),
                mime_type=media.get("mime_type"),
                file_size=media["file_size"],
                width=media.get("width"),
                height=media.get("height"),
                url=media.get("url"),
            )
            if media
            else None,
            service=data.get("service"),
            service_data=data.get("service_data"),
            via_bot=data.get("via_bot", False),
            poll=data.get("poll"),
            deleted=data.get("deleted", False),
            raw=data,
        )

    @property
    def content(self) -> str:
        """The text, or the caption of a media message, or ''."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def button_texts(self) -> list[str]:
        return [button.text for row in self.buttons for button in row]

    def button(self, text_or_data: str) -> Button:
        for row in self.buttons:
            for button in row:
                if text_or_data in (button.text, button.callback_data):
                    return button
        raise KeyError(f"no button {text_or_data!r}; buttons: {self.button_texts}")


@dataclass
class ReplyKeyboard:
    rows: list[list[str]]
    one_time: bool = False
    collapsed: bool = False
    placeholder: str | None = None
    force_reply: bool = False

    @property
    def buttons(self) -> list[str]:
        return [text for row in self.rows for text in row]


@dataclass
class Toast:
    """The bot's answerCallbackQuery as the user saw it."""

    callback_query_id: str
    message_id: int | None
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None


@dataclass
class ChatView:
    chat: dict[str, Any]
    messages: list[ChatMessage]
    reply_keyboard: ReplyKeyboard | None
    toasts: list[Toast]
    chat_action: dict[str, Any] | None
    commands: list[dict[str, str]]


@dataclass
class CallbackResult:
    callback_query_id: str | None
    update_id: int | None
    answered: bool
    text: str | None = None
    show_alert: bool = False
    url: str | None = None


@dataclass
class ApiCall:
    seq: int
    method: str
    params: dict[str, Any]
    ok: bool | None
    error_code: int | None
    description: str | None
    result: Any

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ApiCall:
        return cls(
            seq=data["seq"],
            method=data["method"],
            params=data["params"],
            ok=data["ok"],
            error_code=data.get("error_code"),
            description=data.get("description"),
            result=data.get("result"),
        )


def _drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


class SandboxClient:
    """Async client of the control API; use as ``async with SandboxClient(url) as c:``."""

    def __init__(self, base_url: str, *, session: ClientSession | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._session = session
        self._own_session = session is None
        self.last_seq = 0

    async def __aenter__(self) -> SandboxClient:
        self._ensure_session()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._own_session and self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _ensure_session(self) -> ClientSession:
        if self._session is None or self._session.closed:
            self._session = ClientSession()
            self._own_session = True
        return self._session

    async def _request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        data: Any = None,
    ) -> Any:
        session = self._ensure_session()
        query = {key: str(value) for key, value in (params or {}).items() if value is not None}
        async with session.request(
            method, f"{self.base_url}{path}", json=json, params=query, data=data
        ) as response:
            body = await response.json()
        if not body.get("ok"):
            message = body.get("error", "unknown error")
            if response.status == 408:
                raise SandboxTimeout(response.status, message, body)
            raise SandboxError(response.status, message, body)
        return body["result"]

    async def _action(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        result = await self._request("POST", path, json=_drop_none(payload))
        if isinstance(result, dict) and "seq" in result:
            self.last_seq = result["seq"]
        return result

    # --- world --------------------------------------------------------------------------

    async def create_user(
        self,
        first_name: str = "Тестовый",
        *,
        id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        started: bool = False,
    ) -> SandboxUser:
        data = await self._request(
            "POST",
            "/control/users",
            json=_drop_none(
                {
                    "first_name": first_name,
                    "id": id,
                    "last_name": last_name,
                    "username": username,
                    "language_code": language_code or "",
                    "started": started,
                }
            ),
        )
        return SandboxUser.from_json(data)

    async def users(self) -> list[SandboxUser]:
        return [
            SandboxUser.from_json(item) for item in await self._request("GET", "/control/users")
        ]

    async def create_group(
        self,
        title: str,
        *,
        type: str = "supergroup",
        id: int | None = None,
        username: str | None = None,
        is_forum: bool = False,
        description: str | None = None,
        creator_id: int | None = None,
        members: list[int] | tuple[int, ...] = (),
        admins: list[int] | tuple[int, ...] = (),
        bot_status: str | None = "member",
        bot_rights: dict[str, bool] | None = None,
        permissions: dict[str, bool] | None = None,
    ) -> dict[str, Any]:
        """Create a group as it already exists (no updates are sent). ``bot_status`` is
        ``member``, ``administrator`` (with ``bot_rights``), ``left`` or None (never in it)."""
        payload: dict[str, Any] = {
            "title": title,
            "type": type,
            "id": id,
            "username": username,
            "is_forum": is_forum,
            "description": description,
            "creator_id": creator_id,
            "members": list(members),
            "admins": list(admins),
            "bot_rights": bot_rights,
            "permissions": permissions,
        }
        payload = _drop_none(payload)
        payload["bot_status"] = bot_status
        result: dict[str, Any] = await self._request("POST", "/control/groups", json=payload)
        return result

    async def chat_info(self, chat_id: int) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("GET", f"/control/chats/{chat_id}")
        return result

    async def user_chats(self, user_id: int) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = await self._request("GET", f"/control/users/{user_id}/chats")
        return result

    # --- acting as a user ---------------------------------------------------------------

    async def start(self, user_id: int, payload: str | None = None) -> dict[str, Any]:
        """Press START in the private chat (sends ``/start`` or ``/start <payload>``)."""
        return await self._action("/control/start", {"user_id": user_id, "payload": payload})

    async def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """Write in the private chat with the bot (``chat_id=None``) or in a group."""
        return await self._action(
            "/control/send_text",
            {
                "user_id": user_id,
                "text": text,
                "chat_id": chat_id,
                "thread_id": thread_id,
                "reply_to": reply_to,
            },
        )

    async def send_file(
        self,
        user_id: int,
        path_or_bytes: str | Path | bytes,
        filename: str | None = None,
        kind: str = "document",
        caption: str | None = None,
        chat_id: int | None = None,
        thread_id: int | None = None,
        reply_to: int | None = None,
        mime_type: str | None = None,
    ) -> dict[str, Any]:
        """Upload a document, photo or video as a message (multipart)."""
        if isinstance(path_or_bytes, bytes):
            content = path_or_bytes
            filename = filename or "file.bin"
        else:
            path = Path(path_or_bytes)
            content = await asyncio.to_thread(path.read_bytes)
            filename = filename or path.name
        form = FormData()
        fields = _drop_none(
            {
                "user_id": user_id,
                "kind": kind,
                "caption": caption,
                "chat_id": chat_id,
                "thread_id": thread_id,
                "reply_to": reply_to,
                "mime_type": mime_type,
                "filename": filename,
            }
        )
        for key, value in fields.items():
            form.add_field(key, str(value))
        form.add_field(
            "file",
            content,
            filename=filename,
            content_type=mime_type or "application/octet-stream",
        )
        result: dict[str, Any] = await self._request("POST", "/control/send_file", data=form)
        self.last_seq = result["seq"]
        return result

    async def send_file_base64(
        self, user_id: int, content: bytes, filename: str, **kwargs: Any
    ) -> dict[str, Any]:
        """The JSON variant of :meth:`send_file` (base64 body)."""
        payload = {"user_id": user_id, "filename": filename, **kwargs}
        payload["data"] = base64.b64encode(content).decode()
        return await self._action("/control/send_file", payload)

    async def edit_text(
        self, user_id: int, message_id: int, text: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        return await self._action(
            "/control/edit_text",
            {"user_id": user_id, "chat_id": chat_id, "message_id": message_id, "text": text},
        )

    async def press_button(
        self,
        user_id: int,
        chat_id: int | None,
        message_id: int,
        text_or_data: str,
        *,
        wait: float = 5.0,
    ) -> CallbackResult:
        """Press an inline button found by its text or callback data. With ``wait`` > 0 the
        call returns once the bot answered the callback query (or the time ran out)."""
        result = await self._action(
            "/control/press_button",
            {
                "user_id": user_id,
                "chat_id": chat_id,
                "message_id": message_id,
                "text": text_or_data,
                "wait": wait or None,
            },
        )
        answer = result.get("answer") or {}
        return CallbackResult(
            callback_query_id=result.get("callback_query_id"),
            update_id=result.get("update_id"),
            answered=bool(result.get("answered")),
            text=answer.get("text"),
            show_alert=bool(answer.get("show_alert")),
            url=answer.get("url") or result.get("url"),
        )

    async def press_reply_button(
        self, user_id: int, text: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        """Tap a button of the reply keyboard currently shown (sends its text)."""
        view = await self.chat_view(user_id, chat_id)
        if view.reply_keyboard is None or text not in view.reply_keyboard.buttons:
            shown = view.reply_keyboard.buttons if view.reply_keyboard else []
            raise SandboxError(404, f"no reply button {text!r}; shown: {shown}")
        return await self.send_text(user_id, text, chat_id=chat_id)

    async def inline_query(
        self,
        user_id: int,
        query: str,
        *,
        chat_type: str | None = "sender",
        offset: str = "",
        wait: float = 5.0,
    ) -> dict[str, Any]:
        """Type ``@bot query``; returns ``inline_query_id`` and the bot's ``answer``."""
        return await self._action(
            "/control/inline_query",
            {
                "user_id": user_id,
                "query": query,
                "chat_type": chat_type,
                "offset": offset,
                "wait": wait or None,
            },
        )

    async def choose_inline_result(
        self, user_id: int, inline_query_id: str, result_id: str, chat_id: int | None = None
    ) -> dict[str, Any]:
        return await self._action(
            "/control/choose_inline_result",
            {
                "user_id": user_id,
                "inline_query_id": inline_query_id,
                "result_id": result_id,
                "chat_id": chat_id,
            },
        )

    async def join_group(self, user_id: int, chat_id: int) -> dict[str, Any]:
        return await self._action("/control/join_group", {"user_id": user_id, "chat_id": chat_id})

    async def leave_group(self, user_id: int, chat_id: int) -> dict[str, Any]:
        return await self._action("/control/leave_group", {"user_id": user_id, "chat_id": chat_id})

    async def add_bot(
        self,
        user_id: int,
        chat_id: int,
        status: str = "member",
        rights: dict[str, bool] | None = None,
    ) -> dict[str, Any]:
        """``user_id`` adds the bot to a group (``my_chat_member`` + service message)."""
        return await self._action(
            "/control/add_bot",
            {"user_id": user_id, "chat_id": chat_id, "status": status, "rights": rights},
        )

    async def remove_bot(self, user_id: int, chat_id: int) -> dict[str, Any]:
        return await self._action("/control/remove_bot", {"user_id": user_id, "chat_id": chat_id})

    async def set_member(
        self,
        actor_id: int,
        chat_id: int,
        user_id: int,
        status: str,
        rights: dict[str, bool] | None = None,
    ) -> dict[str, Any]:
        """Promote, demote, restrict or ban a member (the bot too) as admin ``actor_id``."""
        return await self._action(
            "/control/set_member",
            {
                "actor_id": actor_id,
                "chat_id": chat_id,
                "user_id": user_id,
                "status": status,
                "rights": rights,
            },
        )

    async def block_bot(self, user_id: int) -> dict[str, Any]:
        return await self._action("/control/block_bot", {"user_id": user_id})

    async def unblock_bot(self, user_id: int) -> dict[str, Any]:
        return await self._action("/control/unblock_bot", {"user_id": user_id})

    async def create_topic(
        self, user_id: int, chat_id: int, name: str, icon_color: int | None = None
    ) -> int:
        """A user opens a forum topic; returns its ``message_thread_id``."""
        result = await self._action(
            "/control/topics",
            {"user_id": user_id, "chat_id": chat_id, "name": name, "icon_color": icon_color},
        )
        return int(result["thread_id"])

    # --- reading ------------------------------------------------------------------------

    async def chat_view(self, user_id: int, chat_id: int | None = None) -> ChatView:
        data = await self._request(
            "GET", "/control/chat_view", params={"user_id": user_id, "chat_id": chat_id}
        )
        keyboard = data.get("reply_keyboard")
        return ChatView(
            chat=data["chat"],
            messages=[ChatMessage.from_json(item) for item in data["messages"]],
            reply_keyboard=ReplyKeyboard(
                rows=keyboard.get("rows", []),
                one_time=keyboard.get("one_time", False),
                collapsed=keyboard.get("collapsed", False),
                placeholder=keyboard.get("placeholder"),
                force_reply=keyboard.get("force_reply", False),
            )
            if keyboard
            else None,
            toasts=[
                Toast(
                    callback_query_id=item["callback_query_id"],
                    message_id=item.get("message_id"),
                    data=item.get("data"),
                    text=item.get("text"),
                    show_alert=bool(item.get("show_alert")),
                    url=item.get("url"),
                )
                for item in data["toasts"]
            ],
            chat_action=data.get("chat_action"),
            commands=data.get("commands") or [],
        )

    async def chat(self, user_id: int, chat_id: int | None = None) -> list[ChatMessage]:
        """The messages of a chat as ``user_id`` sees them, oldest first."""
        return (await self.chat_view(user_id, chat_id)).messages

    async def last_message(self, user_id: int, chat_id: int | None = None) -> ChatMessage:
        messages = await self.chat(user_id, chat_id)
        if not messages:
            raise SandboxError(404, "the chat is empty")
        return messages[-1]

    async def commands(self, user_id: int, chat_id: int | None = None) -> list[dict[str, str]]:
        result: list[dict[str, str]] = await self._request(
            "GET", "/control/commands", params={"user_id": user_id, "chat_id": chat_id}
        )
        return result

    async def download(self, file_id: str) -> bytes:
        session = self._ensure_session()
        async with session.get(f"{self.base_url}/control/files/{file_id}") as response:
            if response.status != 200:
                raise SandboxError(response.status, "no such file")
            return await response.read()

    # --- waiting and logs ---------------------------------------------------------------

    async def mark(self) -> int:
        """Remember the current sequence number as the point later waits count from."""
        result = await self._request("GET", "/control/seq")
        self.last_seq = int(result["seq"])
        return self.last_seq

    async def wait_for_bot_messages(
        self,
        chat_id: int,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a server-side wait
        after_seq: int | None = None,
    ) -> list[ChatMessage]:
        """Wait until the bot has sent ``count`` messages to ``chat_id`` since the last
        action made through this client (or since ``after_seq``); returns them."""
        result = await self._request(
            "POST",
            "/control/wait/bot_messages",
            json={
                "chat_id": chat_id,
                "count": count,
                "timeout": timeout,
                "after_seq": self.last_seq if after_seq is None else after_seq,
            },
        )
        return [ChatMessage.from_json(item) for item in result["messages"]]

    async def wait_idle(
        self,
        timeout: float = 10.0,  # noqa: ASYNC109 - a server-side wait
        quiet: float = 0.25,
    ) -> None:
        """Wait until the bot took every update and made no call for ``quiet`` seconds."""
        await self._request("POST", "/control/wait/idle", json={"timeout": timeout, "quiet": quiet})

    async def wait_for_api_call(
        self,
        method: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - a server-side wait
        after_seq: int | None = None,
        *,
        started: bool = False,
    ) -> ApiCall:
        """The first call (of ``method``) after the mark that the server answered; with
        ``started``, one it has received and may still be answering: a long poll waits up to
        its timeout before it is answered, and a bot that is polling has one open."""
        result = await self._request(
            "POST",
            "/control/wait/api_call",
            json=_drop_none(
                {
                    "method": method,
                    "timeout": timeout,
                    "after_seq": self.last_seq if after_seq is None else after_seq,
                    "started": started or None,
                }
            ),
        )
        return ApiCall.from_json(result)

    async def api_calls(
        self, method: str | None = None, after_seq: int | None = None
    ) -> list[ApiCall]:
        """Every Bot API call the bot made (optionally one method, after a mark)."""
        data = await self._request(
            "GET", "/control/api_calls", params={"method": method, "after_seq": after_seq}
        )
        return [ApiCall.from_json(item) for item in data]

    async def updates(
        self, kind: str | None = None, after_seq: int | None = None
    ) -> list[dict[str, Any]]:
        """Every update generated for the bot, with ``allowed`` false for filtered ones."""
        result: list[dict[str, Any]] = await self._request(
            "GET", "/control/updates", params={"kind": kind, "after_seq": after_seq}
        )
        return result

    async def set_rate_limits(self, **limits: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("POST", "/control/rate_limits", json=limits)
        return result

    async def state(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._request("GET", "/control/state")
        return result

    async def reset(self) -> None:
        """Forget users, chats, files, logs and pending updates."""
        result = await self._request("POST", "/control/reset")
        self.last_seq = result["seq"]
