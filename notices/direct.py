"""Direct notices to a few people (moderators, an applicant).

Mass mailings go through the delivery outbox (scheduler); these are one-to-few messages
sent in the handler, and one unreachable recipient must not fail the others.
"""

import logging
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message

logger = logging.getLogger(__name__)


async def notify(bot: Bot, telegram_id: int, text: str, **kwargs: Any) -> Message | None:
    try:
        return await bot.send_message(telegram_id, text, **kwargs)
    except TelegramAPIError as error:
        logger.warning("Could not notify user %s: %s", telegram_id, error.message)
        return None
