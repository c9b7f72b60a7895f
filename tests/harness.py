"""Feeds real Updates through the real Dispatcher; a recording Bot session captures every
Bot API call with its parameters and answers it as Telegram would (adapted from aiogram's
tests/mocked_bot.py).

The recording session is strict: it refuses what Telegram refuses, raising the exception
aiogram raises for Telegram's answer, with Telegram's words (the sandbox's HTML parser,
keyboard checks and texts: sandbox/formatting.py, sandbox/keyboards.py, sandbox/errors.py):

- HTML that does not parse: TelegramBadRequest "Bad Request: can't parse entities: ...";
- an empty text ("message text is empty"), a text over 4,096 characters ("message is too
  long"), a caption over 1,024 ("message caption is too long"), counted as Telegram counts
  them: in UTF-16 code units, after the markup is parsed;
- an inline button whose callback data is over 64 bytes, in any message sent or edited
  ("BUTTON_DATA_INVALID");
- an edit that changes nothing: same plain text, entities and inline keyboard as the
  message has now ("message is not modified: ..."); the session keeps each message's
  current content per chat and applies the edits;
- a message to a user who never started the bot: TelegramForbiddenError "Forbidden: bot
  can't initiate conversation with a user". Anyone who sent an update in a private chat
  through the harness has started it; ``BotHarness.started(person)`` declares it for people
  a test arranges in the database. Groups (negative chat ids) are always reachable.

Messages it returns (and ``BotHarness.last_message``/``now``) carry Telegram's plain text and
entities apart, as Telegram does: ``Message.text`` is what the member reads,
``Message.html_text`` gives the HTML back. Refused calls are not in ``calls``; they are
kept in ``RecordingSession.refused``. The bot is built with the request middlewares of
bot/app.py build_bot (an unchanged edit is success: bot/not_modified.py), so what a
refusal does to a member is tested as it runs in production."""

import asyncio
import inspect
import itertools
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    CreateForumTopic,
    DeleteMessage,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    GetChatMember,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    SendVideo,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import (
    CallbackQuery,
    Chat,
    ChatMemberAdministrator,
    ChatMemberMember,
    ChatMemberOwner,
    Document,
    ForumTopic,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
    User,
)

from bot.not_modified import NotModifiedIsDone
from sandbox import errors as tg_errors
from sandbox.botapi import MAX_CAPTION, MAX_TEXT
from sandbox.errors import ApiError, bad_request, forbidden
from sandbox.formatting import FormattedText, ParseError, format_text, utf16_len
from sandbox.keyboards import parse_reply_markup

BOT_ID = 42
BOT_TOKEN = f"{BOT_ID}:TEST-TOKEN"
BOT_USER = User(id=BOT_ID, is_bot=True, first_name="Методсеть", username="metodset_bot")

_ids = itertools.count(1000)
SENDING = {"sendMessage", "sendDocument", "sendPhoto", "sendVideo"}


@dataclass
class Call:
    method: TelegramMethod[Any]
    result: Any

    @property
    def name(self) -> str:
        return self.method.__api_method__

    def __getattr__(self, item: str) -> Any:
        return getattr(self.method, item)


@dataclass
class Shown:
    """Telegram's copy of a message the bot sent: plain text and entities apart, as the
    Bot API keeps them, and the inline keyboard; what an edit is compared with."""

    message: Message
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    markup: dict[str, Any] | None = None


class RecordingSession(BaseSession):
    """Records every call and answers it as Telegram would, refusing what Telegram refuses
    (see the module docstring for the rules)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.refused: list[tuple[TelegramMethod[Any], TelegramAPIError]] = []
        self.chat_members: dict[tuple[int, int], Any] = {}
        self.failures: dict[tuple[str, int | None], TelegramAPIError] = {}
        self.answered_callbacks: set[str] = set()
        self.started: set[int] = set()
        self.shown: dict[tuple[int, int], Shown] = {}
        self._message_ids = itertools.count(1)

    async def close(self) -> None:
        pass

    async def stream_content(self, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        yield b""

    def fail(
        self,
        method: str,
        chat_id: int | None,
        error_factory: Callable[[TelegramMethod[Any]], TelegramAPIError],
    ) -> None:
        """Make calls of ``method`` to ``chat_id`` fail, e.g. a user who blocked the bot."""
        self.failures[(method, chat_id)] = error_factory  # type: ignore[assignment]

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        chat_id = getattr(method, "chat_id", None)
        failure = self.failures.get((method.__api_method__, chat_id))
        if failure is not None:
            raise failure(method)  # type: ignore[operator]
        if isinstance(method, AnswerCallbackQuery):
            # As Telegram does: a callback query can be answered once.
            if method.callback_query_id in self.answered_callbacks:
                raise TelegramBadRequest(
                    method=method,
                    message="Bad Request: query is too old and response timeout expired"
                    " or query ID is invalid",
                )
            self.answered_callbacks.add(method.callback_query_id)
        params = self._params(bot, method)
        try:
            content = self._enforce(method.__api_method__, params)
        except ApiError as refusal:
            error = _aiogram_error(method, refusal)
            self.refused.append((method, error))
            raise error from None
        result = self._result(bot, method, params, content)
        self.calls.append(Call(method, result))
        return result

    def _params(self, bot: Bot, method: TelegramMethod[Any]) -> dict[str, Any]:
        """The request as it goes over the wire (defaults such as parse_mode resolved, empty
        values left out), built the way aiogram's aiohttp session builds its form."""
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files={}, _dumps_json=False)
            if prepared:
                params[key] = prepared
        return params

    def _enforce(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        """Telegram's checks, with Telegram's words (the sandbox's parser and keyboard
        checks); returns the message content Telegram would store."""
        chat_id = _int_or_none(params.get("chat_id"))
        if (
            _reaches_chat(name)
            and chat_id is not None
            and chat_id > 0
            and chat_id not in self.started
        ):
            raise forbidden(tg_errors.CANT_INITIATE)
        content: dict[str, Any] = {}
        if name in TEXT_METHODS:
            text = _format(params, "text", "entities", required=True)
            assert text is not None
            if utf16_len(text.text) > MAX_TEXT:
                raise bad_request(tg_errors.MESSAGE_TOO_LONG)
            content["text"] = text
        if name in CAPTION_METHODS:
            caption = _format(params, "caption", "caption_entities", required=False)
            if caption is not None and utf16_len(caption.text) > MAX_CAPTION:
                raise bad_request(tg_errors.CAPTION_TOO_LONG)
            content["caption"] = caption
        if "reply_markup" in params or name in EDITS:
            content["markup"] = parse_reply_markup(params.get("reply_markup")).inline
        if name in EDITS and chat_id is not None and "message_id" in params:
            current = self.shown.get((chat_id, int(params["message_id"])))
            if current is not None:
                _check_modified(name, current, content)
        return content

    def _result(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        params: dict[str, Any],
        content: dict[str, Any],
    ) -> Any:
        if isinstance(method, CreateForumTopic):
            return ForumTopic(
                message_thread_id=next(self._message_ids), name=method.name, icon_color=7322096
            )
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, GetChatMember):
            default = ChatMemberMember(user=User(id=method.user_id, is_bot=False, first_name="x"))
            return self.chat_members.get((method.chat_id, method.user_id), default)
        if isinstance(method, SendMessage | SendDocument | SendPhoto | SendVideo):
            document = None
            if isinstance(method, SendDocument):
                document = Document(
                    file_id=f"doc{next(_ids)}",
                    file_unique_id=f"u{next(_ids)}",
                    file_name=getattr(method.document, "filename", None),
                )
            shown = Shown(message=None)  # type: ignore[arg-type]
            _apply(shown, content)
            shown.message = Message(
                message_id=next(self._message_ids),
                date=datetime.now(UTC),
                chat=_chat(method.chat_id),
                from_user=BOT_USER,
                document=document,
                **_message_fields(shown),
            ).as_(bot)
            self.shown[(shown.message.chat.id, shown.message.message_id)] = shown
            return shown.message
        if isinstance(method, EditMessageText | EditMessageCaption | EditMessageReplyMarkup):
            chat_id = _int_or_none(params.get("chat_id")) or 0
            key = (chat_id, method.message_id or 0)
            shown = self.shown.get(key)
            if shown is None:  # a message the test made up: take the edit as it comes
                shown = Shown(
                    message=Message(
                        message_id=method.message_id or 0,
                        date=datetime.now(UTC),
                        chat=_chat(chat_id),
                        from_user=BOT_USER,
                    )
                )
                self.shown[key] = shown
            _apply(shown, content)
            shown.message = shown.message.model_copy(
                update={"edit_date": int(datetime.now(UTC).timestamp()), **_message_fields(shown)}
            ).as_(bot)
            return shown.message
        if isinstance(method, DeleteMessage):
            self.shown.pop((_int_or_none(params.get("chat_id")) or 0, method.message_id), None)
        return True


TEXT_METHODS = {"sendMessage", "editMessageText"}
CAPTION_METHODS = {
    "sendDocument",
    "sendPhoto",
    "sendVideo",
    "sendAudio",
    "sendAnimation",
    "sendVoice",
    "copyMessage",
    "editMessageCaption",
}
EDITS = {"editMessageText", "editMessageCaption", "editMessageReplyMarkup"}


def _reaches_chat(name: str) -> bool:
    """Methods that put something into a chat, which a user must have opened first."""
    return name.startswith("send") or name in {"copyMessage", "forwardMessage"}


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None


def _format(
    params: dict[str, Any], field: str, entities_field: str, *, required: bool
) -> FormattedText | None:
    """Text and entities as Telegram stores them (HTML parsed, white space trimmed)."""
    text = params.get(field)
    if not text:
        if required:
            raise bad_request(tg_errors.MESSAGE_TEXT_EMPTY)
        return None
    try:
        formatted = format_text(str(text), params.get("parse_mode"), params.get(entities_field))
    except ParseError as error:
        raise bad_request(f"can't parse entities: {error}") from None
    except ValueError:
        raise bad_request("unsupported parse_mode") from None
    if not formatted.text and required:
        raise bad_request(tg_errors.MESSAGE_TEXT_EMPTY)
    return formatted


def _check_modified(name: str, current: Shown, content: dict[str, Any]) -> None:
    same_markup = current.markup == content["markup"]
    if name == "editMessageText":
        if current.text is None:
            raise bad_request("there is no text in the message to edit")
        text = content["text"]
        same = same_markup and (current.text, current.entities) == (text.text, text.entities)
    elif name == "editMessageCaption":
        caption = content["caption"] or FormattedText("")
        same = same_markup and (current.caption or "", current.caption_entities) == (
            caption.text,
            caption.entities,
        )
    else:
        same = same_markup
    if same:
        raise bad_request(tg_errors.MESSAGE_NOT_MODIFIED)


def _apply(shown: Shown, content: dict[str, Any]) -> None:
    if "text" in content:
        shown.text, shown.entities = content["text"].text, content["text"].entities
    if "caption" in content:
        caption = content["caption"]
        shown.caption = caption.text if caption is not None else None
        shown.caption_entities = caption.entities if caption is not None else []
    if "markup" in content:
        shown.markup = content["markup"]


def _message_fields(shown: Shown) -> dict[str, Any]:
    def entities(items: list[dict[str, Any]]) -> list[MessageEntity] | None:
        return [MessageEntity.model_validate(item) for item in items] or None

    return {
        "text": shown.text,
        "entities": entities(shown.entities),
        "caption": shown.caption,
        "caption_entities": entities(shown.caption_entities),
        "reply_markup": InlineKeyboardMarkup.model_validate(shown.markup) if shown.markup else None,
    }


def _aiogram_error(method: TelegramMethod[Any], refusal: ApiError) -> TelegramAPIError:
    """The exception aiogram raises for Telegram's answer."""
    if refusal.code == 403:
        return TelegramForbiddenError(method=method, message=refusal.description)
    return TelegramBadRequest(method=method, message=refusal.description)


def _chat(chat_id: int | str | None) -> Chat:
    chat_id = int(chat_id or 0)
    return Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup", title=None)


@dataclass
class Person:
    """A Telegram user the test plays."""

    id: int
    first_name: str = "Мария"
    username: str | None = None
    language_code: str | None = "ru"

    @property
    def tg(self) -> User:
        return User(
            id=self.id,
            is_bot=False,
            first_name=self.first_name,
            username=self.username,
            language_code=self.language_code,
        )


@dataclass
class BotHarness:
    dispatcher: Dispatcher
    bot: Bot
    session: RecordingSession
    clock: "FakeClock | None" = None
    # A person taps about once a second; tests of floods set this to 0.
    pace_seconds: float = 1.0
    update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    user_message_ids: itertools.count = field(default_factory=lambda: itertools.count(10_000))

    # --- acting ------------------------------------------------------------------------

    async def feed(self, update: Update, *, expect_handled: bool = True) -> list[Call]:
        """Feed one update; as aiogram's own tests do, assert that some handler took it
        (``feed_update`` returns ``UNHANDLED`` otherwise). ``expect_handled=False`` only for a
        test whose point is an update nobody answers."""
        before = len(self.session.calls)
        starter = _private_sender(update)
        if starter is not None:
            self.session.started.add(starter)
        if self.clock is not None:
            self.clock.advance(self.pace_seconds)
        response = await self.dispatcher.feed_update(self.bot, update)
        if expect_handled:
            assert response is not UNHANDLED, (
                f"no handler took update {update.event_type}: {_describe(update)}"
            )
        return self.session.calls[before:]

    def started(self, *people: "Person | int") -> None:
        """Declare that these people have opened the bot (pressed Start) at some time, so it
        may write to them: for people a test arranges in the database as members who would
        have used the bot, without playing their /start."""
        for someone in people:
            self.session.started.add(someone if isinstance(someone, int) else someone.id)

    def message(
        self, person: Person, text: str, *, chat: Chat | None = None, **extra: Any
    ) -> Message:
        entities = extra.pop("entities", None)
        if text.startswith("/"):
            command = text.split()[0]
            entities = [MessageEntity(type="bot_command", offset=0, length=len(command))]
        return Message(
            message_id=next(self.user_message_ids),
            date=datetime.now(UTC),
            chat=chat or Chat(id=person.id, type="private", first_name=person.first_name),
            from_user=person.tg,
            text=text,
            entities=entities,
            **extra,
        )

    async def send(
        self,
        person: Person,
        text: str,
        *,
        chat: Chat | None = None,
        expect_handled: bool = True,
        **extra: Any,
    ) -> list[Call]:
        message = self.message(person, text, chat=chat, **extra)
        return await self.feed(
            Update(update_id=next(self.update_ids), message=message),
            expect_handled=expect_handled,
        )

    async def send_document(
        self,
        person: Person,
        file_name: str,
        *,
        mime_type: str = "application/pdf",
        size: int = 200_000,
        caption: str | None = None,
        chat: Chat | None = None,
        expect_handled: bool = True,
    ) -> list[Call]:
        document = Document(
            file_id=f"file-{next(_ids)}",
            file_unique_id=f"uniq-{next(_ids)}",
            file_name=file_name,
            mime_type=mime_type,
            file_size=size,
        )
        message = Message(
            message_id=next(self.user_message_ids),
            date=datetime.now(UTC),
            chat=chat or Chat(id=person.id, type="private", first_name=person.first_name),
            from_user=person.tg,
            document=document,
            caption=caption,
        )
        return await self.feed(
            Update(update_id=next(self.update_ids), message=message),
            expect_handled=expect_handled,
        )

    async def press(
        self, person: Person, message: Message, data: str, *, expect_handled: bool = True
    ) -> list[Call]:
        """Press an inline button of ``message`` (the data is sent whether or not it is shown:
        tests of forged presses rely on that)."""
        callback = CallbackQuery(
            id=str(next(_ids)),
            from_user=person.tg,
            chat_instance="ci",
            message=message,
            data=data,
        )
        return await self.feed(
            Update(update_id=next(self.update_ids), callback_query=callback),
            expect_handled=expect_handled,
        )

    async def tap(self, person: Person, message: Message, label: str) -> list[Call]:
        """Press the button whose text contains ``label``."""
        return await self.press(person, message, button(message, label).callback_data)

    # --- reading -----------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[Call]:
        return [
            c for c in self.session.calls if c.name in SENDING and int(c.method.chat_id) == chat_id
        ]

    def last_message(self, chat_id: int) -> Message:
        """The bot's latest message in a chat, as the user sees it now (edits applied)."""
        messages = self._chat_view(chat_id)
        assert messages, f"the bot sent nothing to {chat_id}"
        return messages[max(messages)]

    def now(self, message: Message) -> Message:
        """A message as it looks now, after the bot's edits."""
        return self._chat_view(message.chat.id)[message.message_id]

    def _chat_view(self, chat_id: int) -> dict[int, Message]:
        messages: dict[int, Message] = {}
        for call in self.session.calls:
            if call.name in SENDING and int(call.method.chat_id) == chat_id:
                messages[call.result.message_id] = call.result
            elif call.name in EDITS and int(call.method.chat_id or 0) == chat_id:
                messages[call.method.message_id] = call.result
        return messages

    def alerts(self) -> list[str]:
        return [
            c.method.text
            for c in self.session.calls
            if isinstance(c.method, AnswerCallbackQuery) and c.method.text
        ]


def _private_sender(update: Update) -> int | None:
    """Who opened a private chat with the bot by this update: after it, the bot may write."""
    event = update.event
    message = event if isinstance(event, Message) else getattr(event, "message", None)
    chat = getattr(message, "chat", None) or getattr(event, "chat", None)
    sender = getattr(event, "from_user", None)
    if isinstance(chat, Chat) and chat.type == "private" and sender is not None:
        return sender.id
    return None


def _describe(update: Update) -> str:
    event = update.event
    chat = getattr(getattr(event, "chat", None), "id", None)
    if update.callback_query is not None:
        return f"callback data {update.callback_query.data!r}"
    if update.message is not None:
        return f"message {update.message.text or update.message.content_type!r} in chat {chat}"
    return repr(event)[:200]


def button(message: Message, label: str) -> Any:
    markup = message.reply_markup
    assert isinstance(markup, InlineKeyboardMarkup), f"no inline keyboard on: {message.text!r}"
    for row in markup.inline_keyboard:
        for candidate in row:
            if label in candidate.text:
                return candidate
    labels = [b.text for row in markup.inline_keyboard for b in row]
    raise AssertionError(f"no button with {label!r} among {labels}")


def labels(message: Message) -> list[str]:
    markup = message.reply_markup
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [b.text for row in markup.inline_keyboard for b in row]


def texts(calls: list[Call]) -> list[str]:
    return [c.method.text for c in calls if c.name in {"sendMessage", "editMessageText"}]


def make_bot(session: RecordingSession) -> Bot:
    """The bot as bot.app.build_bot makes it (HTML by default, the same request
    middlewares but the flood-control retry, which would only wait here)."""
    bot = Bot(BOT_TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    bot.session.middleware(NotModifiedIsDone())
    return bot


def group_admin(user_id: int) -> ChatMemberAdministrator:
    return ChatMemberAdministrator(
        user=User(id=user_id, is_bot=user_id == BOT_ID, first_name="admin"),
        can_be_edited=False,
        is_anonymous=False,
        can_manage_chat=True,
        can_delete_messages=True,
        can_manage_video_chats=True,
        can_restrict_members=True,
        can_promote_members=True,
        can_change_info=True,
        can_invite_users=True,
        can_post_stories=True,
        can_edit_stories=True,
        can_delete_stories=True,
        can_send_welcome_messages=True,
    )


def group_owner(user_id: int) -> ChatMemberOwner:
    return ChatMemberOwner(
        user=User(id=user_id, is_bot=False, first_name="owner"), is_anonymous=False
    )


class FakeClock:
    """An injected clock for the domain (UTC datetimes) and the throttle (monotonic seconds)."""

    def __init__(self, start: datetime | None = None):
        self.now = start or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        self.seconds = 1000.0

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.seconds

    def advance(self, seconds: float) -> None:
        from datetime import timedelta

        self.now += timedelta(seconds=seconds)
        self.seconds += seconds


async def until(
    condition: Callable[[], Any],
    what: str,
    timeout: float = 10.0,  # noqa: ASYNC109 - a wait on the test's own condition
    step: float = 0.01,
) -> None:
    """Wait until ``condition()`` (or the awaitable it returns) is true, checking every
    ``step`` seconds; fail the test naming ``what`` did not happen within ``timeout``.
    For the tests that run a real server or bot: they wait on what they need, never sleep."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if loop.time() >= deadline:
            raise AssertionError(f"{what}: not within {timeout:g} s")
        await asyncio.sleep(step)
