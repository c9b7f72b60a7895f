"""The review queue in chat: material cards for moderators, decisions (the first wins)."""

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.deep_linking import create_start_link
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    FixField,
    MaterialAction,
    MaterialCallback,
    QueueAction,
    QueueCallback,
    ReviewAction,
    ReviewCallback,
)
from bot.conduct import LEARNED
from bot.i18n import I18n, Translator
from bot.notify import notify
from handlers.cards import post_card, review_targets
from handlers.case_cards import announce_case
from handlers.common import person, show, translator_for
from handlers.material_cards import DESCRIPTION_PREVIEW, TITLE_MAX, parse_tags, render_material
from storage.enums import ContentType, MaterialKind, MaterialStatus, ReviewSource, ReviewStatus
from storage.errors import InvalidState, PermissionDenied
from storage.models import Material, ReviewItem, User
from storage.repositories import Repo
from storage.repositories.materials import MATERIAL, Decision

logger = logging.getLogger(__name__)

REASONS = ("offtopic", "copyright", "quality", "duplicate", "conduct")
REASON_MAX = 500


class ReviewForm(StatesGroup):
    reason = State()
    fix_text = State()


def setup() -> Router:
    router = Router(name="review")
    router.callback_query.register(
        cq_approve, ReviewCallback.filter(F.action == ReviewAction.APPROVE)
    )
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


async def card_text(repo: Repo, i18n: Translator, item: ReviewItem, material: Material) -> str:
    """The card with what members reported, when it is a report (reporters stay hidden)."""
    reasons = []
    if item.source is ReviewSource.MEMBER_REPORT:
        reasons = await repo.materials.report_reasons(item.id)
    return review_text(i18n, item, material, reasons)


def review_text(
    i18n: Translator, item: ReviewItem, material: Material, reasons: list[str] | None = None
) -> str:
    lines = [i18n(f"review-source-{item.source.value}"), "", render_material(i18n, material)]
    if reasons:
        lines.append("")
        lines.append(
            i18n(
                "review-report-reasons",
                count=len(reasons),
                reasons=", ".join(i18n(f"reason-{r}") for r in dict.fromkeys(reasons)),
            )
        )
    if item.hits:
        lines.append("")
        lines.append(i18n("review-hits"))
        for hit in item.hits[:10]:
            if hit.get("category") == LEARNED:
                lines.append(i18n("review-hit-learned", score=round(hit.get("score", 0) * 100)))
                continue
            lines.append(
                i18n(
                    "review-hit",
                    title=i18n(f"conduct-category-{hit.get('category')}"),
                    fragment=hit.get("fragment", ""),
                    clause=hit.get("clause", ""),
                )
            )
    return "\n".join(lines)


# --- what the card is about, one tap away ---------------------------------------------------

FILE_TYPES = (ContentType.DOCUMENT, ContentType.PHOTO, ContentType.VIDEO)
MESSAGE_MAX = 4096


def content_buttons(
    i18n: Translator, material: Material | None, file_data: CallbackData
) -> list[InlineKeyboardButton]:
    """The file (sent by the bot on a press), the link itself, or a long text in full."""
    if material is None:
        return []
    if material.content_type in FILE_TYPES and material.file_id:
        return [InlineKeyboardButton(text=i18n("review-open-file"), callback_data=file_data.pack())]
    if material.content_type is ContentType.LINK and (material.url or "").startswith(
        ("http://", "https://")
    ):
        return [InlineKeyboardButton(text=i18n("review-open-link"), url=material.url)]
    if material.content_type is ContentType.TEXT and len(material.body or "") > DESCRIPTION_PREVIEW:
        return [InlineKeyboardButton(text=i18n("review-open-text"), callback_data=file_data.pack())]
    return []


async def send_content(bot: Bot, chat_id: int, i18n: Translator, material: Material) -> None:
    """The material itself, privately to a moderator or an expert who judges it."""
    caption = i18n("review-file-caption", title=material.title or i18n("share-untitled"))
    if material.content_type is ContentType.DOCUMENT:
        await bot.send_document(chat_id, material.file_id, caption=caption)
    elif material.content_type is ContentType.PHOTO:
        await bot.send_photo(chat_id, material.file_id, caption=caption)
    elif material.content_type is ContentType.VIDEO:
        await bot.send_video(chat_id, material.file_id, caption=caption)
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


def queue_rows(message: object) -> list[list[InlineKeyboardButton]]:
    """The /queue navigation under a card, kept while the card's own buttons change."""
    markup = message.reply_markup if isinstance(message, Message) else None
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    prefix = QueueCallback.__prefix__ + ":"
    return [
        row
        for row in markup.inline_keyboard
        if row and all((b.callback_data or "").startswith(prefix) for b in row)
    ]


def with_rows(
    markup: InlineKeyboardMarkup, rows: list[list[InlineKeyboardButton]]
) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=markup.inline_keyboard + rows)


async def swap_keyboard(message: Message, markup: InlineKeyboardMarkup) -> None:
    """New decision buttons on a card; the /queue buttons under it stay."""
    await message.edit_reply_markup(reply_markup=with_rows(markup, queue_rows(message)))


def review_keyboard(
    i18n: Translator, item_id: int, material: Material | None = None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    opening = content_buttons(
        i18n, material, ReviewCallback(action=ReviewAction.FILE, item_id=item_id)
    )
    if opening:
        builder.row(*opening)
    builder.button(
        text=i18n("review-approve"),
        callback_data=ReviewCallback(action=ReviewAction.APPROVE, item_id=item_id),
    )
    builder.button(
        text=i18n("review-reject"),
        callback_data=ReviewCallback(action=ReviewAction.REJECT, item_id=item_id),
    )
    builder.button(
        text=i18n("review-changes"),
        callback_data=ReviewCallback(action=ReviewAction.CHANGES, item_id=item_id),
    )
    builder.button(
        text=i18n("review-fix"),
        callback_data=ReviewCallback(action=ReviewAction.FIX, item_id=item_id),
    )
    builder.adjust(*((1,) * len(opening)), 1, 2, 1)
    return builder.as_markup()


def decided_keyboard(
    i18n: Translator, item: ReviewItem, material: Material, material_link: str
) -> InlineKeyboardMarkup:
    """After the decision: the material (file, published card) and the next item."""
    # One button a row: two side by side are cut on a phone.
    file_data = ReviewCallback(action=ReviewAction.FILE, item_id=item.id)
    rows = [[button] for button in content_buttons(i18n, material, file_data)]
    if material.status is MaterialStatus.PUBLISHED:
        rows.append([InlineKeyboardButton(text=i18n("review-open-material"), url=material_link)])
    return InlineKeyboardMarkup(inline_keyboard=rows + next_in_queue(i18n).inline_keyboard)


def next_in_queue(i18n: Translator) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(
                    text=i18n("review-next-in-queue"),
                    callback_data=QueueCallback(action=QueueAction.SHOW).pack(),
                )
            ]
        ]
    )


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


async def announce_review_item(
    bot: Bot, repo: Repo, i18n_hub: I18n, item: ReviewItem, *, reminder: bool = False
) -> None:
    """Alerts go only to this community's moderators: their chat, or each privately."""
    if item.object_type != MATERIAL:
        await announce_case(bot, repo, i18n_hub, item, reminder=reminder)
        return
    material = await repo.materials.get(item.object_id)
    for chat_id, t in await review_targets(repo, i18n_hub, item.community_id):
        text = await card_text(repo, t, item, material)
        if reminder:
            text = t("review-reminder") + "\n" + text
        await post_card(bot, repo, item, chat_id, t, text, review_keyboard(t, item.id, material))
    if not reminder:
        item.announced_at = repo.clock()
    await repo.session.flush()


async def announce_published(bot: Bot, repo: Repo, i18n_hub: I18n, material: Material) -> None:
    """A published material goes to the members who subscribed (in their language, never
    to the author) and to the community's linked group, all through the delivery outbox."""
    community = material.community
    if community is None:
        return
    link = await create_start_link(bot, f"m_{material.id}")

    def open_button(t: Translator) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=t("material-open-in-bot"), url=link)]]
        )

    for subscriber in await repo.communities.material_subscribers(community.id):
        if subscriber.id == material.author_id:
            continue
        t = translator_for(i18n_hub, subscriber)
        await repo.outbox.enqueue(
            f"material:{material.id}:{subscriber.id}",
            subscriber.telegram_id,
            t("material-new-for-subscriber", community=community.title)
            + "\n\n"
            + render_material(t, material),
            user=subscriber,
            markup=open_button(t).model_dump(exclude_none=True),
        )
    if community.group_chat_id:
        # Through the outbox too: a busy day must stay within a group's 20 messages a minute.
        t = i18n_hub.translator(None)
        await repo.outbox.enqueue(
            f"material:{material.id}:group:{community.group_chat_id}",
            community.group_chat_id,
            t("material-new-in-community") + "\n\n" + render_material(t, material),
            markup=open_button(t).model_dump(exclude_none=True),
            urgent=True,
        )
    await repo.session.commit()


async def _close_cards(
    bot: Bot, repo: Repo, i18n_hub: I18n, item: ReviewItem, material: Material, decider: User
) -> None:
    """Every copy of the card shows the decision and who took it."""
    cards = await repo.review.cards(item.id)
    link = await create_start_link(bot, f"m_{material.id}")
    for card in cards:
        t = i18n_hub.translator(card.locale)
        text = await card_text(repo, t, item, material) + "\n\n" + _outcome(t, item, decider)
        try:
            await bot.edit_message_text(
                text,
                chat_id=card.chat_id,
                message_id=card.message_id,
                reply_markup=decided_keyboard(t, item, material, link),
            )
        except TelegramAPIError as error:
            logger.info(
                "Review card %s/%s not updated: %s", card.chat_id, card.message_id, error.message
            )


def _outcome(t: Translator, item: ReviewItem, decider: User) -> str:
    reason = reason_text(t, item.reason)
    key = f"review-outcome-{item.status.value}"
    return t(key, name=person(t, decider), reason=reason or "—")


def reason_text(t: Translator, reason: str) -> str:
    """Reasons picked from the list are stored as codes and shown in each reader's language."""
    if reason.startswith("@") and reason[1:] in REASONS:
        return t(f"reason-{reason[1:]}")
    return reason


async def _decide(
    callback_or_message,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
    item_id: int,
    decision: Decision,
    reason: str,
) -> None:
    item, material = await repo.materials.decide(item_id, user, decision, reason)
    await repo.session.commit()
    await _close_cards(bot, repo, i18n_hub, item, material, user)
    author = material.author
    t = translator_for(i18n_hub, author)
    if item.source is ReviewSource.MEMBER_REPORT:
        # A dismissed report is not news to the author; a taken-down material is.
        if decision is not Decision.APPROVE:
            await notify(
                bot,
                author.telegram_id,
                t(
                    "material-author-removed",
                    title=material.title,
                    reason=reason_text(t, reason) or "—",
                ),
            )
        return
    markup = None
    if decision is Decision.CHANGES:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("material-edit-resubmit"),
                        callback_data=MaterialCallback(
                            action=MaterialAction.EDIT, material_id=material.id
                        ).pack(),
                    )
                ]
            ]
        )
    elif decision is Decision.APPROVE:
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("review-open-material"),
                        callback_data=MaterialCallback(
                            action=MaterialAction.OPEN, material_id=material.id
                        ).pack(),
                    )
                ]
            ]
        )
    await notify(
        bot,
        author.telegram_id,
        t(
            f"material-author-{decision.value}",
            title=material.title,
            reason=reason_text(t, reason) or "—",
        ),
        reply_markup=markup,
    )
    if decision is Decision.APPROVE:
        await announce_published(bot, repo, i18n_hub, material)


# --- handlers ------------------------------------------------------------------------------


async def cq_approve(
    callback: CallbackQuery,
    callback_data: ReviewCallback,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
) -> None:
    await _decide(callback, bot, repo, i18n_hub, user, callback_data.item_id, Decision.APPROVE, "")


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
) -> None:
    decision, reason = callback_data.decision, callback_data.reason
    if decision not in (Decision.REJECT, Decision.CHANGES) or reason not in REASONS:
        raise InvalidState("error-stale-button")
    await _decide(
        callback,
        bot,
        repo,
        i18n_hub,
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
) -> None:
    reason = message.text.strip()
    if reason.startswith("/") or not (3 <= len(reason) <= REASON_MAX):
        await message.answer(i18n("review-reason-invalid", max=REASON_MAX))
        return
    data = await state.get_data()
    await state.clear()
    await _decide(
        message, bot, repo, i18n_hub, user, data["item_id"], Decision(data["decision"]), reason
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


async def _refresh_cards(
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    item: ReviewItem,
    pressed: object = None,
    *,
    at: tuple[int, int] | None = None,
    nav: list[list[InlineKeyboardButton]] | None = None,
) -> None:
    """After a fix every copy of the card shows the corrected material; the pressed copy
    keeps its /queue buttons."""
    material = await repo.materials.get(item.object_id)
    cards = await repo.review.cards(item.id)
    for card in cards:
        t = i18n_hub.translator(card.locale)
        markup = review_keyboard(t, item.id, material)
        if isinstance(pressed, Message):
            at, nav = (pressed.chat.id, pressed.message_id), queue_rows(pressed)
        if at == (card.chat_id, card.message_id) and nav:
            markup = with_rows(markup, nav)
        try:
            await bot.edit_message_text(
                await card_text(repo, t, item, material),
                chat_id=card.chat_id,
                message_id=card.message_id,
                reply_markup=markup,
            )
        except TelegramAPIError as error:
            logger.info(
                "Review card %s/%s not refreshed: %s", card.chat_id, card.message_id, error.message
            )


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
        material = await repo.materials.get(item.object_id)
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
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    if callback_data.kind is None:
        raise InvalidState("error-stale-button")
    await repo.materials.fix_before_decision(item.id, user, kind=callback_data.kind)
    await _refresh_cards(bot, repo, i18n_hub, item, callback.message)


async def cq_fix_grade(
    callback: CallbackQuery, callback_data: ReviewCallback, repo: Repo, user: User, i18n: Translator
) -> None:
    item = await _reviewable(repo, user, callback_data.item_id)
    grade = callback_data.grade
    if grade is None or grade > 11:
        raise InvalidState("error-stale-button")
    material = await repo.materials.get(item.object_id)
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
    await _refresh_cards(bot, repo, i18n_hub, item, callback.message)


async def on_fix_text(
    message: Message,
    state: FSMContext,
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    user: User,
    i18n: Translator,
) -> None:
    data = await state.get_data()
    value = message.text.strip()
    if data.get("field") == "title":
        title = " ".join(value.split())
        if title.startswith("/") or not 3 <= len(title) <= TITLE_MAX:
            await message.answer(i18n("share-title-invalid", max=TITLE_MAX, length=len(title)))
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
    await _refresh_cards(
        bot,
        repo,
        i18n_hub,
        item,
        at=(card[0], card[1]) if card else None,
        nav=[[InlineKeyboardButton.model_validate(b) for b in row] for row in data.get("nav", [])],
    )
    await message.answer(i18n("review-fixed"))
