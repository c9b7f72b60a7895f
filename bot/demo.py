"""`metodset demo`: the real bot against the local sandbox, with a seeded community network.

Nothing here is a test path inside the bot: the bot connects to the sandbox through the
custom Bot API server setting, exactly as it would to a self-hosted Bot API server.
"""

import asyncio
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DeliverySettings, Settings
from sandbox import SandboxServer
from storage.clock import utcnow
from storage.db import create_engine, create_sessionmaker
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    ContentType,
    EventKind,
    EventStatus,
    GlobalRole,
    JoinPolicy,
    MaterialKind,
    MembershipStatus,
    OrganisationKind,
    Position,
    QuestionKind,
    Recurrence,
    RsvpStatus,
    SurveyStatus,
    UserStatus,
)
from storage.migrate import upgrade
from storage.models import (
    Community,
    Event,
    EventRsvp,
    MaterialDownload,
    MaterialRating,
    MaterialViews,
    Membership,
    Organisation,
    Post,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
    SurveyQuestion,
    SurveyResponse,
    Thread,
    User,
    UserRole,
)
from storage.repositories import Repo
from storage.repositories.materials import ContentCheck
from storage.sealing import new_key

logger = logging.getLogger(__name__)

DEMO_TOKEN = "700000001:metodset-demo-token"
DEMO_DATABASE = "metodset-demo.db"


@dataclass(frozen=True, slots=True)
class Persona:
    telegram_id: int
    first_name: str
    last_name: str
    username: str
    full_name: str | None  # None: not registered in the bot yet, onboards by clicking
    position: Position | None = None
    role: GlobalRole | None = None


TEACHER = Persona(5001, "Мария", "Иванова", "maria_teacher", None)
MODERATOR = Persona(
    5002, "Ольга", "Смирнова", "olga_methodist", "Смирнова Ольга Викторовна", Position.METHODIST
)
METHODIST = Persona(
    5003,
    "Елена",
    "Козлова",
    "elena_coordinator",
    "Козлова Елена Андреевна",
    Position.METHODIST,
    GlobalRole.COORDINATOR,
)
ADMIN = Persona(
    5004,
    "Андрей",
    "Волков",
    "andrey_admin",
    "Волков Андрей Сергеевич",
    Position.HEAD,
    GlobalRole.ADMIN,
)
COLLEAGUES = (
    ("Петрова Анна Сергеевна", "math"),
    ("Кузнецов Игорь Павлович", "math"),
    ("Соколова Наталья Ивановна", "russian"),
    ("Морозова Ирина Олеговна", "primary"),
    ("Васильева Светлана Юрьевна", "psychology"),
)
PERSONAS = (TEACHER, MODERATOR, METHODIST, ADMIN)
COLLEAGUE_ID = 6000  # the first colleague's Telegram id; the others follow
MODERATORS_CHAT_ID = -1001000000001

COMMUNITIES = (
    (
        "Учителя математики",
        "Математика",
        "Задачи, контрольные, подготовка к ОГЭ и ЕГЭ.",
        JoinPolicy.OPEN,
    ),
    (
        "Русский язык и литература",
        "Русский язык, литература",
        "Уроки, сочинения, читательская грамотность.",
        JoinPolicy.OPEN,
    ),
    (
        "Начальная школа",
        "Начальные классы",
        "Методики и материалы для 1–4 классов.",
        JoinPolicy.OPEN,
    ),
    (
        "Педагоги-психологи",
        "Психолого-педагогическое сопровождение",
        "Закрытое сообщество: вступление по заявке.",
        JoinPolicy.BY_REQUEST,
    ),
)
MATERIALS = (
    (
        "Сложение и вычитание дробей с разными знаменателями",
        "Конспект урока с карточками",
        MaterialKind.LESSON_PLAN,
        [5],
        0,
    ),
    (
        "Банк задач на проценты",
        "Задачи для 6–7 классов с ответами",
        MaterialKind.ASSESSMENT,
        [6, 7],
        0,
    ),
    (
        "Функциональная грамотность на уроках математики",
        "Методические рекомендации",
        MaterialKind.RECOMMENDATIONS,
        [5, 6, 7, 8, 9],
        0,
    ),
    (
        "Сочинение-рассуждение: памятка ученику",
        "Алгоритм и критерии оценивания",
        MaterialKind.EVALUATION_SHEET,
        [8, 9],
        1,
    ),
    (
        "Игры на переменах для младших школьников",
        "Подборка подвижных игр",
        MaterialKind.METHODICAL_DEVELOPMENT,
        [1, 2, 3, 4],
        2,
    ),
)


def seed_sandbox(server: SandboxServer) -> None:
    """The personas the page offers, and the moderators' chat with the bot as admin."""
    state = server.state
    for persona in PERSONAS:
        state.add_user(
            persona.first_name,
            user_id=persona.telegram_id,
            last_name=persona.last_name,
            username=persona.username,
            started=persona.full_name is not None,
        )
    # The seeded colleagues have started the bot too, so what it sends them arrives (an
    # expert's request, invitations, broadcasts) and any of them can be played on the page.
    for index, (full_name, _subject) in enumerate(COLLEAGUES):
        last_name, first_name, _patronymic = full_name.split()
        state.add_user(first_name, user_id=COLLEAGUE_ID + index, last_name=last_name, started=True)
    state.add_group(
        "Модераторы: учителя математики",
        chat_id=MODERATORS_CHAT_ID,
        creator_id=ADMIN.telegram_id,
        members=[MODERATOR.telegram_id],
        admins=[ADMIN.telegram_id],
        bot_status="administrator",
    )


async def seed_database(url: str) -> None:
    """Communities, staff and a few published materials, as a network a few weeks in."""
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    now = utcnow()
    try:
        async with create_sessionmaker(engine)() as session:
            school = Organisation(
                name="МБОУ «СОШ № 1»", kind=OrganisationKind.SCHOOL, municipality="", created_at=now
            )
            centre = Organisation(
                name="Методический центр",
                kind=OrganisationKind.OTHER,
                municipality="",
                created_at=now,
            )
            session.add_all([school, centre])
            await session.flush()
            people: dict[int, User] = {}
            for persona in PERSONAS:
                if persona.full_name is None:
                    continue
                user = User(
                    telegram_id=persona.telegram_id,
                    status=UserStatus.ACTIVE,
                    full_name=persona.full_name,
                    username=persona.username,
                    organisation_id=centre.id,
                    position=persona.position,
                    subjects=[],
                    consent_at=now,
                    created_at=now,
                    roles=[],
                )
                if persona.role:
                    user.roles.append(UserRole(role=persona.role, granted_at=now))
                session.add(user)
                people[persona.telegram_id] = user
            colleagues = []
            for index, (name, subject) in enumerate(COLLEAGUES):
                colleague = User(
                    telegram_id=COLLEAGUE_ID + index,
                    status=UserStatus.ACTIVE,
                    full_name=name,
                    organisation_id=school.id,
                    position=Position.SUBJECT_TEACHER,
                    subjects=[subject],
                    consent_at=now,
                    created_at=now,
                    roles=[],
                )
                colleagues.append(colleague)
            session.add_all(colleagues)
            communities = [
                Community(
                    title=title,
                    area=area,
                    description=description,
                    join_policy=policy,
                    status=CommunityStatus.ACTIVE,
                    created_at=now - timedelta(days=30),
                )
                for title, area, description, policy in COMMUNITIES
            ]
            session.add_all(communities)
            await session.flush()
            communities[0].moderators_chat_id = MODERATORS_CHAT_ID
            moderator = people[MODERATOR.telegram_id]
            for community in (communities[0], communities[3]):
                session.add(
                    Membership(
                        community_id=community.id,
                        user_id=moderator.id,
                        role=CommunityRole.MODERATOR,
                        status=MembershipStatus.ACTIVE,
                        created_at=now,
                        joined_at=now,
                    )
                )
            for index, colleague in enumerate(colleagues):
                for community in communities[: 2 + index % 3]:
                    role = (
                        CommunityRole.EXPERT
                        if index == 0 and community is communities[0]
                        else CommunityRole.MEMBER
                    )
                    session.add(
                        Membership(
                            community_id=community.id,
                            user_id=colleague.id,
                            role=role,
                            status=MembershipStatus.ACTIVE,
                            created_at=now,
                            joined_at=now,
                        )
                    )
            await session.flush()
            repo = Repo(session)
            for title, description, kind, grades, community_index in MATERIALS:
                draft = await repo.materials.start_draft(colleagues[0])
                draft.title, draft.description, draft.kind, draft.grades = (
                    title,
                    description,
                    kind,
                    grades,
                )
                draft.community_id = communities[community_index].id
                draft.content_type, draft.body = ContentType.TEXT, f"{title}. {description}."
                await repo.materials.submit(draft, ContentCheck(), trusted_after=0)
            # The mathematicians' methodical association meets monthly: /events shows it.
            first = (now + timedelta(days=7)).replace(hour=12, minute=0, second=0, microsecond=0)
            await repo.events.create(
                people[METHODIST.telegram_id],
                community_id=communities[0].id,
                kind=EventKind.MEETING,
                title="Заседание МО учителей математики",
                description="Разбор второй части ОГЭ, обмен опытом.",
                starts_at=first,
                duration_minutes=90,
                place="МБОУ СОШ № 1, кабинет 21",
                capacity=25,
                time_zone="Europe/Moscow",
                recurrence=Recurrence.MONTHLY_WEEKDAY,
                until=(first + timedelta(days=120)).date(),
            )
            await seed_history(session, now, people, colleagues, communities)
            await session.commit()
    finally:
        await engine.dispose()


HISTORY = (  # materials published before the demo starts: title, kind, grades, days ago
    ("Текстовые задачи на движение", MaterialKind.ASSESSMENT, [5, 6], 66),
    ("Урок-практикум: площадь фигур", MaterialKind.LESSON_PLAN, [5], 58),
    ("Презентация «Великие математики»", MaterialKind.PRESENTATION, [7, 8], 51),
    ("Рабочая программа по алгебре, 7 класс", MaterialKind.WORK_PROGRAMME, [7], 44),
    ("Проект «Математика в архитектуре города»", MaterialKind.PROJECT, [8, 9], 37),
    ("Оценочный лист устного ответа", MaterialKind.EVALUATION_SHEET, [5, 6, 7], 33),
    ("Видеоурок: решение квадратных уравнений", MaterialKind.VIDEO, [8], 26),
    ("КИМ: входная контрольная, 6 класс", MaterialKind.ASSESSMENT, [6], 19),
    (
        "Методическая разработка «Математический квест»",
        MaterialKind.METHODICAL_DEVELOPMENT,
        [5, 6],
        12,
    ),
    ("Конспект урока «Пропорции»", MaterialKind.LESSON_PLAN, [6], 5),
)


async def seed_history(
    session: AsyncSession,
    now: datetime,
    people: dict[int, User],
    colleagues: list[User],
    communities: list[Community],
) -> None:
    """Ten weeks of the network's life before the demo starts, so /report has something to
    count in any recent month: members who joined over time, materials published week by
    week and opened, downloaded and rated; a seminar held with its attendance marked; a
    discussion; a closed satisfaction survey. Deterministic: the same demo every run."""
    rng = random.Random(18)
    for index, colleague in enumerate(colleagues):
        colleague.consent_at = colleague.created_at = now - timedelta(days=75 - 9 * index)
    for person in people.values():
        person.consent_at = person.created_at = now - timedelta(days=90)
    for membership in await session.scalars(select(Membership)):
        joined = (await session.get(User, membership.user_id)).consent_at  # type: ignore[union-attr]
        membership.created_at = membership.joined_at = joined or now
    repo = Repo(session)
    authors = [colleagues[i % len(colleagues)] for i in range(len(HISTORY))]
    materials = []
    for (title, kind, grades, days), author in zip(HISTORY, authors, strict=True):
        draft = await repo.materials.start_draft(author)
        draft.title, draft.kind, draft.grades = title, kind, grades
        draft.community_id = communities[0].id
        draft.content_type, draft.body = ContentType.TEXT, f"{title}."
        await repo.materials.submit(draft, ContentCheck(), trusted_after=0)
        at = (now - timedelta(days=days)).replace(hour=9 + days % 8, minute=15)
        draft.created_at = draft.updated_at = draft.submitted_at = draft.published_at = at
        materials.append(draft)
    readers = [*colleagues, *people.values()]
    for material in materials:
        published = material.published_at or now
        age = max((now - published).days, 1)
        hours: dict[datetime, int] = {}
        for _ in range(rng.randint(4, 30)):
            at = published + timedelta(hours=rng.randint(1, age * 24))
            hour = at.replace(minute=0, second=0, microsecond=0)
            hours[hour] = hours.get(hour, 0) + 1
        for hour, views in hours.items():
            session.add(MaterialViews(material_id=material.id, hour=hour, views=views))
        material.views = sum(hours.values())
        for reader in rng.sample(readers, rng.randint(0, 5)):
            at = published + timedelta(hours=rng.randint(1, age * 24))
            session.add(MaterialDownload(material_id=material.id, user_id=reader.id, at=at))
            material.downloads += 1
            if rng.random() < 0.6:
                useful = rng.random() < 0.85
                session.add(
                    MaterialRating(material_id=material.id, user_id=reader.id, useful=useful, at=at)
                )
                material.useful += useful
                material.not_useful += not useful
    await _past_seminar(session, now, people[METHODIST.telegram_id], colleagues, communities[0])
    await _past_discussion(session, now, colleagues, communities[0])
    await _closed_survey(
        session, now, people[METHODIST.telegram_id], people[MODERATOR.telegram_id], colleagues, rng
    )
    await session.flush()


async def _past_seminar(
    session: AsyncSession,
    now: datetime,
    organiser: User,
    colleagues: list[User],
    community: Community,
) -> None:
    starts = (now - timedelta(days=24)).replace(hour=11, minute=0, second=0, microsecond=0)
    seminar = Event(
        community_id=community.id,
        creator_id=organiser.id,
        kind=EventKind.SEMINAR,
        title="Семинар «Функциональная грамотность: задачи PISA»",
        description="Практикум: разбор задач, обмен опытом.",
        starts_at=starts,
        duration_minutes=120,
        place="Методический центр, ауд. 3",
        capacity=30,
        time_zone="Europe/Moscow",
        reminders=[],
        status=EventStatus.PUBLISHED,
        attendance_marked_at=starts + timedelta(hours=3),
        created_at=starts - timedelta(days=14),
        updated_at=starts + timedelta(hours=3),
    )
    session.add(seminar)
    await session.flush()
    for index, colleague in enumerate(colleagues):
        session.add(
            EventRsvp(
                event_id=seminar.id,
                user_id=colleague.id,
                status=RsvpStatus.GOING,
                attended=index != 2,  # one of those who said they would come did not
                created_at=starts - timedelta(days=10 - index),
                updated_at=starts + timedelta(hours=3),
            )
        )


async def _past_discussion(
    session: AsyncSession, now: datetime, colleagues: list[User], community: Community
) -> None:
    opened = now - timedelta(days=30)
    replies = (
        "Даю задачи из открытого банка ФИПИ, по одной в начале урока.",
        "У нас хорошо идут задачи с реальными данными района: тарифы, расписание автобусов.",
        "Спасибо! Поделитесь подборкой в банке материалов?",
        "Выложила «Банк задач на проценты», там есть такие.",
    )
    thread = Thread(
        community_id=community.id,
        author_id=colleagues[1].id,
        title="Как встроить функциональную грамотность в обычный урок?",
        replies=len(replies),
        created_at=opened,
        last_post_at=opened + timedelta(days=len(replies) * 3),
    )
    session.add(thread)
    await session.flush()
    session.add(
        Post(
            thread_id=thread.id,
            author_id=colleagues[1].id,
            body="Коллеги, делитесь: какие задачи работают на ваших уроках?",
            created_at=opened,
        )
    )
    for day, text in enumerate(replies, 1):
        session.add(
            Post(
                thread_id=thread.id,
                author_id=colleagues[(day + 1) % len(colleagues)].id,
                body=text,
                created_at=opened + timedelta(days=day * 3),
            )
        )


async def _closed_survey(
    session: AsyncSession,
    now: datetime,
    creator: User,
    moderator: User,
    colleagues: list[User],
    rng: random.Random,
) -> None:
    """The effectiveness survey of seed 003 §9, closed with its answers released: the
    five colleagues answered, anonymously (no names on the answers, no times); the
    moderator, invited too, did not."""
    closed = now - timedelta(days=21)
    survey = Survey(
        title="Оценка работы сетевого сообщества",
        intro="Анонимно, две минуты.",
        creator_id=creator.id,
        status=SurveyStatus.CLOSED,
        audience=None,
        opens_at=closed - timedelta(days=7),
        closes_at=closed,
        closed_at=closed,
        min_group=5,
        created_at=closed - timedelta(days=8),
    )
    session.add(survey)
    await session.flush()
    questions = [
        SurveyQuestion(
            survey_id=survey.id,
            position=position,
            kind=QuestionKind.SCALE,
            text=text,
            scale_max=5,
            scale_labels=["совсем нет", "полностью"],
        )
        for position, text in enumerate(
            (
                "Насколько вы удовлетворены работой сообщества?",
                "Насколько полезны материалы банка?",
                "Насколько интересны обсуждения?",
            )
        )
    ]
    session.add_all(questions)
    await session.flush()
    for colleague in colleagues:
        session.add(
            SurveyParticipant(
                survey_id=survey.id, user_id=colleague.id, answered=True, released=True
            )
        )
    session.add(SurveyParticipant(survey_id=survey.id, user_id=moderator.id))
    for _ in colleagues:
        response = SurveyResponse(id=secrets.token_hex(16), survey_id=survey.id)
        session.add(response)
        for question in questions:
            session.add(
                SurveyAnswer(
                    id=secrets.token_hex(16),
                    response_id=response.id,
                    question_id=question.id,
                    number=rng.choice((3, 4, 4, 5, 5)),
                )
            )


def fresh_database(database: Path) -> str:
    """Each demo starts from the same seeded state."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    return f"sqlite+aiosqlite:///{database.absolute()}"


def settings_for_demo(settings: Settings, *, api_server: str, database_url: str) -> Settings:
    """The demo's bot: the sandbox's token and address, the demo database, Андрей as the
    admin, and no quiet hours, so a broadcast tried at night arrives at once."""
    return settings.model_copy(
        update={
            "bot_token": SecretStr(DEMO_TOKEN),
            "api_server": api_server,
            "database_url": database_url,
            "admin_ids": [ADMIN.telegram_id],
            "delivery": DeliverySettings(quiet_start=time(0, 0), quiet_end=time(0, 0)),
            # the demo database is new each run, so a new key serves it
            "survey_key": settings.survey_key or SecretStr(new_key()),
        }
    )


async def run_demo(settings: Settings, *, port: int, database_url: str) -> None:
    from bot.app import run_polling

    server = SandboxServer(
        DEMO_TOKEN, bot_username="metodset_demo_bot", bot_name="Методсеть (демо)"
    )
    seed_sandbox(server)
    base_url = await server.start("127.0.0.1", port)
    url = database_url
    await seed_database(url)
    demo_settings = settings_for_demo(settings, api_server=base_url, database_url=url)
    print(
        f"metodset demo: open {base_url}/ in a browser — you are Мария, a teacher; "
        "switch to Ольга (moderator), Елена (coordinator) or Андрей (admin). "
        "Quiet hours are off in the demo: broadcasts and invitations go at once, day or night. "
        "Ctrl-C stops.",
        flush=True,
    )
    try:
        await run_polling(demo_settings, handle_signals=False)
    finally:
        await server.stop()
