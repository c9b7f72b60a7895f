"""Report deadlines (seed 004 §5.4): coordinators and admins set the dates by which the
network's coordinators owe reports (/new_deadline, a dialog with a preview); /deadlines
lists them with who has not submitted yet; coordinators mark their report as submitted,
on the card or on a reminder (the reminders are queued by scheduler.jobs).
"""

import re
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message

from bot.callbacks import DeadlineAction, DeadlineCallback, DeadlineReminderV1
from bot.config import Settings
from bot.dates import parse_date
from bot.i18n import Html, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import expect_step, pressed_message, show
from notices.deadlines import (
    date_text,
    days_left_text,
    reminder_moment,
    submit_markup,
)
from notices.texts import person
from storage.errors import InvalidState, PermissionDenied
from storage.models import ReportDeadline, User
from storage.repositories import Repo
from storage.repositories.deadlines import (
    DEFAULT_OFFSETS,
    OFFSET_MAX,
    OFFSETS_MAX,
    is_coordinator,
    normalise_offsets,
    normalise_title,
    today_in,
)

DAY_ERRORS = ("deadline-date-format", "deadline-date-invalid", "deadline-date-past")
_NUMBER = re.compile(r"^\d{1,4}$")
PENDING_SHOWN = 30  # names listed on the card; the rest are counted


class DeadlineForm(StatesGroup):
    title = State()
    due_on = State()
    offsets = State()
    confirm = State()


def setup() -> Router:
    router = Router(name="deadlines")
    router.message.register(cmd_deadlines, Command("deadlines"))
    router.message.register(cmd_new_deadline, Command("new_deadline"))
    router.callback_query.register(cq_deadline, DeadlineCallback.filter())
    router.callback_query.register(
        cq_reminder_v1, DeadlineReminderV1.filter(F.action.in_({"sub", "unsub"}))
    )
    router.message.register(on_title, DeadlineForm.title, F.text)
    router.message.register(on_due_on, DeadlineForm.due_on, F.text)
    router.message.register(on_offsets, DeadlineForm.offsets, F.text)
    return router


# --- texts -------------------------------------------------------------------------------------


def offsets_text(i18n: Translator, offsets: list[int]) -> str:
    return ", ".join(
        i18n("deadline-offset-day-of") if days == 0 else i18n("deadline-offset-days", days=days)
        for days in offsets
    )


# --- the list and the card ---------------------------------------------------------------------


async def render_list(repo: Repo, i18n: Translator, settings: Settings):
    deadlines = await repo.deadlines.upcoming(zone_name=settings.time_zone)
    if not deadlines:
        return i18n("deadlines-none"), None
    builder = InlineKeyboardBuilder()
    for deadline in deadlines:
        builder.button(
            text=i18n("deadlines-item", date=date_text(deadline.due_on), title=deadline.title),
            callback_data=DeadlineCallback(action=DeadlineAction.OPEN, deadline_id=deadline.id),
        )
    builder.adjust(1)
    return i18n("deadlines-title", count=len(deadlines)), builder.as_markup()


async def render_card(
    repo: Repo, i18n: Translator, user: User, deadline: ReportDeadline, settings: Settings
):
    today = today_in(settings.time_zone, repo.clock())
    submitted = await repo.deadlines.submitted(deadline)
    pending = await repo.deadlines.pending(deadline)
    lines = [
        i18n("deadline-card-title", title=deadline.title),
        i18n(
            "deadline-card-date",
            date=date_text(deadline.due_on),
            left=Html(days_left_text(i18n, deadline.due_on, today)),
        ),
        i18n("deadline-card-offsets", offsets=offsets_text(i18n, deadline.offsets)),
        i18n("deadline-card-submitted", done=len(submitted), total=len(submitted) + len(pending)),
    ]
    if submitted:
        names = [person(i18n, row.user) for row in submitted[:PENDING_SHOWN]]
        lines.append(i18n("deadline-card-done", names=", ".join(names)))
        if len(submitted) > PENDING_SHOWN:
            lines.append(i18n("deadline-card-pending-more", count=len(submitted) - PENDING_SHOWN))
    if pending:
        names = [person(i18n, member) for member in pending[:PENDING_SHOWN]]
        lines.append(i18n("deadline-card-pending", names=", ".join(names)))
        if len(pending) > PENDING_SHOWN:
            lines.append(i18n("deadline-card-pending-more", count=len(pending) - PENDING_SHOWN))
    mine = any(row.user_id == user.id for row in submitted)
    builder = InlineKeyboardBuilder()
    if deadline.cancelled_at is not None:
        lines.append(i18n("deadline-card-cancelled"))
    elif is_coordinator(user):
        if mine:
            lines.append(i18n("deadline-card-you-submitted"))
            builder.button(
                text=i18n("deadline-unsubmit-button"),
                callback_data=DeadlineCallback(
                    action=DeadlineAction.UNSUBMIT, deadline_id=deadline.id, card=True
                ),
            )
        else:
            builder.button(
                text=i18n("deadline-submit-button"),
                callback_data=DeadlineCallback(
                    action=DeadlineAction.SUBMIT, deadline_id=deadline.id, card=True
                ),
            )
    if deadline.cancelled_at is None:
        builder.button(
            text=i18n("deadline-cancel-button"),
            callback_data=DeadlineCallback(action=DeadlineAction.CANCEL, deadline_id=deadline.id),
        )
    builder.button(
        text=i18n("deadlines-back-button"),
        callback_data=DeadlineCallback(action=DeadlineAction.LIST),
    )
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


async def cmd_deadlines(
    message: Message, repo: Repo, user: User, i18n: Translator, settings: Settings
) -> None:
    if not repo.deadlines.can_set(user):
        raise PermissionDenied()
    text, markup = await render_list(repo, i18n, settings)
    await message.answer(text, reply_markup=markup)


async def cq_reminder_v1(
    callback: CallbackQuery, callback_data: DeadlineReminderV1, **data: Any
) -> None:
    """A reminder sent before the current button format: "Submitted" works as ever."""
    action = DeadlineAction.SUBMIT if callback_data.action == "sub" else DeadlineAction.UNSUBMIT
    current = DeadlineCallback(
        action=action, deadline_id=callback_data.deadline_id, card=callback_data.value == "card"
    )
    await cq_deadline(
        callback,
        current,
        data["repo"],
        data["user"],
        data["i18n"],
        data["settings"],
        data["state"],
        data["callback_answer"],
    )


async def cq_deadline(
    callback: CallbackQuery,
    callback_data: DeadlineCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    state: FSMContext,
    callback_answer,
) -> None:
    action = callback_data.action
    if action is DeadlineAction.SUBMIT:
        await _submit(callback, callback_data, repo, user, i18n, settings, callback_answer)
        return
    if action is DeadlineAction.UNSUBMIT:
        await _unsubmit(callback, callback_data, repo, user, i18n, settings, callback_answer)
        return
    # Everything else is the setters' (the data is user-controlled: checked every time).
    if not repo.deadlines.can_set(user):
        raise PermissionDenied()
    if action is DeadlineAction.NEW_DEFAULT:
        await _new_default(callback, repo, i18n, state, settings)
        return
    if action is DeadlineAction.NEW_SAVE:
        await _new_save(callback, repo, user, i18n, state, settings)
        return
    if action is DeadlineAction.LIST:
        text, markup = await render_list(repo, i18n, settings)
        await show(callback, text, markup)
        return
    deadline = await repo.deadlines.get(callback_data.deadline_id)
    if action is DeadlineAction.CANCEL:
        if deadline.cancelled_at is not None:
            raise InvalidState("deadline-cancelled")
        builder = InlineKeyboardBuilder()
        builder.button(
            text=i18n("deadline-cancel-confirm-button"),
            callback_data=DeadlineCallback(
                action=DeadlineAction.CANCEL_CONFIRM, deadline_id=deadline.id
            ),
        )
        builder.button(
            text=i18n("deadline-cancel-keep-button"),
            callback_data=DeadlineCallback(action=DeadlineAction.OPEN, deadline_id=deadline.id),
        )
        builder.adjust(1)
        await show(callback, i18n("deadline-cancel-ask", title=deadline.title), builder.as_markup())
        return
    if action is DeadlineAction.CANCEL_CONFIRM:
        await repo.deadlines.cancel(deadline, user)
        await repo.outbox.cancel_keys(f"deadline:{deadline.id}:")
        callback_answer.text = i18n("deadline-cancelled-done")
    text, markup = await render_card(repo, i18n, user, deadline, settings)
    await show(callback, text, markup)


async def _submit(callback, callback_data, repo, user, i18n, settings, callback_answer) -> None:
    if not is_coordinator(user):
        raise PermissionDenied()
    deadline = await repo.deadlines.get(callback_data.deadline_id)
    await repo.deadlines.submit(deadline, user)  # refuses a cancelled deadline
    # A reminder already queued for them is withdrawn (keys: deadline:<id>:<user>:<offset>).
    await repo.outbox.cancel_keys(f"deadline:{deadline.id}:{user.id}:")
    callback_answer.text = i18n("deadline-marked")
    if callback_data.card:
        text, markup = await render_card(repo, i18n, user, deadline, settings)
        await show(callback, text, markup)
    elif isinstance(callback.message, Message):
        # The reminder: it keeps its text, says it is done, and offers to take it back.
        builder = InlineKeyboardBuilder()
        builder.button(
            text=i18n("deadline-unsubmit-button"),
            callback_data=DeadlineCallback(action=DeadlineAction.UNSUBMIT, deadline_id=deadline.id),
        )
        await callback.message.edit_text(
            f"{callback.message.html_text}\n\n{i18n('deadline-marked')}",
            reply_markup=builder.as_markup(),
        )


async def next_reminder(
    repo: Repo, deadline: ReportDeadline, user: User, settings: Settings
) -> date | None:
    """The day the coordinator will next be reminded, if they are pending: today when the
    latest reminder that has come was never queued for them, else the next offset's day."""
    zone = ZoneInfo(settings.time_zone)
    now = repo.clock()
    if deadline.due_on < today_in(settings.time_zone, now):
        return None
    come = [o for o in deadline.offsets if reminder_moment(deadline.due_on, o, zone) <= now]
    if come and not await repo.deadlines.reminded(deadline, user, min(come)):
        return today_in(settings.time_zone, now)
    ahead = [o for o in deadline.offsets if reminder_moment(deadline.due_on, o, zone) > now]
    return deadline.due_on - timedelta(days=max(ahead)) if ahead else None


async def _unsubmit(callback, callback_data, repo, user, i18n, settings, callback_answer) -> None:
    """Takes back a mark pressed by mistake: the reminders resume for them."""
    if not is_coordinator(user):
        raise PermissionDenied()
    deadline = await repo.deadlines.get(callback_data.deadline_id)
    if not await repo.deadlines.unsubmit(deadline, user):
        raise InvalidState("deadline-not-marked")
    upcoming = await next_reminder(repo, deadline, user, settings)
    callback_answer.text = (
        i18n("deadline-unmarked", date=date_text(upcoming))
        if upcoming
        else i18n("deadline-unmarked-no-more")
    )
    if callback_data.card:
        text, markup = await render_card(repo, i18n, user, deadline, settings)
        await show(callback, text, markup)
    elif isinstance(callback.message, Message):
        # The reminder: as it came, with its button.
        text = callback.message.html_text.removesuffix(f"\n\n{i18n('deadline-marked')}")
        report_days = await repo.deadlines.report_period(deadline)
        await callback.message.edit_text(
            text, reply_markup=submit_markup(i18n, deadline, report_days)
        )


# --- the setter's dialog -----------------------------------------------------------------------


async def cmd_new_deadline(
    message: Message, repo: Repo, user: User, i18n: Translator, state: FSMContext
) -> None:
    if not repo.deadlines.can_set(user):
        raise PermissionDenied()
    await state.clear()
    await state.set_state(DeadlineForm.title)
    await message.answer(i18n("deadline-ask-title"))


async def on_title(message: Message, state: FSMContext, repo: Repo, user: User, i18n: Translator):
    if not repo.deadlines.can_set(user):
        await state.clear()
        raise PermissionDenied()
    try:
        title = normalise_title(message.text or "")
    except InvalidState as error:
        await message.answer(i18n(error.key, **error.args_for_text))
        return
    await state.update_data(title=title)
    await state.set_state(DeadlineForm.due_on)
    await message.answer(i18n("deadline-ask-date"))


def parse_offsets(text: str) -> list[int]:
    """ "30 7 1", "30, 7, 1": days before the date, each 0..365, at most five."""
    parts = text.replace(",", " ").replace(";", " ").split()
    if not parts or not all(_NUMBER.match(part) for part in parts) or len(parts) > OFFSETS_MAX:
        raise InvalidState("deadline-offsets-invalid", count=OFFSETS_MAX, max=OFFSET_MAX)
    return normalise_offsets([int(part) for part in parts])


async def on_due_on(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    if not repo.deadlines.can_set(user):
        await state.clear()
        raise PermissionDenied()
    try:
        today = today_in(settings.time_zone, repo.clock())
        due_on = parse_date(message.text or "", today, DAY_ERRORS)
    except InvalidState as error:
        await message.answer(i18n(error.key, **error.args_for_text))
        return
    await state.update_data(due_on=due_on.isoformat())
    await state.set_state(DeadlineForm.offsets)
    await message.answer(i18n("deadline-ask-offsets"), reply_markup=_default_offsets(i18n))


def _default_offsets(i18n: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("deadline-offsets-default-button"),
        callback_data=DeadlineCallback(action=DeadlineAction.NEW_DEFAULT),
    )
    return builder.as_markup()


async def on_offsets(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    if not repo.deadlines.can_set(user):
        await state.clear()
        raise PermissionDenied()
    try:
        offsets = parse_offsets(message.text or "")
    except InvalidState as error:
        await message.answer(
            i18n(error.key, **error.args_for_text), reply_markup=_default_offsets(i18n)
        )
        return
    await _preview(message, state, repo, i18n, settings, offsets)


async def _new_default(callback: CallbackQuery, repo, i18n, state, settings) -> None:
    await expect_step(state, DeadlineForm.offsets)
    message = pressed_message(callback)
    await _preview(message, state, repo, i18n, settings, list(DEFAULT_OFFSETS))


async def _preview(
    target: Message | InaccessibleMessage, state, repo: Repo, i18n, settings, offsets
) -> None:
    await state.update_data(offsets=offsets)
    await state.set_state(DeadlineForm.confirm)
    data = await state.get_data()
    due_on = date.fromisoformat(data["due_on"])
    today = today_in(settings.time_zone, repo.clock())
    lines = [
        i18n("deadline-preview"),
        i18n("deadline-card-title", title=data["title"]),
        i18n(
            "deadline-card-date",
            date=date_text(due_on),
            left=Html(days_left_text(i18n, due_on, today)),
        ),
        i18n("deadline-card-offsets", offsets=offsets_text(i18n, offsets)),
        i18n("deadline-preview-audience", count=len(await repo.deadlines.audience())),
    ]
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("deadline-save-button"),
        callback_data=DeadlineCallback(action=DeadlineAction.NEW_SAVE),
    )
    await target.answer("\n".join(lines), reply_markup=builder.as_markup())


async def _new_save(callback: CallbackQuery, repo: Repo, user, i18n, state, settings) -> None:
    data = await state.get_data()
    if await state.get_state() != DeadlineForm.confirm.state or "offsets" not in data:
        raise InvalidState("error-stale-button")
    deadline = await repo.deadlines.create(
        user,
        data["title"],
        date.fromisoformat(data["due_on"]),
        data["offsets"],
        zone_name=settings.time_zone,
    )
    audience = await repo.deadlines.audience()
    await state.clear()
    if isinstance(callback.message, Message):
        # The preview loses its button, so a second press cannot save twice.
        await callback.message.edit_text(callback.message.html_text, reply_markup=None)
        await callback.message.answer(
            i18n(
                "deadline-saved",
                title=deadline.title,
                date=date_text(deadline.due_on),
                count=len(audience),
            )
        )
