"""An active community always keeps a moderator: its only moderator cannot leave, nor be
demoted, before a successor is appointed; deleting the account is never refused (152-FZ), and
the admins are told in both cases so they appoint one."""

from sqlalchemy import select

from bot.callbacks import AdminAction, AdminCallback, CommunityAction, CommunityCallback
from storage.enums import CommunityRole, GlobalRole, MembershipStatus, UserStatus
from storage.models import Delivery, User
from tests.conftest import ADMIN
from tests.flows import (
    drain_outbox,
    make_community,
    make_moderator,
    membership_of,
    register,
    setup_community,
)
from tests.harness import BotHarness, Person, labels, texts
from tests.people import MODERATOR, TEACHER

ENGLISH_ADMIN = Person(id=7901, first_name="Anna")  # switches to English below


async def with_admins(h: BotHarness, repo) -> None:
    await register(h, ADMIN, full_name="Админов Админ")
    await register(h, ENGLISH_ADMIN, full_name="Smith Anna")
    user = await repo.users.by_telegram_id(ENGLISH_ADMIN.id)
    user.locale = "en"
    await repo.users.grant_role(user, GlobalRole.ADMIN, None)
    await repo.session.commit()


async def test_the_only_moderator_cannot_leave_and_the_admins_are_told(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    await with_admins(h, repo)
    await h.send(MODERATOR, "/communities")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Математики")
    calls = await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Выйти")

    assert h.alerts()[-1] == (
        "Вы — единственный модератор сообщества «Математики»: "
        "сначала администратор должен назначить другого модератора."
    )
    assert texts(calls)[0].startswith(
        "Вы — единственный модератор сообщества «Математики», поэтому выйти из него пока нельзя"
    )
    assert "администраторам мы уже сообщили" in texts(calls)[0]
    membership = await membership_of(repo, MODERATOR, community)
    assert (membership.status, membership.role) == (
        MembershipStatus.ACTIVE,
        CommunityRole.MODERATOR,
    )

    await drain_outbox(h)
    assert h.last_message(ADMIN.id).text == (
        "⚠️ Смирнова Ольга хочет выйти из сообщества «Математики», но других модераторов в нём "
        "нет. Назначьте другого модератора: /communities → «Математики» → ⚙️ Управление."
    )
    assert h.last_message(ENGLISH_ADMIN.id).text.startswith(
        "⚠️ Смирнова Ольга wants to leave “Математики”, but it has no other moderator."
    )
    # A second try the same day tells the admins nothing new.
    await h.send(MODERATOR, "/communities")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Математики")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Выйти")
    deliveries = (await repo.session.scalars(select(Delivery))).all()
    assert len([d for d in deliveries if d.key.startswith("no-moderator:")]) == 2

    # Once a successor is appointed, the moderator leaves.
    successor = await membership_of(repo, TEACHER, community)
    successor.role = CommunityRole.MODERATOR
    await repo.session.commit()
    await h.send(MODERATOR, "/communities")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Математики")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Выйти")
    assert h.alerts()[-1] == "Вы вышли из сообщества «Математики»."
    assert (await membership_of(repo, MODERATOR, community)).status is MembershipStatus.LEFT


async def test_a_forged_leave_of_the_only_moderator_is_refused_too(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    await h.send(MODERATOR, "/communities")
    await h.press(
        MODERATOR,
        h.last_message(MODERATOR.id),
        CommunityCallback(action=CommunityAction.LEAVE, community_id=community.id).pack(),
    )
    assert h.alerts()[-1].startswith("Вы — единственный модератор сообщества «Математики»")
    assert (await membership_of(repo, MODERATOR, community)).role is CommunityRole.MODERATOR


async def test_the_admin_appoints_a_successor_before_removing_the_only_moderator(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    await register(h, ADMIN, full_name="Админов Админ")
    moderator = await repo.users.by_telegram_id(MODERATOR.id)
    # A forged or stale "Yes, remove" is refused as well.
    await h.send(ADMIN, "/communities")
    await h.press(
        ADMIN,
        h.last_message(ADMIN.id),
        AdminCallback(
            action=AdminAction.DEMOTE_CONFIRM, community_id=community.id, user_id=moderator.id
        ).pack(),
    )
    assert h.alerts()[-1] == (
        "«Математики» останется без модератора. "
        "Сначала назначьте другого модератора (можно себя), потом снимите роль."
    )
    assert (await membership_of(repo, MODERATOR, community)).role is CommunityRole.MODERATOR


async def test_the_only_moderator_deletes_the_account_and_the_admins_are_told(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    shared = await make_community(repo, "Физики")
    await make_moderator(repo, MODERATOR, shared)
    await make_moderator(repo, TEACHER, shared)  # not the only one there
    await with_admins(h, repo)

    await h.send(MODERATOR, "/delete_me")
    ask = h.last_message(MODERATOR.id)
    assert ask.text.endswith(
        "⚠️ Вы — единственный модератор сообщества «Математики». После удаления оно останется "
        "без модератора, и мы сообщим администраторам, чтобы они назначили нового. "
        "Лучше заранее попросить администратора назначить преемника."
    )
    assert labels(ask) == ["Да, удалить", "Отмена"]
    await h.tap(MODERATOR, ask, "Да, удалить")  # never refused: it is the person's right

    user = await repo.session.scalar(select(User).where(User.telegram_id == MODERATOR.id))
    await repo.session.refresh(user)
    assert user.status is UserStatus.DELETED
    assert await repo.communities.moderators(community.id) == []
    await drain_outbox(h)
    assert h.last_message(ADMIN.id).text == (
        "⚠️ В сообществе «Математики» не осталось модераторов: Смирнова Ольга удалил(а) свой "
        "аккаунт. Заявки и материалы ждут проверки — назначьте модератора: "
        "/communities → «Математики» → ⚙️ Управление."
    )
    assert h.last_message(ENGLISH_ADMIN.id).text.startswith(
        "⚠️ “Математики” has no moderator left: Смирнова Ольга deleted their account."
    )
    notices = [c.text for c in h.sent_to(ADMIN.id) if "Физики" in (c.text or "")]
    assert notices == []


async def test_an_ordinary_member_deletes_without_a_warning(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/delete_me")
    assert "единственный модератор" not in h.last_message(TEACHER.id).text
