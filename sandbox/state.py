"""The sandbox world: the bot, users, chats, messages, files and the update queue.

Everything here is plain data plus the serialisation to Telegram's JSON. Mutations are
synchronous (one event loop, no awaits in the middle), and every change pokes a
:class:`Notifier` so long polls, "wait until" helpers and the page's event stream wake up.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import ControlError
from .ratelimit import Clock, RateLimiter, RateLimits

DEFAULT_TOKEN = "7000000001:sandbox-AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

ALL_UPDATE_TYPES = (
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
)
# Telegram leaves these out unless a bot asks for them in allowed_updates.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
DEFAULT_UPDATE_TYPES = tuple(kind for kind in ALL_UPDATE_TYPES if kind not in OPT_IN_UPDATE_TYPES)

ADMIN_RIGHTS = (
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_send_welcome_messages",
    "can_pin_messages",
    "can_manage_topics",
)
# Rights a freshly promoted bot gets when the caller names none.
DEFAULT_ADMIN_RIGHTS = {
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": False,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_send_welcome_messages": False,
    "can_pin_messages": True,
    "can_manage_topics": True,
}
PERMISSIONS = (
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_react_to_messages",
    "can_edit_tag",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
)
DEFAULT_PERMISSIONS = {
    name: name not in ("can_change_info", "can_pin_messages", "can_manage_topics")
    for name in PERMISSIONS
}
MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
TOPIC_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


def now_unix() -> int:
    return int(time.time())


class Notifier:
    """Wakes every waiter on each change; a condition variable without the lock."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.closed = False
        self.waiting = 0  # waits now open (a control wait, a long poll): tests wait on it

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def close(self) -> None:
        self.closed = True
        self.notify()

    async def wait(self, seconds: float) -> None:
        """Wait for the next change or until ``seconds`` pass."""
        if self.closed or seconds <= 0:
            return
        event = self._event
        self.waiting += 1
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), seconds)
        finally:
            self.waiting -= 1

    async def wait_for(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until ``predicate()`` holds; False when ``seconds`` ran out first."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            if predicate():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0 or self.closed:
                return predicate()
            await self.wait(remaining)


@dataclass
class User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    is_premium: bool = False
    # The user's side of the private chat with the bot.
    started: bool = False
    blocked: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass
class Member:
    user_id: int
    status: str
    rights: dict[str, bool] = field(default_factory=dict)
    until_date: int = 0
    is_member: bool = True
    custom_title: str | None = None

    @property
    def present(self) -> bool:
        """In the chat right now (restricted members may be outside it)."""
        if self.status == "restricted":
            return self.is_member
        return self.status in ("creator", "administrator", "member")


@dataclass
class Topic:
    thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None = None
    closed: bool = False
    creator_id: int = 0


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # document, photo, video
    data: bytes
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    file_path: str | None = None

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Message:
    chat_id: int
    message_id: int
    sender_id: int
    date: int
    seq: int
    thread_id: int | None = None
    is_topic_message: bool = False
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    source_text: str | None = None
    parse_mode: str | None = None
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    media_kind: str | None = None
    file_id: str | None = None
    reply_markup: dict[str, Any] | None = None  # inline keyboards only
    reply_keyboard: dict[str, Any] | None = None  # reply keyboard / remove / force reply sent
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    deleted: bool = False
    service: str | None = None  # new_chat_members, left_chat_member, forum_topic_created, ...
    extra: dict[str, Any] = field(default_factory=dict)  # more Telegram fields, as is
    inline_message_id: str | None = None
    via_bot: bool = False


@dataclass
class Chat:
    id: int
    type: str  # private, group, supergroup
    title: str | None = None
    username: str | None = None
    is_forum: bool = False
    description: str | None = None
    members: dict[int, Member] = field(default_factory=dict)
    topics: dict[int, Topic] = field(default_factory=dict)
    permissions: dict[str, bool] = field(default_factory=lambda: dict(DEFAULT_PERMISSIONS))
    messages: dict[int, Message] = field(default_factory=dict)
    next_message_id: int = 1
    pinned: list[int] = field(default_factory=list)
    # Reply keyboards: key None applies to everybody, a user id overrides it for that user;
    # a None value means "no keyboard shown".
    reply_keyboards: dict[int | None, dict[str, Any] | None] = field(default_factory=dict)
    collapsed_keyboards: set[int] = field(default_factory=set)
    chat_action: tuple[str, float, int | None] | None = None  # action, until, thread

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    @property
    def kind_label(self) -> str:
        return "supergroup chat" if self.type == "supergroup" else "group chat"

    def live_messages(self) -> list[Message]:
        return [message for message in self.messages.values() if not message.deleted]


@dataclass
class CallbackQuery:
    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    inline_message_id: str | None
    data: str | None
    seq: int
    answered: bool = False
    answer: dict[str, Any] | None = None


@dataclass
class InlineQuery:
    id: str
    user_id: int
    query: str
    offset: str
    chat_type: str | None
    seq: int
    answer: dict[str, Any] | None = None


@dataclass
class QueuedUpdate:
    update_id: int
    kind: str
    payload: dict[str, Any]
    seq: int

    def to_json(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass
class ApiCall:
    seq: int
    time: float
    method: str
    params: dict[str, Any]
    ok: bool | None = None
    error_code: int | None = None
    description: str | None = None
    result: Any = None

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time,
            "method": self.method,
            "params": self.params,
            "ok": self.ok,
            "error_code": self.error_code,
            "description": self.description,
            "result": self.result,
        }


@dataclass
class Event:
    id: int
    type: str
    data: dict[str, Any]


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    has_custom_certificate: bool = False
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class SandboxConfig:
    token: str = DEFAULT_TOKEN
    bot_username: str = "metodset_sandbox_bot"
    bot_first_name: str = "Методсеть (песочница)"
    privacy_mode: bool = True
    inline_mode: bool = True
    max_upload_bytes: int = 50 * 1024 * 1024
    max_download_bytes: int = 20 * 1024 * 1024
    webhook_retry_seconds: float = 0.5


class SandboxState:
    """All state of one sandboxed bot and its world."""

    def __init__(
        self,
        config: SandboxConfig | None = None,
        rate_limits: RateLimits | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.config = config or SandboxConfig()
        self.limiter = RateLimiter(rate_limits, clock)
        self.notifier = Notifier()
        self._seq = 0
        self._next_update_id = 700_000_000
        self._next_group_id = 1
        self._next_user_id = 100_000_001
        self.events: deque[Event] = deque(maxlen=2000)
        bot_id = int(self.config.token.split(":", 1)[0])
        self.bot = User(
            id=bot_id,
            first_name=self.config.bot_first_name,
            username=self.config.bot_username,
            is_bot=True,
        )
        self._init_world()

    def _init_world(self) -> None:
        self.users: dict[int, User] = {self.bot.id: self.bot}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.updates: list[QueuedUpdate] = []
        self.update_log: list[dict[str, Any]] = []
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.inline_queries: dict[str, InlineQuery] = {}
        self.inline_messages: dict[str, tuple[int, int]] = {}
        self.api_log: list[ApiCall] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.texts: dict[tuple[str, str], Any] = {}  # names, descriptions; menu buttons
        self.webhook: Webhook | None = None
        self.allowed_updates: list[str] | None = None
        self.api_in_flight = 0
        self.webhook_in_flight = False
        self.last_api_activity = 0.0
        self.polling_waiters = 0
        self.poll_generation = 0
        self.limiter.reset()

    # --- bookkeeping ------------------------------------------------------------------

    @property
    def seq(self) -> int:
        return self._seq

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def emit(self, kind: str, /, **data: Any) -> None:
        """Record an event for the page's stream and wake waiters."""
        self.events.append(Event(self.next_seq(), kind, data))
        self.notifier.notify()

    def touch(self) -> None:
        self.notifier.notify()

    def reset(self) -> None:
        """Forget the world; update ids and sequence numbers keep counting up so a bot that
        is still polling with an old offset keeps receiving new updates."""
        self._init_world()
        self.emit("reset")

    def mark_activity(self) -> None:
        try:
            self.last_api_activity = asyncio.get_running_loop().time()
        except RuntimeError:
            self.last_api_activity = time.monotonic()

    # --- users and chats --------------------------------------------------------------

    def add_user(
        self,
        first_name: str,
        *,
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "ru",
        is_premium: bool = False,
        started: bool = False,
    ) -> User:
        if user_id is None:
            while self._next_user_id in self.users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        if user_id <= 0:
            raise ControlError(400, "user ids are positive")
        if user_id in self.users:
            raise ControlError(409, f"user {user_id} already exists")
        if username:
            username = username.lstrip("@")
            if self.find_username(username) is not None:
                raise ControlError(409, f"username @{username} is taken")
        user = User(
            id=user_id,
            first_name=first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            is_premium=is_premium,
        )
        self.users[user_id] = user
        if started:
            self.start_private_chat(user)
        self.emit("user", user_id=user_id)
        return user

    def user(self, user_id: int) -> User:
        user = self.users.get(user_id)
        if user is None or user.is_bot:
            raise ControlError(404, f"no user {user_id}")
        return user

    def find_username(self, username: str) -> User | Chat | None:
        name = username.lstrip("@").lower()
        for user in self.users.values():
            if user.username and user.username.lower() == name:
                return user
        for chat in self.chats.values():
            if chat.username and chat.username.lower() == name:
                return chat
        return None

    def start_private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(id=user.id, type="private")
            chat.members[user.id] = Member(user.id, "member")
            chat.members[self.bot.id] = Member(self.bot.id, "member")
            self.chats[user.id] = chat
        user.started = True
        return chat

    def add_group(
        self,
        title: str,
        *,
        chat_type: str = "supergroup",
        chat_id: int | None = None,
        username: str | None = None,
        is_forum: bool = False,
        description: str | None = None,
        creator_id: int | None = None,
        members: Iterable[int] = (),
        admins: Iterable[int] = (),
        bot_status: str | None = "member",
        bot_rights: dict[str, bool] | None = None,
        permissions: dict[str, bool] | None = None,
    ) -> Chat:
        if chat_type not in ("group", "supergroup"):
            raise ControlError(400, "type must be group or supergroup")
        if is_forum and chat_type != "supergroup":
            raise ControlError(400, "only supergroups can be forums")
        if chat_id is None:
            while True:
                number = self._next_group_id
                self._next_group_id += 1
                chat_id = -(1_000_000_000_000 + number) if chat_type == "supergroup" else -number
                if chat_id not in self.chats:
                    break
        if chat_id >= 0:
            raise ControlError(400, "group ids are negative")
        if chat_id in self.chats:
            raise ControlError(409, f"chat {chat_id} already exists")
        chat = Chat(
            id=chat_id,
            type=chat_type,
            title=title,
            username=username.lstrip("@") if username else None,
            is_forum=is_forum,
            description=description,
        )
        if permissions:
            chat.permissions.update(permissions)
        if creator_id is not None:
            self.user(creator_id)
            chat.members[creator_id] = Member(creator_id, "creator")
        for user_id in admins:
            self.user(user_id)
            if user_id not in chat.members:
                chat.members[user_id] = Member(user_id, "administrator", dict(DEFAULT_ADMIN_RIGHTS))
        for user_id in members:
            self.user(user_id)
            chat.members.setdefault(user_id, Member(user_id, "member"))
        if bot_status is not None:
            chat.members[self.bot.id] = self.make_member(self.bot.id, bot_status, bot_rights)
        self.chats[chat_id] = chat
        self.emit("chat", chat_id=chat_id)
        return chat

    def make_member(self, user_id: int, status: str, rights: dict[str, bool] | None) -> Member:
        if status not in MEMBER_STATUSES:
            raise ControlError(400, f"unknown member status {status!r}")
        if status == "administrator":
            merged = dict(DEFAULT_ADMIN_RIGHTS)
            merged.update(rights or {})
            return Member(user_id, status, merged)
        if status == "restricted":
            merged = dict.fromkeys(PERMISSIONS, False)
            merged.update(rights or {})
            return Member(user_id, status, merged)
        return Member(user_id, status)

    def chat(self, chat_id: int) -> Chat:
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ControlError(404, f"no chat {chat_id}")
        return chat

    def resolve_chat(self, ref: int | str) -> Chat | None:
        if isinstance(ref, int):
            return self.chats.get(ref)
        found = self.find_username(ref)
        if isinstance(found, Chat):
            return found
        if isinstance(found, User):
            return self.chats.get(found.id)
        return None

    def member(self, chat: Chat, user_id: int) -> Member:
        return chat.members.get(user_id) or Member(user_id, "left")

    def bot_member(self, chat: Chat) -> Member:
        return self.member(chat, self.bot.id)

    # --- messages ---------------------------------------------------------------------

    def add_message(self, chat: Chat, sender_id: int, **fields: Any) -> Message:
        message = Message(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            sender_id=sender_id,
            date=now_unix(),
            seq=self.next_seq(),
            **fields,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        if sender_id == self.bot.id:
            chat.chat_action = None
        self.emit("message", chat_id=chat.id, message_id=message.message_id)
        return message

    def get_message(self, chat: Chat, message_id: int | None) -> Message | None:
        if message_id is None:
            return None
        message = chat.messages.get(message_id)
        if message is None or message.deleted:
            return None
        return message

    # --- files ------------------------------------------------------------------------

    def store_file(
        self,
        data: bytes,
        kind: str,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
        duration: int | None = None,
    ) -> StoredFile:
        prefix = {
            "document": "BQACAgIAAxkBAAI",
            "photo": "AgACAgIAAxkBAAI",
            "video": "BAACAgIAAxkBAAI",
        }
        stored = StoredFile(
            file_id=prefix.get(kind, "CQACAgIAAxkBAAI") + secrets.token_urlsafe(36),
            file_unique_id="AgAD" + secrets.token_urlsafe(9),
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
            duration=duration,
        )
        self.files[stored.file_id] = stored
        return stored

    # --- updates ----------------------------------------------------------------------

    def effective_update_types(self) -> tuple[str, ...]:
        if self.allowed_updates:
            return tuple(self.allowed_updates)
        return DEFAULT_UPDATE_TYPES

    def enqueue_update(self, kind: str, payload: dict[str, Any]) -> QueuedUpdate | None:
        """Queue an update for the bot unless its allowed_updates exclude the type."""
        allowed = kind in self.effective_update_types()
        entry: dict[str, Any] = {"kind": kind, "allowed": allowed, "payload": payload}
        if not allowed:
            entry["seq"] = self.next_seq()
            self.update_log.append(entry)
            self.touch()
            return None
        update = QueuedUpdate(self._next_update_id, kind, payload, self.next_seq())
        self._next_update_id += 1
        self.updates.append(update)
        entry.update(update_id=update.update_id, seq=update.seq)
        self.update_log.append(entry)
        self.emit("update", update_id=update.update_id, kind=kind)
        return update

    def drop_updates_before(self, update_id: int) -> None:
        before = len(self.updates)
        self.updates = [update for update in self.updates if update.update_id >= update_id]
        if len(self.updates) != before:
            self.touch()

    # --- Telegram JSON ----------------------------------------------------------------

    def user_json(self, user: User) -> dict[str, Any]:
        data: dict[str, Any] = {"id": user.id, "is_bot": user.is_bot, "first_name": user.first_name}
        if user.last_name:
            data["last_name"] = user.last_name
        if user.username:
            data["username"] = user.username
        if user.language_code and not user.is_bot:
            data["language_code"] = user.language_code
        if user.is_premium:
            data["is_premium"] = True
        return data

    def user_json_by_id(self, user_id: int) -> dict[str, Any] | None:
        user = self.users.get(user_id)
        return self.user_json(user) if user else None

    def chat_json(self, chat: Chat) -> dict[str, Any]:
        data: dict[str, Any] = {"id": chat.id, "type": chat.type}
        if chat.type == "private":
            user = self.users[chat.id]
            data["first_name"] = user.first_name
            if user.last_name:
                data["last_name"] = user.last_name
            if user.username:
                data["username"] = user.username
            return data
        data["title"] = chat.title or ""
        if chat.username:
            data["username"] = chat.username
        if chat.is_forum:
            data["is_forum"] = True
        return data

    def chat_full_json(self, chat: Chat) -> dict[str, Any]:
        data = self.chat_json(chat)
        data.update(
            accent_color_id=abs(chat.id) % 7,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
                "gifts_from_channels": True,
            },
        )
        if chat.is_group:
            data["permissions"] = dict(chat.permissions)
            if chat.description:
                data["description"] = chat.description
            if chat.pinned:
                pinned = self.get_message(chat, chat.pinned[-1])
                if pinned is not None:
                    data["pinned_message"] = self.message_json(pinned)
        return data

    def member_json(self, chat: Chat, user_id: int) -> dict[str, Any]:
        member = self.member(chat, user_id)
        user = self.users[user_id]
        data: dict[str, Any] = {"status": member.status, "user": self.user_json(user)}
        if member.status == "creator":
            data["is_anonymous"] = False
            if member.custom_title:
                data["custom_title"] = member.custom_title
        elif member.status == "administrator":
            data["can_be_edited"] = False
            data["is_anonymous"] = False
            for name in ADMIN_RIGHTS:
                if name == "can_manage_topics" and chat.type != "supergroup":
                    continue
                data[name] = bool(member.rights.get(name, False))
            if member.custom_title:
                data["custom_title"] = member.custom_title
        elif member.status == "restricted":
            data["is_member"] = member.is_member
            for name in PERMISSIONS:
                data[name] = bool(member.rights.get(name, False))
            data["until_date"] = member.until_date
        elif member.status == "kicked":
            data["until_date"] = member.until_date
        return data

    def file_json(self, stored: StoredFile) -> dict[str, Any]:
        """The Document / Video object, or one PhotoSize for photos."""
        data: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": stored.size,
        }
        if stored.kind == "photo":
            data["width"] = stored.width or 1280
            data["height"] = stored.height or 720
            return data
        if stored.kind == "video":
            data["width"] = stored.width or 1280
            data["height"] = stored.height or 720
            data["duration"] = stored.duration or 0
        if stored.file_name:
            data["file_name"] = stored.file_name
        if stored.mime_type:
            data["mime_type"] = stored.mime_type
        return data

    def message_json(self, message: Message, *, with_reply: bool = True) -> dict[str, Any]:
        chat = self.chats[message.chat_id]
        sender = self.users[message.sender_id]
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "from": self.user_json(sender),
            "chat": self.chat_json(chat),
            "date": message.date,
        }
        if message.thread_id is not None:
            data["message_thread_id"] = message.thread_id
            if message.is_topic_message:
                data["is_topic_message"] = True
        if with_reply:
            reply_id = message.reply_to_message_id
            if reply_id is None and message.is_topic_message and message.thread_id:
                # Telegram shows a topic message as a reply to the topic's creation message.
                reply_id = message.thread_id
            reply = self.get_message(chat, reply_id) if reply_id != message.message_id else None
            if reply is not None:
                data["reply_to_message"] = self.message_json(reply, with_reply=False)
        if message.via_bot:
            data["via_bot"] = self.user_json(self.bot)
        if message.edit_date:
            data["edit_date"] = message.edit_date
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.file_id is not None:
            stored = self.files[message.file_id]
            if message.media_kind == "photo":
                data["photo"] = [self.file_json(stored)]
            else:
                data[message.media_kind or "document"] = self.file_json(stored)
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.reply_markup is not None:
            data["reply_markup"] = message.reply_markup
        data.update(message.extra)
        return data

    def commands_for(self, user_id: int, chat: Chat | None) -> list[dict[str, str]]:
        """The command list a user sees in a chat, resolved by scope and language."""
        user = self.users.get(user_id)
        language = (user.language_code or "") if user else ""
        scopes: list[str] = []
        if chat is not None and chat.is_group:
            is_admin = self.member(chat, user_id).status in ("creator", "administrator")
            scopes.append(f"chat_member:{chat.id}:{user_id}")
            if is_admin:
                scopes.append(f"chat_administrators:{chat.id}")
            scopes.append(f"chat:{chat.id}")
            if is_admin:
                scopes.append("all_chat_administrators")
            scopes.append("all_group_chats")
        else:
            chat_id = chat.id if chat is not None else user_id
            scopes.append(f"chat:{chat_id}")
            scopes.append("all_private_chats")
        scopes.append("default")
        for scope in scopes:
            for lang in (language, ""):
                if (scope, lang) in self.commands:
                    return self.commands[(scope, lang)]
        return []
