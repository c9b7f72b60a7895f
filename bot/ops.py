"""Operations endpoints: /healthz, /readyz, /metrics.

In webhook mode they share the webhook's aiohttp app; with long polling they get a small
server of their own when METODSET_OPS__PORT is set (bot/app.py)."""

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.metrics import Metrics
from bot.replicas import redis_problem
from storage.db import describe_database_error
from storage.repositories import Repo

logger = logging.getLogger(__name__)

# A database slower than this is "not ready": a load balancer's probe must not hang.
READY_TIMEOUT_SECONDS = 2.0


async def database_problem(
    engine: AsyncEngine, seconds: float = READY_TIMEOUT_SECONDS
) -> str | None:
    """None when the database answers ``SELECT 1`` within ``seconds``; else the reason."""
    try:
        async with asyncio.timeout(seconds):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except TimeoutError:
        return f"the database did not answer within {seconds:g} s"
    except Exception as error:
        return describe_database_error(error)
    return None


def add_ops_routes(
    app: web.Application,
    *,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    metrics: Metrics,
    redis: Redis | None = None,
) -> None:
    """``redis``: the replicas' shared Redis, when configured; /readyz checks it too."""

    async def healthz(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(_request: web.Request) -> web.Response:
        problem = await database_problem(engine)
        if problem is not None:
            return web.Response(status=503, text=f"database: {problem}")
        if redis is not None:
            problem = await redis_problem(redis, READY_TIMEOUT_SECONDS)
            if problem is not None:
                return web.Response(status=503, text=f"redis: {problem}")
        return web.Response(text="ok")

    async def metrics_page(_request: web.Request) -> web.Response:
        # The outbox's depth is read now, at scrape time, not on every send.
        try:
            async with asyncio.timeout(READY_TIMEOUT_SECONDS):
                async with sessionmaker() as session:
                    metrics.outbox_depth.set(await Repo(session).outbox.waiting())
        except Exception as error:  # the other metrics still matter while the database is away
            logger.debug("outbox depth not read: %s", describe_database_error(error))
        return web.Response(
            body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics_page)


async def start_ops_server(
    host: str,
    port: int,
    *,
    engine: AsyncEngine,
    sessionmaker: async_sessionmaker[AsyncSession],
    metrics: Metrics,
    redis: Redis | None = None,
) -> web.AppRunner:
    """The endpoints on a server of their own (long polling); ``cleanup()`` stops it."""
    app = web.Application()
    add_ops_routes(app, engine=engine, sessionmaker=sessionmaker, metrics=metrics, redis=redis)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    logger.info("Health and metrics at http://%s:%d/healthz, /readyz, /metrics", host, port)
    return runner
