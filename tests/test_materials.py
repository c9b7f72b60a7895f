"""Sharing a material, the review queue in chat, finding and downloading it."""

import asyncio

from sqlalchemy import func, select

from bot.callbacks import ReviewAction, ReviewCallback
from storage.enums import CommunityRole, ContentType, MaterialKind, MaterialStatus, ReviewStatus
from storage.models import AuditEntry, Material, MaterialDownload, ReviewItem
from storage.repositories.materials import Decision
from tests.flows import (
    drain_outbox,
    make_moderator,
    material,
    register,
    setup_community,
    share_document,
)
from tests.harness import BotHarness, Person, labels, texts
from tests.people import MODERATOR, MODERATORS_CHAT, READER, SECOND_MODERATOR, TEACHER


async def test_share_a_file_and_moderator_approves_it(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)

    preview = h.last_message(TEACHER.id)
    assert preview.text.startswith("Проверьте карточку материала:")
    assert "<b>Сложение дробей</b>" in preview.html_text
    assert "Классы: 5 кл., 6 кл." in preview.text
    assert "#дроби #5_класс" in preview.text
    assert "Автор: Иванова Мария Петровна, МБОУ СОШ № 1" in preview.text
    await h.tap(TEACHER, preview, "Отправить")

    assert h.last_message(TEACHER.id).text.startswith(
        "📨 Материал «Сложение дробей» отправлен модераторам."
    )
    stored = await material(repo)
    assert stored.status is MaterialStatus.PENDING
    assert stored.content_type is ContentType.DOCUMENT
    assert stored.file_name == "Сложение_дробей.pdf"
    assert stored.mime_type == "application/pdf"
    assert stored.file_size == 200_000
    assert stored.kind is MaterialKind.LESSON_PLAN
    assert stored.grades == [5, 6]
    assert stored.tags == ["дроби", "5 класс"]
    assert stored.description == "Урок с карточками"
    card = h.last_message(MODERATOR.id)
    assert card.html_text.startswith("📨 <b>Материал на проверку</b>")
    assert labels(card) == [
        "📄 Открыть файл",
        "✅ Одобрить",
        "❌ Отклонить",
        "✏️ На доработку",
        "🛠 Исправить карточку",
    ]
    assert h.sent_to(READER.id)[-1].text != card.text  # alerts only to moderators

    await h.tap(MODERATOR, card, "Одобрить")

    assert h.last_message(MODERATOR.id).text.endswith("✅ Одобрено: Смирнова Ольга")
    assert labels(h.last_message(MODERATOR.id)) == [
        "📄 Открыть файл",
        "📖 Открыть материал",
        "▶ Следующий в очереди",
    ]
    assert (
        h.last_message(TEACHER.id).text
        == "✅ Ваш материал «Сложение дробей» одобрен и опубликован."
    )
    assert (await material(repo)).status is MaterialStatus.PUBLISHED
    actions = (await repo.session.scalars(select(AuditEntry.action))).all()
    assert "material.approve" in actions

    # Another teacher finds it by a different word form and downloads it.
    await h.send(READER, "/search дробями")
    results = h.last_message(READER.id)
    assert results.html_text.startswith("🔎 «дробями»: 1 материал\n\n1. <b>Сложение дробей</b>")
    await h.tap(READER, results, "1")
    await h.tap(READER, h.last_message(READER.id), "Скачать")
    sent = [c for c in h.session.calls if c.name == "sendDocument"]
    assert sent[-1].method.chat_id == READER.id
    assert sent[-1].method.document == stored.file_id
    assert await repo.session.scalar(select(func.count()).select_from(MaterialDownload)) == 1


async def test_reject_with_a_reason_from_the_list(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    card = h.last_message(MODERATOR.id)

    await h.tap(MODERATOR, card, "Отклонить")
    assert "Нарушение авторских прав" in labels(h.last_message(MODERATOR.id))
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Нарушение авторских прав")

    assert h.last_message(TEACHER.id).text == (
        "Ваш материал «Сложение дробей» отклонён. Причина: Нарушение авторских прав"
    )
    assert (
        "❌ Отклонено: Смирнова Ольга. Причина: Нарушение авторских прав"
        in h.last_message(MODERATOR.id).text
    )
    assert (await material(repo)).status is MaterialStatus.REJECTED
    assert await repo.materials.search("дроби") == []


async def test_changes_requested_then_resubmitted(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "На доработку")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Своя причина")
    await h.send(MODERATOR, "Добавьте ответы к карточкам")

    told = h.last_message(TEACHER.id)
    assert (
        told.text
        == "✏️ Модератор просит доработать материал «Сложение дробей»: Добавьте ответы к карточкам"
    )
    await h.tap(TEACHER, told, "Исправить и отправить снова")
    assert "Проверьте карточку материала:" in h.last_message(TEACHER.id).text
    alerts = len(h.alerts())
    await h.tap(TEACHER, told, "Исправить и отправить снова")  # pressed again: no dead end
    assert "Проверьте карточку материала:" in h.last_message(TEACHER.id).text
    assert len(h.alerts()) == alerts
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    assert (await material(repo)).status is MaterialStatus.PENDING
    items = (await repo.session.scalars(select(ReviewItem).order_by(ReviewItem.id))).all()
    assert [i.status for i in items] == [ReviewStatus.CHANGES_REQUESTED, ReviewStatus.OPEN]


async def test_two_moderators_at_once_get_one_decision(harness: BotHarness, repo) -> None:
    h = harness
    community = await setup_community(h, repo)
    await register(h, SECOND_MODERATOR, full_name="Кузнецова Ирина")
    await make_moderator(repo, SECOND_MODERATOR, community)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    item = await repo.session.scalar(select(ReviewItem))
    approve = ReviewCallback(action=ReviewAction.APPROVE, item_id=item.id).pack()
    reject = ReviewCallback(
        action=ReviewAction.REASON, item_id=item.id, decision=Decision.REJECT, reason="quality"
    ).pack()

    await asyncio.gather(
        h.press(MODERATOR, h.last_message(MODERATOR.id), approve),
        h.press(SECOND_MODERATOR, h.last_message(SECOND_MODERATOR.id), reject),
    )

    final = (await material(repo)).status
    assert final in {MaterialStatus.PUBLISHED, MaterialStatus.REJECTED}
    refusals = [a for a in h.alerts() if a.startswith("Решение уже принято")]
    assert len(refusals) == 1
    word = "одобрено" if final is MaterialStatus.PUBLISHED else "отклонено"
    assert word in refusals[0]
    decided = (
        await repo.session.scalars(
            select(AuditEntry).where(
                AuditEntry.object_type == "material", AuditEntry.action != "material.submit"
            )
        )
    ).all()
    assert len(decided) == 1


async def test_forged_approve_from_a_non_moderator(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    item = await repo.session.scalar(select(ReviewItem))
    forged = ReviewCallback(action=ReviewAction.APPROVE, item_id=item.id).pack()

    await h.press(READER, h.last_message(READER.id), forged)

    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."
    assert (await material(repo)).status is MaterialStatus.PENDING


async def test_cards_go_to_the_moderators_chat_and_are_decided_there(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo, moderators_chat=True)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    card = h.last_message(MODERATORS_CHAT.id)
    assert card.html_text.startswith("📨 <b>Материал на проверку</b>")
    assert not any("Материал на проверку" in (c.text or "") for c in h.sent_to(MODERATOR.id))

    await h.tap(MODERATOR, card, "Одобрить")

    assert h.last_message(MODERATORS_CHAT.id).text.endswith("✅ Одобрено: Смирнова Ольга")
    assert (await material(repo)).status is MaterialStatus.PUBLISHED


async def test_trusted_expert_publishes_at_once_and_group_is_told(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    membership = await repo.communities.membership(
        await repo.users.by_telegram_id(TEACHER.id), community.id
    )
    membership.role = CommunityRole.EXPERT
    community.group_chat_id = -100555
    await repo.session.commit()

    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    assert h.last_message(TEACHER.id).text == "✅ Материал «Сложение дробей» опубликован."
    assert (await material(repo)).status is MaterialStatus.PUBLISHED
    assert not h.sent_to(-100555)  # queued in the outbox, within the group's limits
    await drain_outbox(h)
    post = h.last_message(-100555)
    assert post.text.startswith("🆕 Новый материал")
    assert post.reply_markup.inline_keyboard[0][0].url.endswith("?start=m_1")
    assert not any("на проверку" in (c.text or "") for c in h.sent_to(MODERATOR.id))


async def test_bad_inputs_are_refused_and_the_draft_is_kept(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/share")

    calls = await h.send_document(TEACHER, "virus.exe", mime_type="application/x-msdownload")
    assert "такого типа не принимается" in texts(calls)[0]
    calls = await h.send_document(TEACHER, "huge.pdf", size=60 * 1024 * 1024)
    assert texts(calls) == [
        "Файл «huge.pdf» слишком большой: 60 МБ, а можно до 50 МБ. "
        "Загрузите его в облако и пришлите ссылку."
    ]
    calls = await h.send(TEACHER, "коротко")
    assert "слишком короткий" in texts(calls)[0]

    await h.send(TEACHER, "Подборка задач https://resh.edu.ru/subject/12/ для 5 класса")
    calls = await h.send(TEACHER, "x" * 201)
    assert texts(calls) == ["Название — от 3 до 200 символов (сейчас 201)."]
    await h.send(TEACHER, "Задачи на дроби")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отложить")

    assert h.last_message(TEACHER.id).text == "Черновик сохранён: /share продолжит его."
    calls = await h.send(TEACHER, "/share")
    assert texts(calls) == ["У вас есть незаконченный черновик «Задачи на дроби»."]
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Продолжить")
    # The only community is chosen for her: the kind comes next.
    assert h.last_message(TEACHER.id).text.startswith("Шаг 4 из 7. Вид материала")
    stored = await material(repo)
    assert stored.content_type is ContentType.LINK
    assert stored.url == "https://resh.edu.ru/subject/12/"
    assert stored.status is MaterialStatus.DRAFT


async def test_queue_walks_items_one_card_at_a_time(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    for name in ("Первый.pdf", "Второй.pdf"):
        await share_document(h, file_name=name)
        await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    calls = await h.send(MODERATOR, "/queue")
    assert texts(calls)[0].startswith("В очереди: 2")
    assert "<b>Первый</b>" in texts(calls)[0]
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Следующий")
    assert "<b>Второй</b>" in h.last_message(MODERATOR.id).html_text

    calls = await h.send(READER, "/queue")
    assert texts(calls) == ["⛔ У вас нет прав на это действие."]


async def test_author_withdraws_a_published_material(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")

    await h.send(TEACHER, "/my_materials")
    assert (
        h.last_message(TEACHER.id).html_text
        == "<b>Мои материалы</b>: 1, опубликовано 1, скачиваний 0"
    )
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Сложение дробей")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Снять с публикации")

    assert (await material(repo)).status is MaterialStatus.WITHDRAWN
    assert await repo.materials.search("дроби") == []


async def test_inline_mode_lists_published_materials(harness: BotHarness, repo) -> None:
    from aiogram.types import InlineQuery, Update

    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    query = InlineQuery(id="q1", from_user=READER.tg, query="дробей", offset="")

    calls = await h.feed(Update(update_id=next(h.update_ids), inline_query=query))
    assert calls[-1].method.results == []  # not yet approved

    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")
    calls = await h.feed(Update(update_id=next(h.update_ids), inline_query=query))

    (answer,) = [c for c in calls if c.name == "answerInlineQuery"]
    (result,) = answer.method.results
    assert result.title == "Сложение дробей"
    assert "<b>Сложение дробей</b>" in result.input_message_content.message_text
    assert result.reply_markup.inline_keyboard[0][0].url.endswith("?start=m_1")


async def test_moderator_fixes_the_card_before_approving(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h, file_name="Сложние_дробей.pdf")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    card = h.last_message(MODERATOR.id)

    await h.tap(MODERATOR, card, "Исправить карточку")
    await h.tap(MODERATOR, h.now(card), "Название")
    assert texts(await h.send(MODERATOR, "Сложение дробей"))[-1] == "✅ Карточка исправлена."
    assert "<b>Сложение дробей</b>" in h.now(card).html_text
    await h.tap(MODERATOR, h.now(card), "Исправить карточку")
    await h.tap(MODERATOR, h.now(card), "Вид")
    await h.tap(MODERATOR, h.now(card), "Методическая разработка")
    await h.tap(MODERATOR, h.now(card), "Исправить карточку")
    await h.tap(MODERATOR, h.now(card), "Классы")
    await h.tap(MODERATOR, h.now(card), "7 кл.")
    await h.tap(MODERATOR, h.now(card), "Готово")

    stored = await material(repo)
    assert stored.title == "Сложение дробей"
    assert stored.kind is MaterialKind.METHODICAL_DEVELOPMENT
    assert stored.grades == [5, 6, 7]
    assert stored.status is MaterialStatus.PENDING
    assert "Методическая разработка" in h.now(card).text
    assert "Классы: 5 кл., 6 кл., 7 кл." in h.now(card).text
    await h.tap(MODERATOR, h.now(card), "Одобрить")
    assert (
        h.last_message(TEACHER.id).text
        == "✅ Ваш материал «Сложение дробей» одобрен и опубликован."
    )

    forged = ReviewCallback(action=ReviewAction.FIX_KIND, item_id=1, kind=MaterialKind.OTHER).pack()
    await h.press(READER, h.last_message(READER.id), forged)
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."


async def test_expertise_request_verdict_and_ranking(harness: BotHarness, repo) -> None:
    h = harness
    community = await setup_community(h, repo)
    expert = Person(id=7010, first_name="Анна")
    await register(h, expert, full_name="Петрова Анна Сергеевна")
    await make_moderator(repo, expert, community)
    membership = await repo.communities.membership(
        await repo.users.by_telegram_id(expert.id), community.id
    )
    membership.role = CommunityRole.EXPERT
    await repo.session.commit()
    await share_document(h, file_name="Дроби_контрольная.pdf")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")
    await share_document(h, file_name="Дроби_урок.pdf")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")
    older, newer = (await repo.session.scalars(select(Material.id).order_by(Material.id))).all()
    assert await repo.materials.search("дроби") == [newer, older]

    await h.send(TEACHER, "/my_materials")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Дроби контрольная")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Запросить экспертизу")

    assert h.last_message(TEACHER.id).text.startswith(
        "🎓 Запрос экспертизы «Дроби контрольная» отправлен"
    )
    notice = h.last_message(expert.id)
    assert notice.html_text.startswith("🎓 <b>Запрос экспертизы</b>. Автор: Иванова Мария Петровна")
    await h.tap(READER, notice, "Рекомендовать")  # a forged press by a non-expert
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."

    await h.tap(expert, notice, "Рекомендовать")
    await h.send(expert, "Хорошая подборка, добавьте критерии")

    assert h.last_message(TEACHER.id).text == (
        "🎓 Эксперт Петрова Анна Сергеевна рекомендует ваш материал «Дроби контрольная». "
        "Комментарий: Хорошая подборка, добавьте критерии"
    )
    repo.session.expire_all()
    assert await repo.materials.search("дроби") == [older, newer]  # recommended first
    await h.send(READER, "/search дроби")
    assert "\n\n1. <b>Дроби контрольная</b>" in h.last_message(READER.id).html_text
    await h.tap(READER, h.last_message(READER.id), "1")
    assert "🎓 Рекомендовано экспертом" in h.last_message(READER.id).text


async def test_search_filters_by_kind_and_grade(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    for name in ("Дроби_урок.pdf", "Дроби_проверочная.pdf"):
        await share_document(h, file_name=name)
        await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
        await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")
    await h.send(READER, "/search дроби")
    results = h.last_message(READER.id)
    assert results.text.startswith("🔎 «дроби»: 2 материала\n")
    assert labels(results)[-4:] == [
        "Сообщество: все",
        "Вид: все",
        "Класс: все",
        "💬 Искать в обсуждениях",
    ]

    await h.tap(READER, results, "Вид:")
    await h.tap(READER, h.now(results), "КИМ")

    assert h.now(results).text == "По запросу «дроби» ничего не нашлось. Попробуйте другие слова."
    assert "Вид: КИМ" in labels(h.now(results))
    await h.tap(READER, h.now(results), "Вид:")
    await h.tap(READER, h.now(results), "План (конспект) урока")
    assert h.now(results).text.startswith("🔎 «дроби»: 2 материала\n")
    await h.tap(READER, h.now(results), "Класс:")
    await h.tap(READER, h.now(results), "9 кл.")
    assert h.now(results).text == "По запросу «дроби» ничего не нашлось. Попробуйте другие слова."
    await h.tap(READER, h.now(results), "Класс:")
    await h.tap(READER, h.now(results), "5 кл.")
    assert h.now(results).text.startswith("🔎 «дроби»: 2 материала\n")
    assert "Класс: 5" in labels(h.now(results))


async def test_reports_reach_moderators_without_naming_the_reporter(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    second_reader = Person(id=7011, first_name="Игорь")
    await register(h, second_reader, full_name="Кузнецов Игорь")
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Одобрить")

    for reader in (READER, second_reader):
        await h.send(reader, "/search дроби")
        await h.tap(reader, h.last_message(reader.id), "1")
        await h.tap(reader, h.last_message(reader.id), "Пожаловаться")
        await h.tap(reader, h.last_message(reader.id), "Нарушение авторских прав")
        assert h.alerts()[-1] == "Жалоба отправлена модераторам. Спасибо!"

    cards = [c for c in h.sent_to(MODERATOR.id) if (c.text or "").startswith("🚩")]
    assert len(cards) == 1  # one queue entry for the material, its priority raised
    item = await repo.session.scalar(select(ReviewItem).where(ReviewItem.source == "report"))
    assert item.priority == 2
    await h.send(MODERATOR, "/queue")
    card = h.last_message(MODERATOR.id)
    assert "Жалоб: 2. Причины: Нарушение авторских прав" in card.text
    assert "Петров Пётр" not in card.text
    assert "Кузнецов Игорь" not in card.text

    await h.tap(MODERATOR, card, "Отклонить")
    await h.tap(MODERATOR, h.now(card), "Нарушение авторских прав")

    assert h.last_message(TEACHER.id).text == (
        "Ваш материал «Сложение дробей» снят модератором после жалобы. Причина: Нарушение авторских прав"
    )
    assert (await material(repo)).status is MaterialStatus.REJECTED
    assert await repo.materials.search("дроби") == []


# --- issue 13: the author's fix, per-field editing, the code at each step, /cancel ---------


async def test_sent_back_fix_keeps_the_reason_and_one_field_takes_one_tap(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "На доработку")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Своя причина")
    await h.send(MODERATOR, "Уточните класс в названии")
    notice = h.last_message(TEACHER.id)
    reason_text = notice.text

    taps = 0
    await h.tap(TEACHER, notice, "Исправить и отправить снова")
    taps += 1
    # The notice with the moderator's reason stays as it was; the preview comes as a new
    # message and repeats the reason.
    assert h.now(notice).text == reason_text
    preview = h.last_message(TEACHER.id)
    assert preview.message_id != notice.message_id
    assert "Уточните класс в названии" in preview.text
    assert "Проверьте карточку материала:" in preview.text
    assert labels(preview) == [
        "📨 Отправить",
        "✏️ Название",
        "✏️ Описание",
        "✏️ Сообщество",
        "✏️ Вид",
        "✏️ Классы",
        "✏️ Теги",
        "✏️ Файл",
        "Отложить",
        "🗑 Удалить черновик",
    ]

    await h.tap(TEACHER, preview, "✏️ Название")
    taps += 1
    assert "Название материала" in h.last_message(TEACHER.id).text
    await h.send(TEACHER, "Сложение дробей, 5 класс")
    back = h.last_message(TEACHER.id)
    assert "Проверьте карточку материала:" in back.text  # straight back to the preview
    assert back.text.startswith("✏️ Модератор просит доработать: Уточните класс в названии")
    assert "<b>Сложение дробей, 5 класс</b>" in back.html_text
    await h.tap(TEACHER, back, "Отправить")
    taps += 1

    assert taps == 3
    assert h.last_message(TEACHER.id).text.startswith("📨 Материал «Сложение дробей, 5 класс»")
    stored = await material(repo)
    assert stored.status is MaterialStatus.PENDING
    assert stored.title == "Сложение дробей, 5 класс"
    assert stored.grades == [5, 6]  # the other fields are untouched


async def test_the_share_preview_edits_any_field_in_one_tap_and_returns(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    preview = h.last_message(TEACHER.id)

    await h.tap(TEACHER, preview, "✏️ Вид")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Презентация")
    preview = h.last_message(TEACHER.id)
    assert preview.text.startswith("Проверьте карточку материала:")
    assert "🖥 Презентация" in preview.text

    await h.tap(TEACHER, preview, "✏️ Классы")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "7 кл.")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")
    preview = h.last_message(TEACHER.id)
    assert "Классы: 5 кл., 6 кл., 7 кл." in preview.text

    await h.tap(TEACHER, preview, "✏️ Описание")
    assert "Убрать" in labels(h.last_message(TEACHER.id))[0]
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Убрать")
    preview = h.last_message(TEACHER.id)
    assert "Урок с карточками" not in preview.text

    await h.tap(TEACHER, preview, "✏️ Теги")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "К карточке")  # changed nothing
    preview = h.last_message(TEACHER.id)
    assert "#дроби #5_класс" in preview.text

    await h.tap(TEACHER, preview, "✏️ Файл")
    await h.send_document(TEACHER, "Сложение_дробей_v2.pdf")
    preview = h.last_message(TEACHER.id)
    assert preview.text.startswith("Проверьте карточку материала:")
    assert "Сложение_дробей_v2.pdf" in preview.text

    await h.tap(TEACHER, preview, "✏️ Сообщество")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Математики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    stored = await material(repo)
    assert stored.status is MaterialStatus.PENDING
    assert stored.kind is MaterialKind.PRESENTATION
    assert stored.grades == [5, 6, 7]
    assert stored.description == ""
    assert stored.file_name == "Сложение_дробей_v2.pdf"


async def test_the_code_refuses_a_text_at_its_step_and_the_step_stays(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/share")
    await h.send_document(TEACHER, "Дроби.pdf")

    calls = await h.send(TEACHER, "Дроби для д3билов")
    assert texts(calls) == [
        "В названии — нарушение кодекса: §7.2 (оскорбление участников). "
        "С таким текстом материал не опубликовать, напишите иначе."
    ]
    await h.send(TEACHER, "Дроби")  # the step waits for a better title
    assert "Коротко опишите материал" in h.last_message(TEACHER.id).text

    calls = await h.send(TEACHER, "Урок для д3билов и лентяев")
    assert texts(calls)[0].startswith("В описании — нарушение кодекса: §7.2 (оскорбление")
    await h.send(TEACHER, "Урок с карточками")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "План (конспект) урока")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")

    calls = await h.send(TEACHER, "дроби, для д3билов")
    assert texts(calls)[0].startswith("В тегах — нарушение кодекса: §7.2 (оскорбление")
    await h.send(TEACHER, "дроби")
    assert h.last_message(TEACHER.id).text.startswith("Проверьте карточку материала:")
    stored = await material(repo)
    assert (stored.title, stored.description, stored.tags) == (
        "Дроби",
        "Урок с карточками",
        ["дроби"],
    )


async def test_cancel_during_share_says_the_draft_is_kept_and_offers_to_delete_it(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/share")
    await h.send_document(TEACHER, "Дроби.pdf")

    calls = await h.send(TEACHER, "/cancel")
    assert texts(calls) == ["Черновик сохранён: /share продолжит его."]
    said = h.last_message(TEACHER.id)
    assert labels(said) == ["🗑 Удалить черновик"]
    calls = await h.send(TEACHER, "/share")
    assert texts(calls) == ["У вас есть незаконченный черновик «Дроби.pdf»."]

    await h.tap(TEACHER, said, "Удалить черновик")
    assert h.now(said).text == "Черновик удалён."
    calls = await h.send(TEACHER, "/share")
    assert texts(calls)[0].startswith("Шаг 1 из 7. Пришлите материал")

    # Nothing sent yet: nothing is kept, and the answer says so.
    calls = await h.send(TEACHER, "/cancel")
    assert texts(calls) == ["Отменено. Ничего не сохранено."]


async def test_a_title_without_letters_or_digits_is_refused(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/share")
    await h.send_document(TEACHER, "Дроби.pdf")

    for title in ("😀😀😀", "!!! ???", "—…—"):
        calls = await h.send(TEACHER, title)
        assert texts(calls) == [
            "В названии нужна хотя бы одна буква или цифра — по нему материал будут искать."
        ]
    await h.send(TEACHER, "Дроби 😀")
    assert "Коротко опишите материал" in h.last_message(TEACHER.id).text
    assert (await material(repo)).title == "Дроби 😀"


async def test_the_share_steps_answer_what_is_out_of_place_and_keep_their_step(
    harness: BotHarness, repo
) -> None:
    """A file where a title is asked, text where a button is, and an earlier step's buttons:
    each is answered, the draft keeps what it had and the step stays."""
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/share")
    await h.send_document(TEACHER, "Дроби.pdf")
    title_step = h.last_message(TEACHER.id)

    calls = await h.send_document(TEACHER, "Другое.pdf")
    assert texts(calls) == ["Здесь нужен текст. Отправьте его сообщением или /cancel, чтобы выйти."]
    await h.send(TEACHER, "Дроби")
    description_step = h.last_message(TEACHER.id)
    await h.tap(TEACHER, description_step, "Пропустить")
    kind_step = h.last_message(TEACHER.id)
    assert kind_step.text.startswith("Шаг 4 из 7. Вид материала")

    calls = await h.send(TEACHER, "Конспект")
    assert texts(calls) == [
        "Пожалуйста, выберите вариант кнопкой под сообщением или отправьте /cancel, чтобы выйти."
    ]
    yesterdays = ((title_step, "Взять имя файла"), (description_step, "Пропустить"))
    for screen, label in yesterdays:
        before = len(h.alerts())
        await h.tap(TEACHER, screen, label)
        assert h.alerts()[before:] == ["Эта кнопка устарела. Откройте раздел заново."]
    stored = await material(repo)
    assert (stored.title, stored.file_name, stored.kind) == ("Дроби", "Дроби.pdf", None)

    await h.tap(TEACHER, h.now(kind_step), "Презентация")
    assert h.now(kind_step).text.startswith("Шаг 5 из 7.")
    assert (await material(repo)).kind is MaterialKind.PRESENTATION
