"""Settings and the `metodset` command line."""

import sqlite3
import subprocess
import sys

import pytest

from bot.cli import main
from bot.config import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in list(__import__("os").environ):
        if name.startswith("METODSET_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # the default database and .env live in the working directory


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("METODSET_TIME_ZONE", "Mars/Olympus", "setting METODSET_TIME_ZONE: is not an IANA"),
        ("METODSET_ADMIN_IDS", "12,abc", "setting METODSET_ADMIN_IDS: input should be"),
        ("METODSET_DATABASE_URL", "sqlite:///x.db", "setting METODSET_DATABASE_URL: must use"),
        ("METODSET_DEFAULT_LOCALE", "de", "setting METODSET_DEFAULT_LOCALE: must be one of"),
        ("METODSET_THROTTLING__RATE", "0", "setting METODSET_THROTTLING__RATE: input should be"),
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
