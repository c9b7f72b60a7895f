"""The survey builder's questions: adding one (its kind, its text, then what the kind needs:
the scale and its labels, the options and "other", or the length of a free answer; then
whether it is required), and a question's own buttons (new text, new options or scale or
length, required, "other", order, delete)."""

from bot.keyboards import InlineKeyboardBuilder
from handlers.common import show
from handlers.dialog import Turn
from handlers.survey_build_views import (
    DASH,
    KIND_BUTTON,
    LABEL_MAX,
    LIMIT_DEFAULT,
    LINE_TEXT_MAX,
    Action,
    SurveyBuildForm,
    data,
    draft_only,
    editor,
    question_of,
    question_view,
    short,
)
from storage.enums import QuestionKind
from storage.errors import InvalidState
from storage.models import SurveyQuestion
from storage.numbers import parse_int
from storage.repositories.surveys import (
    OPTIONS_MAX,
    QUESTION_MAX,
    QUESTIONS_MAX,
    TEXT_LIMIT_MAX,
    validate_question,
)

Form = SurveyBuildForm
# What each kind asks after the question's text.
EXTRA_STEP = {
    QuestionKind.SCALE: Form.scale,
    QuestionKind.SINGLE: Form.options,
    QuestionKind.MULTIPLE: Form.options,
    QuestionKind.TEXT: Form.limit,
}


async def add(turn: Turn) -> None:
    survey = turn.subject
    draft_only(survey)
    if len(survey.questions) >= QUESTIONS_MAX:
        raise InvalidState("survey-too-many-questions", max=QUESTIONS_MAX)
    await turn.end()
    builder = InlineKeyboardBuilder()
    for kind, key in KIND_BUTTON.items():
        builder.button(text=turn.i18n(key), callback_data=data(Action.KIND, survey.id, kind=kind))
    builder.button(
        text=turn.i18n("survey-build-back-button"), callback_data=data(Action.DRAFT, survey.id)
    )
    builder.adjust(2, 2, 1)
    await show(turn.pressed, turn.i18n("survey-build-ask-kind"), builder.as_markup())


async def kind(turn: Turn) -> None:
    draft_only(turn.subject)
    chosen = turn.data.kind
    if chosen is None:
        raise InvalidState("error-stale-button")
    await turn.state.set_data(
        {"survey_id": turn.subject.id, "question_id": 0, "kind": chosen.value}
    )
    await turn.go(Form.question, edit=True)


async def ask_question(turn: Turn):
    """A new question's text, or a new text for one."""
    key = "survey-build-ask-new-text" if (await turn.form())["question_id"] else None
    return turn.i18n(key or "survey-build-ask-question", max=QUESTION_MAX), None


async def read_question(turn: Turn, text: str) -> None:
    survey, form = turn.subject, await turn.form()
    if text.startswith("/"):
        raise InvalidState("survey-question-length", max=QUESTION_MAX)
    if form["question_id"]:  # a new text for a question
        question = await question_of(turn.repo, survey, form["question_id"])
        await turn.repo.surveys.edit_question(question, turn.user, text=text)
        await turn.end()
        text, markup = question_view(turn.i18n, survey, question)
        await turn.message.answer(text, reply_markup=markup)
        return
    values = validate_question(QuestionKind.TEXT, text, [], 5, [], LIMIT_DEFAULT)
    await turn.remember(text=values["text"])
    await turn.go(EXTRA_STEP[QuestionKind(form["kind"])])


def scale_buttons(turn: Turn):
    builder = InlineKeyboardBuilder()
    for top in (5, 10):
        builder.button(
            text=turn.i18n("survey-build-scale-button", max=top),
            callback_data=data(Action.SCALE, turn.subject.id, number=top),
        )
    return builder.as_markup()


async def scale(turn: Turn) -> None:
    if turn.data.number not in (5, 10):
        raise InvalidState("error-stale-button")
    await turn.remember(scale_max=turn.data.number)
    await turn.go(Form.labels)


async def read_labels(turn: Turn, text: str) -> None:
    labels = [" ".join(part.split()) for part in DASH.split(text, maxsplit=1)]
    if (
        text.startswith("/")
        or len(labels) != 2
        or not all(labels)
        or any(len(label) > LABEL_MAX for label in labels)
    ):
        raise InvalidState("survey-build-labels-invalid", max=LABEL_MAX)
    await after_extra(turn, scale_labels=labels)


async def no_labels(turn: Turn) -> None:
    await after_extra(turn, scale_labels=[])


async def read_options(turn: Turn, text: str) -> None:
    if text.startswith("/"):
        raise InvalidState("survey-options-count", max=OPTIONS_MAX)
    form = await turn.form()
    values = validate_question(
        QuestionKind(form["kind"]), form["text"], text.splitlines(), 5, [], LIMIT_DEFAULT
    )
    await after_extra(turn, options=values["options"])


def default_limit(turn: Turn):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=str(LIMIT_DEFAULT),
        callback_data=data(Action.LIMIT, turn.subject.id, number=LIMIT_DEFAULT),
    )
    return builder.as_markup()


async def read_limit(turn: Turn, text: str) -> None:
    limit = parse_int(text.strip().replace(" ", ""))
    if limit is None:
        raise InvalidState("survey-text-limit", max=TEXT_LIMIT_MAX)
    form = await turn.form()
    values = validate_question(QuestionKind.TEXT, form["text"], [], 5, [], limit)
    await after_extra(turn, max_length=values["max_length"])


async def limit(turn: Turn) -> None:
    if turn.data.number != LIMIT_DEFAULT:
        raise InvalidState("error-stale-button")
    await after_extra(turn, max_length=LIMIT_DEFAULT)


async def after_extra(turn: Turn, **fields) -> None:
    """An existing question is changed at once; a new one goes on to "other" and "required"."""
    survey = turn.subject
    await turn.remember(**fields)
    form = await turn.form()
    if "scale_labels" in fields:  # the scale chosen a step before goes with its labels
        fields["scale_max"] = form["scale_max"]
    if form["question_id"]:
        question = await question_of(turn.repo, survey, form["question_id"])
        await turn.repo.surveys.edit_question(question, turn.user, **fields)
        await turn.end()
        text, markup = question_view(turn.i18n, survey, question)
        await turn.message.answer(text, reply_markup=markup)
        return
    multiple = form["kind"] == QuestionKind.MULTIPLE.value
    await turn.go(Form.other if multiple else Form.required)


async def other(turn: Turn) -> None:
    await turn.remember(allow_other=turn.data.yes)
    await turn.go(Form.required)


async def required(turn: Turn) -> None:
    form = await turn.form()
    await turn.repo.surveys.add_question(
        turn.subject,
        turn.user,
        kind=QuestionKind(form["kind"]),
        text=form["text"],
        options=form.get("options"),
        scale_max=form.get("scale_max", 5),
        scale_labels=form.get("scale_labels"),
        allow_other=form.get("allow_other", False),
        required=turn.data.yes,
        max_length=form.get("max_length", LIMIT_DEFAULT),
    )
    await turn.end()
    await show(turn.pressed, *editor(turn.i18n, turn.subject))


# --- a question's own buttons ----------------------------------------------------------------


async def _editable(turn: Turn) -> SurveyQuestion:
    draft_only(turn.subject)
    return await question_of(turn.repo, turn.subject, turn.data.question_id)


async def _shown(turn: Turn, question: SurveyQuestion) -> None:
    await show(turn.pressed, *question_view(turn.i18n, turn.subject, question))


async def question(turn: Turn) -> None:
    chosen = await _editable(turn)
    await turn.end()
    await _shown(turn, chosen)


async def edit_text(turn: Turn) -> None:
    chosen = await _editable(turn)
    await turn.state.set_data(
        {"survey_id": turn.subject.id, "question_id": chosen.id, "kind": chosen.kind.value}
    )
    await turn.go(Form.question)


async def edit_extra(turn: Turn) -> None:
    chosen = await _editable(turn)
    await turn.state.set_data(
        {
            "survey_id": turn.subject.id,
            "question_id": chosen.id,
            "kind": chosen.kind.value,
            "text": chosen.text,
        }
    )
    await turn.go(EXTRA_STEP[chosen.kind])


async def toggle_required(turn: Turn) -> None:
    chosen = await _editable(turn)
    await turn.repo.surveys.edit_question(chosen, turn.user, required=not chosen.required)
    await _shown(turn, chosen)


async def toggle_other(turn: Turn) -> None:
    chosen = await _editable(turn)
    if chosen.kind is not QuestionKind.MULTIPLE:
        raise InvalidState("error-stale-button")
    await turn.repo.surveys.edit_question(chosen, turn.user, allow_other=not chosen.allow_other)
    await _shown(turn, chosen)


async def move(turn: Turn) -> None:
    chosen = await _editable(turn)
    step = -1 if turn.data.action is Action.UP else 1
    await turn.repo.surveys.move_question(chosen, turn.user, step)
    await _shown(turn, chosen)


async def delete(turn: Turn) -> None:
    chosen, survey = await _editable(turn), turn.subject
    builder = InlineKeyboardBuilder()
    builder.button(
        text=turn.i18n("survey-build-delete-yes"),
        callback_data=data(Action.DELETE_YES, survey.id, chosen.id),
    )
    builder.button(
        text=turn.i18n("survey-build-delete-no"),
        callback_data=data(Action.QUESTION, survey.id, chosen.id),
    )
    text = turn.i18n(
        "survey-build-ask-delete",
        number=chosen.position + 1,
        text=short(chosen.text, LINE_TEXT_MAX),
    )
    await show(turn.pressed, text, builder.as_markup())


async def delete_yes(turn: Turn) -> None:
    chosen = await _editable(turn)
    await turn.repo.surveys.remove_question(chosen, turn.user)
    await show(turn.pressed, *editor(turn.i18n, turn.subject))
