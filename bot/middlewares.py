"""Outer middlewares: throttling, a DB session per update, the user, the user's locale."""

import logging
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import CallbackQuery, Message, TelegramObject, Update
from aiogram.types import User as TelegramUser
from aiogram.utils.callback_answer import CallbackAnswerMiddleware
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import I18n, error_text
from bot.keyboards import MENU_KEYS
from bot.logs import current_update_id
from notices.after_commit import AfterCommit, Send
from storage.clock import Clock
from storage.db import CommitFailed
from storage.errors import DomainError
from storage.repositories import Repo

logger = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateContext(BaseMiddleware):
    """The outermost middleware: every line logged while an update is handled carries its
    id (JSON logs, bot/logs.py)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        token = current_update_id.set(event.update_id)
        try:
            return await handler(event, data)
        finally:
            current_update_id.reset(token)


# C0 controls but tab, line feed and carriage return: PostgreSQL refuses NUL in text, and
# none of them is anything a person means to write.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean(text: str | None) -> str | None:
    # A space, not nothing: each control is one UTF-16 unit, so entity offsets stay right.
    return _CONTROLS.sub(" ", text) if text else text


class ControlCharacters(BaseMiddleware):
    """The outermost middleware: control characters leave typed text, captions, file names,
    inline queries and button data before any handler, state or row sees them."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Update):
            event = self._cleaned(event)
        return await handler(event, data)

    @staticmethod
    def _cleaned(update: Update) -> Update:
        changes: dict[str, Any] = {}
        for name in ("message", "edited_message"):
            message: Message | None = getattr(update, name)
            if message is None:
                continue
            fixed: dict[str, Any] = {
                key: _clean(value)
                for key in ("text", "caption")
                if _clean(value := getattr(message, key)) != value
            }
            document = message.document
            if document is not None and _clean(document.file_name) != document.file_name:
                fixed["document"] = document.model_copy(
                    update={"file_name": _clean(document.file_name)}
                )
            if fixed:
                changes[name] = message.model_copy(update=fixed)
        query = update.inline_query
        if query is not None and _clean(query.query) != query.query:
            changes["inline_query"] = query.model_copy(update={"query": _clean(query.query)})
        callback = update.callback_query
        if callback is not None and _clean(callback.data) != callback.data:
            changes["callback_query"] = callback.model_copy(update={"data": _clean(callback.data)})
        return update.model_copy(update=changes) if changes else update


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class MemoryBuckets:
    """The throttle's buckets in this process, the least recently seen forgotten first."""

    def __init__(
        self,
        rate: float,
        burst: int,
        monotonic: Callable[[], float] = time.monotonic,
        max_users: int = 10_000,
    ):
        self._rate = rate
        self._burst = burst
        self._monotonic = monotonic
        self._max_users = max_users
        self._buckets: OrderedDict[int, _Bucket] = OrderedDict()

    async def take(self, bot_id: int, user_id: int) -> tuple[bool, bool]:
        """(allowed, first refusal since the last allowed update)."""
        now = self._monotonic()
        bucket = self._buckets.pop(user_id, None)
        if bucket is None:
            bucket = _Bucket(tokens=float(self._burst), updated=now)
        else:
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(float(self._burst), bucket.tokens + elapsed * self._rate)
            bucket.updated = now
        self._buckets[user_id] = bucket
        while len(self._buckets) > self._max_users:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return True, False
        first_refusal = not bucket.warned
        bucket.warned = True
        return False, first_refusal


class TokenBuckets(Protocol):
    async def take(self, bot_id: int, user_id: int) -> tuple[bool, bool]: ...


class ThrottlingMiddleware(BaseMiddleware):
    """A token bucket per user: a flood is answered once and the rest is dropped unprocessed.

    Runs before the DB session, so a flood costs no queries. The buckets are this process's
    own, or shared by the replicas in Redis (bot/replicas.py RedisBuckets).
    """

    def __init__(
        self,
        i18n_hub: I18n,
        rate: float,
        burst: int,
        monotonic: Callable[[], float] = time.monotonic,
        max_users: int = 10_000,
        buckets: TokenBuckets | None = None,
    ):
        self._i18n_hub = i18n_hub
        self._buckets = buckets or MemoryBuckets(rate, burst, monotonic, max_users)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        inner = _message_or_callback(event)
        if sender is None or inner is None:
            return await handler(event, data)
        allowed, first_refusal = await self._buckets.take(data["bot"].id, sender.id)
        if allowed:
            return await handler(event, data)
        logger.info("Throttled an update from user %s", sender.id)
        text = self._i18n_hub.translator(self._i18n_hub.pick_locale(sender.language_code))(
            "throttled"
        )
        if isinstance(inner, CallbackQuery):
            await inner.answer(text if first_refusal else None)
        elif first_refusal:
            await inner.answer(text)
        return None


def _message_or_callback(event: TelegramObject) -> Message | CallbackQuery | None:
    if isinstance(event, Update):
        if event.message and event.message.chat.type == "private":
            return event.message
        return event.callback_query
    return None


class DbSessionMiddleware(BaseMiddleware):
    """One session and one transaction per update: committed when the handler returns,
    rolled back when it raises, so a failed update leaves no half-written rows. Handlers
    never commit. What they told other people to wait for (``after_commit``) runs once the
    update is committed, each send's own writes committed after it."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock):
        self._sessionmaker = sessionmaker
        self._clock = clock

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._sessionmaker() as session:
            data["session"] = session
            data["repo"] = Repo(session, self._clock)
            data["after_commit"] = after_commit = AfterCommit()
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            try:
                await session.commit()
            except Exception as error:
                await session.rollback()
                raise CommitFailed() from error
            while after_commit:  # a send may queue another
                for send, args, kwargs in after_commit.take():
                    await self._run(session, send, args, kwargs)
            return result

    @staticmethod
    async def _run(session: AsyncSession, send: Send, args: tuple, kwargs: dict) -> None:
        try:
            await send(*args, **kwargs)
            await session.commit()
        except Exception:
            logger.exception("A send after the commit failed: %s", getattr(send, "__name__", send))
            await session.rollback()


class UserMiddleware(BaseMiddleware):
    """Loads the sender (creating a row with the Telegram id only, until consent)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        sender: TelegramUser | None = data.get("event_from_user")
        if sender is not None and not sender.is_bot:
            repo: Repo = data["repo"]
            user = await repo.users.sender(sender.id)
            await repo.users.sync_username(user, sender.username)
            data["user"] = user
        return await handler(event, data)


class I18nMiddleware(BaseMiddleware):
    """The saved choice first, then Telegram's language, then the default (ru)."""

    def __init__(self, i18n_hub: I18n):
        self._i18n_hub = i18n_hub

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("user")
        sender: TelegramUser | None = data.get("event_from_user")
        locale = self._i18n_hub.pick_locale(
            user.locale if user is not None else None,
            sender.language_code if sender is not None else None,
        )
        data["locale"] = locale
        data["i18n"] = self._i18n_hub.translator(locale)
        return await handler(event, data)


class CallbackAnswerer(CallbackAnswerMiddleware):
    """aiogram's callback answering, plus: a domain error becomes an alert with its text,
    and an unexpected error still stops the button's spinner."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        answer = data["callback_answer"] = self.construct_callback_answer(
            properties=get_flag(data, "callback_answer")
        )
        if not answer.disabled and answer.answered:
            await self.answer(event, answer)
        try:
            result = await handler(event, data)
        except DomainError as error:
            if not answer.disabled and not answer.answered:
                await event.answer(error_text(data["i18n"], error), show_alert=True)
                answer.disabled = True
            raise
        except Exception:
            if not answer.disabled and not answer.answered:
                await event.answer(data["i18n"]("error-unexpected"), show_alert=True)
                answer.disabled = True
            raise
        if not answer.disabled and not answer.answered:
            await self.answer(event, answer)
        return result


class MenuLeavesDialogs(BaseMiddleware):
    """A person in the middle of a dialog who taps the main menu or sends a command means to
    go there: the dialog is left (what it saved as a draft stays) before routing, so its
    step does not take "📚 Сообщества" or "/events" as its answer. /cancel stays the
    dialog's own, which answers it in the dialog's words."""

    KEPT_COMMANDS = frozenset({"/cancel"})

    def __init__(self, i18n_hub: I18n):
        self._menu = frozenset().union(*(i18n_hub.texts(key) for key in MENU_KEYS))

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if (
            isinstance(event, Message)
            and event.chat.type == "private"
            and data.get("raw_state") is not None
            and self._leaves(event)
        ):
            await data["state"].clear()
            data["raw_state"] = None
        return await handler(event, data)

    def _leaves(self, message: Message) -> bool:
        text = message.text or ""
        if text in self._menu:
            return True
        command = text.split(maxsplit=1)[0].split("@", 1)[0] if text.startswith("/") else ""
        return bool(command) and command not in self.KEPT_COMMANDS
