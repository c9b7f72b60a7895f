"""Answering an anonymous survey: every kind of question by buttons and text, each bad
input answered, Back and resuming, the one-answer rule, closed and uninvited refused,
pupils' personal data masked, the proof that nothing ties a response to its author, and
the owner's preview that stores nothing.

A submitted response waits sealed until min_group responses can be released together
(storage/repositories/surveys.py): a test with fewer respondents reads what was sealed
with the tests' survey key and checks that no response is stored yet."""

import itertools
import logging
from datetime import timedelta

import pytest
from sqlalchemy import DateTime, inspect, select, text
from sqlalchemy.exc import OperationalError

from bot.callbacks import SurveyAnswerAction, SurveyAnswerCallback
from notices.surveys import send_invitations
from storage.enums import GlobalRole, SurveyStatus, UserStatus
from storage.models import (
    ConductHit,
    SealedResponse,
    Survey,
    SurveyAnswer,
    SurveyParticipant,
    SurveyProgress,
    SurveyQuestion,
    SurveyResponse,
    User,
)
from storage.sealing import Seal
from tests.conftest import SURVEY_KEY
from tests.flows import draft, drain_outbox, register, setup_community
from tests.harness import BotHarness, Person, labels, texts
from tests.people import MODERATOR, READER, TEACHER

ANSWER = "Мой ответ: директор не поддерживает проектную работу"

OWNER = Person(id=7801, first_name="Анна")
STRANGER = Person(id=7802, first_name="Вера")
NO_RIGHTS = "⛔ У вас нет прав на это действие."
STALE = "Эта кнопка устарела. Откройте раздел заново."
TAKE = "Пройти опрос"

Q1 = "1 / 5\n<b>Насколько полезны встречи?</b>\nОцените от 1 до 5.\n1 — бесполезны, 5 — очень полезны"
Q2 = "2 / 5\n<b>Как часто вы бываете на встречах?</b>\nВыберите один вариант."
Q3 = "3 / 5\n<b>Что вам интересно?</b>\nОтметьте все подходящие варианты и нажмите «Готово»."
Q4 = (
    "4 / 5\n<b>Что изменить в работе сообщества?</b>\n(вопрос необязательный)\n"
    "Напишите ответ одним сообщением (до 200 символов)."
)
Q5 = "5 / 5\n<b>Оцените работу модераторов</b>\n(вопрос необязательный)\nОцените от 1 до 10."
SUMMARY_NOTE = (
    "Ответы анонимны: они сохранятся без вашего имени. После отправки изменить их будет нельзя."
)


# --- arranging --------------------------------------------------------------------------------


async def make_owner(h: BotHarness, repo) -> User:
    await register(h, OWNER, full_name="Методистова Анна")
    user = await repo.users.by_telegram_id(OWNER.id)
    await repo.users.grant_role(user, GlobalRole.METHODIST, None)
    await repo.session.commit()
    return user


async def published(h: BotHarness, repo, i18n, *, min_group: int = 5) -> tuple[Survey, User]:
    """Teacher, moderator and reader of «Математики» invited; the invitations delivered.
    Under the default minimum group of five their responses stay sealed; with three they
    are released as one batch when the third is submitted."""
    community = await setup_community(h, repo)
    owner = await make_owner(h, repo)
    survey = await draft(repo, owner)
    await repo.surveys.publish(
        survey,
        owner,
        audience=[community.id],
        opens_at=None,
        closes_at=repo.clock() + timedelta(days=7),
        min_group=min_group,
    )
    assert await send_invitations(repo, i18n, survey) == 3
    await repo.session.commit()
    await drain_outbox(h)
    return survey, owner


def invitation(h: BotHarness, person: Person):
    return next(c.result for c in h.sent_to(person.id) if TAKE in " ".join(labels(c.result)))


def step(survey: Survey, action: SurveyAnswerAction, question_id: int = 0, arg: int = 0) -> str:
    return SurveyAnswerCallback(
        action=action, survey_id=survey.id, question_id=question_id, arg=arg
    ).pack()


async def answer_all(
    h: BotHarness,
    person: Person,
    *,
    scale: str = "4",
    single: str = "Раз в месяц",
    ticks: tuple[str, ...] = ("Семинары",),
    text: str = "Больше практики",
    ten: str = "7",
    submit: bool = True,
) -> None:
    await h.tap(person, invitation(h, person), TAKE)
    await h.tap(person, h.last_message(person.id), "Начать")
    await h.tap(person, h.last_message(person.id), scale)
    await h.tap(person, h.last_message(person.id), single)
    for tick in ticks:
        await h.tap(person, h.last_message(person.id), tick)
    await h.tap(person, h.last_message(person.id), "Готово")
    await h.send(person, text)
    await h.tap(person, h.last_message(person.id), ten)
    if submit:
        await h.tap(person, h.last_message(person.id), "Отправить")


async def rows(repo, model) -> list:
    """The table as the bot left it (this session's copies refreshed)."""
    query = select(model).execution_options(populate_existing=True)
    return list((await repo.session.scalars(query)).all())


async def stored(repo) -> list[SurveyResponse]:
    return await rows(repo, SurveyResponse)


async def positions(repo, survey_id: int) -> dict[int, int]:
    found = await repo.session.execute(
        select(SurveyQuestion.id, SurveyQuestion.position).where(
            SurveyQuestion.survey_id == survey_id
        )
    )
    return {question_id: position + 1 for question_id, position in found}


async def answers_by_question(repo, survey_id: int) -> list[dict]:
    """Each stored response as {question position: (number, choices, text)}."""
    at = await positions(repo, survey_id)
    return [
        {at[a.question_id]: (a.number, a.choices, a.text) for a in response.answers}
        for response in await stored(repo)
    ]


async def sealed_by_question(repo, survey_id: int) -> list[dict]:
    """Each response still waiting sealed, opened with the tests' survey key, in the form
    of ``answers_by_question``: what will be stored when its batch is released."""
    at = await positions(repo, survey_id)
    seal = Seal.from_text(SURVEY_KEY)
    opened = [
        seal.open(row.sealed, context=f"response:{row.survey_id}")
        for row in await rows(repo, SealedResponse)
        if row.survey_id == survey_id
    ]
    return [
        {
            at[int(question_id)]: (
                value.get("number"),
                list(value.get("choices", [])),
                value.get("text", ""),
            )
            for question_id, value in answers.items()
        }
        for answers in opened
    ]


# --- answering ------------------------------------------------------------------------------


async def test_every_kind_of_question_answered_and_every_bad_input_refused(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    survey, _ = await published(h, repo, i18n)
    q1 = survey.questions[0]

    await h.tap(TEACHER, invitation(h, TEACHER), TAKE)
    intro = h.last_message(TEACHER.id)
    assert intro.html_text == (
        "📝 <b>Работа сообщества</b>\n\nПара минут, честно.\n\n"
        "Вопросов: 5. Ответы анонимны: они сохраняются без вашего имени, и никто, даже"
        " администратор, не узнает, кто как ответил. Можно прерваться и продолжить позже"
        " с того же места."
    )
    assert labels(intro) == ["▶️ Начать"]
    await h.tap(TEACHER, intro, "Начать")

    # a scale: five buttons in a row, the end labels in the text, no Back, no Skip
    question = h.last_message(TEACHER.id)
    assert question.html_text == Q1
    assert labels(question) == ["1", "2", "3", "4", "5"]
    await h.send(TEACHER, "4")
    assert h.last_message(TEACHER.id).text == "☝️ На этот вопрос отвечают кнопками под ним."
    await h.press(TEACHER, question, step(survey, SurveyAnswerAction.SKIP, q1.id))
    assert h.alerts()[-1] == "На этот вопрос нужно ответить."
    await h.tap(TEACHER, question, "4")

    # a single choice: one button per option, and Back
    assert h.now(question).html_text == Q2
    assert labels(h.now(question)) == ["Каждую неделю", "Раз в месяц", "Никогда", "⬅️ Назад"]
    await h.press(TEACHER, question, step(survey, SurveyAnswerAction.NUMBER, q1.id, 5))
    assert h.alerts()[-1] == STALE  # the scale's button, pressed after moving on
    await h.tap(TEACHER, h.now(question), "Раз в месяц")

    # a multiple choice: toggles, Done refused with nothing ticked, "Other…" by text
    assert h.now(question).html_text == Q3
    assert labels(h.now(question)) == [
        "▫️ Семинары",
        "▫️ Открытые уроки",
        "▫️ Конкурсы",
        "✍️ Другое…",
        "✔️ Готово",
        "⬅️ Назад",
    ]
    await h.tap(TEACHER, h.now(question), "Готово")
    assert h.alerts()[-1] == "Отметьте хотя бы один вариант."
    assert h.now(question).html_text == Q3
    await h.tap(TEACHER, h.now(question), "Семинары")
    await h.tap(TEACHER, h.now(question), "Конкурсы")
    await h.tap(TEACHER, h.now(question), "Конкурсы")
    assert labels(h.now(question))[:3] == ["✅ Семинары", "▫️ Открытые уроки", "▫️ Конкурсы"]
    await h.tap(TEACHER, h.now(question), "Другое")
    assert h.last_message(TEACHER.id).text == (
        "Напишите свой вариант одним сообщением (до 100 символов)."
    )
    await h.send(TEACHER, "к" * 101)
    assert h.last_message(TEACHER.id).text == (
        "Слишком длинный ответ: символов — 101, а можно не больше 100."
        " Сократите его и отправьте ещё раз."
    )
    await h.send(TEACHER, "Круглые столы")
    question = h.last_message(TEACHER.id)
    assert question.html_text == f"{Q3}\nСвой вариант: «Круглые столы»"
    assert labels(question) == [
        "✅ Семинары",
        "▫️ Открытые уроки",
        "▫️ Конкурсы",
        "✅ Другое: Круглые столы",
        "✔️ Готово",
        "⬅️ Назад",
    ]
    await h.tap(TEACHER, question, "Готово")

    # free text (optional): too long refused and the step stays; a file is not an answer
    assert h.now(question).html_text == Q4
    assert labels(h.now(question)) == ["⬅️ Назад", "Пропустить ⏭"]
    await h.send(TEACHER, "я" * 201)
    assert h.last_message(TEACHER.id).text == (
        "Слишком длинный ответ: символов — 201, а можно не больше 200."
        " Сократите его и отправьте ещё раз."
    )
    await h.send_document(TEACHER, "ответ.pdf")
    assert h.last_message(TEACHER.id).html_text == (
        "Здесь нужен ответ текстом — напишите его сообщением."
    )
    await h.send(TEACHER, "Больше <b>практики</b>")

    # a 1..10 scale in two rows of five, optional
    question = h.last_message(TEACHER.id)
    assert question.html_text == Q5
    keyboard = [[b.text for b in row] for row in question.reply_markup.inline_keyboard]
    assert keyboard == [
        ["1", "2", "3", "4", "5"],
        ["6", "7", "8", "9", "10"],
        ["⬅️ Назад", "Пропустить ⏭"],
    ]
    await h.tap(TEACHER, question, "7")

    summary = h.now(question)
    assert summary.text == f"Отвечено на 5 из 5 вопросов.\n{SUMMARY_NOTE}"
    assert labels(summary) == ["✅ Отправить", "⬅️ Назад"]
    await h.send(TEACHER, "готово")
    assert h.last_message(TEACHER.id).text == (
        "☝️ Нажмите «✅ Отправить» под сводкой или вернитесь назад."
    )
    assert await stored(repo) == []  # nothing is a response before Submit
    assert await rows(repo, SealedResponse) == []
    await h.tap(TEACHER, summary, "Отправить")
    assert (
        h.now(summary).text
        == "🙏 Спасибо! Ваши ответы на опрос «Работа сообщества» приняты анонимно."
    )
    assert labels(h.now(summary)) == []

    # one response of a minimum group of five: sealed, waiting, not yet in the results
    assert await stored(repo) == []
    assert await sealed_by_question(repo, survey.id) == [
        {
            1: (4, [], ""),
            2: (None, ["Раз в месяц"], ""),
            3: (None, ["Семинары"], "Круглые столы"),
            4: (None, [], "Больше <b>практики</b>"),  # stored as written, escaped when shown
            5: (7, [], ""),
        }
    ]
    assert await repo.surveys.pending(survey) == 1
    teacher = await repo.users.by_telegram_id(TEACHER.id)
    participants = await rows(repo, SurveyParticipant)
    answered = {p.user_id: p.answered for p in participants}
    assert answered[teacher.id] is True and sum(answered.values()) == 1
    assert not any(p.released for p in participants)
    assert await rows(repo, SurveyProgress) == []
    # after the survey, a text is an ordinary message again
    await h.send(TEACHER, "спасибо")
    assert h.last_message(TEACHER.id).text.startswith("По запросу «спасибо» материалов не")


async def test_back_changes_an_answer_and_take_again_resumes_where_one_left(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    survey, _ = await published(h, repo, i18n)
    q1, q2 = survey.questions[:2]
    await h.tap(READER, invitation(h, READER), TAKE)
    await h.tap(READER, h.last_message(READER.id), "Начать")
    await h.tap(READER, h.last_message(READER.id), "2")
    await h.tap(READER, h.last_message(READER.id), "Каждую неделю")
    assert h.last_message(READER.id).html_text == Q3

    # they leave; pressing the invitation again continues at question 3, no introduction
    (progress,) = await rows(repo, SurveyProgress)
    assert progress.position == 2
    assert repo.surveys.answers_of(progress) == {
        str(q1.id): {"number": 2},
        str(q2.id): {"choices": ["Каждую неделю"]},
    }
    await h.tap(READER, invitation(h, READER), TAKE)
    resumed = h.last_message(READER.id)
    assert resumed.html_text == Q3
    await h.tap(READER, resumed, "Назад")
    assert h.now(resumed).html_text == Q2
    assert labels(h.now(resumed)) == ["✅ Каждую неделю", "Раз в месяц", "Никогда", "⬅️ Назад"]
    await h.tap(READER, h.now(resumed), "Назад")
    assert h.now(resumed).html_text == Q1
    assert labels(h.now(resumed)) == ["1", "✅ 2", "3", "4", "5"]
    await h.tap(READER, h.now(resumed), "5")
    await h.tap(READER, h.now(resumed), "Никогда")
    await h.tap(READER, h.now(resumed), "Открытые уроки")
    await h.tap(READER, h.now(resumed), "Готово")
    await h.send(READER, "Чаще встречаться")
    question = h.last_message(READER.id)
    await h.tap(READER, question, "Назад")  # back to the text: the answer shown, kept as is
    assert (
        h.now(question).html_text
        == f"{Q4}\nВаш ответ: «Чаще встречаться». Чтобы изменить его, отправьте новый."
    )
    assert labels(h.now(question)) == ["➡️ Оставить ответ", "⬅️ Назад", "Пропустить ⏭"]
    await h.tap(READER, h.now(question), "Оставить ответ")
    await h.tap(READER, h.now(question), "Пропустить")
    assert h.now(question).text == f"Отвечено на 4 из 5 вопросов.\n{SUMMARY_NOTE}"
    await h.tap(READER, h.now(question), "Назад")  # from the summary to the last question
    assert h.now(question).html_text == Q5
    await h.tap(READER, h.now(question), "Пропустить")
    await h.tap(READER, h.now(question), "Отправить")
    assert await stored(repo) == []  # alone, the response waits sealed for its batch
    assert await sealed_by_question(repo, survey.id) == [
        {
            1: (5, [], ""),
            2: (None, ["Никогда"], ""),
            3: (None, ["Открытые уроки"], ""),
            4: (None, [], "Чаще встречаться"),
        }
    ]


async def test_one_answer_only_a_second_take_and_a_double_submit(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    survey, _ = await published(h, repo, i18n)
    await h.tap(TEACHER, invitation(h, TEACHER), TAKE)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Начать")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "3")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Никогда")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Конкурсы")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Пропустить")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Пропустить")
    summary = h.last_message(TEACHER.id)
    submit = SurveyAnswerCallback(action=SurveyAnswerAction.SUBMIT, survey_id=survey.id)
    data = next(
        b.callback_data
        for row in summary.reply_markup.inline_keyboard
        for b in row
        if "Отправить" in b.text
    )
    assert SurveyAnswerCallback.unpack(data).action is submit.action
    await h.press(TEACHER, summary, data)
    await h.press(TEACHER, summary, data)  # a second tap before the message changed
    already = "Вы уже ответили на этот опрос — спасибо! Ответить можно один раз."
    assert h.alerts()[-1] == already
    assert len(await sealed_by_question(repo, survey.id)) == 1
    assert await stored(repo) == []

    await h.tap(TEACHER, invitation(h, TEACHER), TAKE)
    assert h.alerts()[-1] == already
    assert len(await sealed_by_question(repo, survey.id)) == 1
    assert await stored(repo) == []
    assert await rows(repo, SurveyProgress) == []


async def test_a_closed_survey_and_an_uninvited_user_are_refused(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    survey, owner = await published(h, repo, i18n)
    await register(h, STRANGER, full_name="Сторонняя Вера")
    await h.press(STRANGER, invitation(h, TEACHER), step(survey, SurveyAnswerAction.TAKE))
    assert h.alerts()[-1] == NO_RIGHTS
    await h.press(STRANGER, invitation(h, TEACHER), step(survey, SurveyAnswerAction.BEGIN))
    assert h.alerts()[-1] == NO_RIGHTS

    # the teacher is writing an answer when the survey closes
    await h.tap(TEACHER, invitation(h, TEACHER), TAKE)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Начать")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "3")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Никогда")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Конкурсы")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")
    await repo.surveys.close(survey, owner)
    await repo.session.commit()
    await h.send(TEACHER, "Поздно")
    assert h.last_message(TEACHER.id).text == "Опрос закрыт."
    await h.send(TEACHER, "Ещё раз")  # no longer read as an answer
    assert h.last_message(TEACHER.id).text.startswith("По запросу «Ещё раз» материалов не")
    await h.tap(READER, invitation(h, READER), TAKE)
    assert h.alerts()[-1] == "Опрос закрыт."
    assert await stored(repo) == []


async def test_pupils_personal_data_is_masked_and_no_conduct_hit_recorded(
    harness: BotHarness, repo, i18n
) -> None:
    h = harness
    await published(h, repo, i18n, min_group=3)  # the third submit releases all three
    await answer_all(
        h,
        MODERATOR,
        text="Иванов Пётр, 7Б класс, срывает уроки; мама просит звонить: 8 916 123-45-67.",
    )
    await answer_all(h, READER, text="Петрова Анна Сергеевна 5 «А» не успевает")
    await h.tap(TEACHER, invitation(h, TEACHER), TAKE)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Начать")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "1")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Никогда")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Другое")
    await h.send(TEACHER, "Кружок, ведёт Сидоров Иван 9 В")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Готово")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Пропустить")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Пропустить")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")

    assert await rows(repo, SealedResponse) == []
    texts = sorted(a.text for response in await stored(repo) for a in response.answers if a.text)
    assert texts == [
        "[скрыто] класс, срывает уроки; мама просит звонить: [скрыто].",
        "[скрыто] не успевает",
        "Кружок, ведёт [скрыто]",
    ]
    assert await rows(repo, ConductHit) == []


# --- the proof of anonymity -------------------------------------------------------------------


async def test_anonymity_nothing_ties_a_response_to_its_author(
    harness: BotHarness, repo, i18n, clock
) -> None:
    h = harness
    # Ids that no survey key, question id or answer value could equal by chance, so that a
    # match below can only mean a stored identity.
    h.session._message_ids = itertools.count(600_000)
    respondents = (TEACHER, MODERATOR, READER)
    for number, person in enumerate(respondents, start=910_001):
        repo.session.add(
            User(
                id=number,
                telegram_id=person.id,
                status=UserStatus.NEW,
                subjects=[],
                created_at=clock(),
            )
        )
    await repo.session.commit()
    survey, _ = await published(h, repo, i18n, min_group=3)
    await answer_all(h, TEACHER, scale="5", text="Больше практики")
    await answer_all(h, MODERATOR, scale="3", ticks=("Конкурсы",), text="Меньше отчётов")

    # two responses wait sealed: unreadable, of one size, with no user and no time
    assert await stored(repo) == []
    waiting = await rows(repo, SealedResponse)
    assert len(waiting) == 2 and len({len(w.sealed) for w in waiting}) == 1
    for row in waiting:
        assert row.group_id is None  # one community: everyone together
        assert len(row.id) == 32 and int(row.id, 16) >= 0
        for word in ("Больше практики", "Меньше отчётов", "Семинары", "Конкурсы", "number"):
            assert word.encode() not in row.sealed
    assert {c.name for c in SealedResponse.__table__.columns} == {
        "id",
        "survey_id",
        "group_id",
        "sealed",
    }
    # nor can the unfinished answers be read in the progress table
    await answer_all(h, READER, scale="2", single="Никогда", text="Всё хорошо", submit=False)
    [(raw,)] = (await repo.session.execute(text("SELECT sealed FROM survey_progress"))).all()
    for word in ("Всё хорошо", "Никогда", "Семинары", "number", "choices"):
        assert word.encode() not in raw
    assert len(raw) == len(waiting[0].sealed)  # no length to match an answer by
    await h.tap(READER, h.last_message(READER.id), "Отправить")

    users = [await repo.users.by_telegram_id(p.id) for p in respondents]
    assert [u.id for u in users] == [910_001, 910_002, 910_003]
    identities: set[int] = {u.id for u in users} | {p.id for p in respondents}
    # every message the bot sent them or edited, and every message they sent
    identities |= {c.result.message_id for p in respondents for c in h.sent_to(p.id)}
    identities |= set(range(10_000, next(h.user_message_ids)))
    callback_ids = {
        c.method.callback_query_id for c in h.session.calls if c.name == "answerCallbackQuery"
    }
    forbidden = {str(i) for i in identities} | callback_ids

    def check(value, written: bool) -> None:
        """``written``: a respondent's own words, searched for an id anywhere inside."""
        if isinstance(value, list):
            for each in value:
                check(each, written)
        elif isinstance(value, bool) or value is None:
            pass
        elif isinstance(value, int):
            assert value not in identities
        else:
            assert str(value) not in forbidden
            if written:
                assert not any(i in str(value) for i in forbidden)

    # the third response released all three as one batch; nothing is left sealed
    responses = await stored(repo)
    answers = await rows(repo, SurveyAnswer)
    assert len(responses) == 3 and len(answers) == 15
    assert await rows(repo, SealedResponse) == []
    assert (await repo.session.scalar(text("SELECT count(*) FROM survey_sealed_responses"))) == 0
    assert await repo.surveys.pending(survey) == 0
    for table in (responses, answers):
        for row in table:
            for column in row.__table__.columns:
                check(getattr(row, column.key), column.key in ("text", "choices"))
    # the response keys are random, not a sequence that would give away the order
    assert all(len(r.id) == 32 and int(r.id, 16) >= 0 for r in responses)

    # no user, message or time column at all: in the models and in the migrated database
    assert {c.name for c in SurveyResponse.__table__.columns} == {
        "id",
        "survey_id",
        "community_id",
    }
    assert {c.name for c in SurveyAnswer.__table__.columns} == {
        "id",
        "response_id",
        "question_id",
        "number",
        "choices",
        "text",
    }
    for model in (SurveyResponse, SurveyAnswer):
        assert not any(isinstance(c.type, DateTime) for c in model.__table__.columns)
        targets = {fk.column.table.name for fk in model.__table__.foreign_keys}
        assert targets <= {"surveys", "communities", "survey_responses", "survey_questions"}

    def migrated(connection):
        found = inspect(connection)
        return {
            name: {c["name"] for c in found.get_columns(name)}
            for name in (
                "survey_responses",
                "survey_answers",
                "survey_participants",
                "survey_progress",
                "survey_sealed_responses",
            )
        }

    columns = await (await repo.session.connection()).run_sync(migrated)
    assert columns["survey_responses"] == {"id", "survey_id", "community_id"}
    assert columns["survey_answers"] == {
        "id",
        "response_id",
        "question_id",
        "number",
        "choices",
        "text",
    }

    # the sealed pool and the progress hold no user column, no time and no readable answer
    assert columns["survey_sealed_responses"] == {"id", "survey_id", "group_id", "sealed"}
    assert columns["survey_progress"] == {"id", "survey_id", "user_id", "sealed", "position"}
    for model in (SealedResponse, SurveyProgress):
        assert not any(isinstance(c.type, DateTime) for c in model.__table__.columns)

    # who answered is known, and nothing more: no pointer to a response, no time; the
    # group is the community the response counts in, shared by its whole batch
    assert columns["survey_participants"] == {
        "id",
        "survey_id",
        "user_id",
        "answered",
        "released",
        "group_id",
        "reminders_sent",
    }
    participant_targets = {fk.column.table.name for fk in SurveyParticipant.__table__.foreign_keys}
    assert participant_targets == {"surveys", "users", "communities"}
    assert not any(isinstance(c.type, DateTime) for c in SurveyParticipant.__table__.columns)
    participants = await rows(repo, SurveyParticipant)
    assert {(p.user_id, p.answered, p.released, p.group_id) for p in participants} == {
        (u.id, True, True, None) for u in users
    }
    # the unfinished answers are gone the moment a response is submitted
    assert await rows(repo, SurveyProgress) == []

    # nor does anything the bot sent carry a response's or an answer's key
    keys = {r.id for r in responses} | {a.id for a in answers}
    for call in h.session.calls:
        shown = str(getattr(call.method, "text", "")) + str(
            getattr(call.method, "reply_markup", "")
        )
        assert not any(key in shown for key in keys)

    # on SQLite the answers' tables have no hidden rowid that would keep the order of answering
    if repo.session.get_bind().dialect.name == "sqlite":
        for table in ("survey_responses", "survey_answers", "survey_sealed_responses"):
            with pytest.raises(OperationalError, match="no such column: rowid"):
                await repo.session.execute(text(f"SELECT rowid FROM {table}"))
            await repo.session.rollback()


# --- the owner's preview ----------------------------------------------------------------------


async def test_the_owner_previews_a_draft_and_nothing_is_stored(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    owner = await make_owner(h, repo)
    survey = await draft(repo, owner)
    q1 = survey.questions[0]
    preview = SurveyAnswerCallback(action=SurveyAnswerAction.PREVIEW, survey_id=survey.id).pack()
    await h.send(OWNER, "/help")  # any message of the bot's to press the button on
    await h.press(OWNER, h.last_message(OWNER.id), preview)
    intro = h.last_message(OWNER.id)
    assert intro.html_text.startswith(
        "👁 Предпросмотр: так опрос увидят участники. Ответы нигде не сохраняются.\n\n"
        "📝 <b>Работа сообщества</b>"
    )
    await h.tap(OWNER, intro, "Начать")
    question = h.last_message(OWNER.id)
    assert question.html_text == Q1  # the very text a respondent sees
    await h.tap(OWNER, question, "5")
    assert h.now(question).html_text == Q2
    await h.tap(OWNER, h.now(question), "Назад")
    assert labels(h.now(question)) == ["1", "2", "3", "4", "✅ 5"]
    await h.tap(OWNER, h.now(question), "5")
    await h.tap(OWNER, h.now(question), "Раз в месяц")
    await h.tap(OWNER, h.now(question), "Готово")
    assert h.alerts()[-1] == "Отметьте хотя бы один вариант."
    await h.tap(OWNER, h.now(question), "Другое")
    await h.send(OWNER, "Лекции")
    await h.tap(OWNER, h.last_message(OWNER.id), "Готово")
    assert h.last_message(OWNER.id).html_text == Q4
    await h.send(OWNER, "Ничего")
    await h.tap(OWNER, h.last_message(OWNER.id), "Пропустить")
    summary = h.last_message(OWNER.id)
    assert summary.text == f"Отвечено на 4 из 5 вопросов.\n{SUMMARY_NOTE}"
    await h.tap(OWNER, summary, "Отправить")
    assert h.now(summary).text == "👁 Это был предпросмотр: ответы никуда не сохранены."

    for model in (SurveyProgress, SurveyParticipant, SurveyResponse, SurveyAnswer):
        assert await rows(repo, model) == []
    assert [s.status for s in await rows(repo, Survey)] == [SurveyStatus.DRAFT]

    # someone else's preview, or a forged step of it, is refused
    await h.press(TEACHER, h.last_message(TEACHER.id), preview)
    assert h.alerts()[-1] == NO_RIGHTS
    forged = SurveyAnswerCallback(
        action=SurveyAnswerAction.NUMBER,
        survey_id=survey.id,
        preview=True,
        question_id=q1.id,
        arg=3,
    ).pack()
    await h.press(TEACHER, h.last_message(TEACHER.id), forged)
    assert h.alerts()[-1] == NO_RIGHTS
    # nor can a draft be answered for real
    await h.press(TEACHER, h.last_message(TEACHER.id), step(survey, SurveyAnswerAction.TAKE))
    assert h.alerts()[-1] == "Опрос ещё не начался."
    assert await rows(repo, SurveyProgress) == []


async def test_commands_work_mid_survey_and_the_survey_waits(
    harness: BotHarness, repo, i18n
) -> None:
    """A moderator answering a survey sends /queue, /events and /warn: each command does its
    own job (no "press Submit"), and pressing the invitation again resumes at the summary."""
    h = harness
    await published(h, repo, i18n)
    await h.tap(MODERATOR, invitation(h, MODERATOR), TAKE)
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Начать")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "3")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Никогда")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Семинары")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Готово")
    assert h.last_message(MODERATOR.id).html_text == Q4  # a text is expected now
    await h.send(MODERATOR, "/events")
    assert h.last_message(MODERATOR.id).text == "Ближайших мероприятий нет."
    await h.send(MODERATOR, "Больше практики")  # not taken as an answer: the survey waits
    [progress] = await rows(repo, SurveyProgress)
    assert "практики" not in str(repo.surveys.answers_of(progress))
    await h.tap(MODERATOR, invitation(h, MODERATOR), TAKE)
    assert h.last_message(MODERATOR.id).html_text == Q4
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Пропустить")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Пропустить")
    assert h.last_message(MODERATOR.id).text.startswith("Отвечено на 3 из 5 вопросов.")

    for command in ("/queue", "/events", "/warn", "/history"):
        replies = texts(await h.send(MODERATOR, command))
        assert replies, command
        assert not any("Отправить" in reply or "кнопками" in reply for reply in replies), (
            command,
            replies,
        )
    await h.tap(MODERATOR, invitation(h, MODERATOR), TAKE)
    assert h.last_message(MODERATOR.id).text.startswith("Отвечено на 3 из 5 вопросов.")


async def test_an_invitation_sent_in_the_older_button_format_still_opens_the_survey(
    harness: BotHarness, repo, i18n
) -> None:
    """Invitations stay in people's chats for weeks: one sent before the buttons' format
    changed (sa1) opens the survey as ever; the older step buttons are answered as stale."""
    h = harness
    survey, _ = await published(h, repo, i18n)

    await h.press(TEACHER, invitation(h, TEACHER), f"sa1:take:{survey.id}:")

    assert labels(h.last_message(TEACHER.id)) == ["▶️ Начать"]
    assert survey.title in h.last_message(TEACHER.id).text
    await h.press(TEACHER, h.last_message(TEACHER.id), f"sa1:go:{survey.id}:r.0.0")
    assert h.alerts()[-1] == "Эта кнопка устарела. Откройте раздел заново."


async def test_answering_a_survey_logs_no_answer(
    harness: BotHarness, repo, i18n, caplog: pytest.LogCaptureFixture
) -> None:
    """Three answer, the third releases the batch and the scrub runs: at DEBUG, no log line
    carries an answer, a response's key or a sealed value."""
    h = harness
    await published(h, repo, i18n, min_group=3)
    with caplog.at_level(logging.DEBUG):
        await answer_all(h, TEACHER, text=ANSWER)
        await answer_all(h, MODERATOR, text="Меньше отчётов")
        await answer_all(h, READER, text="Больше семинаров")

    assert "спасибо" in h.last_message(READER.id).text.lower()
    assert caplog.records, "nothing was logged at all: the check would prove nothing"
    responses = await stored(repo)
    assert len(responses) == 3  # released, so the release and the scrub were logged too
    keys = {r.id for r in responses} | {a.id for r in responses for a in r.answers}
    secrets_ = ("проектную работу", "Меньше отчётов", "Больше семинаров", *keys)
    # aiosqlite's own DEBUG lines would carry them: storage/db.py keeps them off.
    assert not [r for r in caplog.records if any(x in r.getMessage() for x in secrets_)]
