"""The sanctions ladder and flood control: plain policy, no Telegram and no database.

A community configures its ladder (seed 003 §7.2 leaves the measures to the community):
warnings expire after a period; enough active warnings bring a mute for a while; a
member muted often enough in that period is banned. Moderators can skip steps, and an
admin can lift any sanction.
"""

from collections import defaultdict, deque
from dataclasses import asdict, dataclass, fields
from datetime import timedelta
from enum import StrEnum


class Step(StrEnum):
    WARN = "warn"
    MUTE = "mute"
    BAN = "ban"


@dataclass(frozen=True, slots=True)
class Ladder:
    warnings_to_mute: int = 3  # active warnings that bring a mute
    warning_days: int = 30  # a warning counts for this long
    mute_hours: int = 24
    mutes_to_ban: int = 3  # the mute that would be this one within warning_days is a ban
    flood_messages: int = 8  # more messages than this ...
    flood_seconds: int = 15  # ... within this window is a flood
    flood_mute_minutes: int = 30
    new_member_messages: int = 3  # a newcomer's first messages with links are held

    LIMITS = {  # noqa: RUF012 - bounds an admin's edit must respect
        "warnings_to_mute": (1, 20),
        "warning_days": (1, 365),
        "mute_hours": (1, 24 * 30),
        "mutes_to_ban": (1, 20),
        "flood_messages": (2, 100),
        "flood_seconds": (2, 600),
        "flood_mute_minutes": (1, 24 * 60),
        "new_member_messages": (0, 50),
    }

    @classmethod
    def from_settings(cls, data: dict[str, object] | None) -> "Ladder":
        """A community's stored overrides; unknown keys and values out of bounds are ignored."""
        values: dict[str, int] = {}
        for field in fields(cls):
            raw = (data or {}).get(field.name)
            low, high = cls.LIMITS[field.name]
            if isinstance(raw, int) and low <= raw <= high:
                values[field.name] = raw
        return cls(**values)

    def with_value(self, name: str, value: int) -> "Ladder":
        if name not in self.LIMITS:
            raise ValueError(name)
        low, high = self.LIMITS[name]
        if not low <= value <= high:
            raise ValueError(f"{name} must be {low}..{high}")
        return Ladder(**{**asdict(self), name: value})

    def as_settings(self) -> dict[str, int]:
        return asdict(self)

    @property
    def warning_period(self) -> timedelta:
        return timedelta(days=self.warning_days)

    @property
    def mute_period(self) -> timedelta:
        return timedelta(hours=self.mute_hours)

    @property
    def flood_mute_period(self) -> timedelta:
        return timedelta(minutes=self.flood_mute_minutes)

    def after_warning(self, active_warnings: int, recent_mutes: int) -> Step:
        """What a new warning brings, counting it among ``active_warnings``."""
        if active_warnings < self.warnings_to_mute:
            return Step.WARN
        if recent_mutes + 1 >= self.mutes_to_ban:
            return Step.BAN
        return Step.MUTE


class Flood(StrEnum):
    OK = "ok"
    SLOW_DOWN = "slow_down"  # the first flood in a window: a warning
    MUTE = "mute"  # flooding again after the warning


class FloodGuard:
    """Counts each member's messages in a sliding window, per chat, in memory.

    One bot process owns a group's updates, so a process-local window is exact; it
    forgets everything on restart, which only forgives a flood in progress.
    """

    def __init__(self) -> None:
        self._recent: dict[tuple[int, int], deque[float]] = defaultdict(deque)
        self._warned_at: dict[tuple[int, int], float] = {}

    def message(self, chat_id: int, user_id: int, now: float, ladder: Ladder) -> Flood:
        key = (chat_id, user_id)
        window = self._recent[key]
        window.append(now)
        while window and window[0] <= now - ladder.flood_seconds:
            window.popleft()
        if len(window) <= ladder.flood_messages:
            return Flood.OK
        warned = self._warned_at.get(key)
        if warned is not None and now - warned <= ladder.flood_seconds * 4:
            window.clear()
            del self._warned_at[key]
            return Flood.MUTE
        self._warned_at[key] = now
        window.clear()
        return Flood.SLOW_DOWN
