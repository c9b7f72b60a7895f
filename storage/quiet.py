"""Quiet hours: non-urgent messages wait out each recipient's night, in their own zone.

Plain time arithmetic, shared by the delivery worker (which holds the messages back) and
the screens that queue messages (which say how many will wait, and until when).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Held:
    """How many messages wait for the morning, and the first and last of those mornings."""

    count: int = 0
    first: datetime | None = None
    last: datetime | None = None

    def __bool__(self) -> bool:
        return self.count > 0

    @classmethod
    def of(cls, mornings: Iterable[datetime | None]) -> "Held":
        found = [moment for moment in mornings if moment is not None]
        if not found:
            return cls()
        return cls(len(found), min(found), max(found))

    def until_text(self, zone: ZoneInfo, now: datetime) -> str:
        """ "08:00", or "08:00–10:00" when the recipients' mornings differ, in the reader's
        zone; with the date when the morning is not the coming one."""
        if self.first is None or self.last is None:
            return ""

        def one(moment: datetime) -> str:
            local = moment.astimezone(zone)
            if moment - now > timedelta(hours=24):
                return f"{local:%d.%m %H:%M}"
            return f"{local:%H:%M}"

        first, last = one(self.first), one(self.last)
        return first if first == last else f"{first}–{last}"


@dataclass(frozen=True, slots=True)
class QuietHours:
    start: time = time(22, 0)
    end: time = time(8, 0)
    default_zone: str = "Europe/Moscow"

    @classmethod
    def from_settings(cls, settings: Any) -> "QuietHours":
        return cls(
            start=settings.delivery.quiet_start,
            end=settings.delivery.quiet_end,
            default_zone=settings.time_zone,
        )

    @property
    def enabled(self) -> bool:
        return self.start != self.end

    def zone(self, zone_name: str | None) -> ZoneInfo:
        try:
            return ZoneInfo(zone_name or self.default_zone)
        except (KeyError, ValueError):
            return ZoneInfo(self.default_zone)

    def window(self, moment: datetime, zone_name: str | None) -> tuple[datetime, datetime] | None:
        """The quiet window around ``moment`` in the recipient's zone, or None outside one."""
        local = moment.astimezone(self.zone(zone_name))
        clock = local.time()
        if self.start <= self.end:  # a window within one day (an empty one when equal)
            quiet = self.start <= clock < self.end
        else:  # across midnight
            quiet = clock >= self.start or clock < self.end
        if not quiet:
            return None
        start = local.replace(
            hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0
        )
        if start > local:
            start -= timedelta(days=1)
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        return start.astimezone(moment.tzinfo), end.astimezone(moment.tzinfo)

    def next_allowed(self, now: datetime, zone_name: str | None) -> datetime | None:
        """None when a message may go now; else the moment the recipient's morning starts."""
        window = self.window(now, zone_name)
        return None if window is None else window[1]

    def held(self, zones: Iterable[str | None], at: datetime) -> Held:
        """Before queuing: of messages leaving at ``at`` to people in these zones, how many
        will wait for their morning, and until when."""
        return Held.of(self.next_allowed(at, zone) for zone in zones)

    def reminder_time(
        self, due: datetime, event_start: datetime, zone_name: str | None, now: datetime
    ) -> datetime:
        """When an event reminder goes. Outside the quiet hours: when due. Due inside them
        and the event later that same day: at the window's start, the evening before, so
        nobody is woken and nobody learns of an early event too late. Otherwise the
        reminder waits for the morning, like any non-urgent message."""
        window = self.window(due, zone_name)
        if window is None:
            return due
        start, end = window
        zone = self.zone(zone_name)
        if event_start.astimezone(zone).date() == due.astimezone(zone).date():
            return max(start, now)
        return min(end, event_start)
