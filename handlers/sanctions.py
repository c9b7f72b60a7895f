"""Moderators' sanctions: /warn, /mute, /ban, /unban and /history.

In a linked group they answer a member's message (a reply); in private chat they name the
member (@username or Telegram id) and apply in every group of the moderator's communities
where that member has written. Every use re-checks that the sender moderates the
community; every sanction is audited, and the member is told the reason and how to appeal.
"""

import asyncio
import logging
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.types import ChatPermissions, Message

from bot.conduct import ConductBook
from bot.config import Settings
from bot.dates import group_zone, moment_text, zone_of
from bot.i18n import I18n, Translator
from handlers.common import ChatIs
from handlers.group_conduct import MUTED
from moderation.sanctions import Ladder, Step
from notices.after_commit import AfterCommit
from notices.case_cards import reason_text, rule_categories
from notices.direct import notify
from notices.members import notify_member
from storage import policy
from storage.clock import as_utc
from storage.enums import SanctionKind
from storage.errors import NotFound, PermissionDenied
from storage.limits import SANCTION_REASON_MAX
from storage.models import Community, Sanction, User
from storage.numbers import parse_id, parse_int
from storage.repositories import Repo

logger = logging.getLogger(__name__)


COMMANDS = ("warn", "mute", "ban", "unban", "history")
MAX_MUTE = timedelta(days=30)
_DURATION = re.compile(r"^(\d{1,4})([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
HINT_SECONDS = 60.0  # how long a hint addressed to one moderator stays in a group
_pending: set[asyncio.Task] = set()
FREED = ChatPermissions(
    can_send_messages=True,
    can_send_audios=True,
    can_send_documents=True,
    can_send_photos=True,
    can_send_videos=True,
    can_send_video_notes=True,
    can_send_voice_notes=True,
    can_send_polls=True,
    can_send_other_messages=True,
    can_add_web_page_previews=True,
)


def setup() -> Router:
    router = Router(name="sanctions")
    router.message.register(cmd_sanction, Command(*COMMANDS))
    router.message.register(cmd_lift, Command("lift"), ChatIs(ChatType.PRIVATE))
    router.message.register(cmd_ladder, Command("ladder"), ChatIs(ChatType.PRIVATE))
    return router


async def cmd_lift(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    after_commit: AfterCommit,
) -> None:
    """/lift <sanction number> [reason]: any sanction, by the community's moderators or admins."""
    number, _, reason = (command.args or "").strip().partition(" ")
    sanction_id = parse_id(number)
    if sanction_id is None:
        await message.answer(i18n("lift-usage"))
        return
    sanction = await repo.conduct.get_sanction(sanction_id)
    if sanction is None:
        await message.answer(i18n("lift-not-found", id=number))
        return
    if not await _moderates(repo, user, sanction.community):
        raise PermissionDenied()
    if sanction.lifted_at is not None:
        await message.answer(i18n("appeal-already-lifted"))
        return
    reason = " ".join(reason.split())[:SANCTION_REASON_MAX] or i18n("mod-no-reason")
    await repo.conduct.lift(sanction, user, reason)
    if sanction.kind is not SanctionKind.WARNING and sanction.community.group_chat_id:
        await lift_in_telegram(bot, sanction.community, sanction.user)
    await message.answer(i18n("lift-done", id=sanction.id))
    member_i18n = i18n_hub.translator(sanction.user.locale)
    notice = member_i18n("lift-notice", id=sanction.id, community=sanction.community.title)
    after_commit(notify, bot, sanction.user.telegram_id, notice)


async def cmd_ladder(
    message: Message, command: CommandObject, user: User, repo: Repo, i18n: Translator
) -> None:
    """/ladder <community> shows the community's ladder; /ladder <community> <name> <value>
    changes one step of it."""
    words = (command.args or "").split()
    community_id = parse_id(words[0]) if words else None
    if community_id is None or len(words) not in (1, 3):
        await message.answer(i18n("ladder-usage", names=", ".join(Ladder.LIMITS)))
        return
    community = await repo.communities.get(community_id)
    if community is None:
        raise NotFound("error-community-not-found")
    if not await _moderates(repo, user, community):
        raise PermissionDenied()
    ladder = repo.conduct.ladder(community)
    if len(words) == 3:
        name, value = words[1], words[2]
        number = parse_int(value)
        if name not in Ladder.LIMITS or number is None:
            await message.answer(i18n("ladder-usage", names=", ".join(Ladder.LIMITS)))
            return
        try:
            ladder = ladder.with_value(name, number)
        except ValueError:
            low, high = Ladder.LIMITS[name]
            await message.answer(i18n("ladder-out-of-range", name=name, low=low, high=high))
            return
        await repo.conduct.set_ladder(community, ladder, user)
    lines = [i18n("ladder-title", community=community.title)]
    lines += [f"• {name} = {value}" for name, value in ladder.as_settings().items()]
    await message.answer("\n".join(lines))


async def cmd_sanction(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    conduct: ConductBook,
    settings: Settings,
    after_commit: AfterCommit,
) -> None:
    words = (command.args or "").split()
    in_group = message.chat.type in {ChatType.GROUP, ChatType.SUPERGROUP}
    if in_group:
        community = await repo.communities.by_group_chat(message.chat.id)
        if community is None:
            return
        if not await _moderates(repo, user, community):
            raise PermissionDenied()
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or replied.from_user.is_bot:
            await message.reply(i18n("mod-usage-reply", command=command.command))
            return
        target = await repo.users.get_or_create(replied.from_user.id)
        name = replied.from_user.full_name
        communities = [community]
    else:
        # Rights first: a member learns neither the usage nor whether a name is known.
        moderated = (
            [c.id for c in await repo.communities.active_titles()]
            if policy.is_admin(user)
            else [c.id for c in await repo.communities.moderated_by(user)]
        )
        if not moderated:
            raise PermissionDenied()
        if not words:
            await message.answer(i18n("mod-usage-private", command=command.command))
            return
        named, name = await _named_member(repo, words.pop(0))
        if named is None:
            await message.answer(i18n("mod-target-unknown", who=name))
            return
        target = named
        communities = await repo.conduct.communities_seen_in(target, moderated)
        if not communities:
            await message.answer(i18n("mod-target-not-in-groups", name=name))
            return
    if command.command == "history":
        text = await history_text(
            repo, i18n, target, name, communities, zone_of(user, settings), conduct
        )
        if in_group:
            await _history_privately(message, bot, i18n, text)
        else:
            await message.answer(text)
        return
    if await _is_staff(repo, target, communities):
        await message.answer(i18n("mod-target-staff"))
        return
    duration = None
    if command.command == "mute" and words and _DURATION.match(words[0]):
        duration = _duration(words.pop(0))
        if duration is None:
            await message.answer(i18n("mod-duration-invalid"))
            return
    reason = " ".join(words)[:SANCTION_REASON_MAX] or i18n("mod-no-reason")
    replies = []
    for community in communities:
        replies.append(
            await _unban(
                command.command, community, target, name, user, reason, duration, repo, bot, i18n
            )
            if command.command == "unban"
            else await _sanction(
                command.command,
                community,
                target,
                name,
                user,
                reason,
                duration,
                repo,
                bot,
                i18n,
                i18n_hub,
                settings,
                group_zone(settings) if in_group else zone_of(user, settings),
                after_commit,
            )
        )
    await message.answer("\n".join(replies))


async def _unban(
    action: str,
    community: Community,
    target: User,
    name: str,
    moderator: User,
    reason: str,
    duration: timedelta | None,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
) -> str:
    """/unban: every mute and ban in force is lifted, in the database and in Telegram."""
    lifted = await repo.conduct.in_force(community.id, target)
    if not lifted:
        return i18n("mod-nothing-to-lift", name=name, community=community.title)
    for sanction in lifted:
        await repo.conduct.lift(sanction, moderator, reason)
    await lift_in_telegram(bot, community, target)
    return i18n("mod-lifted", name=name, community=community.title)


async def enforce_in_telegram(
    bot: Bot, community: Community, target: User, sanction: Sanction
) -> None:
    """A mute or a ban also restricts the member in the community's group. A community
    with no group linked keeps the sanction in the bot only: nothing to enforce there."""
    chat_id = community.group_chat_id
    if chat_id is None:
        return
    if sanction.kind is SanctionKind.MUTE:
        await _call(
            bot.restrict_chat_member(
                chat_id, target.telegram_id, permissions=MUTED, until_date=sanction.expires_at
            )
        )
    elif sanction.kind is SanctionKind.BAN:
        await _call(bot.ban_chat_member(chat_id, target.telegram_id))


async def lift_in_telegram(bot: Bot, community: Community, target: User) -> None:
    chat_id = community.group_chat_id
    if chat_id is None:  # no group linked: nothing to lift in Telegram
        return
    await _call(bot.unban_chat_member(chat_id, target.telegram_id, only_if_banned=True))
    await _call(bot.restrict_chat_member(chat_id, target.telegram_id, permissions=FREED))


async def _sanction(
    action: str,
    community: Community,
    target: User,
    name: str,
    moderator: User,
    reason: str,
    duration: timedelta | None,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    settings: Settings,
    zone: ZoneInfo,
    after_commit: AfterCommit,
) -> str:
    ladder = repo.conduct.ladder(community)
    step = None
    if action == "warn":
        step, sanction = await repo.conduct.warn_on_ladder(
            community, target, reason=reason, clause="", rule=None, issued_by=moderator
        )
    else:
        kind = SanctionKind.MUTE if action == "mute" else SanctionKind.BAN
        expires = repo.clock() + duration if duration else None
        sanction = await repo.conduct.sanction(
            community, target, kind, reason=reason, issued_by=moderator, until=expires
        )
    await enforce_in_telegram(bot, community, target, sanction)
    after_commit(notify_member, bot, i18n_hub, settings, target, community, sanction, reason=reason)
    until = moment_text(sanction.expires_at, zone, i18n)
    if step is Step.MUTE or step is Step.BAN:
        # The ladder took the step: the moderator hears what it did, not just "warned".
        return i18n(
            f"mod-warned-ladder-{step.value}",
            name=name,
            count=await repo.conduct.active_warnings(community.id, target),
            days=ladder.warning_days,
            hours=ladder.mute_hours,
            until=until,
            reason=reason,
        )
    if sanction.kind is SanctionKind.WARNING:
        count = await repo.conduct.active_warnings(community.id, target)
        return i18n(
            "mod-warned", name=name, count=count, limit=ladder.warnings_to_mute, reason=reason
        )
    if sanction.kind is SanctionKind.MUTE:
        return i18n("mod-muted", name=name, until=until, reason=reason)
    return i18n("mod-banned", name=name, reason=reason)


async def _history_privately(message: Message, bot: Bot, i18n: Translator, text: str) -> None:
    """A member's record is for the moderator who asked, not for the whole group: it goes
    to them privately and the command leaves the group."""
    await _call(bot.delete_message(message.chat.id, message.message_id))
    if message.from_user is not None and await notify(bot, message.from_user.id, text):
        return
    # The moderator never started the bot: a short hint, gone again in a minute.
    me = await bot.me()
    hint = await message.answer(i18n("history-start-bot", bot=me.username or ""))
    task = asyncio.create_task(_delete_later(bot, hint.chat.id, hint.message_id))
    _pending.add(task)
    task.add_done_callback(_pending.discard)


async def _delete_later(bot: Bot, chat_id: int, message_id: int) -> None:
    await asyncio.sleep(HINT_SECONDS)
    await _call(bot.delete_message(chat_id, message_id))


async def history_text(
    repo: Repo,
    i18n: Translator,
    target: User,
    name: str,
    communities: list[Community],
    zone: ZoneInfo,
    conduct: ConductBook,
) -> str:
    """A member's record, read before deciding: warnings, mutes, bans, who and why."""
    categories = await rule_categories(conduct, repo)
    rows: list[Sanction] = []
    for community in communities:
        rows += await repo.conduct.history(community.id, target)
    if not rows:
        return i18n("history-empty", name=name)
    counts = {kind: sum(row.kind is kind for row in rows) for kind in SanctionKind}
    lines = [
        i18n(
            "history-title",
            name=name,
            warnings=counts[SanctionKind.WARNING],
            mutes=counts[SanctionKind.MUTE],
            bans=counts[SanctionKind.BAN],
        )
    ]
    for row in sorted(rows, key=lambda r: r.id, reverse=True)[:20]:
        by = await repo.users.get(row.issued_by_id) if row.issued_by_id else None
        lines.append(
            i18n(
                "history-line",
                id=row.id,
                date=f"{as_utc(row.created_at).astimezone(zone):%d.%m.%Y}",
                kind=i18n(f"sanction-kind-{row.kind.value}"),
                lifted=i18n("history-lifted") if row.lifted_at else "",
                reason=reason_text(i18n, row, categories),
                by=(by.full_name or by.username or str(by.telegram_id))
                if by
                else i18n("history-by-auto"),
            )
        )
    return "\n".join(lines)


async def _named_member(repo: Repo, who: str) -> tuple[User | None, str]:
    return await repo.users.named(who), who


async def _moderates(repo: Repo, user: User, community: Community) -> bool:
    return policy.can_moderate(user, await repo.communities.membership(user, community.id))


async def _is_staff(repo: Repo, target: User, communities: list[Community]) -> bool:
    for community in communities:
        if await _moderates(repo, target, community):
            return True
    return False


def _duration(text: str) -> timedelta | None:
    match = _DURATION.match(text)
    if match is None:
        return None
    value = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if not timedelta(minutes=1) <= value <= MAX_MUTE:
        return None
    return value


async def _call(request) -> None:
    try:
        await request
    except TelegramAPIError as error:
        logger.warning("sanction not applied in Telegram: %s", error)
