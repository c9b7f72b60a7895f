"""The survey builder's shared pieces: its steps, limits, callback data and small keyboards,
the draft's editor and a question's view (both edited in place)."""

import re

from aiogram import html
from aiogram.fsm.state import State, StatesGroup

from bot.callbacks import (
    SurveyAnswerAction,
    SurveyAnswerCallback,
    SurveyBuildAction,
    SurveyBuildCallback,
)
from bot.i18n import Html, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.dialog import Turn
from storage.enums import QuestionKind, SurveyStatus
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.models import Survey, SurveyQuestion, User
from storage.repositories import Repo
from storage.repositories.surveys import QUESTIONS_MAX

Action = SurveyBuildAction
LABEL_MAX = 40  # the repository keeps a scale's end labels this short
LIMIT_DEFAULT = 1000
# Editor lines stay short so that thirty questions still fit in one Telegram message.
LINE_TEXT_MAX = 70
BUTTON_TEXT_MAX = 40
INTRO_SHOWN_MAX = 300
DASH = re.compile(r"\s*[—–]\s*|\s+-\s+")

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


# --- every turn ------------------------------------------------------------------------------


def check(repo: Repo, user: User) -> None:
    if not repo.surveys.can_run(user):
        raise PermissionDenied()


async def guard(turn: Turn) -> bool:
    """Every turn: the role may have been revoked, and only the owner or an admin edits. A
    typed step's draft published meanwhile (another device, an admin) ends the dialog and
    says why."""
    check(turn.repo, turn.user)
    if turn.callback is not None:
        if turn.data.action not in (Action.NEW, Action.NO_INTRO):
            turn.subject = await turn.repo.surveys.owned(turn.data.survey_id, turn.user)
        return True
    form = await turn.form()
    if "survey_id" not in form:
        return True
    turn.subject = await turn.repo.surveys.owned(form["survey_id"], turn.user)
    if turn.subject.status is not SurveyStatus.DRAFT:
        await turn.end()
        await turn.message.answer(turn.i18n("survey-not-draft"))
        return False
    return True


def same_survey(turn: Turn, form: dict) -> bool:
    """A step's button belongs to the dialog of the survey it names."""
    return turn.subject is None or form.get("survey_id") == turn.subject.id


def draft_only(survey: Survey) -> None:
    if survey.status is not SurveyStatus.DRAFT:
        raise InvalidState("survey-not-draft")


async def question_of(repo: Repo, survey: Survey, question_id: int) -> SurveyQuestion:
    question = await repo.surveys.question(question_id)
    if question.survey_id != survey.id:
        raise NotFound("survey-question-not-found")
    return question


def say(i18n: Translator, error: InvalidState) -> str:
    """A refusal in the user's words; limits as plain digits ("4000", not "4 000")."""
    args = {k: str(v) if isinstance(v, int) else v for k, v in error.args_for_text.items()}
    return i18n(error.key, **args)


def short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def data(
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


def kind_text(i18n: Translator, question: SurveyQuestion) -> str:
    if question.kind is QuestionKind.SCALE:
        return i18n("survey-build-kind-scale", max=question.scale_max)
    return i18n(KIND_TEXT[question.kind])


def skip(action: Action):
    """A step's "Skip" button, for the survey of the turn (none yet: the introduction)."""

    def keyboard(turn: Turn):
        builder = InlineKeyboardBuilder()
        builder.button(
            text=turn.i18n("survey-build-skip-button"),
            callback_data=data(action, turn.subject.id if turn.subject else 0),
        )
        return builder.as_markup()

    return keyboard


def yes_no(action: Action, labels: tuple[str, str]):
    """Two buttons: the first answers yes, the second no."""

    def keyboard(turn: Turn):
        builder = InlineKeyboardBuilder()
        for label, yes in zip(labels, (True, False), strict=True):
            builder.button(
                text=turn.i18n(label), callback_data=data(action, turn.subject.id, yes=yes)
            )
        return builder.as_markup()

    return keyboard


# --- the editor and a question's view --------------------------------------------------------


def editor(i18n: Translator, survey: Survey):
    """The draft as its owner sees it; a published survey's questions are shown, not edited."""
    draft = survey.status is SurveyStatus.DRAFT
    lines = [i18n("survey-build-editor", title=survey.title)]
    if survey.intro:
        lines.append(html.quote(short(survey.intro, INTRO_SHOWN_MAX)))
    lines.append("")
    lines.append(i18n("survey-build-editor-count", count=len(survey.questions)))
    for question in survey.questions:
        lines.append(
            i18n(
                "survey-build-question-line",
                number=question.position + 1,
                text=short(question.text, LINE_TEXT_MAX),
                kind=Html(kind_text(i18n, question)),
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
                text=f"{question.position + 1}. {short(question.text, BUTTON_TEXT_MAX)}",
                callback_data=data(Action.QUESTION, survey.id, question.id),
            )
            sizes.append(1)
        if len(survey.questions) < QUESTIONS_MAX:
            builder.button(
                text=i18n("survey-build-add-button"), callback_data=data(Action.ADD, survey.id)
            )
            sizes.append(1)
    builder.button(
        text=i18n("survey-build-preview-button"),
        callback_data=SurveyAnswerCallback(action=SurveyAnswerAction.PREVIEW, survey_id=survey.id),
    )
    if draft:
        builder.button(
            text=i18n("survey-build-publish-button"), callback_data=data(Action.PUBLISH, survey.id)
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
        i18n("survey-build-view-kind", kind=Html(kind_text(i18n, question))),
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

    def own(action: Action):
        return data(action, survey.id, question.id)

    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("survey-build-edit-text-button"), callback_data=own(Action.EDIT_TEXT))
    builder.button(text=i18n(EXTRA_BUTTON[question.kind]), callback_data=own(Action.EDIT_EXTRA))
    builder.button(
        text=i18n("survey-build-required-button", on=required),
        callback_data=own(Action.TOGGLE_REQUIRED),
    )
    if question.kind is QuestionKind.MULTIPLE:
        builder.button(
            text=i18n("survey-build-other-button", on="yes" if question.allow_other else "no"),
            callback_data=own(Action.TOGGLE_OTHER),
        )
    # Only the moves there is room for: "up" on the first question would change nothing.
    moves = 0
    if question.position > 0:
        builder.button(text=i18n("survey-build-up-button"), callback_data=own(Action.UP))
        moves += 1
    if question.position < len(survey.questions) - 1:
        builder.button(text=i18n("survey-build-down-button"), callback_data=own(Action.DOWN))
        moves += 1
    builder.button(text=i18n("survey-build-delete-button"), callback_data=own(Action.DELETE))
    builder.button(
        text=i18n("survey-build-back-button"), callback_data=data(Action.DRAFT, survey.id)
    )
    toggles = 2 if question.kind is QuestionKind.MULTIPLE else 1
    builder.adjust(2, toggles, *([moves] if moves else []), 1, 1)
    return "\n".join(lines), builder.as_markup()
