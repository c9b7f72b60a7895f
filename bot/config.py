"""Settings from the environment and a `.env` file (prefix METODSET_, nested with __)."""

import re
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as PydanticSettingsError

from storage.sealing import decode_key

SUPPORTED_LOCALES = ("ru", "en")


class ThrottlingSettings(BaseModel):
    rate: float = Field(default=2.0, gt=0, description="updates per second a user may send")
    burst: int = Field(default=8, ge=1, description="updates a user may send at once")


class MaterialSettings(BaseModel):
    max_file_mb: int = Field(default=50, ge=1, le=2000, description="largest file accepted")
    trusted_after: int = Field(
        default=3, ge=0, description="approved materials after which an author skips review"
    )
    reannounce_hours: float = Field(
        default=24, gt=0, description="an item waiting this long is re-announced once"
    )


class ThreadSettings(BaseModel):
    trusted_after: int = Field(
        default=1, ge=0, description="published posts after which a member skips premoderation"
    )
    notify_minutes: float = Field(
        default=10, gt=0, description="at most one reply notice per follower in this time"
    )
    edit_minutes: float = Field(
        default=15, gt=0, description="how long an author may edit or delete their post"
    )


class ConductSettings(BaseModel):
    learned_threshold: float = Field(
        default=0.9, gt=0.5, lt=1, description="the learned score that holds a post for review"
    )
    learned_min_docs: int = Field(
        default=20, ge=1, description="decisions of each kind before the learned score counts"
    )
    reload_seconds: float = Field(
        default=30, gt=0, description="how often a replica looks for rules edited elsewhere"
    )
    model_path: Path | None = Field(
        default=None,
        description="conduct-model weights retrained here (metodset conduct train --decisions"
        " --out PATH); unset: the weights shipped with the package",
    )


class DeliverySettings(BaseModel):
    quiet_start: time = Field(
        default=time(22, 0), description="non-urgent messages wait from this local time..."
    )
    quiet_end: time = Field(
        default=time(8, 0), description="...until this one, in each recipient's zone"
    )


# What Telegram accepts as a webhook's secret_token (setWebhook).
_SECRET_TOKEN = r"^[A-Za-z0-9_-]{1,256}$"


class WebhookSettings(BaseModel):
    """`metodset run --webhook`: Telegram posts updates to ``url`` + ``path``; a TLS reverse
    proxy in front forwards them to ``host``:``port`` (docs/deploy.md)."""

    url: str | None = Field(
        default=None, description="the public base address, e.g. https://bot.example.org"
    )
    path: str = Field(default="/telegram", pattern=r"^/\S*$", description="where updates arrive")
    # Telegram sends it in X-Telegram-Bot-Api-Secret-Token; a request without it is refused.
    secret: SecretStr | None = None
    host: str = Field(default="127.0.0.1", description="the address the bot listens on")
    port: int = Field(default=8080, ge=1, le=65535)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must be an https:// address, e.g. https://bot.example.org")
        return value.rstrip("/") if value else None

    @field_validator("secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.match(_SECRET_TOKEN, value.get_secret_value()):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    def missing(self) -> str | None:
        """The one line that says what webhook mode still needs, or None."""
        if self.url is None:
            return (
                "set METODSET_WEBHOOK__URL (the public https:// address Telegram posts to,"
                " e.g. https://bot.example.org) to run with --webhook"
            )
        if self.secret is None:
            return (
                "set METODSET_WEBHOOK__SECRET (Telegram sends it with every update; make one"
                " with `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
                " to run with --webhook"
            )
        return None

    @property
    def full_url(self) -> str:
        return f"{self.url}{self.path}"


class OpsSettings(BaseModel):
    """/healthz, /readyz and /metrics: on the webhook's own server in webhook mode; with
    long polling on a server of their own when ``port`` is set."""

    port: int | None = Field(default=None, ge=1, le=65535)
    host: str = Field(default="127.0.0.1", description="the address the endpoints listen on")


class RedisSettings(BaseModel):
    """Shared state for replicas (bot/replicas.py, docs/deploy.md): dialogs, once-only
    updates, the throttle, the kept senders. Unset: all kept in the process, as for one."""

    url: str | None = Field(default=None, description="e.g. redis://127.0.0.1:6379/0")

    @field_validator("url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis://, rediss:// or unix:// URL")
        return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="METODSET_",
        env_file=".env",
        env_file_encoding="utf-8",
        env_nested_delimiter="__",
        extra="ignore",
    )

    bot_token: SecretStr | None = None
    # Seals survey answers until they are released in anonymous batches (docs/privacy.md);
    # kept outside the database, like the token. `metodset survey-key` makes one.
    survey_key: SecretStr | None = None
    # A SQLite file in the working directory, resolved when settings are read.
    database_url: str = Field(
        default_factory=lambda: f"sqlite+aiosqlite:///{Path('metodset.db').absolute()}"
    )
    api_server: str | None = Field(
        default=None, description="custom Bot API server, e.g. http://127.0.0.1:8081"
    )
    # Comma-separated Telegram ids of the first admins: METODSET_ADMIN_IDS=111,222
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_locale: str = "ru"
    time_zone: str = "Europe/Moscow"
    # The network's name on the reports' title pages; empty: "Сетевое сообщество педагогов"
    network_name: str = ""
    log_level: str = "INFO"
    # "json": one JSON object per line, for a log collector; "text" for people.
    log_format: Literal["text", "json"] = "text"
    throttling: ThrottlingSettings = ThrottlingSettings()
    materials: MaterialSettings = MaterialSettings()
    conduct: ConductSettings = ConductSettings()
    threads: ThreadSettings = ThreadSettings()
    delivery: DeliverySettings = DeliverySettings()
    webhook: WebhookSettings = WebhookSettings()
    ops: OpsSettings = OpsSettings()
    redis: RedisSettings = RedisSettings()

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("survey_key")
    @classmethod
    def _valid_survey_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            decode_key(value.get_secret_value())
        return value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("time_zone")
    @classmethod
    def _known_time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("is not an IANA time zone such as Europe/Moscow") from None
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("sqlite") and "+aiosqlite" not in value:
            raise ValueError("must use the async driver: sqlite+aiosqlite:///path.db")
        if value.startswith("postgresql") and "+asyncpg" not in value:
            raise ValueError("must use the async driver: postgresql+asyncpg://user@host/db")
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite+aiosqlite:// or postgresql+asyncpg:// URL")
        return value


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


def describe_validation_error(error: ValidationError) -> str:
    first = error.errors()[0]
    field = "__".join(str(part) for part in first["loc"] if not isinstance(part, int))
    message = first["msg"].removeprefix("Value error, ")
    return f"setting METODSET_{field.upper()}: {message[:1].lower()}{message[1:]}"


def load_settings(**overrides: Any) -> Settings:
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None
    except PydanticSettingsError as error:
        raise SettingsError(f"settings could not be read: {error}") from None
