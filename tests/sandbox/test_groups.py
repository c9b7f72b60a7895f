"""Groups, supergroups and forums: membership updates, the bot's rights, topics, privacy."""

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError

from sandbox import SandboxClient, SandboxError


async def test_forum_topic_and_a_message_in_it(bot: Bot, client: SandboxClient) -> None:
    owner = await client.create_user("Ольга")
    anna = await client.create_user("Анна")
    forum = await client.create_group(
        "Методобъединение",
        is_forum=True,
        creator_id=owner.id,
        members=[anna.id],
        bot_status="administrator",
        bot_rights={"can_manage_topics": True},
    )
    topic = await bot.create_forum_topic(forum["id"], "Итоговая аттестация")
    assert topic.name == "Итоговая аттестация"

    sent = await bot.send_message(
        forum["id"], "Сроки сдачи", message_thread_id=topic.message_thread_id
    )
    assert sent.message_thread_id == topic.message_thread_id
    assert sent.is_topic_message

    await client.send_text(
        anna.id, "Спасибо!", chat_id=forum["id"], thread_id=topic.message_thread_id
    )
    [update] = await bot.get_updates()
    assert update.message is not None
    assert update.message.message_thread_id == topic.message_thread_id
    assert update.message.is_topic_message

    messages = await client.chat(anna.id, forum["id"])
    assert [(m.service, m.thread_id) for m in messages] == [
        ("forum_topic_created", topic.message_thread_id),
        (None, topic.message_thread_id),
        (None, topic.message_thread_id),
    ]
    assert await bot.close_forum_topic(forum["id"], topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(forum["id"], topic.message_thread_id)
    with pytest.raises(SandboxError, match="closed"):
        await client.send_text(
            anna.id, "ещё", chat_id=forum["id"], thread_id=topic.message_thread_id
        )
    assert await bot.reopen_forum_topic(forum["id"], topic.message_thread_id)
    assert await bot.edit_forum_topic(forum["id"], topic.message_thread_id, name="ГИА")
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(forum["id"], "x", message_thread_id=9999)


async def test_topics_need_rights_and_a_forum(bot: Bot, client: SandboxClient) -> None:
    owner = await client.create_user("Ольга")
    plain = await client.create_group("Обычная", creator_id=owner.id, bot_status="administrator")
    forum = await client.create_group("Форум", is_forum=True, creator_id=owner.id)

    with pytest.raises(TelegramBadRequest, match="the chat is not a forum"):
        await bot.create_forum_topic(plain["id"], "x")
    with pytest.raises(TelegramBadRequest, match="not enough rights to create a topic"):
        await bot.create_forum_topic(forum["id"], "x")


async def test_join_produces_chat_member_and_new_chat_members(
    bot: Bot, client: SandboxClient
) -> None:
    owner = await client.create_user("Ольга")
    anna = await client.create_user("Анна", username="anna")
    group = await client.create_group(
        "Учителя физики", creator_id=owner.id, bot_status="administrator"
    )
    await bot.get_updates(allowed_updates=["message", "chat_member", "my_chat_member"])

    await client.join_group(anna.id, group["id"])
    updates = await bot.get_updates()

    member_update = next(u.chat_member for u in updates if u.chat_member)
    assert member_update.chat.id == group["id"]
    assert member_update.old_chat_member.status == "left"
    assert member_update.new_chat_member.status == "member"
    assert member_update.new_chat_member.user.id == anna.id
    service = next(u.message for u in updates if u.message)
    assert service.new_chat_members is not None
    assert [user.id for user in service.new_chat_members] == [anna.id]
    assert (await bot.get_chat_member(group["id"], anna.id)).status == "member"
    assert await bot.get_chat_member_count(group["id"]) == 3

    await client.leave_group(anna.id, group["id"])
    updates = await bot.get_updates(offset=updates[-1].update_id + 1)
    assert next(u.chat_member for u in updates if u.chat_member).new_chat_member.status == "left"
    left = next(u.message for u in updates if u.message)
    assert left.left_chat_member is not None and left.left_chat_member.id == anna.id


async def test_chat_member_updates_are_opt_in(bot: Bot, client: SandboxClient) -> None:
    owner = await client.create_user("Ольга")
    anna = await client.create_user("Анна")
    group = await client.create_group("Группа", creator_id=owner.id, bot_status="administrator")

    await client.join_group(anna.id, group["id"])
    updates = await bot.get_updates()
    assert [u.message.new_chat_members is not None for u in updates if u.message] == [True]
    assert not any(u.chat_member for u in updates)


async def test_adding_the_bot_and_its_real_status(bot: Bot, client: SandboxClient) -> None:
    owner = await client.create_user("Ольга")
    group = await client.create_group("Учительская", creator_id=owner.id, bot_status=None)

    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(group["id"], "hello")
    await client.add_bot(owner.id, group["id"])
    updates = await bot.get_updates()
    my_member = next(u.my_chat_member for u in updates if u.my_chat_member)
    assert my_member.old_chat_member.status == "left"
    assert my_member.new_chat_member.status == "member"
    assert my_member.from_user.id == owner.id
    me = await bot.get_me()
    assert (await bot.get_chat_member(group["id"], me.id)).status == "member"

    await client.set_member(
        owner.id, group["id"], me.id, "administrator", {"can_pin_messages": True}
    )
    status = await bot.get_chat_member(group["id"], me.id)
    assert status.status == "administrator"
    assert getattr(status, "can_pin_messages", False)
    admins = await bot.get_chat_administrators(group["id"])
    assert [admin.status for admin in admins] == ["creator", "administrator"]

    await client.remove_bot(owner.id, group["id"])
    with pytest.raises(TelegramForbiddenError, match="bot was kicked from the supergroup chat"):
        await bot.send_message(group["id"], "hello")


async def test_bot_that_left_is_not_a_member(bot: Bot, client: SandboxClient) -> None:
    owner = await client.create_user("Ольга")
    group = await client.create_group("Учительская", creator_id=owner.id)

    assert await bot.leave_chat(group["id"])
    with pytest.raises(TelegramForbiddenError, match="bot is not a member of the supergroup chat"):
        await bot.send_message(group["id"], "hello")


async def test_blocking_sends_my_chat_member(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    await client.block_bot(user.id)
    await client.unblock_bot(user.id)

    blocked, unblocked = await bot.get_updates()
    assert blocked.my_chat_member is not None and unblocked.my_chat_member is not None
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    assert unblocked.my_chat_member.new_chat_member.status == "member"
    assert blocked.my_chat_member.chat.type == "private"


async def test_privacy_mode_hides_ordinary_group_messages(bot: Bot, client: SandboxClient) -> None:
    owner = await client.create_user("Ольга")
    anna = await client.create_user("Анна")
    group = await client.create_group("Группа", creator_id=owner.id, members=[anna.id])
    bot_message = await bot.send_message(group["id"], "Объявление")

    await client.send_text(anna.id, "болтовня", chat_id=group["id"])
    await client.send_text(anna.id, "/help", chat_id=group["id"])
    await client.send_text(anna.id, "/help@other_bot", chat_id=group["id"])
    await client.send_text(anna.id, "@metodset_sandbox_bot привет", chat_id=group["id"])
    await client.send_text(
        anna.id, "ответ боту", chat_id=group["id"], reply_to=bot_message.message_id
    )

    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["/help", "@metodset_sandbox_bot привет", "ответ боту"]
    # Every member still sees the whole conversation.
    assert len(await client.chat(owner.id, group["id"])) == 6


async def test_ban_unban_and_restrict(bot: Bot, client: SandboxClient) -> None:
    from aiogram.types import ChatPermissions

    owner = await client.create_user("Ольга")
    anna = await client.create_user("Анна")
    group = await client.create_group("Группа", creator_id=owner.id, members=[anna.id])

    with pytest.raises(TelegramBadRequest, match="not enough rights to restrict/unrestrict"):
        await bot.ban_chat_member(group["id"], anna.id)
    await client.set_member(
        owner.id,
        group["id"],
        (await bot.get_me()).id,
        "administrator",
        {"can_restrict_members": True},
    )
    with pytest.raises(TelegramBadRequest, match="can't remove chat owner"):
        await bot.ban_chat_member(group["id"], owner.id)

    assert await bot.restrict_chat_member(
        group["id"], anna.id, ChatPermissions(can_send_messages=False)
    )
    assert (await bot.get_chat_member(group["id"], anna.id)).status == "restricted"
    with pytest.raises(SandboxError, match="may not send messages"):
        await client.send_text(anna.id, "можно?", chat_id=group["id"])

    assert await bot.ban_chat_member(group["id"], anna.id)
    assert (await bot.get_chat_member(group["id"], anna.id)).status == "kicked"
    with pytest.raises(SandboxError, match="banned"):
        await client.join_group(anna.id, group["id"])
    assert await bot.unban_chat_member(group["id"], anna.id)
    await client.join_group(anna.id, group["id"])
    assert (await bot.get_chat_member(group["id"], anna.id)).status == "member"


async def test_get_chat_and_chat_actions(bot: Bot, client: SandboxClient) -> None:
    owner = await client.create_user("Ольга")
    group = await client.create_group(
        "Учительская", creator_id=owner.id, description="Для педагогов", is_forum=True
    )

    chat = await bot.get_chat(group["id"])
    assert chat.title == "Учительская" and chat.type == "supergroup" and chat.is_forum
    assert chat.description == "Для педагогов"
    assert await bot.send_chat_action(group["id"], "typing")
    view = await client.chat_view(owner.id, group["id"])
    assert view.chat_action == {"action": "typing", "thread_id": None}
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(group["id"], "dancing")
