"""The last router: anything no feature took gets a hint instead of silence."""

from aiogram import Router
from aiogram.enums import ChatType
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.i18n import Translator
from handlers.common import ChatIs
from storage.errors import InvalidState


def setup() -> Router:
    router = Router(name="fallback")
    router.message.register(on_unknown_message, ChatIs(ChatType.PRIVATE))
    router.callback_query.register(on_unknown_callback)
    return router


async def on_unknown_message(message: Message, state: FSMContext, i18n: Translator) -> None:
    key = "expect-text" if await state.get_state() is not None else "unknown-message"
    await message.answer(i18n(key))


async def on_unknown_callback(callback: CallbackQuery, i18n: Translator) -> None:
    raise InvalidState("error-stale-button")
