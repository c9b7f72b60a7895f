"""The "/" menu shows each person exactly the commands they may use, and follows their roles."""

from bot.app import set_commands
from bot.commands import MEMBER_COMMANDS, RECHECK_SECONDS
from sandbox.formatting import parse_html
from tests.conftest import ADMIN
from tests.flows import (
    fill_application,
    make_community,
    make_moderator,
    open_manage,
    register,
    setup_people,
)
from tests.harness import BotHarness, Person, texts
from tests.people import APPLICANT, COORDINATOR

TEACHER = Person(id=5001, first_name="Мария", username="maria_t")
MODERATOR = Person(id=5002, first_name="Ольга", username="olga_m")
STAFF = {"queue", "history", "deadlines", "new_deadline", "broadcast", "new_survey", "grant"}
DENIED = "нет прав"


def menu_of(h: BotHarness, person: Person) -> list[str]:
    """The list Telegram shows this person in their private chat, from the calls made:
    their own chat's list (in their language, then any), else the default one."""
    lists: dict[tuple, list[str] | None] = {}
    for call in h.session.calls:
        if call.name not in {"setMyCommands", "deleteMyCommands"}:
            continue
        scope = call.method.scope
        key = (
            scope.type if scope else "default",
            getattr(scope, "chat_id", None),
            call.method.language_code,
        )
        lists[key] = (
            [c.command for c in call.method.commands] if call.name == "setMyCommands" else None
        )
    language = person.language_code
    for key in (
        ("chat", person.id, language),
        ("chat", person.id, None),
        ("default", None, language),
        ("default", None, None),
    ):
        if lists.get(key):
            return lists[key]
    return []


def descriptions(h: BotHarness, person: Person) -> list[str]:
    for call in reversed(h.session.calls):
        scope = call.method.scope if call.name == "setMyCommands" else None
        if scope is not None and getattr(scope, "chat_id", None) == person.id:
            return [c.description for c in call.method.commands]
    return []


async def start(h: BotHarness, i18n) -> None:
    await set_commands(h.bot, i18n, h.dispatcher["command_menus"])


async def assert_every_command_answers(h: BotHarness, person: Person) -> None:
    """No command in the person's menu is refused for lack of rights, and every answer is
    HTML that Telegram accepts."""
    for command in menu_of(h, person):
        calls = await h.send(person, f"/{command}")
        assert not any(DENIED in text for text in texts(calls)), command
        for text in texts(calls):
            parse_html(text)  # raises as Telegram's "can't parse entities" would
        assert not any(DENIED in alert for alert in h.alerts()), command
        await h.send(person, "/cancel")


async def test_a_teachers_menu_has_only_what_a_member_can_do(harness: BotHarness, i18n) -> None:
    h = harness
    await start(h, i18n)
    await register(h, TEACHER)
    await h.send(TEACHER, "/help")

    menu = menu_of(h, TEACHER)
    assert menu == list(MEMBER_COMMANDS)
    assert not STAFF & set(menu)
    await assert_every_command_answers(h, TEACHER)


async def test_a_moderators_menu_adds_the_queue(harness: BotHarness, repo, i18n) -> None:
    h = harness
    await start(h, i18n)
    await register(h, MODERATOR, full_name="Смирнова Ольга")
    await make_moderator(repo, MODERATOR, await make_community(repo, "Математики"))

    # Another process made her a moderator: her next update after the recheck sees it.
    h.clock.advance(RECHECK_SECONDS + 1)
    await h.send(MODERATOR, "/help")

    menu = menu_of(h, MODERATOR)
    assert {"queue", "history", "new_event"} <= set(menu)
    assert not {"broadcast", "deadlines", "grant"} & set(menu)
    assert menu[: len(MEMBER_COMMANDS) - 6] == list(MEMBER_COMMANDS[:8])
    assert "Очередь проверки" in descriptions(h, MODERATOR)
    await assert_every_command_answers(h, MODERATOR)


async def test_staff_menus_are_set_at_start_up(harness: BotHarness, repo, i18n) -> None:
    h = harness
    await register(h, MODERATOR, full_name="Смирнова Ольга")
    await make_moderator(repo, MODERATOR, await make_community(repo, "Математики"))

    await start(h, i18n)

    assert "queue" in menu_of(h, MODERATOR)
    admin_menu = menu_of(h, ADMIN)  # a bootstrap admin, before writing to the bot
    assert {"queue", "broadcast", "deadlines", "grant", "applications", "rules"} <= set(admin_menu)


async def test_every_command_in_an_admins_menu_answers(harness: BotHarness, repo, i18n) -> None:
    h = harness
    await start(h, i18n)
    await register(h, ADMIN, full_name="Админов Админ")
    await make_community(repo, "Математики")

    assert {"grant", "rules", "check_text", "broadcast", "queue"} <= set(menu_of(h, ADMIN))
    await assert_every_command_answers(h, ADMIN)


async def test_grant_and_revoke_change_the_menu_at_once(harness: BotHarness, i18n) -> None:
    h = harness
    await start(h, i18n)
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)
    assert "broadcast" not in menu_of(h, TEACHER)

    await h.send(ADMIN, "/grant @maria_t methodist")

    menu = menu_of(h, TEACHER)  # before the teacher writes anything
    assert {"broadcast", "new_survey", "new_event"} <= set(menu)
    assert not {"queue", "deadlines", "grant"} & set(menu)
    await assert_every_command_answers(h, TEACHER)

    await h.send(ADMIN, "/revoke @maria_t methodist")

    assert menu_of(h, TEACHER) == list(MEMBER_COMMANDS)
    deleted = [c for c in h.session.calls if c.name == "deleteMyCommands"]
    assert deleted[-1].method.scope.chat_id == TEACHER.id


async def test_a_moderator_appointed_in_the_management_screen_gets_the_queue(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    await start(h, i18n)
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)
    await make_community(repo, "Математики")
    await open_manage(h, "Математики")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Назначить модератора")

    await h.send(ADMIN, "@maria_t")

    assert "queue" in menu_of(h, TEACHER)

    # The only moderator keeps the role until a successor is appointed.
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Назначить модератора")
    await h.send(ADMIN, "@admin_user")
    await open_manage(h, "Математики")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Снять: Иванова")
    assert "queue" in menu_of(h, TEACHER)  # asked first: nothing changed yet
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Да")

    assert "queue" not in menu_of(h, TEACHER)


async def test_an_approved_applicant_becomes_a_moderator_with_the_queue(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    await start(h, i18n)
    await setup_people(h, repo)  # the coordinator's role is granted by another process
    h.clock.advance(RECHECK_SECONDS + 1)
    await h.send(COORDINATOR, "/help")
    assert {"applications", "deadlines", "new_survey"} <= set(menu_of(h, COORDINATOR))
    await fill_application(h, APPLICANT)
    await h.tap(APPLICANT, h.last_message(APPLICANT.id), "Отправить заявку")
    assert "queue" not in menu_of(h, APPLICANT)

    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "Одобрить")

    assert "queue" in menu_of(h, APPLICANT)


async def test_a_staff_menu_follows_the_persons_language(harness: BotHarness, i18n) -> None:
    h = harness
    await start(h, i18n)
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)
    await h.send(ADMIN, "/grant @maria_t methodist")
    assert "Рассылка участникам" in descriptions(h, TEACHER)

    await h.send(TEACHER, "/language")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "English")

    assert "Broadcast to members" in descriptions(h, TEACHER)


async def test_in_groups_the_menu_offers_only_the_report(harness: BotHarness, i18n) -> None:
    """Private-chat commands listed in a group would answer nothing there."""
    h = harness
    await start(h, i18n)

    group_lists = {
        call.method.language_code: [c.command for c in call.method.commands]
        for call in h.session.calls
        if call.name == "setMyCommands"
        and call.method.scope is not None
        and call.method.scope.type == "all_group_chats"
    }
    assert group_lists == {"ru": ["report"], "en": ["report"], None: ["report"]}
