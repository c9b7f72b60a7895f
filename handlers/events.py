"""Events for members and organisers: /events, the event card with "I'll come" /
"Can't come", a waiting list, an .ics file; the organiser's edit and reschedule (those
coming are told what changed), a message to those coming, the list as CSV, cancelling
one date or a whole series. The dialog that creates events is handlers/event_form.py.

Everything sent to many people goes through the delivery outbox: the announcement, the
reminders of those coming (dropped if they fall due after the start), notices of changes.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from aiogram import Bot, F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, Message
from dateutil import rrule

from bot.callbacks import EventAction, EventCallback, EventField
from bot.config import Settings
from bot.dates import moment_text, read_moment, short_moment, zone_name, zone_of
from bot.documents.tables import csv_bytes
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder, clamp_page, pager_row, pages_for, paired_rows
from handlers.common import show
from notices.events import (
    ask_for_attendance,
    event_lines,
    invite_audience,
    queue_reminders,
    tell_changes,
    when_text,
    withdraw_attendance_ask,
)
from notices.texts import person
from storage.clock import as_utc
from storage.enums import EventStatus, Recurrence, RsvpStatus
from storage.errors import InvalidState, PermissionDenied
from storage.limits import EVENT_MESSAGE, EVENT_PLACE, EVENT_TITLE
from storage.models import Event, User
from storage.numbers import parse_int
from storage.repositories import Repo
from storage.repositories.events import series_rule

EDIT_FIELDS = ("title", "when", "duration", "place")


class EventEdit(StatesGroup):
    value = State()


class EventMessage(StatesGroup):
    text = State()
    confirm = State()


def setup() -> Router:
    router = Router(name="events")
    router.message.register(cmd_events, Command("events"))
    router.callback_query.register(
        cq_event, EventCallback.filter(F.action.in_(MEMBER_ACTIONS | ORGANISER_ACTIONS.keys()))
    )
    router.message.register(on_edit_value, EventEdit.value, F.text)
    router.message.register(on_message_text, EventMessage.text, F.text)
    return router


# --- rendering -------------------------------------------------------------------------------


DURATION_MAX = 7 * 24 * 60  # minutes: a week-long methodical week at most


def valid_duration(text: str) -> int | None:
    return parse_int(text, low=5, high=DURATION_MAX)


def valid_place(text: str) -> str | None:
    return EVENT_PLACE.cleaned(text)


def reminders_text(i18n: Translator, minutes: list[int]) -> str:
    if not minutes:
        return i18n("event-reminders-none")
    return ", ".join(
        i18n("event-reminder-before", minutes=m) for m in sorted(minutes, reverse=True)
    )


# --- the card ----------------------------------------------------------------------------------


MEMBER_LABELS = {
    EventAction.GOING: "event-going-button",
    EventAction.NOT_GOING: "event-not-going-button",
    EventAction.ICS: "event-ics-button",
}
ORGANISER_LABELS = {
    EventAction.ATTENDANCE: "event-attendance-button",
    EventAction.ATTENDEES: "event-attendees-button",
    EventAction.EDIT: "event-edit-button",
    EventAction.MESSAGE: "event-message-button",
    EventAction.CANCEL: "event-cancel-button",
}


async def render_event(repo: Repo, i18n: Translator, user: User, event: Event, settings: Settings):
    zone = zone_of(user, settings)
    going = await repo.events.count(event, RsvpStatus.GOING)
    waiting = await repo.events.count(event, RsvpStatus.WAITING)
    answer = await repo.events.answer(event, user)
    lines = event_lines(i18n, event, zone)
    lines.append(
        i18n("event-card-going", going=going, capacity=event.capacity or "∞", waiting=waiting)
    )
    if event.status is EventStatus.CANCELLED:
        lines.append(i18n("event-card-cancelled"))
    elif answer is not None:
        lines.append(i18n(f"event-you-{answer.status.value}"))
    builder = InlineKeyboardBuilder()
    rows = []
    if event.status is EventStatus.PUBLISHED:
        # Once it has begun, answers and changes are refused: their buttons go, and the
        # organiser's first button is the attendance list.
        started = repo.events.has_begun(event)
        answers = [] if started else [EventAction.GOING, EventAction.NOT_GOING]
        for action in (*answers, EventAction.ICS):
            builder.button(text=i18n(MEMBER_LABELS[action]), callback_data=_data(action, event))
        rows = [1] if started else [2, 1]
        if await repo.events.is_organiser(event, user):
            if started:
                tools = [
                    EventAction.ATTENDANCE,
                    EventAction.ATTENDEES,
                    EventAction.MESSAGE,
                    EventAction.CANCEL,
                ]
                rows += [1, 1, 1, 1]
                if event.attendance_marked_at is not None:
                    lines.append(
                        i18n("event-card-attended", count=await repo.events.attended(event))
                    )
            else:
                tools = [
                    EventAction.ATTENDEES,
                    EventAction.EDIT,
                    EventAction.MESSAGE,  # a long label: a row of its own
                    EventAction.CANCEL,
                ]
                rows += [2, 1, 1]
            for action in tools:
                builder.button(
                    text=i18n(ORGANISER_LABELS[action]), callback_data=_data(action, event)
                )
    builder.button(text=i18n("events-back-button"), callback_data=_data(EventAction.LIST))
    builder.adjust(*rows, 1)
    return "\n".join(lines), builder.as_markup()


def _data(
    action: EventAction,
    event: Event | None = None,
    field: EventField | None = None,
    *,
    person: int | None = None,
    page: int = 0,
) -> EventCallback:
    return EventCallback(
        action=action, event_id=event.id if event else 0, field=field, person=person, page=page
    )


def _calendar() -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//metodset//RU")
    calendar.add("version", "2.0")
    return calendar


def _vevent(event: Event, uid: str, start: datetime, sequence: int) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", uid)
    item.add("sequence", sequence)  # calendars replace an older copy
    item.add("dtstamp", as_utc(event.updated_at))
    item.add("dtstart", start)
    item.add("dtend", start + timedelta(minutes=event.duration_minutes))
    item.add("summary", event.title)
    if event.place.startswith(("http://", "https://")):
        item.add("url", event.place)
    item.add("location", event.place)
    if event.description:
        item.add("description", event.description)
    return item


def ics_file(event: Event) -> bytes:
    """The event for the phone's calendar (RFC 5545, via the icalendar library)."""
    calendar = _calendar()
    item = _vevent(event, f"event-{event.id}@metodset", as_utc(event.starts_at), event.revision)
    if event.status is EventStatus.CANCELLED:
        item.add("status", "CANCELLED")
    calendar.add_component(item)
    return calendar.to_ical()


_ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _ical_rule(local: datetime, recurrence: Recurrence, until: datetime) -> dict:
    """The series' rule (storage.repositories.events.series_rule) in RFC 5545 words."""
    rule = series_rule(local.replace(tzinfo=None), recurrence)
    ical: dict = {"freq": "WEEKLY" if rule["freq"] == rrule.WEEKLY else "MONTHLY"}
    if rule.get("interval", 1) != 1:
        ical["interval"] = rule["interval"]
    if "byweekday" in rule:
        day = rule["byweekday"]
        ical["byday"] = f"{day.n}{_ICAL_WEEKDAYS[day.weekday]}"
    if "bymonthday" in rule:
        ical["bymonthday"] = rule["bymonthday"]
    ical["until"] = until.astimezone(UTC)  # with a TZID start, UNTIL is in UTC
    return ical


def series_ics(events: list[Event]) -> bytes:
    """A whole series as one repeating calendar entry: the series' rule from its first
    meeting, in the organiser's time zone (so 15:00 stays 15:00 across summer time), until
    its last meeting; cancelled meetings are EXDATEs; a meeting moved off the rule is an
    entry of its own. ``events``: every occurrence, in order (EventRepo.whole_series)."""
    head = events[0]
    zone = ZoneInfo(head.time_zone)
    first = as_utc(head.starts_at).astimezone(zone)
    last = as_utc(events[-1].starts_at).astimezone(zone)
    recurrence = Recurrence(head.recurrence)
    local = first.replace(tzinfo=None)
    ruled = [
        moment.replace(tzinfo=zone)
        for moment in rrule.rrule(
            dtstart=local,
            until=last.replace(tzinfo=None),
            **series_rule(local, recurrence),
        )
    ]
    if not ruled:
        return ics_file(head)
    meetings = {as_utc(e.starts_at): e for e in events if e.status is EventStatus.PUBLISHED}
    sequence = sum(e.revision for e in events) + sum(
        1 for e in events if e.status is EventStatus.CANCELLED
    )
    calendar = _calendar()
    item = _vevent(head, f"series-{head.series_id}@metodset", ruled[0], sequence)
    item["dtstamp"] = icalendar.vDDDTypes(max(as_utc(e.updated_at) for e in events))
    item.add("rrule", _ical_rule(ruled[0], recurrence, ruled[-1]))
    if skipped := [moment for moment in ruled if moment.astimezone(UTC) not in meetings]:
        item.add("exdate", skipped)
    calendar.add_component(item)
    on_rule = {moment.astimezone(UTC) for moment in ruled}
    for start, event in meetings.items():
        if start not in on_rule:  # moved, or a first meeting off the rule
            calendar.add_component(
                _vevent(event, f"event-{event.id}@metodset", start.astimezone(zone), event.revision)
            )
    calendar.add_missing_timezones(first_date=first.date(), last_date=last.date() + timedelta(1))
    return calendar.to_ical()


def ics_name(event: Event) -> str:
    """ "Заседание_МО_2026-12-15.ics": the title (letters and digits kept, Cyrillic too)
    and the meeting's day, so the file says what it is in the chat and the downloads."""
    stem = "_".join(re.findall(r"\w+", event.title, flags=re.UNICODE))[:60].strip("_")
    day = as_utc(event.starts_at).astimezone(ZoneInfo(event.time_zone))
    return f"{stem or 'event'}_{day:%Y-%m-%d}.ics"


def attendees_csv(i18n: Translator, rows, zone: ZoneInfo) -> bytes:
    """The organiser's list, as Excel with Russian settings opens it (bot/documents/tables.py)."""
    header = [
        i18n(f"event-csv-{column}")
        for column in ("name", "username", "organisation", "status", "answered", "attended")
    ]
    return csv_bytes(
        header,
        [
            [
                person(i18n, row.user),
                f"@{row.user.username}" if row.user.username else "",
                row.user.organisation.name if row.user.organisation else "",
                i18n(f"event-csv-status-{row.status.value}"),
                short_moment(row.updated_at, zone),
                # empty until the organiser marks who came
                ""
                if row.attended is None
                else i18n("event-csv-attended-yes" if row.attended else "event-csv-attended-no"),
            ]
            for row in rows
        ],
    )


# --- members -----------------------------------------------------------------------------------


async def cmd_events(
    message: Message, repo: Repo, user: User, i18n: Translator, settings: Settings
) -> None:
    text, markup = await render_list(repo, i18n, user, settings)
    await message.answer(text, reply_markup=markup)


async def render_list(repo: Repo, i18n: Translator, user: User, settings: Settings):
    """A numbered list in the text (whole titles, the date, the kind and where) with a row of
    number buttons: a title in a button is cut at a phone's width. Under it, for an
    organiser, their events of the last week, to mark who came."""
    listing = await repo.events.upcoming(user)
    if not listing.upcoming and not listing.finished:
        return i18n("events-none"), None
    zone = zone_of(user, settings)
    entries = [
        i18n("events-title", count=len(listing.upcoming))
        if listing.upcoming
        else i18n("events-none")
    ]
    builder = InlineKeyboardBuilder()
    for number, event in enumerate([*listing.upcoming, *listing.finished], start=1):
        if number == len(listing.upcoming) + 1:
            entries.append(i18n("events-finished-title"))
        entries.append(
            i18n(
                "events-entry",
                number=number,
                title=html.quote(event.title),
                when=short_moment(event.starts_at, zone),
                kind=i18n(f"event-kind-{event.kind.value}"),
                where=html.quote(event.community.title)
                if event.community
                else i18n("event-network"),
                repeats="yes" if event.series_id else "no",
            )
        )
        builder.button(text=str(number), callback_data=_data(EventAction.OPEN, event))
    builder.adjust(5)
    return "\n\n".join(entries), builder.as_markup()


async def cq_event(
    callback: CallbackQuery,
    callback_data: EventCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    i18n_hub: I18n,
    settings: Settings,
    state: FSMContext,
    bot: Bot,
    callback_answer,
) -> None:
    action = callback_data.action
    if action is EventAction.LIST:
        await show(callback, *await render_list(repo, i18n, user, settings))
        return
    event = await repo.events.get(callback_data.event_id)
    if action in ORGANISER_ACTIONS:
        if not await repo.events.is_organiser(event, user):
            raise PermissionDenied()
        done = await ORGANISER_ACTIONS[action](
            callback, callback_data, event, repo, user, i18n, i18n_hub, state, settings
        )
        if done:
            callback_answer.text = done
        else:
            return
    elif action in (EventAction.GOING, EventAction.NOT_GOING):
        status, promoted = await repo.events.rsvp(event, user, action is EventAction.GOING)
        await queue_reminders(repo, i18n_hub, event, user, status, settings)
        if promoted is not None:
            await queue_reminders(repo, i18n_hub, event, promoted, RsvpStatus.GOING, settings)
            t = i18n_hub.for_user(promoted)
            await repo.outbox.enqueue(
                f"event:{event.id}:promoted:{promoted.id}",
                promoted.telegram_id,
                t("event-promoted", title=event.title),
                user=promoted,
                urgent=True,
            )
        callback_answer.text = i18n(f"event-you-{status.value}")
    elif action is EventAction.ICS:
        series = await repo.events.whole_series(event)
        content = series_ics(series) if len(series) > 1 else ics_file(event)
        if isinstance(callback.message, Message):
            await callback.message.answer_document(
                BufferedInputFile(content, filename=ics_name(event))
            )
        return
    text, markup = await render_event(repo, i18n, user, event, settings)
    await show(callback, text, markup)


async def announce(
    target: Message,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    user: User,
    events: list[Event],
    settings: Settings,
    *,
    at: datetime | None = None,
) -> None:
    """One outbox batch to the audience, each in their own time zone and language; the
    organiser's progress message is edited in place. A series is announced once."""
    event = events[0]
    await repo.events.with_community(event)
    batch = await repo.outbox.new_batch(
        "event", event.title, sender_chat_id=user.telegram_id, locale=i18n.locale
    )
    await repo.events.announced_in(events, batch)
    audience = await repo.events.audience(event)
    zone = zone_of(user, settings)
    key = "event-published-later" if at else "event-published"
    progress = await target.answer(
        i18n(
            key,
            count=len(audience),
            occurrences=len(events),
            when=moment_text(at, zone, i18n) if at else "",
        )
    )
    await repo.outbox.show_progress(batch, progress.message_id)
    await invite_audience(repo, i18n_hub, events, batch, settings, at)
    await ask_for_attendance(repo, i18n_hub, events)


# --- the organiser's tools -------------------------------------------------------------------


async def _attendees(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    rows = await repo.events.attendees(event)
    lines = [i18n("event-attendees-title", title=event.title)]
    lines += [
        i18n(f"event-attendee-{row.status.value}", name=person(i18n, row.user)) for row in rows
    ] or [i18n("event-attendees-none")]
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("event-csv-button"), callback_data=_data(EventAction.CSV, event))
    await callback.message.answer("\n".join(lines), reply_markup=builder.as_markup())


ATTENDANCE_PAGE = 8  # people a page: the list and its buttons fit a phone's screen


def attendance_view(i18n: Translator, event: Event, rows, page: int):
    """The attendance list: a button per person, ☑️ present or ⬜ absent, tapped to switch."""
    present = sum(1 for row in rows if row.attended)
    lines = [i18n("event-attendance-title", title=event.title)]
    lines.append(
        i18n("event-attendance-count", present=present, total=len(rows))
        if rows
        else i18n("event-attendance-nobody")
    )
    builder = InlineKeyboardBuilder()
    pages = pages_for(len(rows), ATTENDANCE_PAGE)
    page = clamp_page(page, pages)
    for row in rows[page * ATTENDANCE_PAGE : (page + 1) * ATTENDANCE_PAGE]:
        # Button texts are plain: the name goes in as it is, not through HTML escaping.
        builder.button(
            text=f"{'☑️' if row.attended else '⬜'} {person(i18n, row.user)}",
            callback_data=_data(EventAction.ATTEND, event, person=row.user_id, page=page),
        )
    builder.adjust(1)
    pager = pager_row(
        i18n, page, pages, lambda p: _data(EventAction.ATTENDANCE, event, page=p).pack()
    )
    if pager:
        builder.row(*pager)
    builder.row(
        InlineKeyboardButton(
            text=i18n("event-attendance-done"), callback_data=_data(EventAction.OPEN, event).pack()
        )
    )
    return "\n".join(lines), builder.as_markup()


async def _attendance(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    rows = await repo.events.attendance(event, user)
    await withdraw_attendance_ask(repo, event)
    await show(callback, *attendance_view(i18n, event, rows, data.page))


async def _attend(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    if data.person is None:
        raise InvalidState("error-stale-button")
    rows = await repo.events.mark_attended(event, user, data.person)
    await show(callback, *attendance_view(i18n, event, rows, data.page))


async def _csv(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    rows = await repo.events.answers(event)
    await repo.audit.record(user, "event.export", "event", event.id, rows=len(rows))
    await callback.message.answer_document(
        BufferedInputFile(
            attendees_csv(i18n, rows, zone_of(user, settings)),
            filename=f"event-{event.id}-attendees.csv",
        ),
        caption=i18n("event-csv-caption", title=event.title, count=len(rows)),
    )


async def _cancel(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    if event.series_id is not None and len(await repo.events.series(event)) > 1:
        builder = InlineKeyboardBuilder()
        builder.button(
            text=i18n("event-cancel-one-button"), callback_data=_data(EventAction.CANCEL_ONE, event)
        )
        builder.button(
            text=i18n("event-cancel-series-button"),
            callback_data=_data(EventAction.CANCEL_SERIES, event),
        )
        builder.adjust(1)
        await callback.message.answer(i18n("event-cancel-which"), reply_markup=builder.as_markup())
        return None
    return await _cancel_events(event, repo, user, i18n, i18n_hub, whole_series=False)


async def _cancel_one(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    return await _cancel_events(event, repo, user, i18n, i18n_hub, whole_series=False)


async def _cancel_series(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    return await _cancel_events(event, repo, user, i18n, i18n_hub, whole_series=True)


async def _cancel_events(event, repo, user, i18n, i18n_hub, *, whole_series: bool) -> str:
    """Pending announcements and reminders are withdrawn; those coming are told."""
    cancelled = await repo.events.cancel(event, user, whole_series=whole_series)
    for each in cancelled:
        await repo.outbox.cancel_keys(f"event:{each.id}:")
        for row in await repo.events.attendees(each):
            t = i18n_hub.for_user(row.user)
            await repo.outbox.enqueue(
                f"event:{each.id}:cancelled:{row.user_id}",
                row.user.telegram_id,
                t(
                    "event-cancelled-notice",
                    title=each.title,
                    when=when_text(each, ZoneInfo(each.time_zone), t),
                ),
                user=row.user,
                urgent=True,
            )
    return i18n("event-cancelled-done", count=len(cancelled))


async def _edit(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    builder = InlineKeyboardBuilder()
    labels = [i18n(f"event-edit-{field}") for field in EDIT_FIELDS]
    for field, label in zip(EDIT_FIELDS, labels, strict=True):
        builder.button(
            text=label, callback_data=_data(EventAction.EDIT_FIELD, event, EventField(field))
        )
    builder.adjust(*paired_rows(labels))
    await callback.message.answer(i18n("event-edit-which"), reply_markup=builder.as_markup())


async def _edit_field(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    if data.field not in EDIT_FIELDS:
        raise InvalidState("error-stale-button")
    await state.set_state(EventEdit.value)
    await state.set_data({"event_id": event.id, "field": data.field.value})
    zone = zone_of(user, settings)
    await callback.message.answer(
        i18n(f"event-edit-ask-{data.field.value}", zone=zone_name(i18n, zone.key))
    )


async def on_edit_value(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    i18n_hub: I18n,
    settings: Settings,
) -> None:
    data = await state.get_data()
    event = await repo.events.get(data["event_id"])
    field, text = data["field"], message.text or ""
    if field == "title":
        value = EVENT_TITLE.cleaned(text)
        if value is None:
            await message.answer(i18n("event-title-length", max=EVENT_TITLE.high))
            return
        change: dict[str, object] = {"title": value}
    elif field == "when":
        if (moment := await read_moment(message, i18n, user, settings, repo.clock())) is None:
            return
        change = {"starts_at": moment}
    elif field == "duration":
        if (minutes := valid_duration(text)) is None:
            await message.answer(i18n("event-duration-invalid"))
            return
        change = {"duration_minutes": minutes}
    else:
        if (place := valid_place(text)) is None:
            await message.answer(i18n("event-place-length", max=500))
            return
        change = {"place": place}
    changed = await repo.events.update(event, user, **change)
    await state.clear()
    told = await tell_changes(repo, i18n_hub, event, changed, settings) if changed else 0
    if {"starts_at", "duration_minutes"} & changed.keys():
        await ask_for_attendance(repo, i18n_hub, [event])  # at the new end
    await message.answer(i18n("event-edit-done" if changed else "event-edit-same", count=told))
    text, markup = await render_event(repo, i18n, user, event, settings)
    await message.answer(text, reply_markup=markup)


async def _message(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    await state.set_state(EventMessage.text)
    await state.set_data({"event_id": event.id})
    count = len(await repo.events.attendees(event))
    await callback.message.answer(i18n("event-message-ask", count=count, max=EVENT_MESSAGE.high))


async def on_message_text(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    text = EVENT_MESSAGE.cleaned(message.text, one_line=False)
    if text is None:
        await message.answer(i18n("event-message-length", max=EVENT_MESSAGE.high))
        return
    data = await state.get_data()
    event = await repo.events.get(data["event_id"])
    if not await repo.events.is_organiser(event, user):
        raise PermissionDenied()
    await state.update_data(text=text)
    await state.set_state(EventMessage.confirm)
    count = len(await repo.events.attendees(event))
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("event-message-send-button", count=count),
        callback_data=_data(EventAction.MESSAGE_SEND, event),
    )
    await message.answer(
        i18n("event-message-preview", title=event.title, count=count, text=text),
        reply_markup=builder.as_markup(),
    )


async def _message_send(callback, data, event, repo, user, i18n, i18n_hub, state, settings):
    form = await state.get_data()
    if await state.get_state() != EventMessage.confirm.state or form.get("event_id") != event.id:
        raise InvalidState("error-stale-button")
    await state.clear()
    rows = await repo.events.attendees(event)
    batch = await repo.outbox.new_batch(
        "event-message", event.title, sender_chat_id=user.telegram_id, locale=i18n.locale
    )
    for row in rows:
        t = i18n_hub.for_user(row.user)
        await repo.outbox.enqueue(
            f"event:{event.id}:message:{batch.id}:{row.user_id}",
            row.user.telegram_id,
            t("event-message-to-attendee", title=event.title, text=form["text"]),
            user=row.user,
            batch=batch,
        )
    progress = await callback.message.answer(i18n("event-message-queued", count=len(rows)))
    await repo.outbox.show_progress(batch, progress.message_id)


MEMBER_ACTIONS = {
    EventAction.LIST,
    EventAction.OPEN,
    EventAction.GOING,
    EventAction.NOT_GOING,
    EventAction.ICS,
}
ORGANISER_ACTIONS = {
    EventAction.ATTENDEES: _attendees,
    EventAction.CSV: _csv,
    EventAction.CANCEL: _cancel,
    EventAction.CANCEL_ONE: _cancel_one,
    EventAction.CANCEL_SERIES: _cancel_series,
    EventAction.EDIT: _edit,
    EventAction.EDIT_FIELD: _edit_field,
    EventAction.MESSAGE: _message,
    EventAction.MESSAGE_SEND: _message_send,
    EventAction.ATTENDANCE: _attendance,
    EventAction.ATTEND: _attend,
}
