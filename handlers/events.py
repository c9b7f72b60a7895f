"""Events: /new_event (a guided dialog with a preview), /events, the event card with
"I'll come" / "Can't come", a waiting list, an .ics file, and the organiser's tools.

The announcement goes to the audience through the delivery outbox, as do the reminders of
those who are coming (a day and an hour before, dropped if they fall due after the start).
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import EventAction, EventCallback
from bot.config import Settings
from bot.i18n import I18n, Translator
from handlers.common import person, show, translator_for
from storage.enums import EventKind, EventStatus, RsvpStatus
from storage.errors import InvalidState, PermissionDenied
from storage.models import Event, User
from storage.repositories import Repo

_WHEN = re.compile(r"^(\d{1,2})\.(\d{1,2})(?:\.(\d{4}))?\s+(\d{1,2}):(\d{2})(?:\s+(\S+))?$")
DURATION_MAX = 7 * 24 * 60
CAPACITY_MAX = 100_000
PLACE_MAX = 500


class EventForm(StatesGroup):
    title = State()
    when = State()
    duration = State()
    place = State()
    capacity = State()


def setup() -> Router:
    router = Router(name="events")
    router.message.register(cmd_events, Command("events"))
    router.message.register(cmd_new_event, Command("new_event"))
    router.callback_query.register(cq_event, EventCallback.filter())
    router.message.register(on_title, EventForm.title, F.text)
    router.message.register(on_when, EventForm.when, F.text)
    router.message.register(on_duration, EventForm.duration, F.text)
    router.message.register(on_place, EventForm.place, F.text)
    router.message.register(on_capacity, EventForm.capacity, F.text)
    return router


def zone_of(user: User, settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(user.time_zone or settings.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.time_zone)


def parse_when(text: str, zone: ZoneInfo, now: datetime) -> datetime:
    """ "25.12.2026 15:00", "25.12 15:00", optionally with a time zone: … Asia/Omsk."""
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
        raise InvalidState("event-date-past")
    return moment


def when_text(event: Event, zone: ZoneInfo) -> str:
    start = event.starts_at
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo("UTC"))
    local = start.astimezone(zone)
    return f"{local:%d.%m.%Y %H:%M} ({zone.key})"


# --- the card ----------------------------------------------------------------------------------


async def render_event(repo: Repo, i18n: Translator, user: User, event: Event, settings: Settings):
    zone = zone_of(user, settings)
    going = await repo.events.count(event, RsvpStatus.GOING)
    waiting = await repo.events.count(event, RsvpStatus.WAITING)
    answer = await repo.events.answer(event, user)
    lines = [
        i18n("event-card-title", kind=i18n(f"event-kind-{event.kind.value}"), title=event.title),
        i18n("event-card-when", when=when_text(event, zone), minutes=event.duration_minutes),
        i18n("event-card-where", place=event.place or "—"),
        i18n(
            "event-card-audience",
            audience=event.community.title if event.community else i18n("event-network"),
        ),
        i18n("event-card-going", going=going, capacity=event.capacity or "∞", waiting=waiting),
    ]
    if event.status is EventStatus.CANCELLED:
        lines.append(i18n("event-card-cancelled"))
    elif answer is not None:
        lines.append(i18n(f"event-you-{answer.status.value}"))
    builder = InlineKeyboardBuilder()
    if event.status is EventStatus.PUBLISHED:
        builder.button(
            text=i18n("event-going-button"),
            callback_data=EventCallback(action=EventAction.GOING, event_id=event.id),
        )
        builder.button(
            text=i18n("event-not-going-button"),
            callback_data=EventCallback(action=EventAction.NOT_GOING, event_id=event.id),
        )
        builder.button(
            text=i18n("event-ics-button"),
            callback_data=EventCallback(action=EventAction.ICS, event_id=event.id),
        )
        if event.creator_id == user.id or await repo.events.can_organise(user, event.community_id):
            builder.button(
                text=i18n("event-attendees-button"),
                callback_data=EventCallback(action=EventAction.ATTENDEES, event_id=event.id),
            )
            builder.button(
                text=i18n("event-cancel-button"),
                callback_data=EventCallback(action=EventAction.CANCEL, event_id=event.id),
            )
    builder.adjust(2, 1, 2)
    return "\n".join(lines), builder.as_markup()


def ics_file(event: Event) -> bytes:
    """The event for the phone's calendar (RFC 5545, via the icalendar library)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//metodset//RU")
    calendar.add("version", "2.0")
    item = icalendar.Event()
    start = event.starts_at
    if start.tzinfo is None:
        start = start.replace(tzinfo=ZoneInfo("UTC"))
    item.add("uid", f"event-{event.id}@metodset")
    item.add("dtstamp", event.updated_at if event.updated_at.tzinfo else start)
    item.add("dtstart", start)
    item.add("dtend", start + timedelta(minutes=event.duration_minutes))
    item.add("summary", event.title)
    if event.place.startswith(("http://", "https://")):
        item.add("url", event.place)
    item.add("location", event.place)
    if event.description:
        item.add("description", event.description)
    calendar.add_component(item)
    return calendar.to_ical()


# --- members -----------------------------------------------------------------------------------


async def cmd_events(
    message: Message, repo: Repo, user: User, i18n: Translator, settings: Settings
) -> None:
    events = await repo.events.upcoming(user)
    if not events:
        await message.answer(i18n("events-none"))
        return
    zone = zone_of(user, settings)
    builder = InlineKeyboardBuilder()
    for event in events:
        builder.button(
            text=i18n("events-item", when=when_text(event, zone)[:11], title=event.title),
            callback_data=EventCallback(action=EventAction.OPEN, event_id=event.id),
        )
    builder.adjust(1)
    await message.answer(i18n("events-title", count=len(events)), reply_markup=builder.as_markup())


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
    if action in NEW_EVENT_STEPS:
        await NEW_EVENT_STEPS[action](
            callback, callback_data, repo, user, i18n, state, settings, i18n_hub
        )
        return
    event = await repo.events.get(callback_data.event_id)
    if action in (EventAction.GOING, EventAction.NOT_GOING):
        status, promoted = await repo.events.rsvp(event, user, action is EventAction.GOING)
        await _reminders(repo, i18n_hub, event, user, status)
        if promoted is not None:
            await _reminders(repo, i18n_hub, event, promoted, RsvpStatus.GOING)
            t = translator_for(i18n_hub, promoted)
            await repo.outbox.enqueue(
                f"event:{event.id}:promoted:{promoted.id}",
                promoted.telegram_id,
                t("event-promoted", title=event.title),
                user=promoted,
                urgent=True,
            )
        await repo.session.commit()
        callback_answer.text = i18n(f"event-you-{status.value}")
    elif action is EventAction.ICS:
        if isinstance(callback.message, Message):
            await callback.message.answer_document(
                BufferedInputFile(ics_file(event), filename=f"event-{event.id}.ics")
            )
        return
    elif action is EventAction.ATTENDEES:
        if event.creator_id != user.id and not await repo.events.can_organise(
            user, event.community_id
        ):
            raise PermissionDenied()
        rows = await repo.events.attendees(event)
        lines = [i18n("event-attendees-title", title=event.title)]
        lines += [
            i18n(f"event-attendee-{row.status.value}", name=person(i18n, row.user)) for row in rows
        ] or [i18n("event-attendees-none")]
        if isinstance(callback.message, Message):
            await callback.message.answer("\n".join(lines))
        return
    elif action is EventAction.CANCEL:
        await repo.events.cancel(event, user)
        await repo.outbox.cancel_keys(f"event:{event.id}:")
        for row in await repo.events.attendees(event):
            t = translator_for(i18n_hub, row.user)
            await repo.outbox.enqueue(
                f"event:{event.id}:cancelled:{row.user_id}",
                row.user.telegram_id,
                t("event-cancelled-notice", title=event.title),
                user=row.user,
                urgent=True,
            )
        await repo.session.commit()
        callback_answer.text = i18n("event-cancelled-done")
    text, markup = await render_event(repo, i18n, user, event, settings)
    await show(callback, text, markup)


async def _reminders(
    repo: Repo, i18n_hub: I18n, event: Event, member: User, status: RsvpStatus
) -> None:
    """Reminders for those coming; none for the others (pending ones are withdrawn)."""
    prefix = f"event:{event.id}:remind:{member.id}:"
    if status is not RsvpStatus.GOING:
        await repo.outbox.cancel_keys(prefix)
        return
    start = (
        event.starts_at
        if event.starts_at.tzinfo
        else event.starts_at.replace(tzinfo=repo.clock().tzinfo)
    )
    t = translator_for(i18n_hub, member)
    for minutes in event.reminders:
        due = start - timedelta(minutes=minutes)
        if due <= repo.clock():
            continue
        await repo.outbox.enqueue(
            f"{prefix}{minutes}",
            member.telegram_id,
            t("event-reminder", title=event.title, minutes=minutes, place=event.place or "—"),
            user=member,
            urgent=True,
            not_before=due,
            expires_at=start,
        )


# --- the organiser's dialog ---------------------------------------------------------------


async def cmd_new_event(
    message: Message, repo: Repo, user: User, i18n: Translator, state: FSMContext
) -> None:
    if not await _places(repo, user):
        raise PermissionDenied()
    await state.clear()
    builder = InlineKeyboardBuilder()
    for kind in EventKind:
        builder.button(
            text=i18n(f"event-kind-{kind.value}"),
            callback_data=EventCallback(action=EventAction.NEW_KIND, value=kind.value),
        )
    builder.adjust(2)
    await message.answer(i18n("event-ask-kind"), reply_markup=builder.as_markup())


async def _places(repo: Repo, user: User) -> list[tuple[int, str]]:
    """Where the user may announce: (0, network) and communities."""
    places = []
    if await repo.events.can_organise(user, None):
        places.append((0, ""))
    for community in await repo.communities.active_titles():
        if await repo.events.can_organise(user, community.id):
            places.append((community.id, community.title))
    return places


async def _new_kind(callback, callback_data, repo, user, i18n, state, settings, hub) -> None:
    if callback_data.value not in EventKind.__members__.values():
        raise InvalidState("error-stale-button")
    if not await _places(repo, user):
        raise PermissionDenied()
    await state.set_state(EventForm.title)
    await state.set_data({"kind": callback_data.value})
    await callback.message.answer(i18n("event-ask-title"))


async def on_title(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    title = " ".join((message.text or "").split())
    if title.startswith("/") or not 3 <= len(title) <= 150:
        await message.answer(i18n("event-title-length", max=150))
        return
    await state.update_data(title=title)
    builder = InlineKeyboardBuilder()
    for community_id, name in await _places(repo, user):
        builder.button(
            text=name or i18n("event-network"),
            callback_data=EventCallback(action=EventAction.NEW_WHERE, value=str(community_id)),
        )
    builder.adjust(1)
    await message.answer(i18n("event-ask-audience"), reply_markup=builder.as_markup())


async def _new_where(callback, callback_data, repo, user, i18n, state, settings, hub) -> None:
    if await state.get_state() != EventForm.title.state or not callback_data.value.isdigit():
        raise InvalidState("error-stale-button")
    community_id = int(callback_data.value)
    if community_id not in [place for place, _ in await _places(repo, user)]:
        raise PermissionDenied()
    await state.update_data(community_id=community_id)
    await state.set_state(EventForm.when)
    zone = zone_of(user, settings)
    await callback.message.answer(i18n("event-ask-when", zone=zone.key))


async def on_when(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    try:
        moment = parse_when(message.text or "", zone_of(user, settings), repo.clock())
    except InvalidState as error:
        await message.answer(i18n(error.key, **error.args_for_text))
        return
    await state.update_data(starts_at=moment.isoformat())
    await state.set_state(EventForm.duration)
    await message.answer(i18n("event-ask-duration"))


async def on_duration(message: Message, state: FSMContext, i18n: Translator) -> None:
    text = (message.text or "").strip()
    if not text.isdigit() or not 5 <= int(text) <= DURATION_MAX:
        await message.answer(i18n("event-duration-invalid"))
        return
    await state.update_data(duration=int(text))
    await state.set_state(EventForm.place)
    await message.answer(i18n("event-ask-place"))


async def on_place(message: Message, state: FSMContext, i18n: Translator) -> None:
    place = " ".join((message.text or "").split())
    if place.startswith("/") or not 2 <= len(place) <= PLACE_MAX:
        await message.answer(i18n("event-place-length", max=PLACE_MAX))
        return
    await state.update_data(place=place)
    await state.set_state(EventForm.capacity)
    await message.answer(i18n("event-ask-capacity"), reply_markup=_no_limit(i18n))


def _no_limit(i18n: Translator):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("event-no-limit"),
        callback_data=EventCallback(action=EventAction.NEW_CAPACITY, value="0"),
    )
    return builder.as_markup()


async def on_capacity(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    text = (message.text or "").strip()
    if not text.isdigit() or not 1 <= int(text) <= CAPACITY_MAX:
        await message.answer(i18n("event-capacity-invalid"), reply_markup=_no_limit(i18n))
        return
    await _preview(message, state, repo, user, i18n, settings, int(text))


async def _new_capacity(callback, callback_data, repo, user, i18n, state, settings, hub) -> None:
    if await state.get_state() != EventForm.capacity.state:
        raise InvalidState("error-stale-button")
    await _preview(callback.message, state, repo, user, i18n, settings, None)


async def _preview(target, state, repo, user, i18n, settings, capacity) -> None:
    await state.update_data(capacity=capacity)
    data = await state.get_data()
    draft = _draft(data, user, settings)
    draft.community = await repo.communities.get(draft.community_id) if draft.community_id else None
    zone = zone_of(user, settings)
    lines = [
        i18n("event-preview"),
        i18n("event-card-title", kind=i18n(f"event-kind-{draft.kind.value}"), title=draft.title),
        i18n("event-card-when", when=when_text(draft, zone), minutes=draft.duration_minutes),
        i18n("event-card-where", place=draft.place),
        i18n(
            "event-card-audience",
            audience=draft.community.title if draft.community else i18n("event-network"),
        ),
        i18n("event-card-capacity", capacity=capacity or "∞"),
    ]
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("event-publish-button"),
        callback_data=EventCallback(action=EventAction.NEW_PUBLISH),
    )
    await target.answer("\n".join(lines), reply_markup=builder.as_markup())


def _draft(data: dict, user: User, settings: Settings) -> Event:
    return Event(
        community_id=data["community_id"] or None,
        kind=EventKind(data["kind"]),
        title=data["title"],
        starts_at=datetime.fromisoformat(data["starts_at"]),
        duration_minutes=data["duration"],
        place=data["place"],
        capacity=data.get("capacity"),
        time_zone=zone_of(user, settings).key,
    )


async def _new_publish(callback, callback_data, repo, user, i18n, state, settings, hub) -> None:
    data = await state.get_data()
    if "place" not in data or await state.get_state() != EventForm.capacity.state:
        raise InvalidState("error-stale-button")
    draft = _draft(data, user, settings)
    event = await repo.events.create(
        user,
        community_id=draft.community_id,
        kind=draft.kind,
        title=draft.title,
        starts_at=draft.starts_at,
        duration_minutes=draft.duration_minutes,
        place=draft.place,
        capacity=draft.capacity,
        time_zone=draft.time_zone,
    )
    await state.clear()
    await _announce(callback, repo, i18n, hub, user, event, settings)


async def _announce(callback, repo, i18n, hub, user, event, settings) -> None:
    """One outbox batch to the audience, each in their own time zone; progress in place."""
    batch = await repo.outbox.new_batch(
        "event", event.title, sender_chat_id=user.telegram_id, locale=i18n.locale
    )
    event.batch_id = batch.id
    audience = await repo.events.audience(event)
    progress = await callback.message.answer(i18n("event-published", count=len(audience)))
    batch.progress_message_id = progress.message_id
    for member in audience:
        t = translator_for(hub, member)
        text = t(
            "event-announcement",
            kind=t(f"event-kind-{event.kind.value}"),
            title=event.title,
            when=when_text(event, zone_of(member, settings)),
            place=event.place,
        )
        builder = InlineKeyboardBuilder()
        builder.button(
            text=t("event-open-button"),
            callback_data=EventCallback(action=EventAction.OPEN, event_id=event.id),
        )
        await repo.outbox.enqueue(
            f"event:{event.id}:announce:{member.id}",
            member.telegram_id,
            text,
            user=member,
            markup=builder.as_markup().model_dump(exclude_none=True),
            batch=batch,
        )
    await repo.session.commit()


NEW_EVENT_STEPS = {
    EventAction.NEW_KIND: _new_kind,
    EventAction.NEW_WHERE: _new_where,
    EventAction.NEW_CAPACITY: _new_capacity,
    EventAction.NEW_PUBLISH: _new_publish,
}
