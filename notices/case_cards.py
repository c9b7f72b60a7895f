"""Case cards for moderators (a reported group message, a thread post held by the conduct
code, an appeal), and how a sanction's reason reads: posted, refreshed and shown in /queue
and /history."""

import functools
import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import CaseAction, CaseCallback
from bot.conduct import LEARNED, ConductBook
from bot.dates import MOSCOW, moment_text
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from moderation.engine import ConductCode
from notices.moderators import post_card, review_targets
from notices.texts import clause_list, percent, person
from storage.enums import ReviewSource
from storage.errors import NotFound
from storage.models import ReviewItem, Sanction
from storage.repositories import Repo
from storage.repositories.cases import APPEAL, GROUP_MESSAGE
from storage.repositories.threads import POST

logger = logging.getLogger(__name__)

AUTO_REASON = "conduct:"  # an automatic sanction's reason: the rule's id follows


async def rule_categories(conduct: ConductBook | None, repo: Repo) -> dict[str, str]:
    """Each rule's category, to name the clause an automatic sanction was for (the code in
    force, or the code as shipped where no book is at hand)."""
    code = await conduct.code(repo) if conduct is not None else _shipped_code()
    return {rule.id: rule.category.value for rule in code.rules}


@functools.cache
def _shipped_code() -> ConductCode:
    return ConductCode.load()


def reason_text(t: Translator, sanction: Sanction, categories: dict[str, str]) -> str:
    """A sanction's reason as a moderator reads it: an automatic one names its clause
    («§7.2 (оскорбление участников)»), never the rule's key."""
    reason = sanction.reason
    if reason == "flood":
        return t("sanction-reason-flood")
    if not reason.startswith(AUTO_REASON):
        return reason
    rule = sanction.rule or reason.removeprefix(AUTO_REASON)
    category = categories.get(rule, rule)
    if not t.has(f"conduct-category-{category}"):
        return sanction.clause or t("sanction-reason-auto")
    if not sanction.clause:
        return t(f"conduct-category-{category}")
    return clause_list(t, [{"clause": sanction.clause, "category": category}])


async def chat_zone(repo: Repo, chat_id: int) -> ZoneInfo:
    """A card's times: a moderator's own zone in private chat, Moscow time in a group."""
    reader = await repo.users.by_telegram_id(chat_id) if chat_id > 0 else None
    try:
        return ZoneInfo(reader.time_zone) if reader and reader.time_zone else MOSCOW
    except (ZoneInfoNotFoundError, ValueError):
        return MOSCOW


async def case_text(
    repo: Repo,
    t: Translator,
    item: ReviewItem,
    zone: ZoneInfo = MOSCOW,
    conduct: ConductBook | None = None,
) -> str:
    header = "case-header-flag" if item.source is ReviewSource.AUTO_FLAG else None
    if item.object_type == POST:
        header = "case-header-post"
    lines = [t(header or f"review-source-{item.source.value}")]
    community = await repo.communities.get(item.community_id) if item.community_id else None
    if community is not None:
        lines.append(t("case-community", title=community.title))
    if item.object_type == GROUP_MESSAGE:
        message = await repo.cases.group_message(item.object_id)
        if message is None:
            raise NotFound()
        lines.append(t("case-author", name=person(t, message.user)))
        lines.append(t("case-message", text=message.text or "—"))
        reports = await repo.cases.reporters(item.id)
        if reports:
            lines.append(t("case-reports", count=len(reports)))
            for reporter, reason in reports:
                made, unfounded = await repo.cases.reporting_record(reporter)
                lines.append(
                    t(
                        "case-reporter",
                        name=person(t, reporter),
                        reason=reason or "—",
                        made=made,
                        unfounded=unfounded,
                    )
                )
    elif item.object_type == POST:
        post = await repo.threads.post(item.object_id)
        thread = await repo.threads.thread_of(post)  # a removed thread's card is still shown
        lines.append(t("case-author", name=person(t, post.author)))
        lines.append(t("case-thread", title=thread.title))
        lines.append(t("case-message", text=post.body or "—"))
        if post.file_id:
            lines.append(t("thread-post-file", name=post.file_name or "—"))
    else:
        appeal = await repo.cases.get_appeal(item.object_id)
        if appeal is None:
            raise NotFound()
        sanction = appeal.sanction
        issuer = await repo.users.get(sanction.issued_by_id) if sanction.issued_by_id else None
        lines.append(t("case-author", name=person(t, sanction.user)))
        lines.append(
            t(
                "case-appeal-sanction",
                kind=t(f"sanction-kind-{sanction.kind.value}"),
                date=moment_text(sanction.created_at, zone, t),
                reason=reason_text(t, sanction, await rule_categories(conduct, repo)),
                by=person(t, issuer) if issuer else t("history-by-auto"),
            )
        )
        lines.append(t("case-appeal-text", text=appeal.text))
    hits = [hit for hit in item.hits if hit.get("category") != LEARNED]
    if hits:
        lines.append(t("review-hits") + " " + clause_list(t, hits))
    for hit in hits:
        if hit.get("score") is not None:  # the model's word: a reason to look, not a verdict
            category = t(f"conduct-category-{hit['category']}")
            lines.append(t("conduct-model-hit", category=category, score=percent(hit["score"])))
    return "\n".join(lines)


def case_keyboard(t: Translator, item: ReviewItem) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if item.object_type == GROUP_MESSAGE:
        actions = (CaseAction.DELETE, CaseAction.KEEP)
    elif item.object_type == POST:
        actions = (CaseAction.KEEP, CaseAction.DELETE)
    else:
        actions = (CaseAction.LIFT, CaseAction.UPHOLD)
    prefix = "case-post-button" if item.object_type == POST else "case-button"
    for action in (*actions, CaseAction.HISTORY):
        builder.button(
            text=t(f"{prefix}-{action.value}"),
            callback_data=CaseCallback(action=action, item_id=item.id),
        )
    builder.adjust(1)  # "Удалить и предупредить" is cut short beside another on a phone
    return builder.as_markup()


async def announce_case(
    bot: Bot, repo: Repo, i18n_hub: I18n, item: ReviewItem, *, reminder: bool = False
) -> None:
    without = None
    if item.object_type == APPEAL:
        appeal = await repo.cases.get_appeal(item.object_id)
        without = appeal.sanction.issued_by_id if appeal else None
    for chat_id, t in await review_targets(repo, i18n_hub, item.community_id, without=without):
        text = await case_text(repo, t, item, await chat_zone(repo, chat_id))
        if reminder:
            text = t("review-reminder") + "\n" + text
        await post_card(bot, repo, item, chat_id, t, text, case_keyboard(t, item))
    if not reminder:
        item.announced_at = repo.clock()


async def refresh_case_cards(
    bot: Bot, repo: Repo, i18n_hub: I18n, item: ReviewItem, outcome: dict[str, str] | None = None
) -> None:
    """Every copy of the card shows the new reports, or the decision and who took it."""
    cards = await repo.review.cards(item.id)
    for card in cards:
        t = i18n_hub.translator(card.locale)
        text = await case_text(repo, t, item, await chat_zone(repo, card.chat_id))
        markup: InlineKeyboardMarkup | None = case_keyboard(t, item)
        if outcome is not None:
            text += "\n\n" + t(outcome["key"], name=outcome["name"])
            markup = None
        try:
            await bot.edit_message_text(
                text, chat_id=card.chat_id, message_id=card.message_id, reply_markup=markup
            )
        except TelegramAPIError as error:
            logger.info("Case card %s/%s not updated: %s", card.chat_id, card.message_id, error)
