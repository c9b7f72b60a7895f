"""What members hear of events: the announcement to the audience, reminders before the
start, and a notice when the organiser changes what they signed up for. All of it through
the delivery outbox, in each member's language and time zone."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import html

from bot.callbacks import EventAction, EventCallback
from bot.config import Settings
from bot.dates import moment_text, short_moment, zone_of
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from storage.clock import as_utc
from storage.enums import EventStatus, RsvpStatus
from storage.models import DeliveryBatch, Event, User
from storage.quiet import QuietHours
from storage.repositories import Repo
from storage.repositories.events import FINISHED_SHOWN, ends_at


def when_text(event: Event, zone: ZoneInfo, t: Translator) -> str:
    return moment_text(event.starts_at, zone, t)


def repeat_text(i18n: Translator, event: Event, zone: ZoneInfo) -> str:
    """ "every week, on Tuesdays"; empty for a one-off."""
    if not event.recurrence:
        return ""
    local = as_utc(event.starts_at).astimezone(zone)
    nth = (local.day - 1) // 7 + 1
    return i18n(
        f"event-repeat-{event.recurrence}",
        weekday=("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()],
        nth=("first", "second", "third", "fourth", "last")[min(nth, 5) - 1],
        day=min(local.day, 28),
    )


def event_lines(i18n: Translator, event: Event, zone: ZoneInfo) -> list[str]:
    """What every card, preview and announcement says of the event."""
    kind = i18n(f"event-kind-{event.kind.value}")
    lines = [
        # "Заседание МО: Заседание МО учителей физики" says the kind twice
        i18n("event-card-title-only", title=event.title)
        if event.title.casefold().startswith(kind.casefold())
        else i18n("event-card-title", kind=kind, title=event.title),
        i18n("event-card-when", when=when_text(event, zone, i18n), minutes=event.duration_minutes),
        i18n("event-card-where", place=event.place or "—"),
        i18n(
            "event-card-audience",
            audience=event.community.title if event.community else i18n("event-network"),
        ),
    ]
    if repeat := repeat_text(i18n, event, zone):
        lines.append(i18n("event-card-repeats", repeats=repeat))
    if event.registration_until:
        until = short_moment(event.registration_until, zone)
        lines.append(i18n("event-card-registration", until=until))
    if event.description:
        lines.append(html.quote(event.description))
    return lines


async def queue_reminders(
    repo: Repo, i18n_hub: I18n, event: Event, member: User, status: RsvpStatus, settings: Settings
) -> None:
    """Reminders for those coming; none for the others (pending ones are withdrawn). The
    key carries the event's revision: a rescheduled event's reminders are new rows."""
    prefix = f"event:{event.id}:remind:{member.id}:"
    await repo.outbox.cancel_keys(prefix)
    if status is not RsvpStatus.GOING or event.status is not EventStatus.PUBLISHED:
        return
    start = as_utc(event.starts_at)
    t = i18n_hub.for_user(member)
    quiet = QuietHours.from_settings(settings)
    for minutes in event.reminders:
        due = start - timedelta(minutes=minutes)
        if due <= repo.clock():
            continue
        # marked urgent: the worker sends it at the moment chosen here, quiet hours included
        due = quiet.reminder_time(due, start, member.time_zone, repo.clock())
        await repo.outbox.enqueue(
            f"{prefix}{event.revision}:{minutes}",
            member.telegram_id,
            t(
                "event-reminder",
                title=event.title,
                before=t("event-reminder-before", minutes=minutes),
                place=event.place or "—",
            ),
            user=member,
            urgent=True,
            not_before=due,
            expires_at=start,
        )


def invitation_text(t: Translator, events: list[Event], zone: ZoneInfo) -> str:
    """The invitation to an event or a series (announced once, for its first meeting)."""
    lines = [t("event-announcement-head"), *event_lines(t, events[0], zone)]
    if len(events) > 1:
        last = as_utc(events[-1].starts_at).astimezone(zone)
        lines.append(t("event-series-dates", count=len(events), last=f"{last:%d.%m.%Y}"))
    return "\n".join(lines)


async def tell_changes(
    repo: Repo,
    i18n_hub: I18n,
    event: Event,
    changed: dict[str, tuple[Any, Any]],
    settings: Settings,
) -> int:
    """Each one coming or waiting hears what changed, in their own time zone; reminders
    are queued again for the new time and text."""
    # Invitations still waiting for their time say what is true now.
    series = await repo.events.series(event) if event.series_id == event.id else [event]
    for pending in await repo.outbox.pending(f"event:{event.id}:announce:"):
        if pending.user is not None:
            t = i18n_hub.for_user(pending.user)
            pending.text = invitation_text(t, series, zone_of(pending.user, settings))
            pending.expires_at = as_utc(event.starts_at)
    rows = await repo.events.attendees(event)
    for row in rows:
        member = row.user
        t = i18n_hub.for_user(member)
        zone = zone_of(member, settings)
        lines = [t("event-changed-head", title=event.title)]
        for field, (before, after) in changed.items():
            if field == "starts_at":
                before, after = moment_text(before, zone, t), moment_text(after, zone, t)
            lines.append(t(f"event-changed-{field}", before=str(before), after=str(after)))
        builder = InlineKeyboardBuilder()
        builder.button(text=t("event-open-button"), callback_data=_open(event))
        await repo.outbox.enqueue(
            f"event:{event.id}:changed:{event.revision}:{member.id}",
            member.telegram_id,
            "\n".join(lines),
            user=member,
            markup=builder.as_markup().model_dump(exclude_none=True),
            urgent=True,
        )
        await queue_reminders(repo, i18n_hub, event, member, row.status, settings)
    return len(rows)


async def ask_for_attendance(repo: Repo, i18n_hub: I18n, events: list[Event]) -> None:
    """When each meeting ends, its organiser is asked to mark who came (what the network's
    reports count). Queued again when the time moves; a cancelled meeting's goes with the
    rest of its messages. Not urgent: a meeting that ends at night is asked about in the
    morning."""
    for event in events:
        organiser = event.creator
        if organiser is None:
            continue
        ends = ends_at(event)
        await withdraw_attendance_ask(repo, event)
        t = i18n_hub.for_user(organiser)
        builder = InlineKeyboardBuilder()
        builder.button(
            text=t("event-attendance-button"),
            callback_data=EventCallback(action=EventAction.ATTENDANCE, event_id=event.id),
        )
        await repo.outbox.enqueue(
            f"event:{event.id}:attendance:{event.revision}",
            organiser.telegram_id,
            t("event-attendance-ask", title=event.title),
            user=organiser,
            markup=builder.as_markup().model_dump(exclude_none=True),
            not_before=ends,
            expires_at=ends + FINISHED_SHOWN,
        )


async def withdraw_attendance_ask(repo: Repo, event: Event) -> None:
    """The organiser found the list (or the meeting moved): the pending ask goes."""
    await repo.outbox.cancel_keys(f"event:{event.id}:attendance:")


def _open(event: Event) -> EventCallback:
    return EventCallback(action=EventAction.OPEN, event_id=event.id)


async def invite_audience(
    repo: Repo,
    i18n_hub: I18n,
    events: list[Event],
    batch: DeliveryBatch,
    settings: Settings,
    at: datetime | None = None,
) -> None:
    """The announcement of an event or a series (once, for its first meeting) to each
    member of its audience, in one outbox batch, from ``at`` on."""
    event = events[0]
    for member in await repo.events.audience(event):
        t = i18n_hub.for_user(member)
        builder = InlineKeyboardBuilder()
        builder.button(text=t("event-open-button"), callback_data=_open(event))
        await repo.outbox.enqueue(
            f"event:{event.id}:announce:{member.id}",
            member.telegram_id,
            invitation_text(t, events, zone_of(member, settings)),
            user=member,
            markup=builder.as_markup().model_dump(exclude_none=True),
            batch=batch,
            not_before=at,
            expires_at=as_utc(event.starts_at),
        )
