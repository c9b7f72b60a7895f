"""The conduct code in a linked group, with the bot running for real against the sandbox."""

from bot.demo import ADMIN, MODERATOR, MODERATORS_CHAT_ID, TEACHER
from tests.e2e.conftest import Player
from tests.harness import until

GROUP_ID = -1001000000777


async def member_status(world, user_id: int) -> str:
    info = await world.chat_info(GROUP_ID)
    return next(m["status"] for m in info["members"] if m["user_id"] == user_id)


async def wait_for_status(world, user_id: int, status: str) -> None:
    async def reached() -> bool:
        return await member_status(world, user_id) == status

    await until(reached, f"{user_id} becomes {status}", timeout=10)


async def linked_group(world) -> tuple[Player, Player]:
    """The demo's group of mathematicians, linked to their community by the admin: the
    moderator and the teacher in it."""
    admin = Player(world, ADMIN.telegram_id)
    admin = Player(world, ADMIN.telegram_id)
    moderator = Player(world, MODERATOR.telegram_id)
    teacher = Player(world, TEACHER.telegram_id)
    await world.create_group(
        "Учителя математики: обсуждение",
        id=GROUP_ID,
        creator_id=ADMIN.telegram_id,
        members=[MODERATOR.telegram_id, TEACHER.telegram_id],
        admins=[ADMIN.telegram_id],
        bot_status="administrator",
        bot_rights={"can_delete_messages": True, "can_restrict_members": True},
    )
    linked = await admin.say("/link 1", expect="привязана", chat_id=GROUP_ID)
    assert "Учителя математики" in linked.content
    return moderator, teacher


async def test_a_violation_is_deleted_warned_and_a_moderator_mutes(world) -> None:
    moderator, teacher = await linked_group(world)

    await teacher.say("Коллеги, где взять КИМ для 7 класса?", expect="КИМ", chat_id=GROUP_ID)
    sent = await world.send_text(teacher.user_id, "Да вы все тут д.е.б.и.л.ы", chat_id=GROUP_ID)
    warning = await teacher.sees("сообщение удалено", chat_id=GROUP_ID)

    assert warning.content == (
        "Мария Иванова, сообщение удалено: оно нарушает §7.2 (оскорбление участников). "
        "Предупреждение 1 из 3."
    )
    # gone for everyone
    seen = await world.chat(MODERATOR.telegram_id, GROUP_ID)
    assert all(m.deleted for m in seen if m.message_id == sent["message_id"])
    assert not any("д.е.б.и.л.ы" in m.content for m in seen if not m.deleted)

    await world.send_text(
        moderator.user_id, "/mute 1h остыньте", chat_id=GROUP_ID, reply_to=warning.message_id
    )
    # a reply to the bot's message is refused; the moderator replies to the member instead
    await moderator.sees("Ответьте командой /mute", chat_id=GROUP_ID)
    question = next(
        m for m in await world.chat(MODERATOR.telegram_id, GROUP_ID) if "КИМ" in m.content
    )
    await world.send_text(
        moderator.user_id, "/mute 1h остыньте", chat_id=GROUP_ID, reply_to=question.message_id
    )
    await moderator.sees("🔇 Мария Иванова", chat_id=GROUP_ID)
    await wait_for_status(world, teacher.user_id, "restricted")

    await world.send_text(
        moderator.user_id, "/unban разобрались", chat_id=GROUP_ID, reply_to=question.message_id
    )
    await moderator.sees("✅ Мария Иванова: ограничения", chat_id=GROUP_ID)
    await wait_for_status(world, teacher.user_id, "restricted")  # restricted, but may write
    info = await world.chat_info(GROUP_ID)
    rights = next(m["rights"] for m in info["members"] if m["user_id"] == teacher.user_id)
    assert rights.get("can_send_messages") is True


async def test_a_paraphrased_insult_stays_until_a_moderator_reads_the_models_score(world) -> None:
    moderator, teacher = await linked_group(world)

    # no word of the lexicon: the model's catch alone, so the message stays for a moderator
    sent = await world.send_text(teacher.user_id, "Ты пустое место", chat_id=GROUP_ID)
    card = await moderator.sees(
        "🤖 Оценка модели: оскорбление участников, уверенность", chat_id=MODERATORS_CHAT_ID
    )
    assert "Решение за модератором." in card.content
    assert "Сообщение: «Ты пустое место»" in card.content
    shown = await world.chat(MODERATOR.telegram_id, GROUP_ID)
    assert any(m.message_id == sent["message_id"] and not m.deleted for m in shown)

    await moderator.tap("Удалить", chat_id=MODERATORS_CHAT_ID)
    await moderator.sees("🗑 Удалено, автор предупреждён", chat_id=MODERATORS_CHAT_ID)
    shown = await world.chat(MODERATOR.telegram_id, GROUP_ID)
    assert all(m.deleted for m in shown if m.message_id == sent["message_id"])
