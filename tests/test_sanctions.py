"""Moderators' sanctions in a linked group and from private chat; the member's history."""

from datetime import timedelta

from aiogram.types import Update
from sqlalchemy import select

from storage.enums import SanctionKind
from storage.models import AuditEntry, Sanction
from tests.flows import calls_named, linked_group, register, sanctions
from tests.harness import BotHarness, labels
from tests.people import GROUP, MODERATOR, READER, STRANGER


async def reply(h: BotHarness, person, text: str, to_person=STRANGER, to_text="что-то не то"):
    target = h.message(to_person, to_text, chat=GROUP)
    return await h.send(person, text, chat=GROUP, reply_to_message=target)


async def test_a_moderator_warns_by_replying_and_the_member_is_told_how_to_appeal(
    harness: BotHarness, repo
) -> None:
    h = harness
    h.started(STRANGER)  # they once opened the bot, so it can tell them privately
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
    notice = h.last_message(STRANGER.id)
    assert notice.text == (
        f"Предупреждение № {warning.id} в сообществе «Математики»: переход на личности. "
        "Не согласны — нажмите «Обжаловать»."
    )
    assert labels(notice) == ["⚖️ Обжаловать"]
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

    # In private, a member gets the refusal before any usage or "unknown member" answer,
    # so the command tells them nothing about who is known to the bot.
    for text in ("/history", "/history 123456", f"/warn {STRANGER.id}", "/history @nobody"):
        await h.send(READER, text)
        assert h.last_message(READER.id).text == "⛔ У вас нет прав на это действие.", text
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
    in_group = len(h.sent_to(GROUP.id))
    command = h.message(
        MODERATOR,
        "/history",
        chat=GROUP,
        reply_to_message=h.message(STRANGER, "что-то не то", chat=GROUP),
    )
    await h.feed(Update(update_id=next(h.update_ids), message=command))

    # the record goes to the moderator privately; the command leaves the group
    assert len(h.sent_to(GROUP.id)) == in_group
    assert (GROUP.id, command.message_id) in [
        (c.method.chat_id, c.method.message_id) for c in calls_named(h, "deleteMessage")
    ]
    lines = h.last_message(MODERATOR.id).text.splitlines()
    assert lines[0] == "📋 Гость: предупреждений — 1, ограничений записи — 1, исключений — 0"
    assert lines[1].endswith("ограничение записи: остыньте (Смирнова Ольга)")
    # an automatic warning names its clause, not the rule's key
    assert lines[2].endswith("предупреждение: §7.2 (оскорбление участников) (автоматически)")
    assert "conduct:" not in h.last_message(MODERATOR.id).text
    rows = (await repo.session.scalars(select(Sanction))).all()
    assert len(rows) == 2  # /history changes nothing


async def test_history_for_a_moderator_the_bot_cannot_write_to_leaves_a_passing_hint(
    harness: BotHarness, repo, monkeypatch
) -> None:
    import asyncio

    from aiogram.exceptions import TelegramForbiddenError

    from handlers import sanctions as sanctions_handler

    h = harness
    await linked_group(h, repo)
    await reply(h, MODERATOR, "/warn резко")
    monkeypatch.setattr(sanctions_handler, "HINT_SECONDS", 0.0)
    h.session.fail(
        "sendMessage",
        MODERATOR.id,
        lambda method: TelegramForbiddenError(method=method, message="Forbidden: bot was blocked"),
    )
    await reply(h, MODERATOR, "/history")
    hint = h.last_message(GROUP.id)
    assert hint.text.startswith("История участника приходит модератору лично")
    assert "📋" not in hint.text
    for _ in range(5):
        await asyncio.sleep(0)
    assert hint.message_id in [c.method.message_id for c in calls_named(h, "deleteMessage")]


async def test_lift_any_sanction_by_number_and_the_member_is_told(
    harness: BotHarness, repo
) -> None:
    h = harness
    h.started(STRANGER)  # they once opened the bot, so it can tell them privately
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


async def test_a_warn_that_reaches_the_ladders_step_says_what_the_ladder_did(
    harness: BotHarness, repo
) -> None:
    h = harness
    await linked_group(h, repo, warnings_to_mute=2, mute_hours=24)
    await reply(h, MODERATOR, "/warn резко")
    assert h.last_message(GROUP.id).text == "⚠️ Гость: предупреждение (1 из 2). Причина: резко"
    await reply(h, MODERATOR, "/warn опять резко")
    # 09:00 UTC + a second per update, +24 h: the group reads Moscow time, named
    assert h.last_message(GROUP.id).text == (
        "🔇 Гость: 2-е предупреждение за 30 дн. — запись в группе закрыта на 24 ч, "
        "до 03.11.2026 12:00 (МСК). Причина: опять резко"
    )
    assert calls_named(h, "restrictChatMember")


async def test_sanction_times_are_in_the_readers_zone_named(harness: BotHarness, repo) -> None:
    h = harness
    await linked_group(h, repo)
    await register(h, STRANGER, full_name="Гостев Гость")
    member = await repo.users.by_telegram_id(STRANGER.id)
    member.time_zone = "Asia/Yekaterinburg"
    moderator = await repo.users.by_telegram_id(MODERATOR.id)
    moderator.time_zone = "Asia/Novosibirsk"
    await repo.session.commit()
    await h.send(STRANGER, "Добрый день", chat=GROUP)

    await reply(h, MODERATOR, "/mute 2h остыньте")
    group_text = h.last_message(GROUP.id).text
    assert group_text == "🔇 Гость: запись закрыта до 02.11.2026 14:00 (МСК). Причина: остыньте"
    private = h.last_message(STRANGER.id).text
    assert "до 02.11.2026 16:00 (МСК+2)" in private
    assert "UTC" not in group_text + private

    # in private chat a moderator reads their own zone
    await h.send(MODERATOR, f"/mute {STRANGER.id} 30m снова")
    assert h.last_message(MODERATOR.id).text.startswith(
        f"🔇 {STRANGER.id}: запись закрыта до 02.11.2026 16:"
    )
    assert "(МСК+4)" in h.last_message(MODERATOR.id).text
