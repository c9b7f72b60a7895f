"""Forum-style threads in private chat: starting, replying, paging, quoting, following,
premoderation of newcomers, the conduct code, and forged buttons."""

from datetime import timedelta

from sqlalchemy import select

from bot.callbacks import ThreadAction, ThreadCallback
from storage.enums import JoinPolicy, PostStatus
from storage.models import Delivery, Post, Thread
from tests.flows import (
    drain_outbox,
    make_community,
    make_moderator,
    open_threads,
    register,
    reply,
    setup_community,
    start_thread,
)
from tests.harness import BotHarness, Person, labels
from tests.people import MODERATOR, READER, STRANGER, TEACHER

OUTSIDER = Person(id=7301, first_name="Сторонний")


async def test_a_moderator_starts_a_thread_and_a_newcomers_first_reply_is_premoderated(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await open_threads(h, MODERATOR)
    assert h.last_message(MODERATOR.id).text.startswith(
        "💬 В сообществе «Математики» пока нет обсуждений."
    )
    await start_thread(h, MODERATOR, "Функциональная грамотность", "Делимся заданиями PISA")

    thread_view = h.last_message(MODERATOR.id)
    assert thread_view.html_text.splitlines()[:2] == [
        "💬 <b>Функциональная грамотность</b>",
        "Автор: Смирнова Ольга · ответов: 0 · последний: 02.11 12:00",
    ]
    assert "<b>1.</b> Смирнова Ольга, 02.11 12:00\nДелимся заданиями PISA" in thread_view.html_text
    assert "🔕 Не следить" in labels(thread_view)  # the author follows their thread

    await open_threads(h, TEACHER)
    assert h.last_message(TEACHER.id).text == "💬 Обсуждения сообщества «Математики»: 1 тема"
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Функциональная грамотность (0)")
    await reply(h, TEACHER, "Вот мои задания для 7 класса")
    assert h.last_message(TEACHER.id).text == (
        "Сообщение отправлено модераторам: оно появится в теме после проверки."
    )
    post = await repo.session.scalar(select(Post).order_by(Post.id.desc()))
    assert post.status is PostStatus.PENDING

    card = h.last_message(MODERATOR.id)
    assert card.html_text.startswith("💬 <b>Сообщение в обсуждении на проверку</b>")
    assert "Тема: Функциональная грамотность" in card.text
    await h.tap(MODERATOR, card, "Опубликовать")
    assert h.last_message(TEACHER.id).text == (
        "✅ Ваше сообщение в теме «Функциональная грамотность» опубликовано."
    )
    repo.session.expire_all()
    thread = await repo.session.scalar(select(Thread))
    assert thread.replies == 1

    await drain_outbox(h)  # the author hears of the reply
    assert h.last_message(MODERATOR.id).text == (
        "💬 Новый ответ в теме «Функциональная грамотность» — Иванова Мария Петровна: "
        "Вот мои задания для 7 класса"
    )

    # the second post of the member goes straight in
    await h.send(TEACHER, "/start t_1")
    await reply(h, TEACHER, "И ещё одно задание")
    assert "И ещё одно задание" in h.last_message(TEACHER.id).text


async def test_notices_are_batched_one_per_follower_per_interval(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Олимпиада", "Кто ведёт школьный этап?")
    for person, text in ((READER, "Я веду"), (READER, "И я помогаю"), (READER, "Ещё вопрос")):
        await h.send(person, "/start t_1")
        await reply(h, person, text)
        if text == "Я веду":
            await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Опубликовать")

    deliveries = (await repo.session.scalars(select(Delivery).order_by(Delivery.id))).all()
    to_moderator = [d for d in deliveries if d.chat_id == MODERATOR.id]
    assert len(to_moderator) == 2  # one at once, one gathering the rest of the window
    first, gathered = to_moderator
    assert first.text.startswith("💬 Новый ответ в теме «Олимпиада» — Петров Пётр: Я веду")
    assert gathered.text == "💬 Новые ответы в теме «Олимпиада»."
    assert gathered.not_before - first.not_before == timedelta(minutes=10)
    assert not [d for d in deliveries if d.chat_id == READER.id]  # never the replier


async def test_a_reply_breaking_the_code_is_refused_and_kept_with_its_author(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Вопрос", "Обсуждаем")
    await h.send(READER, "/start t_1")
    await reply(h, READER, "ты идиот")
    assert h.last_message(READER.id).text == (
        "Сообщение не опубликовано: оно нарушает §7.2 (оскорбление участников). "
        "Исправьте текст и отправьте снова."
    )
    assert (await repo.session.scalars(select(Post))).all()[-1].body == "Обсуждаем"
    await h.send(READER, "Понял, спасибо")  # still in the reply dialog
    assert "Сообщение отправлено модераторам" in h.last_message(READER.id).text


async def test_pages_and_a_quoted_reply(harness: BotHarness, repo, sessionmaker, clock) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Длинная тема", "Пост 1")
    for number in range(2, 8):
        await reply(h, MODERATOR, f"Пост {number}")
    view = h.last_message(MODERATOR.id)
    assert "<b>6.</b>" in view.html_text and "<b>7.</b>" in view.html_text
    assert "<b>5.</b>" not in view.html_text
    assert "2 / 2" in labels(view)
    await h.tap(MODERATOR, view, "◀")
    assert "<b>1.</b>" in h.now(view).html_text and "<b>5.</b>" in h.now(view).html_text

    await h.tap(MODERATOR, h.now(view), "↩️ 3")
    await h.send(MODERATOR, "Согласна с третьим")
    last = h.last_message(MODERATOR.id).html_text
    assert "↪️ <i>Смирнова Ольга: «Пост 3»</i>\nСогласна с третьим" in last


async def test_outsiders_read_but_forged_replies_are_refused(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Открытая тема", "Всем привет")
    await register(h, OUTSIDER, full_name="Сторонний Игорь")
    await h.send(OUTSIDER, "/start t_1")
    view = h.last_message(OUTSIDER.id)
    assert "Всем привет" in view.text
    await h.press(OUTSIDER, view, ThreadCallback(action=ThreadAction.REPLY, thread_id=1).pack())
    assert h.alerts()[-1] == "Писать в обсуждениях могут участники сообщества."
    await h.send(OUTSIDER, "/start t_999")
    assert h.last_message(OUTSIDER.id).text == "Тема не найдена: возможно, её удалили."


async def test_the_author_edits_within_the_window_and_not_into_a_violation(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Правка", "Первый вариант")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "📄 1")
    full = h.last_message(MODERATOR.id)
    assert labels(full) == ["✏️ Изменить", "🗑 Удалить", "← К обсуждению"]
    await h.tap(MODERATOR, full, "Изменить")
    await h.send(MODERATOR, "Исправленный вариант, идиоты")
    assert h.last_message(MODERATOR.id).text.startswith("Сообщение не опубликовано")
    await h.send(MODERATOR, "Исправленный вариант")
    assert "Исправленный вариант" in h.last_message(MODERATOR.id).text
    repo.session.expire_all()
    post = await repo.session.scalar(select(Post))
    assert (post.body, post.edited_at is not None) == ("Исправленный вариант", True)
    # Readers see that the post was changed, in the thread and in the full view.
    await h.send(TEACHER, "/start t_1")
    assert "<b>1.</b> Смирнова Ольга, 02.11 12:00 (изменено)\nИсправленный вариант" in (
        h.last_message(TEACHER.id).html_text
    )
    await h.tap(TEACHER, h.last_message(TEACHER.id), "📄 1")
    assert h.last_message(TEACHER.id).text.startswith(
        "💬 Правка — Смирнова Ольга (изменено)\n\nИсправленный вариант"
    )

    clock.advance(20 * 60)
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "📄 1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Изменить")
    assert h.alerts()[-1] == (
        "Изменить или удалить сообщение можно в течение 15 мин. после публикации."
    )


async def test_a_moderator_removes_a_post_with_a_reason_and_closes_the_thread(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Модерация", "Правила темы")
    await h.send(READER, "/start t_1")
    await reply(h, READER, "Реклама моих курсов")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Опубликовать")

    await h.send(MODERATOR, "/start t_1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "📄 2")
    assert labels(h.last_message(MODERATOR.id)) == ["🗑 Удалить", "← К обсуждению"]
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Удалить")
    await h.send(MODERATOR, "не по теме")
    done = h.last_message(MODERATOR.id)
    assert (done.text, labels(done)) == ("Сообщение удалено.", ["← К обсуждению"])
    await h.tap(MODERATOR, done, "К обсуждению")
    assert h.last_message(MODERATOR.id).html_text.startswith("💬 <b>Модерация</b>")
    assert h.last_message(READER.id).text == (
        "Модератор удалил ваше сообщение в теме «Модерация»: не по теме"
    )
    repo.session.expire_all()
    assert (await repo.session.scalar(select(Thread))).replies == 0

    await h.send(MODERATOR, "/start t_1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Закрыть тему")
    await h.send(MODERATOR, "вопрос решён")
    closed = h.last_message(MODERATOR.id)
    assert "🔒 Тема закрыта: вопрос решён" in closed.text
    assert "✍️ Ответить" not in labels(closed)
    await h.press(READER, closed, ThreadCallback(action=ThreadAction.REPLY, thread_id=1).pack())
    assert h.alerts()[-1] == "Тема закрыта: вопрос решён"
    # a member cannot pin or close
    await h.press(READER, closed, ThreadCallback(action=ThreadAction.PIN, thread_id=1).pack())
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."


async def test_search_finds_discussions_by_any_word_form(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Проектная деятельность учеников", "Как оценивать проекты")
    await start_thread(h, MODERATOR, "Олимпиада", "Школьный этап")
    await reply(h, MODERATOR, "Задачи с дробями для 5 класса")

    await h.send(READER, "/search проектами")
    assert "в обсуждениях" not in h.last_message(READER.id).text  # materials first
    await h.tap(READER, h.last_message(READER.id), "Искать в обсуждениях")
    found = h.last_message(READER.id)
    assert found.html_text == (
        "💬 «проектами» в обсуждениях: 1 тема\n\n"
        "1. <b>Проектная деятельность учеников</b>\n💬 Математики · 0 ответов"
    )
    await h.tap(READER, found, "1")
    assert "Как оценивать проекты" in h.last_message(READER.id).text

    await h.send(READER, "/search дроби")  # a reply's words find its thread
    result = h.last_message(READER.id)
    assert result.html_text.startswith("💬 «дроби» в обсуждениях: 1 тема\n\n1. <b>Олимпиада</b>")
    await h.tap(READER, result, "Искать в материалах")  # back to materials
    assert "в обсуждениях" not in h.last_message(READER.id).text


async def test_a_forum_group_mirrors_threads_both_ways(harness: BotHarness, repo) -> None:
    from aiogram.types import Chat

    h = harness
    community = await setup_community(h, repo)
    forum = Chat(id=-100_900, type="supergroup", title="Математики: форум", is_forum=True)
    community.group_chat_id = forum.id
    community.group_is_forum = True
    await repo.session.commit()

    await start_thread(h, MODERATOR, "ВПР по математике", "Какие варианты берём?")
    [created] = [c for c in h.session.calls if c.name == "createForumTopic"]
    assert (created.method.chat_id, created.method.name) == (forum.id, "ВПР по математике")
    topic_id = created.result.message_thread_id
    opening = h.sent_to(forum.id)[-1]
    assert opening.method.message_thread_id == topic_id
    assert opening.method.text == "💬 Смирнова Ольга:\nКакие варианты берём?"

    # a member writes in the topic: the message becomes a reply of the thread
    await h.send(
        STRANGER,
        "Берём демоверсию 2025",
        chat=forum,
        message_thread_id=topic_id,
        is_topic_message=True,
    )
    repo.session.expire_all()
    thread = await repo.session.scalar(select(Thread))
    assert thread.replies == 1
    await h.send(MODERATOR, "/start t_1")
    assert "Берём демоверсию 2025" in h.last_message(MODERATOR.id).text

    # a reply written in private chat appears in the topic
    await reply(h, MODERATOR, "Договорились")
    copied = h.sent_to(forum.id)[-1]
    assert (copied.method.message_thread_id, copied.method.text) == (
        topic_id,
        "💬 Смирнова Ольга:\nДоговорились",
    )

    # a violation in the topic is taken down, not taken into the thread
    await h.send(
        STRANGER, "ты идиот", chat=forum, message_thread_id=topic_id, is_topic_message=True
    )
    repo.session.expire_all()
    assert (await repo.session.scalar(select(Thread))).replies == 2

    # closing the thread closes its topic
    await h.send(MODERATOR, "/start t_1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Закрыть тему")
    await h.send(MODERATOR, "договорились")
    [closed] = [c for c in h.session.calls if c.name == "closeForumTopic"]
    assert (closed.method.chat_id, closed.method.message_thread_id) == (forum.id, topic_id)


async def test_a_moderator_of_both_communities_moves_a_thread(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    physics = await make_community(repo, "Физики")
    await make_community(repo, "Историки")  # not moderated by her: not offered
    await make_moderator(repo, MODERATOR, physics)
    await start_thread(h, MODERATOR, "Задачи на движение", "Это скорее физика")
    # The moderator's tools are never three to a row: on a phone they would be cut.
    rows = h.last_message(MODERATOR.id).reply_markup.inline_keyboard
    tools = [row for row in rows if any("Перенести" in b.text or "Закрыть" in b.text for b in row)]
    assert tools and all(len(row) <= 2 for row in tools)

    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Перенести")
    choice = h.last_message(MODERATOR.id)
    assert labels(choice) == ["Физики", "◀ Назад"] or labels(choice)[0] == "Физики"
    assert "Историки" not in labels(choice)
    await h.tap(MODERATOR, choice, "Физики")
    assert h.alerts()[-1] == "Тема перенесена в сообщество «Физики»."
    repo.session.expire_all()
    assert (await repo.session.scalar(select(Thread))).community_id == physics.id

    # a member of the old community cannot move it back by a forged button
    await h.press(
        READER,
        choice,
        ThreadCallback(action=ThreadAction.MOVE, thread_id=1, community_id=1).pack(),
    )
    assert h.alerts()[-1] == "⛔ У вас нет прав на это действие."


async def test_a_post_the_conduct_code_holds_waits_with_its_hits(harness: BotHarness, repo) -> None:
    from storage.enums import ReviewSource
    from storage.models import ReviewItem

    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Выборы", "Урок обществознания о выборах")
    await h.send(READER, "/start t_1")
    await reply(h, READER, "Голосуйте за нашего кандидата!")

    assert h.last_message(READER.id).text == (
        "Сообщение отправлено модераторам: оно появится в теме после проверки."
    )
    item = await repo.session.scalar(select(ReviewItem))
    assert (item.object_type, item.source) == ("post", ReviewSource.AUTO_FLAG)
    card = h.last_message(MODERATOR.id)
    assert "политическая пропаганда" in card.text
    await h.tap(MODERATOR, card, "Отклонить")
    assert h.last_message(READER.id).text == (
        "Ваше сообщение в теме «Выборы» не опубликовано модератором."
    )
    repo.session.expire_all()
    assert (await repo.session.scalar(select(Thread))).replies == 0


async def test_the_full_post_and_a_removal_lead_back_to_the_discussion(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await start_thread(h, MODERATOR, "Дроби", "С чего начать?")
    await h.send(READER, "/start t_1")
    await reply(h, READER, "С пиццы")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Опубликовать")

    await h.send(READER, "/start t_1")
    await h.tap(READER, h.last_message(READER.id), "📄 1")
    full = h.last_message(READER.id)
    assert labels(full) == ["← К обсуждению"]  # someone else's post: only the way back
    await h.tap(READER, full, "К обсуждению")
    assert h.last_message(READER.id).html_text.startswith("💬 <b>Дроби</b>")

    await h.tap(READER, h.last_message(READER.id), "📄 2")
    await h.tap(READER, h.last_message(READER.id), "Удалить")
    done = h.last_message(READER.id)
    assert (done.text, labels(done)) == ("Сообщение удалено.", ["← К обсуждению"])
    await h.tap(READER, done, "К обсуждению")
    assert "С пиццы" not in h.last_message(READER.id).text

    # The opening post takes the thread with it: the way back is to the list.
    await h.send(MODERATOR, "/start t_1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "📄 1")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Удалить")
    done = h.last_message(MODERATOR.id)
    assert labels(done) == ["← К обсуждениям"]
    await h.tap(MODERATOR, done, "К обсуждениям")
    assert h.last_message(MODERATOR.id).text.startswith("💬 В сообществе «Математики» пока нет")


async def test_a_non_member_is_offered_to_join_instead_of_writing(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await register(h, OUTSIDER, full_name="Сторонний Игорь")
    await open_threads(h, OUTSIDER)
    empty = h.last_message(OUTSIDER.id)
    assert empty.text == (
        "💬 В сообществе «Математики» пока нет обсуждений. Начать тему могут участники сообщества."
    )
    assert "➕ Новая тема" not in labels(empty)
    assert "✅ Вступить" in labels(empty)

    await start_thread(h, MODERATOR, "Олимпиада", "Кто ведёт школьный этап?")
    await h.send(OUTSIDER, "/start t_1")
    view = h.last_message(OUTSIDER.id)
    assert "✍️ Ответить" not in labels(view) and "↩️ 1" not in labels(view)
    await h.tap(OUTSIDER, view, "Вступить")
    assert h.alerts()[-1] == "Вы вступили в сообщество «Математики»."
    # Still in the thread, now with the reply buttons.
    view = h.now(view)
    assert view.html_text.startswith("💬 <b>Олимпиада</b>")
    assert "✍️ Ответить" in labels(view) and "✅ Вступить" not in labels(view)

    await reply(h, OUTSIDER, "Я веду")
    assert h.last_message(OUTSIDER.id).text == (
        "Сообщение отправлено модераторам: оно появится в теме после проверки."
    )


async def test_a_reader_of_a_community_by_request_is_offered_to_apply(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    community.join_policy = JoinPolicy.BY_REQUEST
    await repo.session.commit()
    await register(h, OUTSIDER, full_name="Сторонний Игорь")

    await open_threads(h, OUTSIDER)
    await h.tap(OUTSIDER, h.last_message(OUTSIDER.id), "Подать заявку")

    assert h.alerts()[-1].startswith("Заявка в «Математики» отправлена модераторам.")
    await open_threads(h, OUTSIDER)
    waiting = labels(h.last_message(OUTSIDER.id))
    assert "📨 Подать заявку" not in waiting and "➕ Новая тема" not in waiting
