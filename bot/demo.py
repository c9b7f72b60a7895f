"""`metodset demo`: the real bot against the local sandbox, with a seeded community network.

Nothing here is a test path inside the bot: the bot connects to the sandbox through the
custom Bot API server setting, exactly as it would to a self-hosted Bot API server.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path

from pydantic import SecretStr

from bot.config import DeliverySettings, Settings
from sandbox import SandboxServer
from storage.clock import utcnow
from storage.db import create_engine, create_sessionmaker
from storage.enums import (
    CommunityRole,
    CommunityStatus,
    ContentType,
    EventKind,
    GlobalRole,
    JoinPolicy,
    MaterialKind,
    MembershipStatus,
    OrganisationKind,
    Position,
    Recurrence,
    UserStatus,
)
from storage.migrate import upgrade
from storage.models import Community, Membership, Organisation, User, UserRole
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
            await session.commit()
    finally:
        await engine.dispose()


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
