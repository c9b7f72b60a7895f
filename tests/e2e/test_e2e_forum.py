"""A thread in a forum group, with the bot running for real against the sandbox: started in
private chat, mirrored as a topic, answered in the topic, read back in private chat."""

from bot.demo import ADMIN, MODERATOR, TEACHER
from tests.e2e.conftest import Player

FORUM_ID = -1001000000888


async def test_a_thread_reads_the_same_in_private_chat_and_in_the_forum(world) -> None:
    admin = Player(world, ADMIN.telegram_id)
    moderator = Player(world, MODERATOR.telegram_id)
    await world.create_group(
        "Учителя математики: форум",
        id=FORUM_ID,
        is_forum=True,
        creator_id=ADMIN.telegram_id,
        members=[MODERATOR.telegram_id, TEACHER.telegram_id],
        admins=[ADMIN.telegram_id],
        bot_status="administrator",
        bot_rights={
            "can_manage_topics": True,
            "can_delete_messages": True,
            "can_restrict_members": True,
        },
    )
    await admin.say("/link 1", expect="привязана", chat_id=FORUM_ID)

    await moderator.say("/communities", expect="Сообщества сети")
    await moderator.tap("Учителя математики")
    await moderator.tap("Обсуждения")
    await moderator.tap("Новая тема")
    await moderator.say("ОГЭ: разбор второй части", expect="Первое сообщение темы")
    await moderator.say("Присылайте решения задачи 22", expect="Автор: Смирнова")

    # the topic appears in the forum with the opening post
    opening = await moderator.sees("Присылайте решения задачи 22", chat_id=FORUM_ID)
    assert opening.thread_id is not None
    assert opening.content == "💬 Смирнова Ольга Викторовна:\nПрисылайте решения задачи 22"

    # a member answers in the topic; the thread in private chat shows the reply
    await world.send_text(
        TEACHER.telegram_id, "Моё решение: x = 4", chat_id=FORUM_ID, thread_id=opening.thread_id
    )
    # the author's notice of the reply is sent once the reply is committed (a quiet spell
    # alone can pass while a loaded machine still checks the reply)
    await moderator.sees("Новый ответ в теме")
    # (thread 1 is the discussion the demo's history seeds; this one is the second)
    await moderator.say("/start t_2", expect="ОГЭ: разбор второй части")
    # the thread view (not the follower's notice of the reply, which may come after it)
    thread = await moderator.sees("ответов: 1")
    assert "ОГЭ: разбор второй части" in thread.content
    assert "Моё решение: x = 4" in thread.content
