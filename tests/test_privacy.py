"""/privacy, /export_me and /delete_me."""

import json

from sqlalchemy import func, select

from storage.enums import UserStatus
from storage.models import Membership
from tests.flows import register
from tests.harness import BotHarness, Person, labels, texts
from tests.test_communities import make_community

TEACHER = Person(id=3001, first_name="Мария", username="maria")


async def test_privacy_policy_is_readable_before_consent(harness: BotHarness) -> None:
    calls = await harness.send(TEACHER, "/privacy")

    assert "Ваши персональные данные" in texts(calls)[0]
    assert calls[0].reply_markup is None  # nothing to export or delete yet


async def test_export_sends_everything_stored_as_a_json_file(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await make_community(repo, "Математики")
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    calls = await h.send(TEACHER, "/export_me")

    (document,) = [c for c in calls if c.name == "sendDocument"]
    assert document.caption == "Все данные, которые бот хранит о вас."
    assert document.method.document.filename == f"metodset-{TEACHER.id}.json"
    exported = json.loads(document.method.document.data)
    assert exported["full_name"] == "Иванова Мария Петровна"
    assert exported["organisation"]["name"] == "МБОУ СОШ № 1"
    assert exported["subjects"] == ["math"]
    assert exported["memberships"][0]["community"] == "Математики"


async def test_delete_asks_then_erases_personal_data(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await make_community(repo, "Математики")
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")

    await h.send(TEACHER, "/delete_me")
    assert labels(h.last_message(TEACHER.id)) == ["Да, удалить", "Отмена"]
    calls = await h.tap(TEACHER, h.last_message(TEACHER.id), "Да, удалить")

    assert texts(calls) == [
        "Ваши персональные данные удалены. Опубликованное остаётся с подписью «удалённый участник».",
        "Если захотите вернуться — отправьте /start.",
    ]
    repo.session.expire_all()
    user = await repo.users.by_telegram_id(TEACHER.id)
    assert user.status is UserStatus.DELETED
    assert (user.full_name, user.username, user.organisation_id, user.position) == (
        None,
        None,
        None,
        None,
    )
    assert user.subjects == []
    members = await repo.session.scalar(select(func.count()).select_from(Membership))
    assert members == 0
    calls = await h.send(TEACHER, "/communities")
    assert "/start" in texts(calls)[0]


async def test_delete_can_be_cancelled(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/delete_me")

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отмена")

    assert h.last_message(TEACHER.id).text == "Удаление отменено, данные на месте."
    repo.session.expire_all()
    assert (await repo.users.by_telegram_id(TEACHER.id)).full_name == "Иванова Мария Петровна"


async def test_erased_member_is_shown_anonymously(harness: BotHarness, repo) -> None:
    h = harness
    moderator = Person(id=3002)
    await register(h, moderator, full_name="Смирнова Ольга")
    community = await make_community(repo, "Математики")
    from tests.test_communities import make_moderator

    await make_moderator(repo, moderator, community)
    await register(h, TEACHER)
    await h.send(moderator, "/delete_me")
    await h.tap(moderator, h.last_message(moderator.id), "Да, удалить")

    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")

    assert "Смирнова" not in h.last_message(TEACHER.id).text
