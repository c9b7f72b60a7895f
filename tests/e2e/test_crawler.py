"""The crawler: every persona taps everything it is offered, and nothing may break.

With the real bot polling the sandbox (the demo's seed), each persona — the stranger who has
not consented, the teacher Мария (onboarded first through consent and profile), the
moderator Ольга, the coordinator Елена and the admin Андрей — sends every command of the
menu the sandbox shows them (setMyCommands, whatever scope the bot used), taps every button
of the reply keyboard, then presses every inline button of what comes back, breadth-first to
``MAX_DEPTH`` presses and at most ``MAX_ACTIONS`` actions per persona. Wherever a dialog asks
for text, ordinary text is typed (a date where a date is asked, a number where a number is).

A run fails on any of: the generic apology ("Извините, что-то пошло не так"), an ERROR log
line, an update no handler took (aiogram's "Update id=… is not handled"), a press without an
answerCallbackQuery or answered twice, a Bot API call the sandbox refused (over-long text or
caption, bad HTML, callback data over 64 bytes, "message is not modified", …), a url button
that is not a valid URL. Every failure of the run is collected and reported together, each
with the persona, the taps that led there and what went wrong. The coverage (distinct
screens, with digits normalised, and distinct buttons) is printed at the end of the session.
"""

import asyncio
import contextlib
import logging
import os
import re
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import (
    BotCommand,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.config import ThrottlingSettings
from bot.demo import ADMIN, METHODIST, MODERATOR, TEACHER
from sandbox import ChatMessage, RateLimits, SandboxClient, SandboxServer
from tests.conftest import FIGURES
from tests.e2e.conftest import Player

# Bounds: the whole crawl (five personas) takes about a minute on a 2-core machine.
MAX_DEPTH = 4  # inline presses after a command or a reply-keyboard button
MAX_ACTIONS = 140  # sends, presses and typed texts per persona (replays included)
SAME_ACTION_PER_SCREEN = 2  # of a screen's buttons doing the same with different values
QUIET = 0.08  # seconds without a Bot API call after the updates are done: the answer is complete

APOLOGY = ("Извините, что-то пошло не так", "Sorry, something went wrong")

# Pressed once each, at the end of the persona's crawl, and not explored further: they
# change the world the rest of the crawl walks (the person's data, a community, a decision).
LAST = {
    "pv1:delete_ok": "deletes the persona's data",
    "cs1:n": "declines the consent (the stranger stays a stranger)",
    "cm1:leave": "leaves a community",
    "ad1:arch_ok": "archives a community",
    "ad1:demote": "removes a moderator's or expert's role at once",
    "mt1:wd": "withdraws a material",
    "sh2:discard": "discards the share draft",
    "th1:rm": "removes a thread post",
    "ev2:c1": "cancels an event",
    "ev2:cs": "cancels an event series",
    "dl2:cancel_ok": "cancels a report deadline",
    "sb2:delyes": "deletes a survey question",
    "sr2:close_yes": "closes a survey",
    "cr2:act": "changes what a conduct rule does",
    "cr2:del": "removes a word from a conduct rule",
    "ca1:del": "deletes a reported message",
    "lg1:en": "switches the persona to English",
    "rv2:ok": "approves a material in review",
    "rv2:rej": "rejects a material in review",
    "bc1:send": "sends a broadcast to every member",
    "sb2:confirm": "publishes a survey (invitations to every member)",
}
NEVER: dict[str, str] = {}
# Commands the bot's texts name (in /help, in hints) are sent too, after the menu's; this one
# only at the very end of the persona's crawl.
LAST_COMMANDS = {"/delete_me": "deletes the persona's data"}
MENTIONED = re.compile(r"(?<![\w/])/[a-z][a-z_]{2,31}\b")
STRANGER_NEVER = {"cs1:y": "the stranger must stay one who has not consented"}

# What a person types where a dialog waits for text, by what the prompt asks.
PROMPT = re.compile(
    r"Напишите|Пришлите|Введите|Как вас зовут|Что ищем|Отправьте его сообщением"
    r"|^Шаг \d+ из \d+\..*:\s*$",  # a dialog's step that names what to write
    re.I | re.S,
)
ANSWERS = (
    (re.compile(r"Как вас зовут|фамилию", re.I), "Иванова Мария Петровна"),
    (re.compile(r"организац", re.I), "Гимназия № 5"),
    (re.compile(r"Название", re.I), "Дроби в 6 классе"),
    (re.compile(r"варианты ответа", re.I), "Да\nНет\nНе знаю"),
    (re.compile(r"две подписи", re.I), "плохо — отлично"),
    (re.compile(r"через запятую|теги", re.I), "дроби, проценты"),
    (re.compile(r"дат|когда|ДД", re.I), f"{date.today() + timedelta(days=20):%d.%m.%Y} 15:00"),
    (re.compile(r"сколько|числ|длины", re.I), "30"),
)
ORDINARY = "Дроби 6 класс: задачи на сложение"
DIGITS = re.compile(r"\d+")
# METODSET_CRAWL_TRACE=1 pytest -s tests/e2e/test_crawler.py prints every step as it is taken.
TRACE = os.environ.get("METODSET_CRAWL_TRACE", "") not in {"", "0"}


def answer_for(prompt: str) -> str:
    for pattern, text in ANSWERS:
        if pattern.search(prompt):
            return text
    return ORDINARY


def normalise(text: str) -> str:
    return DIGITS.sub("#", text).strip()


def action_of(data: str) -> str:
    """``prefix:action`` of a callback's data (what LAST and NEVER are keyed by)."""
    return ":".join(data.split(":")[:2])


@dataclass(frozen=True)
class Step:
    kind: str  # command | reply | press | type
    value: str  # the text sent, or the callback data pressed
    label: str = ""

    def __str__(self) -> str:
        if self.kind == "command":
            return self.value
        if self.kind == "reply":
            return f"[{self.value}]"
        if self.kind == "press":
            return f"({self.label} | {self.value})"
        return f"⌨ {self.value!r}"


Path = tuple[Step, ...]
RESET = Step("command", "/cancel")


class LogTap(logging.Handler):
    """Every log record of the bot (it runs in this process): errors, and aiogram's line for
    an update no handler took."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []
        self.finished: set[int] = set()  # update ids aiogram said it is done with

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if record.name == "aiogram.event" and record.args and record.msg.startswith("Update id="):
            self.finished.add(int(record.args[0]))  # type: ignore[index, arg-type]

    async def finish(self, update_ids: list[int], timeout: float = 15.0) -> list[int]:  # noqa: ASYNC109
        """Wait until the bot is done with these updates; returns those it never finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            left = [update_id for update_id in update_ids if update_id not in self.finished]
            if not left:
                return []
            await asyncio.sleep(0.02)
        return left


@pytest.fixture
def throttling() -> ThrottlingSettings:
    """The crawler taps several times a second; the bot's per-user flood guard (tested in
    tests/test_middlewares.py) would drop most of it."""
    return ThrottlingSettings(rate=100, burst=100)


@pytest.fixture
def log_tap():
    tap = LogTap()
    root = logging.getLogger()
    event = logging.getLogger("aiogram.event")
    level = event.level
    event.setLevel(logging.INFO)  # "Update id=… is not handled" is said at INFO
    root.addHandler(tap)
    try:
        yield tap
    finally:
        root.removeHandler(tap)
        event.setLevel(level)


def _view(message: ChatMessage) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    return message.content, tuple(
        (button.text, button.callback_data or button.url)
        for row in message.buttons
        for button in row
    )


@dataclass
class Crawl:
    client: SandboxClient
    user_id: int
    name: str
    log: LogTap
    failures: list[str]
    never: dict[str, str] = field(default_factory=dict)
    answer_wait: float = 5.0  # seconds a press waits for its answerCallbackQuery
    actions: int = 0
    screens: set[str] = field(default_factory=set)
    buttons: set[str] = field(default_factory=set)
    pressed: set[str] = field(default_factory=set)
    queued: set[str] = field(default_factory=set)
    prompts: set[str] = field(default_factory=set)
    last: list[Path] = field(default_factory=list)
    roots: int = 0
    mentioned: list[str] = field(default_factory=list)  # commands the bot's texts named
    in_dialog: bool = False  # the last answer asked for text (or text was just typed)

    # --- checking one action ---------------------------------------------------------

    async def _messages(self) -> dict[int, ChatMessage]:
        return {m.message_id: m for m in await self.client.chat(self.user_id) if m.from_bot}

    def _fail(self, path: Path, problem: str) -> None:
        line = f"{self.name}: {' → '.join(map(str, path))}: {problem}"
        if line not in self.failures:
            self.failures.append(line)

    async def act(self, path: Path) -> list[ChatMessage] | None:
        """Do the path's last step and check everything it caused. Returns the bot's new or
        changed messages, or None when the button to press is not on screen."""
        step = path[-1]
        client = self.client
        before = await self._messages()
        seq = await client.mark()
        log_from = len(self.log.records)
        result = None
        if step.kind == "press":
            shown = [
                m
                for m in before.values()
                if any(b.callback_data == step.value for row in m.buttons for b in row)
            ]
            if not shown:
                return None
            result = await client.press_button(
                self.user_id, None, shown[-1].message_id, step.value, wait=self.answer_wait
            )
            self.pressed.add(normalise(step.value))
        else:
            await client.send_text(self.user_id, step.value)
        self.actions += 1
        if TRACE:
            print(f"{self.name}: {' → '.join(map(str, path))}", flush=True)
        # Done when aiogram has finished every update the action made (its own log line),
        # then nothing more for a moment (what a handler started in the background).
        made = [u["update_id"] for u in await client.updates(after_seq=seq) if u.get("allowed")]
        for update_id in await self.log.finish(made):
            self._fail(path, f"the bot did not finish update {update_id} within 15 s")
        await client.wait_idle(timeout=15, quiet=QUIET)
        after = await self._messages()
        changed = [
            m for key, m in after.items() if key not in before or _view(before[key]) != _view(m)
        ]
        calls = await client.api_calls(after_seq=seq)
        for call in calls:
            if call.method.lower() != "getupdates" and call.ok is False:
                self._fail(path, f"{call.method} refused: {call.error_code} {call.description}")
        if result is not None:
            answers = [
                c
                for c in calls
                if c.method.lower() == "answercallbackquery"
                and str(c.params.get("callback_query_id")) == result.callback_query_id
            ]
            if not result.answered:
                self._fail(path, "the press got no answerCallbackQuery")
            if len(answers) > 1:
                self._fail(path, f"the press was answered {len(answers)} times")
            if any(a in (result.text or "") for a in APOLOGY):
                self._fail(path, f"the apology as a toast: {result.text!r}")
        for message in changed:
            if any(a in message.content for a in APOLOGY):
                self._fail(path, f"the apology: {message.content[:120]!r}")
        for record in self.log.records[log_from:]:
            text = record.getMessage()
            if record.levelno >= logging.ERROR:
                cause = (
                    f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
                    if record.exc_info and record.exc_info[1]
                    else ""
                )
                self._fail(path, f"ERROR {record.name}: {text[:200]}{cause[:300]}")
            elif record.name == "aiogram.event" and "is not handled" in text:
                self._fail(path, f"no handler took the update ({text})")
            elif text.startswith("Throttled an update"):
                self._fail(path, "the bot throttled the crawler: the crawl is not what it seems")
        self.in_dialog = step.kind == "type" or any(PROMPT.search(m.content) for m in changed)
        if TRACE:
            for message in changed:
                print(f"    = {message.content[:90]!r} {message.button_texts}", flush=True)
        for message in changed:
            self.screens.add(normalise(message.content))
            for command in MENTIONED.findall(message.content):
                if command not in self.mentioned:
                    self.mentioned.append(command)
            for row in message.buttons:
                for button in row:
                    if button.url is not None:
                        parts = urlsplit(button.url)
                        if parts.scheme not in {"http", "https", "tg"} or not parts.netloc:
                            self._fail(
                                path, f"the button {button.text!r} has a bad url {button.url!r}"
                            )
                    self.buttons.add(normalise(button.callback_data or button.url or button.text))
        return changed

    # --- walking ---------------------------------------------------------------------

    async def replay(self, path: Path) -> bool:
        """Walk ``path`` again (the screen has moved on since); False if a button is gone."""
        for index in range(len(path)):
            if self.actions >= MAX_ACTIONS:
                return False
            if await self.act(path[: index + 1]) is None:
                return False
        return True

    async def answer_prompts(
        self, path: Path, changed: list[ChatMessage]
    ) -> tuple[Path, list[ChatMessage]]:
        """Where a dialog waits for text, type it (each distinct question once)."""
        for _ in range(8):  # the longest dialogs ask eight questions
            asking = [m for m in changed if PROMPT.search(m.content)]
            if not asking or self.actions >= MAX_ACTIONS:
                break
            prompt = asking[-1].content
            if normalise(prompt) in self.prompts:
                break
            self.prompts.add(normalise(prompt))
            path = (*path, Step("type", answer_for(prompt)))
            typed = await self.act(path)
            changed = [*changed, *(typed or [])]
            if not typed:
                break
        return path, changed

    def expand(self, path: Path, changed: Iterable[ChatMessage], queue: deque[Path]) -> None:
        presses = sum(step.kind == "press" for step in path)
        if presses >= MAX_DEPTH:
            return
        for message in changed:
            alike: dict[str, int] = {}
            for row in message.buttons:
                for button in row:
                    data = button.callback_data
                    if not data:
                        continue  # url, switch-inline and copy buttons leave the chat
                    key = data  # the same button on two screens is pressed once
                    action = action_of(data)
                    # A list of choices (subjects, time zones, communities): two of a kind.
                    alike[action] = alike.get(action, 0) + 1
                    if key in self.queued or alike[action] > SAME_ACTION_PER_SCREEN:
                        continue
                    self.queued.add(key)
                    if action in NEVER or action in self.never:
                        continue
                    step = Step("press", data, button.text)
                    if action in LAST:
                        self.last.append((*path, step))
                    else:
                        queue.append((*path, step))

    async def run(self, roots: list[Step]) -> None:
        queue: deque[Path] = deque()
        roots = list(roots)
        sent = {root.value for root in roots}
        index = 0
        while index < len(roots) and self.actions < MAX_ACTIONS:
            root = roots[index]
            index += 1
            if index == len(roots):  # then the commands the bot's texts named (/help's)
                for command in self.mentioned:
                    if command not in sent and command not in LAST_COMMANDS:
                        sent.add(command)
                        roots.append(Step("command", command))
            # Each command from a clean slate, as a person leaving a dialog would: otherwise
            # a dialog still waiting for text may take the command as its answer (see the
            # share dialog's title step).
            if self.in_dialog:
                await self.act((RESET,))
            path: Path = (root,)
            changed = await self.act(path) or []
            self.roots += 1
            path, changed = await self.answer_prompts(path, changed)
            self.expand(path, changed, queue)
        while queue and self.actions < MAX_ACTIONS:
            path = queue.popleft()
            changed = await self.act(path)
            if changed is None:  # not on screen any more: walk there again
                if not await self.replay(path[:-1]):
                    continue
                changed = await self.act(path)
                if changed is None:
                    continue
            path, changed = await self.answer_prompts(path, changed)
            self.expand(path, changed, queue)
        for path in self.last:  # what changes the world, once each, last
            if await self.act(path) is None and await self.replay(path[:-1]):
                await self.act(path)
        for command in LAST_COMMANDS:
            if command in self.mentioned:
                await self.act((Step("command", command),))
        self.unreached = len(queue)

    def figures(self) -> str:
        return (
            f"{self.name}: {self.roots} commands and menu buttons"
            f" ({len(self.mentioned)} commands named in texts), {len(self.screens)} screens,"
            f" {len(self.buttons)} buttons seen, {len(self.pressed)} pressed,"
            f" {self.actions} actions, {self.unreached} presses left over by the bounds"
        )


async def roots_of(client: SandboxClient, user_id: int) -> list[Step]:
    """The persona's command menu as the sandbox shows it, then the reply keyboard."""
    commands = [Step("command", f"/{item['command']}") for item in await client.commands(user_id)]
    view = await client.chat_view(user_id)
    keyboard = view.reply_keyboard.buttons if view.reply_keyboard else []
    return [*commands, *(Step("reply", text) for text in keyboard)]


async def onboard_teacher(client: SandboxClient) -> None:
    teacher = Player(client, TEACHER.telegram_id)
    await client.start(TEACHER.telegram_id)
    await teacher.tap("Согласен")
    await teacher.sees("Как вас зовут?")
    await teacher.say("Иванова Мария Петровна", expect="организац")
    await teacher.say("Гимназия № 5", expect="Что такое «Гимназия № 5»?")
    await teacher.tap("Школа")
    await teacher.tap("Учитель-предметник")
    await teacher.tap("Математика")
    await teacher.tap("Готово")
    await teacher.sees("Теперь выберите сообщество")


async def test_every_persona_taps_everything_and_nothing_breaks(world, log_tap) -> None:
    client = world
    failures: list[str] = []
    started = time.monotonic()
    # The crawler taps several times a second, a person about once: private chats get room
    # for that pace (a burst of one action's answers is still limited); the rest stays on.
    await client.set_rate_limits(private_per_second=30.0, private_burst=10)
    stranger = await client.create_user("Гость", last_name="Новый", username="new_guest")
    personas = (
        ("stranger", stranger.id, STRANGER_NEVER),
        ("teacher Мария", TEACHER.telegram_id, {}),
        ("moderator Ольга", MODERATOR.telegram_id, {}),
        ("coordinator Елена", METHODIST.telegram_id, {}),
        ("admin Андрей", ADMIN.telegram_id, {}),
    )
    crawls = []
    for name, user_id, never in personas:
        crawl = Crawl(client, user_id, name, log_tap, failures, never=dict(never))
        if user_id == TEACHER.telegram_id:
            await onboard_teacher(client)
        else:
            await crawl.act((Step("command", "/start"),))
        await crawl.run(await roots_of(client, user_id))
        crawls.append(crawl)
    elapsed = time.monotonic() - started

    FIGURES["crawler: what each persona reached"] = "\n".join(
        [
            *(crawl.figures() for crawl in crawls),
            f"{sum(c.actions for c in crawls)} actions in {elapsed:.0f} s;"
            f" {len(failures)} failures",
        ]
    )
    report = f"{len(failures)} failures:\n" + "\n".join(failures)
    assert not failures, report


# --- the crawler's own checks, against a bot broken on purpose -------------------------------


def _broken_bot() -> Dispatcher:
    """One healthy button, and one of each fault the crawler must report."""
    router = Router()
    menu = InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label, callback_data=data)]
            for label, data in (
                ("Хорошо", "ok"),
                ("Молчит", "silent"),
                ("Падает", "boom"),
                ("Длинно", "long"),
                ("Дважды", "twice"),
                ("Извините", "sorry"),
                ("Спросить", "ask"),
            )
        ]
    )

    @router.message(Command("start"))
    async def start(message: Message) -> None:
        await message.answer("Меню", reply_markup=menu)

    @router.callback_query(F.data == "ok")
    async def ok(callback: CallbackQuery) -> None:
        await callback.answer()
        await callback.message.answer("Всё хорошо")

    @router.callback_query(F.data == "silent")
    async def silent(callback: CallbackQuery) -> None:
        pass

    @router.callback_query(F.data == "boom")
    async def boom(callback: CallbackQuery) -> None:
        raise RuntimeError("boom")

    @router.callback_query(F.data == "long")
    async def long(callback: CallbackQuery) -> None:
        await callback.answer()
        with contextlib.suppress(TelegramBadRequest):
            await callback.message.answer("я" * 4097)

    @router.callback_query(F.data == "twice")
    async def twice(callback: CallbackQuery) -> None:
        await callback.answer()
        with contextlib.suppress(TelegramBadRequest):
            await callback.answer()

    @router.callback_query(F.data == "sorry")
    async def sorry(callback: CallbackQuery) -> None:
        await callback.answer()
        await callback.message.answer(APOLOGY[0] + ".")

    @router.callback_query(F.data == "ask")
    async def ask(callback: CallbackQuery) -> None:
        await callback.answer()
        await callback.message.answer("Напишите что-нибудь")  # and nothing takes the text

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def test_the_crawler_reports_every_kind_of_fault(log_tap) -> None:
    server = SandboxServer(rate_limits=RateLimits.off())
    base_url = await server.start()
    bot = Bot(server.token, session=AiohttpSession(api=TelegramAPIServer.from_base(base_url)))
    await bot.set_my_commands([BotCommand(command="start", description="Меню")])
    polling = asyncio.create_task(
        _broken_bot().start_polling(
            bot, polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    try:
        async with SandboxClient(base_url) as client:
            await client.wait_for_api_call("getUpdates", timeout=10, started=True)
            user = await client.create_user("Проверка", started=True)
            failures: list[str] = []
            crawl = Crawl(client, user.id, "tester", log_tap, failures, answer_wait=1.0)
            await crawl.run(await roots_of(client, user.id))
    finally:
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        await bot.session.close()
        await server.stop()

    def reported(label: str, problem: str) -> bool:
        return any(f"/start → ({label} |" in line and problem in line for line in failures)

    assert reported("Молчит", "no answerCallbackQuery"), failures
    assert reported("Падает", "ERROR aiogram.event"), failures
    assert reported("Длинно", "sendMessage refused: 400 Bad Request: message is too long"), failures
    assert reported("Дважды", "answerCallbackQuery refused"), failures
    assert reported("Дважды", "answered 2 times"), failures
    assert reported("Извините", "the apology"), failures
    assert any("(Спросить | ask) → ⌨" in line and "no handler took" in line for line in failures)
    assert not any("(Хорошо |" in line for line in failures), failures
    assert "Всё хорошо" in crawl.screens
