"""One small engine for the guided multi-step dialogs (/new_event, /new_survey, /profile,
/share).

A dialog is declared, not hand-wired: its steps (the state, the question asked on entering
it with its keyboard, how a typed answer is read) and its buttons (the handler, the step a
button belongs to). One router registration serves them all: a typed answer goes to the
current step's reader, a button to its action's handler. What each dialog repeated by hand
is done here once:

- every turn passes the dialog's guard first (a role may have been revoked meanwhile, a
  draft published from another device);
- a button that belongs to a step other than the current one, or to a finished dialog, is
  stale: refused with "error-stale-button", nothing changes;
- a typed answer the reader refuses (it raises ``InvalidState``) is answered in the user's
  words with the step's keyboard offered again (the skip button, "no limit", "now"), and
  the step stays;
- entering a step sets the state and asks its question, as a new message or by editing the
  pressed one in place.

aiogram_dialog was tried first and set aside; docs/dialogs.md says why."""

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from bot.config import Settings
from bot.i18n import I18n, Translator
from handlers.common import show
from storage.errors import InvalidState
from storage.models import User
from storage.repositories import Repo

# A value, or a function of the turn that gives it (sync or async).
Of = Any


async def _resolve(value: Of, turn: "Turn") -> Any:
    if callable(value):
        value = value(turn)
    if inspect.isawaitable(value):
        value = await value
    return value


class Turn:
    """One update inside a dialog: the event and what the middlewares brought with it."""

    def __init__(self, dialog: "Dialog", event: Message | CallbackQuery, data: dict[str, Any]):
        self.dialog = dialog
        self.event = event
        self.callback: CallbackQuery | None = event if isinstance(event, CallbackQuery) else None
        self.data: Any = data.get("callback_data")  # the pressed button's CallbackData
        self.repo: Repo = data["repo"]
        self.user: User = data["user"]
        self.i18n: Translator = data["i18n"]
        self.i18n_hub: I18n = data["i18n_hub"]
        self.state: FSMContext = data["state"]
        self.settings: Settings = data["settings"]
        self.answer = data.get("callback_answer")
        self.subject: Any = None  # what the guard loaded for every step (the survey)
        self.extra = data  # whatever else the middlewares brought (the bot, the conduct book)

    @property
    def pressed(self) -> CallbackQuery:
        """The button press of this turn (a button's handler only)."""
        if self.callback is None:
            raise InvalidState("error-stale-button")
        return self.callback

    @property
    def message(self) -> Message:
        """Where the dialog writes: the typed message, or the pressed button's message."""
        if self.callback is not None:
            return self.callback.message  # type: ignore[return-value]
        return self.event  # type: ignore[return-value]

    async def form(self) -> dict[str, Any]:
        return await self.state.get_data()

    async def remember(self, **fields: Any) -> None:
        await self.state.update_data(**fields)

    async def go(self, state: State, *, edit: bool = False) -> None:
        """Enter a step: it becomes current and asks its question (a new message; ``edit``:
        the pressed message becomes the question)."""
        await self.state.set_state(state)
        step = self.dialog.steps[state.state]
        text, markup = await step.question(self)
        if edit and self.callback is not None:
            await show(self.callback, text, markup)
        else:
            await self.message.answer(text, reply_markup=markup)

    async def end(self) -> None:
        await self.state.clear()


@dataclass(frozen=True)
class Step:
    """A step of a dialog. ``ask`` is the question's Fluent key with ``args`` (a dict, or a
    function of the turn), or a function of the turn giving the whole (text, markup);
    ``keyboard`` goes with the question and again with a refused answer; ``read`` takes a
    typed answer (None: this step is answered by its buttons only): it raises
    InvalidState to refuse it, else what it returns is kept as ``into`` and the dialog
    goes on to ``then`` (without them the reader moves on itself). ``files``: the reader
    takes any message (a document, a photo, a caption), not only text; it finds the
    message in ``turn.event``."""

    state: State
    ask: str | Callable[["Turn"], Awaitable[tuple[str, Any]]]
    args: Of = None
    keyboard: Of = None
    read: Callable[["Turn", str], Awaitable[Any]] | None = None
    into: str | None = None
    then: State | None = None
    files: bool = False

    async def question(self, turn: Turn) -> tuple[str, Any]:
        if not isinstance(self.ask, str):
            return await self.ask(turn)
        args = await _resolve(self.args, turn) or {}
        return turn.i18n(self.ask, **args), await _resolve(self.keyboard, turn)


@dataclass(frozen=True)
class Button:
    """A button's handler; ``step``: the step it belongs to, else it is stale."""

    handler: Callable[[Turn], Awaitable[None]]
    step: State | None = None


def say(i18n: Translator, error: InvalidState) -> str:
    return i18n(error.key, **error.args_for_text)


class Dialog:
    """Steps and buttons of one dialog; ``router()`` registers them once.

    ``guard(turn)`` runs before every turn: it raises to refuse (PermissionDenied), may load
    ``turn.subject``, and returns False when it has already answered and the turn ends.
    ``same(turn, form)`` tells whether a step's button belongs to the dialog in progress
    (a draft's buttons to that draft's dialog). ``say`` words a refused answer.
    ``use_buttons`` answers a message sent where a step waits for a button, and
    ``expect_text`` one that is not text where a step waits for text (None: such messages
    are left to the routers after this one)."""

    def __init__(
        self,
        name: str,
        callback: type[CallbackData],
        steps: Iterable[Step],
        buttons: dict[Any, Button],
        guard: Callable[[Turn], Awaitable[bool | None]] | None = None,
        same: Callable[[Turn, dict], bool] | None = None,
        say: Callable[[Translator, InvalidState], str] = say,
        use_buttons: str | None = None,
        expect_text: str | None = None,
    ):
        self.name = name
        self.callback = callback
        self.steps = {step.state.state: step for step in steps}
        self.buttons = buttons
        self.guard = guard
        self.same = same
        self.say = say
        self.use_buttons = use_buttons
        self.expect_text = expect_text

    def router(self) -> Router:
        router = Router(name=f"{self.name} steps")
        reading = [step for step in self.steps.values() if step.read is not None]
        typed = [step.state for step in reading if not step.files]
        anything = [step.state for step in reading if step.files]
        pressed = [step.state for step in self.steps.values() if step.read is None]
        if typed:
            router.message.register(self._on_text, StateFilter(*typed), F.text)
        if anything:
            router.message.register(self._on_text, StateFilter(*anything))
        if self.expect_text is not None and typed:
            router.message.register(self._hint(self.expect_text), StateFilter(*typed))
        if self.use_buttons is not None and pressed:
            router.message.register(self._hint(self.use_buttons), StateFilter(*pressed))
        router.callback_query.register(
            self._on_button, self.callback.filter(F.action.in_(self.buttons.keys()))
        )
        return router

    @staticmethod
    def _hint(key: str):
        async def hint(message: Message, i18n: Translator) -> None:
            await message.answer(i18n(key))

        return hint

    async def _passes(self, turn: Turn) -> bool:
        return self.guard is None or await self.guard(turn) is not False

    async def _on_text(self, message: Message, raw_state: str, **data: Any) -> None:
        turn = Turn(self, message, data)
        if not await self._passes(turn):
            return
        step = self.steps[raw_state]
        assert step.read is not None  # messages reach only the steps that read them
        try:
            value = await step.read(turn, message.text or "")
        except InvalidState as error:
            keyboard = await _resolve(step.keyboard, turn)
            await message.answer(self.say(turn.i18n, error), reply_markup=keyboard)
            return
        if step.into is not None:
            await turn.remember(**{step.into: value})
        if step.then is not None:
            await turn.go(step.then)

    async def _on_button(self, callback: CallbackQuery, **data: Any) -> None:
        turn = Turn(self, callback, data)
        if not await self._passes(turn):
            return
        button = self.buttons[turn.data.action]
        if button.step is not None:
            form = await turn.form()
            if await turn.state.get_state() != button.step.state or (
                self.same is not None and not self.same(turn, form)
            ):
                raise InvalidState("error-stale-button")
        await button.handler(turn)
