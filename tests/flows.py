"""Whole user flows through the bot and the arranging helpers that several test modules
share: a registered teacher, and the delivery worker a running bot keeps in the background."""

from collections.abc import Awaitable, Callable

from aiogram import Bot
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import I18n
from scheduler.outbox import OutboxWorker, SendLimits
from storage.quiet import QuietHours
from tests.harness import BotHarness, FakeClock, Person


async def register(
    h: BotHarness,
    person: Person,
    *,
    full_name: str = "Иванова Мария Петровна",
    organisation: str = "МБОУ СОШ № 1",
    position_label: str = "Учитель-предметник",
    subjects: tuple[str, ...] = ("Математика",),
) -> None:
    """/start → consent → profile, typing a new organisation (a school)."""
    await h.send(person, "/start")
    await h.tap(person, h.last_message(person.id), "Согласен")
    await h.send(person, full_name)
    await h.send(person, organisation)
    await h.tap(person, h.last_message(person.id), "Школа")
    await h.tap(person, h.last_message(person.id), position_label)
    for subject in subjects:
        await h.tap(person, h.last_message(person.id), subject)
    await h.tap(person, h.last_message(person.id), "Готово")


def make_outbox_worker(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n: I18n,
    clock: FakeClock,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    limits: SendLimits = SendLimits(),
    quiet: QuietHours = QuietHours(),
) -> OutboxWorker:
    """The one delivery worker on the test's clock. Its waits advance the fake clock
    instead of sleeping (nothing sleeps in tests); a test that watches the waits passes
    its own ``sleep``."""

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    return OutboxWorker(
        sessionmaker=sessionmaker,
        bot=bot,
        i18n=i18n,
        clock=clock,
        monotonic=clock.monotonic,
        sleep=sleep or advance,
        limits=limits,
        quiet=quiet,
    )


def outbox_worker(h: BotHarness, **options) -> OutboxWorker:
    """The worker of the bot under test: its database, Bot, texts and clock."""
    data = h.dispatcher.workflow_data
    return make_outbox_worker(
        sessionmaker=data["sessionmaker"],
        bot=h.bot,
        i18n=data["i18n_hub"],
        clock=data["clock"],
        **options,
    )


async def drain_outbox(h: BotHarness, **options) -> int:
    """What the delivery worker does in the background of a running bot."""
    return await outbox_worker(h, **options).drain()
