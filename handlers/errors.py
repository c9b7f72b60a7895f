"""Errors: domain errors become their localised text; anything else is logged with the
update id and answered with a short apology, never a traceback."""

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.i18n import I18n, Translator, error_text
from storage.db import CommitFailed
from storage.errors import DomainError

logger = logging.getLogger(__name__)


def setup() -> Router:
    router = Router(name="errors")
    router.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(on_unexpected_error)
    return router


async def _reply(event: ErrorEvent, bot: Bot, text: str) -> None:
    """A message is answered in its chat. A button press that failed in its handler was
    answered with an alert by CallbackAnswerer; one whose commit failed had its button
    answered already, so the presser hears it in the private chat."""
    message = event.update.message
    callback = event.update.callback_query
    if message is not None:
        chat_id, thread_id = message.chat.id, message.message_thread_id
    elif callback is not None and isinstance(event.exception, CommitFailed):
        chat_id, thread_id = callback.from_user.id, None
    else:
        return
    try:
        await bot.send_message(chat_id, text, message_thread_id=thread_id)
    except TelegramAPIError as error:
        logger.warning("Could not report an error to chat %s: %s", chat_id, error.message)


async def on_domain_error(
    event: ErrorEvent, bot: Bot, i18n_hub: I18n, i18n: Translator | None = None
) -> None:
    error: DomainError = event.exception  # type: ignore[assignment]
    logger.info("Update %s refused: %s", event.update.update_id, error.key)
    await _reply(event, bot, error_text(i18n or i18n_hub.translator(None), error))


async def on_unexpected_error(
    event: ErrorEvent, bot: Bot, i18n_hub: I18n, i18n: Translator | None = None
) -> None:
    logger.error("Update %s failed", event.update.update_id, exc_info=event.exception)
    await _reply(event, bot, (i18n or i18n_hub.translator(None))("error-unexpected"))
