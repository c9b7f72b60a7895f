"""A teacher applies for a new community (seed 001 §3.1.4); coordinators decide."""

from sqlalchemy import select

from bot.callbacks import ApplicationCallback, DecisionAction
from storage.enums import CommunityRole, CommunityStatus, JoinPolicy, MembershipStatus
from storage.models import Community
from tests.conftest import ADMIN
from tests.flows import ANSWERS, fill_application, setup_people
from tests.harness import BotHarness, labels, texts
from tests.people import APPLICANT as TEACHER
from tests.people import COORDINATOR


async def application(repo) -> Community:
    repo.session.expire_all()
    return await repo.session.scalar(select(Community).where(Community.title == ANSWERS[0]))


async def test_application_preview_submit_and_coordinator_approval(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_people(h, repo)
    await fill_application(h, TEACHER)

    preview = h.last_message(TEACHER.id)
    assert preview.text.startswith("Проверьте заявку:")
    assert "Проблема: Учителя не владеют заданиями" in preview.text
    assert "🔐 Вступление по заявке" in preview.text
    await h.tap(TEACHER, preview, "Отправить заявку")

    assert "отправлена координаторам" in h.last_message(TEACHER.id).text
    community = await application(repo)
    assert community.status is CommunityStatus.PROPOSED
    assert community.term == "2026/27 учебный год"
    assert community.initial_participants == "СОШ № 1, СОШ № 4, Гимназия № 2"
    assert community.join_policy is JoinPolicy.BY_REQUEST
    for reviewer in (COORDINATOR, ADMIN):
        notice = h.last_message(reviewer.id)
        assert (
            "Заявка на создание сообщества</b>. Заявитель: Иванова Мария Петровна"
            in notice.html_text
        )
        assert labels(notice) == ["✅ Одобрить", "❌ Отклонить"]

    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "Одобрить")

    assert h.last_message(COORDINATOR.id).text.endswith("✅ Одобрено: Козлова Елена")
    told = h.last_message(TEACHER.id)
    assert told.text == "🎉 Сообщество «Функциональная грамотность» создано! Вы его модератор."
    assert labels(told) == ["Открыть сообщество"]
    community = await application(repo)
    assert community.status is CommunityStatus.ACTIVE
    teacher = await repo.users.by_telegram_id(TEACHER.id)
    membership = await repo.communities.membership(teacher, community.id)
    assert membership.role is CommunityRole.MODERATOR
    assert membership.status is MembershipStatus.ACTIVE

    # The admin's copy of the notice is now stale: the first decision stands.
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Отклонить")
    assert h.alerts()[-1] == "Решение уже принято: одобрено (Козлова Елена)."
    assert (await application(repo)).status is CommunityStatus.ACTIVE


async def test_application_is_declined(harness: BotHarness, repo) -> None:
    h = harness
    await setup_people(h, repo)
    await fill_application(h, TEACHER)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить заявку")

    await h.tap(COORDINATOR, h.last_message(COORDINATOR.id), "Отклонить")

    assert h.last_message(TEACHER.id).text == (
        "Заявка на создание сообщества «Функциональная грамотность» отклонена."
    )
    assert (await application(repo)).status is CommunityStatus.DECLINED


async def test_a_teacher_cannot_approve_by_forging_the_button(harness: BotHarness, repo) -> None:
    h = harness
    await setup_people(h, repo)
    await fill_application(h, TEACHER)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить заявку")
    community = await application(repo)
    forged = ApplicationCallback(action=DecisionAction.APPROVE, community_id=community.id).pack()

    await h.press(TEACHER, h.last_message(TEACHER.id), forged)

    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    assert (await application(repo)).status is CommunityStatus.PROPOSED


async def test_too_short_answers_are_asked_again(harness: BotHarness, repo) -> None:
    h = harness
    await setup_people(h, repo)
    await h.send(TEACHER, "/apply")

    calls = await h.send(TEACHER, "Ф")

    assert texts(calls) == ["Нужно от 3 до 120 символов, а сейчас 1. Попробуйте ещё раз."]
    assert h.last_message(TEACHER.id).text.startswith("Нужно от 3")


async def test_description_can_be_skipped_and_back_works(harness: BotHarness, repo) -> None:
    h = harness
    await setup_people(h, repo)
    await h.send(TEACHER, "/apply")
    await h.send(TEACHER, ANSWERS[0])
    await h.send(TEACHER, ANSWERS[1])
    assert "можно пропустить" in h.last_message(TEACHER.id).text

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Пропустить")
    assert h.last_message(TEACHER.id).text.startswith("Шаг 4 из 8. Проблема")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Назад")
    assert h.last_message(TEACHER.id).text.startswith("Шаг 3 из 8.")


async def test_cancel_sends_nothing(harness: BotHarness, repo) -> None:
    h = harness
    await setup_people(h, repo)
    await h.send(TEACHER, "/apply")
    await h.send(TEACHER, ANSWERS[0])

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отмена")

    assert h.last_message(TEACHER.id).text == "Заявка отменена, ничего не отправлено."
    assert await application(repo) is None


async def test_pending_applications_command_is_for_reviewers_only(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_people(h, repo)
    await fill_application(h, TEACHER)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить заявку")

    calls = await h.send(COORDINATOR, "/applications")
    assert texts(calls)[0] == "Ожидают решения: 1 заявка."

    calls = await h.send(TEACHER, "/applications")
    assert texts(calls) == ["⛔ У вас нет прав на это действие."]
