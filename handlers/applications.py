"""Applying to create a community (seed 001 §3.1.4) and the coordinators' decision."""

from dataclasses import dataclass

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardButton, Message

from bot.callbacks import (
    ApplicationCallback,
    ApplicationFormAction,
    ApplicationFormCallback,
    CommunityAction,
    CommunityCallback,
    DecisionAction,
)
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import mark_decided, pressed_message, show
from notices.after_commit import AfterCommit
from notices.direct import notify
from notices.moderators import decision_keyboard
from notices.texts import person
from storage import policy
from storage.enums import GlobalRole, JoinPolicy
from storage.errors import InvalidState, PermissionDenied
from storage.models import Community, User
from storage.repositories import Repo
from storage.repositories.communities import Application


class ApplicationForm(StatesGroup):
    title = State()
    area = State()
    description = State()
    problem = State()
    expected_result = State()
    term = State()
    initial_participants = State()
    join_policy = State()
    confirm = State()


@dataclass(frozen=True, slots=True)
class Step:
    state: State
    field: str
    min_length: int
    max_length: int
    optional: bool = False


TEXT_STEPS = (
    Step(ApplicationForm.title, "title", 3, 120),
    Step(ApplicationForm.area, "area", 3, 200),
    Step(ApplicationForm.description, "description", 0, 2000, optional=True),
    Step(ApplicationForm.problem, "problem", 10, 2000),
    Step(ApplicationForm.expected_result, "expected_result", 10, 2000),
    Step(ApplicationForm.term, "term", 2, 200),
    Step(ApplicationForm.initial_participants, "initial_participants", 3, 2000),
)
STEP_BY_STATE = {step.state.state: index for index, step in enumerate(TEXT_STEPS)}


def setup() -> Router:
    router = Router(name="applications")
    router.callback_query.register(
        cq_apply, CommunityCallback.filter(F.action == CommunityAction.APPLY)
    )
    router.message.register(cmd_apply, Command("apply"))
    router.message.register(cmd_applications, Command("applications"))
    router.message.register(on_step_text, StateFilter(*(step.state for step in TEXT_STEPS)), F.text)
    router.callback_query.register(
        cq_skip, ApplicationFormCallback.filter(F.action == ApplicationFormAction.SKIP)
    )
    router.callback_query.register(
        cq_back, ApplicationFormCallback.filter(F.action == ApplicationFormAction.BACK)
    )
    router.callback_query.register(
        cq_cancel, ApplicationFormCallback.filter(F.action == ApplicationFormAction.CANCEL)
    )
    router.callback_query.register(
        cq_policy,
        ApplicationForm.join_policy,
        ApplicationFormCallback.filter(F.action == ApplicationFormAction.POLICY),
    )
    router.callback_query.register(
        cq_submit,
        ApplicationForm.confirm,
        ApplicationFormCallback.filter(F.action == ApplicationFormAction.SUBMIT),
    )
    router.callback_query.register(cq_stale, ApplicationFormCallback.filter())
    router.message.register(on_text_instead_of_buttons, ApplicationForm.join_policy)
    router.message.register(on_text_instead_of_buttons, ApplicationForm.confirm)
    router.callback_query.register(cq_decision, ApplicationCallback.filter())
    return router


def _nav(i18n: Translator, *, skip: bool = False, back: bool = True):
    builder = InlineKeyboardBuilder()
    if skip:
        builder.button(
            text=i18n("button-skip"),
            callback_data=ApplicationFormCallback(action=ApplicationFormAction.SKIP),
        )
    if back:
        builder.button(
            text=i18n("button-back"),
            callback_data=ApplicationFormCallback(action=ApplicationFormAction.BACK),
        )
    builder.button(
        text=i18n("button-cancel"),
        callback_data=ApplicationFormCallback(action=ApplicationFormAction.CANCEL),
    )
    builder.adjust(1 if skip else 2, 2)
    return builder.as_markup()


async def _ask(
    event: Message | InaccessibleMessage | CallbackQuery,
    state: FSMContext,
    i18n: Translator,
    index: int,
) -> None:
    if index < len(TEXT_STEPS):
        step = TEXT_STEPS[index]
        await state.set_state(step.state)
        text = i18n(
            f"apply-ask-{step.field.replace('_', '-')}", step=index + 1, steps=len(TEXT_STEPS) + 1
        )
        markup = _nav(i18n, skip=step.optional, back=index > 0)
    elif index == len(TEXT_STEPS):
        await state.set_state(ApplicationForm.join_policy)
        builder = InlineKeyboardBuilder()
        for join_policy in JoinPolicy:
            builder.button(
                text=i18n(f"community-policy-{join_policy.value}-button"),
                callback_data=ApplicationFormCallback(
                    action=ApplicationFormAction.POLICY, join_policy=join_policy
                ),
            )
        builder.adjust(1)
        builder.row(*_nav(i18n).inline_keyboard[0])
        text, markup = (
            i18n("apply-ask-policy", step=index + 1, steps=index + 1),
            builder.as_markup(),
        )
    else:
        await state.set_state(ApplicationForm.confirm)
        data = await state.get_data()
        builder = InlineKeyboardBuilder()
        builder.button(
            text=i18n("apply-submit"),
            callback_data=ApplicationFormCallback(action=ApplicationFormAction.SUBMIT),
        )
        builder.row(*_nav(i18n).inline_keyboard[0])
        text = i18n("apply-preview") + "\n\n" + render_application(i18n, _application(data))
        markup = builder.as_markup()
    if isinstance(event, CallbackQuery):
        await show(event, text, markup)
    else:
        await event.answer(text, reply_markup=markup)


def _application(data: dict) -> Application:
    return Application(
        title=data["title"],
        area=data["area"],
        description=data.get("description", ""),
        problem=data["problem"],
        expected_result=data["expected_result"],
        term=data["term"],
        initial_participants=data["initial_participants"],
        join_policy=JoinPolicy(data.get("join_policy", JoinPolicy.OPEN.value)),
    )


def render_application(i18n: Translator, application: Application | Community) -> str:
    return i18n(
        "apply-summary",
        title=application.title,
        area=application.area,
        description=application.description or "—",
        problem=application.problem,
        expected_result=application.expected_result,
        term=application.term,
        participants=application.initial_participants,
        policy=i18n(f"community-policy-{application.join_policy.value}"),
    )


async def cmd_apply(message: Message, state: FSMContext, user: User, i18n: Translator) -> None:
    await _start(message, state, user, i18n)


async def cq_apply(
    callback: CallbackQuery, state: FSMContext, user: User, i18n: Translator
) -> None:
    await _start(callback, state, user, i18n)


async def _start(
    event: Message | CallbackQuery, state: FSMContext, user: User, i18n: Translator
) -> None:
    if not user.full_name:
        target = pressed_message(event) if isinstance(event, CallbackQuery) else event
        await target.answer(i18n("community-profile-needed"))
        return
    await state.set_data({})
    intro = i18n("apply-intro")
    target = pressed_message(event) if isinstance(event, CallbackQuery) else event
    await target.answer(intro)
    await _ask(target, state, i18n, 0)


async def on_step_text(message: Message, state: FSMContext, i18n: Translator) -> None:
    index = STEP_BY_STATE[await state.get_state()]
    step = TEXT_STEPS[index]
    value = (message.text or "").strip()
    if value.startswith("/"):
        await message.answer(i18n("apply-command-in-form"))
        return
    if not (step.min_length <= len(value) <= step.max_length):
        await message.answer(
            i18n(
                "apply-length-invalid", min=step.min_length, max=step.max_length, length=len(value)
            )
        )
        return
    await state.update_data({step.field: value})
    await _ask(message, state, i18n, index + 1)


async def cq_skip(callback: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    index = STEP_BY_STATE.get(await state.get_state() or "")
    if index is None or not TEXT_STEPS[index].optional:
        await cq_stale(callback, i18n)
        return
    await state.update_data({TEXT_STEPS[index].field: ""})
    await _ask(callback, state, i18n, index + 1)


async def cq_back(callback: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    current = await state.get_state()
    if current in STEP_BY_STATE:
        index = STEP_BY_STATE[current]
    elif current == ApplicationForm.join_policy.state:
        index = len(TEXT_STEPS)
    elif current == ApplicationForm.confirm.state:
        index = len(TEXT_STEPS) + 1
    else:
        await cq_stale(callback, i18n)
        return
    await _ask(callback, state, i18n, max(index - 1, 0))


async def cq_cancel(callback: CallbackQuery, state: FSMContext, i18n: Translator) -> None:
    await state.clear()
    await show(callback, i18n("apply-cancelled"))


async def cq_policy(
    callback: CallbackQuery,
    callback_data: ApplicationFormCallback,
    state: FSMContext,
    i18n: Translator,
) -> None:
    if callback_data.join_policy is None:
        await cq_stale(callback, i18n)
        return
    await state.update_data(join_policy=callback_data.join_policy.value)
    await _ask(callback, state, i18n, len(TEXT_STEPS) + 1)


async def cq_submit(
    callback: CallbackQuery,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
) -> None:
    community = await repo.communities.apply(user, _application(await state.get_data()))
    await state.clear()
    await show(callback, i18n("apply-submitted", title=community.title))
    reviewers = await repo.users.with_role(GlobalRole.ADMIN, GlobalRole.COORDINATOR)
    for reviewer in reviewers:  # after the commit: a reviewer may decide at once
        after_commit(_send_for_review, bot, i18n_hub, reviewer, user, community)


async def _send_for_review(
    bot: Bot, i18n_hub: I18n, reviewer: User, applicant: User | None, community: Community
) -> None:
    t = i18n_hub.for_user(reviewer)
    text = (
        t("apply-review-notice", name=person(t, applicant))
        + "\n\n"
        + render_application(t, community)
    )
    markup = decision_keyboard(
        t, lambda action: ApplicationCallback(action=action, community_id=community.id)
    )
    await notify(bot, reviewer.telegram_id, text, reply_markup=markup)


async def cmd_applications(
    message: Message, user: User, repo: Repo, i18n: Translator, i18n_hub: I18n, bot: Bot
) -> None:
    """Pending applications again, for a reviewer who missed the notices."""
    if not policy.can_review_applications(user):
        raise PermissionDenied()
    pending = await repo.communities.pending_applications()
    if not pending:
        await message.answer(i18n("apply-none-pending"))
        return
    await message.answer(i18n("apply-pending-count", count=len(pending)))
    for community in pending:
        applicant = (
            await repo.users.get(community.created_by_id) if community.created_by_id else None
        )
        await _send_for_review(bot, i18n_hub, user, applicant, community)


async def cq_decision(
    callback: CallbackQuery,
    callback_data: ApplicationCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
) -> None:
    approve = callback_data.action is DecisionAction.APPROVE
    community = await repo.communities.decide_application(
        callback_data.community_id, user, approve=approve
    )
    await mark_decided(callback, i18n, user, approve)
    applicant = await repo.users.get(community.created_by_id) if community.created_by_id else None
    if applicant is not None and applicant.has_consent:
        t = i18n_hub.for_user(applicant)
        markup = None
        if approve:
            markup = InlineKeyboardBuilder(
                [
                    [
                        InlineKeyboardButton(
                            text=t("apply-open-community"),
                            callback_data=CommunityCallback(
                                action=CommunityAction.CARD, community_id=community.id
                            ).pack(),
                        )
                    ]
                ]
            ).as_markup()
        key = "apply-approved" if approve else "apply-declined"
        text = t(key, title=community.title)
        after_commit(notify, bot, applicant.telegram_id, text, reply_markup=markup)


async def cq_stale(callback: CallbackQuery, i18n: Translator) -> None:
    raise InvalidState("error-stale-button")


async def on_text_instead_of_buttons(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("use-buttons"))
