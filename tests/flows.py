"""Whole user flows through the bot and the arranging helpers that several test modules
share: a registered teacher, and the delivery worker a running bot keeps in the background."""

from collections.abc import Awaitable, Callable

from aiogram import Bot
from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import I18n
from scheduler.outbox import OutboxWorker, SendLimits
from storage.enums import CommunityRole, CommunityStatus, JoinPolicy, MembershipStatus
from storage.models import Community, Material, Membership
from storage.quiet import QuietHours
from tests.harness import BotHarness, FakeClock, Person
from tests.people import MODERATOR, MODERATORS_CHAT, READER, TEACHER


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


async def make_community(
    repo, title: str, policy: JoinPolicy = JoinPolicy.OPEN, **fields
) -> Community:
    community = Community(
        title=title,
        area=fields.pop("area", "Математика"),
        description=fields.pop("description", "Учителя математики района"),
        join_policy=policy,
        status=CommunityStatus.ACTIVE,
        created_at=repo.clock(),
        **fields,
    )
    repo.session.add(community)
    await repo.session.commit()
    return community


async def make_moderator(repo, person: Person, community: Community) -> None:
    user = await repo.users.by_telegram_id(person.id)
    repo.session.add(
        Membership(
            community_id=community.id,
            user_id=user.id,
            role=CommunityRole.MODERATOR,
            status=MembershipStatus.ACTIVE,
            created_at=repo.clock(),
        )
    )
    await repo.session.commit()


async def membership_of(repo, person: Person, community: Community) -> Membership | None:
    community_id = inspect(community).identity[0]  # no lazy load of an expired object
    repo.session.expire_all()
    user = await repo.users.by_telegram_id(person.id)
    return await repo.communities.membership(user, community_id)


async def setup_community(h: BotHarness, repo, *, moderators_chat: bool = False):
    await register(h, TEACHER)
    await register(h, MODERATOR, full_name="Смирнова Ольга")
    await register(h, READER, full_name="Петров Пётр")
    community = await make_community(repo, "Математики")
    await make_moderator(repo, MODERATOR, community)
    if moderators_chat:
        community.moderators_chat_id = MODERATORS_CHAT.id
        await repo.session.commit()
    for person in (TEACHER, READER):
        await h.send(person, "/communities")
        await h.tap(person, h.last_message(person.id), "Математики")
        await h.tap(person, h.last_message(person.id), "Вступить")
    return community


async def share_document(
    h: BotHarness, *, file_name="Сложение_дробей.pdf", tags="дроби, 5 класс"
) -> None:
    await h.send(TEACHER, "/share")
    await h.send_document(TEACHER, file_name, caption="Урок с карточками")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Взять имя файла")
    await h.tap(
        TEACHER, h.last_message(TEACHER.id), "Пропустить"
    )  # the caption became the description
    if "В какое сообщество" in h.last_message(TEACHER.id).text:  # a member of several
        await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "План (конспект) урока")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "5 кл.")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "6 кл.")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")
    await h.send(TEACHER, tags)


async def material(repo) -> Material:
    repo.session.expire_all()
    return await repo.session.scalar(select(Material).order_by(Material.id.desc()))
