"""A forum group mirrors a community's threads: what moderators write in a topic, and what
is removed from a thread, reaches the other side too."""

from aiogram.types import Chat
from sqlalchemy import select

from storage.models import Post, Thread
from tests.flows import register, reply, setup_community, start_thread
from tests.harness import BotHarness
from tests.people import MODERATOR, STRANGER, TEACHER

FORUM = Chat(id=-100_901, type="supergroup", title="Математики: форум", is_forum=True)


async def forum_community(h: BotHarness, repo):
    community = await setup_community(h, repo)
    community.group_chat_id = FORUM.id
    community.group_is_forum = True
    await repo.session.commit()
    await start_thread(h, MODERATOR, "ВПР по математике", "Какие варианты берём?")
    [created] = [c for c in h.session.calls if c.name == "createForumTopic"]
    return community, created.result.message_thread_id


async def topic_message(h: BotHarness, person, text: str, topic_id: int):
    message = h.message(person, text, chat=FORUM, message_thread_id=topic_id, is_topic_message=True)
    from aiogram.types import Update

    await h.feed(Update(update_id=next(h.update_ids), message=message))
    return message


async def bodies(repo) -> list[str]:
    repo.session.expire_all()
    return [p.body for p in await repo.session.scalars(select(Post).order_by(Post.id))]


async def test_a_moderators_answer_in_a_topic_joins_the_thread(harness: BotHarness, repo) -> None:
    h = harness
    _, topic_id = await forum_community(h, repo)
    await topic_message(h, STRANGER, "Берём демоверсию?", topic_id)
    await topic_message(h, MODERATOR, "Да, демоверсию 2025 года", topic_id)

    assert await bodies(repo) == [
        "Какие варианты берём?",
        "Берём демоверсию?",
        "Да, демоверсию 2025 года",
    ]
    thread = await repo.session.scalar(select(Thread))
    assert thread.replies == 2
    await h.send(MODERATOR, "/start t_1")
    assert "Да, демоверсию 2025 года" in h.last_message(MODERATOR.id).text
    # the moderator is still not policed, and a command in the topic is not a reply
    assert not [c for c in h.session.calls if c.name == "deleteMessage"]
    await topic_message(h, MODERATOR, "/history", topic_id)
    assert len(await bodies(repo)) == 3


def deleted(h: BotHarness) -> list[tuple[int, int]]:
    return [
        (c.method.chat_id, c.method.message_id)
        for c in h.session.calls
        if c.name == "deleteMessage"
    ]


async def remove(h: BotHarness, person, thread_id: int, post_id: int, reason: str | None = None):
    from bot.callbacks import ThreadAction, ThreadCallback

    await h.send(person, f"/start t_{thread_id}")
    data = ThreadCallback(action=ThreadAction.REMOVE, thread_id=thread_id, post_id=post_id)
    await h.press(person, h.last_message(person.id), data.pack())
    if reason is not None:
        await h.send(person, reason)


async def test_a_post_a_moderator_removes_leaves_the_topic_too(harness: BotHarness, repo) -> None:
    h = harness
    _, topic_id = await forum_community(h, repo)
    written = await topic_message(h, STRANGER, "Берём демоверсию?", topic_id)
    await h.send(TEACHER, "/start t_1")
    await reply(h, TEACHER, "Я за демоверсию")
    # a newcomer's first reply waits for a moderator, then is copied to the topic
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Опубликовать")
    copy = h.sent_to(FORUM.id)[-1]
    posts = (await repo.session.scalars(select(Post).order_by(Post.id))).all()
    from_topic, from_private = posts[1], posts[2]

    await remove(h, MODERATOR, 1, from_topic.id, "не по теме")
    assert (FORUM.id, written.message_id) in deleted(h)
    await remove(h, MODERATOR, 1, from_private.id, "не по теме")
    assert (FORUM.id, copy.result.message_id) in deleted(h)

    # the opening post takes the thread, and its topic, with it
    await remove(h, MODERATOR, 1, posts[0].id)
    [gone] = [c for c in h.session.calls if c.name == "deleteForumTopic"]
    assert (gone.method.chat_id, gone.method.message_thread_id) == (FORUM.id, topic_id)


async def test_after_delete_me_the_topic_no_longer_names_the_member(
    harness: BotHarness, repo
) -> None:
    h = harness
    _, topic_id = await forum_community(h, repo)
    await h.send(TEACHER, "/start t_1")
    await reply(h, TEACHER, "Я за демоверсию")
    # a newcomer's first reply waits for a moderator, then is copied to the topic
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Опубликовать")
    copy = h.sent_to(FORUM.id)[-1]
    assert copy.method.text.startswith("💬 Иванова Мария Петровна:")
    await register(h, STRANGER, full_name="Гостев Гость")
    own = await topic_message(h, STRANGER, "И я за неё", topic_id)

    for person in (TEACHER, STRANGER):
        await h.send(person, "/delete_me")
        await h.tap(person, h.last_message(person.id), "Да, удалить")

    [edited] = [
        c for c in h.session.calls if c.name == "editMessageText" and c.method.chat_id == FORUM.id
    ]
    assert edited.method.message_id == copy.result.message_id
    assert edited.method.text == "💬 удалённый участник:\nЯ за демоверсию"
    assert (FORUM.id, own.message_id) in deleted(h)
