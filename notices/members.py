"""What a member is told about a sanction taken against them: privately, in their language,
with the clause or reason and the way to appeal."""

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import InlineKeyboardMarkup

from bot.callbacks import AppealAction, AppealCallback
from bot.config import Settings
from bot.dates import moment_text, zone_of
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from moderation.engine import Verdict
from notices.texts import clause_list
from storage.models import Community, Sanction, User

logger = logging.getLogger(__name__)


async def notify_member(
    bot: Bot,
    i18n_hub: I18n,
    settings: Settings,
    member: User,
    community: Community,
    sanction: Sanction,
    *,
    reason: str = "",
    verdict: Verdict | None = None,
) -> None:
    """What happened, the clause or reason, and how to appeal, in the member's language."""
    i18n = i18n_hub.translator(member.locale)
    text = i18n(
        f"sanction-notice-{sanction.kind.value}",
        community=community.title,
        clauses=clause_list(i18n, verdict.as_dicts()) if verdict else reason,
        until=moment_text(sanction.expires_at, zone_of(member, settings), i18n),
        id=sanction.id,
    )
    try:
        await bot.send_message(
            member.telegram_id, text, reply_markup=appeal_button(i18n, sanction.id)
        )
    except TelegramAPIError as error:
        # A member who never started the bot can't be written to; the group notice stands.
        logger.info("sanction notice to user %s not delivered: %s", member.id, error)


def appeal_button(t: Translator, sanction_id: int) -> InlineKeyboardMarkup:
    """On every sanction notice: the way to disagree, one tap away."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("appeal-button"),
        callback_data=AppealCallback(action=AppealAction.START, sanction_id=sanction_id),
    )
    return builder.as_markup()
