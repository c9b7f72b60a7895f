"""Answering an anonymous survey, and its owner's preview.

"📝 Take the survey" (on the invitation and the reminders) shows the introduction once,
then one question per message, edited in place as the respondent goes on: scale buttons,
one button per option, toggles with "Done" (and "Other…"), or a free-text reply; "Back"
and, for optional questions, "Skip". Every answer goes into the respondent's
``SurveyProgress`` at once, so leaving and pressing the button again resumes at the same
question with the earlier answers kept. After the last question a summary offers
"Submit", which stores the response anonymously and forgets the progress. The progress
and the submitted response are sealed (storage/sealing.py); responses reach the results in
batches of at least the survey's minimum group (docs/privacy.md).

Free text passes the conduct code only to hide pupils' personal data; nothing is
refused and no hit is recorded, since a record would tie the text to its author.

The preview walks a draft through the same rendering code with the answers in the FSM
data: nothing reaches the database. The FSM state itself says only what a message means
now (a button answer is expected, or a text), keyed with the survey.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from aiogram import F, Router, html
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import SurveyAnswerAction, SurveyAnswerCallback, SurveyInvitationV1
from bot.conduct import ConductBook
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import bot_of, show
from moderation.rules import Category
from notices.after_commit import AfterCommit
from storage.enums import QuestionKind
from storage.errors import DomainError, InvalidState
from storage.models import Survey, SurveyProgress, SurveyQuestion, User
from storage.repositories import Repo
from storage.repositories.surveys import OPTION_MAX, with_answer

Action = SurveyAnswerAction
STEP_ACTIONS = {
    Action.BEGIN,
    Action.NUMBER,
    Action.CHOOSE,
    Action.TOGGLE,
    Action.OTHER,
    Action.DONE,
    Action.KEEP,
    Action.SKIP,
    Action.BACK,
    Action.SUBMIT,
}
OTHER_LABEL_MAX = 30
OPENING, CLOSING = '«"“(', '»"”)'


class Answering(StatesGroup):
    choosing = State()  # a button answer is expected (a question's buttons or the summary)
    writing = State()  # a free-text answer, or a multiple choice's "other"


def setup() -> Router:
    router = Router(name="survey-answer")
    router.callback_query.register(cq_survey_answer, SurveyAnswerCallback.filter())
    router.callback_query.register(cq_invitation_v1, SurveyInvitationV1.filter(F.action == "take"))
    router.message.register(on_answer_text, Answering.writing, F.text)
    router.message.register(on_answer_not_text, Answering.writing)
    router.message.register(on_message_while_choosing, Answering.choosing)
    return router


# --- where a respondent stands --------------------------------------------------------------


class Walk(ABC):
    """A respondent's way through the questions: stored progress, or a preview's FSM data.
    Both render and validate alike; only where the answers live differs."""

    preview: bool
    survey: Survey

    @property
    @abstractmethod
    def position(self) -> int: ...

    @property
    @abstractmethod
    def answers(self) -> dict[str, dict]: ...

    @abstractmethod
    async def keep(self, question: SurveyQuestion, value: dict | None) -> None: ...

    @abstractmethod
    async def move(self, position: int) -> None: ...

    @property
    def questions(self) -> list[SurveyQuestion]:
        return list(self.survey.questions)

    @property
    def current(self) -> SurveyQuestion | None:
        """The question on screen; None at the summary."""
        questions = self.questions
        position = min(max(self.position, 0), len(questions))
        return questions[position] if position < len(questions) else None

    def answer(self, question: SurveyQuestion) -> dict | None:
        return self.answers.get(str(question.id))


class StoredWalk(Walk):
    preview = False

    def __init__(self, repo: Repo, survey: Survey, progress: SurveyProgress):
        self._repo = repo
        self.survey = survey
        self.progress = progress
        self._answers: dict[str, dict] | None = None  # opened once per update, not per question

    @property
    def position(self) -> int:
        return self.progress.position

    @property
    def answers(self) -> dict[str, dict]:
        if self._answers is None:
            self._answers = self._repo.surveys.answers_of(self.progress)
        return dict(self._answers)

    async def keep(self, question: SurveyQuestion, value: dict | None) -> None:
        await self._repo.surveys.keep(self.progress, question, value)
        self._answers = None  # sealed anew

    async def move(self, position: int) -> None:
        await self._repo.surveys.move(self.progress, position)


class PreviewWalk(Walk):
    """The owner's preview: the same checks as ``SurveyRepo.keep`` (``with_answer``), kept in
    FSM data only."""

    preview = True

    def __init__(self, survey: Survey, state: FSMContext, data: dict):
        self.survey = survey
        self._state = state
        self._position = int(data.get("position", 0))
        self._answers = dict(data.get("answers", {}))

    @property
    def position(self) -> int:
        return self._position

    @property
    def answers(self) -> dict[str, dict]:
        return dict(self._answers)

    async def keep(self, question: SurveyQuestion, value: dict | None) -> None:
        self._answers = with_answer(self._answers, question, value)
        await self._state.update_data(answers=self._answers)

    async def move(self, position: int) -> None:
        self._position = position
        await self._state.update_data(position=position)


async def _stored_walk(repo: Repo, user: User, survey_id: int) -> StoredWalk:
    """Every press re-checks: open, invited, not answered yet."""
    survey = await repo.surveys.get(survey_id)
    progress = await repo.surveys.start(survey, user)
    return StoredWalk(repo, survey, progress)


async def _preview_walk(repo: Repo, user: User, state: FSMContext, survey_id: int) -> PreviewWalk:
    survey = await repo.surveys.owned(survey_id, user)  # every press: the owner only
    data = await state.get_data()
    if not data.get("preview") or data.get("survey_id") != survey_id:
        raise InvalidState("error-stale-button")
    return PreviewWalk(survey, state, data)


# --- callback values ------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A step button's data: preview or not, the question, an argument."""

    preview: bool
    question_id: int
    arg: int = 0


def _data(action: Action, walk: Walk, question: SurveyQuestion | None, arg: int = 0):
    step = Step(walk.preview, question.id if question else 0, arg)
    return SurveyAnswerCallback(
        action=action,
        survey_id=walk.survey.id,
        preview=step.preview,
        question_id=step.question_id,
        arg=step.arg,
    )


# --- rendering (the same for respondents and the preview) -------------------------------------


def _other_bit(question: SurveyQuestion) -> int:
    return 1 << len(question.options)


def _mask_of(question: SurveyQuestion, answer: dict | None) -> int:
    """The ticks a multiple choice starts with: the saved choices, and "other" if written."""
    if not answer:
        return 0
    mask = 0
    for index, option in enumerate(question.options):
        if option in answer.get("choices", []):
            mask |= 1 << index
    if answer.get("text"):
        mask |= _other_bit(question)
    return mask


def _choices(question: SurveyQuestion, mask: int) -> list[str]:
    return [option for index, option in enumerate(question.options) if mask & (1 << index)]


def _saved_other(walk: Walk, question: SurveyQuestion) -> str:
    return (walk.answer(question) or {}).get("text", "") if question.allow_other else ""


def render_intro(walk: Walk, i18n: Translator) -> tuple[str, InlineKeyboardMarkup]:
    survey = walk.survey
    lines = []
    if walk.preview:
        lines.append(i18n("survey-answer-preview-note"))
    lines.append(i18n("survey-answer-intro-title", title=survey.title))
    if survey.intro:
        lines.append(html.quote(survey.intro))
    lines.append(i18n("survey-answer-intro-note", count=len(survey.questions)))
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("survey-answer-begin-button"), callback_data=_data(Action.BEGIN, walk, None)
    )
    return "\n\n".join(lines), builder.as_markup()


def render_question(
    walk: Walk, question: SurveyQuestion, i18n: Translator, mask: int | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    answer = walk.answer(question)
    total = len(walk.questions)
    lines = [
        i18n("survey-answer-progress", number=str(question.position + 1), total=str(total)),
        i18n("survey-answer-question", text=question.text),
    ]
    if not question.required:
        lines.append(i18n("survey-answer-optional"))
    builder = InlineKeyboardBuilder()
    rows: list[int] = []
    kind = question.kind
    if kind is QuestionKind.SCALE:
        lines.append(i18n("survey-answer-scale-hint", max=str(question.scale_max)))
        if question.scale_labels:
            low, high = question.scale_labels
            lines.append(
                i18n("survey-answer-scale-labels", low=low, high=high, max=str(question.scale_max))
            )
        chosen = (answer or {}).get("number")
        for number in range(1, question.scale_max + 1):
            label = f"✅ {number}" if number == chosen else str(number)
            builder.button(text=label, callback_data=_data(Action.NUMBER, walk, question, number))
        rows += [5] * (question.scale_max // 5)
    elif kind is QuestionKind.SINGLE:
        lines.append(i18n("survey-answer-single-hint"))
        chosen = (answer or {}).get("choices", [])
        for index, option in enumerate(question.options):
            label = f"✅ {option}" if option in chosen else option
            builder.button(text=label, callback_data=_data(Action.CHOOSE, walk, question, index))
        rows += [1] * len(question.options)
    elif kind is QuestionKind.MULTIPLE:
        lines.append(i18n("survey-answer-multiple-hint"))
        if mask is None:
            mask = _mask_of(question, answer)
        other = _saved_other(walk, question)
        other_on = bool(other) and bool(mask & _other_bit(question))
        for index, option in enumerate(question.options):
            bit = 1 << index
            label = ("✅ " if mask & bit else "▫️ ") + option
            builder.button(
                text=label, callback_data=_data(Action.TOGGLE, walk, question, mask ^ bit)
            )
        rows += [1] * len(question.options)
        if question.allow_other:
            if other_on:
                lines.append(i18n("survey-answer-other-shown", text=other))
                short = (
                    other if len(other) <= OTHER_LABEL_MAX else other[: OTHER_LABEL_MAX - 1] + "…"
                )
                builder.button(
                    text=i18n("survey-answer-other-chosen-button", text=short),
                    callback_data=_data(
                        Action.TOGGLE, walk, question, mask & ~_other_bit(question)
                    ),
                )
            else:
                builder.button(
                    text=i18n("survey-answer-other-button"),
                    callback_data=_data(Action.OTHER, walk, question, mask),
                )
            rows.append(1)
        builder.button(
            text=i18n("survey-answer-done-button"),
            callback_data=_data(Action.DONE, walk, question, mask),
        )
        rows.append(1)
    else:
        lines.append(i18n("survey-answer-text-hint", max=str(question.max_length)))
        if answer:
            lines.append(i18n("survey-answer-text-shown", text=answer["text"]))
            builder.button(
                text=i18n("survey-answer-keep-button"),
                callback_data=_data(Action.KEEP, walk, question),
            )
            rows.append(1)
    navigation = 0
    if question.position > 0:
        builder.button(
            text=i18n("survey-answer-back-button"), callback_data=_data(Action.BACK, walk, question)
        )
        navigation += 1
    if not question.required:
        builder.button(
            text=i18n("survey-answer-skip-button"), callback_data=_data(Action.SKIP, walk, question)
        )
        navigation += 1
    if navigation:
        rows.append(navigation)
    builder.adjust(*rows)
    return "\n".join(lines), builder.as_markup()


def render_summary(walk: Walk, i18n: Translator) -> tuple[str, InlineKeyboardMarkup]:
    questions = walk.questions
    answered = sum(1 for q in questions if walk.answer(q) is not None)
    text = i18n("survey-answer-summary", answered=answered, total=len(questions))
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("survey-answer-submit-button"), callback_data=_data(Action.SUBMIT, walk, None)
    )
    builder.button(
        text=i18n("survey-answer-back-button"), callback_data=_data(Action.BACK, walk, None)
    )
    builder.adjust(1)
    return text, builder.as_markup()


async def _show_step(
    target: Message | CallbackQuery,
    walk: Walk,
    i18n: Translator,
    state: FSMContext,
    *,
    mask: int | None = None,
    fresh: bool = False,
) -> None:
    """The question the walk stands at, or the summary; a press edits its message, a text
    answer gets a new one. The state says what the next message from the user means."""
    question = walk.current
    if question is None:
        text, markup = render_summary(walk, i18n)
    else:
        text, markup = render_question(walk, question, i18n, mask)
    writing = question is not None and question.kind is QuestionKind.TEXT
    await state.set_state(Answering.writing if writing else Answering.choosing)
    await state.update_data(
        survey_id=walk.survey.id,
        preview=walk.preview,
        question_id=question.id if question else 0,
        other=False,
    )
    if fresh and isinstance(target, CallbackQuery):
        await _say(target, text, markup)
    else:
        await show(target, text, markup)


async def _say(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None):
    """A new message below, whatever became of the pressed one (an invitation may be old)."""
    await bot_of(callback).send_message(callback.from_user.id, text, reply_markup=markup)


# --- presses ----------------------------------------------------------------------------------


async def cq_invitation_v1(
    callback: CallbackQuery, callback_data: SurveyInvitationV1, **data: Any
) -> None:
    """An invitation sent before the current button format: it opens the survey as ever."""
    take = SurveyAnswerCallback(action=Action.TAKE, survey_id=callback_data.survey_id)
    await cq_survey_answer(
        callback,
        take,
        data["repo"],
        data["user"],
        data["i18n"],
        data["state"],
        data["callback_answer"],
        data["after_commit"],
    )


async def cq_survey_answer(
    callback: CallbackQuery,
    callback_data: SurveyAnswerCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
    callback_answer,
    after_commit: AfterCommit,
) -> None:
    action = callback_data.action
    if action is Action.TAKE:
        walk: Walk = await _stored_walk(repo, user, callback_data.survey_id)
        await state.set_data({})
        await _begin(callback, walk, i18n, state)
        return
    if action is Action.PREVIEW:
        survey = await repo.surveys.owned(callback_data.survey_id, user)
        if not survey.questions:
            raise InvalidState("survey-no-questions")
        await state.set_data(
            {"preview": True, "survey_id": survey.id, "position": 0, "answers": {}}
        )
        await _begin(callback, PreviewWalk(survey, state, await state.get_data()), i18n, state)
        return
    if action not in STEP_ACTIONS:
        raise InvalidState("error-stale-button")
    step = Step(callback_data.preview, callback_data.question_id, callback_data.arg)
    if step.preview:
        walk = await _preview_walk(repo, user, state, callback_data.survey_id)
    else:
        walk = await _stored_walk(repo, user, callback_data.survey_id)
    question = walk.current
    if action is Action.BEGIN:
        await _show_step(callback, walk, i18n, state)
        return
    if step.question_id != (question.id if question else 0):
        raise InvalidState("error-stale-button")  # a question already left, on an older message
    if question is None:
        await _at_summary(callback, action, walk, repo, user, i18n, state, after_commit)
        return
    await _at_question(callback, action, step.arg, walk, question, i18n, state, callback_answer)


async def _begin(callback: CallbackQuery, walk: Walk, i18n: Translator, state: FSMContext) -> None:
    """A new message below the invitation: the introduction at first, else where they left."""
    if walk.position == 0 and not walk.answers:
        await state.set_state(Answering.choosing)
        await state.update_data(survey_id=walk.survey.id, preview=walk.preview, question_id=0)
        text, markup = render_intro(walk, i18n)
        await _say(callback, text, markup)
        return
    await _show_step(callback, walk, i18n, state, fresh=True)


async def _at_question(
    callback: CallbackQuery,
    action: Action,
    arg: int,
    walk: Walk,
    question: SurveyQuestion,
    i18n: Translator,
    state: FSMContext,
    callback_answer,
) -> None:
    kind = question.kind
    if action is Action.BACK:
        if question.position == 0:
            raise InvalidState("error-stale-button")
        await walk.move(question.position - 1)
    elif action is Action.SKIP:
        await walk.keep(question, None)  # a required question refuses
        await walk.move(question.position + 1)
    elif action is Action.NUMBER and kind is QuestionKind.SCALE:
        await walk.keep(question, {"number": arg})
        await walk.move(question.position + 1)
    elif action is Action.CHOOSE and kind is QuestionKind.SINGLE:
        if not 0 <= arg < len(question.options):
            raise InvalidState("error-stale-button")
        await walk.keep(question, {"choices": [question.options[arg]]})
        await walk.move(question.position + 1)
    elif action is Action.TOGGLE and kind is QuestionKind.MULTIPLE:
        await _show_step(callback, walk, i18n, state, mask=_checked_mask(question, arg))
        return
    elif action is Action.OTHER and kind is QuestionKind.MULTIPLE and question.allow_other:
        await state.set_state(Answering.writing)
        await state.update_data(
            survey_id=walk.survey.id,
            preview=walk.preview,
            question_id=question.id,
            other=True,
            mask=_checked_mask(question, arg),
        )
        await _say(callback, i18n("survey-answer-other-ask", max=str(OPTION_MAX)))
        return
    elif action is Action.DONE and kind is QuestionKind.MULTIPLE:
        mask = _checked_mask(question, arg)
        other = _saved_other(walk, question) if mask & _other_bit(question) else ""
        choices = _choices(question, mask)
        if not choices and not other:
            callback_answer.text = i18n("survey-answer-choose-one")
            callback_answer.show_alert = True
            return
        await walk.keep(question, {"choices": choices, "text": other})
        await walk.move(question.position + 1)
    elif action is Action.KEEP and kind is QuestionKind.TEXT and walk.answer(question):
        await walk.move(question.position + 1)
    else:
        raise InvalidState("error-stale-button")
    await _show_step(callback, walk, i18n, state)


def _checked_mask(question: SurveyQuestion, mask: int) -> int:
    if not 0 <= mask < _other_bit(question) << 1:
        raise InvalidState("error-stale-button")
    return mask


async def _at_summary(
    callback: CallbackQuery,
    action: Action,
    walk: Walk,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
    after_commit: AfterCommit,
) -> None:
    if action is Action.BACK:
        await walk.move(len(walk.questions) - 1)
        await _show_step(callback, walk, i18n, state)
        return
    if action is not Action.SUBMIT:
        raise InvalidState("error-stale-button")
    if isinstance(walk, PreviewWalk):
        await state.clear()
        await show(callback, i18n("survey-answer-preview-end"))
        return
    assert isinstance(walk, StoredWalk)
    release = await repo.surveys.submit(walk.survey, user, walk.progress)
    await state.clear()
    # After the commit: the thank-you must not promise what may roll back.
    after_commit(show, callback, i18n("survey-answer-thanks", title=walk.survey.title))
    if release.released:
        after_commit(repo.surveys.scrub)  # what the batch's rows left behind


# --- messages -------------------------------------------------------------------------------


async def on_answer_text(
    message: Message,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
    conduct: ConductBook,
) -> None:
    data = await state.get_data()
    walk = await _walk_of(repo, user, state, data)
    question = walk.current
    if question is None or question.id != data.get("question_id"):
        await _show_step(message, walk, i18n, state)  # moved on elsewhere: show where they are
        return
    # A command never gets here: MenuLeavesDialogs leaves the survey (it waits) and routes it.
    text = (message.text or "").strip()
    other = bool(data.get("other")) and question.kind is QuestionKind.MULTIPLE
    limit = OPTION_MAX if other else question.max_length
    if len(text) > limit:
        await message.answer(i18n("survey-answer-too-long", length=str(len(text)), max=str(limit)))
        return
    text = await mask_pupil_data(repo, conduct, i18n, text)
    try:
        if other:
            mask = _checked_mask(question, int(data.get("mask", 0)))
            await walk.keep(question, {"choices": _choices(question, mask), "text": text})
            await _show_step(message, walk, i18n, state, mask=mask | _other_bit(question))
            return
        await walk.keep(question, {"text": text})
    except InvalidState as error:  # the step stays
        await message.answer(i18n(error.key, **error.args_for_text))
        return
    await walk.move(question.position + 1)
    await _show_step(message, walk, i18n, state)


async def _walk_of(repo: Repo, user: User, state: FSMContext, data: dict) -> Walk:
    survey_id = int(data.get("survey_id", 0))
    try:
        if data.get("preview"):
            return await _preview_walk(repo, user, state, survey_id)
        return await _stored_walk(repo, user, survey_id)
    except DomainError:
        await state.clear()  # closed or answered meanwhile: stop reading texts as answers
        raise


async def on_answer_not_text(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("survey-answer-need-text"))


async def on_message_while_choosing(message: Message, state: FSMContext, i18n: Translator) -> None:
    data = await state.get_data()
    key = "survey-answer-use-buttons" if data.get("question_id") else "survey-answer-use-submit"
    await message.answer(i18n(key))


async def mask_pupil_data(repo: Repo, conduct: ConductBook, i18n: Translator, text: str) -> str:
    """Pupils' personal data masked with "[скрыто]", in the respondent's language; the
    verdict serves nothing else (no refusal, no recorded hit: a record would tie the text
    to its author)."""
    verdict = await conduct.check(repo, text)
    spans = sorted(
        (hit.start, hit.end)
        for hit in (*verdict.hits, *verdict.dry_run_hits)
        if hit.category == Category.PUPIL_DATA and hit.end > hit.start
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if end < len(text) and text[end] in CLOSING and any(q in text[start:end] for q in OPENING):
            end += 1  # the class's closing quote: 7 «Б» leaves no stray »
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    hidden = i18n("survey-answer-hidden")
    for start, end in reversed(merged):
        text = text[:start] + hidden + text[end:]
    return text
