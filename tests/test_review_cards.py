"""The moderator's and the expert's cards carry what they judge and lead somewhere after."""

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from sqlalchemy import select

from bot.callbacks import ExpertAction, ExpertCallback
from storage.enums import CommunityRole, ContentType, MaterialKind, MaterialStatus
from storage.models import ExpertReview
from storage.repositories.materials import ContentCheck
from tests.flows import make_moderator, material, register, setup_community, share_document
from tests.harness import BotHarness, Person, button, labels
from tests.people import MODERATOR, MODERATORS_CHAT, READER, TEACHER

EXPERT = Person(id=7010, first_name="Анна")
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"


def documents_to(h: BotHarness, chat_id: int) -> list:
    return [
        c for c in h.session.calls if c.name == "sendDocument" and int(c.method.chat_id) == chat_id
    ]


async def submitted(h: BotHarness, repo, **kwargs) -> None:
    await setup_community(h, repo, **kwargs)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")


async def test_the_moderator_opens_the_file_from_the_card_in_private(
    harness: BotHarness, repo
) -> None:
    h = harness
    await submitted(h, repo)
    card = h.last_message(MODERATOR.id)
    assert "📄 Открыть файл" in labels(card)

    await h.tap(MODERATOR, card, "Открыть файл")

    (sent,) = documents_to(h, MODERATOR.id)
    assert sent.method.document == (await material(repo)).file_id
    assert "Сложение дробей" in sent.method.caption
    assert (await material(repo)).status is MaterialStatus.PENDING


async def test_the_file_opened_in_the_moderators_chat_comes_privately(
    harness: BotHarness, repo
) -> None:
    h = harness
    await submitted(h, repo, moderators_chat=True)
    card = h.last_message(MODERATORS_CHAT.id)

    await h.tap(MODERATOR, card, "Открыть файл")

    assert not documents_to(h, MODERATORS_CHAT.id)  # the moderators' chat is not flooded
    assert len(documents_to(h, MODERATOR.id)) == 1
    assert h.alerts()[-1] == "📄 Файл отправлен вам в личные сообщения с ботом."

    # Someone in the chat who does not moderate the community gets nothing.
    await h.tap(READER, card, "Открыть файл")
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    assert not documents_to(h, READER.id)


async def test_a_moderator_who_never_opened_the_bot_is_told_how(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo, moderators_chat=True)
    card = h.last_message(MODERATORS_CHAT.id)
    h.session.fail(
        "sendDocument",
        MODERATOR.id,
        lambda m: TelegramForbiddenError(method=m, message=CANT_INITIATE),
    )

    await h.tap(MODERATOR, card, "Открыть файл")

    assert h.alerts()[-1] == (
        "Не могу написать вам в личные сообщения: откройте бота @metodset_bot, "
        "нажмите «Начать» и повторите."
    )


async def test_the_queue_card_opens_the_file_too(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo)
    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)

    await h.tap(MODERATOR, card, "Открыть файл")

    assert len(documents_to(h, MODERATOR.id)) == 1


async def test_the_reasons_list_has_back(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo)
    card = h.last_message(MODERATOR.id)
    decisions = labels(card)

    await h.tap(MODERATOR, card, "Отклонить")
    assert labels(h.now(card))[-1] == "← Назад"
    await h.tap(MODERATOR, h.now(card), "Назад")

    assert labels(h.now(card)) == decisions
    assert (await material(repo)).status is MaterialStatus.PENDING


async def test_back_from_the_reasons_keeps_the_queue_buttons(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo)
    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)
    before = labels(card)

    await h.tap(MODERATOR, card, "На доработку")
    assert "🔎 Фильтр" in labels(h.now(card))
    await h.tap(MODERATOR, h.now(card), "Назад")

    assert labels(h.now(card)) == before


async def test_a_decided_card_leads_on(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo)
    await share_document(h, file_name="Второй.pdf")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    first = h.sent_to(MODERATOR.id)[-2].result

    await h.tap(MODERATOR, first, "Одобрить")

    decided = h.now(first)
    assert decided.text.endswith("✅ Одобрено: Смирнова Ольга")
    assert labels(decided) == ["📄 Открыть файл", "📖 Открыть материал", "▶ Следующий в очереди"]
    assert button(decided, "Открыть материал").url.endswith("?start=m_1")
    await h.tap(MODERATOR, decided, "Следующий в очереди")
    shown = h.last_message(MODERATOR.id)
    assert shown.text.startswith("В очереди: 1")
    assert "<b>Второй</b>" in shown.html_text

    await h.tap(MODERATOR, shown, "Отклонить")
    await h.tap(MODERATOR, h.now(shown), "Уже опубликован")
    assert labels(h.now(shown)) == ["📄 Открыть файл", "▶ Следующий в очереди"]
    await h.tap(MODERATOR, h.now(shown), "Следующий в очереди")
    assert h.last_message(MODERATOR.id).text == "Очередь пуста — всё проверено. 👍"


async def test_next_in_the_queue_from_the_moderators_chat_comes_privately(
    harness: BotHarness, repo
) -> None:
    h = harness
    await submitted(h, repo, moderators_chat=True)
    card = h.last_message(MODERATORS_CHAT.id)
    await h.tap(MODERATOR, card, "Одобрить")
    posted = len(h.sent_to(MODERATORS_CHAT.id))

    await h.tap(MODERATOR, h.now(card), "Следующий в очереди")

    assert len(h.sent_to(MODERATORS_CHAT.id)) == posted
    assert h.last_message(MODERATOR.id).text == "Очередь пуста — всё проверено. 👍"


async def queued(repo, community, *, title: str, **content) -> None:
    """A material waiting in the queue, made without the share dialog."""
    author = await repo.users.by_telegram_id(TEACHER.id)
    draft = await repo.materials.start_draft(author)
    draft.title, draft.kind, draft.grades = title, MaterialKind.OTHER, [5]
    draft.community_id = community.id
    for name, value in content.items():
        setattr(draft, name, value)
    await repo.materials.submit(draft, ContentCheck(), trusted_after=100)
    await repo.session.commit()


async def test_a_link_or_a_long_text_opens_from_the_card(harness: BotHarness, repo) -> None:
    h = harness
    community = await setup_community(h, repo)
    await queued(
        repo,
        community,
        title="Дроби на РЭШ",
        content_type=ContentType.LINK,
        url="https://resh.edu.ru/subject/12/",
    )
    long_text = "Ход урока. " * 120
    await queued(
        repo, community, title="Конспект текстом", content_type=ContentType.TEXT, body=long_text
    )

    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)
    assert "https://resh.edu.ru/subject/12/" in card.text
    assert button(card, "Открыть ссылку").url == "https://resh.edu.ru/subject/12/"

    await h.tap(MODERATOR, card, "Следующий")
    card = h.last_message(MODERATOR.id)
    assert long_text not in card.text  # the card shows the beginning
    await h.tap(MODERATOR, card, "Весь текст")
    assert long_text.strip() in h.last_message(MODERATOR.id).text


# --- the expert's card -----------------------------------------------------------------------


async def published_with_expert(h: BotHarness, repo, *, expert_reachable: bool = True):
    community = await setup_community(h, repo)
    await register(h, EXPERT, full_name="Петрова Анна Сергеевна")
    await make_moderator(repo, EXPERT, community)
    membership = await repo.communities.membership(
        await repo.users.by_telegram_id(EXPERT.id), community.id
    )
    membership.role = CommunityRole.EXPERT
    await repo.session.commit()
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")
    if not expert_reachable:
        h.session.fail(
            "sendMessage",
            EXPERT.id,
            lambda m: TelegramForbiddenError(method=m, message=CANT_INITIATE),
        )
    await h.send(TEACHER, "/my_materials")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Сложение дробей")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Запросить экспертизу")
    return community


async def test_the_expert_opens_the_file_from_the_request(harness: BotHarness, repo) -> None:
    h = harness
    await published_with_expert(h, repo)
    notice = h.last_message(EXPERT.id)

    await h.tap(EXPERT, notice, "Открыть файл")

    (sent,) = documents_to(h, EXPERT.id)
    assert sent.method.document == (await material(repo)).file_id
    review = await repo.session.scalar(select(ExpertReview))
    forged = ExpertCallback(action=ExpertAction.FILE, review_id=review.id).pack()
    await h.press(READER, notice, forged)
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    assert not documents_to(h, READER.id)


async def test_the_author_hears_which_expert_was_not_reached(harness: BotHarness, repo) -> None:
    h = harness
    await published_with_expert(h, repo, expert_reachable=False)

    told = h.last_message(TEACHER.id).text
    review = await repo.session.scalar(select(ExpertReview))
    assert "отправлен экспертам" not in told
    assert "ни один эксперт сообщества его пока не получил" in told
    assert "Петрова Анна Сергеевна" in told
    assert f"https://t.me/metodset_bot?start=x_{review.id}" in told

    # The expert opens the link: the request is there, with its buttons.
    h.session.failures.clear()
    await h.send(EXPERT, f"/start x_{review.id}")
    card = h.last_message(EXPERT.id)
    assert card.html_text.startswith("🎓 <b>Запрос экспертизы</b>. Автор: Иванова Мария Петровна")
    assert labels(card) == ["👍 Рекомендовать", "✏️ Нужна доработка", "📄 Открыть файл"]
    # ... which nobody else can open.
    await h.send(READER, f"/start x_{review.id}")
    assert h.last_message(READER.id).text == "⛔ У вас нет прав на это действие."


async def test_the_author_hears_who_was_reached_and_who_was_not(harness: BotHarness, repo) -> None:
    h = harness
    community = await setup_community(h, repo)
    second = Person(id=7011, first_name="Игорь")
    for person, name in ((EXPERT, "Петрова Анна Сергеевна"), (second, "Кузнецов Игорь Павлович")):
        await register(h, person, full_name=name)
        await make_moderator(repo, person, community)
        membership = await repo.communities.membership(
            await repo.users.by_telegram_id(person.id), community.id
        )
        membership.role = CommunityRole.EXPERT
    await repo.session.commit()
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")
    h.session.fail(
        "sendMessage", second.id, lambda m: TelegramBadRequest(method=m, message="chat not found")
    )
    await h.send(TEACHER, "/my_materials")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Сложение дробей")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Запросить экспертизу")

    told = h.last_message(TEACHER.id).text
    assert told.startswith(
        "🎓 Запрос экспертизы «Сложение дробей» отправлен: Петрова Анна Сергеевна."
    )
    assert "Кузнецов Игорь Павлович" in told.split("\n", 1)[1]


async def test_the_expert_card_after_the_verdict_leads_on(harness: BotHarness, repo) -> None:
    h = harness
    await published_with_expert(h, repo)
    notice = h.last_message(EXPERT.id)

    await h.tap(EXPERT, notice, "Рекомендовать")
    await h.tap(EXPERT, h.last_message(EXPERT.id), "Без комментария")

    saved = h.last_message(EXPERT.id)
    assert saved.text == "✅ Экспертиза материала «Сложение дробей» сохранена."
    assert "📖 Открыть материал" in labels(saved)
    # The request itself no longer offers a verdict, only the file.
    assert labels(h.now(notice)) == ["📄 Открыть файл"]
    assert h.now(notice).text.endswith("✅ Экспертиза проведена: рекомендовано")
    await h.tap(EXPERT, saved, "Открыть материал")
    assert "🎓 Рекомендовано экспертом" in h.last_message(EXPERT.id).text


async def test_a_typed_reason_and_the_authors_notice_lead_on(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo)
    await share_document(h, file_name="Второй.pdf")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    first, second = (c.result for c in h.sent_to(MODERATOR.id)[-2:])

    await h.tap(MODERATOR, first, "Отклонить")
    await h.tap(MODERATOR, h.now(first), "Своя причина")
    await h.send(MODERATOR, "Это не по теме")
    saved = h.last_message(MODERATOR.id)
    assert saved.text == "Решение сохранено."
    assert labels(saved) == ["▶ Следующий в очереди"]

    await h.tap(MODERATOR, second, "Одобрить")
    notice = h.last_message(TEACHER.id)
    assert notice.text == "✅ Ваш материал «Второй» одобрен и опубликован."
    await h.tap(TEACHER, notice, "Открыть материал")
    assert h.now(notice).html_text.startswith("<b>Второй</b>")


async def test_typing_a_reason_can_be_cancelled(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo, moderators_chat=True)
    card = h.last_message(MODERATORS_CHAT.id)
    await h.tap(MODERATOR, card, "Отклонить")
    await h.tap(MODERATOR, h.now(card), "Своя причина")
    prompt = h.last_message(MODERATORS_CHAT.id)
    assert prompt.text.startswith("Напишите причину")

    await h.tap(MODERATOR, prompt, "Отмена")
    assert h.now(prompt).text == "Отменено: ничего не записано, карточка ждёт решения."
    # Chatting on in the group decides nothing.
    await h.send(MODERATOR, "Коллеги, посмотрите этот материал", chat=MODERATORS_CHAT)
    assert (await material(repo)).status is MaterialStatus.PENDING

    # Back on the card after "own reason" stops waiting for the reason too.
    await h.tap(MODERATOR, h.now(card), "Своя причина")
    await h.tap(MODERATOR, h.now(card), "Назад")
    await h.send(MODERATOR, "Ещё одно сообщение в чате", chat=MODERATORS_CHAT)
    assert (await material(repo)).status is MaterialStatus.PENDING
    assert "✅ Одобрить" in labels(h.now(card))


async def test_next_in_the_queue_asks_to_open_the_bot_first(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo, moderators_chat=True)
    card = h.last_message(MODERATORS_CHAT.id)
    await h.tap(MODERATOR, card, "Одобрить")
    h.session.fail(
        "sendMessage",
        MODERATOR.id,
        lambda m: TelegramForbiddenError(method=m, message=CANT_INITIATE),
    )

    await h.tap(MODERATOR, h.now(card), "Следующий в очереди")

    assert h.alerts()[-1].startswith("Не могу написать вам в личные сообщения")
    await h.tap(READER, h.now(card), "Следующий в очереди")
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."


async def test_a_typed_fix_keeps_the_queue_buttons(harness: BotHarness, repo) -> None:
    h = harness
    await submitted(h, repo)
    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)
    before = labels(card)

    await h.tap(MODERATOR, card, "Исправить карточку")
    await h.tap(MODERATOR, h.now(card), "Название")
    await h.send(MODERATOR, "Сложение обыкновенных дробей")

    assert "<b>Сложение обыкновенных дробей</b>" in h.now(card).html_text
    assert labels(h.now(card)) == before
