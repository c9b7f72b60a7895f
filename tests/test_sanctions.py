"""Moderators' sanctions in a linked group and from private chat; the member's history."""

from datetime import timedelta

from sqlalchemy import select

from storage.enums import SanctionKind
from storage.models import AuditEntry, Sanction
from tests.harness import BotHarness
from tests.test_conduct import GROUP, STRANGER, calls_named, linked_group, sanctions
from tests.test_materials import MODERATOR, READER


async def reply(h: BotHarness, person, text: str, to_person=STRANGER, to_text="что-то не то"):
    target = h.message(to_person, to_text, chat=GROUP)
    return await h.send(person, text, chat=GROUP, reply_to_message=target)


async def test_a_moderator_warns_by_replying_and_the_member_is_told_how_to_appeal(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    await reply(h, MODERATOR, "/warn переход на личности")

    assert h.last_message(GROUP.id).text == (
        "⚠️ Гость: предупреждение (1 из 3). Причина: переход на личности"
    )
    [warning] = await sanctions(repo)
    moderator = await repo.users.by_telegram_id(MODERATOR.id)
    assert (warning.kind, warning.issued_by_id, warning.reason) == (
        SanctionKind.WARNING,
        moderator.id,
        "переход на личности",
    )
    assert warning.expires_at is not None
    notice = h.last_message(STRANGER.id).text
    assert notice == (
        "Предупреждение в сообществе «Математики»: переход на личности. "
        f"Обжаловать: /appeal {warning.id}"
    )
    audit = await repo.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "sanction.warning")
    )
    assert audit.actor_id == moderator.id
    assert audit.details["reason"] == "переход на личности"


async def test_mute_for_a_while_then_ban_then_unban(harness: BotHarness, repo, clock) -> None:
    h = harness
    await linked_group(h, repo)
    await reply(h, MODERATOR, "/mute 2h флуд")
    [mute] = calls_named(h, "restrictChatMember")
    assert mute.method.permissions.can_send_messages is False
    until = mute.method.until_date
    assert abs(until - (clock() + timedelta(hours=2))) < timedelta(seconds=5)
    assert h.last_message(GROUP.id).text.startswith("🔇 Гость: запись закрыта до ")

    await reply(h, MODERATOR, "/ban спам")
    [ban] = calls_named(h, "banChatMember")
    assert ban.method.user_id == STRANGER.id
    assert h.last_message(GROUP.id).text == "⛔ Гость исключён(а) из группы. Причина: спам"

    await reply(h, MODERATOR, "/unban разобрались")
    [unban] = calls_named(h, "unbanChatMember")
    assert unban.method.only_if_banned is True
    assert calls_named(h, "restrictChatMember")[-1].method.permissions.can_send_messages
    assert h.last_message(GROUP.id).text == (
        "✅ Гость: ограничения в сообществе «Математики» сняты."
    )
    rows = await sanctions(repo)
    assert [(s.kind, s.lifted_at is not None) for s in rows] == [
        (SanctionKind.MUTE, True),
        (SanctionKind.BAN, True),
    ]
    assert rows[0].lift_reason == "разобрались"
    await reply(h, MODERATOR, "/unban")
    assert h.last_message(GROUP.id).text.startswith("Гость: в сообществе «Математики» нет")


async def test_a_member_cannot_sanction_and_a_moderator_cannot_be_sanctioned(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    calls = await reply(h, READER, "/ban")
    assert [c.text for c in calls if c.name == "sendMessage"] == [
        "⛔ У вас нет прав на это действие."
    ]
    assert await sanctions(repo) == []

    await reply(h, MODERATOR, "/warn", to_person=MODERATOR)
    assert h.last_message(GROUP.id).text == "Модераторов и администраторов так ограничить нельзя."
    await h.send(MODERATOR, "/warn", chat=GROUP)  # not a reply
    assert h.last_message(GROUP.id).text.startswith("Ответьте командой /warn")
    assert await sanctions(repo) == []


async def test_from_private_chat_by_telegram_id_with_a_bad_duration_first(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    await h.send(STRANGER, "Добрый день", chat=GROUP)  # the member has written in the group

    await h.send(MODERATOR, f"/mute {STRANGER.id} 90d долго")
    assert h.last_message(MODERATOR.id).text.startswith("Срок указан неверно")
    await h.send(MODERATOR, "/mute 424242")
    assert h.last_message(MODERATOR.id).text.startswith("Не знаю участника 424242")

    await h.send(MODERATOR, f"/mute {STRANGER.id} 30m остыньте")
    assert h.last_message(MODERATOR.id).text.startswith(f"🔇 {STRANGER.id}: запись закрыта до")
    [mute] = calls_named(h, "restrictChatMember")
    assert mute.method.chat_id == GROUP.id


async def test_history_shows_warnings_and_sanctions_before_deciding(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    await h.send(STRANGER, "ты идиот", chat=GROUP)  # an automatic warning
    await reply(h, MODERATOR, "/mute 1h остыньте")
    await reply(h, MODERATOR, "/history")

    text = h.last_message(GROUP.id).text
    lines = text.splitlines()
    assert lines[0] == "📋 Гость: предупреждений — 1, ограничений записи — 1, исключений — 0"
    assert lines[1].endswith("ограничение записи: остыньте (Смирнова Ольга)")
    assert lines[2].endswith("предупреждение: conduct:insult (автоматически)")
    rows = (await repo.session.scalars(select(Sanction))).all()
    assert len(rows) == 2  # /history changes nothing


async def test_lift_any_sanction_by_number_and_the_member_is_told(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo)
    await h.send(STRANGER, "ты идиот", chat=GROUP)  # an automatic warning
    [warning] = await sanctions(repo)

    await h.send(READER, f"/lift {warning.id}")
    assert h.last_message(READER.id).text == "⛔ У вас нет прав на это действие."
    await h.send(MODERATOR, "/lift 999")
    assert h.last_message(MODERATOR.id).text == "Санкция № 999 не найдена."
    await h.send(MODERATOR, f"/lift {warning.id} погорячился")
    assert h.last_message(MODERATOR.id).text == f"Санкция № {warning.id} снята."
    assert h.last_message(STRANGER.id).text == (
        f"Санкция № {warning.id} в сообществе «Математики» снята."
    )
    [lifted] = await sanctions(repo)
    assert (lifted.lift_reason, lifted.lifted_at is not None) == ("погорячился", True)
    assert await repo.conduct.active_warnings(lifted.community_id, lifted.user) == 0


async def test_a_moderator_sets_the_communitys_ladder(harness: BotHarness, repo) -> None:
    h = harness
    community = await linked_group(h, repo)
    await h.send(MODERATOR, f"/ladder {community.id}")
    assert "• warnings_to_mute = 3" in h.last_message(MODERATOR.id).text

    await h.send(MODERATOR, f"/ladder {community.id} warnings_to_mute 0")
    assert h.last_message(MODERATOR.id).text == "warnings_to_mute: допустимо от 1 до 20."
    await h.send(MODERATOR, f"/ladder {community.id} warnings_to_mute 1")
    assert "• warnings_to_mute = 1" in h.last_message(MODERATOR.id).text
    await h.send(READER, f"/ladder {community.id} warnings_to_mute 5")
    assert h.last_message(READER.id).text == "⛔ У вас нет прав на это действие."

    await h.send(STRANGER, "ты идиот", chat=GROUP)  # one warning is now enough for a mute
    assert calls_named(h, "restrictChatMember")
