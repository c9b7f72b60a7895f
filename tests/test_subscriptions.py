"""Members who subscribe to a community's new materials hear of each one, through the outbox."""

from sqlalchemy import select

from bot.callbacks import CommunityAction, CommunityCallback
from storage.enums import DeliveryState
from storage.models import Delivery
from tests.flows import outbox_worker, register, setup_community, share_document
from tests.harness import BotHarness, Person, labels
from tests.people import MODERATOR, READER, TEACHER

OUTSIDER = Person(id=7201, first_name="Сторонний")


async def subscribe(h: BotHarness, person: Person) -> None:
    await h.send(person, "/communities")
    await h.tap(person, h.last_message(person.id), "Математики")
    await h.tap(person, h.last_message(person.id), "Сообщать о новых материалах")


async def test_subscribers_hear_of_a_new_material_and_the_author_does_not(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await subscribe(h, READER)
    assert h.alerts()[-1] == "Буду сообщать о новых материалах сообщества «Математики»."
    assert "🔕 Не сообщать о новых материалах" in labels(h.last_message(READER.id))
    await subscribe(h, TEACHER)  # the author is subscribed too

    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")

    queued = (await repo.session.scalars(select(Delivery))).all()
    reader = await repo.users.by_telegram_id(READER.id)
    assert [(d.key, d.chat_id, d.state) for d in queued] == [
        (f"material:1:{reader.id}", READER.id, DeliveryState.PENDING)
    ]

    worker = outbox_worker(h)
    assert await worker.drain() == 1
    news = h.last_message(READER.id)
    assert news.html_text.startswith(
        "🆕 Новый материал в сообществе «Математики»\n\n<b>Сложение дробей</b>"
    )
    assert news.reply_markup.inline_keyboard[0][0].url.endswith("?start=m_1")


async def test_unsubscribing_stops_the_news_and_outsiders_cannot_subscribe(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    await subscribe(h, READER)
    await h.tap(READER, h.last_message(READER.id), "Не сообщать о новых материалах")
    assert h.alerts()[-1] == "Больше не сообщаю о новых материалах сообщества «Математики»."

    await register(h, OUTSIDER, full_name="Сторонний Игорь")
    await h.send(OUTSIDER, "/communities")
    forged = CommunityCallback(action=CommunityAction.SUBSCRIBE, community_id=community.id)
    await h.press(OUTSIDER, h.last_message(OUTSIDER.id), forged.pack())
    assert h.alerts()[-1] == "Это доступно участникам сообщества."

    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")
    assert (await repo.session.scalars(select(Delivery))).all() == []
