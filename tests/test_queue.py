"""/queue: one queue for every source, filters, and claiming an item."""

from sqlalchemy import select

from bot.callbacks import QueueAction, QueueCallback
from storage.models import ReviewItem
from tests.conftest import ADMIN
from tests.flows import (
    linked_group,
    make_community,
    make_moderator,
    register,
    report,
    share_document,
)
from tests.harness import BotHarness, labels
from tests.people import MODERATOR, READER, SECOND_MODERATOR, TEACHER


async def queue_with_three_items(h: BotHarness, repo):
    community = await linked_group(h, repo)
    await register(h, SECOND_MODERATOR, full_name="Кузнецова Ирина")
    await make_moderator(repo, SECOND_MODERATOR, community)
    for name in ("Первый.pdf", "Второй.pdf"):
        await share_document(h, file_name=name)
        await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await report(h, READER)
    return community


async def test_the_queue_shows_every_source_and_filters_narrow_it(
    harness: BotHarness, repo
) -> None:
    h = harness
    await queue_with_three_items(h, repo)

    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)
    assert card.html_text.splitlines()[:3] == [
        "В очереди: 3",
        "премодерация: 2 · жалобы: 1",
        "🚩 <b>Жалоба участника</b>",  # a report ranks above premoderation
    ]
    assert labels(card)[-3:] == ["🙋 Беру", "Следующий ▶", "🔎 Фильтр"]

    await h.tap(MODERATOR, card, "Фильтр")
    assert labels(h.now(card)) == [
        "Все: 3",
        "премодерация: 2",
        "жалобы: 1",
        "Математики: 3",
    ]
    await h.tap(MODERATOR, h.now(card), "премодерация")
    filtered = h.last_message(MODERATOR.id)
    assert filtered.text.startswith("В очереди по фильтру: 2")
    assert "<b>Первый</b>" in filtered.html_text
    await h.tap(MODERATOR, filtered, "Следующий")
    assert "<b>Второй</b>" in h.last_message(MODERATOR.id).html_text
    assert "Следующий ▶" not in labels(h.last_message(MODERATOR.id))


async def test_a_claimed_item_is_left_to_the_moderator_who_took_it(
    harness: BotHarness, repo
) -> None:
    h = harness
    await queue_with_three_items(h, repo)
    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)
    await h.tap(MODERATOR, card, "Беру")
    assert h.now(card).text.endswith("🙋 Взял(а): Смирнова Ольга")
    assert "🙋 Беру" not in labels(h.now(card))

    await h.send(SECOND_MODERATOR, "/queue")
    other = h.last_message(SECOND_MODERATOR.id)
    assert other.text.startswith("В очереди: 2")
    assert "Жалоба участника" not in other.text

    taken = await repo.session.scalar(select(ReviewItem).where(ReviewItem.source == "report"))
    forged = QueueCallback(action=QueueAction.CLAIM, item_id=taken.id).pack()
    await h.press(SECOND_MODERATOR, other, forged)
    assert h.alerts()[-1] == "Это уже взял(а) Смирнова Ольга."


async def test_forged_queue_buttons_are_refused(harness: BotHarness, repo) -> None:
    h = harness
    await queue_with_three_items(h, repo)
    elsewhere = await make_community(repo, "Историки")
    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)

    await h.press(
        MODERATOR, card, QueueCallback(action=QueueAction.SHOW, community_id=elsewhere.id).pack()
    )
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    await h.press(READER, card, QueueCallback(action=QueueAction.SHOW).pack())
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    item = await repo.session.scalar(select(ReviewItem))
    await h.press(READER, card, QueueCallback(action=QueueAction.CLAIM, item_id=item.id).pack())
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    repo.session.expire_all()
    assert (await repo.session.scalar(select(ReviewItem))).claimed_by_id is None


async def test_an_admin_opens_the_queue_before_any_community_exists(harness: BotHarness) -> None:
    """The admin's menu offers /queue from the start: it must answer, not refuse."""
    h = harness
    await register(h, ADMIN)

    await h.send(ADMIN, "/queue")

    assert h.last_message(ADMIN.id).text == "Очередь пуста — всё проверено. 👍"
