"""Dates and times as people type and read them: in their own time zone, the way a Russian
teacher writes them (25.12.2026 15:00). Shared by events, broadcasts, report deadlines and
surveys."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram.types import Message

from bot.config import Settings
from bot.i18n import Translator
from storage.clock import as_utc
from storage.errors import InvalidState
from storage.models import User

# A day as people write it: 25.12, 25.12.2026, 25.12.26, 25/12/2026. Every dialog reads days
# with this one pattern, so what one accepts the others accept too.
_DAY = r"(\d{1,2})([./])(\d{1,2})(?:\2(\d{4}|\d{2}))?"
_WHEN = re.compile(rf"^{_DAY}\s+(\d{{1,2}}):(\d{{2}})(?:\s+(\S+))?$")
_DATE = re.compile(rf"^{_DAY}$")
# The answers of parse_date: (a bad format, a day that does not exist, a past day).
DAY_ERRORS = ("event-day-format", "event-date-invalid", "event-date-past")


def zone_of(user: User, settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.time_zone)


def _day(day: str, month: str, year: str | None, today: date) -> date:
    """The calendar day typed; without a year, the nearest such day from ``today`` on (in
    December "15.01" is next January). ValueError for a day the calendar lacks."""
    if year is not None:
        return date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
    try:
        value = date(today.year, int(month), int(day))
    except ValueError:  # 29.02 in a common year: perhaps next year has it
        return date(today.year + 1, int(month), int(day))
    return value if value >= today else date(today.year + 1, int(month), int(day))


def parse_when(text: str, zone: ZoneInfo, now: datetime, past: str = "event-date-past") -> datetime:
    """ "25.12.2026 15:00", "25.12 15:00" (any form of the day that parse_date takes),
    optionally with a time zone: … Asia/Omsk. ``past`` is the answer to a moment gone by,
    in the words of what is being planned."""
    match = _WHEN.match(" ".join(text.split()))
    if match is None:
        raise InvalidState("event-date-format")
    day, _, month, year, hour, minute, zone_name = match.groups()
    if zone_name:
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidState("event-zone-unknown", zone=zone_name) from None
    try:
        local = datetime.combine(
            _day(day, month, year, now.astimezone(zone).date()),
            time(int(hour), int(minute)),
            tzinfo=zone,
        )
    except ValueError:
        raise InvalidState("event-date-invalid") from None
    moment = local.astimezone(now.tzinfo)
    if moment <= now:
        raise InvalidState(past)
    return moment


def parse_date(text: str, today: date, errors: tuple[str, str, str] = DAY_ERRORS) -> date:
    """ "25.12.2026", "25.12.26", "25/12/2026" or "25.12" (the nearest 25 December): a
    calendar day not before ``today``."""
    bad_format, no_such_day, past = errors
    match = _DATE.match(text.strip())
    if match is None:
        raise InvalidState(bad_format)
    day, _, month, year = match.groups()
    try:
        value = _day(day, month, year, today)
    except ValueError:
        raise InvalidState(no_such_day) from None
    if value < today:
        raise InvalidState(past)
    return value


_DAYS_IN_TEXT = re.compile(rf"(?<![\d.]){_DAY}(?!\d)")


def _past_day(day: str, month: str, year: str | None, today: date) -> date:
    """A day typed for a report: without a year, the latest such day up to ``today``."""
    if year is not None:
        return date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
    value = date(today.year, int(month), int(day))
    return value if value <= today else date(today.year - 1, int(month), int(day))


def parse_date_range(text: str, today: date) -> tuple[date, date]:
    """Two days in any form parse_date takes, whatever stands around them: "01.09.2026 –
    31.12.2026", "с 1.09 по 31.12", "01/09/26 31/12/26". A day without a year is the
    latest such day up to ``today`` (reports look back)."""
    found = [m.groups() for m in _DAYS_IN_TEXT.finditer(text)]
    if len(found) != 2:
        raise InvalidState("report-dates-format")
    try:
        first, last = (_past_day(d, m, y, today) for d, _, m, y in found)
        if last < first and found[1][3] is None:  # "1.09 – 31.12": the same year's December
            last = last.replace(year=first.year)
    except ValueError:
        raise InvalidState("report-date-invalid") from None
    return first, last


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


MOSCOW = ZoneInfo("Europe/Moscow")


def zone_label(t: Translator, zone: ZoneInfo, at: datetime) -> str:
    """Russia reads zones against Moscow: "МСК", "МСК+2"; any other zone by its name."""
    local = as_utc(at).astimezone(zone).utcoffset()
    moscow = as_utc(at).astimezone(MOSCOW).utcoffset()
    # an aware moment always has an offset
    assert local is not None
    assert moscow is not None
    hours, rest = divmod(int((local - moscow).total_seconds()), 3600)
    if rest or not -1 <= hours <= 9:
        return zone.key
    if hours == 0:
        return t("time-zone-msk")
    return t("time-zone-msk-offset", offset=f"+{hours}" if hours > 0 else f"−{-hours}")


def moment_text(moment: datetime | None, zone: ZoneInfo, t: Translator) -> str:
    """ "25.12.2026 15:00 (МСК+2)": in the reader's zone, named as Russia reads it."""
    if moment is None:
        return ""
    return f"{as_utc(moment).astimezone(zone):%d.%m.%Y %H:%M} ({zone_label(t, zone, moment)})"


def short_moment(moment: datetime, zone: ZoneInfo) -> str:
    """ "25.12.2026 15:00", when the zone goes without saying."""
    return f"{as_utc(moment).astimezone(zone):%d.%m.%Y %H:%M}"


# Russia's eleven time zones, west to east.
TIME_ZONES = (
    "Europe/Kaliningrad",
    "Europe/Moscow",
    "Europe/Samara",
    "Asia/Yekaterinburg",
    "Asia/Omsk",
    "Asia/Krasnoyarsk",
    "Asia/Irkutsk",
    "Asia/Yakutsk",
    "Asia/Vladivostok",
    "Asia/Magadan",
    "Asia/Kamchatka",
)


def zone_name(i18n: Translator, zone: str) -> str:
    """A zone as the picker names it ("Екатеринбург (МСК+2)"); others by their IANA name."""
    if zone in TIME_ZONES:
        return i18n(f"tz-{zone.split('/')[1].lower()}")
    return zone


def group_zone(settings: Settings) -> ZoneInfo:
    """A group has many readers: its times are the network's zone, named."""
    return ZoneInfo(settings.time_zone)
