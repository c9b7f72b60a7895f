"""/new_survey: a methodist's, coordinator's or admin's anonymous survey, built from a phone.

A blank survey (title, introduction) or one of the ready templates becomes a draft; its
editor is one message edited in place: the questions with their kind, each with its own
view (text, options or scale or length, required, "other", order, delete). Adding a
question asks its kind, its text and what the kind needs. Publishing asks the audience,
when it opens and closes, then shows a summary with the number of recipients, the minimum
group and the reminders before anything goes out."""

import re
from datetime import datetime, timedelta

from aiogram import F, Router, html
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    SurveyAnswerAction,
    SurveyAnswerCallback,
    SurveyBuildAction,
    SurveyBuildCallback,
)
from bot.config import Settings
from bot.dates import read_moment, short_moment, zone_name, zone_of
from bot.i18n import Html, I18n, Translator
from handlers.common import expect_step, show
from handlers.quiet import batch_line, forecast_line
from notices.surveys import send_invitations
from storage.enums import QuestionKind, SurveyStatus
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.models import Survey, SurveyQuestion, User
from storage.numbers import parse_int
from storage.repositories import Repo
from storage.repositories.surveys import (
    INTRO_MAX,
    OPTION_MAX,
    OPTIONS_MAX,
    QUESTION_MAX,
    QUESTIONS_MAX,
    TEXT_LIMIT_MAX,
    TITLE_MAX,
    validate_question,
)
from storage.survey_templates import TEMPLATES, template

Action = SurveyBuildAction
LABEL_MAX = 40  # the repository keeps a scale's end labels this short
LIMIT_DEFAULT = 1000
MIN_GROUPS = (3, 5, 10)
REMINDER_CHOICES = (0, 1, 2, 3)
CLOSE_IN_DAYS = (7, 14)
# Editor lines stay short so that thirty questions still fit in one Telegram message.
LINE_TEXT_MAX = 70
BUTTON_TEXT_MAX = 40
INTRO_SHOWN_MAX = 300
_DASH = re.compile(r"\s*[—–]\s*|\s+-\s+")

KIND_TEXT = {
    QuestionKind.SCALE: "survey-build-kind-scale",
    QuestionKind.SINGLE: "survey-build-kind-single",
    QuestionKind.MULTIPLE: "survey-build-kind-multiple",
    QuestionKind.TEXT: "survey-build-kind-text",
}
KIND_BUTTON = {
    QuestionKind.SCALE: "survey-build-kind-scale-button",
    QuestionKind.SINGLE: "survey-build-kind-single-button",
    QuestionKind.MULTIPLE: "survey-build-kind-multiple-button",
    QuestionKind.TEXT: "survey-build-kind-text-button",
}
EXTRA_BUTTON = {
    QuestionKind.SCALE: "survey-build-edit-scale-button",
    QuestionKind.SINGLE: "survey-build-edit-options-button",
    QuestionKind.MULTIPLE: "survey-build-edit-options-button",
    QuestionKind.TEXT: "survey-build-edit-limit-button",
}


class SurveyBuildForm(StatesGroup):
    title = State()
    intro = State()
    question = State()  # a new question's text, or a new text for one (question_id set)
    scale = State()
    labels = State()
    options = State()
    other = State()
    limit = State()
    required = State()
    audience = State()
    opens = State()
    closes = State()
    confirm = State()


def setup() -> Router:
    router = Router(name="survey-builder")
    router.message.register(cmd_new_survey, Command("new_survey"))
    router.callback_query.register(cq_build, SurveyBuildCallback.filter())
    router.message.register(on_title, SurveyBuildForm.title, F.text)
    router.message.register(on_intro, SurveyBuildForm.intro, F.text)
    router.message.register(on_question, SurveyBuildForm.question, F.text)
    router.message.register(on_labels, SurveyBuildForm.labels, F.text)
    router.message.register(on_options, SurveyBuildForm.options, F.text)
    router.message.register(on_limit, SurveyBuildForm.limit, F.text)
    router.message.register(on_opens, SurveyBuildForm.opens, F.text)
    router.message.register(on_closes, SurveyBuildForm.closes, F.text)
    return router


# --- helpers ---------------------------------------------------------------------------------


def _check(repo: Repo, user: User) -> None:
    if not repo.surveys.can_run(user):
        raise PermissionDenied()


async def _own(repo: Repo, user: User, survey_id: int) -> Survey:
    """Every step: the role may have been revoked, and only the owner or an admin edits."""
    _check(repo, user)
    return await repo.surveys.owned(survey_id, user)


def _draft_only(survey: Survey) -> None:
    if survey.status is not SurveyStatus.DRAFT:
        raise InvalidState("survey-not-draft")


async def _form_survey(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> tuple[Survey | None, dict]:
    """The draft a typed step belongs to; published meanwhile (another device, an admin):
    the dialog ends and says why."""
    data = await state.get_data()
    survey = await _own(repo, user, data["survey_id"])
    if survey.status is not SurveyStatus.DRAFT:
        await state.clear()
        await message.answer(i18n("survey-not-draft"))
        return None, data
    return survey, data


async def _question_of(repo: Repo, survey: Survey, question_id: int) -> SurveyQuestion:
    question = await repo.surveys.question(question_id)
    if question.survey_id != survey.id:
        raise NotFound("survey-question-not-found")
    return question


def _say(i18n: Translator, error: InvalidState) -> str:
    """A refusal in the user's words; limits as plain digits ("4000", not "4 000")."""
    args = {k: str(v) if isinstance(v, int) else v for k, v in error.args_for_text.items()}
    return i18n(error.key, **args)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _data(
    action: Action,
    survey_id: int = 0,
    question_id: int = 0,
    *,
    template: str = "",
    kind: QuestionKind | None = None,
    number: int | None = None,
    yes: bool = False,
):
    return SurveyBuildCallback(
        action=action,
        survey_id=survey_id,
        question_id=question_id,
        template=template,
        kind=kind,
        number=number,
        yes=yes,
    )


async def _expect(state: FSMContext, step: State, survey: Survey | None = None) -> dict:
    """A button of a dialog step pressed while that step (of that survey) is current."""
    data = await expect_step(state, step)
    if survey is not None and data.get("survey_id") != survey.id:
        raise InvalidState("error-stale-button")
    return data


def _kind_text(i18n: Translator, question: SurveyQuestion) -> str:
    if question.kind is QuestionKind.SCALE:
        return i18n("survey-build-kind-scale", max=question.scale_max)
    return i18n(KIND_TEXT[question.kind])


async def _send(target: Message, view: tuple) -> Message:
    text, markup = view
    return await target.answer(text, reply_markup=markup)


def _skip(i18n: Translator, action: Action, survey: Survey | None = None):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("survey-build-skip-button"),
        callback_data=_data(action, survey.id if survey else 0),
    )
    return builder.as_markup()


def _default_limit(survey: Survey):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=str(LIMIT_DEFAULT),
        callback_data=_data(Action.LIMIT, survey.id, number=LIMIT_DEFAULT),
    )
    return builder.as_markup()


# --- the editor and a question's view --------------------------------------------------------


def editor(i18n: Translator, survey: Survey):
    """The draft as its owner sees it; a published survey's questions are shown, not edited."""
    draft = survey.status is SurveyStatus.DRAFT
    lines = [i18n("survey-build-editor", title=survey.title)]
    if survey.intro:
        lines.append(html.quote(_short(survey.intro, INTRO_SHOWN_MAX)))
    lines.append("")
    lines.append(i18n("survey-build-editor-count", count=len(survey.questions)))
    for question in survey.questions:
        lines.append(
            i18n(
                "survey-build-question-line",
                number=question.position + 1,
                text=_short(question.text, LINE_TEXT_MAX),
                kind=Html(_kind_text(i18n, question)),
                required="yes" if question.required else "no",
            )
        )
    if not survey.questions:
        lines.append(i18n("survey-build-editor-empty"))
    if not draft:
        lines += ["", i18n("survey-not-draft")]
    builder = InlineKeyboardBuilder()
    sizes = []
    if draft:
        for question in survey.questions:
            builder.button(
                text=f"{question.position + 1}. {_short(question.text, BUTTON_TEXT_MAX)}",
                callback_data=_data(Action.QUESTION, survey.id, question.id),
            )
            sizes.append(1)
        if len(survey.questions) < QUESTIONS_MAX:
            builder.button(
                text=i18n("survey-build-add-button"), callback_data=_data(Action.ADD, survey.id)
            )
            sizes.append(1)
    builder.button(
        text=i18n("survey-build-preview-button"),
        callback_data=SurveyAnswerCallback(action=SurveyAnswerAction.PREVIEW, survey_id=survey.id),
    )
    if draft:
        builder.button(
            text=i18n("survey-build-publish-button"), callback_data=_data(Action.PUBLISH, survey.id)
        )
    sizes.append(2)
    builder.adjust(*sizes)
    return "\n".join(lines), builder.as_markup()


def question_view(i18n: Translator, survey: Survey, question: SurveyQuestion):
    lines = [
        i18n(
            "survey-build-question-view",
            number=question.position + 1,
            count=len(survey.questions),
            text=question.text,
        ),
        i18n("survey-build-view-kind", kind=Html(_kind_text(i18n, question))),
    ]
    if question.kind is QuestionKind.SCALE and len(question.scale_labels) == 2:
        low, high = question.scale_labels
        lines.append(i18n("survey-build-view-labels", low=low, high=high, max=question.scale_max))
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        lines.append(i18n("survey-build-view-options"))
        lines += [f"• {html.quote(option)}" for option in question.options]
        if question.kind is QuestionKind.MULTIPLE:
            allowed = "yes" if question.allow_other else "no"
            lines.append(i18n("survey-build-view-other", allowed=allowed))
    elif question.kind is QuestionKind.TEXT:
        lines.append(i18n("survey-build-view-limit", limit=str(question.max_length)))
    required = "yes" if question.required else "no"
    lines.append(i18n("survey-build-view-required", required=required))

    def data(action: Action):
        return _data(action, survey.id, question.id)

    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("survey-build-edit-text-button"), callback_data=data(Action.EDIT_TEXT))
    builder.button(text=i18n(EXTRA_BUTTON[question.kind]), callback_data=data(Action.EDIT_EXTRA))
    builder.button(
        text=i18n("survey-build-required-button", on=required),
        callback_data=data(Action.TOGGLE_REQUIRED),
    )
    if question.kind is QuestionKind.MULTIPLE:
        builder.button(
            text=i18n("survey-build-other-button", on="yes" if question.allow_other else "no"),
            callback_data=data(Action.TOGGLE_OTHER),
        )
    # Only the moves there is room for: "up" on the first question would change nothing.
    moves = 0
    if question.position > 0:
        builder.button(text=i18n("survey-build-up-button"), callback_data=data(Action.UP))
        moves += 1
    if question.position < len(survey.questions) - 1:
        builder.button(text=i18n("survey-build-down-button"), callback_data=data(Action.DOWN))
        moves += 1
    builder.button(text=i18n("survey-build-delete-button"), callback_data=data(Action.DELETE))
    builder.button(
        text=i18n("survey-build-back-button"), callback_data=_data(Action.DRAFT, survey.id)
    )
    toggles = 2 if question.kind is QuestionKind.MULTIPLE else 1
    builder.adjust(2, toggles, *([moves] if moves else []), 1, 1)
    return "\n".join(lines), builder.as_markup()


# --- starting --------------------------------------------------------------------------------


async def cmd_new_survey(
    message: Message, repo: Repo, user: User, i18n: Translator, state: FSMContext
) -> None:
    _check(repo, user)
    await state.clear()
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("survey-build-blank-button"), callback_data=_data(Action.NEW))
    for key in TEMPLATES:
        builder.button(
            text=i18n("survey-build-template-button", title=i18n(f"survey-template-{key}-title")),
            callback_data=_data(Action.NEW, template=key),
        )
    builder.adjust(1)
    await message.answer(i18n("survey-build-ask-start"), reply_markup=builder.as_markup())


async def cq_build(
    callback: CallbackQuery,
    callback_data: SurveyBuildCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    i18n_hub: I18n,
    state: FSMContext,
    settings: Settings,
    callback_answer,
) -> None:
    _check(repo, user)
    if callback_data.action in (Action.NEW, Action.NO_INTRO):
        survey = None
    else:
        survey = await repo.surveys.owned(callback_data.survey_id, user)
    step = STEPS.get(callback_data.action)
    if step is None:
        raise InvalidState("error-stale-button")
    ctx = _Press(
        callback, callback_data, repo, user, i18n, i18n_hub, state, settings, callback_answer
    )
    await step(ctx, survey)


class _Press:
    """What a button press brings, handed to each step."""

    def __init__(self, callback, data, repo, user, i18n, hub, state, settings, answer):
        self.callback: CallbackQuery = callback
        self.data: SurveyBuildCallback = data
        self.repo: Repo = repo
        self.user: User = user
        self.i18n: Translator = i18n
        self.hub: I18n = hub
        self.state: FSMContext = state
        self.settings: Settings = settings
        self.answer = answer

    @property
    def message(self) -> Message:
        return self.callback.message  # type: ignore[return-value]


async def _new(p: _Press, survey: None) -> None:
    if not p.data.template:
        await p.state.set_state(SurveyBuildForm.title)
        await p.state.set_data({})
        await show(p.callback, p.i18n("survey-build-ask-title", max=TITLE_MAX))
        return
    if p.data.template not in TEMPLATES:
        raise InvalidState("error-stale-button")
    await p.state.clear()
    draft = await p.repo.surveys.from_template(p.user, template(p.data.template, p.i18n))
    await show(p.callback, *editor(p.i18n, draft))


async def on_title(message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator):
    _check(repo, user)
    title = " ".join((message.text or "").split())
    if title.startswith("/") or not 3 <= len(title) <= TITLE_MAX:
        await message.answer(i18n("survey-title-length", max=str(TITLE_MAX)))
        return
    await state.update_data(title=title)
    await state.set_state(SurveyBuildForm.intro)
    await message.answer(
        i18n("survey-build-ask-intro", max=str(INTRO_MAX)),
        reply_markup=_skip(i18n, Action.NO_INTRO),
    )


async def on_intro(message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator):
    _check(repo, user)
    intro = (message.text or "").strip()
    if intro.startswith("/") or len(intro) > INTRO_MAX:
        await message.answer(
            i18n("survey-intro-length", max=str(INTRO_MAX)),
            reply_markup=_skip(i18n, Action.NO_INTRO),
        )
        return
    await _create(message, state, repo, user, i18n, intro)


async def _no_intro(p: _Press, survey: None) -> None:
    await _expect(p.state, SurveyBuildForm.intro)
    await _create(p.callback, p.state, p.repo, p.user, p.i18n, "")


async def _create(event, state, repo, user, i18n, intro: str) -> None:
    data = await state.get_data()
    draft = await repo.surveys.create(user, data["title"], intro)
    await state.clear()
    await show(event, *editor(i18n, draft))


# --- the editor's buttons --------------------------------------------------------------------


async def _draft(p: _Press, survey: Survey) -> None:
    await p.state.clear()
    await show(p.callback, *editor(p.i18n, survey))


async def _add(p: _Press, survey: Survey) -> None:
    _draft_only(survey)
    if len(survey.questions) >= QUESTIONS_MAX:
        raise InvalidState("survey-too-many-questions", max=QUESTIONS_MAX)
    await p.state.clear()
    builder = InlineKeyboardBuilder()
    for kind, key in KIND_BUTTON.items():
        builder.button(text=p.i18n(key), callback_data=_data(Action.KIND, survey.id, kind=kind))
    builder.button(
        text=p.i18n("survey-build-back-button"), callback_data=_data(Action.DRAFT, survey.id)
    )
    builder.adjust(2, 2, 1)
    await show(p.callback, p.i18n("survey-build-ask-kind"), builder.as_markup())


async def _kind(p: _Press, survey: Survey) -> None:
    _draft_only(survey)
    kind = p.data.kind
    if kind is None:
        raise InvalidState("error-stale-button")
    await p.state.set_state(SurveyBuildForm.question)
    await p.state.set_data({"survey_id": survey.id, "question_id": 0, "kind": kind.value})
    await show(p.callback, p.i18n("survey-build-ask-question", max=QUESTION_MAX))


async def on_question(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    survey, data = await _form_survey(message, state, repo, user, i18n)
    if survey is None:
        return
    text = message.text or ""
    if text.startswith("/"):
        await message.answer(i18n("survey-question-length", max=str(QUESTION_MAX)))
        return
    if data["question_id"]:  # a new text for a question
        question = await _question_of(repo, survey, data["question_id"])
        try:
            await repo.surveys.edit_question(question, user, text=text)
        except InvalidState as error:
            await message.answer(_say(i18n, error))
            return
        await state.clear()
        await _send(message, question_view(i18n, survey, question))
        return
    try:
        values = validate_question(QuestionKind.TEXT, text, [], 5, [], LIMIT_DEFAULT)
    except InvalidState as error:
        await message.answer(_say(i18n, error))
        return
    await state.update_data(text=values["text"])
    await _ask_extra(message, state, i18n, survey, QuestionKind(data["kind"]))


async def _ask_extra(target: Message, state, i18n: Translator, survey, kind: QuestionKind):
    """What the kind needs: the scale, the options, or the length of a free answer."""
    builder = InlineKeyboardBuilder()
    if kind is QuestionKind.SCALE:
        await state.set_state(SurveyBuildForm.scale)
        for top in (5, 10):
            builder.button(
                text=i18n("survey-build-scale-button", max=top),
                callback_data=_data(Action.SCALE, survey.id, number=top),
            )
        await target.answer(i18n("survey-build-ask-scale"), reply_markup=builder.as_markup())
    elif kind is QuestionKind.TEXT:
        await state.set_state(SurveyBuildForm.limit)
        await target.answer(
            i18n("survey-build-ask-limit", max=str(TEXT_LIMIT_MAX)),
            reply_markup=_default_limit(survey),
        )
    else:
        await state.set_state(SurveyBuildForm.options)
        await target.answer(i18n("survey-build-ask-options", count=OPTIONS_MAX, max=OPTION_MAX))


async def _scale(p: _Press, survey: Survey) -> None:
    await _expect(p.state, SurveyBuildForm.scale, survey)
    if p.data.number not in (5, 10):
        raise InvalidState("error-stale-button")
    await p.state.update_data(scale_max=p.data.number)
    await p.state.set_state(SurveyBuildForm.labels)
    await p.message.answer(
        p.i18n("survey-build-ask-labels"), reply_markup=_skip(p.i18n, Action.NO_LABELS, survey)
    )


async def on_labels(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    survey, _ = await _form_survey(message, state, repo, user, i18n)
    if survey is None:
        return
    labels = [" ".join(part.split()) for part in _DASH.split(message.text or "", maxsplit=1)]
    if (
        (message.text or "").startswith("/")
        or len(labels) != 2
        or not all(labels)
        or any(len(label) > LABEL_MAX for label in labels)
    ):
        await message.answer(
            i18n("survey-build-labels-invalid", max=LABEL_MAX),
            reply_markup=_skip(i18n, Action.NO_LABELS, survey),
        )
        return
    await _after_extra(message, state, repo, user, i18n, survey, scale_labels=labels)


async def _no_labels(p: _Press, survey: Survey) -> None:
    await _expect(p.state, SurveyBuildForm.labels, survey)
    await _after_extra(p.message, p.state, p.repo, p.user, p.i18n, survey, scale_labels=[])


async def on_options(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    survey, data = await _form_survey(message, state, repo, user, i18n)
    if survey is None:
        return
    lines = (message.text or "").splitlines()
    try:
        if (message.text or "").startswith("/"):
            raise InvalidState("survey-options-count", max=OPTIONS_MAX)
        kind = QuestionKind(data["kind"])
        values = validate_question(kind, data["text"], lines, 5, [], LIMIT_DEFAULT)
    except InvalidState as error:
        await message.answer(_say(i18n, error))
        return
    await _after_extra(message, state, repo, user, i18n, survey, options=values["options"])


async def on_limit(
    message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator
) -> None:
    survey, data = await _form_survey(message, state, repo, user, i18n)
    if survey is None:
        return
    text = (message.text or "").strip().replace(" ", "")
    try:
        limit = parse_int(text)
        if limit is None:
            raise InvalidState("survey-text-limit", max=TEXT_LIMIT_MAX)
        values = validate_question(QuestionKind.TEXT, data["text"], [], 5, [], limit)
    except InvalidState as error:
        await message.answer(_say(i18n, error), reply_markup=_default_limit(survey))
        return
    await _after_extra(message, state, repo, user, i18n, survey, max_length=values["max_length"])


async def _limit(p: _Press, survey: Survey) -> None:
    await _expect(p.state, SurveyBuildForm.limit, survey)
    if p.data.number != LIMIT_DEFAULT:
        raise InvalidState("error-stale-button")
    await _after_extra(p.message, p.state, p.repo, p.user, p.i18n, survey, max_length=LIMIT_DEFAULT)


async def _after_extra(target: Message, state, repo, user, i18n, survey, **fields) -> None:
    """An existing question is changed at once; a new one goes on to "other" and "required"."""
    await state.update_data(**fields)
    data = await state.get_data()
    if "scale_labels" in fields:  # the scale chosen a step before goes with its labels
        fields["scale_max"] = data["scale_max"]
    if data["question_id"]:
        question = await _question_of(repo, survey, data["question_id"])
        await repo.surveys.edit_question(question, user, **fields)
        await state.clear()
        await _send(target, question_view(i18n, survey, question))
        return
    if data["kind"] == QuestionKind.MULTIPLE.value:
        await state.set_state(SurveyBuildForm.other)
        await target.answer(
            i18n("survey-build-ask-other"),
            reply_markup=_yes_no(
                i18n, survey, Action.OTHER, ("survey-build-other-yes", "survey-build-other-no")
            ),
        )
        return
    await _ask_required(target, state, i18n, survey)


async def _other(p: _Press, survey: Survey) -> None:
    await _expect(p.state, SurveyBuildForm.other, survey)
    await p.state.update_data(allow_other=p.data.yes)
    await _ask_required(p.message, p.state, p.i18n, survey)


async def _ask_required(target: Message, state, i18n: Translator, survey: Survey) -> None:
    await state.set_state(SurveyBuildForm.required)
    await target.answer(
        i18n("survey-build-ask-required"),
        reply_markup=_yes_no(
            i18n,
            survey,
            Action.REQUIRED,
            ("survey-build-required-yes", "survey-build-required-no"),
        ),
    )


def _yes_no(i18n: Translator, survey: Survey, action, labels: tuple[str, str]):
    """Two buttons: the first answers yes, the second no."""
    builder = InlineKeyboardBuilder()
    for label, yes in zip(labels, (True, False), strict=True):
        builder.button(text=i18n(label), callback_data=_data(action, survey.id, yes=yes))
    return builder.as_markup()


async def _required(p: _Press, survey: Survey) -> None:
    data = await _expect(p.state, SurveyBuildForm.required, survey)
    await p.repo.surveys.add_question(
        survey,
        p.user,
        kind=QuestionKind(data["kind"]),
        text=data["text"],
        options=data.get("options"),
        scale_max=data.get("scale_max", 5),
        scale_labels=data.get("scale_labels"),
        allow_other=data.get("allow_other", False),
        required=p.data.yes,
        max_length=data.get("max_length", LIMIT_DEFAULT),
    )
    await p.state.clear()
    await show(p.callback, *editor(p.i18n, survey))


# --- a question's own buttons ----------------------------------------------------------------


async def _editable_question(p: _Press, survey: Survey) -> SurveyQuestion:
    _draft_only(survey)
    return await _question_of(p.repo, survey, p.data.question_id)


async def _question(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    await p.state.clear()
    await show(p.callback, *question_view(p.i18n, survey, question))


async def _edit_text(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    await p.state.set_state(SurveyBuildForm.question)
    await p.state.set_data(
        {"survey_id": survey.id, "question_id": question.id, "kind": question.kind.value}
    )
    await p.message.answer(p.i18n("survey-build-ask-new-text", max=QUESTION_MAX))


async def _edit_extra(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    await p.state.set_data(
        {
            "survey_id": survey.id,
            "question_id": question.id,
            "kind": question.kind.value,
            "text": question.text,
        }
    )
    await _ask_extra(p.message, p.state, p.i18n, survey, question.kind)


async def _toggle_required(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    await p.repo.surveys.edit_question(question, p.user, required=not question.required)
    await show(p.callback, *question_view(p.i18n, survey, question))


async def _toggle_other(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    if question.kind is not QuestionKind.MULTIPLE:
        raise InvalidState("error-stale-button")
    await p.repo.surveys.edit_question(question, p.user, allow_other=not question.allow_other)
    await show(p.callback, *question_view(p.i18n, survey, question))


async def _move(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    await p.repo.surveys.move_question(question, p.user, -1 if p.data.action is Action.UP else 1)
    await show(p.callback, *question_view(p.i18n, survey, question))


async def _delete(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=p.i18n("survey-build-delete-yes"),
        callback_data=_data(Action.DELETE_YES, survey.id, question.id),
    )
    builder.button(
        text=p.i18n("survey-build-delete-no"),
        callback_data=_data(Action.QUESTION, survey.id, question.id),
    )
    text = p.i18n(
        "survey-build-ask-delete",
        number=question.position + 1,
        text=_short(question.text, LINE_TEXT_MAX),
    )
    await show(p.callback, text, builder.as_markup())


async def _delete_yes(p: _Press, survey: Survey) -> None:
    question = await _editable_question(p, survey)
    await p.repo.surveys.remove_question(question, p.user)
    await show(p.callback, *editor(p.i18n, survey))


# --- publishing ------------------------------------------------------------------------------


async def _publish(p: _Press, survey: Survey) -> None:
    _draft_only(survey)
    if not survey.questions:
        raise InvalidState("survey-no-questions")
    await p.state.set_state(SurveyBuildForm.audience)
    await p.state.set_data({"survey_id": survey.id, "communities": [], "everyone": False})
    await show(p.callback, *await _audience_view(p.repo, p.i18n, survey, await p.state.get_data()))


async def _audience_view(repo: Repo, i18n: Translator, survey: Survey, data: dict):
    chosen = set(data["communities"])
    builder = InlineKeyboardBuilder()
    builder.button(
        text=("✅ " if data["everyone"] else "▫️ ") + i18n("survey-build-everyone"),
        callback_data=_data(Action.EVERYONE, survey.id),
    )
    for community in await repo.communities.active_titles():
        builder.button(
            text=("✅ " if community.id in chosen else "▫️ ") + community.title,
            callback_data=_data(Action.AUDIENCE, survey.id, number=community.id),
        )
    builder.button(
        text=i18n("survey-build-next-button"), callback_data=_data(Action.NEXT, survey.id)
    )
    builder.button(
        text=i18n("survey-build-back-button"), callback_data=_data(Action.DRAFT, survey.id)
    )
    builder.adjust(1)
    return i18n("survey-build-ask-audience"), builder.as_markup()


async def _audience(p: _Press, survey: Survey) -> None:
    data = await _expect(p.state, SurveyBuildForm.audience, survey)
    if p.data.action is Action.EVERYONE:
        data["everyone"], data["communities"] = not data["everyone"], []
    else:
        community_id = p.data.number
        if community_id is None:
            raise InvalidState("error-stale-button")
        community = await p.repo.communities.require(community_id)
        data["communities"] = sorted(set(data["communities"]) ^ {community.id})
        data["everyone"] = False
    await p.state.set_data(data)
    await show(p.callback, *await _audience_view(p.repo, p.i18n, survey, data))


async def _next(p: _Press, survey: Survey) -> None:
    data = await _expect(p.state, SurveyBuildForm.audience, survey)
    if not data["everyone"] and not data["communities"]:
        p.answer.text = p.i18n("survey-build-choose-audience")
        p.answer.show_alert = True
        return
    await p.state.set_state(SurveyBuildForm.opens)
    zone = zone_of(p.user, p.settings)
    await p.message.answer(
        p.i18n("survey-build-ask-opens", zone=zone_name(p.i18n, zone.key)),
        reply_markup=_now_button(p.i18n, survey),
    )


def _now_button(i18n: Translator, survey: Survey):
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("survey-build-now-button"), callback_data=_data(Action.NOW, survey.id))
    return builder.as_markup()


async def on_opens(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    data = await state.get_data()
    survey = await _own(repo, user, data["survey_id"])
    moment = await read_moment(
        message,
        i18n,
        user,
        settings,
        repo.clock(),
        reply_markup=_now_button(i18n, survey),
        past="survey-date-past",
    )
    if moment is None:
        return
    await state.update_data(opens=moment.isoformat())
    await _ask_closes(message, state, i18n, survey)


async def _now(p: _Press, survey: Survey) -> None:
    await _expect(p.state, SurveyBuildForm.opens, survey)
    await p.state.update_data(opens=None)
    await _ask_closes(p.message, p.state, p.i18n, survey)


def _close_buttons(i18n: Translator, survey: Survey):
    builder = InlineKeyboardBuilder()
    for days in CLOSE_IN_DAYS:
        builder.button(
            text=i18n("survey-build-days-button", days=days),
            callback_data=_data(Action.CLOSE_IN, survey.id, number=days),
        )
    return builder.as_markup()


async def _ask_closes(target: Message, state: FSMContext, i18n: Translator, survey: Survey):
    await state.set_state(SurveyBuildForm.closes)
    await target.answer(i18n("survey-build-ask-closes"), reply_markup=_close_buttons(i18n, survey))


def _opening(data: dict, now: datetime) -> datetime:
    return datetime.fromisoformat(data["opens"]) if data.get("opens") else now


async def on_closes(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    data = await state.get_data()
    survey = await _own(repo, user, data["survey_id"])
    now = repo.clock()
    moment = await read_moment(
        message,
        i18n,
        user,
        settings,
        now,
        reply_markup=_close_buttons(i18n, survey),
        past="survey-date-past",
    )
    if moment is None:
        return
    if moment <= _opening(data, now):
        await message.answer(
            i18n("survey-closes-before-opening"), reply_markup=_close_buttons(i18n, survey)
        )
        return
    await state.update_data(closes=moment.isoformat())
    await state.set_state(SurveyBuildForm.confirm)
    await _send(message, await _summary(repo, i18n, user, settings, survey, state))


async def _close_in(p: _Press, survey: Survey) -> None:
    data = await _expect(p.state, SurveyBuildForm.closes, survey)
    days = p.data.number
    if days not in CLOSE_IN_DAYS:
        raise InvalidState("error-stale-button")
    closes = _opening(data, p.repo.clock()) + timedelta(days=days)
    await p.state.update_data(closes=closes.isoformat())
    await p.state.set_state(SurveyBuildForm.confirm)
    await _send(p.message, await _summary(p.repo, p.i18n, p.user, p.settings, survey, p.state))


def _audience_ids(data: dict) -> list[int] | None:
    return None if data["everyone"] else list(data["communities"])


async def _summary(repo: Repo, i18n: Translator, user, settings, survey: Survey, state):
    data = await state.get_data()
    ids = _audience_ids(data)
    # The same rule the invitations follow, on an unsaved copy: the draft stays untouched.
    people = await repo.surveys.audience(Survey(audience=ids))
    recipients = len(people)
    if ids is None:
        audience = i18n("survey-build-everyone")
    else:
        audience = ", ".join([(await repo.communities.require(i)).title for i in ids])
    zone = zone_of(user, settings)
    opens = (
        short_moment(datetime.fromisoformat(data["opens"]), zone) if data.get("opens") else "now"
    )
    closes = short_moment(datetime.fromisoformat(data["closes"]), zone)
    min_group = data.get("min_group", 5)
    reminders = data.get("reminders", 2)
    text = i18n(
        "survey-build-summary",
        title=survey.title,
        audience=audience,
        count=recipients,
        opens=opens,
        closes=closes,
        min=min_group,
        reminders=reminders,
    )
    # Fewer recipients than the minimum group: no result would ever be shown. Said now,
    # with a way to lower it, or to keep it knowingly (the publish button says so).
    too_small = recipients < min_group
    if too_small:
        text += "\n\n" + i18n("survey-build-min-group-too-big", count=recipients, min=min_group)
    opening = datetime.fromisoformat(data["opens"]) if data.get("opens") else None
    if night := forecast_line(i18n, user, settings, people, opening, repo.clock()):
        text += "\n" + night
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("survey-build-min-group-button", min=min_group),
        callback_data=_data(Action.MIN_GROUP, survey.id),
    )
    builder.button(
        text=i18n("survey-build-reminders-button", count=reminders),
        callback_data=_data(Action.REMINDERS, survey.id),
    )
    rows = [2]
    lower = [choice for choice in MIN_GROUPS if choice <= recipients]
    if too_small and lower:
        builder.button(
            text=i18n("survey-build-min-group-lower-button", min=lower[-1]),
            callback_data=_data(Action.MIN_GROUP, survey.id, number=lower[-1]),
        )
        rows.append(1)
    builder.button(
        text=i18n("survey-build-confirm-anyway-button", count=recipients, min=min_group)
        if too_small
        else i18n("survey-build-confirm-button", count=recipients),
        callback_data=_data(Action.CONFIRM, survey.id),
    )
    builder.button(
        text=i18n("survey-build-back-button"), callback_data=_data(Action.DRAFT, survey.id)
    )
    builder.adjust(*rows, 1, 1)
    return text, builder.as_markup()


async def _cycle(p: _Press, survey: Survey) -> None:
    data = await _expect(p.state, SurveyBuildForm.confirm, survey)
    if p.data.action is Action.MIN_GROUP and p.data.number is not None:  # "lower to N"
        min_group = p.data.number
        if min_group not in MIN_GROUPS:
            raise InvalidState("error-stale-button")
        await p.state.update_data(min_group=min_group)
    elif p.data.action is Action.MIN_GROUP:
        current = data.get("min_group", 5)
        index = MIN_GROUPS.index(current) if current in MIN_GROUPS else -1
        await p.state.update_data(min_group=MIN_GROUPS[(index + 1) % len(MIN_GROUPS)])
    else:
        current = data.get("reminders", 2)
        await p.state.update_data(reminders=(current + 1) % len(REMINDER_CHOICES))
    await show(p.callback, *await _summary(p.repo, p.i18n, p.user, p.settings, survey, p.state))


async def _confirm(p: _Press, survey: Survey) -> None:
    data = await _expect(p.state, SurveyBuildForm.confirm, survey)
    opens = datetime.fromisoformat(data["opens"]) if data.get("opens") else None
    closes = datetime.fromisoformat(data["closes"])
    await p.repo.surveys.publish(
        survey,
        p.user,
        audience=_audience_ids(data),
        opens_at=opens,
        closes_at=closes,
        min_group=data.get("min_group", 5),
        reminders_max=data.get("reminders", 2),
    )
    await p.state.clear()
    await p.message.edit_reply_markup(reply_markup=None)
    zone = zone_of(p.user, p.settings)
    if opens is not None:  # the schedule job opens it and sends the invitations then
        await p.message.answer(
            p.i18n(
                "survey-build-scheduled",
                title=survey.title,
                opens=short_moment(opens, zone),
                closes=short_moment(closes, zone),
            )
        )
        return
    invited = await send_invitations(p.repo, p.hub, survey)
    text = p.i18n("survey-build-published", title=survey.title, count=invited)
    if night := await batch_line(p.repo, p.i18n, p.user, p.settings, survey.batch_id):
        text += "\n" + night
    confirmation = await p.message.answer(text)
    batch = await p.repo.outbox.batch(survey.batch_id) if survey.batch_id else None
    if batch is not None:
        # The progress goes to whoever published (an admin, perhaps), in their language.
        batch.sender_chat_id = p.user.telegram_id
        batch.progress_locale = p.i18n.locale
        batch.progress_message_id = confirmation.message_id
    await p.repo.session.commit()


STEPS = {
    Action.NEW: _new,
    Action.NO_INTRO: _no_intro,
    Action.DRAFT: _draft,
    Action.ADD: _add,
    Action.KIND: _kind,
    Action.SCALE: _scale,
    Action.NO_LABELS: _no_labels,
    Action.LIMIT: _limit,
    Action.OTHER: _other,
    Action.REQUIRED: _required,
    Action.QUESTION: _question,
    Action.EDIT_TEXT: _edit_text,
    Action.EDIT_EXTRA: _edit_extra,
    Action.TOGGLE_REQUIRED: _toggle_required,
    Action.TOGGLE_OTHER: _toggle_other,
    Action.UP: _move,
    Action.DOWN: _move,
    Action.DELETE: _delete,
    Action.DELETE_YES: _delete_yes,
    Action.PUBLISH: _publish,
    Action.EVERYONE: _audience,
    Action.AUDIENCE: _audience,
    Action.NEXT: _next,
    Action.NOW: _now,
    Action.CLOSE_IN: _close_in,
    Action.MIN_GROUP: _cycle,
    Action.REMINDERS: _cycle,
    Action.CONFIRM: _confirm,
}
