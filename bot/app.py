"""Assembly: everything is built here from Settings and passed on explicitly."""

import asyncio
import logging
import time
from collections.abc import Callable

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import handlers
from bot.commands import ALL_COMMANDS, CommandMenus, set_default_menu
from bot.conduct import ConductBook
from bot.config import Settings
from bot.i18n import I18n
from bot.middlewares import (
    CallbackAnswerer,
    ControlCharacters,
    DbSessionMiddleware,
    I18nMiddleware,
    MenuLeavesDialogs,
    ThrottlingMiddleware,
    UserMiddleware,
)
from bot.retry import RetryAfterMiddleware
from handlers import review
from scheduler import create_scheduler
from scheduler.outbox import OutboxWorker, QuietHours
from storage.clock import Clock, utcnow
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.repositories import Repo

logger = logging.getLogger(__name__)

COMMANDS = ALL_COMMANDS  # every command some menu shows (bot/commands.py says to whom)


def build_dispatcher(
    *,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n: I18n,
    clock: Clock = utcnow,
    monotonic: Callable[[], float] = time.monotonic,
    storage: BaseStorage | None = None,
    conduct: ConductBook | None = None,
) -> Dispatcher:
    command_menus = CommandMenus(
        sessionmaker=sessionmaker, i18n=i18n, clock=clock, monotonic=monotonic
    )
    dispatcher = Dispatcher(
        storage=storage or MemoryStorage(),
        command_menus=command_menus,
        settings=settings,
        i18n_hub=i18n,
        clock=clock,
        monotonic=monotonic,
        sessionmaker=sessionmaker,
        conduct=conduct
        or ConductBook(
            reload_seconds=settings.conduct.reload_seconds,
            learned_threshold=settings.conduct.learned_threshold,
            learned_min_docs=settings.conduct.learned_min_docs,
            monotonic=monotonic,
        ),
    )
    dispatcher.update.outer_middleware(ControlCharacters())
    dispatcher.update.outer_middleware(
        ThrottlingMiddleware(
            i18n, settings.throttling.rate, settings.throttling.burst, monotonic=monotonic
        )
    )
    # Around the DB session: each person's "/" menu follows their roles once the update commits.
    dispatcher.update.outer_middleware(command_menus)
    dispatcher.update.outer_middleware(DbSessionMiddleware(sessionmaker, clock))
    dispatcher.update.outer_middleware(UserMiddleware())
    dispatcher.update.outer_middleware(I18nMiddleware(i18n))
    dispatcher.message.outer_middleware(MenuLeavesDialogs(i18n))
    dispatcher.callback_query.middleware(CallbackAnswerer())
    dispatcher.include_router(handlers.setup())
    dispatcher.startup.register(set_commands)
    return dispatcher


def build_bot(settings: Settings, *, retry_after: bool = True) -> Bot:
    """``retry_after=False`` for the outbox worker, which paces itself and handles a 429
    exactly; handlers' one-off answers are retried by the middleware."""
    if settings.bot_token is None:
        raise ValueError("bot token is not set")
    session = None
    if settings.api_server:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.api_server))
    bot = Bot(
        settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    if retry_after:
        bot.session.middleware(RetryAfterMiddleware())
    return bot


async def set_commands(bot: Bot, i18n_hub: I18n, command_menus: CommandMenus | None = None) -> None:
    """Everyone's menu (what a member can do) in each language, plus the default (Russian)
    for everyone else; then each staff member's own, with the commands their roles add."""
    await set_default_menu(bot, i18n_hub)
    if command_menus is not None:
        count = await command_menus.set_staff_menus(bot)
        logger.info("Command menus set for %d staff members", count)


async def prepare_database(settings: Settings, clock: Clock = utcnow):
    """Migrate, connect, and store the bootstrap admins. Returns (engine, sessionmaker)."""
    import asyncio

    await asyncio.to_thread(upgrade, settings.database_url)
    engine = create_engine(settings.database_url)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        await Repo(session, clock).users.ensure_bootstrap_admins(settings.admin_ids)
        await session.commit()
    return engine, sessionmaker


async def run_polling(settings: Settings, *, handle_signals: bool = True) -> None:
    """Migrate, then poll until stopped; the scheduler runs alongside."""
    engine, sessionmaker = await prepare_database(settings)
    i18n = I18n(default_locale=settings.default_locale)
    bot = build_bot(settings)
    dispatcher = build_dispatcher(settings=settings, sessionmaker=sessionmaker, i18n=i18n)
    scheduler = create_scheduler(
        settings=settings,
        sessionmaker=sessionmaker,
        bot=bot,
        i18n=i18n,
        announce_review=review.announce_review_item,
    )

    outbox_bot = build_bot(settings, retry_after=False)
    outbox = OutboxWorker(
        sessionmaker=sessionmaker,
        bot=outbox_bot,
        i18n=i18n,
        clock=utcnow,
        monotonic=time.monotonic,
        quiet=QuietHours.from_settings(settings),
    )
    workers: list[asyncio.Task] = []

    # Async wrappers: aiogram runs plain functions in a thread, and the scheduler needs the loop.
    async def start_scheduler() -> None:
        scheduler.start()
        workers.append(asyncio.create_task(outbox.run(), name="delivery-outbox"))

    async def stop_scheduler() -> None:
        scheduler.shutdown(wait=False)
        for worker in workers:
            worker.cancel()
        await asyncio.gather(*workers, return_exceptions=True)

    dispatcher.startup.register(start_scheduler)
    dispatcher.shutdown.register(stop_scheduler)
    try:
        me = await bot.get_me()
        logger.info("Starting @%s with long polling", me.username)
        await dispatcher.start_polling(
            bot,
            allowed_updates=dispatcher.resolve_used_update_types(),
            handle_signals=handle_signals,
            close_bot_session=False,
        )
    finally:
        await bot.session.close()
        await outbox_bot.session.close()
        await engine.dispose()
