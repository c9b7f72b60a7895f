"""The `metodset` command: run [--webhook], demo, db upgrade|backup, admin grant|revoke.

Each command imports what it needs inside itself: aiogram's types alone take seconds to
import, and `metodset --help` or `db upgrade` should not wait for them. These imports
hide no circle (tests/test_architecture.py counts them too)."""

import argparse
import asyncio
import contextlib
import logging
import signal
import sqlite3
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TextIO

from bot.config import Settings, SettingsError, load_settings
from storage.enums import GlobalRole

logger = logging.getLogger("metodset")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="metodset",
        description="Telegram bot for a municipal professional community of teachers.",
        epilog="Settings come from METODSET_* environment variables or a .env file.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="apply migrations and run the bot with long polling")
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates by webhook (METODSET_WEBHOOK__*, docs/deploy.md) instead",
    )

    demo = commands.add_parser(
        "demo", help="run the bot against the local sandbox, with a chat page in the browser"
    )
    demo.add_argument("--port", type=int, default=8765, help="the page's port (default 8765)")
    demo.add_argument(
        "--database", default="metodset-demo.db", help="the demo's own SQLite file (recreated)"
    )

    commands.add_parser(
        "survey-key", help="print a new key for METODSET_SURVEY_KEY (seals survey answers)"
    )

    conduct = commands.add_parser("conduct", help="the conduct code's learned classifier")
    conduct_commands = conduct.add_subparsers(
        dest="conduct_command", required=True, metavar="ACTION"
    )
    train = conduct_commands.add_parser(
        "train", help="train the classifier on the labelled sets and write its weights"
    )
    train.add_argument(
        "--corpus", type=Path, help="RUSSE-2022 train.tsv or its folder (docs/conduct-model.md)"
    )
    train.add_argument("--seed", type=int, default=1, help="the augmentations' seed (default 1)")
    train.add_argument("--out", type=Path, help="the weights file (default: the package's)")
    train.add_argument(
        "--decisions",
        action="store_true",
        help="learn from the moderators' decisions in the configured database as well",
    )
    train.add_argument(
        "--community", type=int, help="with --decisions: only this community's (its id)"
    )

    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    db_commands.add_parser("upgrade", help="apply pending migrations")
    backup = db_commands.add_parser(
        "backup", help="SQLite: an online copy of the database; PostgreSQL: the pg_dump command"
    )
    backup.add_argument(
        "--out", type=Path, help="the copy's file (default: beside the database, timestamped)"
    )

    admin = commands.add_parser("admin", help="grant or revoke global roles")
    admin_commands = admin.add_subparsers(dest="admin_command", required=True, metavar="ACTION")
    for action in ("grant", "revoke"):
        sub = admin_commands.add_parser(action, help=f"{action} a role")
        sub.add_argument("who", help="Telegram id, or @username of a registered user")
        sub.add_argument(
            "role",
            choices=[role.value for role in GlobalRole],
            help="the global role",
        )
    return parser


def configure_logging(
    settings: Settings, *, stream: TextIO | None = None, secrets: tuple[str, ...] = ()
) -> logging.Handler:
    """One handler on stderr that masks the bot token and keeps an outage to one line."""
    from bot.logs import install

    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    survey_key = settings.survey_key.get_secret_value() if settings.survey_key else ""
    webhook = settings.webhook.secret.get_secret_value() if settings.webhook.secret else ""
    handler = install(
        level=settings.log_level,
        stream=stream or sys.stderr,
        secrets=(token, survey_key, webhook, *secrets),
        json_lines=settings.log_format == "json",
    )
    # Alembic narrates every plugin at INFO; migrations worth reporting are said by us.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return handler


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "survey-key":
        return cmd_survey_key()
    if args.command == "conduct" and not args.decisions:
        return cmd_conduct_train(args)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"metodset: {error}", file=sys.stderr)
        return 2
    configure_logging(settings, secrets=_demo_secrets() if args.command == "demo" else ())
    if args.command == "run":
        return cmd_run(settings, webhook=args.webhook)
    if args.command == "demo":
        return cmd_demo(settings, args.port, args.database)
    if args.command == "db" and args.db_command == "backup":
        return cmd_db_backup(settings, args.out)
    try:
        with _database_reachable(settings):
            if args.command == "db":
                return cmd_db_upgrade(settings)
            if args.command == "conduct":
                decisions = asyncio.run(_decisions(settings, args.community))
                return cmd_conduct_train(args, decisions)
            return asyncio.run(
                cmd_admin(settings, args.admin_command, args.who, GlobalRole(args.role))
            )
    except _Unreachable as error:
        print(f"metodset: {error}", file=sys.stderr)
        return 1


class _Unreachable(Exception):
    """The database cannot be reached; the message is the operator's one line."""


@contextlib.contextmanager
def _database_reachable(settings: Settings):
    """A database that cannot be reached is one line, not a driver's traceback."""
    from storage.db import database_unavailable, unreachable_database

    try:
        yield
    except Exception as error:
        if not database_unavailable(error):
            raise
        raise _Unreachable(unreachable_database(settings.database_url, error)) from None


def cmd_survey_key() -> int:
    """A new key, printed alone, for METODSET_SURVEY_KEY; settings are not read."""
    from storage.sealing import new_key

    print(new_key())
    return 0


def cmd_conduct_train(
    args: argparse.Namespace, decisions: list[tuple[str, bool, frozenset[str]]] | None = None
) -> int:
    # numpy training code, imported only here: the bot never loads it
    from moderation import training

    return training.main(args.corpus, args.seed, args.out, decisions or ())


async def _decisions(
    settings: Settings, community_id: int | None
) -> list[tuple[str, bool, frozenset[str]]]:
    """The moderators' decisions in the database, as the training reads them."""
    from storage.db import create_engine, create_sessionmaker
    from storage.migrate import upgrade
    from storage.repositories.decisions import DecisionRepo

    await asyncio.to_thread(upgrade, settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            found = await DecisionRepo(session).decided_texts(community_id)
    finally:
        await engine.dispose()
    print(f"{len(found)} decided texts in the database")
    return [(d.text, d.approved, d.categories) for d in found]


def cmd_run(settings: Settings, *, webhook: bool = False) -> int:
    if settings.bot_token is None:
        print(
            "metodset: set METODSET_BOT_TOKEN (from @BotFather) to run the bot,"
            " or try it locally with `metodset demo`",
            file=sys.stderr,
        )
        return 2
    if webhook and (missing := settings.webhook.missing()):
        print(f"metodset: {missing}", file=sys.stderr)
        return 2
    from bot.app import StartupError, run_polling, run_webhook

    try:
        with _one_process(settings.database_url), contextlib.suppress(KeyboardInterrupt):
            if webhook:
                asyncio.run(until_signalled(run_webhook(settings)))
            else:
                asyncio.run(run_polling(settings))
    except (StartupError, _InUse) as error:
        print(f"metodset: {error}", file=sys.stderr)
        return 1
    return 0


class _InUse(Exception):
    """Another process runs on this SQLite file; the message is the operator's one line."""


@contextlib.contextmanager
def _one_process(database_url: str):
    """Hold the SQLite file's lock while the bot runs (storage/single_process.py)."""
    from storage.single_process import DatabaseInUse, lock_sqlite

    try:
        lock = lock_sqlite(database_url)
    except DatabaseInUse as error:
        raise _InUse(str(error)) from None
    try:
        yield
    finally:
        if lock is not None:
            lock.close()


def _demo_secrets() -> tuple[str, ...]:
    from bot.demo import DEMO_TOKEN

    return (DEMO_TOKEN,)


def cmd_demo(settings: Settings, port: int, database: str) -> int:
    from pathlib import Path

    from bot.app import StartupError
    from bot.demo import fresh_database, run_demo

    url = f"sqlite+aiosqlite:///{Path(database).absolute()}"
    try:
        # Locked before the file is recreated: a second demo must not wipe the first's.
        with _one_process(url), contextlib.suppress(KeyboardInterrupt):
            url = fresh_database(Path(database))
            asyncio.run(until_signalled(run_demo(settings, port=port, database_url=url)))
    except (StartupError, _InUse) as error:
        print(f"metodset demo: {error}", file=sys.stderr)
        return 1
    print("metodset demo: stopped", flush=True)
    return 0


async def until_signalled(work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` until it ends or SIGINT/SIGTERM arrives, then cancel it (its cleanup runs).

    Handlers are installed explicitly: a shell starts a background job (``metodset demo &``)
    with SIGINT ignored, so Python's KeyboardInterrupt would never come."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    stopping: list[int] = []

    def stop(signum: int) -> None:
        if not stopping:
            logger.info("metodset: stopping (%s)", signal.Signals(signum).name)
        stopping.append(signum)
        task.cancel()

    signals = (signal.SIGINT, signal.SIGTERM)
    for signum in signals:
        loop.add_signal_handler(signum, stop, signum)
    try:
        await task
    except asyncio.CancelledError:
        if not stopping:
            raise
    finally:
        for signum in signals:
            loop.remove_signal_handler(signum)


def cmd_db_upgrade(settings: Settings) -> int:
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    print("metodset: database is up to date")
    return 0


def cmd_db_backup(settings: Settings, out: Path | None) -> int:
    from datetime import UTC, datetime

    from storage.backup import backup_sqlite, default_backup_path, human_size, pg_dump_command
    from storage.single_process import sqlite_path

    now = datetime.now(UTC)
    database = sqlite_path(settings.database_url)
    if database is None:
        print(
            "metodset: back up PostgreSQL with pg_dump (the password from PGPASSWORD or"
            f" ~/.pgpass):\n{pg_dump_command(settings.database_url, now)}"
        )
        return 0
    target = (out or default_backup_path(database, now)).absolute()
    try:
        size = backup_sqlite(database, target)
    except (OSError, sqlite3.Error) as error:
        print(f"metodset: backup failed: {error}", file=sys.stderr)
        return 1
    print(f"metodset: backed up {database} to {target} ({human_size(size)})")
    return 0


async def cmd_admin(settings: Settings, action: str, who: str, role: GlobalRole) -> int:
    from storage.db import create_engine, create_sessionmaker
    from storage.migrate import upgrade
    from storage.models import User
    from storage.numbers import parse_telegram_id
    from storage.repositories import Repo

    await asyncio.to_thread(upgrade, settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            repo = Repo(session)
            user: User | None
            if (telegram_id := parse_telegram_id(who)) is not None:
                user = await repo.users.get_or_create(telegram_id)
            else:
                user = await repo.users.by_username(who)
            if user is None:
                print(f"metodset: no registered user {who}", file=sys.stderr)
                return 1
            if action == "grant":
                changed = await repo.users.grant_role(user, role, actor=None)
            else:
                changed = await repo.users.revoke_role(user, role, actor=None)
            await session.commit()
        if changed:
            await _refresh_menu(settings, create_sessionmaker(engine), user.id, who)
    finally:
        await engine.dispose()
    verb = "granted" if action == "grant" else "revoked"
    print(
        f"metodset: {role.value} {verb} for {who}"
        if changed
        else f"metodset: nothing to change for {who}"
    )
    return 0


async def _refresh_menu(settings: Settings, sessionmaker, user_id: int, who: str) -> None:
    """The person's "/" menu follows the new role now when the bot can be reached; if not,
    it does on their next message to the bot."""
    if settings.bot_token is None:
        return
    from bot.app import build_bot
    from bot.commands import refresh_now
    from bot.i18n import I18n
    from storage.clock import utcnow

    bot = build_bot(settings, retry_after=False)
    try:
        i18n_hub = I18n(default_locale=settings.default_locale)
        done = await asyncio.wait_for(
            refresh_now(bot, sessionmaker, i18n_hub, utcnow, user_id), timeout=10
        )
    except Exception:  # the role is stored either way
        done = False
    finally:
        await bot.session.close()
    if not done:
        print(f"metodset: the command menu of {who} will change on their next message to the bot")


if __name__ == "__main__":
    sys.exit(main())
