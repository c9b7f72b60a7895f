"""/new_event: the organiser's guided dialog. Kind, title, audience, start, duration,
place, places, repetition; then a preview where the reminders and the moment of the
announcement can be changed before publishing."""

from datetime import date, datetime, timedelta

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from bot.callbacks import EventAction, EventCallback
from bot.config import Settings
from bot.dates import parse_date, parse_when, short_moment, zone_name, zone_of
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder, paired_rows
from handlers.dialog import Button, Dialog, Step, Turn
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
from storage.numbers import parse_int
from storage.repositories import Repo
from storage.repositories.events import series_starts

CAPACITY_MAX = 100_000
DESCRIPTION_MAX = 1000
SERIES_DAYS_MAX = 366
# The preview's "Reminders" button steps through these (minutes before the start).
REMINDER_PRESETS: tuple[list[int], ...] = (
    [24 * 60, 60],
    [60],
    [24 * 60],
    [7 * 24 * 60, 24 * 60],
    [],
)


class EventForm(StatesGroup):
    title = State()
    description = State()
    audience = State()
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
    router.include_router(DIALOG.router())
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
    labels = [i18n(f"event-kind-{kind.value}") for kind in EventKind]
    for kind, label in zip(EventKind, labels, strict=True):
        builder.button(
            text=label,
            callback_data=EventCallback(action=EventAction.NEW_KIND, kind=kind),
        )
    builder.adjust(*paired_rows(labels))
    await message.answer(i18n("event-ask-kind"), reply_markup=builder.as_markup())


async def _organiser(turn: Turn) -> None:
    # The dialog is the organiser's: every step re-checks that they still may organise.
    if not await places(turn.repo, turn.user):
        raise PermissionDenied()


def _button(i18n: Translator, action: EventAction, label: str):
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n(label), callback_data=EventCallback(action=action))
    return builder.as_markup()


def _zone(turn: Turn) -> dict:
    return {"zone": zone_name(turn.i18n, zone_of(turn.user, turn.settings).key)}


# --- kind, title, description, audience -----------------------------------------------------


async def _kind(turn: Turn) -> None:
    if turn.data.kind is None:
        raise InvalidState("error-stale-button")
    await turn.state.set_data({"kind": turn.data.kind.value})
    await turn.go(EventForm.title)


async def _title(turn: Turn, text: str) -> str:
    title = " ".join(text.split())
    if title.startswith("/") or not 3 <= len(title) <= 150:
        raise InvalidState("event-title-length", max=150)
    return title


async def _description(turn: Turn, text: str) -> str:
    text = text.strip()
    if text.startswith("/") or len(text) > DESCRIPTION_MAX:
        raise InvalidState("event-description-length", max=str(DESCRIPTION_MAX))
    return text


async def _no_description(turn: Turn) -> None:
    await turn.remember(description="")
    await turn.go(EventForm.audience)


async def _audience_buttons(turn: Turn):
    builder = InlineKeyboardBuilder()
    for community_id, name in await places(turn.repo, turn.user):
        builder.button(
            text=name or turn.i18n("event-network"),
            callback_data=EventCallback(action=EventAction.NEW_WHERE, community_id=community_id),
        )
    builder.adjust(1)
    return builder.as_markup()


async def _where(turn: Turn) -> None:
    community_id = turn.data.community_id
    if community_id is None:
        raise InvalidState("error-stale-button")
    if community_id not in [place for place, _ in await places(turn.repo, turn.user)]:
        raise PermissionDenied()
    await turn.remember(community_id=community_id)
    await turn.go(EventForm.when)


# --- when, how long, where, how many ---------------------------------------------------------


async def _moment(turn: Turn, text: str) -> str:
    return parse_when(text, zone_of(turn.user, turn.settings), turn.repo.clock()).isoformat()


async def _duration(turn: Turn, text: str) -> int:
    if (duration := valid_duration(text)) is None:
        raise InvalidState("event-duration-invalid")
    return duration


async def _place(turn: Turn, text: str) -> str:
    if (place := valid_place(text)) is None:
        raise InvalidState("event-place-length", max=EVENT_PLACE.high)
    return place


async def _capacity(turn: Turn, text: str) -> int:
    if (capacity := parse_int(text, low=1, high=CAPACITY_MAX)) is None:
        raise InvalidState("event-capacity-invalid")
    return capacity


async def _no_limit(turn: Turn) -> None:
    await turn.remember(capacity=None)
    await turn.go(EventForm.repeat)


# --- repetition ------------------------------------------------------------------------------


async def _repeat_buttons(turn: Turn):
    draft = _draft(await turn.form(), turn.user, turn.settings)
    zone = zone_of(turn.user, turn.settings)
    builder = InlineKeyboardBuilder()
    for recurrence in Recurrence:
        draft.recurrence = recurrence.value
        builder.button(
            text=repeat_text(turn.i18n, draft, zone) or turn.i18n("event-repeat-once"),
            callback_data=EventCallback(action=EventAction.NEW_REPEAT, recurrence=recurrence),
        )
    builder.adjust(1)
    return builder.as_markup()


async def _repeat(turn: Turn) -> None:
    recurrence = turn.data.recurrence
    await turn.remember(recurrence=recurrence.value)
    await turn.go(EventForm.preview if recurrence is Recurrence.ONCE else EventForm.until)


async def _until(turn: Turn, text: str) -> str:
    zone = zone_of(turn.user, turn.settings)
    first = datetime.fromisoformat((await turn.form())["starts_at"]).astimezone(zone).date()
    until = parse_date(text, turn.repo.clock().astimezone(zone).date())
    if until <= first or until > first + timedelta(days=SERIES_DAYS_MAX):
        raise InvalidState("event-until-range", days=SERIES_DAYS_MAX)
    return until.isoformat()


# --- the preview -----------------------------------------------------------------------------


async def _preview(turn: Turn):
    i18n, user, settings, repo = turn.i18n, turn.user, turn.settings, turn.repo
    data = await turn.form()
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
    buttons = (
        (EventAction.NEW_PUBLISH, i18n("event-publish-button")),
        (EventAction.NEW_REMINDERS, i18n("event-reminders-button")),
        (EventAction.NEW_LATER, i18n("event-announce-later-button")),
        (EventAction.NEW_REGISTRATION, i18n("event-registration-button")),
    )
    for action, label in buttons:
        builder.button(text=label, callback_data=EventCallback(action=action))
    builder.adjust(1, *paired_rows([label for _, label in buttons[1:]]))
    return "\n".join(lines), builder.as_markup()


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


async def _reminders(turn: Turn) -> None:
    preset = ((await turn.form()).get("reminders", 0) + 1) % len(REMINDER_PRESETS)
    await turn.remember(reminders=preset)
    await turn.go(EventForm.preview)


def _before_start(too_late: str):
    """The preview's two moments that must come before the start: when the invitations go,
    and when sign-up closes."""

    async def read(turn: Turn, text: str) -> str:
        moment = await _moment(turn, text)
        starts_at = (await turn.form())["starts_at"]
        if datetime.fromisoformat(moment) >= datetime.fromisoformat(starts_at):
            raise InvalidState(too_late)
        return moment

    return read


async def _later(turn: Turn) -> None:
    await turn.go(EventForm.announce_at)


async def _registration(turn: Turn) -> None:
    await turn.go(EventForm.registration)


async def _publish(turn: Turn) -> None:
    form = await turn.form()
    if "place" not in form:
        raise InvalidState("error-stale-button")
    draft = _draft(form, turn.user, turn.settings)
    events = await turn.repo.events.create(
        turn.user,
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
    await turn.end()
    # The preview loses its buttons: what it offered is done.
    await turn.message.edit_reply_markup(reply_markup=None)
    announce_at = form.get("announce_at")
    await announce(
        turn.message,
        turn.repo,
        turn.i18n,
        turn.i18n_hub,
        turn.user,
        events,
        turn.settings,
        at=datetime.fromisoformat(announce_at) if announce_at else None,
    )


Form = EventForm
DIALOG = Dialog(
    "event-form",
    EventCallback,
    steps=[
        Step(Form.title, "event-ask-title", read=_title, into="title", then=Form.description),
        Step(
            Form.description,
            "event-ask-description",
            args={"max": str(DESCRIPTION_MAX)},
            keyboard=lambda t: _button(t.i18n, EventAction.NEW_NO_DESCRIPTION, "event-skip-button"),
            read=_description,
            into="description",
            then=Form.audience,
        ),
        Step(Form.audience, "event-ask-audience", keyboard=_audience_buttons),
        Step(
            Form.when,
            "event-ask-when",
            args=_zone,
            read=_moment,
            into="starts_at",
            then=Form.duration,
        ),
        Step(Form.duration, "event-ask-duration", read=_duration, into="duration", then=Form.place),
        Step(Form.place, "event-ask-place", read=_place, into="place", then=Form.capacity),
        Step(
            Form.capacity,
            "event-ask-capacity",
            keyboard=lambda t: _button(t.i18n, EventAction.NEW_CAPACITY, "event-no-limit"),
            read=_capacity,
            into="capacity",
            then=Form.repeat,
        ),
        Step(Form.repeat, "event-ask-repeat", keyboard=_repeat_buttons),
        Step(Form.until, "event-ask-until", read=_until, into="until", then=Form.preview),
        Step(Form.preview, _preview),
        Step(
            Form.announce_at,
            "event-ask-announce-at",
            args=_zone,
            read=_before_start("event-announce-after-start"),
            into="announce_at",
            then=Form.preview,
        ),
        Step(
            Form.registration,
            "event-ask-registration",
            args=_zone,
            read=_before_start("event-registration-after-start"),
            into="registration_until",
            then=Form.preview,
        ),
    ],
    buttons={
        EventAction.NEW_KIND: Button(_kind),
        EventAction.NEW_NO_DESCRIPTION: Button(_no_description, Form.description),
        EventAction.NEW_WHERE: Button(_where, Form.audience),
        EventAction.NEW_CAPACITY: Button(_no_limit, Form.capacity),
        EventAction.NEW_REPEAT: Button(_repeat, Form.repeat),
        EventAction.NEW_REMINDERS: Button(_reminders, Form.preview),
        EventAction.NEW_LATER: Button(_later, Form.preview),
        EventAction.NEW_REGISTRATION: Button(_registration, Form.preview),
        EventAction.NEW_PUBLISH: Button(_publish, Form.preview),
    },
    guard=_organiser,
)

__all__ = ["EventForm", "places", "setup", "valid_duration", "valid_place"]
