"""Start-up and outages as an operator meets them: the real runner (`run_polling`, or the
`metodset run` command) against the sandbox or a Bot API server that misbehaves. Each case
is one clear line (or one per outage), and the bot keeps or recovers its service."""

import asyncio
import contextlib
import logging
import sqlite3
from collections import Counter
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiohttp import web

import bot.app
from bot.app import run_polling
from bot.cli import main
from bot.config import Settings
from sandbox import SandboxClient, SandboxServer
from tests.conftest import POSTGRES_URL, stderr_lines
from tests.fake_botapi import ME, FakeBotApi, free_port, serving_in_a_thread
from tests.harness import until

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


async def answered_start(client: SandboxClient, name: str) -> None:
    user = await client.create_user(name)
    await client.start(user.id)
    # The bot takes the update on its next getUpdates (start-up, or aiogram's back-off).
    [greeting] = await client.wait_for_bot_messages(user.id, 1, timeout=30)
    assert greeting.text


@contextlib.asynccontextmanager
async def polling(settings: Settings):
    runner = asyncio.create_task(run_polling(settings, handle_signals=False))
    try:
        yield runner
    finally:
        runner.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await runner


def count_failed_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Bot API calls that could not reach the server, by method (GetMe, GetUpdates): what
    an outage test waits for instead of sleeping through a guess of the retries."""
    failed: Counter[str] = Counter()
    call = Bot.__call__

    async def counting(self: Bot, method: TelegramMethod[Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await call(self, method, *args, **kwargs)
        except TelegramNetworkError:
            failed[type(method).__name__] += 1
            raise

    monkeypatch.setattr(Bot, "__call__", counting)
    return failed


def messages(caplog, name: str, level: int = logging.DEBUG) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == name and r.levelno >= level]


async def test_a_server_without_set_my_commands_starts_the_bot_with_one_warning(
    settings: Settings, caplog
) -> None:
    """Some third-party Bot API servers answer 404 to setMyCommands: the menu is cosmetic."""
    caplog.set_level(logging.INFO)
    server = SandboxServer(settings.bot_token.get_secret_value())
    server.lack_methods("setMyCommands", "deleteMyCommands")
    base_url = await server.start()
    settings = settings.model_copy(update={"api_server": base_url})
    client = SandboxClient(base_url)
    try:
        async with polling(settings) as runner:
            await answered_start(client, "Анна")
            await answered_start(client, "Борис")  # the menu is not retried on every update
            assert not runner.done()
    finally:
        await client.close()
        await server.stop()
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in warnings] == [
        "Command menus not set, the commands work without them:"
        " TelegramNotFound: Telegram server says - Not Found"
    ]
    assert warnings[0].exc_info is None


def test_a_wrong_token_stops_with_one_line_naming_the_setting(cli_env, capsys) -> None:
    server = SandboxServer(TOKEN)
    with serving_in_a_thread(server.start, server.stop) as base_url:
        cli_env.setenv("METODSET_BOT_TOKEN", "123456789:WRONG-wrong-wrong-wrong-wrong-wrong")
        cli_env.setenv("METODSET_API_SERVER", base_url)
        assert main(["run"]) == 1
    lines = stderr_lines(capsys)
    assert lines == [
        f"metodset: the Bot API server at {base_url} refused the bot token (Unauthorized):"
        " check METODSET_BOT_TOKEN and METODSET_API_SERVER"
    ]
    assert "WRONG" not in capsys.readouterr().err


def _postgres(database: str, user: str = "postgres") -> str:
    """A URL on the test PostgreSQL server with another database or role."""
    from sqlalchemy.engine import make_url

    url = make_url(POSTGRES_URL or "")
    return url.set(database=database, username=user, password="s3cret").render_as_string(
        hide_password=False
    )


DATABASE_CASES = [
    pytest.param(
        "postgresql+asyncpg://metodset:s3cret@127.0.0.1:1/metodset",
        "cannot reach the database at postgresql+asyncpg://metodset:***@127.0.0.1:1/metodset:"
        " ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 1)",
        id="server down",
    ),
    pytest.param(
        "sqlite+aiosqlite:////no/such/folder/metodset.db",
        "cannot reach the database at sqlite+aiosqlite:////no/such/folder/metodset.db:"
        " the folder /no/such/folder does not exist",
        id="sqlite folder missing",
    ),
]
if POSTGRES_URL:
    DATABASE_CASES += [
        pytest.param(
            _postgres("no_such_database_14"),
            'database "no_such_database_14" does not exist',
            id="wrong database name",
        ),
        pytest.param(
            _postgres("postgres", user="no_such_role_14"),
            'role "no_such_role_14" does not exist',
            id="wrong role",
        ),
    ]


@pytest.mark.parametrize(("url", "expected"), DATABASE_CASES)
@pytest.mark.parametrize(
    "command", [["run"], ["db", "upgrade"], ["admin", "grant", "777", "coordinator"]]
)
def test_a_wrong_database_url_is_one_line_and_a_failed_exit(
    cli_env, capsys, command, url, expected
) -> None:
    cli_env.setenv("METODSET_BOT_TOKEN", TOKEN)
    cli_env.setenv("METODSET_DATABASE_URL", url)
    assert main(command) == 1
    lines = stderr_lines(capsys)
    assert len(lines) == 1, lines
    assert lines[0].startswith("metodset: cannot reach the database at ")
    assert lines[0].endswith(expected)
    assert "s3cret" not in lines[0]


async def test_an_unreachable_bot_api_server_is_one_line_per_outage_and_the_bot_recovers(
    settings: Settings, caplog, monkeypatch
) -> None:
    """The server is away at start-up, comes, goes away while the bot polls, comes back."""
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(bot.app, "API_RETRY_SECONDS", (0.2,))
    failed = count_failed_calls(monkeypatch)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    settings = settings.model_copy(update={"api_server": base_url})
    server = SandboxServer(settings.bot_token.get_secret_value())
    client = SandboxClient(base_url)
    try:
        async with polling(settings) as runner:
            await until(lambda: failed["GetMe"] >= 3, "several getMe attempts fail")
            assert not runner.done()
            await server.start(port=port)
            await answered_start(client, "Анна")

            await server.stop()  # away while polling, for more than one of aiogram's retries
            await until(lambda: failed["GetUpdates"] >= 2, "two getUpdates attempts fail")
            await server.start(port=port)
            await answered_start(client, "Борис")
            assert not runner.done()
    finally:
        await client.close()
        await server.stop()

    assert messages(caplog, "bot.app", logging.WARNING) == [
        f"Cannot reach the Bot API server at {base_url}, retrying: TelegramNetworkError:"
        f" HTTP Client says - ClientConnectorError: Cannot connect to host 127.0.0.1:{port}"
        f" ssl:default [Connect call failed ('127.0.0.1', {port})]",
        f"The Bot API server at {base_url} is reachable again",
    ]
    polling_lines = messages(caplog, "aiogram.dispatcher")
    failed = [m for m in polling_lines if m.startswith("Failed to fetch updates")]
    assert len(failed) == 1, polling_lines
    assert not [m for m in polling_lines if m.startswith("Sleep for")]
    assert len([m for m in polling_lines if m.startswith("Connection established")]) == 1
    assert all(r.exc_info is None for r in caplog.records if r.levelno >= logging.WARNING)


def test_a_database_created_by_run_is_migrated(cli_env, tmp_path) -> None:
    """The start-up path still migrates a fresh database (the wrong-URL handling is narrow)."""
    from bot.app import prepare_database
    from bot.config import load_settings

    async def prepare() -> None:
        engine, _ = await prepare_database(load_settings())
        await engine.dispose()

    asyncio.run(prepare())
    with sqlite3.connect(tmp_path / "metodset.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone()


async def test_a_proxy_error_page_at_start_up_is_waited_out(
    settings: Settings, caplog, monkeypatch
) -> None:
    """A reverse proxy answers 502 with an HTML page while the Bot API server behind it
    restarts: that is an outage too, not a reason to stop."""
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(bot.app, "API_RETRY_SECONDS", (0.1,))
    failures = iter(range(3))

    async def behind_a_proxy(_request: web.Request) -> web.StreamResponse:
        if next(failures, None) is not None:
            return web.Response(status=502, text="<html>502 Bad Gateway</html>")
        return web.json_response({"ok": True, "result": ME})

    api = FakeBotApi({"getMe": behind_a_proxy})
    base_url = await api.start()
    try:
        async with polling(settings.model_copy(update={"api_server": base_url})) as runner:
            await until(lambda: "getUpdates" in api.calls, "the bot polls after the 502s")
            assert not runner.done()
    finally:
        await api.stop()
    assert api.calls[:4] == ["getMe"] * 4
    assert "getUpdates" in api.calls
    assert messages(caplog, "bot.app", logging.WARNING) == [
        f"Cannot reach the Bot API server at {base_url}, retrying:"
        " ClientDecodeError: Failed to decode object",
        f"The Bot API server at {base_url} is reachable again",
    ]


async def test_personal_menus_stop_after_the_server_says_it_lacks_the_method(
    sessionmaker, clock, i18n, caplog
) -> None:
    """Once the Bot API server answers 404 to setMyCommands, no update tries it again."""
    from aiogram.exceptions import TelegramNotFound

    from bot.commands import STAFF_COMMANDS, CommandMenus, Menu
    from tests.harness import RecordingSession, make_bot

    recording = RecordingSession()
    recording.fail("setMyCommands", None, lambda m: TelegramNotFound(method=m, message="Not Found"))
    menus = CommandMenus(
        sessionmaker=sessionmaker, i18n_hub=i18n, clock=clock, monotonic=clock.monotonic
    )
    staff_menu = Menu("ru", (*STAFF_COMMANDS[:2],))
    fake_bot = make_bot(recording)
    try:
        assert not await menus.apply(fake_bot, 501, staff_menu)
        assert not await menus.apply(fake_bot, 502, staff_menu)
    finally:
        await fake_bot.session.close()
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [
        "Personal command menus are off: the Bot API server answered"
        " Telegram server says - Not Found"
    ]
