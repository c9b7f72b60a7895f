"""Validation of ``reply_markup`` as Telegram checks it, and button look-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .errors import bad_request

INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
MAX_CALLBACK_DATA_BYTES = 64
MAX_INLINE_BUTTONS = 100  # Telegram refuses a bigger inline keyboard
URL_SCHEMES = ("http", "https", "tg")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")  # "host:8080" is no scheme

_MARKUP_JSON_ERROR = "can't parse reply keyboard markup JSON object"


@dataclass
class ParsedMarkup:
    inline: dict[str, Any] | None = None  # {"inline_keyboard": [...]}, empty ones dropped
    reply: dict[str, Any] | None = None  # ReplyKeyboardMarkup / ReplyKeyboardRemove / ForceReply
    given: bool = False


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _rows(value: Any) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request(_MARKUP_JSON_ERROR)
    return value


def parse_reply_markup(value: Any) -> ParsedMarkup:
    """Check a decoded ``reply_markup`` object; raises :class:`ApiError` like Telegram."""
    if value is None:
        return ParsedMarkup()
    if not isinstance(value, dict):
        raise bad_request(_MARKUP_JSON_ERROR)
    value = _clean(value)
    if "inline_keyboard" in value:
        rows = _rows(value["inline_keyboard"])
        clean_rows: list[list[dict[str, Any]]] = []
        for row in rows:
            clean_row = []
            for button in row:
                clean_row.append(_check_inline_button(button))
            if clean_row:
                clean_rows.append(clean_row)
        if sum(len(row) for row in clean_rows) > MAX_INLINE_BUTTONS:
            raise bad_request("REPLY_MARKUP_TOO_LONG")
        inline = {"inline_keyboard": clean_rows} if clean_rows else None
        return ParsedMarkup(inline=inline, given=True)
    if "keyboard" in value:
        rows = _rows(value["keyboard"])
        keyboard = []
        for row in rows:
            clean_row = []
            for button in row:
                if isinstance(button, str):
                    button = {"text": button}
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad_request(
                        'can\'t parse keyboard button: Field "text" must be of type String'
                    )
                if not button["text"]:
                    raise bad_request("BUTTON_TEXT_INVALID")
                clean_row.append(button)
            if clean_row:
                keyboard.append(clean_row)
        if not keyboard:
            raise bad_request("keyboard must be non-empty")
        reply = dict(value)
        reply["keyboard"] = keyboard
        return ParsedMarkup(reply=reply, given=True)
    if value.get("remove_keyboard"):
        return ParsedMarkup(reply={"remove_keyboard": True, **_selective(value)}, given=True)
    if value.get("force_reply"):
        reply = {"force_reply": True, **_selective(value)}
        if value.get("input_field_placeholder"):
            reply["input_field_placeholder"] = value["input_field_placeholder"]
        return ParsedMarkup(reply=reply, given=True)
    raise bad_request(_MARKUP_JSON_ERROR)


def _selective(value: dict[str, Any]) -> dict[str, Any]:
    return {"selective": True} if value.get("selective") else {}


def _check_inline_button(button: Any) -> dict[str, Any]:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            'can\'t parse inline keyboard button: Field "text" must be of type String'
        )
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    actions = [name for name in INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise bad_request(
                'can\'t parse inline keyboard button: Field "callback_data" must be of type String'
            )
        size = len(data.encode("utf-8"))
        if size == 0 or size > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _valid_url(url.strip()):
            raise bad_request("BUTTON_URL_INVALID")
    return button


def _valid_url(url: str) -> bool:
    """What Telegram opens from a button: http(s) to a host (a bare host is taken as
    http), or a tg:// link; other schemes (javascript:, file:, ftp:) are refused."""
    if not url or " " in url:
        return False
    if _SCHEME.match(url) is None:
        url = f"http://{url}"
    parts = urlsplit(url)
    return parts.scheme.lower() in URL_SCHEMES and bool(parts.netloc)


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    if not markup:
        return []
    return [button for row in markup.get("inline_keyboard", []) for button in row]


def find_inline_button(
    markup: dict[str, Any] | None, text: str | None = None, data: str | None = None
) -> dict[str, Any] | None:
    """A button by its callback data, else by its exact text, else by a text prefix."""
    buttons = inline_buttons(markup)
    if data is not None:
        for button in buttons:
            if button.get("callback_data") == data:
                return button
    if text is not None:
        for button in buttons:
            if button.get("text") == text:
                return button
        for button in buttons:
            if button.get("callback_data") == text:
                return button
        folded = text.casefold()
        for button in buttons:
            if button.get("text", "").casefold().startswith(folded):
                return button
    return None


def keyboard_texts(keyboard: dict[str, Any] | None) -> list[str]:
    if not keyboard or "keyboard" not in keyboard:
        return []
    return [button["text"] for row in keyboard["keyboard"] for button in row]
