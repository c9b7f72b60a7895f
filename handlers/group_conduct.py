"""The conduct code in a community's linked group: every message is checked as it arrives.

A violation is deleted and its author warned in the group with the clause, never with
the offending text repeated; warnings climb the community's ladder to a mute and a ban.
Flooding earns a slow-down warning, then a mute; a newcomer's first messages may not
carry links. Moderators and admins are trusted to moderate, not checked.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Router
from aiogram.enums import ChatType, MessageEntityType
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ChatPermissions, Message

from bot.conduct import ConductBook
from bot.config import Settings
from bot.dates import group_zone, moment_text
from bot.i18n import I18n, Translator
from handlers.attachments import attachment
from handlers.common import ChatIs, FromPerson
from moderation.engine import Verdict
from moderation.rules import GroupAction
from moderation.sanctions import Flood, Step
from notices.after_commit import AfterCommit
from notices.case_cards import AUTO_REASON, announce_case
from notices.members import notify_member
from notices.texts import clause_list
from notices.threads import notify_followers
from storage import files, policy
from storage.enums import ContentType, SanctionKind, ThreadStatus
from storage.models import Community, User
from storage.repositories import Repo

logger = logging.getLogger(__name__)
LINK_ENTITIES = {MessageEntityType.URL, MessageEntityType.TEXT_LINK}
MUTED = ChatPermissions(can_send_messages=False)


def setup() -> Router:
    router = Router(name="group_conduct")
    in_groups = ChatIs(ChatType.GROUP, ChatType.SUPERGROUP)
    router.message.filter(in_groups)
    router.edited_message.filter(in_groups)
    router.message.register(on_group_message, FromPerson())
    # "Post clean, then edit into a violation": an edit is checked like a new message.
    router.edited_message.register(on_group_edit, FromPerson())
    return router


async def on_group_message(
    message: Message,
    user: User,
    repo: Repo,
    bot: Bot,
    conduct: ConductBook,
    i18n_hub: I18n,
    clock: Callable[[], datetime],
    monotonic: Callable[[], float],
    settings: Settings,
    after_commit: AfterCommit,
) -> None:
    community = await repo.communities.by_group_chat(message.chat.id)
    if community is None:
        return
    membership = await repo.communities.membership(user, community.id)
    if policy.can_moderate(user, membership):
        # Trusted, not policed; but an answer in a thread's topic is still the thread's.
        if message.is_topic_message and message.message_thread_id:
            await _take_into_thread(message, user, repo, i18n_hub, community, settings)
        return
    # The group speaks the community's language, not each member's.
    i18n = i18n_hub.translator(None)
    ladder = repo.conduct.ladder(community)
    written = await repo.conduct.count_group_message(community.id, user)

    flood = conduct.flood.message(message.chat.id, user.id, monotonic(), ladder)
    if flood is Flood.SLOW_DOWN:
        await message.answer(i18n("group-flood-slow-down", name=_name(message)))
    elif flood is Flood.MUTE:
        until = clock() + ladder.flood_mute_period
        sanction = await repo.conduct.sanction(
            community, user, SanctionKind.MUTE, reason="flood", until=until
        )
        await _restrict(bot, message.chat.id, user, until)
        until_text = moment_text(until, group_zone(settings), i18n)
        text = i18n("group-flood-muted", name=_name(message), until=until_text)
        after_commit(message.answer, text)
        # Like every sanction: the member hears why, privately, with the Appeal button.
        member_t = i18n_hub.for_user(user)
        after_commit(
            notify_member,
            bot,
            i18n_hub,
            settings,
            user,
            community,
            sanction,
            reason=member_t("sanction-reason-flood"),
        )
        return

    if await _check_text(
        message, user, repo, bot, conduct, i18n, i18n_hub, community, settings, after_commit
    ):
        return
    if message.is_topic_message and message.message_thread_id:
        await _take_into_thread(message, user, repo, i18n_hub, community, settings)
    has_link = any(entity.type in LINK_ENTITIES for entity in message.entities or ()) or any(
        entity.type in LINK_ENTITIES for entity in message.caption_entities or ()
    )
    if has_link and written <= ladder.new_member_messages:
        await _delete(bot, message)
        await message.answer(
            i18n(
                "group-newcomer-link",
                name=_name(message),
                count=ladder.new_member_messages,
            )
        )


async def _take_into_thread(
    message: Message,
    user: User,
    repo: Repo,
    i18n_hub: I18n,
    community: Community,
    settings: Settings,
) -> None:
    """A message in a thread's forum topic becomes a reply of the thread (it has passed the
    conduct code already), so the thread reads the same in private chat."""
    document = message.document
    if document and not files.check(attachment(document), settings.materials.max_file_mb).ok:
        document = None  # the file policy: the file stays in the group, not in private chats
    text = message.text or message.caption or ""
    if text.startswith("/") or not (text.strip() or document):
        return  # a command, a sticker or a photo alone is not a reply
    if message.message_thread_id is None:
        return
    thread = await repo.threads.by_topic(community.id, message.message_thread_id)
    if thread is None or thread.status is not ThreadStatus.OPEN:
        return
    post, _ = await repo.threads.add_post(
        thread,
        user,
        text,
        file_id=document.file_id if document else None,
        file_name=document.file_name if document else None,
        content_type=ContentType.DOCUMENT if document else None,
        topic_message_id=message.message_id,
    )
    await notify_followers(repo, i18n_hub, thread, post, user, settings)


async def on_group_edit(
    edited_message: Message,
    user: User,
    repo: Repo,
    bot: Bot,
    conduct: ConductBook,
    i18n_hub: I18n,
    settings: Settings,
    after_commit: AfterCommit,
) -> None:
    community = await repo.communities.by_group_chat(edited_message.chat.id)
    if community is None:
        return
    if policy.can_moderate(user, await repo.communities.membership(user, community.id)):
        return
    i18n = i18n_hub.translator(None)
    await _check_text(
        edited_message, user, repo, bot, conduct, i18n, i18n_hub, community, settings, after_commit
    )


async def _check_text(
    message: Message,
    user: User,
    repo: Repo,
    bot: Bot,
    conduct: ConductBook,
    i18n: Translator,
    i18n_hub: I18n,
    community: Community,
    settings: Settings,
    after_commit: AfterCommit,
) -> bool:
    """The conduct code on a message's text; True when the message was taken down."""
    text = message.text or message.caption or ""
    if not text:
        return False
    verdict = await conduct.check(repo, text)
    if verdict.hits or verdict.dry_run_hits:
        await repo.conduct.record_hits(verdict, "group", community.id, user)
    if verdict.group_action is GroupAction.FLAG:
        # Left in the group, but a moderator takes a look.
        item = await repo.cases.flag_group_message(
            community, message.chat.id, message.message_id, user, text, verdict
        )
        if item.announced_at is None:
            after_commit(announce_case, bot, repo, i18n_hub, item)
        return False
    if verdict.group_action is not GroupAction.DELETE:
        return False
    await _delete(bot, message)
    await _enforce(
        message, user, repo, bot, i18n, i18n_hub, community, verdict, settings, after_commit
    )
    return True


async def _enforce(
    message: Message,
    user: User,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    community: Community,
    verdict: Verdict,
    settings: Settings,
    after_commit: AfterCommit,
) -> None:
    worst = max(verdict.hits, key=lambda hit: hit.severity)
    clauses = clause_list(i18n, verdict.as_dicts())
    step, sanction = await repo.conduct.warn_on_ladder(
        community, user, reason=f"{AUTO_REASON}{worst.rule}", clause=worst.clause, rule=worst.rule
    )
    name = _name(message)
    ladder = repo.conduct.ladder(community)
    if step is Step.WARN:
        count = await repo.conduct.active_warnings(community.id, user)
        text = i18n(
            "group-deleted-warning",
            name=name,
            clauses=clauses,
            count=count,
            limit=ladder.warnings_to_mute,
        )
    elif step is Step.MUTE:
        await _restrict(bot, message.chat.id, user, sanction.expires_at)
        text = i18n(
            "group-deleted-muted",
            name=name,
            clauses=clauses,
            count=await repo.conduct.active_warnings(community.id, user),
            until=moment_text(sanction.expires_at, group_zone(settings), i18n),
        )
    else:
        await _ban(bot, message.chat.id, user)
        text = i18n("group-deleted-banned", name=name, clauses=clauses)
    after_commit(message.answer, text)
    after_commit(notify_member, bot, i18n_hub, settings, user, community, sanction, verdict=verdict)


async def _delete(bot: Bot, message: Message) -> None:
    try:
        await bot.delete_message(message.chat.id, message.message_id)
    except TelegramAPIError as error:
        logger.warning("could not delete message in chat %s: %s", message.chat.id, error)


async def _restrict(bot: Bot, chat_id: int, user: User, until: datetime | None) -> None:
    try:
        await bot.restrict_chat_member(
            chat_id, user.telegram_id, permissions=MUTED, until_date=until
        )
    except TelegramAPIError as error:
        logger.warning("could not mute user %s in chat %s: %s", user.id, chat_id, error)


async def _ban(bot: Bot, chat_id: int, user: User) -> None:
    try:
        await bot.ban_chat_member(chat_id, user.telegram_id)
    except TelegramAPIError as error:
        logger.warning("could not ban user %s in chat %s: %s", user.id, chat_id, error)


def _name(message: Message) -> str:
    """The name the group already sees; a member who never registered has no other."""
    return message.from_user.full_name if message.from_user else ""
