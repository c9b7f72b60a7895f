"""What the screens that queue messages say about the quiet hours: how many of the
messages will wait for their recipients' morning, and until when (in the sender's zone)."""

from collections.abc import Iterable
from datetime import datetime

from bot.config import Settings
from bot.dates import zone_of
from bot.i18n import Translator
from storage.models import User
from storage.quiet import QuietHours
from storage.repositories import Repo


def forecast_line(
    i18n: Translator,
    sender: User,
    settings: Settings,
    recipients: Iterable[User],
    at: datetime | None,
    now: datetime,
) -> str:
    """Before queuing: "🌙 12 of 40 are in their quiet hours…", or "" when none are."""
    zones = [person.time_zone for person in recipients]
    held = QuietHours.from_settings(settings).held(zones, at or now)
    if not held:
        return ""
    until = held.until_text(zone_of(sender, settings), now)
    return i18n("delivery-held-forecast", count=held.count, total=len(zones), until=until)


async def batch_line(
    repo: Repo, i18n: Translator, sender: User, settings: Settings, batch_id: int | None
) -> str:
    """Once queued: "⏸ 12 waiting for the morning: quiet hours until 08:00", or ""."""
    if batch_id is None:
        return ""
    now = repo.clock()
    held = await repo.outbox.held(batch_id, QuietHours.from_settings(settings), now)
    if not held:
        return ""
    until = held.until_text(zone_of(sender, settings), now)
    return i18n("delivery-held", count=held.count, until=until)
