"""Assembly: everything is built here from Settings and passed on explicitly."""

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram import loggers as aiogram_loggers
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    AiogramError,
    ClientDecodeError,
    TelegramAPIError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.memory import MemoryStorage
from aiogram.types import User
from aiohttp import web
from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import handlers
from bot.budget import BURST, OUTBOX_RESERVE, PER_SECOND, LocalSendBucket, SendBucket, SendBudget
from bot.commands import ALL_COMMANDS, CommandMenus, set_default_menu
from bot.conduct import ConductBook
from bot.config import Settings
from bot.i18n import I18n
from bot.logs import PollingOutageFilter, one_line
from bot.metrics import Metrics, UpdateMetrics
from bot.middlewares import (
    CallbackAnswerer,
    ControlCharacters,
    DbSessionMiddleware,
    I18nMiddleware,
    MenuLeavesDialogs,
    ThrottlingMiddleware,
    UpdateContext,
    UserMiddleware,
)
from bot.not_modified import NotModifiedIsDone
from bot.ops import start_ops_server
from bot.replicas import (
    OnceOnly,
    RecentUpdates,
    RedisBuckets,
    RedisSeenUpdates,
    RedisSendBucket,
    UserChanges,
    connect,
    event_isolation,
    fsm_storage,
)
from bot.retry import RetryAfterMiddleware
from bot.webhook import PollingConflict, WebhookRefused, build_webhook_app, polling_conflict
from scheduler import create_scheduler, run_jobs_while_leading
from scheduler.outbox import OutboxWorker, QuietHours
from storage.clock import Clock, utcnow
from storage.db import (
    create_engine,
    create_sessionmaker,
    database_unavailable,
    unreachable_database,
)
from storage.leadership import Leader
from storage.migrate import upgrade
from storage.repositories import Repo
from storage.sealing import Seal
from storage.user_cache import user_cache_of_sessionmaker

logger = logging.getLogger(__name__)

COMMANDS = ALL_COMMANDS  # every command some menu shows (bot/commands.py says to whom)


def build_dispatcher(
    *,
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    i18n_hub: I18n,
    clock: Clock = utcnow,
    monotonic: Callable[[], float] = time.monotonic,
    storage: BaseStorage | None = None,
    conduct: ConductBook | None = None,
    metrics: Metrics | None = None,
    redis: Redis | None = None,
) -> Dispatcher:
    """``redis``: what replicas share (bot/replicas.py); None keeps it all in the process."""
    command_menus = CommandMenus(
        sessionmaker=sessionmaker, i18n_hub=i18n_hub, clock=clock, monotonic=monotonic
    )
    if storage is None:
        storage = fsm_storage(redis) if redis is not None else MemoryStorage()
    dispatcher = Dispatcher(
        storage=storage,
        events_isolation=event_isolation(redis) if redis is not None else None,
        command_menus=command_menus,
        settings=settings,
        i18n_hub=i18n_hub,
        clock=clock,
        monotonic=monotonic,
        sessionmaker=sessionmaker,
        conduct=conduct
        or ConductBook(
            reload_seconds=settings.conduct.reload_seconds,
            learned_threshold=settings.conduct.learned_threshold,
            learned_min_docs=settings.conduct.learned_min_docs,
            model_path=settings.conduct.model_path,
            monotonic=monotonic,
        ),
    )
    dispatcher.update.outer_middleware(UpdateContext())
    seen = RedisSeenUpdates(redis) if redis is not None else RecentUpdates()
    dispatcher.update.outer_middleware(OnceOnly(seen, metrics))
    if metrics is not None:
        dispatcher.update.outer_middleware(UpdateMetrics(metrics))
    dispatcher.update.outer_middleware(ControlCharacters())
    dispatcher.update.outer_middleware(
        ThrottlingMiddleware(
            i18n_hub,
            settings.throttling.rate,
            settings.throttling.burst,
            monotonic=monotonic,
            buckets=None
            if redis is None
            else RedisBuckets(redis, settings.throttling.rate, settings.throttling.burst, clock),
        )
    )
    # Around the DB session: each person's "/" menu follows their roles once the update commits.
    dispatcher.update.outer_middleware(command_menus)
    dispatcher.update.outer_middleware(DbSessionMiddleware(sessionmaker, clock))
    dispatcher.update.outer_middleware(UserMiddleware())
    dispatcher.update.outer_middleware(I18nMiddleware(i18n_hub))
    dispatcher.message.outer_middleware(MenuLeavesDialogs(i18n_hub))
    dispatcher.callback_query.middleware(CallbackAnswerer())
    dispatcher.include_routers(*handlers.setup())
    dispatcher.startup.register(set_commands)
    return dispatcher


def build_bot(
    settings: Settings, *, retry_after: bool = True, budget: SendBudget | None = None
) -> Bot:
    """``retry_after=False`` for the outbox worker, which paces itself and handles a 429
    exactly; handlers' one-off answers are retried by the middleware. ``budget``: the
    deployment's one budget for new messages (bot/budget.py)."""
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
    if budget is not None:  # inside the retry: a retried message takes a token again
        bot.session.middleware(budget)
    bot.session.middleware(NotModifiedIsDone())
    return bot


async def set_commands(bot: Bot, i18n_hub: I18n, command_menus: CommandMenus | None = None) -> None:
    """Everyone's menu (what a member can do) in each language, plus the default (Russian)
    for everyone else; then each staff member's own, with the commands their roles add.

    Cosmetic: the commands work without a menu, so a failure here (a network blip, a 429,
    a Bot API server without setMyCommands) is one warning and the bot starts anyway."""
    try:
        await set_default_menu(bot, i18n_hub)
        if command_menus is not None:
            count = await command_menus.set_staff_menus(bot)
            logger.info("Command menus set for %d staff members", count)
    except Exception as error:
        logger.warning("Command menus not set, the commands work without them: %s", one_line(error))


class StartupError(Exception):
    """Start-up cannot go on; the message is the one line the operator reads."""


async def prepare_database(settings: Settings, clock: Clock = utcnow):
    """Migrate, connect, and store the bootstrap admins. Returns (engine, sessionmaker).

    A database that cannot be reached (wrong URL, name, role or password; server down)
    is a ``StartupError`` naming the URL (password masked) and the reason."""
    if settings.survey_key is None:
        raise StartupError(
            "set METODSET_SURVEY_KEY: survey answers are sealed with it until they are released"
            " anonymously; `metodset survey-key` makes one (keep it outside the database)"
        )
    seal = Seal.from_text(settings.survey_key.get_secret_value())
    engine = None
    try:
        await asyncio.to_thread(upgrade, settings.database_url)
        engine = create_engine(settings.database_url)
        sessionmaker = create_sessionmaker(engine, seal=seal)
        async with sessionmaker() as session:
            await Repo(session, clock).users.ensure_bootstrap_admins(settings.admin_ids)
            await session.commit()
    except Exception as error:
        if engine is not None:
            await engine.dispose()
        if database_unavailable(error):
            raise StartupError(unreachable_database(settings.database_url, error)) from None
        raise
    return engine, sessionmaker


# Waits between getMe attempts while the Bot API server cannot be reached at start-up.
API_RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)


async def wait_for_bot_api(bot: Bot, settings: Settings) -> User:
    """getMe until it answers: one warning when the server cannot be reached, one line
    when it can again. A refused token stops start-up with the setting to fix."""
    where = settings.api_server or "api.telegram.org"
    failures = 0
    while True:
        try:
            me = await bot.me()
        except (TelegramUnauthorizedError, TelegramNotFound) as error:
            # Telegram answers 404 to a token that is not even shaped like one.
            hint = " and METODSET_API_SERVER" if settings.api_server else ""
            raise StartupError(
                f"the Bot API server at {where} refused the bot token ({error.message}):"
                f" check METODSET_BOT_TOKEN{hint}"
            ) from None
        except (
            TelegramNetworkError,
            TelegramServerError,
            TelegramRetryAfter,
            ClientDecodeError,  # a proxy's HTML error page while the server behind it is down
        ) as error:
            delay = API_RETRY_SECONDS[min(failures, len(API_RETRY_SECONDS) - 1)]
            if isinstance(error, TelegramRetryAfter):
                delay = max(delay, float(error.retry_after))
            if failures == 0:
                logger.warning(
                    "Cannot reach the Bot API server at %s, retrying: %s", where, one_line(error)
                )
            failures += 1
            await asyncio.sleep(delay)
            continue
        except (TelegramAPIError, AiogramError) as error:
            raise StartupError(
                f"the Bot API server at {where} answered getMe with an error: {one_line(error)}"
            ) from None
        if failures:
            logger.warning("The Bot API server at %s is reachable again", where)
        return me


async def _stop_polling(dispatcher: Dispatcher, polling: asyncio.Future) -> None:
    """Cancelling ``start_polling`` would leave its getUpdates loop running on its own
    (aiogram stops that loop only on its stop signal): stop it the way aiogram expects."""
    if polling.done():
        return
    try:
        await dispatcher.stop_polling()
    except RuntimeError:  # not started yet
        polling.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await polling


@dataclass
class Service:
    """Everything a runner serves with, built from Settings by ``assemble``."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    bot: Bot
    outbox_bot: Bot
    dispatcher: Dispatcher
    scheduler: AsyncIOScheduler
    outbox: OutboxWorker
    metrics: Metrics
    redis: Redis | None = None

    async def close(self) -> None:
        # Updates still being handled finish before their database goes (aiogram does not
        # wait for them when polling stops).
        in_flight = list(getattr(self.dispatcher, "_handle_update_tasks", ()))
        if in_flight:
            await asyncio.wait(in_flight, timeout=10)
        await self.bot.session.close()
        await self.outbox_bot.session.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


async def assemble(settings: Settings) -> Service:
    """Migrate, then build the bots, the Dispatcher, the scheduler and the outbox worker;
    the last two start and stop with the Dispatcher."""
    engine, sessionmaker = await prepare_database(settings)
    i18n_hub = I18n(default_locale=settings.default_locale)
    metrics = Metrics()
    redis = connect(settings.redis.url) if settings.redis.url else None
    # Answers and the outbox take from one bucket: the replicas' in Redis, else the process's.
    sends: SendBucket = (
        RedisSendBucket(redis, PER_SECOND, BURST) if redis is not None else LocalSendBucket()
    )
    bot = build_bot(settings, budget=SendBudget(sends))
    dispatcher = build_dispatcher(
        settings=settings,
        sessionmaker=sessionmaker,
        i18n_hub=i18n_hub,
        metrics=metrics,
        redis=redis,
    )
    user_cache = user_cache_of_sessionmaker(sessionmaker)
    if redis is not None and user_cache is not None:  # replicas tell each other whom they changed
        user_changes = UserChanges(redis, user_cache, bot.id)
        dispatcher.startup.register(user_changes.start)
        dispatcher.shutdown.register(user_changes.stop)
    scheduler = create_scheduler(
        settings=settings,
        sessionmaker=sessionmaker,
        bot=bot,
        i18n_hub=i18n_hub,
    )
    scheduler.add_listener(metrics.job_event, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    outbox_bot = build_bot(
        settings, retry_after=False, budget=SendBudget(sends, reserve=OUTBOX_RESERVE)
    )
    outbox = OutboxWorker(
        sessionmaker=sessionmaker,
        bot=outbox_bot,
        i18n_hub=i18n_hub,
        clock=utcnow,
        monotonic=time.monotonic,
        quiet=QuietHours.from_settings(settings),
        observer=metrics,
    )
    service = Service(
        settings=settings,
        engine=engine,
        sessionmaker=sessionmaker,
        bot=bot,
        outbox_bot=outbox_bot,
        dispatcher=dispatcher,
        scheduler=scheduler,
        outbox=outbox,
        metrics=metrics,
        redis=redis,
    )

    # With several replicas on PostgreSQL one sends the outbox (one Telegram budget for the
    # deployment) and one runs the jobs; on SQLite the one process leads both.
    outbox_leader = Leader(engine, "outbox", observer=metrics)
    scheduler_leader = Leader(engine, "scheduler", observer=metrics)

    # Async wrappers: aiogram runs plain functions in a thread, and the scheduler needs the loop.
    async def start_scheduler() -> None:
        scheduler.start(paused=True)
        scheduler_leader.start(lambda: run_jobs_while_leading(scheduler))
        outbox_leader.start(outbox.run)

    async def stop_scheduler() -> None:
        await outbox_leader.stop()
        await scheduler_leader.stop()
        scheduler.shutdown(wait=False)

    dispatcher.startup.register(start_scheduler)
    dispatcher.shutdown.register(stop_scheduler)
    return service


async def run_polling(settings: Settings, *, handle_signals: bool = True) -> None:
    """Migrate, then poll until stopped; the scheduler runs alongside. A 409 from Telegram
    (another poller, or a webhook set) stops it with the operator's one line."""
    service = await assemble(settings)
    bot, dispatcher = service.bot, service.dispatcher
    conflict = PollingConflict()
    bot.session.middleware(conflict)
    ops: web.AppRunner | None = None
    # While the Bot API server is away, polling logs one line, not two per retry.
    polling_outages = PollingOutageFilter()
    aiogram_loggers.dispatcher.addFilter(polling_outages)
    try:
        if settings.ops.port is not None:
            ops = await start_ops_server(
                settings.ops.host,
                settings.ops.port,
                engine=service.engine,
                sessionmaker=service.sessionmaker,
                metrics=service.metrics,
                redis=service.redis,
            )
        me = await wait_for_bot_api(bot, settings)
        logger.info("Starting @%s with long polling", me.username)
        polling = asyncio.ensure_future(
            dispatcher.start_polling(
                bot,
                allowed_updates=dispatcher.resolve_used_update_types(),
                handle_signals=handle_signals,
                close_bot_session=False,
            )
        )
        try:
            # Not cancelled with us: wait() leaves both running.
            stoppers: set[asyncio.Future[Any]] = {polling, conflict.seen}
            await asyncio.wait(stoppers, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            await _stop_polling(dispatcher, polling)
            raise
        if conflict.seen.done():
            await _stop_polling(dispatcher, polling)
            raise StartupError(polling_conflict(conflict.seen.result()))
        polling.result()
    finally:
        aiogram_loggers.dispatcher.removeFilter(polling_outages)
        if ops is not None:
            await ops.cleanup()
        await service.close()


async def run_webhook(settings: Settings) -> None:
    """Migrate, set the webhook, and serve updates and the ops endpoints until cancelled.
    The webhook stays set on stop: other replicas may go on serving it."""
    webhook = settings.webhook
    service = await assemble(settings)
    try:
        me = await wait_for_bot_api(service.bot, settings)
        app = build_webhook_app(
            dispatcher=service.dispatcher,
            bot=service.bot,
            webhook=webhook,
            engine=service.engine,
            sessionmaker=service.sessionmaker,
            metrics=service.metrics,
            redis=service.redis,
        )
        runner = web.AppRunner(app, access_log=None)
        try:
            await runner.setup()  # sets the webhook, then the Dispatcher's start-up
        except WebhookRefused as error:
            raise StartupError(str(error)) from None
        try:
            try:
                await web.TCPSite(runner, webhook.host, webhook.port).start()
            except OSError as error:
                raise StartupError(
                    f"cannot listen on {webhook.host}:{webhook.port}: {one_line(error)}"
                    " (METODSET_WEBHOOK__HOST, METODSET_WEBHOOK__PORT)"
                ) from None
            logger.info(
                "Starting @%s with a webhook at %s, listening on %s:%d (/healthz, /readyz,"
                " /metrics beside it)",
                me.username,
                webhook.full_url,
                webhook.host,
                webhook.port,
            )
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()  # the Dispatcher's shutdown: scheduler and outbox stop
    finally:
        await service.close()
