"""A forum group mirrors a community's threads: what moderators write in a topic, and what
is removed from a thread, reaches the other side too."""

from aiogram.types import Chat
from sqlalchemy import select

from storage.models import Post, Thread
from tests.harness import BotHarness
from tests.test_conduct import STRANGER
from tests.test_materials import MODERATOR, setup_community
from tests.test_threads import start_thread

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
