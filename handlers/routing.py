"""Router-level filters that let aiogram skip a router, and all its sub-routers, at once.

aiogram tries every handler's filters in order until one matches. Most of our handlers are
keyed: a command, a main-menu button, a dialog's state, a callback-data prefix. ``keyed()``
reads those keys off the handlers a router (and its sub-routers) registered and puts one
cheap filter on the router: "some handler in here could take this update". Whatever fails
that filter could not have been taken by any handler inside, so skipping the router changes
nothing but the time spent; a router holding a handler without such a key (a plain
``F.text``, a function) gets no filter and is searched as before. Routers are grouped with
``group()``: the group's filter is the union of its members', so one check passes over a
whole run of features, in the order they were given.

The keys are read off the registrations, not declared beside them, so the two cannot drift
apart. They are read once, when the routers are assembled: a handler registered on a keyed
router afterwards is not covered (a test's own router goes into the private router, which
has no key filter)."""

import operator
from collections.abc import Callable, Iterable, KeysView
from dataclasses import dataclass, field
from enum import Enum
from inspect import isclass
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.dispatcher.event.telegram import TelegramEventObserver
from aiogram.filters import Command, Filter, StateFilter
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message, TelegramObject
from magic_filter.operations import ComparatorOperation, FunctionOperation, GetAttributeOperation
from magic_filter.util import in_op

from bot.i18n import I18n
from handlers.common import MenuText

ANY_STATE = "*"


@dataclass
class Keys:
    """What the handlers of one observer can match: an update passes when any part does."""

    commands: set[str] = field(default_factory=set)  # names after "/", case-sensitive
    menu: set[str] = field(default_factory=set)  # locale keys of reply-keyboard buttons
    states: set[str | None] = field(default_factory=set)  # raw states (None: no state)
    # (separator, prefix) -> the values a field must have, by the field's place in the data
    # (None: any data with the prefix)
    buttons: dict[tuple[str, str], dict[int, set[str]] | None] = field(default_factory=dict)

    def add(self, other: "Keys") -> None:
        self.commands |= other.commands
        self.menu |= other.menu
        self.states |= other.states
        for prefix, fields in other.buttons.items():
            mine = self.buttons.get(prefix, {})
            if mine is None or fields is None:
                self.buttons[prefix] = None  # some handler takes any data with the prefix
                continue
            for place, values in fields.items():
                mine.setdefault(place, set()).update(values)
            self.buttons[prefix] = mine


def _states(value: Any) -> set[str | None] | None:
    """The raw states a StateFilter argument stands for; None: any state ("*")."""
    if isinstance(value, State):
        value = value.state
    if value is None or isinstance(value, str):
        return None if value == ANY_STATE else {value}
    if isinstance(value, StatesGroup):
        value = type(value)
    if isclass(value) and issubclass(value, StatesGroup):
        return set(value.__all_states_names__)
    return None


def _command_keys(command: Command) -> Keys | None:
    if command.prefix != "/" or command.ignore_case:
        return None
    names = set()
    for name in command.commands:
        if not isinstance(name, str):  # a regular expression: anything may match it
            return None
        names.add(name)
    return Keys(commands=names)


def _field_values(callback: CallbackQueryFilter) -> dict[int, set[str]] | None:
    """``F.action == X`` or ``F.action.in_(...)`` on a text field (a StrEnum): the texts that
    field must have in the packed data. Any other rule (or none): None, the prefix alone."""
    rule = callback.rule
    operations: tuple[Any, ...] = getattr(rule, "_operations", ())
    if len(operations) != 2 or not isinstance(operations[0], GetAttributeOperation):
        return None
    names = list(callback.callback_data.model_fields)
    name, test = operations[0].name, operations[1]
    if name not in names:
        return None
    annotation = callback.callback_data.model_fields[name].annotation
    if not (isclass(annotation) and issubclass(annotation, str)):
        return None
    if isinstance(test, ComparatorOperation) and test.comparator is operator.eq:
        wanted: Iterable[Any] = (test.right,)
    elif (
        isinstance(test, FunctionOperation)
        and test.function is in_op
        and len(test.args) == 1
        and not test.kwargs
        and isinstance(test.args[0], set | frozenset | tuple | list | KeysView)
    ):
        wanted = test.args[0]
    else:
        return None
    values = set()
    for value in wanted:
        text = value.value if isinstance(value, Enum) else value
        if not isinstance(text, str):
            return None
        values.add(text)
    # unpack() splits on the separator: the prefix is part 0, the fields follow in order.
    return {names.index(name) + 1: values}


def _filter_keys(callback: Any) -> Keys | None:
    """The keys one filter requires, or None when it is not a keyed filter."""
    if isinstance(callback, Command):
        return _command_keys(callback)
    if isinstance(callback, MenuText):
        return Keys(menu={callback.key})
    if isinstance(callback, CallbackQueryFilter):
        data = callback.callback_data
        return Keys(buttons={(data.__separator__, data.__prefix__): _field_values(callback)})
    if isinstance(callback, State):
        states = _states(callback)
        return None if states is None else Keys(states=states)
    if isinstance(callback, StateFilter):
        keys = Keys()
        for value in callback.states:
            states = _states(value)
            if states is None:
                return None
            keys.states |= states
        return keys
    return None


def _handler_keys(handler: HandlerObject) -> Keys | None:
    """A handler matches only when all its filters pass, so any one keyed filter is enough;
    without one, the handler could take anything."""
    for filter_object in handler.filters or ():
        keys = _filter_keys(filter_object.callback)
        if keys is not None:
            return keys
    return None


def _router_keys(router: Router, event: str) -> Keys | None:
    keys = Keys()
    for handler in router.observers[event].handlers:
        handler_keys = _handler_keys(handler)
        if handler_keys is None:
            return None
        keys.add(handler_keys)
    for sub_router in router.sub_routers:
        sub_keys = _router_keys(sub_router, event)
        if sub_keys is None:
            return None
        keys.add(sub_keys)
    return keys


class MessageKeys(Filter):
    """A message one of the router's handlers could take: its command (as aiogram's Command
    reads it, from the text or the caption), its main-menu label, or its sender's state."""

    def __init__(self, keys: Keys):
        self.commands = frozenset(keys.commands)
        self.menu = tuple(sorted(keys.menu))
        self.states = frozenset(keys.states)
        self._labels: tuple[I18n | None, frozenset[str]] = (None, frozenset())

    def __str__(self) -> str:
        return self._signature_to_string(
            commands=sorted(self.commands), menu=self.menu, states=sorted(map(str, self.states))
        )

    def _menu_labels(self, i18n_hub: I18n) -> frozenset[str]:
        hub, labels = self._labels
        if hub is not i18n_hub:
            labels = frozenset().union(*(i18n_hub.texts(key) for key in self.menu))
            self._labels = (i18n_hub, labels)
        return labels

    async def __call__(
        self, message: TelegramObject, i18n_hub: I18n, raw_state: str | None = None
    ) -> bool:
        if raw_state in self.states:
            return True
        if not isinstance(message, Message):
            return False
        if self.commands:
            text = message.text or message.caption
            words = text.split(maxsplit=1) if text else ()
            if words and words[0][0] == "/" and words[0][1:].partition("@")[0] in self.commands:
                return True
        return bool(self.menu) and message.text in self._menu_labels(i18n_hub)


Fields = tuple[tuple[int, frozenset[str]], ...] | None


class CallbackKeys(Filter):
    """A button press one of the router's handlers could take: by its data's prefix (and
    action, where the handlers ask for one), or by its presser's state."""

    def __init__(self, keys: Keys):
        by_separator: dict[str, dict[str, Fields]] = {}
        for (separator, prefix), fields in keys.buttons.items():
            by_separator.setdefault(separator, {})[prefix] = (
                None
                if fields is None
                else tuple((place, frozenset(values)) for place, values in sorted(fields.items()))
            )
        self.buttons = tuple(by_separator.items())
        self.states = frozenset(keys.states)

    def __str__(self) -> str:
        return self._signature_to_string(
            buttons={
                prefix: fields
                for _, prefixes in self.buttons
                for prefix, fields in prefixes.items()
            },
            states=sorted(map(str, self.states)),
        )

    async def __call__(self, callback: TelegramObject, raw_state: str | None = None) -> bool:
        if raw_state in self.states:
            return True
        if not isinstance(callback, CallbackQuery) or not callback.data:
            return False
        for separator, prefixes in self.buttons:
            parts = callback.data.split(separator)
            if parts[0] not in prefixes:
                continue
            fields = prefixes[parts[0]]
            if fields is None or any(
                place < len(parts) and parts[place] in values for place, values in fields
            ):
                return True
        return False


def _install(
    observer: TelegramEventObserver, keys: Keys | None, kind: Callable[[Keys], Filter]
) -> None:
    if keys is not None:
        observer.filter(kind(keys))


def keyed(router: Router) -> Router:
    """Put the key filters on ``router`` and on every router under it (a sub-router that
    fails its own is skipped whole, once its parent has passed)."""
    for sub_router in router.sub_routers:
        keyed(sub_router)
    _install(router.message, _router_keys(router, "message"), MessageKeys)
    _install(router.callback_query, _router_keys(router, "callback_query"), CallbackKeys)
    return router


def group(name: str, routers: Iterable[Router]) -> Router:
    """A run of routers, in order, behind one check of what any of them takes."""
    router = Router(name=name)
    router.include_routers(*routers)
    return keyed(router)
