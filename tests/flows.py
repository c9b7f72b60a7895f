"""The arranging helpers that several test modules share, so that no test module imports
another: whole user flows through the bot (registering, sharing, threads, events,
applications), rows written straight to the database where the flow is not the point
(communities, moderators, published materials, a survey draft), and the delivery worker a
running bot keeps in the background. The people they act as are in tests/people.py."""

import re
from collections.abc import Awaitable, Callable

from aiogram import Bot
from sqlalchemy import inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import I18n
from scheduler.outbox import DeliveryObserver, OutboxWorker, SendLimits
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    ContentType,
    GlobalRole,
    JoinPolicy,
    MaterialKind,
    MembershipStatus,
    QuestionKind,
    SanctionKind,
)
from storage.models import Community, Material, Membership, Sanction, Survey, User
from storage.quiet import QuietHours
from storage.repositories.materials import ContentCheck, Submitted
from tests.harness import BotHarness, FakeClock, Person
from tests.people import (
    ADMIN,
    APPLICANT,
    COORDINATOR,
    GROUP,
    METHODIST,
    MODERATOR,
    MODERATORS_CHAT,
    READER,
    SHARER,
    STRANGER,
    TEACHER,
)


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


# --- the delivery worker -------------------------------------------------------------------------


def make_outbox_worker(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    bot: Bot,
    i18n_hub: I18n,
    clock: FakeClock,
    sleep: Callable[[float], Awaitable[None]] | None = None,
    limits: SendLimits = SendLimits(),
    quiet: QuietHours = QuietHours(),
    observer: DeliveryObserver | None = None,
) -> OutboxWorker:
    """The one delivery worker on the test's clock. Its waits advance the fake clock
    instead of sleeping (nothing sleeps in tests); a test that watches the waits passes
    its own ``sleep``."""

    async def advance(seconds: float) -> None:
        clock.advance(seconds)

    return OutboxWorker(
        sessionmaker=sessionmaker,
        bot=bot,
        i18n_hub=i18n_hub,
        clock=clock,
        monotonic=clock.monotonic,
        sleep=sleep or advance,
        limits=limits,
        quiet=quiet,
        observer=observer,
    )


def outbox_worker(h: BotHarness, **options) -> OutboxWorker:
    """The worker of the bot under test: its database, Bot, texts and clock."""
    data = h.dispatcher.workflow_data
    return make_outbox_worker(
        sessionmaker=data["sessionmaker"],
        bot=h.bot,
        i18n_hub=data["i18n_hub"],
        clock=data["clock"],
        **options,
    )


async def drain_outbox(h: BotHarness, **options) -> int:
    """What the delivery worker does in the background of a running bot."""
    return await outbox_worker(h, **options).drain()


# --- communities and materials -------------------------------------------------------------------


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
            joined_at=repo.clock(),
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


# --- linked groups and the conduct code ----------------------------------------------------------


def calls_named(h: BotHarness, name: str) -> list:
    return [call for call in h.session.calls if call.name == name]


async def linked_group(h: BotHarness, repo, **ladder):
    community = await setup_community(h, repo)
    community.group_chat_id = GROUP.id
    community.conduct_settings = ladder
    await repo.session.commit()
    return community


async def sanctions(repo, kind: SanctionKind | None = None) -> list[Sanction]:
    repo.session.expire_all()
    query = select(Sanction).order_by(Sanction.id)
    if kind is not None:
        query = query.where(Sanction.kind == kind)
    return list(await repo.session.scalars(query))


# --- methodists and events -----------------------------------------------------------------------


async def methodist(
    h: BotHarness, repo, person: Person = METHODIST, name: str | None = None
) -> User:
    """A registered teacher with the methodist's role (events, broadcasts, surveys)."""
    await register(h, person, full_name=name or f"Методистова {person.first_name}")
    user = await repo.users.by_telegram_id(person.id)
    await repo.users.grant_role(user, GlobalRole.METHODIST, None)
    await repo.session.commit()
    return user


async def create_event(h: BotHarness, capacity: str | None = "1") -> None:
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Семинар")
    await h.send(METHODIST, "Функциональная грамотность на уроках математики")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Пропустить")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.send(METHODIST, "25.12.2026 15:00")
    await h.send(METHODIST, "90")
    await h.send(METHODIST, "Школа № 1, актовый зал")
    if capacity is None:
        await h.tap(METHODIST, h.last_message(METHODIST.id), "Без ограничения")
    else:
        await h.send(METHODIST, capacity)
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Один раз")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Опубликовать")


async def open_listed(h: BotHarness, person: Person, listing, fragment: str) -> None:
    """/events is a numbered list of whole titles with a button per number: tap the number
    of the entry whose title holds ``fragment``."""
    for line in listing.html_text.splitlines():
        entry = re.match(r"(\d+)\. <b>(.*?)</b>", line)
        if entry and fragment in entry.group(2):
            number = entry.group(1)
            pressed = next(
                b for row in listing.reply_markup.inline_keyboard for b in row if b.text == number
            )
            await h.press(person, listing, pressed.callback_data)
            return
    raise AssertionError(f"no entry with {fragment!r} in {listing.text!r}")


# --- the admin, threads, reports -----------------------------------------------------------------


async def open_manage(h: BotHarness, title: str) -> None:
    await h.send(ADMIN, "/communities")
    await h.tap(ADMIN, h.last_message(ADMIN.id), title)
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Управление")


async def open_threads(h: BotHarness, person: Person) -> None:
    await h.send(person, "/communities")
    await h.tap(person, h.last_message(person.id), "Математики")
    await h.tap(person, h.last_message(person.id), "Обсуждения")


async def start_thread(h: BotHarness, person: Person, title: str, text: str) -> None:
    await open_threads(h, person)
    await h.tap(person, h.last_message(person.id), "Новая тема")
    await h.send(person, title)
    await h.send(person, text)


async def reply(h: BotHarness, person: Person, text: str) -> None:
    await h.tap(person, h.last_message(person.id), "Ответить")
    await h.send(person, text)


async def report(h: BotHarness, reporter: Person, reason: str = "оскорбление", text=None):
    target = h.message(STRANGER, text or "Вы все тут бездари", chat=GROUP)
    await h.send(reporter, f"/report {reason}", chat=GROUP, reply_to_message=target)
    return target


# --- rows arranged directly: materials, a survey -------------------------------------------------


async def publish(
    repo,
    author,
    community,
    title,
    *,
    description="",
    tags=(),
    kind=MaterialKind.LESSON_PLAN,
    grades=(5,),
):
    draft = await repo.materials.start_draft(author)
    draft.community_id = community.id
    draft.title = title
    draft.description = description
    draft.tags = list(tags)
    draft.kind = kind
    draft.grades = list(grades)
    await repo.session.flush()
    outcome, _ = await repo.materials.submit(draft, ContentCheck(), trusted_after=0)
    assert outcome is Submitted.PUBLISHED
    return draft


async def publish_file(repo, author, community, title, *, size=391, grades=(6,), **extra):
    material = await publish(repo, author, community, title, grades=grades, **extra)
    material.content_type = ContentType.DOCUMENT
    material.file_id = f"file-{title}"
    material.file_unique_id = f"u-{title}"
    material.file_name = f"{title}.pdf"
    material.file_size = size
    material.mime_type = "application/pdf"
    await repo.session.commit()
    return material


async def draft(repo, owner: User) -> Survey:
    survey = await repo.surveys.create(owner, "Работа сообщества", "Пара минут, честно.")
    add = repo.surveys.add_question
    await add(
        survey,
        owner,
        kind=QuestionKind.SCALE,
        text="Насколько полезны встречи?",
        scale_labels=["бесполезны", "очень полезны"],
    )
    await add(
        survey,
        owner,
        kind=QuestionKind.SINGLE,
        text="Как часто вы бываете на встречах?",
        options=["Каждую неделю", "Раз в месяц", "Никогда"],
    )
    await add(
        survey,
        owner,
        kind=QuestionKind.MULTIPLE,
        text="Что вам интересно?",
        options=["Семинары", "Открытые уроки", "Конкурсы"],
        allow_other=True,
    )
    await add(
        survey,
        owner,
        kind=QuestionKind.TEXT,
        text="Что изменить в работе сообщества?",
        required=False,
        max_length=200,
    )
    await add(
        survey,
        owner,
        kind=QuestionKind.SCALE,
        text="Оцените работу модераторов",
        scale_max=10,
        required=False,
    )
    await repo.session.commit()
    return survey


# --- dialogs: sharing, applying, building a survey -----------------------------------------------


async def start_sharing(h: BotHarness, repo) -> None:
    await register(h, SHARER)
    await make_community(repo, "Учителя математики")
    await h.send(SHARER, "/communities")
    await h.tap(SHARER, h.last_message(SHARER.id), "Учителя математики")
    await h.tap(SHARER, h.last_message(SHARER.id), "Вступить")
    await h.send(SHARER, "/share")
    await h.send_document(SHARER, "Дроби.pdf")
    assert "Название материала" in h.last_message(SHARER.id).text


ANSWERS = (
    "Функциональная грамотность",
    "Математика и естественные науки",
    "Обмен заданиями PISA-типа",
    "Учителя не владеют заданиями на функциональную грамотность",
    "Банк заданий для 5–9 классов и три открытых урока",
    "2026/27 учебный год",
    "СОШ № 1, СОШ № 4, Гимназия № 2",
)


async def fill_application(
    h: BotHarness, person: Person, *, policy_label: str = "По заявке"
) -> None:
    await h.send(person, "/apply")
    for answer in ANSWERS:
        await h.send(person, answer)
    await h.tap(person, h.last_message(person.id), policy_label)


async def setup_people(h: BotHarness, repo) -> None:
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, APPLICANT)
    await register(h, COORDINATOR, full_name="Козлова Елена")
    coordinator = await repo.users.by_telegram_id(COORDINATOR.id)
    await repo.users.grant_role(coordinator, GlobalRole.COORDINATOR, actor=None)
    await repo.session.commit()


async def from_template(h: BotHarness, person: Person, label: str) -> None:
    await h.send(person, "/new_survey")
    await h.tap(person, h.last_message(person.id), label)
