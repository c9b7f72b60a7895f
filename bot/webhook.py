"""Webhook mode (`metodset run --webhook`) and long polling's 409.

Telegram posts each update to the public URL with the secret in
``X-Telegram-Bot-Api-Secret-Token``; aiogram's SimpleRequestHandler refuses any other
request with 401 before the Dispatcher sees it. The update is answered only once it is
handled (``handle_in_background=False``): if the process dies mid-way, Telegram gets no
2xx and sends the update again, so nothing is lost."""

import asyncio

from aiogram import Bot, Dispatcher
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramAPIError, TelegramConflictError
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import WebhookSettings
from bot.logs import one_line
from bot.metrics import Metrics
from bot.ops import add_ops_routes


class WebhookRefused(Exception):
    """Telegram did not take the webhook; the message is the operator's one line."""


async def set_webhook(bot: Bot, dispatcher: Dispatcher, webhook: WebhookSettings) -> None:
    """Point Telegram at this deployment. Pending updates are kept (a restart loses none);
    the webhook is never deleted on stop, since other replicas may still serve it."""
    assert webhook.secret is not None  # checked with the other settings before start
    try:
        await bot.set_webhook(
            webhook.full_url,
            secret_token=webhook.secret.get_secret_value(),
            allowed_updates=dispatcher.resolve_used_update_types(),
            drop_pending_updates=False,
        )
    except TelegramAPIError as error:
        raise WebhookRefused(
            f"Telegram refused the webhook {webhook.full_url}: {one_line(error)}"
            " (check METODSET_WEBHOOK__URL: a public https:// address)"
        ) from None


def build_webhook_app(
    *,
    dispatcher: Dispatcher,
    bot: Bot,
    webhook: WebhookSettings,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    metrics: Metrics,
    redis: Redis | None = None,
) -> web.Application:
    """The aiohttp app: updates at ``webhook.path``, the ops endpoints beside them. Its
    start-up sets the webhook first (if Telegram refuses, nothing else has started), then
    runs the Dispatcher's start-up (menus, scheduler, outbox)."""
    app = web.Application()

    async def on_startup(_app: web.Application) -> None:
        await set_webhook(bot, dispatcher, webhook)

    app.on_startup.append(on_startup)
    secret = webhook.secret.get_secret_value() if webhook.secret else None
    SimpleRequestHandler(
        dispatcher=dispatcher, bot=bot, handle_in_background=False, secret_token=secret
    ).register(app, path=webhook.path)
    setup_application(app, dispatcher, bot=bot)
    add_ops_routes(app, engine=engine, sessionmaker=sessionmaker, metrics=metrics, redis=redis)
    return app


class PollingConflict(BaseRequestMiddleware):
    """Telegram answers getUpdates with 409 while another process polls with the same
    token or a webhook is set. aiogram would retry that for ever (a log line every few
    seconds, and the two pollers steal each other's updates): ``seen`` is resolved with
    Telegram's words on the first one, and the runner stops."""

    def __init__(self) -> None:
        self.seen: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        try:
            return await make_request(bot, method)
        except TelegramConflictError as error:
            if isinstance(method, GetUpdates) and not self.seen.done():
                self.seen.set_result(error.message)
            raise


def polling_conflict(message: str) -> str:
    """The operator's one line for a 409 on getUpdates: what happened and what to do."""
    if "webhook" in message.lower():
        return (
            "Telegram refuses long polling: a webhook is set for this bot (a deployment runs"
            " `metodset run --webhook`). Run this process with --webhook too, or delete the"
            f" webhook (Bot API deleteWebhook) to poll. Telegram said: {message}"
        )
    return (
        "Telegram refuses long polling: another process polls with this bot token. Stop it"
        " (long polling allows one process per bot), or run every replica with"
        f" `metodset run --webhook`. Telegram said: {message}"
    )
