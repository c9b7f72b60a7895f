"""The survey builder: who may build, a blank survey and every question kind with each bad
input answered, templates in the builder's language, the editor's reorder / delete /
required toggle, someone else's draft refused, publishing now (invitations queued with the
"take" button, progress in the confirmation) and at a set time (nothing until the schedule
job runs), and the date errors."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.callbacks import SurveyBuildAction, SurveyBuildCallback
from scheduler.surveys import run_survey_schedule
from storage.enums import GlobalRole, QuestionKind, SurveyStatus
from storage.models import Delivery, DeliveryBatch, Survey
from storage.survey_templates import template
from tests.conftest import ADMIN
from tests.flows import drain_outbox, from_template, make_community, register, setup_community
from tests.fluent_files import messages
from tests.harness import BotHarness, Person, button, labels
from tests.people import MODERATOR, READER, TEACHER
from tests.people import SURVEYOR as METHODIST

OTHER_METHODIST = Person(id=7602, first_name="Вера")
NO_RIGHTS = "⛔ У вас нет прав на это действие."
NOT_DRAFT = "Опрос уже опубликован: вопросы менять нельзя."


async def methodist(h: BotHarness, repo, person: Person = METHODIST, name="Методистова Анна"):
    await register(h, person, full_name=name)
    user = await repo.users.by_telegram_id(person.id)
    await repo.users.grant_role(user, GlobalRole.METHODIST, None)
    await repo.session.commit()
    return user


async def latest_survey(repo) -> Survey:
    repo.session.expire_all()
    return await repo.session.scalar(select(Survey).order_by(Survey.id.desc()))


def press_data(action: SurveyBuildAction, survey_id: int, question_id: int = 0) -> str:
    return SurveyBuildCallback(action=action, survey_id=survey_id, question_id=question_id).pack()


async def reply(h: BotHarness, person: Person, text: str) -> str:
    await h.send(person, text)
    return h.last_message(person.id).html_text


async def add_question(h: BotHarness, person: Person, kind_label: str, text: str) -> None:
    await h.tap(person, h.last_message(person.id), "Добавить вопрос")
    await h.tap(person, h.last_message(person.id), kind_label)
    await h.send(person, text)


def test_every_builder_text_exists_in_both_languages() -> None:
    source = "".join(
        path.read_text(encoding="utf-8")
        for path in [
            Path("handlers/survey_builder.py"),
            *Path("handlers").glob("survey_build_*.py"),
        ]
    )
    used = set(re.findall(r"""["'](survey-build-[a-z0-9-]+)["']""", source))
    assert len(used) > 50
    for locale in ("ru", "en"):
        assert sorted(used - messages(locale).keys()) == [], locale


async def test_a_teacher_may_not_build_nor_open_a_draft(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await from_template(h, METHODIST, "Оценка эффективности")
    survey = await latest_survey(repo)

    await h.send(TEACHER, "/new_survey")
    assert h.last_message(TEACHER.id).text == NO_RIGHTS
    await h.press(
        TEACHER, h.last_message(TEACHER.id), press_data(SurveyBuildAction.DRAFT, survey.id)
    )
    assert h.alerts()[-1] == NO_RIGHTS
    assert "Оценка эффективности" not in h.last_message(TEACHER.id).text
    question = survey.questions[0]
    await h.press(
        TEACHER,
        h.last_message(TEACHER.id),
        press_data(SurveyBuildAction.DELETE_YES, survey.id, question.id),
    )
    assert h.alerts()[-1] == NO_RIGHTS
    assert len((await latest_survey(repo)).questions) == 7


async def test_a_blank_survey_with_every_kind_of_question_and_each_bad_input(
    harness: BotHarness, repo
) -> None:
    h = harness
    await methodist(h, repo)
    m = METHODIST
    await h.send(m, "/new_survey")
    assert h.last_message(m.id).text.startswith("📝 Новый анонимный опрос.")
    assert labels(h.last_message(m.id)) == [
        "📄 Пустой опрос",
        "📋 Шаблон: Оценка эффективности работы сообщества",
        "📋 Шаблон: Профессиональные потребности педагогов",
    ]
    await h.tap(m, h.last_message(m.id), "Пустой опрос")
    assert h.last_message(m.id).text == (
        "Как назовётся опрос? От 3 до 150 символов. /cancel — отменить."
    )
    assert await reply(h, m, "Ок") == "Название — от 3 до 150 символов."
    assert await reply(h, m, "я" * 151) == "Название — от 3 до 150 символов."
    assert (await reply(h, m, "Итоги  методического   дня")).startswith("Напишите вступление")
    assert await reply(h, m, "я" * 1001) == "Вступление — до 1000 символов."
    await h.tap(m, h.last_message(m.id), "Пропустить")
    assert h.last_message(m.id).html_text == (
        "📝 <b>Итоги методического дня</b>\n\nВопросов: 0\nВопросов пока нет — добавьте первый."
    )
    assert labels(h.last_message(m.id)) == [
        "➕ Добавить вопрос",
        "👁 Предпросмотр",
        "📣 Опубликовать",
    ]

    # a scale
    await h.tap(m, h.last_message(m.id), "Добавить вопрос")
    assert h.last_message(m.id).text == "Какой вопрос добавить?"
    assert labels(h.last_message(m.id)) == [
        "📊 Шкала",
        "🔘 Один вариант",
        "☑️ Несколько вариантов",
        "✍️ Свободный ответ",
        "◀️ К опросу",
    ]
    await h.tap(m, h.last_message(m.id), "Шкала")
    assert h.last_message(m.id).text == "Напишите вопрос (от 3 до 500 символов)."
    assert await reply(h, m, "Ну") == "Вопрос — от 3 до 500 символов."
    assert await reply(h, m, "в" * 501) == "Вопрос — от 3 до 500 символов."
    assert await reply(h, m, "Насколько полезен был семинар?") == "Какая шкала оценок?"
    assert labels(h.last_message(m.id)) == ["1–5", "1–10"]
    await h.tap(m, h.last_message(m.id), "1–10")
    assert h.last_message(m.id).text.startswith("Подпишите концы шкалы через тире")
    bad_labels = (
        "Напишите две подписи через тире, например: плохо — отлично (каждая до 40 символов)."
    )
    assert await reply(h, m, "плохо отлично") == bad_labels
    assert await reply(h, m, "плохо — " + "о" * 41) == bad_labels
    assert await reply(h, m, " — отлично") == bad_labels
    assert await reply(h, m, "бесполезен — очень полезен") == "Ответ на этот вопрос обязателен?"
    await h.tap(m, h.last_message(m.id), "Да, обязателен")
    assert h.last_message(m.id).html_text.endswith(
        "Вопросов: 1\n1. Насколько полезен был семинар?\n<i>шкала 1–10 · обязательный</i>"
    )

    # a single choice
    await add_question(h, m, "Один вариант", "Придёте ли на следующий семинар?")
    options_hint = (
        "Напишите варианты ответа, каждый с новой строки: от 2 до 10, каждый до 100 символов."
    )
    assert h.last_message(m.id).text == options_hint
    count_error = "Нужно от 2 до 10 вариантов ответа, каждый с новой строки."
    assert await reply(h, m, "Да") == count_error
    assert await reply(h, m, "\n".join(f"Вариант {n}" for n in range(11))) == count_error
    assert await reply(h, m, "Да\n да ") == "Варианты ответа повторяются."
    assert await reply(h, m, "Да\n" + "н" * 101) == "Вариант ответа — до 100 символов."
    assert await reply(h, m, "Да\n\nНет\nНе знаю") == "Ответ на этот вопрос обязателен?"
    await h.tap(m, h.last_message(m.id), "Нет, можно пропустить")

    # a multiple choice with "other"
    await add_question(h, m, "Несколько вариантов", "Какие темы интересны?")
    assert await reply(h, m, "Дроби") == count_error
    assert await reply(h, m, "Дроби\nПроценты\nГеометрия") == (
        "Разрешить свой вариант ответа («Другое»)?"
    )
    assert labels(h.last_message(m.id)) == ["Да, разрешить", "Нет"]
    await h.tap(m, h.last_message(m.id), "Да, разрешить")
    await h.tap(m, h.last_message(m.id), "Да, обязателен")

    # free text: a typed limit, then one by the default button
    await add_question(h, m, "Свободный ответ", "Что улучшить в семинарах?")
    assert h.last_message(m.id).text == (
        "Какой длины может быть ответ? Напишите число от 10 до 4000 или нажмите кнопку."
    )
    assert labels(h.last_message(m.id)) == ["1000"]
    limit_error = "Предел длины ответа — от 10 до 4000 символов."
    assert await reply(h, m, "много") == limit_error
    assert await reply(h, m, "5") == limit_error
    assert await reply(h, m, "5000") == limit_error
    assert await reply(h, m, "500") == "Ответ на этот вопрос обязателен?"
    await h.tap(m, h.last_message(m.id), "Нет, можно пропустить")
    await add_question(h, m, "Свободный ответ", "Ваши пожелания ведущим")
    await h.tap(m, h.last_message(m.id), "1000")
    await h.tap(m, h.last_message(m.id), "Нет, можно пропустить")

    editor = h.last_message(m.id)
    assert editor.html_text == (
        "📝 <b>Итоги методического дня</b>\n\nВопросов: 5\n"
        "1. Насколько полезен был семинар?\n<i>шкала 1–10 · обязательный</i>\n"
        "2. Придёте ли на следующий семинар?\n<i>один вариант · необязательный</i>\n"
        "3. Какие темы интересны?\n<i>несколько вариантов · обязательный</i>\n"
        "4. Что улучшить в семинарах?\n<i>свободный ответ · необязательный</i>\n"
        "5. Ваши пожелания ведущим\n<i>свободный ответ · необязательный</i>"
    )
    assert labels(editor) == [
        "1. Насколько полезен был семинар?",
        "2. Придёте ли на следующий семинар?",
        "3. Какие темы интересны?",
        "4. Что улучшить в семинарах?",
        "5. Ваши пожелания ведущим",
        "➕ Добавить вопрос",
        "👁 Предпросмотр",
        "📣 Опубликовать",
    ]
    survey = await latest_survey(repo)
    assert (survey.title, survey.intro, survey.status) == (
        "Итоги методического дня",
        "",
        SurveyStatus.DRAFT,
    )
    rows = [
        (
            q.kind,
            q.options,
            q.scale_max,
            q.scale_labels,
            q.allow_other,
            q.required,
            q.max_length,
        )
        for q in survey.questions
    ]
    assert rows == [
        (QuestionKind.SCALE, [], 10, ["бесполезен", "очень полезен"], False, True, 1000),
        (QuestionKind.SINGLE, ["Да", "Нет", "Не знаю"], 5, [], False, False, 1000),
        (QuestionKind.MULTIPLE, ["Дроби", "Проценты", "Геометрия"], 5, [], True, True, 1000),
        (QuestionKind.TEXT, [], 5, [], False, False, 500),
        (QuestionKind.TEXT, [], 5, [], False, False, 1000),
    ]


async def test_an_introduction_is_kept_and_shown_escaped(harness: BotHarness, repo) -> None:
    h = harness
    await methodist(h, repo)
    await h.send(METHODIST, "/new_survey")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Пустой опрос")
    await h.send(METHODIST, "Опрос <b>родителей</b>")
    await h.send(METHODIST, "Ответы помогут спланировать год.")
    assert h.last_message(METHODIST.id).html_text == (
        "📝 <b>Опрос &lt;b&gt;родителей&lt;/b&gt;</b>\nОтветы помогут спланировать год.\n\n"
        "Вопросов: 0\nВопросов пока нет — добавьте первый."
    )
    survey = await latest_survey(repo)
    assert survey.intro == "Ответы помогут спланировать год."


async def test_templates_come_in_the_builders_language(harness: BotHarness, repo, i18n) -> None:
    h = harness
    await methodist(h, repo)
    await from_template(h, METHODIST, "Профессиональные потребности")
    ru = template("needs", i18n.translator("ru"))
    survey = await latest_survey(repo)
    assert (survey.title, survey.intro) == (ru["title"], ru["intro"])
    assert [q.text for q in survey.questions] == [text for _, text, _ in ru["questions"]]
    text = h.last_message(METHODIST.id).html_text
    assert text.startswith(f"📝 <b>{ru['title']}</b>\n")
    assert (
        "1. В каких темах вам нужна методическая помощь?\n"
        "<i>несколько вариантов · обязательный</i>\n"
        "2. Какая форма повышения квалификации вам удобнее?\n"
        "<i>один вариант · обязательный</i>\n"
        "3. Насколько уверенно вы используете цифровые образовательные ресурсы?\n"
        "<i>шкала 1–5 · обязательный</i>"
    ) in text
    assert text.endswith(
        "6. Какой семинар или мастер-класс вы хотели бы посетить в этом году?\n"
        "<i>свободный ответ · необязательный</i>"
    )

    # an English-speaking methodist gets the English version
    english = Person(id=7603, first_name="Emma")  # registers in Russian, then switches
    user = await methodist(h, repo, english, name="Emma Brown")
    await repo.users.set_locale(user, "en")
    await repo.session.commit()
    await h.send(english, "/new_survey")
    assert labels(h.last_message(english.id)) == [
        "📄 Blank survey",
        "📋 Template: How well the community works",
        "📋 Template: Teachers' professional needs",
    ]
    await h.tap(english, h.last_message(english.id), "How well the community works")
    en = template("effectiveness", i18n.translator("en"))
    survey = await latest_survey(repo)
    assert survey.title == "How well the community works"
    assert [q.text for q in survey.questions] == [text for _, text, _ in en["questions"]]
    assert survey.questions[0].scale_labels == ["not at all", "completely"]
    assert survey.questions[3].allow_other is True
    text = h.last_message(english.id).html_text
    assert (
        "Questions: 7\n1. Overall, how satisfied are you with the community's work?\n"
        "<i>scale 1–5 · required</i>"
    ) in text
    assert text.endswith(
        "7. What should change in the community's work?\n<i>free text · optional</i>"
    )
    assert labels(h.last_message(english.id))[-3:] == [
        "➕ Add question",
        "👁 Preview",
        "📣 Publish",
    ]


async def test_reorder_toggle_edit_and_delete_show_in_the_editor(harness: BotHarness, repo) -> None:
    h = harness
    await methodist(h, repo)
    m = METHODIST
    await from_template(h, m, "Профессиональные потребности")
    editor = h.last_message(m.id)
    await h.tap(m, editor, "2. Какая форма")
    view = h.last_message(m.id)
    assert view.message_id == editor.message_id  # edited in place
    assert view.html_text == (
        "Вопрос 2 из 6:\n<b>Какая форма повышения квалификации вам удобнее?</b>\n"
        "Вид: один вариант\nВарианты ответа:\n• Очные семинары\n• Вебинары\n"
        "• Мастер-классы\n• Стажировки\n• Самостоятельно, по материалам\n"
        "Обязательный вопрос"
    )
    assert labels(view) == [
        "✏️ Текст",
        "✏️ Варианты",
        "✅ Обязательный",
        "⬆️ Выше",
        "⬇️ Ниже",
        "🗑 Удалить",
        "◀️ К опросу",
    ]
    await h.tap(m, view, "Выше")
    assert h.last_message(m.id).text.startswith("Вопрос 1 из 6:")
    top = h.last_message(m.id)
    assert "⬆️ Выше" not in labels(top)  # at the top already: only down is offered
    assert "⬇️ Ниже" in labels(top)
    # yesterday's "up" pressed on the first question changes nothing and breaks nothing
    stale_up = button(view, "Выше").callback_data
    await h.press(m, top, stale_up)
    assert h.last_message(m.id).text.startswith("Вопрос 1 из 6:")
    assert not [a for a in h.alerts() if "пошло не так" in a]
    await h.tap(m, h.last_message(m.id), "Обязательный")
    assert h.last_message(m.id).text.endswith("Необязательный вопрос")
    assert "▫️ Обязательный" in labels(h.last_message(m.id))

    # a new text, with a bad one first
    await h.tap(m, h.last_message(m.id), "Текст")
    assert h.last_message(m.id).html_text == "Напишите новый текст вопроса (от 3 до 500 символов)."
    assert await reply(h, m, "Ой") == "Вопрос — от 3 до 500 символов."
    assert (await reply(h, m, "Какая форма обучения вам удобнее?")).startswith(
        "Вопрос 1 из 6:\n<b>Какая форма обучения вам удобнее?</b>"
    )
    # new options, with a repeat first
    await h.tap(m, h.last_message(m.id), "Варианты")
    assert await reply(h, m, "Очно\nочно") == "Варианты ответа повторяются."
    assert "• Очно\n• Дистанционно\nНеобязательный вопрос" in (
        await reply(h, m, "Очно\nДистанционно")
    )

    # the multiple choice's "other" toggle
    await h.tap(m, h.last_message(m.id), "К опросу")
    await h.tap(m, h.last_message(m.id), "2. В каких темах")
    assert "Свой вариант («Другое»): разрешён" in h.last_message(m.id).text
    await h.tap(m, h.last_message(m.id), "Свой вариант")
    assert "Свой вариант («Другое»): нет" in h.last_message(m.id).text
    assert "▫️ Свой вариант" in labels(h.last_message(m.id))
    # a scale: 1–10 and no labels
    await h.tap(m, h.last_message(m.id), "К опросу")
    await h.tap(m, h.last_message(m.id), "3. Насколько уверенно")
    assert "Подписи: 1 — не использую, 5 — уверенно" in h.last_message(m.id).text
    await h.tap(m, h.last_message(m.id), "✏️ Шкала")
    await h.tap(m, h.last_message(m.id), "1–10")
    await h.tap(m, h.last_message(m.id), "Пропустить")
    assert h.last_message(m.id).html_text.startswith(
        "Вопрос 3 из 6:\n<b>Насколько уверенно вы используете цифровые образовательные"
        " ресурсы?</b>\nВид: шкала 1–10\nОбязательный вопрос"
    )

    # delete the last one, after a confirmation
    await h.tap(m, h.last_message(m.id), "К опросу")
    await h.tap(m, h.last_message(m.id), "6. Какой семинар")
    await h.tap(m, h.last_message(m.id), "Удалить")
    assert h.last_message(m.id).text == (
        "Удалить вопрос 6 «Какой семинар или мастер-класс вы хотели бы посетить в этом году?»?"
    )
    await h.tap(m, h.last_message(m.id), "Нет")
    assert h.last_message(m.id).text.startswith("Вопрос 6 из 6:")
    await h.tap(m, h.last_message(m.id), "Удалить")
    await h.tap(m, h.last_message(m.id), "Да, удалить")

    text = h.last_message(m.id).html_text
    assert "Вопросов: 5\n" in text
    assert (
        "1. Какая форма обучения вам удобнее?\n<i>один вариант · необязательный</i>\n"
        "2. В каких темах вам нужна методическая помощь?\n"
        "<i>несколько вариантов · обязательный</i>\n"
        "3. Насколько уверенно вы используете цифровые образовательные ресурсы?\n"
        "<i>шкала 1–10 · обязательный</i>"
    ) in text
    assert "Какой семинар" not in text
    survey = await latest_survey(repo)
    assert [q.position for q in survey.questions] == [0, 1, 2, 3, 4]
    assert survey.questions[0].options == ["Очно", "Дистанционно"]
    assert survey.questions[1].allow_other is False
    assert (survey.questions[2].scale_max, survey.questions[2].scale_labels) == (10, [])


async def test_another_methodist_cannot_touch_someone_elses_draft(
    harness: BotHarness, repo
) -> None:
    h = harness
    await methodist(h, repo)
    await methodist(h, repo, OTHER_METHODIST, name="Второва Вера")
    await from_template(h, METHODIST, "Оценка эффективности")
    survey = await latest_survey(repo)
    first = survey.questions[0]
    await h.send(OTHER_METHODIST, "/new_survey")
    stranger_view = h.last_message(OTHER_METHODIST.id)
    for action, question_id in (
        (SurveyBuildAction.DRAFT, 0),
        (SurveyBuildAction.TOGGLE_REQUIRED, first.id),
        (SurveyBuildAction.DELETE_YES, first.id),
        (SurveyBuildAction.PUBLISH, 0),
    ):
        await h.press(OTHER_METHODIST, stranger_view, press_data(action, survey.id, question_id))
        assert h.alerts()[-1] == NO_RIGHTS
    survey = await latest_survey(repo)
    assert len(survey.questions) == 7
    assert survey.questions[0].required is True
    assert survey.status is SurveyStatus.DRAFT

    # an admin may
    await register(h, ADMIN, full_name="Админов Админ")
    await h.send(ADMIN, "/new_survey")
    await h.press(ADMIN, h.last_message(ADMIN.id), press_data(SurveyBuildAction.DRAFT, survey.id))
    assert h.last_message(ADMIN.id).html_text.startswith(
        "📝 <b>Оценка эффективности работы сообщества</b>"
    )


async def test_publishing_now_queues_the_invitations_and_reports_progress(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    community_id = (await setup_community(h, repo)).id
    await methodist(h, repo)
    m = METHODIST
    await from_template(h, m, "Оценка эффективности")
    survey = await latest_survey(repo)
    await h.tap(m, h.last_message(m.id), "Опубликовать")
    assert h.last_message(m.id).text == (
        "Кому отправить опрос? Отметьте сообщества или «Всем участникам» и нажмите «Далее»."
    )
    assert labels(h.last_message(m.id)) == [
        "▫️ Всем участникам",
        "▫️ Математики",
        "Далее ▶",
        "◀️ К опросу",
    ]
    await h.tap(m, h.last_message(m.id), "Далее")
    assert h.alerts()[-1] == "Отметьте хотя бы одно сообщество или «Всем участникам»."
    await h.tap(m, h.last_message(m.id), "Математики")
    assert labels(h.last_message(m.id))[:2] == ["▫️ Всем участникам", "✅ Математики"]
    await h.tap(m, h.last_message(m.id), "Далее")
    assert h.last_message(m.id).text == (
        "Когда открыть опрос? Нажмите «Сейчас» или напишите дату и время, например"
        " 20.12.2026 10:00 (часовой пояс: Москва (МСК))."
    )
    await h.tap(m, h.last_message(m.id), "Сейчас")
    assert h.last_message(m.id).text.startswith("Когда закрыть опрос?")
    assert labels(h.last_message(m.id)) == ["Через 7 дней", "Через 14 дней"]
    assert await reply(h, m, "01.11.2026 10:00") == "Это время уже прошло."
    assert await reply(h, m, "02.11.2026 11:00") == "Это время уже прошло."
    assert await reply(h, m, "31.11.2026 10:00") == "Такой даты нет в календаре."
    closes = clock.now + timedelta(days=7, seconds=h.pace_seconds)
    await h.tap(m, h.last_message(m.id), "Через 7 дней")
    summary = h.last_message(m.id)
    moscow = f"{closes.astimezone(UTC) + timedelta(hours=3):%d.%m.%Y %H:%M}"
    assert summary.text.splitlines() == [
        "📣 Публикация опроса «Оценка эффективности работы сообщества»",
        "Кому: Математики",
        "Получателей: 3",
        "Откроется: сразу после публикации",
        f"Закроется: {moscow}",
        "Минимальная группа: 5 — итоги группы, где ответов меньше, не показываются никому.",
        "Напоминаний тем, кто не ответил: 2",
        "",
        # three recipients can never make a group of five: said before it is too late
        "⚠️ Получателей (3) меньше минимальной группы (5): итоги не покажутся, даже если "
        "ответят все. Уменьшите минимальную группу или оставьте её, если так и задумано.",
    ]
    assert labels(summary) == [
        "👥 Мин. группа: 5",
        "⏰ Напоминаний: 2",
        "👥 Уменьшить до 3",
        "⚠️ Опубликовать (3) с мин. группой 5",
        "◀️ К опросу",
    ]
    await h.tap(m, summary, "Мин. группа")
    assert labels(h.last_message(m.id))[0] == "👥 Мин. группа: 10"
    assert "Получателей (3) меньше минимальной группы (10)" in h.last_message(m.id).text
    await h.tap(m, summary, "Уменьшить до 3")
    await h.tap(m, summary, "Напоминаний")
    summary = h.now(summary)
    assert "Минимальная группа: 3 —" in summary.text
    assert "⚠️" not in summary.text
    assert labels(summary) == [
        "👥 Мин. группа: 3",
        "⏰ Напоминаний: 3",
        "✅ Опубликовать (3)",
        "◀️ К опросу",
    ]
    assert (await repo.session.scalars(select(Delivery))).all() == []

    await h.tap(m, summary, "Опубликовать (3)")
    assert labels(h.now(summary)) == []
    confirmation = h.last_message(m.id)
    assert confirmation.text == (
        "📣 Опрос «Оценка эффективности работы сообщества» открыт, приглашений: 3."
        " Ход отправки — в этом сообщении."
    )
    survey = await latest_survey(repo)
    assert survey.status is SurveyStatus.OPEN
    assert (survey.audience, survey.min_group, survey.reminders_max) == ([community_id], 3, 3)
    rows = {d.key: d for d in (await repo.session.scalars(select(Delivery))).all()}
    expected = {}
    for person in (TEACHER, MODERATOR, READER):
        member = await repo.users.by_telegram_id(person.id)
        expected[f"survey:{survey.id}:invite:{member.id}"] = person.id
    assert {key: row.chat_id for key, row in rows.items()} == expected
    for row in rows.values():
        assert row.text.startswith(
            "📝 Анонимный опрос «Оценка эффективности работы сообщества»: вопросов — 7."
        )
        assert [b["text"] for line in row.markup["inline_keyboard"] for b in line] == [
            "📝 Пройти опрос"
        ]
    batch = await repo.session.get(DeliveryBatch, survey.batch_id)
    assert (batch.sender_chat_id, batch.progress_message_id) == (m.id, confirmation.message_id)

    # the worker sends them and edits the confirmation with its progress
    await drain_outbox(h)
    assert labels(h.last_message(TEACHER.id)) == ["📝 Пройти опрос"]
    assert h.now(confirmation).text == (
        "📣 «Оценка эффективности работы сообщества»: отправлено 3, не доставлено 0,"
        " заблокировали бота 0, отменено 0, осталось 0."
    )

    # the published survey's editor says its questions are fixed now
    await h.press(m, h.now(summary), press_data(SurveyBuildAction.DRAFT, survey.id))
    editor = h.now(summary)  # edited in place
    assert editor.text.endswith("\n\n" + NOT_DRAFT)
    assert labels(editor) == ["👁 Предпросмотр"]
    for action, question_id in (
        (SurveyBuildAction.ADD, 0),
        (SurveyBuildAction.TOGGLE_REQUIRED, survey.questions[0].id),
        (SurveyBuildAction.PUBLISH, 0),
    ):
        await h.press(m, editor, press_data(action, survey.id, question_id))
        assert h.alerts()[-1] == NOT_DRAFT


async def test_a_scheduled_survey_waits_for_the_schedule_job(
    harness: BotHarness, repo, sessionmaker, clock, i18n
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    m = METHODIST
    await h.send(m, "/new_survey")
    await h.tap(m, h.last_message(m.id), "Пустой опрос")
    await h.send(m, "Планы на декабрь")
    await h.tap(m, h.last_message(m.id), "Пропустить")
    await h.tap(m, h.last_message(m.id), "Опубликовать")
    assert h.alerts()[-1] == "Добавьте хотя бы один вопрос."
    await add_question(h, m, "Свободный ответ", "Какие семинары провести в декабре?")
    await h.tap(m, h.last_message(m.id), "1000")
    await h.tap(m, h.last_message(m.id), "Да, обязателен")

    await h.tap(m, h.last_message(m.id), "Опубликовать")
    await h.tap(m, h.last_message(m.id), "Всем участникам")
    await h.tap(m, h.last_message(m.id), "Далее")
    assert await reply(h, m, "скоро") == "Не понял дату: напишите, например, 25.12.2026 15:00."
    assert labels(h.last_message(m.id)) == ["▶️ Сейчас"]
    assert await reply(h, m, "01.11.2026 10:00") == "Это время уже прошло."
    assert (await reply(h, m, "05.11.2026 10:00")).startswith("Когда закрыть опрос?")
    before = "Опрос должен закрыться позже, чем откроется."
    assert await reply(h, m, "04.11.2026 10:00") == before
    assert await reply(h, m, "05.11.2026 10:00") == before
    await h.send(m, "12.11.2026 18:00")
    summary = h.last_message(m.id)
    assert summary.text.splitlines()[1:5] == [
        "Кому: Всем участникам",
        "Получателей: 4",  # the methodist too
        "Откроется: 05.11.2026 10:00",
        "Закроется: 12.11.2026 18:00",
    ]
    await h.tap(m, summary, "Опубликовать (4)")
    assert h.last_message(m.id).text == (
        "🕒 Опрос «Планы на декабрь» откроется 05.11.2026 10:00 и закроется 12.11.2026 18:00."
        " Приглашения уйдут в момент открытия."
    )
    survey = await latest_survey(repo)
    survey_id = survey.id
    assert survey.status is SurveyStatus.SCHEDULED
    assert survey.audience is None
    assert (await repo.session.scalars(select(Delivery))).all() == []

    run = {"sessionmaker": sessionmaker, "i18n_hub": i18n, "clock": clock}
    assert (await run_survey_schedule(**run))["opened"] == 0
    assert (await repo.session.scalars(select(Delivery))).all() == []
    clock.now = datetime(2026, 11, 5, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    done = await run_survey_schedule(**run)
    assert (done["opened"], done["invited"]) == (1, 4)
    repo.session.expire_all()
    rows = (await repo.session.scalars(select(Delivery))).all()
    assert sorted(row.chat_id for row in rows) == sorted(
        [TEACHER.id, MODERATOR.id, READER.id, METHODIST.id]
    )
    assert all(row.key.startswith(f"survey:{survey_id}:invite:") for row in rows)
    assert (await latest_survey(repo)).status is SurveyStatus.OPEN


async def test_an_opening_time_that_passes_on_the_summary_is_refused(
    harness: BotHarness, repo, clock
) -> None:
    h = harness
    await methodist(h, repo)
    m = METHODIST
    await from_template(h, m, "Профессиональные потребности")
    await h.tap(m, h.last_message(m.id), "Опубликовать")
    await h.tap(m, h.last_message(m.id), "Всем участникам")
    await h.tap(m, h.last_message(m.id), "Далее")
    await h.send(m, "02.11.2026 12:30")
    await h.tap(m, h.last_message(m.id), "Через 14 дней")
    summary = h.last_message(m.id)
    assert summary.text.splitlines()[3:5] == [
        "Откроется: 02.11.2026 12:30",
        "Закроется: 16.11.2026 12:30",
    ]
    clock.advance(3600)  # the methodist came back an hour later
    await h.tap(m, summary, "Опубликовать (1)")
    assert h.alerts()[-1] == "Это время уже прошло."
    assert (await latest_survey(repo)).status is SurveyStatus.DRAFT
    # a stale button of the finished dialog is refused politely
    await h.press(
        m,
        summary,
        SurveyBuildCallback(
            action=SurveyBuildAction.NOW, survey_id=(await latest_survey(repo)).id
        ).pack(),
    )
    assert h.alerts()[-1] == "Эта кнопка устарела. Откройте раздел заново."


async def test_a_minimum_group_above_the_recipients_is_kept_only_knowingly(
    harness: BotHarness, repo, clock
) -> None:
    """Three recipients and a minimum group of 10: the summary warns with both numbers and
    the owner may publish so; under three recipients there is nothing lower to offer."""
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    m = METHODIST
    await from_template(h, m, "Оценка эффективности")
    await h.tap(m, h.last_message(m.id), "Опубликовать")
    await h.tap(m, h.last_message(m.id), "Математики")
    await h.tap(m, h.last_message(m.id), "Далее")
    await h.tap(m, h.last_message(m.id), "Сейчас")
    await h.tap(m, h.last_message(m.id), "Через 7 дней")
    summary = h.last_message(m.id)
    await h.tap(m, summary, "Мин. группа")  # 5 → 10
    summary = h.now(summary)
    assert summary.text.endswith(
        "⚠️ Получателей (3) меньше минимальной группы (10): итоги не покажутся, даже если "
        "ответят все. Уменьшите минимальную группу или оставьте её, если так и задумано."
    )
    # a forged "lower to" value is refused
    survey = await latest_survey(repo)
    await h.press(
        m,
        summary,
        SurveyBuildCallback(
            action=SurveyBuildAction.MIN_GROUP, survey_id=survey.id, number=1
        ).pack(),
    )
    assert h.alerts()[-1] == "Эта кнопка устарела. Откройте раздел заново."
    await h.tap(m, summary, "Опубликовать (3) с мин. группой 10")
    survey = await latest_survey(repo)
    assert (survey.status, survey.min_group) == (SurveyStatus.OPEN, 10)

    # a community nobody has joined yet: warned, and nothing lower than three to offer
    await make_community(repo, "Физики", area="Физика")
    await from_template(h, m, "Оценка эффективности")
    await h.tap(m, h.last_message(m.id), "Опубликовать")
    await h.tap(m, h.last_message(m.id), "Физики")
    await h.tap(m, h.last_message(m.id), "Далее")
    await h.tap(m, h.last_message(m.id), "Сейчас")
    await h.tap(m, h.last_message(m.id), "Через 7 дней")
    summary = h.last_message(m.id)
    assert "⚠️ Получателей (0) меньше минимальной группы (5)" in summary.text
    assert labels(summary) == [
        "👥 Мин. группа: 5",
        "⏰ Напоминаний: 2",
        "⚠️ Опубликовать (0) с мин. группой 5",
        "◀️ К опросу",
    ]
