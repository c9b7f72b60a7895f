"""Browsing, the community card, joining open and by-request communities, moderators'
decisions (including a forged press and two moderators at once), leaving, deep links."""

import asyncio

from sqlalchemy import select

from bot.callbacks import DecisionAction, JoinRequestCallback
from storage.enums import CommunityRole, CommunityStatus, JoinPolicy, MembershipStatus, UserStatus
from storage.models import AuditEntry, Community, User
from tests.conftest import ADMIN
from tests.flows import make_community, make_moderator, membership_of, publish, register
from tests.harness import BotHarness, Person, labels, texts

TEACHER = Person(id=2001, first_name="Мария", username="maria")
MODERATOR = Person(id=2002, first_name="Ольга", username="olga_mod")
OTHER_MODERATOR = Person(id=2003, first_name="Ирина", username="irina_mod")
STRANGER = Person(id=2004, first_name="Пётр")


async def test_list_shows_member_counts_with_russian_plurals(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await make_community(repo, "Математики")
    await make_community(repo, "Физики")
    archived = await make_community(repo, "Старое")
    archived.status = CommunityStatus.ARCHIVED
    await repo.session.commit()

    calls = await h.send(TEACHER, "📚 Сообщества")

    assert texts(calls)[0].startswith("<b>Сообщества сети</b> — 2 сообщества.")
    assert labels(h.last_message(TEACHER.id))[:2] == ["Математики · 0 👥", "Физики · 0 👥"]


async def test_list_pages_through_many_communities(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    for number in range(1, 9):
        await make_community(repo, f"Сообщество {number:02d}")

    await h.send(TEACHER, "/communities")
    first = labels(h.last_message(TEACHER.id))
    assert "1 / 2" in first
    assert "Сообщество 07 · 0 👥" not in first
    await h.tap(TEACHER, h.last_message(TEACHER.id), "▶")

    second = labels(h.last_message(TEACHER.id))
    assert second[:2] == ["Сообщество 07 · 0 👥", "Сообщество 08 · 0 👥"]
    assert "2 / 2" in second


async def test_joining_an_open_community(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await register(h, MODERATOR, full_name="Смирнова Ольга")
    community = await make_community(repo, "Математики")
    await make_moderator(repo, MODERATOR, community)

    await h.send(TEACHER, "/communities")
    calls = await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    card = texts(calls)[0]
    assert "<b>Математики</b>" in card
    assert "👥 1 участник" in card
    assert "Модераторы: Смирнова Ольга" in card
    assert "🔓 Вступление свободное" in card

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    assert "Вы вступили в сообщество «Математики»." in h.alerts()
    card = h.last_message(TEACHER.id).text
    assert "👥 2 участника" in card
    assert "✅ Вы участник" in card
    assert "Выйти из сообщества" in labels(h.last_message(TEACHER.id))
    membership = await membership_of(repo, TEACHER, community)
    assert membership.status is MembershipStatus.ACTIVE
    assert membership.role is CommunityRole.MEMBER


async def join_by_request(h: BotHarness, repo) -> Community:
    await register(h, TEACHER)
    await register(h, MODERATOR, full_name="Смирнова Ольга")
    community = await make_community(repo, "Психологи", JoinPolicy.BY_REQUEST)
    await make_moderator(repo, MODERATOR, community)
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Психологи")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Подать заявку")
    return community


async def test_request_reaches_moderators_and_approval_tells_the_teacher(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await join_by_request(h, repo)

    assert "Заявка в «Психологи» отправлена модераторам. Сообщу, когда её рассмотрят." in h.alerts()
    assert "⏳ Ваша заявка на рассмотрении" in h.last_message(TEACHER.id).text
    notice = h.last_message(MODERATOR.id)
    assert (
        "Иванова Мария Петровна (МБОУ СОШ № 1) просит принять в сообщество «Психологи»"
        in notice.text
    )
    assert labels(notice) == ["✅ Одобрить", "❌ Отклонить"]
    assert (await membership_of(repo, TEACHER, community)).status is MembershipStatus.PENDING

    await h.tap(MODERATOR, notice, "Одобрить")

    assert h.last_message(MODERATOR.id).text.endswith("✅ Одобрено: Смирнова Ольга")
    assert labels(h.last_message(MODERATOR.id)) == []
    assert h.last_message(TEACHER.id).text == (
        "✅ Ваша заявка в сообщество «Психологи» одобрена. Добро пожаловать!"
    )
    membership = await membership_of(repo, TEACHER, community)
    assert membership.status is MembershipStatus.ACTIVE
    audit = (await repo.session.scalars(select(AuditEntry))).all()
    assert [e.action for e in audit][-1] == "membership.approve"


async def test_declined_request(harness: BotHarness, repo) -> None:
    h = harness
    community = await join_by_request(h, repo)

    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Отклонить")

    assert "отклонена модератором" in h.last_message(TEACHER.id).text
    assert (await membership_of(repo, TEACHER, community)).status is MembershipStatus.DECLINED


async def test_forged_approval_by_a_non_moderator_changes_nothing(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await join_by_request(h, repo)
    await register(h, STRANGER, full_name="Петров Пётр")
    membership = await membership_of(repo, TEACHER, community)
    forged = JoinRequestCallback(action=DecisionAction.APPROVE, membership_id=membership.id).pack()
    await h.send(STRANGER, "/communities")
    sent_before = len(h.sent_to(TEACHER.id))

    await h.press(STRANGER, h.last_message(STRANGER.id), forged)

    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    assert (await membership_of(repo, TEACHER, community)).status is MembershipStatus.PENDING
    assert len(h.sent_to(TEACHER.id)) == sent_before


async def test_two_moderators_at_once_get_one_decision(harness: BotHarness, repo) -> None:
    h = harness
    community = await join_by_request(h, repo)
    await register(h, OTHER_MODERATOR, full_name="Кузнецова Ирина")
    await make_moderator(repo, OTHER_MODERATOR, community)
    membership = await membership_of(repo, TEACHER, community)
    approve = JoinRequestCallback(action=DecisionAction.APPROVE, membership_id=membership.id).pack()
    decline = JoinRequestCallback(action=DecisionAction.DECLINE, membership_id=membership.id).pack()
    first_card = h.last_message(MODERATOR.id)

    await asyncio.gather(
        h.press(MODERATOR, first_card, approve),
        h.press(OTHER_MODERATOR, first_card, decline),
    )

    final = (await membership_of(repo, TEACHER, community)).status
    assert final in {MembershipStatus.ACTIVE, MembershipStatus.DECLINED}
    outcomes = [t for t in h.alerts() if t.startswith("Решение уже принято")]
    assert len(outcomes) == 1
    expected_word = "одобрено" if final is MembershipStatus.ACTIVE else "отклонено"
    assert expected_word in outcomes[0]
    told = [
        c.text
        for c in h.sent_to(TEACHER.id)
        if "Психологи" in (c.text or "") and "заявка" in c.text.lower()
    ]
    assert len(told) == 1
    decisions = (
        await repo.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "membership"))
    ).all()
    assert len(decisions) == 1


async def test_leaving_a_community(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    community = await make_community(repo, "Математики")
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Выйти")

    assert "Вы вышли из сообщества «Математики»." in h.alerts()
    assert (await membership_of(repo, TEACHER, community)).status is MembershipStatus.LEFT
    assert "Вступить" in " ".join(labels(h.last_message(TEACHER.id)))


async def test_my_communities(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await make_community(repo, "Математики")
    await make_community(repo, "Психологи", JoinPolicy.BY_REQUEST)
    for title, button in (("Математики", "Вступить"), ("Психологи", "Подать заявку")):
        await h.send(TEACHER, "/communities")
        await h.tap(TEACHER, h.last_message(TEACHER.id), title)
        await h.tap(TEACHER, h.last_message(TEACHER.id), button)

    calls = await h.send(TEACHER, "/my")

    assert texts(calls)[0] == "<b>Мои сообщества</b> (2)"
    assert labels(h.last_message(TEACHER.id))[:2] == ["Математики ✅", "Психологи ⏳ заявка"]


async def test_deep_link_opens_the_card_after_onboarding(harness: BotHarness, repo) -> None:
    h = harness
    community = await make_community(repo, "Физики")

    await h.send(TEACHER, f"/start c_{community.id}")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")
    await h.send(TEACHER, "Иванова Мария")
    await h.send(TEACHER, "Лицей № 3")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Школа")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Учитель-предметник")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")

    card = h.last_message(TEACHER.id)
    assert card.html_text.startswith("<b>Физики</b>")
    assert "✅ Вступить" in labels(card)


async def test_deep_link_for_a_registered_user_and_a_bad_link(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    community = await make_community(repo, "Физики")

    calls = await h.send(TEACHER, f"/start c_{community.id}")
    assert texts(calls)[0].startswith("<b>Физики</b>")

    calls = await h.send(TEACHER, "/start c_99999")
    assert texts(calls) == ["Сообщество не найдено или находится в архиве."]


async def test_join_requires_a_profile(harness: BotHarness, repo) -> None:
    h = harness
    community = await make_community(repo, "Физики")
    await h.send(TEACHER, "/start")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отмена")
    await h.send(TEACHER, f"/start c_{community.id}")

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    assert h.alerts()[-1] == "Сначала заполните профиль (ФИО и организацию): /profile"
    assert await membership_of(repo, TEACHER, community) is None


async def test_admin_sees_manage_button_but_teacher_does_not(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await register(h, ADMIN, full_name="Админов Админ")
    await make_community(repo, "Физики")
    for person in (TEACHER, ADMIN):
        await h.send(person, "/communities")
        await h.tap(person, h.last_message(person.id), "Физики")

    assert "⚙️ Управление" not in labels(h.last_message(TEACHER.id))
    assert "⚙️ Управление" in labels(h.last_message(ADMIN.id))


# --- the management screen: roles and the linked group -------------------------------------


async def open_manage(h: BotHarness, title: str) -> None:
    await h.send(ADMIN, "/communities")
    await h.tap(ADMIN, h.last_message(ADMIN.id), title)
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Управление")


async def test_taking_a_role_away_is_asked_first_from_a_row_that_fits_a_phone(
    harness: BotHarness, repo
) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, TEACHER, full_name="Козлова Елена Андреевна")
    community = await make_community(repo, "Математики")
    admin = await repo.users.by_telegram_id(ADMIN.id)
    teacher = await repo.users.by_telegram_id(TEACHER.id)
    await repo.communities.set_role(community.id, teacher, CommunityRole.EXPERT, admin)
    await repo.session.commit()
    await open_manage(h, "Математики")

    row = "Снять: Козлова Е. А. (эксперт)"
    assert row in labels(h.last_message(ADMIN.id))
    assert len(row) <= 32  # about what a 390 px wide phone shows on one button

    await h.tap(ADMIN, h.last_message(ADMIN.id), row)
    ask = h.last_message(ADMIN.id)
    assert ask.text == (
        "Снять роль эксперта? Козлова Е. А. станет обычным участником сообщества «Математики»."
    )
    assert (await membership_of(repo, TEACHER, community)).role is CommunityRole.EXPERT
    await h.tap(ADMIN, ask, "Отмена")
    assert row in labels(h.last_message(ADMIN.id))

    await h.tap(ADMIN, h.last_message(ADMIN.id), row)
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Да, снять роль")
    assert (await membership_of(repo, TEACHER, community)).role is CommunityRole.MEMBER
    assert row not in labels(h.last_message(ADMIN.id))
    # the old confirmation pressed again changes nothing
    await h.tap(ADMIN, ask, "Да, снять роль")
    assert "устарела" in h.alerts()[-1] or "неактуальн" in h.alerts()[-1].lower()


async def test_link_in_a_second_group_asks_before_replacing_and_the_screen_names_the_group(
    harness: BotHarness, repo, monkeypatch
) -> None:
    from aiogram.methods import GetChat
    from aiogram.types import Chat

    from tests.harness import BOT_ID, group_admin, group_owner

    h = harness
    first = Chat(id=-100_301, type="supergroup", title="Математики района")
    second = Chat(id=-100_302, type="supergroup", title="Математики: вторая")
    titles = {first.id: first, second.id: second}
    answer = h.session._result
    monkeypatch.setattr(
        h.session,
        "_result",
        lambda bot, method, *rest: (
            titles[method.chat_id] if isinstance(method, GetChat) else answer(bot, method, *rest)
        ),
    )
    await register(h, ADMIN, full_name="Админов Админ")
    community_id = (await make_community(repo, "Математики")).id
    for chat in (first, second):
        h.session.chat_members[(chat.id, ADMIN.id)] = group_owner(ADMIN.id)
        h.session.chat_members[(chat.id, BOT_ID)] = group_admin(BOT_ID)

    await h.send(ADMIN, f"/link {community_id}", chat=first)
    assert h.last_message(first.id).text == "✅ Группа привязана к сообществу «Математики»."
    await h.send(ADMIN, f"/link {community_id}", chat=second)
    ask = h.last_message(second.id)
    assert ask.text == (
        "К сообществу «Математики» уже привязана группа «Математики района». "
        "Привязать вместо неё эту группу?"
    )
    repo.session.expire_all()
    assert (await repo.communities.get(community_id)).group_chat_id == first.id

    await h.tap(ADMIN, ask, "Оставить прежнюю")
    assert h.last_message(second.id).text == (
        "Ничего не изменилось: у сообщества «Математики» остаётся «Математики района»."
    )
    await open_manage(h, "Математики")
    screen = h.last_message(ADMIN.id).text
    assert "Группа Telegram: «Математики района»" in screen
    assert "100" not in screen  # no raw chat id

    await h.send(ADMIN, f"/link {community_id}", chat=second)
    await h.tap(ADMIN, h.last_message(second.id), "Да, привязать эту")
    assert h.last_message(second.id).text == "✅ Группа привязана к сообществу «Математики»."
    repo.session.expire_all()
    assert (await repo.communities.get(community_id)).group_chat_id == second.id


async def test_a_material_link_opens_the_material_after_onboarding(
    harness: BotHarness, repo
) -> None:
    """A colleague forwards t.me/<bot>?start=m_<id> to someone who never used the bot: after
    the consent and the profile they land on that material, not on a generic screen."""
    h = harness
    now = repo.clock()
    author = User(
        telegram_id=1, status=UserStatus.ACTIVE, full_name="Автор", subjects=[], created_at=now
    )
    repo.session.add(author)
    community = await make_community(repo, "Физики")
    material = await publish(repo, author, community, "Законы Ньютона в задачах")
    await repo.session.commit()

    await h.send(TEACHER, f"/start m_{material.id}")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")
    await h.send(TEACHER, "Иванова Мария")
    await h.send(TEACHER, "Лицей № 3")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Школа")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Учитель-предметник")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")

    card = h.last_message(TEACHER.id)
    assert card.html_text.startswith("<b>Законы Ньютона в задачах</b>")
