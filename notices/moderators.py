"""Where a community's queue cards go (its moderators' chat, or each moderator privately)
and how a card is posted so a decision can edit every copy: shared by the material review
cards and the case cards."""

from collections.abc import Callable

from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import DecisionAction
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from notices.direct import notify
from storage import policy
from storage.models import ReviewItem, User
from storage.repositories import Repo


async def _moderators(repo: Repo, community_id: int | None) -> list[User]:
    if community_id is None:
        return []
    return await repo.communities.moderators(community_id)


async def review_targets(
    repo: Repo, i18n_hub: I18n, community_id: int | None, *, without: int | None = None
) -> list[tuple[int, Translator]]:
    """Where a community's queue alerts go: its moderators' chat, or each moderator
    privately (admins when it has none); ``without`` leaves one user out (an appeal's
    moderator never judges it)."""
    community = await repo.communities.get(community_id) if community_id else None
    if community is not None and community.moderators_chat_id:
        return [(community.moderators_chat_id, i18n_hub.translator(None))]
    recipients = await _moderators(repo, community_id)
    if not [u for u in recipients if u.id != without]:
        recipients = await repo.users.with_role(*policy.ADMIN_ROLES)
    return [(u.telegram_id, i18n_hub.for_user(u)) for u in recipients if u.id != without]


async def post_card(
    bot: Bot,
    repo: Repo,
    item: ReviewItem,
    chat_id: int,
    t: Translator,
    text: str,
    markup: InlineKeyboardMarkup,
) -> None:
    """Post a queue card and remember where, so the decision edits every copy."""
    sent = await notify(bot, chat_id, text, reply_markup=markup)
    if sent is not None:
        repo.review.remember_card(item.id, chat_id, sent.message_id, t.locale)


def decision_keyboard(
    i18n: Translator, data_for: Callable[[DecisionAction], CallbackData]
) -> InlineKeyboardMarkup:
    """Approve / Decline, for any decision a moderator or coordinator takes in chat."""
    builder = InlineKeyboardBuilder()
    builder.button(text=i18n("decision-approve"), callback_data=data_for(DecisionAction.APPROVE))
    builder.button(text=i18n("decision-decline"), callback_data=data_for(DecisionAction.DECLINE))
    return builder.as_markup()
