"""Material review cards: posted to a community's moderators, refreshed after a fix, closed
with the decision on every copy; the author told the outcome; a published material announced
to subscribers and the community's group (through the delivery outbox)."""

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.deep_linking import create_start_link

from bot.callbacks import (
    MaterialAction,
    MaterialCallback,
    QueueAction,
    QueueCallback,
    ReviewAction,
    ReviewCallback,
)
from bot.conduct import LEARNED
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from notices.case_cards import announce_case
from notices.direct import notify
from notices.material_cards import DESCRIPTION_PREVIEW, render_material
from notices.moderators import post_card, review_targets
from notices.texts import percent, person
from storage.enums import ContentType, MaterialStatus, ReviewSource
from storage.models import Material, ReviewItem, User
from storage.repositories import Repo
from storage.repositories.materials import MATERIAL, Decision

logger = logging.getLogger(__name__)


REASONS = ("offtopic", "copyright", "quality", "duplicate", "conduct")


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
                lines.append(i18n("review-hit-learned", score=percent(hit.get("score"))))
                continue
            lines.append(
                i18n(
                    "review-hit" if hit.get("score") is None else "review-hit-model",
                    title=i18n(f"conduct-category-{hit.get('category')}"),
                    fragment=hit.get("fragment", ""),
                    clause=hit.get("clause", ""),
                    score=percent(hit.get("score")),
                )
            )
    return "\n".join(lines)


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


async def announce_review_item(
    bot: Bot, repo: Repo, i18n_hub: I18n, item: ReviewItem, *, reminder: bool = False
) -> None:
    """Alerts go only to this community's moderators: their chat, or each privately."""
    if item.object_type != MATERIAL:
        await announce_case(bot, repo, i18n_hub, item, reminder=reminder)
        return
    material = await repo.materials.get(item.object_id)
    if material is None:  # gone with its author's data: nothing left to review
        return
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
        t = i18n_hub.for_user(subscriber)
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


async def close_cards(
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


async def tell_decided(
    bot: Bot,
    repo: Repo,
    i18n_hub: I18n,
    item: ReviewItem,
    material: Material,
    decider: User,
    decision: Decision,
    reason: str,
) -> None:
    """Every copy of the card shows the decision; the author learns it (a dismissed report
    is not news to the author, a taken-down material is)."""
    await close_cards(bot, repo, i18n_hub, item, material, decider)
    author = material.author
    t = i18n_hub.for_user(author)
    if item.source is ReviewSource.MEMBER_REPORT:
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
    # Asked for changes: the way back to the draft; approved: the published card.
    follow_up = {
        Decision.CHANGES: (MaterialAction.EDIT, "material-edit-resubmit"),
        Decision.APPROVE: (MaterialAction.OPEN, "review-open-material"),
    }.get(decision)
    markup = None
    if follow_up is not None:
        action, label = follow_up
        data = MaterialCallback(action=action, material_id=material.id).pack()
        markup = InlineKeyboardMarkup(
            inline_keyboard=[[InlineKeyboardButton(text=t(label), callback_data=data)]]
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


async def refresh_cards(
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
    if material is None:
        return
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
