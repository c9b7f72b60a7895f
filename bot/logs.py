"""What reaches the log: never the bot token, and an outage as one line, not a traceback storm.

The token is in every Bot API URL (``…/bot<token>/getMe``), so any error that quotes the
URL (a redirect loop, an unreachable server) would print it. ``RedactingFilter`` masks it
in the message, its arguments and the formatted traceback of every record that reaches
the handler it guards; ``redact`` does the same for text that is stored (the outbox's
``last_error``).
"""

import json
import logging
import re
from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime

from storage.db import database_unavailable, describe_database_error

MASK = "***"
# A token inside a Bot API URL, whatever its secret looks like: /bot<digits>:<secret>/...
_TOKEN_IN_URL = re.compile(r"(?<![A-Za-z0-9])bot(\d+):[^/\s'\"?#&)\]]+")
# A bare Telegram token: the bot id, a colon and a 35-character secret.
_BARE_TOKEN = re.compile(r"(?<![\w:])(\d{5,}):[A-Za-z0-9_-]{30,}(?![\w-])")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every bot token masked: the known ``secrets`` exactly, and anything
    shaped like a token (in a URL, or bare)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, _masked(secret))
    text = _TOKEN_IN_URL.sub(lambda m: f"bot{m.group(1)}:{MASK}", text)
    return _BARE_TOKEN.sub(lambda m: f"{m.group(1)}:{MASK}", text)


def _masked(secret: str) -> str:
    bot_id, colon, _ = secret.partition(":")
    return f"{bot_id}:{MASK}" if colon and bot_id.isdigit() else MASK


def one_line(error: BaseException) -> str:
    """An error's type and first line: what a log line or an operator needs."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


class RedactingFilter(logging.Filter):
    """Masks the token in a record's message, arguments, traceback and stack."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = {secret for secret in secrets if secret}

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.secrets)
        record.args = None
        if record.exc_info:
            # Format the traceback now, masked; the formatter then uses this text as it is.
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact(text, self.secrets)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def _chain(error: BaseException | None) -> Iterable[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


class DatabaseOutageFilter(logging.Filter):
    """A failure caused by the database being away (an update that arrived during an
    outage) is one line with the reason: its traceback says nothing the reason does not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info or record.exc_info[1] is None:
            return True
        cause = next((e for e in _chain(record.exc_info[1]) if database_unavailable(e)), None)
        if cause is not None:
            message = record.getMessage().splitlines()[0]
            record.msg = f"{message}: database unavailable: {describe_database_error(cause)}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class PollingOutageFilter(logging.Filter):
    """aiogram's polling logs two lines per failed getUpdates (the error, then "Sleep for
    … seconds") and retries every few seconds while the Bot API server is away. This keeps
    the first error of an outage and aiogram's "Connection established" when it ends.

    Installed on the ``aiogram.dispatcher`` logger; matches aiogram's format strings."""

    def __init__(self) -> None:
        super().__init__()
        self.failing = False

    def filter(self, record: logging.LogRecord) -> bool:
        template = str(record.msg)
        if template.startswith("Failed to fetch updates"):
            first = not self.failing
            self.failing = True
            return first
        if template.startswith("Sleep for "):
            return False
        if template.startswith("Connection established"):
            self.failing = False
        return True


# The update being handled, set by an outer middleware (bot/middlewares.py UpdateContext):
# every line logged while handling it names it.
current_update_id: ContextVar[int | None] = ContextVar("current_update_id", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector: time (UTC), level, logger, message,
    ``update_id`` while an update is handled, and the traceback as one string. Runs after
    the handler's filters, so the message and traceback are already masked."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        update_id = current_update_id.get()
        if update_id is not None:
            entry["update_id"] = update_id
        if record.exc_info:
            record.exc_text = record.exc_text or self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False)


HANDLER_NAME = "metodset"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def install(
    *,
    level: str | int,
    stream,
    secrets: Iterable[str] = (),
    json_lines: bool = False,
) -> logging.Handler:
    """The process's one log handler (replacing one installed before), guarded by both
    filters: outages collapsed first, then the token masked. ``json_lines``: one JSON
    object per line instead of text."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter() if json_lines else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(DatabaseOutageFilter())
    handler.addFilter(RedactingFilter(secrets))
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def add_secret(secret: str) -> None:
    """Mask one more token (the demo's) in what the installed handler writes."""
    for handler in logging.getLogger().handlers:
        for guard in handler.filters:
            if isinstance(guard, RedactingFilter):
                guard.secrets.add(secret)
