"""Operating the bot: one process per SQLite file, `metodset db backup`, webhook settings
that are missing, and JSON logs, as an operator meets them (real processes, real files,
the CLI's own output)."""

import io
import json
import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.logs import current_update_id, install
from storage.sealing import new_key
from tests.conftest import stderr_lines

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
ROOT = Path(__file__).resolve().parent.parent

HOLD_LOCK = """
import sys, time
from storage.single_process import lock_sqlite
handle = lock_sqlite(sys.argv[1])
print("locked", flush=True)
time.sleep(60)
"""


# --- one process per SQLite file ------------------------------------------------------------


def test_a_second_process_on_the_same_sqlite_file_stops_with_one_line(tmp_path: Path) -> None:
    database = tmp_path / "metodset.db"
    url = f"sqlite+aiosqlite:///{database}"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("METODSET_")},
        "METODSET_BOT_TOKEN": TOKEN,
        "METODSET_SURVEY_KEY": new_key(),
        "METODSET_DATABASE_URL": url,
        # nothing answers here: the second process must stop before it tries
        "METODSET_API_SERVER": "http://127.0.0.1:9",
    }
    first = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, url],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None
        assert first.stdout.readline().strip() == "locked"
        second = subprocess.run(
            [sys.executable, "-m", "bot.cli", "run"],
            cwd=tmp_path,
            env={**environment, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        first.kill()
        first.wait()
        if first.stdout is not None:
            first.stdout.close()
    assert second.returncode == 1
    assert second.stderr.splitlines() == [
        f"metodset: the database {database} is in use by process {first.pid}"
        f" (it holds {database}.lock): one process per SQLite file; stop the other one first"
    ]
    # the lock went with the first process: the file can be taken again
    again = subprocess.run(
        [sys.executable, "-c", HOLD_LOCK.replace("time.sleep(60)", ""), url],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (again.returncode, again.stdout.strip()) == (0, "locked")


def test_postgresql_is_not_locked_by_file() -> None:
    from storage.single_process import lock_sqlite

    assert lock_sqlite("postgresql+asyncpg://bot@db.example.org/metodset") is None


# --- db backup ------------------------------------------------------------------------------


def test_db_backup_copies_a_database_held_open_by_a_writer(cli_env, tmp_path, capsys) -> None:
    database = tmp_path / "metodset.db"
    cli_env.setenv("METODSET_DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    running = sqlite3.connect(database)  # the bot, as it holds the file
    running.execute("PRAGMA journal_mode=WAL")
    running.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    running.executemany("INSERT INTO notes (body) VALUES (?)", [("раз",), ("два",)])
    running.commit()  # in the WAL, not yet checkpointed into the file
    running.execute("INSERT INTO notes (body) VALUES ('не зафиксировано')")  # open transaction
    try:
        out = tmp_path / "copies" / "backup.db"
        out.parent.mkdir()
        assert main(["db", "backup", "--out", str(out)]) == 0
    finally:
        running.rollback()
        running.close()
    [line] = capsys.readouterr().out.splitlines()
    assert line.startswith(f"metodset: backed up {database} to {out} (")
    assert line.endswith(" KB)")
    copy = sqlite3.connect(out)
    try:
        assert copy.execute("SELECT body FROM notes ORDER BY id").fetchall() == [
            ("раз",),
            ("два",),
        ]
    finally:
        copy.close()
    assert not list(out.parent.glob("*.part"))


def test_db_backup_names_the_copy_by_the_utc_time_and_never_overwrites(
    cli_env, tmp_path, capsys
) -> None:
    database = tmp_path / "metodset.db"
    cli_env.setenv("METODSET_DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    with sqlite3.connect(database) as connection:
        connection.execute("CREATE TABLE t (x)")
    connection.close()
    assert main(["db", "backup"]) == 0
    [copy] = tmp_path.glob("metodset-backup-*Z.db")
    assert len(copy.name) == len("metodset-backup-20261208T013000Z.db")
    assert main(["db", "backup", "--out", str(copy)]) == 1
    assert stderr_lines(capsys)[-1] == (
        f"metodset: backup failed: {copy} exists already; choose another --out"
    )


def test_db_backup_of_a_missing_file_is_one_line(cli_env, tmp_path, capsys) -> None:
    cli_env.setenv("METODSET_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/none.db")
    assert main(["db", "backup"]) == 1
    assert stderr_lines(capsys) == [
        f"metodset: backup failed: there is no database file {tmp_path}/none.db"
    ]
    assert not (tmp_path / "none.db").exists()


def test_db_backup_on_postgresql_prints_pg_dump_without_the_password(cli_env, capsys) -> None:
    cli_env.setenv(
        "METODSET_DATABASE_URL", "postgresql+asyncpg://bot:hunter2@db.example.org:5433/metodset"
    )
    assert main(["db", "backup"]) == 0
    out = capsys.readouterr().out
    assert "hunter2" not in out
    command = out.splitlines()[-1]
    assert command.startswith("pg_dump --format=custom --file=metodset-")
    assert command.endswith(" --host=db.example.org --port=5433 --username=bot metodset")


# --- webhook settings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "missing"),
    [
        ({}, "METODSET_WEBHOOK__URL"),
        ({"METODSET_WEBHOOK__URL": "https://bot.example.org"}, "METODSET_WEBHOOK__SECRET"),
    ],
)
def test_webhook_mode_without_its_settings_is_one_line_and_exit_2(
    cli_env, capsys, variables: dict[str, str], missing: str
) -> None:
    cli_env.setenv("METODSET_BOT_TOKEN", TOKEN)
    for name, value in variables.items():
        cli_env.setenv(name, value)
    assert main(["run", "--webhook"]) == 2
    [line] = stderr_lines(capsys)
    assert line.startswith(f"metodset: set {missing} ")
    assert line.endswith("to run with --webhook")


def test_a_malformed_webhook_secret_names_the_setting(cli_env, capsys) -> None:
    cli_env.setenv("METODSET_WEBHOOK__SECRET", "has spaces")
    assert main(["run", "--webhook"]) == 2
    assert stderr_lines(capsys) == [
        "metodset: setting METODSET_WEBHOOK__SECRET: must be 1-256 characters of A-Z, a-z,"
        " 0-9, _ and -"
    ]


# --- JSON logs ------------------------------------------------------------------------------


def test_json_logs_are_one_object_per_line_with_the_update_and_no_token() -> None:
    stream = io.StringIO()
    handler = install(level="INFO", stream=stream, secrets=(TOKEN,), json_lines=True)
    logger = logging.getLogger("metodset.test")
    token = current_update_id.set(777)
    try:
        try:
            raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")
        except RuntimeError:
            logger.exception("Update failed, token %s", TOKEN)
    finally:
        current_update_id.reset(token)
        logging.getLogger().removeHandler(handler)
    [line] = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "metodset.test"
    assert entry["message"] == "Update failed, token 123456789:***"
    assert entry["update_id"] == 777
    assert entry["exception"].startswith("Traceback (most recent call last)")
    assert "RuntimeError: GET https://api.telegram.org/bot123456789:***/getMe" in entry["exception"]
    assert entry["time"].endswith("+00:00")
    assert TOKEN.split(":")[1] not in line


def test_json_logs_outside_an_update_have_no_update_id_and_text_stays_the_default(
    cli_env,
) -> None:
    from bot.cli import configure_logging
    from bot.config import load_settings

    stream = io.StringIO()
    configure_logging(load_settings(_env_file=None), stream=stream)
    logging.getLogger("metodset.test").warning("plain")
    assert stream.getvalue().rstrip().endswith("WARNING metodset.test: plain")

    cli_env.setenv("METODSET_LOG_FORMAT", "json")
    stream = io.StringIO()
    configure_logging(load_settings(_env_file=None), stream=stream)
    logging.getLogger("metodset.test").warning("plain")
    entry = json.loads(stream.getvalue())
    assert entry["message"] == "plain"
    assert "update_id" not in entry


async def test_a_line_logged_while_an_update_is_handled_names_it(harness) -> None:
    """The outer middleware sets the update's id for everything logged under it: here the
    throttle's line about a flood."""
    from tests.people import TEACHER

    stream = io.StringIO()
    handler = install(level="INFO", stream=stream, json_lines=True)
    harness.pace_seconds = 0
    try:
        for _ in range(12):
            await harness.send(TEACHER, "/help", expect_handled=False)
    finally:
        logging.getLogger().removeHandler(handler)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    throttled = [e for e in entries if e["message"].startswith("Throttled an update")]
    assert throttled
    assert all(isinstance(e["update_id"], int) for e in throttled)
    assert len({e["update_id"] for e in throttled}) == len(throttled)
    assert current_update_id.get() is None
