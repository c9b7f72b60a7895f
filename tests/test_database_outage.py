"""Updates that arrive while the database is away: the member gets the apology, the log
gets one line per update (no traceback storm), and the bot recovers by itself."""

import io
import logging
import socket

import aiohttp
import pytest
from sqlalchemy import event

from bot.i18n import I18n
from bot.logs import install
from storage.db import database_unavailable
from tests.harness import Person, texts


@pytest.fixture
def log_stream():
    """The log as `metodset run` writes it (its own handler and filters)."""
    root = logging.getLogger()
    level = root.level
    stream = io.StringIO()
    handler = install(level=logging.INFO, stream=stream, secrets=["42:TEST-TOKEN"])
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


async def test_updates_while_the_database_is_away_get_an_apology_and_one_line_each(
    harness, engine, i18n: I18n, log_stream
) -> None:
    away = True

    def refuse(*_args) -> None:
        if away:
            raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    event.listen(engine.sync_engine, "do_connect", refuse)
    await engine.dispose()  # the pooled connections went with the server
    apology = i18n.translator("ru")("error-unexpected")
    try:
        for number in range(3):
            calls = await harness.send(Person(id=5100 + number, first_name="Мария"), "/start")
            assert texts(calls) == [apology]
        away = False
        calls = await harness.send(Person(id=5200, first_name="Пётр"), "/start")
        assert texts(calls) and texts(calls) != [apology]
    finally:
        event.remove(engine.sync_engine, "do_connect", refuse)

    log = log_stream.getvalue()
    assert "Traceback" not in log
    failures = [line for line in log.splitlines() if "database unavailable" in line]
    assert len(failures) == 3, log
    assert all(
        line.endswith(
            "database unavailable: ConnectionRefusedError: [Errno 111]"
            " Connect call failed ('127.0.0.1', 5432)"
        )
        for line in failures
    )
    assert len([line for line in log.splitlines() if " ERROR " in line]) <= 3, log


async def test_only_the_databases_own_failures_count_as_an_outage(engine) -> None:
    """A Bot API server that refuses connections is not "database unavailable" in the log."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with aiohttp.ClientSession() as client:
        with pytest.raises(aiohttp.ClientConnectorError) as http_error:
            await client.get(f"http://127.0.0.1:{port}/")
    assert isinstance(http_error.value, OSError)
    assert not database_unavailable(http_error.value)

    def refuse(*_args) -> None:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    event.listen(engine.sync_engine, "do_connect", refuse)
    await engine.dispose()
    try:
        with pytest.raises(ConnectionRefusedError) as database_error:
            async with engine.connect():
                pass
    finally:
        event.remove(engine.sync_engine, "do_connect", refuse)
    assert database_unavailable(database_error.value)
