"""Inside a Telegram group: an admin links it to a community with /link <community id>,
or makes it the community's moderators' chat with /link <community id> moderators."""

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.i18n import Translator
from storage import policy
from storage.models import User
from storage.repositories import Repo

GROUP_ADMINS = {ChatMemberStatus.CREATOR, ChatMemberStatus.ADMINISTRATOR}
MODERATOR_WORDS = {"moderators", "модераторы", "mod"}


def setup() -> Router:
    router = Router(name="groups")
    router.message.filter(F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}))
    router.message.register(cmd_link, Command("link"))
    return router


async def cmd_link(
    message: Message, command: CommandObject, user: User, repo: Repo, i18n: Translator, bot: Bot
) -> None:
    """Checked three ways: an admin of the bot, an admin of this group, and the bot is admin."""
    if not policy.can_manage_communities(user):
        await message.reply(i18n("group-link-not-admin"))
        return
    args = (command.args or "").split()
    moderators = len(args) == 2 and args[1].lower() in MODERATOR_WORDS
    if not args or not args[0].isdigit() or (len(args) == 2 and not moderators) or len(args) > 2:
        await message.reply(i18n("group-link-usage"))
        return
    sender = await bot.get_chat_member(message.chat.id, message.from_user.id)
    if sender.status not in GROUP_ADMINS:
        await message.reply(i18n("group-link-not-group-admin"))
        return
    me = await bot.get_chat_member(message.chat.id, bot.id)
    if me.status not in GROUP_ADMINS:
        await message.reply(i18n("group-link-bot-not-admin"))
        return
    community = await repo.communities.link_group(
        int(args[0]),
        message.chat.id,
        user,
        moderators=moderators,
        is_forum=bool(message.chat.is_forum),
    )
    key = "group-linked-moderators" if moderators else "group-linked"
    await message.reply(i18n(key, title=community.title))
