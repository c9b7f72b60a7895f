"""Numbers typed by people or carried in button data.

``str.isdigit()`` accepts "²", "⁵" and "①", which ``int()`` then refuses; and a number of
twenty digits passes any digit check but overflows a BIGINT column. Everything a person or a
button sends is parsed here: ASCII digits only, within bounds, or None.
"""

# A BIGINT column (and SQLite's INTEGER) holds at most this.
DB_INT_MAX = 2**63 - 1
# Telegram ids (users, chats) are 52-bit; group chat ids are negative.
TELEGRAM_ID_MAX = 2**53
_DIGITS = frozenset("0123456789")


def is_ascii_number(text: str) -> bool:
    """Only the ten ASCII digits, at least one."""
    return bool(text) and _DIGITS.issuperset(text)


def parse_int(
    text: str | None,
    *,
    low: int = 0,
    high: int = DB_INT_MAX,
    signed: bool = False,
) -> int | None:
    """``text`` (surrounding spaces ignored) as an int in [low, high], or None: for a non-number,
    a Unicode digit, or a value out of range. ``signed`` allows a leading "-"."""
    if text is None:
        return None
    text = text.strip()
    digits = text[1:] if signed and text.startswith("-") else text
    # Twenty digits are already out of any range we use: refuse before int() does the work.
    if not is_ascii_number(digits) or len(digits) > 20:
        return None
    value = int(text)
    return value if low <= value <= high else None


def parse_id(text: str | None) -> int | None:
    """A row id: 1 .. the largest the database stores."""
    return parse_int(text, low=1)


def parse_telegram_id(text: str | None) -> int | None:
    """A Telegram user or chat id, possibly negative (groups)."""
    return parse_int(text, low=-TELEGRAM_ID_MAX, high=TELEGRAM_ID_MAX, signed=True)
