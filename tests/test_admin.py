"""Admins: community staff, archiving, linking a group, global roles."""

from aiogram.types import Chat
from sqlalchemy import select

from bot.callbacks import AdminAction, AdminCallback
from storage.enums import CommunityRole, CommunityStatus, GlobalRole
from storage.models import AuditEntry
from tests.conftest import ADMIN
from tests.flows import make_community, membership_of, open_manage, register
from tests.harness import BOT_ID, BotHarness, Person, group_admin, group_owner, labels, texts

TEACHER = Person(id=5001, first_name="Мария", username="maria_t")
GROUP = Chat(id=-100500, type="supergroup", title="Математики района")


async def test_admin_appoints_and_demotes_a_moderator(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)
    community = await make_community(repo, "Математики")
    await open_manage(h, "Математики")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Назначить модератора")

    calls = await h.send(ADMIN, "@maria_t")

    assert texts(calls)[0].startswith("✅ Иванова Мария Петровна — теперь модератор.")
    assert h.last_message(TEACHER.id).text == "Вас назначили: модератор сообщества «Математики»."
    membership = await membership_of(repo, TEACHER, community)
    assert membership.role is CommunityRole.MODERATOR
    assert "Снять: Иванова М. П. (модератор)" in labels(h.last_message(ADMIN.id))

    # The only moderator is not removed before a successor is appointed.
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Снять: Иванова")
    assert h.last_message(ADMIN.id).text.startswith(
        "Иванова М. П. — единственный модератор сообщества «Математики»"
    )
    assert labels(h.last_message(ADMIN.id)) == ["← Назад"]
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Назад")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Назначить модератора")
    await h.send(ADMIN, "@admin_user")
    await open_manage(h, "Математики")

    await h.tap(ADMIN, h.last_message(ADMIN.id), "Снять: Иванова")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Да, снять роль")

    assert (await membership_of(repo, TEACHER, community)).role is CommunityRole.MEMBER
    actions = (await repo.session.scalars(select(AuditEntry.action))).all()
    assert actions.count("membership.role") == 3


async def test_unknown_user_is_reported(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await make_community(repo, "Математики")
    await open_manage(h, "Математики")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Назначить эксперта")

    calls = await h.send(ADMIN, "@nobody")

    assert "Не нашёл зарегистрированного пользователя «@nobody»" in texts(calls)[0]


async def test_teacher_cannot_use_admin_buttons(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    community = await make_community(repo, "Математики")
    await h.send(TEACHER, "/communities")
    for action in (AdminAction.MENU, AdminAction.ARCHIVE_CONFIRM, AdminAction.ADD_MODERATOR):
        forged = AdminCallback(action=action, community_id=community.id).pack()
        await h.press(TEACHER, h.last_message(TEACHER.id), forged)
        assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    community_id = community.id
    repo.session.expire_all()
    assert (await repo.communities.get(community_id)).status is CommunityStatus.ACTIVE


async def test_archive_after_confirmation(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    community_id = (await make_community(repo, "Математики")).id
    await open_manage(h, "Математики")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "В архив")
    assert "Перенести «Математики» в архив?" in h.last_message(ADMIN.id).text

    await h.tap(ADMIN, h.last_message(ADMIN.id), "Да, в архив")

    assert h.last_message(ADMIN.id).text == "Сообщество «Математики» перенесено в архив."
    repo.session.expire_all()
    assert (await repo.communities.get(community_id)).status is CommunityStatus.ARCHIVED
    calls = await h.send(ADMIN, "/communities")
    assert "Пока нет ни одного сообщества" in texts(calls)[0]


async def test_link_group_checks_rights_in_the_group(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)
    community_id = (await make_community(repo, "Математики")).id
    command = f"/link {community_id}"

    calls = await h.send(TEACHER, command, chat=GROUP)
    assert texts(calls) == ["Привязать группу может только администратор бота."]

    calls = await h.send(ADMIN, command, chat=GROUP)
    assert texts(calls) == ["Привязать группу может только её администратор."]

    h.session.chat_members[(GROUP.id, ADMIN.id)] = group_owner(ADMIN.id)
    calls = await h.send(ADMIN, command, chat=GROUP)
    assert texts(calls) == ["Сначала назначьте бота администратором этой группы."]

    h.session.chat_members[(GROUP.id, BOT_ID)] = group_admin(BOT_ID)
    calls = await h.send(ADMIN, command, chat=GROUP)
    assert texts(calls) == ["✅ Группа привязана к сообществу «Математики»."]
    repo.session.expire_all()
    assert (await repo.communities.get(community_id)).group_chat_id == GROUP.id

    calls = await h.send(ADMIN, "/link abc", chat=GROUP)
    assert "Формат: /link" in texts(calls)[0]


async def test_grant_and_revoke_global_roles_in_the_bot(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)

    calls = await h.send(ADMIN, "/grant @maria_t methodist")
    assert texts(calls) == ["✅ Иванова Мария Петровна: роль «методист» назначена."]
    repo.session.expire_all()
    teacher = await repo.users.by_telegram_id(TEACHER.id)
    assert GlobalRole.METHODIST in teacher.global_roles

    calls = await h.send(ADMIN, "/revoke @maria_t methodist")
    assert texts(calls) == ["Иванова Мария Петровна: роль «методист» снята."]

    calls = await h.send(ADMIN, "/grant @maria_t king")
    assert "Роли: admin, coordinator, methodist" in texts(calls)[0]

    calls = await h.send(TEACHER, "/grant @maria_t admin")
    assert texts(calls) == ["⛔ У вас нет прав на это действие."]
    repo.session.expire_all()
    teacher = await repo.users.by_telegram_id(TEACHER.id)
    assert teacher.global_roles == frozenset()


async def test_help_lists_what_the_role_allows(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER)

    teacher_help = texts(await h.send(TEACHER, "/help"))[0]
    admin_help = texts(await h.send(ADMIN, "/help"))[0]

    assert "<b>Участнику</b>" in teacher_help
    assert "Администратору" not in teacher_help
    assert "Модератору" not in teacher_help
    assert "<b>Администратору</b>" in admin_help
    assert "<b>Координатору</b>" in admin_help
