"""An edit that changes nothing is done: Telegram's "message is not modified" is success.

A member who presses the same button twice (a filter already chosen, ✅ Приду again, the
page they are on) makes the bot edit a message into what it already is; Telegram refuses
that with 400 "message is not modified". Nothing is wrong, so no handler should have to
catch it: this request middleware on the Bot's session answers the edit with ``True`` (as
Telegram answers an edit of an inline message) and every edit, wherever it is made, is safe.
"""

from typing import cast

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

NOT_MODIFIED = "message is not modified"


class NotModifiedIsDone(BaseRequestMiddleware):
    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as error:
            if method.__api_method__.startswith("editMessage") and NOT_MODIFIED in error.message:
                return cast(Response[TelegramType], True)
            raise
