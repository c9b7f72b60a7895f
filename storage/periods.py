"""Report periods: whole local days in one time zone, turned into UTC bounds for the queries.

A period is what a coordinator picks ("last month", "the academic year", 01.09.2026–
31.12.2026) in their own zone: it starts at local midnight of its first day and ends at
local midnight after its last day, so a publication at 23:30 on the 31st in Yekaterinburg
belongs to that month for a coordinator there, whatever the UTC date says.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from storage.errors import InvalidState

LONGEST = timedelta(days=3 * 366)  # a typed range longer than three years is a typo
ACADEMIC_YEAR_STARTS = 9  # September (seed 004: the plan of work runs September–August)


class Preset(StrEnum):
    THIS_MONTH = "tm"
    LAST_MONTH = "lm"
    QUARTER = "q"  # the calendar quarter so far
    ACADEMIC_YEAR = "ay"  # September 1st to August 31st, the one today is in
    TYPED = "d"  # dates the person typed


@dataclass(frozen=True)
class Period:
    first: date  # the first day, local, inclusive
    last: date  # the last day, local, inclusive
    zone: str  # IANA name, e.g. "Asia/Yekaterinburg"

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidState("report-period-reversed")
        if self.last - self.first > LONGEST:
            raise InvalidState("report-period-too-long", years=3)

    @property
    def start(self) -> datetime:
        """Local midnight of the first day, in UTC (aware)."""
        return _midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """Local midnight after the last day, in UTC (aware); the bound is exclusive."""
        return _midnight(self.last + timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> "Period":
        """The period of the same number of days just before this one."""
        last = self.first - timedelta(days=1)
        return Period(last - timedelta(days=self.days - 1), last, self.zone)

    def weeks(self) -> list[tuple[datetime, datetime]]:
        """Seven-day slices from the first day (the last one may be shorter), in UTC."""
        slices = []
        day = self.first
        while day <= self.last:
            following = min(day + timedelta(days=7), self.last + timedelta(days=1))
            slices.append((_midnight(day, self.zone), _midnight(following, self.zone)))
            day = following
        return slices


def _midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(), ZoneInfo(zone)).astimezone(UTC)


def preset_period(preset: Preset, today: date, zone: str) -> Period:
    """The period a preset names, seen from ``today`` in ``zone``; periods that run up to
    now end today."""
    if preset is Preset.THIS_MONTH:
        return Period(today.replace(day=1), today, zone)
    if preset is Preset.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, zone)
    if preset is Preset.QUARTER:
        first_month = (today.month - 1) // 3 * 3 + 1
        return Period(today.replace(month=first_month, day=1), today, zone)
    if preset is Preset.ACADEMIC_YEAR:
        year = today.year if today.month >= ACADEMIC_YEAR_STARTS else today.year - 1
        return Period(date(year, ACADEMIC_YEAR_STARTS, 1), today, zone)
    raise ValueError(f"{preset} needs typed dates")


def academic_year(today: date, zone: str) -> Period:
    """The whole academic year today is in, September 1st to August 31st (the plan of work)."""
    year = today.year if today.month >= ACADEMIC_YEAR_STARTS else today.year - 1
    return Period(date(year, ACADEMIC_YEAR_STARTS, 1), date(year + 1, 8, 31), zone)
