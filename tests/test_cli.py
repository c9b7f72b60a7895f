"""Settings and the `metodset` command line."""

import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path):
    for name in list(__import__("os").environ):
        if name.startswith("METODSET_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # the default database and .env live in the working directory
    root = logging.getLogger()
    level = root.level
    yield
    for handler in list(root.handlers):  # main() installs its own handler on stderr
        if handler.get_name() == "metodset":
            root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("METODSET_TIME_ZONE", "Mars/Olympus", "setting METODSET_TIME_ZONE: is not an IANA"),
        ("METODSET_ADMIN_IDS", "12,abc", "setting METODSET_ADMIN_IDS: input should be"),
        ("METODSET_DATABASE_URL", "sqlite:///x.db", "setting METODSET_DATABASE_URL: must use"),
        ("METODSET_DEFAULT_LOCALE", "de", "setting METODSET_DEFAULT_LOCALE: must be one of"),
        ("METODSET_THROTTLING__RATE", "0", "setting METODSET_THROTTLING__RATE: input should be"),
        (
            "METODSET_SURVEY_KEY",
            "c2l4dGVlbiBieXRlcyBrZXk=",
            "setting METODSET_SURVEY_KEY: must be 32",
        ),
        ("METODSET_SURVEY_KEY", "no base64!", "setting METODSET_SURVEY_KEY: is not URL-safe"),
    ],
)
def test_malformed_setting_is_named_in_one_line(monkeypatch, name, value, expected) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert str(error.value).startswith(expected)
    assert "\n" not in str(error.value)


def test_settings_from_env_file(tmp_path) -> None:
    (tmp_path / ".env").write_text("METODSET_ADMIN_IDS=1, 2\nMETODSET_TIME_ZONE=Asia/Omsk\n")
    settings = load_settings()
    assert settings.admin_ids == [1, 2]
    assert settings.time_zone == "Asia/Omsk"
    assert settings.database_url.endswith(str(tmp_path / "metodset.db"))


def test_token_is_never_printed(monkeypatch) -> None:
    monkeypatch.setenv("METODSET_BOT_TOKEN", "123:SECRET")
    settings = load_settings()
    assert "SECRET" not in repr(settings)
    assert "SECRET" not in str(settings.model_dump())


def test_run_without_token_says_what_to_set(capsys) -> None:
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("metodset: set METODSET_BOT_TOKEN")
    assert len(err.splitlines()) == 1


def test_malformed_setting_stops_the_cli_with_one_line(monkeypatch, capsys) -> None:
    monkeypatch.setenv("METODSET_LOG_LEVEL", "LOUD")
    assert main(["db", "upgrade"]) == 2
    assert capsys.readouterr().err == (
        "metodset: setting METODSET_LOG_LEVEL: must be DEBUG, INFO, WARNING, ERROR or CRITICAL\n"
    )


def test_db_upgrade_creates_the_database(tmp_path, capsys) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "database is up to date" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "metodset.db") as connection:
        version = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    assert version is not None


def test_admin_grant_and_revoke(tmp_path, capsys) -> None:
    assert main(["admin", "grant", "777", "coordinator"]) == 0
    assert "coordinator granted for 777" in capsys.readouterr().out
    assert main(["admin", "grant", "777", "coordinator"]) == 0
    assert "nothing to change" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "metodset.db") as connection:
        roles = connection.execute(
            "SELECT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.telegram_id = 777"
        ).fetchall()
    assert roles == [("coordinator",)]
    assert main(["admin", "revoke", "777", "coordinator"]) == 0
    assert main(["admin", "revoke", "@ghost", "admin"]) == 1
    assert "no registered user @ghost" in capsys.readouterr().err


def test_help_everywhere() -> None:
    for args in ([], ["db"], ["admin"], ["admin", "grant"]):
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", *args, "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("usage: metodset")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_demo_in_the_background_stops_on_a_signal(tmp_path, signum) -> None:
    """A shell starts `metodset demo &` with SIGINT ignored; the demo must stop anyway."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("METODSET_")}

    def as_a_background_job() -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    demo = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--port", str(port), "--database", "d.db"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=as_a_background_job,  # what the shell does for `&`
    )
    try:
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = demo.stdout.readline()
            lines.append(line)
            if "long polling" in line or not line:
                break
        assert any("long polling" in line for line in lines), "".join(lines)
        demo.send_signal(signum)
        out, _ = demo.communicate(timeout=10)
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    assert demo.returncode == 0, out
    assert "metodset demo: stopped" in out


def test_survey_key_prints_a_key_the_settings_take(capsys, monkeypatch) -> None:
    assert main(["survey-key"]) == 0
    [key] = capsys.readouterr().out.split()
    monkeypatch.setenv("METODSET_SURVEY_KEY", key)
    settings = load_settings()
    assert settings.survey_key is not None
    assert key not in repr(settings)  # a secret, like the token
    assert main(["survey-key"]) == 0
    assert capsys.readouterr().out.split() != [key]  # a new one each time


def test_run_without_a_survey_key_says_what_to_set(capsys, monkeypatch) -> None:
    """Answers are sealed with the key: the bot does not start without one, and says how
    to make it, in one line, before it touches the database."""
    monkeypatch.setenv("METODSET_BOT_TOKEN", "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw")
    assert main(["run"]) == 1
    [line] = [each for each in capsys.readouterr().err.splitlines() if each.strip()]
    assert line.startswith("metodset: set METODSET_SURVEY_KEY")
    assert "metodset survey-key" in line
    assert not (Path.cwd() / "metodset.db").exists()
