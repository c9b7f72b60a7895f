"""Dates and times as people type and read them: in their own time zone, the way a Russian
teacher writes them (25.12.2026 15:00). Shared by events, broadcasts, report deadlines and
surveys."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram.types import Message

from bot.config import Settings
from bot.i18n import Translator
from storage.clock import as_utc
from storage.errors import InvalidState
from storage.models import User

_WHEN = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s+(\d{1,2}):(\d{2})(?:\s+(\S+))?$")
_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# The answers of parse_date: (a bad format, a day that does not exist, a past day).
DAY_ERRORS = ("event-day-format", "event-date-invalid", "event-date-past")


def zone_of(user: User, settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.time_zone)


def parse_when(text: str, zone: ZoneInfo, now: datetime, past: str = "event-date-past") -> datetime:
    """ "25.12.2026 15:00", "25.12 15:00", optionally with a time zone: … Asia/Omsk.
    ``past`` is the answer to a moment gone by, in the words of what is being planned."""
    match = _WHEN.match(" ".join(text.split()))
    if match is None:
        raise InvalidState("event-date-format")
    day, month, year, hour, minute, zone_name = match.groups()
    if zone_name:
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidState("event-zone-unknown", zone=zone_name) from None
    try:
        local = datetime(
            int(year or now.astimezone(zone).year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            tzinfo=zone,
        )
    except ValueError:
        raise InvalidState("event-date-invalid") from None
    moment = local.astimezone(now.tzinfo)
    if moment <= now:
        raise InvalidState(past)
    return moment


def parse_date(text: str, today: date, errors: tuple[str, str, str] = DAY_ERRORS) -> date:
    """ "25.05.2027": a calendar day not before ``today``."""
    bad_format, no_such_day, past = errors
    match = _DATE.match(text.strip())
    if match is None:
        raise InvalidState(bad_format)
    day, month, year = (int(part) for part in match.groups())
    try:
        value = date(year, month, day)
    except ValueError:
        raise InvalidState(no_such_day) from None
    if value < today:
        raise InvalidState(past)
    return value


async def read_moment(
    message: Message,
    i18n: Translator,
    user: User,
    settings: Settings,
    now: datetime,
    reply_markup=None,
    past: str = "event-date-past",
) -> datetime | None:
    """The moment the user typed, or None once they have been told what is wrong with it
    (the step stays; ``reply_markup`` is offered again with the answer)."""
    try:
        return parse_when(message.text or "", zone_of(user, settings), now, past)
    except InvalidState as error:
        await message.answer(i18n(error.key, **error.args_for_text), reply_markup=reply_markup)
        return None


def moment_text(moment: datetime, zone: ZoneInfo) -> str:
    """ "25.12.2026 15:00 (Europe/Moscow)"."""
    return f"{as_utc(moment).astimezone(zone):%d.%m.%Y %H:%M} ({zone.key})"


def short_moment(moment: datetime, zone: ZoneInfo) -> str:
    """ "25.12.2026 15:00", when the zone goes without saying."""
    return f"{as_utc(moment).astimezone(zone):%d.%m.%Y %H:%M}"
