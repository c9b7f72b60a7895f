"""SPIKE (not for merge): /new_event on aiogram_dialog, to see what fits."""

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_dialog import Dialog, DialogManager, ShowMode, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Column, Group, Select
from aiogram_dialog.widgets.text import Text

from bot.config import Settings
from bot.i18n import Translator
from handlers.dates import read_moment, zone_name, zone_of
from handlers.event_form import DESCRIPTION_MAX, places
from handlers.events import valid_duration, valid_place
from storage.enums import EventKind
from storage.errors import PermissionDenied
from storage.repositories import Repo


class Spike(StatesGroup):
    kind = State()
    title = State()
    description = State()
    audience = State()
    when = State()
    duration = State()
    place = State()
    capacity = State()


class T(Text):
    """A Fluent key rendered by our Translator (its escaping included)."""

    def __init__(self, key: str, **args):
        super().__init__()
        self.key, self.args = key, args

    async def _render_text(self, data, manager: DialogManager) -> str:
        i18n: Translator = manager.middleware_data["i18n"]
        args = {k: (v(data, manager) if callable(v) else v) for k, v in self.args.items()}
        return i18n(self.key, **args)


class Label(Text):
    def __init__(self, render):
        super().__init__()
        self.render = render

    async def _render_text(self, data, manager: DialogManager) -> str:
        return self.render(manager.middleware_data["i18n"], data)


async def kinds(dialog_manager: DialogManager, **_):
    return {"kinds": [k.value for k in EventKind]}


async def on_kind(callback: CallbackQuery, widget, manager: DialogManager, item: str) -> None:
    manager.dialog_data["kind"] = item
    await manager.switch_to(Spike.title)


def text_step(next_state, check, field, error):
    async def handler(message: Message, widget, manager: DialogManager) -> None:
        i18n: Translator = manager.middleware_data["i18n"]
        value = check(message.text or "")
        if value is None:
            manager.show_mode = ShowMode.NO_UPDATE
            key, *args = error
            await message.answer(i18n(key, **(args[0] if args else {})))
            return
        manager.dialog_data[field] = value
        await manager.switch_to(next_state)

    return MessageInput(handler, content_types="text")


def _title(text):
    title = " ".join(text.split())
    return None if title.startswith("/") or not 3 <= len(title) <= 150 else title


def _description(text):
    text = text.strip()
    return None if text.startswith("/") or len(text) > DESCRIPTION_MAX else text


async def on_skip(callback, widget, manager: DialogManager) -> None:
    manager.dialog_data["description"] = ""
    await manager.switch_to(Spike.audience)


async def audience(dialog_manager: DialogManager, repo: Repo, user, i18n, **_):
    return {"places": [(str(c), n or i18n("event-network")) for c, n in await places(repo, user)]}


async def on_where(callback, widget, manager: DialogManager, item: str) -> None:
    repo: Repo = manager.middleware_data["repo"]
    if int(item) not in [p for p, _ in await places(repo, manager.middleware_data["user"])]:
        raise PermissionDenied()
    manager.dialog_data["community_id"] = int(item)
    await manager.switch_to(Spike.when)


async def on_when(message: Message, widget, manager: DialogManager) -> None:
    d = manager.middleware_data
    moment = await read_moment(message, d["i18n"], d["user"], d["settings"], d["repo"].clock())
    if moment is None:
        manager.show_mode = ShowMode.NO_UPDATE
        return
    manager.dialog_data["starts_at"] = moment.isoformat()
    await manager.switch_to(Spike.duration)


def zone(data, manager):
    d = manager.middleware_data
    settings: Settings = d["settings"]
    return zone_name(d["i18n"], zone_of(d["user"], settings).key)


async def on_description(message: Message, widget, manager: DialogManager) -> None:
    value = _description(message.text or "")
    if value is None:
        manager.show_mode = ShowMode.NO_UPDATE
        await message.answer(
            manager.middleware_data["i18n"]("event-description-length", max=str(DESCRIPTION_MAX))
        )
        return
    manager.dialog_data["description"] = value
    await manager.switch_to(Spike.audience)



dialog = Dialog(
    Window(
        T("event-ask-kind"),
        Group(
            Select(
                Label(lambda i18n, data: i18n(f"event-kind-{data['item']}")),
                id="k",
                item_id_getter=str,
                items="kinds",
                on_click=on_kind,
            ),
            width=2,
        ),
        getter=kinds,
        state=Spike.kind,
    ),
    Window(
        T("event-ask-title"),
        text_step(Spike.description, _title, "title", ("event-title-length", {"max": 150})),
        state=Spike.title,
    ),
    Window(
        T("event-ask-description", max=str(DESCRIPTION_MAX)),
        Button(T("event-skip-button"), id="skip", on_click=on_skip),
        MessageInput(on_description, content_types="text"),
        state=Spike.description,
    ),
    Window(
        T("event-ask-audience"),
        Column(
            Select(
                Label(lambda i18n, data: data["item"][1]),
                id="w",
                item_id_getter=lambda p: p[0],
                items="places",
                on_click=on_where,
            )
        ),
        getter=audience,
        state=Spike.audience,
    ),
    Window(
        T("event-ask-when", zone=zone),
        MessageInput(on_when, content_types="text"),
        state=Spike.when,
    ),
    Window(
        T("event-ask-duration"),
        text_step(Spike.place, lambda t: valid_duration(t), "duration", ("event-duration-invalid",)),
        state=Spike.duration,
    ),
    Window(
        T("event-ask-place"),
        text_step(Spike.capacity, lambda t: valid_place(t), "place", ("event-place-length", {"max": 500})),
        state=Spike.place,
    ),
    Window(T("event-ask-capacity"), state=Spike.capacity),
)


async def cmd_new_event(message: Message, repo: Repo, user, dialog_manager: DialogManager) -> None:
    if not await places(repo, user):
        raise PermissionDenied()
    await dialog_manager.start(Spike.kind, mode=StartMode.RESET_STACK)


def setup() -> Router:
    router = Router(name="event-form-spike")
    router.message.register(cmd_new_event, Command("new_event"))
    router.include_router(dialog)
    return router
