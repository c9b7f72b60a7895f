"""A reply held for review in a thread whose opening post is removed: it leaves the queue
with the thread, its author is told why (with their text), its card is closed; an old card
pressed later gets a plain answer, not an error."""

from sqlalchemy import select

from storage.enums import CommunityRole, PostStatus, ReviewStatus, ThreadStatus
from storage.models import Post, ReviewItem, Thread
from tests.flows import drain_outbox, membership_of, register, reply, setup_community, start_thread
from tests.harness import BotHarness, Person
from tests.people import MODERATOR, READER, TEACHER

REPLY = "Мой план урока по дробям <с картинками>"


async def held_reply(h: BotHarness, repo):
    """A thread opened by a trusted expert; a newcomer's reply waits for the moderator."""
    community = await setup_community(h, repo)
    expert = await membership_of(repo, TEACHER, community)
    expert.role = CommunityRole.EXPERT
    await repo.session.commit()
    await start_thread(h, TEACHER, "Дроби в 5 классе", "Делимся планами")
    await h.send(READER, "/start t_1")
    await reply(h, READER, REPLY)
    card = h.last_message(MODERATOR.id)
    assert card.text.startswith("💬 Сообщение в обсуждении на проверку")
    return card


async def item_and_post(repo) -> tuple[ReviewItem, Post]:
    repo.session.expire_all()
    item = await repo.session.scalar(select(ReviewItem))
    post = await repo.session.get(Post, item.object_id)
    return item, post


async def test_removing_the_opening_post_takes_held_replies_out_of_the_queue(
    harness: BotHarness, repo
) -> None:
    h = harness
    card = await held_reply(h, repo)

    # The moderator removes the opening post, with a reason.
    await h.send(MODERATOR, "/start t_1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "📄 1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Удалить")
    await h.send(MODERATOR, "тема дублирует другую")

    item, post = await item_and_post(repo)
    assert (item.status, post.status) == (ReviewStatus.CANCELLED, PostStatus.REJECTED)
    assert (await repo.session.scalar(select(Thread))).status is ThreadStatus.DELETED
    closed = h.now(card)
    assert closed.text.endswith(
        "🗑 Тема удалена — ответ не будет опубликован, автору сообщили. "
        "Карточку закрыл(а): Смирнова Ольга."
    )
    assert closed.reply_markup is None
    await h.send(MODERATOR, "/queue")
    assert h.last_message(MODERATOR.id).text == "Очередь пуста — всё проверено. 👍"

    await drain_outbox(h)
    assert h.last_message(READER.id).text == (
        "Тема «Дроби в 5 классе» удалена, поэтому ваш ответ, ждавший проверки, не будет "
        "опубликован. Ваш текст, чтобы он не пропал:\n"
        "Мой план урока по дробям <с картинками>"
    )

    # The old card, pressed later (a copy kept its buttons), answers plainly and stays closed.
    calls = await h.tap(MODERATOR, card, "Опубликовать")
    assert h.alerts()[-1] == (
        "Тема этого ответа удалена, поэтому опубликовать его нельзя. "
        "Карточка закрыта, автору сообщили."
    )
    assert not [c for c in calls if c.name == "sendMessage" and c.method.chat_id == READER.id]
    item, post = await item_and_post(repo)
    assert (item.status, post.status) == (ReviewStatus.CANCELLED, PostStatus.REJECTED)


async def test_the_author_removing_their_opening_post_does_the_same(
    harness: BotHarness, repo
) -> None:
    h = harness
    card = await held_reply(h, repo)
    await h.send(TEACHER, "/start t_1")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "📄 1")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Удалить")
    assert h.last_message(TEACHER.id).text == "Сообщение удалено."

    item, post = await item_and_post(repo)
    assert (item.status, post.status) == (ReviewStatus.CANCELLED, PostStatus.REJECTED)
    assert h.now(card).reply_markup is None
    await drain_outbox(h)
    assert h.last_message(READER.id).text.startswith("Тема «Дроби в 5 классе» удалена")


async def test_a_card_left_open_by_an_earlier_removal_is_closed_when_pressed(
    harness: BotHarness, repo
) -> None:
    """A reply orphaned before removals withdrew such replies: still open, never approvable."""
    h = harness
    card = await held_reply(h, repo)
    thread = await repo.session.scalar(select(Thread))
    thread.status = ThreadStatus.DELETED
    await repo.session.commit()

    await h.tap(READER, card, "Опубликовать")  # not a moderator: refused, nothing changes
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    item, _ = await item_and_post(repo)
    assert item.status is ReviewStatus.OPEN

    await h.tap(MODERATOR, card, "Опубликовать")
    assert h.alerts()[-1].startswith("Тема этого ответа удалена")
    item, post = await item_and_post(repo)
    assert (item.status, post.status) == (ReviewStatus.CANCELLED, PostStatus.REJECTED)
    assert h.now(card).reply_markup is None
    assert "🗑 Тема удалена" in h.now(card).text
    await drain_outbox(h)
    assert h.last_message(READER.id).text.startswith("Тема «Дроби в 5 классе» удалена")
    await h.send(MODERATOR, "/queue")
    assert h.last_message(MODERATOR.id).text == "Очередь пуста — всё проверено. 👍"


async def test_a_held_opening_post_rejected_from_its_card_takes_its_thread_away(
    harness: BotHarness, repo
) -> None:
    """A newcomer's opening post waits for review while the thread is already listed; an
    expert answers it and another newcomer's reply is held too. Rejecting the opening post
    removes the thread (no topic without its question) and the held reply leaves the queue."""
    h = harness
    community = await setup_community(h, repo)
    expert = await membership_of(repo, TEACHER, community)
    expert.role = CommunityRole.EXPERT
    await repo.session.commit()
    await start_thread(h, READER, "Дроби в 5 классе", "Как объяснить сокращение?")
    opening_card = h.last_message(MODERATOR.id)
    assert "Как объяснить сокращение?" in opening_card.text
    await h.send(TEACHER, "/start t_1")
    await reply(h, TEACHER, "Через пиццу")
    newcomer = Person(id=7950, first_name="Ирина")
    await register(h, newcomer)
    await h.send(newcomer, "/communities")
    await h.tap(newcomer, h.last_message(newcomer.id), "Математики")
    await h.tap(newcomer, h.last_message(newcomer.id), "Вступить")
    await h.send(newcomer, "/start t_1")
    await reply(h, newcomer, REPLY)
    reply_card = h.last_message(MODERATOR.id)
    assert reply_card.message_id != opening_card.message_id

    await h.tap(MODERATOR, opening_card, "Отклонить")

    repo.session.expire_all()
    assert (await repo.session.scalar(select(Thread))).status is ThreadStatus.DELETED
    statuses = {post.body: post.status for post in (await repo.session.scalars(select(Post))).all()}
    assert statuses["Как объяснить сокращение?"] is PostStatus.REJECTED
    assert statuses[REPLY] is PostStatus.REJECTED
    items = (await repo.session.scalars(select(ReviewItem).order_by(ReviewItem.id))).all()
    assert [item.status for item in items] == [ReviewStatus.REJECTED, ReviewStatus.CANCELLED]
    assert h.now(reply_card).reply_markup is None
    await h.send(MODERATOR, "/queue")
    assert h.last_message(MODERATOR.id).text == "Очередь пуста — всё проверено. 👍"
    await h.send(TEACHER, "/start t_1")
    assert h.last_message(TEACHER.id).text == "Тема не найдена: возможно, её удалили."
    await drain_outbox(h)
    assert h.last_message(newcomer.id).text.startswith("Тема «Дроби в 5 классе» удалена")
