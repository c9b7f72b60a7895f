"""The review queue in chat: material cards for moderators, decisions (the first wins)."""

import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import (
    FixField,
    ReviewAction,
    ReviewCallback,
    ReviewCardV1,
)
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import file_of, show
from notices.after_commit import AfterCommit
from notices.review_cards import (
    MESSAGE_MAX,
    REASONS,
    announce_published,
    next_in_queue,
    queue_rows,
    refresh_cards,
    review_keyboard,
    tell_decided,
    with_rows,
)
from storage.enums import ContentType, MaterialKind, ReviewStatus
from storage.errors import InvalidState, PermissionDenied
from storage.limits import MATERIAL_TITLE, REVIEW_REASON
from storage.models import Material, ReviewItem, User
from storage.repositories import Repo
from storage.repositories.materials import MATERIAL, Decision, parse_tags

logger = logging.getLogger(__name__)


class ReviewForm(StatesGroup):
    reason = State()
    fix_text = State()


def setup() -> Router:
    router = Router(name="review")
    router.callback_query.register(
        cq_approve, ReviewCallback.filter(F.action == ReviewAction.APPROVE)
    )
    router.callback_query.register(cq_card_v1, ReviewCardV1.filter(F.action.in_(OLD_CARD)))
    router.callback_query.register(
        cq_ask_reason,
        ReviewCallback.filter(F.action.in_({ReviewAction.REJECT, ReviewAction.CHANGES})),
    )
    router.callback_query.register(
        cq_reason, ReviewCallback.filter(F.action == ReviewAction.REASON)
    )
    router.callback_query.register(
        cq_type_reason, ReviewCallback.filter(F.action == ReviewAction.TYPE_REASON)
    )
    router.callback_query.register(cq_fix, ReviewCallback.filter(F.action == ReviewAction.FIX))
    router.callback_query.register(
        cq_fix_kind, ReviewCallback.filter(F.action == ReviewAction.FIX_KIND)
    )
    router.callback_query.register(
        cq_fix_grade, ReviewCallback.filter(F.action == ReviewAction.FIX_GRADE)
    )
    router.callback_query.register(cq_menu, ReviewCallback.filter(F.action == ReviewAction.MENU))
    router.callback_query.register(cq_back, ReviewCallback.filter(F.action == ReviewAction.BACK))
    router.callback_query.register(cq_file, ReviewCallback.filter(F.action == ReviewAction.FILE))
    router.callback_query.register(
        cq_cancel_typing, ReviewCallback.filter(F.action == ReviewAction.CANCEL)
    )
    router.message.register(on_fix_text, ReviewForm.fix_text, F.text)
    router.message.register(on_typed_reason, ReviewForm.reason, F.text)
    return router


# --- cards ---------------------------------------------------------------------------------


# --- what the card is about, one tap away ---------------------------------------------------


async def send_content(bot: Bot, chat_id: int, i18n: Translator, material: Material) -> None:
    """The material itself, privately to a moderator or an expert who judges it."""
    caption = i18n("review-file-caption", title=material.title or i18n("share-untitled"))
    if material.content_type is ContentType.DOCUMENT:
        await bot.send_document(chat_id, file_of(material), caption=caption)
    elif material.content_type is ContentType.PHOTO:
        await bot.send_photo(chat_id, file_of(material), caption=caption)
    elif material.content_type is ContentType.VIDEO:
        await bot.send_video(chat_id, file_of(material), caption=caption)
    elif material.content_type is ContentType.LINK:
        await bot.send_message(
            chat_id, caption + "\n" + i18n("material-card-link", url=material.url)
        )
    else:
        text = caption + "\n\n" + i18n("material-card-description", text=material.body or "")
        for start in range(0, len(text), MESSAGE_MAX):
            await bot.send_message(chat_id, text[start : start + MESSAGE_MAX])


async def send_privately(
    callback: CallbackQuery,
    bot: Bot,
    i18n: Translator,
    callback_answer: CallbackAnswer,
    material: Material,
) -> None:
    """Pressed in a group, the file goes to the presser's private chat, not to everyone."""
    try:
        await send_content(bot, callback.from_user.id, i18n, material)
    except (TelegramForbiddenError, TelegramBadRequest) as error:
        if isinstance(error, TelegramBadRequest) and "chat not found" not in error.message:
            raise
        me = await bot.me()
        raise InvalidState("review-start-bot-first", bot=me.username or "") from error
    message = callback.message
    if isinstance(message, Message) and message.chat.type != "private":
        callback_answer.text = i18n("review-file-sent-privately")


async def swap_keyboard(message: Message, markup: InlineKeyboardMarkup) -> None:
    """New decision buttons on a card; the /queue buttons under it stay."""
    await message.edit_reply_markup(reply_markup=with_rows(markup, queue_rows(message)))


FIX_FIELDS = tuple(FixField)


def fix_keyboard(i18n: Translator, item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for field in FIX_FIELDS:
        builder.button(
            text=i18n(f"review-fix-{field}"),
            callback_data=ReviewCallback(action=ReviewAction.FIX, item_id=item_id, field=field),
        )
    builder.button(
        text=i18n("button-back"),
        callback_data=ReviewCallback(action=ReviewAction.MENU, item_id=item_id),
    )
    builder.adjust(2, 2, 1)
    return builder.as_markup()


def fix_kind_keyboard(i18n: Translator, item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in MaterialKind:
        builder.button(
            text=i18n(f"kind-{kind.value}"),
            callback_data=ReviewCallback(action=ReviewAction.FIX_KIND, item_id=item_id, kind=kind),
        )
    builder.button(
        text=i18n("button-back"),
        callback_data=ReviewCallback(action=ReviewAction.FIX, item_id=item_id),
    )
    builder.adjust(1)
    return builder.as_markup()


def fix_grades_keyboard(i18n: Translator, item_id: int, chosen: list[int]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for grade in range(12):
        mark = "✅ " if grade in chosen else ""
        builder.button(
            text=mark + i18n("grade-short", grade=grade),
            callback_data=ReviewCallback(
                action=ReviewAction.FIX_GRADE, item_id=item_id, grade=grade
            ),
        )
    builder.button(
        text=i18n("button-done"),
        callback_data=ReviewCallback(action=ReviewAction.MENU, item_id=item_id),
    )
    builder.adjust(4, 4, 4, 1)
    return builder.as_markup()


def reasons_keyboard(i18n: Translator, item_id: int, decision: Decision) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for reason in REASONS:
        builder.button(
            text=i18n(f"reason-{reason}"),
            callback_data=ReviewCallback(
                action=ReviewAction.REASON, item_id=item_id, decision=decision, reason=reason
            ),
        )
    builder.button(
        text=i18n("reason-own"),
        callback_data=ReviewCallback(
            action=ReviewAction.TYPE_REASON, item_id=item_id, decision=decision
        ),
    )
    builder.button(
        text=i18n("button-back"),
        callback_data=ReviewCallback(action=ReviewAction.BACK, item_id=item_id),
    )
    builder.adjust(1)
    return builder.as_markup()


async def _decide(
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    after_commit: AfterCommit,
    user: User,
    item_id: int,
    decision: Decision,
    reason: str,
) -> None:
    item, material = await repo.materials.decide(item_id, user, decision, reason)
    if decision is Decision.APPROVE:
        await announce_published(bot, repo, i18n_hub, material)
    after_commit(tell_decided, bot, repo, i18n_hub, item, material, user, decision, reason)


# --- handlers ------------------------------------------------------------------------------


# A card's own buttons as packed before rv2 (value was empty on each of them).
OLD_CARD = {
    "ok": ReviewAction.APPROVE,
    "rej": ReviewAction.REJECT,
    "chg": ReviewAction.CHANGES,
    "fix": ReviewAction.FIX,
    "file": ReviewAction.FILE,
}


async def cq_card_v1(callback: CallbackQuery, callback_data: ReviewCardV1, **data: Any) -> None:
    """A card posted before the current button format: its buttons do what they say."""
    action = OLD_CARD[callback_data.action]
    handlers: dict[ReviewAction, Callable[..., Awaitable[None]]] = {
        ReviewAction.APPROVE: cq_approve,
        ReviewAction.REJECT: cq_ask_reason,
        ReviewAction.CHANGES: cq_ask_reason,
        ReviewAction.FIX: cq_fix,
        ReviewAction.FILE: cq_file,
    }
    handler = handlers[action]
    current = ReviewCallback(action=action, item_id=callback_data.item_id)
    wanted = inspect.signature(handler).parameters
    await handler(callback, current, **{k: v for k, v in data.items() if k in wanted})


async def cq_approve(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
    after_commit: AfterCommit,
) -> None:
    await _decide(
        bot, repo, i18n_hub, after_commit, user, callback_data.item_id, Decision.APPROVE, ""
    )


async def cq_ask_reason(
    callback: CallbackQuery, callback_data: ReviewCallback, repo: Repo, user: User, i18n: Translator
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    decision = Decision.REJECT if callback_data.action is ReviewAction.REJECT else Decision.CHANGES
    if isinstance(callback.message, Message):
        await swap_keyboard(callback.message, reasons_keyboard(i18n, item.id, decision))


def cancel_typing(i18n: Translator, item_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n("review-cancel-typing"),
                    callback_data=ReviewCallback(
                        action=ReviewAction.CANCEL, item_id=item_id
                    ).pack(),
                )
            ]
        ]
    )


async def _stop_typing(state: FSMContext, item_id: int) -> bool:
    """A reason or a fix the moderator started typing for this item is no longer awaited, so
    the next message in the chat (a group's, often) does not become a rejection reason."""
    if await state.get_state() not in (ReviewForm.reason.state, ReviewForm.fix_text.state):
        return False
    if (await state.get_data()).get("item_id") != item_id:
        return False
    await state.clear()
    return True


async def cq_cancel_typing(
    callback: CallbackQuery, callback_data: ReviewCallback, state: FSMContext, i18n: Translator
) -> None:
    await _stop_typing(state, callback_data.item_id)
    await show(callback, i18n("review-typing-cancelled"))


async def cq_back(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
) -> None:
    """From the reasons list back to the decisions: nothing is decided."""
    item = await _reviewable(repo, user, callback_data.item_id)
    await _stop_typing(state, item.id)
    material = await repo.materials.get(item.object_id)
    if isinstance(callback.message, Message):
        await swap_keyboard(callback.message, review_keyboard(i18n, item.id, material))


async def cq_file(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    bot: Bot,
    repo: Repo,
    user: User,
    i18n: Translator,
    callback_answer: CallbackAnswer,
) -> None:
    """Whoever moderates the community may open the material, before or after deciding."""
    item = await repo.materials.review_item(callback_data.item_id)
    if (
        item is None
        or item.object_type != MATERIAL
        or not await repo.materials.can_review(user, item.community_id)
    ):
        raise PermissionDenied()
    material = await repo.materials.get(item.object_id)
    if material is None:
        raise InvalidState("error-material-not-found")
    await send_privately(callback, bot, i18n, callback_answer, material)


async def cq_reason(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
    i18n: Translator,
    after_commit: AfterCommit,
) -> None:
    decision, reason = callback_data.decision, callback_data.reason
    if decision not in (Decision.REJECT, Decision.CHANGES) or reason not in REASONS:
        raise InvalidState("error-stale-button")
    await _decide(
        bot,
        repo,
        i18n_hub,
        after_commit,
        user,
        callback_data.item_id,
        decision,
        f"@{reason}",
    )


async def cq_type_reason(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    decision = callback_data.decision
    if decision not in (Decision.REJECT, Decision.CHANGES):
        raise InvalidState("error-stale-button")
    await state.set_state(ReviewForm.reason)
    await state.set_data({"item_id": item.id, "decision": decision.value})
    if isinstance(callback.message, Message):
        await callback.message.answer(
            i18n("review-type-reason"), reply_markup=cancel_typing(i18n, item.id)
        )


async def on_typed_reason(
    message: Message,
    state: FSMContext,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
    i18n: Translator,
    after_commit: AfterCommit,
) -> None:
    reason = REVIEW_REASON.cleaned(message.text, one_line=False)
    if reason is None:
        await message.answer(i18n("review-reason-invalid", max=REVIEW_REASON.high))
        return
    data = await state.get_data()
    await state.clear()
    await _decide(
        bot,
        repo,
        i18n_hub,
        after_commit,
        user,
        data["item_id"],
        Decision(data["decision"]),
        reason,
    )
    await message.answer(i18n("review-reason-saved"), reply_markup=next_in_queue(i18n))


# --- fixing before deciding: a typo should not cost the author a rejection round ----------


async def _reviewable(repo: Repo, user: User, item_id: int) -> ReviewItem:
    item = await repo.materials.review_item(item_id)
    if item is None or not await repo.materials.can_review(user, item.community_id):
        raise PermissionDenied()
    if item.status is not ReviewStatus.OPEN:
        raise InvalidState("review-already-closed")
    return item


async def cq_fix(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    if not isinstance(callback.message, Message):
        return
    field = callback_data.field
    if field == "kind":
        await swap_keyboard(callback.message, fix_kind_keyboard(i18n, item.id))
    elif field == "grades":
        material = await repo.materials.require(item.object_id)
        grades = material.grades or []
        await swap_keyboard(callback.message, fix_grades_keyboard(i18n, item.id, grades))
    elif field in ("title", "tags"):
        await state.set_state(ReviewForm.fix_text)
        await state.set_data(
            {
                "item_id": item.id,
                "field": field,
                # The card keeps its /queue buttons when the typed fix refreshes it.
                "card": [callback.message.chat.id, callback.message.message_id],
                "nav": [
                    [b.model_dump(exclude_none=True) for b in row]
                    for row in queue_rows(callback.message)
                ],
            }
        )
        await callback.message.answer(
            i18n(f"review-fix-ask-{field}"), reply_markup=cancel_typing(i18n, item.id)
        )
    else:
        await swap_keyboard(callback.message, fix_keyboard(i18n, item.id))


async def cq_fix_kind(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
    i18n: Translator,
    after_commit: AfterCommit,
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    if callback_data.kind is None:
        raise InvalidState("error-stale-button")
    await repo.materials.fix_before_decision(item.id, user, kind=callback_data.kind)
    after_commit(refresh_cards, bot, repo, i18n_hub, item, callback.message)


async def cq_fix_grade(
    callback: CallbackQuery, callback_data: ReviewCallback, repo: Repo, user: User, i18n: Translator
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    grade = callback_data.grade
    if grade is None or grade > 11:
        raise InvalidState("error-stale-button")
    material = await repo.materials.require(item.object_id)
    grades = sorted(set(material.grades or []) ^ {grade})
    await repo.materials.fix_before_decision(item.id, user, grades=grades)
    if isinstance(callback.message, Message):
        await swap_keyboard(callback.message, fix_grades_keyboard(i18n, item.id, grades))


async def cq_menu(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    await refresh_cards(bot, repo, i18n_hub, item, callback.message)


async def on_fix_text(
    message: Message,
    state: FSMContext,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
    i18n: Translator,
    after_commit: AfterCommit,
) -> None:
    data = await state.get_data()
    value = (message.text or "").strip()
    if data.get("field") == "title":
        title = MATERIAL_TITLE.cleaned(value)
        if title is None:
            length = len(" ".join(value.split()))
            await message.answer(
                i18n("share-title-invalid", max=MATERIAL_TITLE.high, length=length)
            )
            return
        fields: dict[str, object] = {"title": title}
    else:
        tags = parse_tags(value)
        if not tags:
            await message.answer(i18n("share-tags-invalid"))
            return
        fields = {"tags": tags}
    await state.clear()
    item = await _reviewable(repo, user, data["item_id"])
    await repo.materials.fix_before_decision(item.id, user, **fields)
    card = data.get("card")
    after_commit(
        refresh_cards,
        bot,
        repo,
        i18n_hub,
        item,
        at=(card[0], card[1]) if card else None,
        nav=[[InlineKeyboardButton.model_validate(b) for b in row] for row in data.get("nav", [])],
    )
    after_commit(message.answer, i18n("review-fixed"))  # once every copy shows the fix
