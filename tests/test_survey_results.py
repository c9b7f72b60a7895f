"""Surveys for owners and members: /surveys, the owner's card with its counts, the results
as text (averages, counts, percentages; the minimum group for everyone and for each
community), the chart, the CSV and XLSX exports, closing early, forged presses.

The survey is built and answered through the repository (the builder and the answering
dialog have their own tests); everything the owner sees goes through the bot.

Responses reach the results in batches of at least the minimum group, per community when
the survey spans several (storage/repositories/surveys.py): answered in the order of
``ANSWERS``, the first three mathematicians are released as one batch; U1 and the two
physicists wait sealed until the survey closes, and then go out together, counted for
everyone but for no community."""

import csv
import io
from datetime import UTC, datetime, timedelta

import openpyxl
from sqlalchemy import select

from bot.callbacks import (
    SurveyAnswerAction,
    SurveyAnswerCallback,
    SurveyBuildAction,
    SurveyBuildCallback,
    SurveyResultAction,
    SurveyResultCallback,
)
from notices.surveys import send_invitations
from storage.enums import DeliveryState, GlobalRole, QuestionKind, SurveyStatus
from storage.models import AuditEntry, Delivery, Survey
from storage.repositories.surveys import Release
from tests.flows import make_community, register, setup_community
from tests.harness import BotHarness, Person, button, labels, texts
from tests.people import MODERATOR, READER, TEACHER

METHODIST = Person(id=7801, first_name="Нина")
OTHER_METHODIST = Person(id=7802, first_name="Вера")
PUBLISHED = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # 13:00 in Moscow
CLOSES = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # 15:00 in Moscow
SCALE = "Насколько полезны были семинары?"
FORMAT = "Какой формат удобнее?"
TOPICS = "Какие темы интересны?"
IMPROVE = "Что улучшить?"
FG, AI, PROJECTS = "Функциональная грамотность", "ИИ на уроке", "Проекты"
# Three more members made directly: one of the mathematicians, two physicists.
U1, U2, U3 = 7811, 7812, 7813


async def methodist(h: BotHarness, repo, person: Person = METHODIST):
    await register(h, person, full_name=f"Методистова {person.first_name}")
    user = await repo.users.by_telegram_id(person.id)
    await repo.users.grant_role(user, GlobalRole.METHODIST, None)
    await repo.session.commit()
    return user


async def member(repo, telegram_id: int, community) -> None:
    user = await repo.users.get_or_create(telegram_id)
    await repo.users.give_consent(user, username=None)
    user.full_name = f"Участник {telegram_id}"
    await repo.communities.join(user, community.id)
    await repo.session.commit()


async def arrange(h: BotHarness, repo, clock, i18n, *, min_group: int = 3) -> tuple[int, int]:
    """Mathematicians (TEACHER, MODERATOR, READER, U1) and physicists (U2, U3), all six
    invited to a survey of four questions; returns (survey id, draft id)."""
    maths = await setup_community(h, repo)
    physics = await make_community(repo, "Физики", area="Физика")
    await member(repo, U1, maths)
    await member(repo, U2, physics)
    await member(repo, U3, physics)
    owner = await methodist(h, repo)
    draft = await repo.surveys.create(owner, "Анкета наставника")
    await repo.session.commit()
    clock.now = PUBLISHED
    survey = await repo.surveys.create(owner, "Итоги четверти", "Пять минут, анонимно.")
    await repo.surveys.add_question(
        survey,
        owner,
        kind=QuestionKind.SCALE,
        text=SCALE,
        scale_labels=["бесполезно", "очень полезно"],
    )
    await repo.surveys.add_question(
        survey, owner, kind=QuestionKind.SINGLE, text=FORMAT, options=["Очно", "Онлайн"]
    )
    await repo.surveys.add_question(
        survey,
        owner,
        kind=QuestionKind.MULTIPLE,
        text=TOPICS,
        options=[FG, AI, PROJECTS],
        allow_other=True,
    )
    await repo.surveys.add_question(
        survey, owner, kind=QuestionKind.TEXT, text=IMPROVE, required=False
    )
    await repo.surveys.publish(
        survey,
        owner,
        audience=[maths.id, physics.id],
        opens_at=None,
        closes_at=CLOSES,
        min_group=min_group,
    )
    await repo.session.commit()
    assert await send_invitations(repo, i18n, survey) == 6
    await repo.session.commit()
    return survey.id, draft.id


async def answer(repo, survey_id: int, telegram_id: int, *values: dict | None) -> None:
    """start → keep each answer (None: skipped) → submit, as the answering dialog does."""
    repo.session.expire_all()
    survey = await repo.surveys.get(survey_id)
    user = await repo.users.by_telegram_id(telegram_id)
    progress = await repo.surveys.start(survey, user)
    for question, value in zip(survey.questions, values, strict=True):
        if value is not None:
            await repo.surveys.keep(progress, question, value)
    await repo.surveys.submit(survey, user, progress)
    await repo.session.commit()


ANSWERS = {
    TEACHER.id: (
        {"number": 5},
        {"choices": ["Очно"]},
        {"choices": [FG, AI]},
        {"text": "Больше практики"},
    ),
    MODERATOR.id: ({"number": 4}, {"choices": ["Онлайн"]}, {"choices": [AI]}, None),
    READER.id: (
        {"number": 4},
        {"choices": ["Очно"]},
        {"choices": [PROJECTS], "text": "Оценивание"},
        {"text": "Записи вебинаров"},
    ),
    U1: ({"number": 3}, {"choices": ["Очно"]}, {"choices": [FG]}, None),
    U2: (
        {"number": 5},
        {"choices": ["Онлайн"]},
        {"choices": [AI, PROJECTS]},
        {"text": "<b>Меньше отчётов</b>"},
    ),
    U3: ({"number": 2}, {"choices": ["Очно"]}, {"choices": [FG, AI]}, None),
}


async def answer_all(repo, survey_id: int, who=tuple(ANSWERS)) -> None:
    for telegram_id in who:
        await answer(repo, survey_id, telegram_id, *ANSWERS[telegram_id])


def press_data(action: SurveyResultAction, survey_id: int) -> str:
    return SurveyResultCallback(action=action, survey_id=survey_id).pack()


async def open_card(h: BotHarness) -> None:
    await h.send(METHODIST, "/surveys")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Итоги четверти")


EVERYONE_RESULTS = """👥 <b>Все вместе</b> — ответов: 6

<b>1. Насколько полезны были семинары?</b>
Среднее: 3,8 (ответили: 6)
1 (бесполезно) — 0 (0%)
2 — 1 (17%)
3 — 1 (17%)
4 — 2 (33%)
5 (очень полезно) — 2 (33%)

<b>2. Какой формат удобнее?</b>
Ответили: 6
• Очно — 4 (67%)
• Онлайн — 2 (33%)

<b>3. Какие темы интересны?</b>
Ответили: 6 (можно было выбрать несколько вариантов, поэтому в сумме может быть больше 100%)
• Функциональная грамотность — 3 (50%)
• ИИ на уроке — 4 (67%)
• Проекты — 2 (33%)
• другое — 1
   ◦ Оценивание

<b>4. Что улучшить?</b>
Ответов: 3
— &lt;b&gt;Меньше отчётов&lt;/b&gt;
— Больше практики
— Записи вебинаров"""

# TEACHER, MODERATOR and READER: the mathematicians' one released batch.
MATHS_RESULTS = """🏫 <b>Сообщество «Математики»</b> — ответов: 3

<b>1. Насколько полезны были семинары?</b>
Среднее: 4,3 (ответили: 3)
1 (бесполезно) — 0 (0%)
2 — 0 (0%)
3 — 0 (0%)
4 — 2 (67%)
5 (очень полезно) — 1 (33%)

<b>2. Какой формат удобнее?</b>
Ответили: 3
• Очно — 2 (67%)
• Онлайн — 1 (33%)

<b>3. Какие темы интересны?</b>
Ответили: 3 (можно было выбрать несколько вариантов, поэтому в сумме может быть больше 100%)
• Функциональная грамотность — 1 (33%)
• ИИ на уроке — 2 (67%)
• Проекты — 1 (33%)
• другое — 1
   ◦ Оценивание

<b>4. Что улучшить?</b>
Ответов: 2
— Больше практики
— Записи вебинаров"""

PENDING = (
    "⏳ Ещё не в итогах: {count}. Ответы попадают в итоги группами не меньше {min},"
    " чтобы никого нельзя было узнать по времени ответа."
)


async def close(repo, survey_id: int) -> Release:
    """Closed as its time comes: what still waits is released or deleted unread."""
    repo.session.expire_all()
    release = await repo.surveys.close(await repo.surveys.get(survey_id))
    await repo.session.commit()
    return release


async def test_lists_card_and_results_with_a_hidden_small_community(
    harness: BotHarness, repo, clock, i18n
) -> None:
    h = harness
    survey_id, draft_id = await arrange(h, repo, clock, i18n)

    # the owner's list: newest first, a draft opens the builder, the others their card
    await h.send(METHODIST, "/surveys")
    listing = h.last_message(METHODIST.id)
    assert listing.text == (
        "📋 Ваши опросы: 2.\n"
        "✏️ — черновик, 🕒 — запланирован, 🟢 — идёт, ⏹ — закрыт; "
        "числа — ответили из приглашённых."
    )
    assert labels(listing) == ["🟢 Итоги четверти · 0/6", "✏️ Анкета наставника"]
    assert (
        button(listing, "Анкета").callback_data
        == SurveyBuildCallback(action=SurveyBuildAction.DRAFT, survey_id=draft_id).pack()
    )
    assert button(listing, "Итоги четверти").callback_data == press_data(
        SurveyResultAction.OPEN, survey_id
    )

    # a member sees the survey to take until they have answered
    await h.send(TEACHER, "/surveys")
    invitation = h.last_message(TEACHER.id)
    assert invitation.text == (
        "📝 Опросы для вас: 1. Ответы анонимны: никто не узнает, кто как ответил.\n"
        "• «Итоги четверти» — до 20.11.2026 15:00 (МСК)"
    )
    assert labels(invitation) == ["📝 Пройти опрос «Итоги четверти»"]
    assert (
        button(invitation, "Пройти опрос").callback_data
        == SurveyAnswerCallback(action=SurveyAnswerAction.TAKE, survey_id=survey_id).pack()
    )

    await answer_all(repo, survey_id)
    await h.send(TEACHER, "/surveys")
    assert h.last_message(TEACHER.id).text == "Сейчас опросов для вас нет."
    assert labels(h.last_message(TEACHER.id)) == []

    # the card, with the counts and the three responses still waiting for their batch
    await open_card(h)
    card = h.last_message(METHODIST.id)
    assert card.html_text == (
        "📋 <b>Итоги четверти</b>\n"
        "Статус: идёт\n"
        "Открыт: 02.11.2026 13:00 (МСК)\n"
        "Закроется: 20.11.2026 15:00 (МСК)\n"
        "Для кого: Математики, Физики\n"
        "Приглашено: 6, ответили: 6\n"
        "Минимальная группа: 3 — итоги группы меньше не показываются.\n"
        + PENDING.format(count=3, min=3)
    )
    assert labels(card) == [
        "📊 Итоги",
        "🖼 Диаграмма",
        "⬇️ XLSX",  # Excel's own format first: it opens right everywhere
        "⬇️ CSV",
        "⏹ Закрыть досрочно",
        "◀️ К списку",
    ]

    # while it is open: the mathematicians' batch, for everyone and for them; the rest
    # waits, said so, and none of it shows
    calls = await h.tap(METHODIST, card, "Итоги")
    [results] = texts(calls)
    assert results.startswith(
        "📊 <b>Итоги опроса «Итоги четверти»</b>\n"
        "Ответили: 6 из 6.\n"
        f"{PENDING.format(count=3, min=3)}\n\n"
        "👥 <b>Все вместе</b> — ответов: 3\n"
    )
    assert results.endswith(f"\n\n{MATHS_RESULTS}")
    assert "Физики" not in results and "Меньше отчётов" not in results

    # back to the list from the card
    await h.tap(METHODIST, card, "К списку")
    assert labels(h.now(card))[0] == "🟢 Итоги четверти · 6/6"

    # closed: U1 and the two physicists go out together, among everyone's answers; the
    # physicists, too few to show, never get a block of their own
    assert await close(repo, survey_id) == Release(released=3)
    await open_card(h)
    card = h.last_message(METHODIST.id)
    assert "Ещё не в итогах" not in card.text
    [results] = texts(await h.tap(METHODIST, card, "Итоги"))
    assert results == (
        "📊 <b>Итоги опроса «Итоги четверти»</b>\n"
        "Ответили: 6 из 6.\n"
        "Ответов только в общих итогах: 3 — они из сообществ, где ответивших меньше 3,"
        " и отдельно эти сообщества не показываются.\n\n"
        f"{EVERYONE_RESULTS}\n\n{MATHS_RESULTS}"
    )
    assert "Физики" not in results


async def test_chart_and_exports(harness: BotHarness, repo, clock, i18n) -> None:
    h = harness
    survey_id, _ = await arrange(h, repo, clock, i18n)
    await answer_all(repo, survey_id)
    assert await close(repo, survey_id) == Release(released=3)  # all six in the results
    await open_card(h)
    card = h.last_message(METHODIST.id)

    calls = await h.tap(METHODIST, card, "Диаграмма")
    [photo] = [c for c in calls if c.name == "sendPhoto"]
    assert photo.method.chat_id == METHODIST.id
    assert photo.method.photo.data.startswith(b"\x89PNG")
    assert photo.method.caption == "🖼 Итоги опроса «Итоги четверти»: ответов — 6."

    header = ["Сообщество", f"1. {SCALE}", f"2. {FORMAT}", f"3. {TOPICS}", f"4. {IMPROVE}"]
    expected = [
        ["Математики", 5, "Очно", f"{FG}; {AI}", "Больше практики"],
        ["Математики", 4, "Онлайн", AI, ""],
        ["Математики", 4, "Очно", f"{PROJECTS}; другое: Оценивание", "Записи вебинаров"],
        # released together at the close, for no community: U1 and the two physicists
        ["", 3, "Очно", FG, ""],
        ["", 5, "Онлайн", f"{AI}; {PROJECTS}", "<b>Меньше отчётов</b>"],
        ["", 2, "Очно", f"{FG}; {AI}", ""],
    ]
    # rows go in the order of the random response keys, never in the order of answering
    survey = await repo.surveys.get(survey_id)
    scale_id = survey.questions[0].id
    by_key = [
        next(a.number for a in response.answers if a.question_id == scale_id)
        for response in await repo.surveys.responses(survey)
    ]

    calls = await h.tap(METHODIST, card, "CSV")
    [document] = [c for c in calls if c.name == "sendDocument"]
    assert document.method.document.filename == f"survey-{survey_id}.csv"
    assert document.method.caption == (
        "⬇️ Ответы на опрос «Итоги четверти»: 6. Строки перемешаны; "
        "имён и времени ответа в выгрузке нет."
    )
    content = document.method.document.data
    assert content.startswith(b"\xef\xbb\xbf")
    # ";" as Excel with Russian settings expects, so the columns open as columns
    assert content.decode("utf-8-sig").splitlines()[0] == ";".join(header)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == header
    as_text = [[str(value) for value in row] for row in expected]
    assert sorted(rows[1:]) == sorted(as_text)
    assert [int(row[1]) for row in rows[1:]] == by_key

    calls = await h.tap(METHODIST, card, "XLSX")
    [document] = [c for c in calls if c.name == "sendDocument"]
    assert document.method.document.filename == f"survey-{survey_id}.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(document.method.document.data))
    assert book.sheetnames == ["Ответы", "Итоги"]
    sheet_rows = [
        ["" if value is None else value for value in row]
        for row in book["Ответы"].iter_rows(values_only=True)
    ]
    assert sheet_rows[0] == header
    assert sorted(sheet_rows[1:], key=str) == sorted(expected, key=str)
    summary = [
        tuple(round(v, 3) if isinstance(v, float) else v for v in row)
        for row in book["Итоги"].iter_rows(values_only=True)
    ]
    assert summary[0][:2] == ("Ответов всего", 6)
    assert summary[1] == ("Ответ", "Количество", "Доля")
    assert (f"1. {SCALE}", None, None) in summary
    assert ("Среднее", 3.83, None) in summary
    assert (5, 2, 0.333) in summary
    assert ("Очно", 4, 0.667) in summary
    assert (AI, 4, 0.667) in summary
    assert ("другое", 1, 0.167) in summary
    assert (f"4. {IMPROVE}", None, None) in summary
    assert summary[-1] == ("Ответили", 3, None)

    entries = (
        await repo.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "survey.export").order_by(AuditEntry.id)
        )
    ).all()
    assert [(e.object_id, e.details["format"]) for e in entries] == [
        (survey_id, "csv"),
        (survey_id, "xlsx"),
    ]


async def test_too_few_answers_show_nothing(harness: BotHarness, repo, clock, i18n) -> None:
    h = harness
    survey_id, _ = await arrange(h, repo, clock, i18n, min_group=5)
    await answer_all(repo, survey_id, who=(TEACHER.id, MODERATOR.id, U2))
    await open_card(h)
    card = h.last_message(METHODIST.id)
    assert "Минимальная группа: 5" in card.text
    assert PENDING.format(count=3, min=5) in card.text  # all three wait sealed

    too_few = (
        "Итоги появятся, когда ответят хотя бы 5 — так никого нельзя выделить. Сейчас ответов: 3."
    )

    async def nothing_but(message, said: str) -> None:
        """Results, chart and exports: each says ``said``, and nothing is sent."""
        calls = await h.tap(METHODIST, message, "Итоги")
        assert texts(calls) == [
            f"📊 <b>Итоги опроса «Итоги четверти»</b>\nОтветили: 3 из 6.\n\n{said}"
        ]
        for label in ("Диаграмма", "CSV", "XLSX"):
            calls = await h.tap(METHODIST, message, label)
            assert h.alerts()[-1] == said
            assert [c for c in calls if c.name in {"sendPhoto", "sendDocument"}] == []

    await nothing_but(card, too_few)

    # closed with three, fewer than five: they could point to who gave them, so they are
    # deleted unread, the owner told so, and nothing is ever shown
    await h.tap(METHODIST, card, "Закрыть досрочно")
    await h.tap(METHODIST, h.now(card), "Да, закрыть")
    answered = [c.method for c in h.session.calls if c.name == "answerCallbackQuery"][-1]
    assert answered.text == (
        "Опрос закрыт. Не вошли в итоги ответов: 3 — их меньше 5, и по ним можно было бы"
        " узнать ответивших. Они удалены непрочитанными."
    )
    assert answered.show_alert is True
    closed = h.now(card)
    assert "Статус: закрыт" in closed.text and "Ещё не в итогах" not in closed.text
    assert await repo.surveys.pending(await repo.surveys.get(survey_id)) == 0
    assert await repo.surveys.responses(await repo.surveys.get(survey_id)) == []
    never = (
        "Опрос закрыт, итогов не будет: ответили 3, а итоги показываются от 5 ответов."
        " Эти ответы удалены непрочитанными — так никого нельзя выделить."
    )
    await nothing_but(closed, never)


async def test_close_early_withdraws_invitations_and_keeps_results(
    harness: BotHarness, repo, clock, i18n
) -> None:
    h = harness
    survey_id, _ = await arrange(h, repo, clock, i18n)
    await answer_all(repo, survey_id, who=(TEACHER.id, READER.id, U2))
    await open_card(h)
    card = h.last_message(METHODIST.id)

    await h.tap(METHODIST, card, "Закрыть досрочно")
    confirm = h.now(card)
    assert confirm.text == (
        "Закрыть опрос «Итоги четверти» досрочно? Новые ответы приниматься не будут, "
        "неотправленные приглашения и напоминания отменятся. Итоги останутся доступны."
    )
    await h.tap(METHODIST, confirm, "Не закрывать")  # changed their mind: the card again
    assert h.now(card).html_text.startswith("📋 <b>Итоги четверти</b>\nСтатус: идёт")
    repo.session.expire_all()
    assert (await repo.surveys.get(survey_id)).status is SurveyStatus.OPEN

    await h.tap(METHODIST, h.now(card), "Закрыть досрочно")
    await h.tap(METHODIST, h.now(card), "Да, закрыть")
    assert h.alerts()[-1] == "Опрос закрыт. Итоги остаются доступны."
    closed_card = h.now(card)
    assert "Статус: закрыт" in closed_card.text
    assert "Закрыт: 02.11.2026 13:" in closed_card.text
    assert "Закрыть досрочно" not in labels(closed_card)

    repo.session.expire_all()
    assert (await repo.surveys.get(survey_id)).status is SurveyStatus.CLOSED
    deliveries = (
        await repo.session.scalars(
            select(Delivery).where(Delivery.key.startswith(f"survey:{survey_id}:"))
        )
    ).all()
    assert len(deliveries) == 6
    assert {d.state for d in deliveries} == {DeliveryState.CANCELLED}

    # a member can no longer take it, and /surveys no longer offers it
    await h.send(MODERATOR, "/surveys")
    assert h.last_message(MODERATOR.id).text == "Сейчас опросов для вас нет."

    # the results stay available
    calls = await h.tap(METHODIST, closed_card, "Итоги")
    [results] = texts(calls)
    assert results.startswith("📊 <b>Итоги опроса «Итоги четверти»</b>\nОтветили: 3 из 6.")
    assert "👥 <b>Все вместе</b> — ответов: 3" in results

    # pressing the old confirmation again changes nothing
    await h.press(METHODIST, confirm, press_data(SurveyResultAction.CLOSE_YES, survey_id))
    assert h.alerts()[-1] == "Опрос закрыт."


async def test_a_teacher_and_another_methodist_are_refused(
    harness: BotHarness, repo, clock, i18n
) -> None:
    h = harness
    survey_id, _ = await arrange(h, repo, clock, i18n)
    await answer_all(repo, survey_id)
    await methodist(h, repo, OTHER_METHODIST)

    # the other methodist runs no surveys of their own and sees none of hers
    await h.send(OTHER_METHODIST, "/surveys")
    assert h.last_message(OTHER_METHODIST.id).text == (
        "📋 У вас пока нет опросов. Создать новый: /new_survey"
    )

    denied = "⛔ У вас нет прав на это действие."
    for person in (TEACHER, OTHER_METHODIST):
        await h.send(person, "/surveys")
        message = h.last_message(person.id)
        for action in SurveyResultAction:
            if action is SurveyResultAction.LIST:
                continue
            before = len(h.sent_to(person.id))
            await h.press(person, message, press_data(action, survey_id))
            assert h.alerts()[-1] == denied, action
            assert len(h.sent_to(person.id)) == before  # no results, chart or file
    repo.session.expire_all()
    assert (await repo.surveys.get(survey_id)).status is SurveyStatus.OPEN
    assert (
        await repo.session.scalars(select(AuditEntry).where(AuditEntry.action == "survey.export"))
    ).all() == []


async def test_long_results_are_split_under_the_telegram_limit(
    harness: BotHarness, repo, clock, i18n
) -> None:
    h = harness
    owner = await methodist(h, repo)
    survey = await repo.surveys.create(owner, "Открытые вопросы")
    for number in range(1, 4):
        await repo.surveys.add_question(
            survey, owner, kind=QuestionKind.TEXT, text=f"Вопрос номер {number}"
        )
    await repo.surveys.publish(
        survey,
        owner,
        audience=None,
        opens_at=None,
        closes_at=clock() + timedelta(days=3),
        min_group=1,
    )
    await repo.session.commit()
    people = [7900 + n for n in range(12)]
    for telegram_id in people:
        user = await repo.users.get_or_create(telegram_id)
        await repo.users.give_consent(user, username=None)
    await repo.session.commit()
    await send_invitations(repo, i18n, survey)
    await repo.session.commit()
    for n, telegram_id in enumerate(people):
        long_text = f"Ответ {n:02d} " + "очень подробный рассказ " * 20
        await answer(repo, survey.id, telegram_id, *[{"text": long_text}] * 3)

    await h.send(METHODIST, "/surveys")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Открытые вопросы")
    calls = await h.tap(METHODIST, h.last_message(METHODIST.id), "Итоги")
    messages = texts(calls)
    assert len(messages) > 1
    assert all(len(text) <= 4096 for text in messages)
    whole = "\n\n".join(messages)
    for number in range(1, 4):
        assert f"<b>{number}. Вопрос номер {number}</b>\nОтветов: 12" in whole
    assert whole.count("…и ещё 2 — в выгрузке.") == 3
    assert whole.count("— Ответ 00 очень подробный рассказ") == 3
    assert "— Ответ 11" not in whole  # the first ten in order are shown


# --- issue 13: the written-in "other" answers ----------------------------------------------------


async def test_written_in_answers_show_under_other_only_where_the_group_is_shown(
    harness: BotHarness, repo, clock, i18n
) -> None:
    """ "другое — 2" says what was written, escaped; a physicist's words appear among
    everyone's, never in a block of the two physicists (fewer than the minimum group)."""
    h = harness
    survey_id, _ = await arrange(h, repo, clock, i18n)
    await answer_all(repo, survey_id, who=(TEACHER.id, MODERATOR.id, READER.id, U1, U3))
    await answer(
        repo,
        survey_id,
        U2,
        {"number": 5},
        {"choices": ["Онлайн"]},
        {"choices": [AI], "text": "<i>Наставничество</i>"},
        None,
    )
    await open_card(h)
    card = h.last_message(METHODIST.id)
    # while open, the physicists' words wait sealed with their answers: shown nowhere
    [results] = texts(await h.tap(METHODIST, card, "Итоги"))
    assert PENDING.format(count=3, min=3) in results
    assert "Наставничество" not in results

    # closed: they are released among everyone's answers, never as the physicists'
    assert await close(repo, survey_id) == Release(released=3)
    [results] = texts(await h.tap(METHODIST, card, "Итоги"))
    everyone, maths = results.split("🏫")
    assert "• другое — 2\n   ◦ &lt;i&gt;Наставничество&lt;/i&gt;\n   ◦ Оценивание" in everyone
    assert "• другое — 1\n   ◦ Оценивание\n" in maths
    assert "Наставничество" not in maths

    # below the minimum group nothing is shown, the written-in words neither
    await repo.session.execute(
        Survey.__table__.update().where(Survey.id == survey_id).values(min_group=7)
    )
    await repo.session.commit()
    [results] = texts(await h.tap(METHODIST, card, "Итоги"))
    assert "Оценивание" not in results and "Наставничество" not in results


async def test_a_long_list_of_written_in_answers_is_cut_under_the_limit(
    harness: BotHarness, repo, clock, i18n
) -> None:
    h = harness
    owner = await methodist(h, repo)
    survey = await repo.surveys.create(owner, "Темы на год")
    await repo.surveys.add_question(
        survey, owner, kind=QuestionKind.MULTIPLE, text=TOPICS, options=[FG, AI], allow_other=True
    )
    await repo.surveys.publish(
        survey,
        owner,
        audience=None,
        opens_at=None,
        closes_at=clock() + timedelta(days=3),
        min_group=1,
    )
    await repo.session.commit()
    people = [7950 + n for n in range(15)]
    for telegram_id in people:
        user = await repo.users.get_or_create(telegram_id)
        await repo.users.give_consent(user, username=None)
    await repo.session.commit()
    await send_invitations(repo, i18n, survey)
    await repo.session.commit()
    for n, telegram_id in enumerate(people):
        await answer(repo, survey.id, telegram_id, {"text": f"Тема {n:02d} " + "слово " * 80})
    await h.send(METHODIST, "/surveys")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Темы на год")
    messages = texts(await h.tap(METHODIST, h.last_message(METHODIST.id), "Итоги"))
    assert all(len(text) <= 4096 for text in messages)
    whole = "\n".join(messages)
    assert "• другое — 15\n   ◦ Тема 00 слово" in whole
    assert "   ◦ Тема 09 слово" in whole
    assert "Тема 10" not in whole
    assert whole.endswith("…и ещё 5 — в выгрузке.")


def test_the_chart_shows_long_question_titles_whole() -> None:
    """A long question is wrapped onto lines that all fit the picture: the text drawn is
    the whole question (read from the figure before it is saved, not from pixels)."""
    from collections import Counter

    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from handlers.survey_results import render_chart
    from storage.models import SurveyQuestion
    from storage.repositories.surveys import QuestionResult

    long_question = (
        "Ощущаете ли вы поддержку методического объединения, администрации школы и коллег "
        "при подготовке к аттестации на высшую квалификационную категорию?"
    )
    options = ["Очень удобно, всегда прихожу с удовольствием", "Неудобно", "Затрудняюсь"]
    results = [
        QuestionResult(
            SurveyQuestion(
                position=number,
                kind=QuestionKind.SINGLE,
                text=long_question,
                options=options,
                scale_labels=[],
            ),
            answered=3,
            counts=Counter({options[0]: 2, options[1]: 1}),
        )
        for number in range(2)
    ]
    drawn: list[Figure] = []
    save = Figure.savefig

    def spy(figure, *args, **kwargs):
        drawn.append(figure)
        return save(figure, *args, **kwargs)

    Figure.savefig = spy
    try:
        assert render_chart(results, "другое").startswith(b"\x89PNG")
    finally:
        Figure.savefig = save
    [figure] = drawn
    renderer = figure.canvas.get_renderer()
    width = figure.bbox.width
    titles = [
        text
        for text in figure.findobj(Text)
        if text.get_text().startswith(("1. ", "2. ")) and text.get_visible()
    ]
    assert [" ".join(t.get_text().split()) for t in titles] == [
        f"1. {long_question}",
        f"2. {long_question}",
    ]
    for title in titles:
        assert "\n" in title.get_text()  # wrapped, not one long line
        box = title.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width, (box, width)
