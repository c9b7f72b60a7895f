"""Errors: domain errors become their localised text; anything else is logged with the
update id and answered with a short apology, never a traceback."""

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot.i18n import I18n, Translator, error_text
from storage.errors import DomainError

logger = logging.getLogger(__name__)


def setup() -> Router:
    router = Router(name="errors")
    router.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(on_unexpected_error)
    return router


async def _reply(event: ErrorEvent, bot: Bot, text: str) -> None:
    """Callback queries were already answered with an alert by CallbackAnswerer."""
    message = event.update.message
    if message is None:
        return
    try:
        await bot.send_message(message.chat.id, text, message_thread_id=message.message_thread_id)
    except TelegramAPIError as error:
        logger.warning("Could not report an error to chat %s: %s", message.chat.id, error.message)


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
