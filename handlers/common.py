"""Pieces the feature routers share: the consent gate, menu-text filters, small renderers."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.filters import Filter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message, TelegramObject

from bot.i18n import I18n, Translator
from notices.texts import person
from storage.errors import InvalidState, NotFound
from storage.models import Material, User


class ConsentGate(BaseMiddleware):
    """Features behind it need the personal-data consent; others are sent to /start."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("user")
        if user is not None and user.has_consent:
            return await handler(event, data)
        i18n: Translator = data["i18n"]
        if isinstance(event, CallbackQuery):
            await event.answer(i18n("consent-required"), show_alert=True)
            data["callback_answer"].disabled = True
        elif isinstance(event, Message):
            await event.answer(i18n("consent-required"))
        return None


class MenuText(Filter):
    """Matches a reply-keyboard button by its label in any locale."""

    def __init__(self, key: str):
        self.key = key

    async def __call__(self, message: Message, i18n_hub: I18n) -> bool:
        return message.text is not None and message.text in i18n_hub.texts(self.key)


class ChatIs(Filter):
    """A message from a chat of one of these types. The same test as ``F.chat.type`` but
    awaited in place: aiogram runs a plain function's filter, a magic one included, in a
    worker thread, and the routers of chat scopes check this on every message."""

    def __init__(self, *types: str):
        self.types = frozenset(types)

    def __str__(self) -> str:
        return self._signature_to_string(*sorted(self.types))

    async def __call__(self, message: Message) -> bool:
        return message.chat.type in self.types


class FromPerson(Filter):
    """A message some person sent, not a bot (``F.from_user.is_bot.is_(False)``, awaited in
    place for the same reason as ChatIs)."""

    async def __call__(self, message: Message) -> bool:
        return message.from_user is not None and message.from_user.is_bot is False


def bot_of(event: Message | CallbackQuery) -> Bot:
    """The Bot an update came through: aiogram sets it on every object it dispatches."""
    if event.bot is None:
        raise RuntimeError("an update handled outside a Dispatcher has no Bot")
    return event.bot


def pressed_message(callback: CallbackQuery) -> Message:
    """The message a button was pressed on. One Telegram no longer gives (older than 48
    hours, or deleted) makes the button stale."""
    if not isinstance(callback.message, Message):
        raise InvalidState("error-stale-button")
    return callback.message


def file_of(material: Material) -> str:
    """A file material's Telegram file id (a document, photo or video always has one)."""
    if not material.file_id:
        raise NotFound("error-material-not-found")
    return material.file_id


async def show(
    event: Message | CallbackQuery, text: str, reply_markup: Any = None
) -> Message | bool:
    """Answer a command with a new message, or a button press by editing its message in place
    (the same button pressed twice edits it into what it is: bot.not_modified makes that a
    success for every edit, so nothing is compared here)."""
    if isinstance(event, CallbackQuery):
        if isinstance(event.message, Message):
            return await event.message.edit_text(text, reply_markup=reply_markup)
        return await bot_of(event).send_message(event.from_user.id, text, reply_markup=reply_markup)
    return await event.answer(text, reply_markup=reply_markup)


async def mark_decided(
    callback: CallbackQuery, i18n: Translator, decider: User, approve: bool
) -> None:
    """Edit the decided card in place: its buttons go, who decided and how is added."""
    if not isinstance(callback.message, Message):
        return
    key = "decision-approved-by" if approve else "decision-declined-by"
    outcome = i18n(key, name=person(i18n, decider))
    await callback.message.edit_text(
        f"{callback.message.html_text}\n\n{outcome}", reply_markup=None
    )


async def expect_step(state: FSMContext, step: State) -> dict:
    """A dialog button pressed while its step is current, else a stale one (an old message's
    button, or a second press): refused, nothing changes. Returns the dialog's data."""
    if await state.get_state() != step.state:
        raise InvalidState("error-stale-button")
    return await state.get_data()
