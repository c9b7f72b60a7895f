"""/new_event: the organiser's guided dialog. Kind, title, audience, start, duration,
place, places, repetition; then a preview where the reminders and the moment of the
announcement can be changed before publishing."""

from datetime import date, datetime, timedelta

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import EventAction, EventCallback
from bot.config import Settings
from bot.dates import parse_date, read_moment, short_moment, zone_name, zone_of
from bot.i18n import I18n, Translator
from handlers.common import expect_step
from handlers.events import (
    announce,
    reminders_text,
    valid_duration,
    valid_place,
)
from handlers.quiet import forecast_line
from notices.events import event_lines, repeat_text
from storage.enums import EventKind, Recurrence
from storage.errors import InvalidState, PermissionDenied
from storage.limits import EVENT_PLACE
from storage.models import Event, User
from storage.numbers import parse_id, parse_int
from storage.repositories import Repo
from storage.repositories.events import series_starts

CAPACITY_MAX = 100_000
DESCRIPTION_MAX = 1000
SERIES_DAYS_MAX = 366
# The preview's "Reminders" button steps through these (minutes before the start).
REMINDER_PRESETS = ([24 * 60, 60], [60], [24 * 60], [7 * 24 * 60, 24 * 60], [])


class EventForm(StatesGroup):
    title = State()
    description = State()
    when = State()
    duration = State()
    place = State()
    capacity = State()
    repeat = State()
    until = State()
    preview = State()
    announce_at = State()
    registration = State()


def setup() -> Router:
    router = Router(name="event-form")
    router.message.register(cmd_new_event, Command("new_event"))
    router.callback_query.register(cq_step, EventCallback.filter(F.action.in_(STEPS.keys())))
    router.message.register(on_title, EventForm.title, F.text)
    router.message.register(on_description, EventForm.description, F.text)
    router.message.register(on_when, EventForm.when, F.text)
    router.message.register(on_duration, EventForm.duration, F.text)
    router.message.register(on_place, EventForm.place, F.text)
    router.message.register(on_capacity, EventForm.capacity, F.text)
    router.message.register(on_until, EventForm.until, F.text)
    router.message.register(
        on_moment_before_start,
        StateFilter(EventForm.announce_at, EventForm.registration),
        F.text,
    )
    return router


async def places(repo: Repo, user: User) -> list[tuple[int, str]]:
    """Where the user may announce: (0, network) and communities. Methodists, coordinators
    and admins: everywhere; a community's moderators: their communities."""
    if await repo.events.can_organise(user, None):
        communities = await repo.communities.active_titles()
        return [(0, ""), *((c.id, c.title) for c in communities)]
    return [(c.id, c.title) for c in await repo.communities.moderated_by(user)]


async def cmd_new_event(
    message: Message, repo: Repo, user: User, i18n: Translator, state: FSMContext
) -> None:
    if not await places(repo, user):
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


async def cq_step(
    callback: CallbackQuery,
    callback_data: EventCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    i18n_hub: I18n,
    state: FSMContext,
    settings: Settings,
) -> None:
    # The dialog is the organiser's: every step re-checks that they still may organise.
    if not await places(repo, user):
        raise PermissionDenied()
    step = STEPS[callback_data.action]
    await step(callback, callback_data, repo, user, i18n, i18n_hub, state, settings)


async def _kind(callback, data, repo, user, i18n, hub, state, settings) -> None:
    if data.value not in EventKind.__members__.values():
        raise InvalidState("error-stale-button")
    await state.set_state(EventForm.title)
    await state.set_data({"kind": data.value})
    await callback.message.answer(i18n("event-ask-title"))


async def on_title(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    title = " ".join((message.text or "").split())
    if title.startswith("/") or not 3 <= len(title) <= 150:
        await message.answer(i18n("event-title-length", max=150))
        return
    await state.update_data(title=title)
    await state.set_state(EventForm.description)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("event-skip-button"),
        callback_data=EventCallback(action=EventAction.NEW_NO_DESCRIPTION),
    )
    await message.answer(
        i18n("event-ask-description", max=str(DESCRIPTION_MAX)), reply_markup=builder.as_markup()
    )


async def on_description(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    text = (message.text or "").strip()
    if text.startswith("/") or len(text) > DESCRIPTION_MAX:
        await message.answer(i18n("event-description-length", max=str(DESCRIPTION_MAX)))
        return
    await state.update_data(description=text)
    await _ask_audience(message, repo, user, i18n)


async def _no_description(callback, data, repo, user, i18n, hub, state, settings) -> None:
    await expect_step(state, EventForm.description)
    await state.update_data(description="")
    await _ask_audience(callback.message, repo, user, i18n)


async def _ask_audience(target: Message, repo: Repo, user: User, i18n: Translator) -> None:
    builder = InlineKeyboardBuilder()
    for community_id, name in await places(repo, user):
        builder.button(
            text=name or i18n("event-network"),
            callback_data=EventCallback(action=EventAction.NEW_WHERE, value=str(community_id)),
        )
    builder.adjust(1)
    await target.answer(i18n("event-ask-audience"), reply_markup=builder.as_markup())


async def _where(callback, data, repo, user, i18n, hub, state, settings) -> None:
    community_id = parse_id(data.value)
    if await state.get_state() != EventForm.description.state or community_id is None:
        raise InvalidState("error-stale-button")
    if community_id not in [place for place, _ in await places(repo, user)]:
        raise PermissionDenied()
    await state.update_data(community_id=community_id)
    await state.set_state(EventForm.when)
    await callback.message.answer(
        i18n("event-ask-when", zone=zone_name(i18n, zone_of(user, settings).key))
    )


async def on_when(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    if (moment := await read_moment(message, i18n, user, settings, repo.clock())) is None:
        return
    await state.update_data(starts_at=moment.isoformat())
    await state.set_state(EventForm.duration)
    await message.answer(i18n("event-ask-duration"))


async def on_duration(message: Message, state: FSMContext, i18n: Translator) -> None:
    duration = valid_duration(message.text or "")
    if duration is None:
        await message.answer(i18n("event-duration-invalid"))
        return
    await state.update_data(duration=duration)
    await state.set_state(EventForm.place)
    await message.answer(i18n("event-ask-place"))


async def on_place(message: Message, state: FSMContext, i18n: Translator) -> None:
    place = valid_place(message.text or "")
    if place is None:
        await message.answer(i18n("event-place-length", max=EVENT_PLACE.high))
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
    message: Message, state: FSMContext, user: User, i18n: Translator, settings: Settings
) -> None:
    capacity = parse_int(message.text, low=1, high=CAPACITY_MAX)
    if capacity is None:
        await message.answer(i18n("event-capacity-invalid"), reply_markup=_no_limit(i18n))
        return
    await _ask_repeat(message, state, user, i18n, settings, capacity)


async def _capacity(callback, data, repo, user, i18n, hub, state, settings) -> None:
    await expect_step(state, EventForm.capacity)
    await _ask_repeat(callback.message, state, user, i18n, settings, None)


async def _ask_repeat(target, state, user, i18n, settings, capacity) -> None:
    await state.update_data(capacity=capacity)
    await state.set_state(EventForm.repeat)
    draft = _draft(await state.get_data(), user, settings)
    builder = InlineKeyboardBuilder()
    for recurrence in Recurrence:
        draft.recurrence = recurrence.value
        builder.button(
            text=repeat_text(i18n, draft, zone_of(user, settings)) or i18n("event-repeat-once"),
            callback_data=EventCallback(action=EventAction.NEW_REPEAT, value=recurrence.value),
        )
    builder.adjust(1)
    await target.answer(i18n("event-ask-repeat"), reply_markup=builder.as_markup())


async def _repeat(callback, data, repo, user, i18n, hub, state, settings) -> None:
    await expect_step(state, EventForm.repeat)
    try:
        recurrence = Recurrence(data.value)
    except ValueError:
        raise InvalidState("error-stale-button") from None
    await state.update_data(recurrence=recurrence.value)
    if recurrence is Recurrence.ONCE:
        await _preview(callback.message, state, repo, user, i18n, settings)
        return
    await state.set_state(EventForm.until)
    await callback.message.answer(i18n("event-ask-until"))


async def on_until(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    zone = zone_of(user, settings)
    data = await state.get_data()
    first = datetime.fromisoformat(data["starts_at"]).astimezone(zone).date()
    try:
        until = parse_date(message.text or "", repo.clock().astimezone(zone).date())
    except InvalidState as error:
        await message.answer(i18n(error.key, **error.args_for_text))
        return
    if until <= first or until > first + timedelta(days=SERIES_DAYS_MAX):
        await message.answer(i18n("event-until-range", days=SERIES_DAYS_MAX))
        return
    await state.update_data(until=until.isoformat())
    await _preview(message, state, repo, user, i18n, settings)


async def _preview(target, state, repo, user, i18n, settings) -> None:
    await state.set_state(EventForm.preview)
    data = await state.get_data()
    draft = _draft(data, user, settings)
    draft.community = await repo.communities.get(draft.community_id) if draft.community_id else None
    zone = zone_of(user, settings)
    lines = [i18n("event-preview"), *event_lines(i18n, draft, zone)]
    lines.append(i18n("event-card-capacity", capacity=draft.capacity or "∞"))
    if data.get("until"):
        starts = series_starts(
            draft.starts_at, zone, Recurrence(draft.recurrence), date.fromisoformat(data["until"])
        )
        lines.append(
            i18n(
                "event-preview-series",
                count=len(starts),
                last=f"{starts[-1].astimezone(zone):%d.%m.%Y}",
            )
        )
    if draft.registration_until:
        lines.append(
            i18n(
                "event-card-registration",
                until=short_moment(draft.registration_until, zone),
            )
        )
    lines.append(i18n("event-card-reminders", reminders=reminders_text(i18n, draft.reminders)))
    announce_at = data.get("announce_at")
    lines.append(
        i18n(
            "event-preview-announce",
            when=short_moment(datetime.fromisoformat(announce_at), zone) if announce_at else "now",
        )
    )
    at = datetime.fromisoformat(announce_at) if announce_at else None
    audience = await repo.events.audience(draft)
    if night := forecast_line(i18n, user, settings, audience, at, repo.clock()):
        lines.append(night)
    builder = InlineKeyboardBuilder()
    for action, label in (
        (EventAction.NEW_PUBLISH, "event-publish-button"),
        (EventAction.NEW_REMINDERS, "event-reminders-button"),
        (EventAction.NEW_LATER, "event-announce-later-button"),
        (EventAction.NEW_REGISTRATION, "event-registration-button"),
    ):
        builder.button(text=i18n(label), callback_data=EventCallback(action=action))
    builder.adjust(1, 2, 1)
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
        recurrence=data.get("recurrence", ""),
        reminders=REMINDER_PRESETS[data.get("reminders", 0)],
        description=data.get("description", ""),
        registration_until=datetime.fromisoformat(data["registration_until"])
        if data.get("registration_until")
        else None,
    )


async def _reminders(callback, data, repo, user, i18n, hub, state, settings) -> None:
    await expect_step(state, EventForm.preview)
    preset = ((await state.get_data()).get("reminders", 0) + 1) % len(REMINDER_PRESETS)
    await state.update_data(reminders=preset)
    await _preview(callback.message, state, repo, user, i18n, settings)


# The preview's two moments that must come before the start: when the invitations go,
# and when sign-up closes. State -> (form field, the question, the answer to a late one).
MOMENTS = {
    EventForm.announce_at.state: (
        "announce_at",
        "event-ask-announce-at",
        "event-announce-after-start",
    ),
    EventForm.registration.state: (
        "registration_until",
        "event-ask-registration",
        "event-registration-after-start",
    ),
}


async def _ask_moment(callback, data, repo, user, i18n, hub, state, settings) -> None:
    await expect_step(state, EventForm.preview)
    asked = (
        EventForm.announce_at if data.action is EventAction.NEW_LATER else EventForm.registration
    )
    await state.set_state(asked)
    question = MOMENTS[asked.state][1]
    await callback.message.answer(i18n(question, zone=zone_name(i18n, zone_of(user, settings).key)))


async def on_moment_before_start(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    field, _, too_late = MOMENTS[await state.get_state()]
    if (moment := await read_moment(message, i18n, user, settings, repo.clock())) is None:
        return
    if moment >= datetime.fromisoformat((await state.get_data())["starts_at"]):
        await message.answer(i18n(too_late))
        return
    await state.update_data({field: moment.isoformat()})
    await _preview(message, state, repo, user, i18n, settings)


async def _publish(callback, data, repo, user, i18n, hub, state, settings) -> None:
    form = await state.get_data()
    if await state.get_state() != EventForm.preview.state or "place" not in form:
        raise InvalidState("error-stale-button")
    draft = _draft(form, user, settings)
    events = await repo.events.create(
        user,
        community_id=draft.community_id,
        kind=draft.kind,
        title=draft.title,
        starts_at=draft.starts_at,
        duration_minutes=draft.duration_minutes,
        place=draft.place,
        capacity=draft.capacity,
        time_zone=draft.time_zone,
        reminders=draft.reminders,
        description=draft.description,
        registration_until=draft.registration_until,
        recurrence=Recurrence(draft.recurrence),
        until=date.fromisoformat(form["until"]) if form.get("until") else None,
    )
    await state.clear()
    announce_at = form.get("announce_at")
    await announce(
        callback.message,
        repo,
        i18n,
        hub,
        user,
        events,
        settings,
        at=datetime.fromisoformat(announce_at) if announce_at else None,
    )


STEPS = {
    EventAction.NEW_KIND: _kind,
    EventAction.NEW_NO_DESCRIPTION: _no_description,
    EventAction.NEW_REGISTRATION: _ask_moment,
    EventAction.NEW_WHERE: _where,
    EventAction.NEW_CAPACITY: _capacity,
    EventAction.NEW_REPEAT: _repeat,
    EventAction.NEW_REMINDERS: _reminders,
    EventAction.NEW_LATER: _ask_moment,
    EventAction.NEW_PUBLISH: _publish,
}

__all__ = ["EventForm", "places", "setup", "valid_duration", "valid_place"]
