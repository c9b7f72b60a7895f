"""/new_survey: a methodist's, coordinator's or admin's anonymous survey, built from a phone.

A blank survey (title, introduction) or one of the ready templates becomes a draft; its
editor is one message edited in place: the questions with their kind, each with its own
view (text, options or scale or length, required, "other", order, delete). Adding a
question asks its kind, its text and what the kind needs (handlers/survey_build_questions.py).
Publishing asks the audience, when it opens and closes, then shows a summary with the
number of recipients, the minimum group and the reminders before anything goes out
(handlers/survey_build_publish.py). The steps and buttons are declared below, on the
dialog engine (handlers/dialog.py); the editor and a question's view are in
handlers/survey_build_views.py."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.callbacks import SurveyBuildCallback
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers import survey_build_publish as publishing
from handlers import survey_build_questions as questions
from handlers.common import show
from handlers.dialog import Button, Dialog, Step, Turn
from handlers.survey_build_views import (
    Action,
    SurveyBuildForm,
    check,
    data,
    editor,
    guard,
    same_survey,
    say,
    skip,
    yes_no,
)
from storage.errors import InvalidState
from storage.models import User
from storage.repositories import Repo
from storage.repositories.surveys import (
    INTRO_MAX,
    OPTION_MAX,
    OPTIONS_MAX,
    TEXT_LIMIT_MAX,
    TITLE_MAX,
)
from storage.survey_templates import TEMPLATES, template


def setup() -> Router:
    router = Router(name="survey-builder")
    router.message.register(cmd_new_survey, Command("new_survey"))
    router.include_router(DIALOG.router())
    return router


async def cmd_new_survey(
    message: Message, repo: Repo, user: User, i18n: Translator, state: FSMContext
) -> None:
    check(repo, user)
    await state.clear()
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("survey-build-blank-button"), callback_data=data(Action.NEW))
    for key in TEMPLATES:
        builder.button(
            text=i18n("survey-build-template-button", title=i18n(f"survey-template-{key}-title")),
            callback_data=data(Action.NEW, template=key),
        )
    builder.adjust(1)
    await message.answer(i18n("survey-build-ask-start"), reply_markup=builder.as_markup())


async def _new(turn: Turn) -> None:
    if not turn.data.template:
        await turn.state.set_data({})
        await turn.go(SurveyBuildForm.title, edit=True)
        return
    if turn.data.template not in TEMPLATES:
        raise InvalidState("error-stale-button")
    await turn.end()
    draft = await turn.repo.surveys.from_template(
        turn.user, template(turn.data.template, turn.i18n)
    )
    await show(turn.pressed, *editor(turn.i18n, draft))


async def _title(turn: Turn, text: str) -> str:
    title = " ".join(text.split())
    if title.startswith("/") or not 3 <= len(title) <= TITLE_MAX:
        raise InvalidState("survey-title-length", max=TITLE_MAX)
    return title


async def _intro(turn: Turn, text: str) -> None:
    intro = text.strip()
    if intro.startswith("/") or len(intro) > INTRO_MAX:
        raise InvalidState("survey-intro-length", max=INTRO_MAX)
    await _create(turn, intro)


async def _no_intro(turn: Turn) -> None:
    await _create(turn, "")


async def _create(turn: Turn, intro: str) -> None:
    draft = await turn.repo.surveys.create(turn.user, (await turn.form())["title"], intro)
    await turn.end()
    await show(turn.callback or turn.event, *editor(turn.i18n, draft))


async def _draft(turn: Turn) -> None:
    await turn.end()
    await show(turn.pressed, *editor(turn.i18n, turn.subject))


Form, q, pub = SurveyBuildForm, questions, publishing
DIALOG = Dialog(
    "survey-builder",
    SurveyBuildCallback,
    steps=[
        Step(
            Form.title,
            "survey-build-ask-title",
            args={"max": TITLE_MAX},
            read=_title,
            into="title",
            then=Form.intro,
        ),
        Step(
            Form.intro,
            "survey-build-ask-intro",
            args={"max": str(INTRO_MAX)},
            keyboard=skip(Action.NO_INTRO),
            read=_intro,
        ),
        Step(Form.question, q.ask_question, read=q.read_question),
        Step(Form.scale, "survey-build-ask-scale", keyboard=q.scale_buttons),
        Step(
            Form.labels,
            "survey-build-ask-labels",
            keyboard=skip(Action.NO_LABELS),
            read=q.read_labels,
        ),
        Step(
            Form.options,
            "survey-build-ask-options",
            args={"count": OPTIONS_MAX, "max": OPTION_MAX},
            read=q.read_options,
        ),
        Step(
            Form.other,
            "survey-build-ask-other",
            keyboard=yes_no(Action.OTHER, ("survey-build-other-yes", "survey-build-other-no")),
        ),
        Step(
            Form.limit,
            "survey-build-ask-limit",
            args={"max": str(TEXT_LIMIT_MAX)},
            keyboard=q.default_limit,
            read=q.read_limit,
        ),
        Step(
            Form.required,
            "survey-build-ask-required",
            keyboard=yes_no(
                Action.REQUIRED, ("survey-build-required-yes", "survey-build-required-no")
            ),
        ),
        Step(Form.audience, pub.audience_view),
        Step(
            Form.opens,
            "survey-build-ask-opens",
            args=pub.zone,
            keyboard=pub.now_button,
            read=pub.read_moment,
            into="opens",
            then=Form.closes,
        ),
        Step(
            Form.closes,
            "survey-build-ask-closes",
            keyboard=pub.close_buttons,
            read=pub.read_closes,
            into="closes",
            then=Form.confirm,
        ),
        Step(Form.confirm, pub.summary),
    ],
    buttons={
        Action.NEW: Button(_new),
        Action.NO_INTRO: Button(_no_intro, Form.intro),
        Action.DRAFT: Button(_draft),
        Action.ADD: Button(q.add),
        Action.KIND: Button(q.kind),
        Action.SCALE: Button(q.scale, Form.scale),
        Action.NO_LABELS: Button(q.no_labels, Form.labels),
        Action.LIMIT: Button(q.limit, Form.limit),
        Action.OTHER: Button(q.other, Form.other),
        Action.REQUIRED: Button(q.required, Form.required),
        Action.QUESTION: Button(q.question),
        Action.EDIT_TEXT: Button(q.edit_text),
        Action.EDIT_EXTRA: Button(q.edit_extra),
        Action.TOGGLE_REQUIRED: Button(q.toggle_required),
        Action.TOGGLE_OTHER: Button(q.toggle_other),
        Action.UP: Button(q.move),
        Action.DOWN: Button(q.move),
        Action.DELETE: Button(q.delete),
        Action.DELETE_YES: Button(q.delete_yes),
        Action.PUBLISH: Button(pub.publish),
        Action.EVERYONE: Button(pub.audience, Form.audience),
        Action.AUDIENCE: Button(pub.audience, Form.audience),
        Action.NEXT: Button(pub.next_, Form.audience),
        Action.NOW: Button(pub.now, Form.opens),
        Action.CLOSE_IN: Button(pub.close_in, Form.closes),
        Action.MIN_GROUP: Button(pub.cycle, Form.confirm),
        Action.REMINDERS: Button(pub.cycle, Form.confirm),
        Action.CONFIRM: Button(pub.confirm, Form.confirm),
    },
    guard=guard,
    same=same_survey,
    say=say,
)

__all__ = ["SurveyBuildForm", "editor", "setup"]
