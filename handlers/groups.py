"""Inside a Telegram group: an admin links it to a community with /link <community id>,
or makes it the community's moderators' chat with /link <community id> moderators.
A community that already has a group is not moved silently: the admin is asked first."""

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Chat, Message

from bot.callbacks import GroupLinkCallback
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import ChatIs, pressed_message, show
from storage import policy
from storage.errors import InvalidState
from storage.models import User
from storage.numbers import parse_id
from storage.repositories import Repo

GROUP_ADMINS = {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR}
MODERATOR_WORDS = {"moderators", "модераторы", "mod"}
GROUP_CHATS = {ChatType.GROUP, ChatType.SUPERGROUP}


def setup() -> Router:
    router = Router(name="groups")
    router.message.filter(ChatIs(*GROUP_CHATS))
    router.message.register(cmd_link, Command("link"))
    router.callback_query.register(
        cq_link, GroupLinkCallback.filter(), F.message.chat.type.in_(GROUP_CHATS)
    )
    return router


async def chat_title(bot: Bot, i18n: Translator, chat_id: int) -> str:
    """A group as people know it: by its title, never by its id."""
    try:
        chat = await bot.get_chat(chat_id)
    except TelegramAPIError:
        chat = None
    title = chat.title if isinstance(chat, Chat) else None
    return i18n("group-title", title=title) if title else i18n("group-unavailable")


async def _check_rights(
    bot: Bot, chat_id: int, user: User, telegram_id: int, i18n: Translator
) -> str | None:
    """Checked three ways: an admin of the bot, an admin of this group, and the bot is admin.
    Returns what is missing, or None."""
    if not policy.can_manage_communities(user):
        return i18n("group-link-not-admin")
    sender = await bot.get_chat_member(chat_id, telegram_id)
    if sender.status not in GROUP_ADMINS:
        return i18n("group-link-not-group-admin")
    me = await bot.get_chat_member(chat_id, bot.id)
    if me.status not in GROUP_ADMINS:
        return i18n("group-link-bot-not-admin")
    return None


async def cmd_link(
    message: Message, command: CommandObject, user: User, repo: Repo, i18n: Translator, bot: Bot
) -> None:
    if not policy.can_manage_communities(user):
        await message.reply(i18n("group-link-not-admin"))
        return
    args = (command.args or "").split()
    moderators = len(args) == 2 and args[1].lower() in MODERATOR_WORDS
    community_id = parse_id(args[0]) if args else None
    if community_id is None or (len(args) == 2 and not moderators) or len(args) > 2:
        await message.reply(i18n("group-link-usage"))
        return
    if message.from_user is None:
        return
    refused = await _check_rights(bot, message.chat.id, user, message.from_user.id, i18n)
    if refused:
        await message.reply(refused)
        return
    community = await repo.communities.require(community_id)
    current = community.moderators_chat_id if moderators else community.group_chat_id
    if current and current != message.chat.id:
        # Another group is linked: replacing it is a choice, not a side effect.
        builder = InlineKeyboardBuilder()
        for replace in (True, False):
            builder.button(
                text=i18n(f"group-link-{'replace' if replace else 'keep'}-button"),
                callback_data=GroupLinkCallback(
                    community_id=community.id, moderators=moderators, replace=replace
                ),
            )
        builder.adjust(1)
        await message.reply(
            i18n(
                "group-link-replace-ask-moderators" if moderators else "group-link-replace-ask",
                title=community.title,
                current=await chat_title(bot, i18n, current),
            ),
            reply_markup=builder.as_markup(),
        )
        return
    await repo.communities.link_group(
        community.id,
        message.chat.id,
        user,
        moderators=moderators,
        is_forum=bool(message.chat.is_forum),
    )
    key = "group-linked-moderators" if moderators else "group-linked"
    await message.reply(i18n(key, title=community.title))


async def cq_link(
    callback: CallbackQuery,
    callback_data: GroupLinkCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    bot: Bot,
) -> None:
    """Replace or keep: pressed by the admin who asked (the rights are checked again)."""
    chat = pressed_message(callback).chat
    chat_id = chat.id
    refused = await _check_rights(bot, chat_id, user, callback.from_user.id, i18n)
    if refused:
        raise InvalidState("error-permission-denied")
    community = await repo.communities.require(callback_data.community_id)
    if not callback_data.replace:
        current = (
            community.moderators_chat_id if callback_data.moderators else community.group_chat_id
        )
        await show(
            callback,
            i18n(
                "group-link-kept",
                title=community.title,
                current=await chat_title(bot, i18n, current) if current else "—",
            ),
        )
        return
    await repo.communities.link_group(
        community.id,
        chat_id,
        user,
        moderators=callback_data.moderators,
        is_forum=bool(chat.is_forum),
    )
    key = "group-linked-moderators" if callback_data.moderators else "group-linked"
    await show(callback, i18n(key, title=community.title))
