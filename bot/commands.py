"""The "/" command menu, per person: everyone sees what a member can do (the default
scope, in each language); a person with more rights gets their own list in their private
chat (``BotCommandScopeChat``), so nobody is offered a command that answers "no rights".

The menu is computed from the database with the same predicates the handlers check. It
is set again when roles change, whatever path changed them: a flush listener notes every
user whose global roles or community roles changed (and every community whose status
changed), and after the update commits their menus are recomputed and set where they
differ from what was last set. A cheap check on each person's updates catches what no
update of ours did (the CLI, another replica): the first update after start-up, a change
of language, and then once every ``RECHECK_SECONDS``. At start-up every staff member's
menu is set.
"""

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramNotFound
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    TelegramObject,
)
from aiogram.types import User as TelegramUser
from sqlalchemy import event, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.i18n import I18n
from storage import policy
from storage.clock import Clock
from storage.enums import CommunityRole, CommunityStatus, MembershipStatus, UserStatus
from storage.models import Community, Membership, User, UserRole
from storage.repositories import Repo

logger = logging.getLogger(__name__)

# What any member can do, in the order the menu shows them.
MEMBER_COMMANDS = (
    "start",
    "search",
    "share",
    "communities",
    "my",
    "my_materials",
    "events",
    "surveys",
    "profile",
    "apply",
    "language",
    "privacy",
    "help",
    "cancel",
)
# Every command a role may add, in menu order.
STAFF_COMMANDS = (
    "queue",
    "history",
    "new_event",
    "broadcast",
    "new_survey",
    "deadlines",
    "new_deadline",
    "report",
    "applications",
    "grant",
    "revoke",
    "rules",
    "rules_stats",
    "check_text",
)
ALL_COMMANDS = (*MEMBER_COMMANDS, *STAFF_COMMANDS)
# In groups a member can only report a message (as a reply); the rest lives in private chat.
GROUP_COMMANDS = ("report",)
# Staff commands go after the member's everyday ones, before profile and settings.
_STAFF_AFTER = "surveys"
RECHECK_SECONDS = 600.0
_CHANGES = "metodset.menu_changes"


async def commands_for(repo: Repo, user: User) -> tuple[str, ...]:
    """Exactly the commands this person may use, by the handlers' own permission checks."""
    if user.status is UserStatus.DELETED:
        return MEMBER_COMMANDS
    admin = policy.is_admin(user)
    moderates = admin or bool(await repo.communities.moderated_by(user))
    staff: list[str] = []
    if moderates:
        staff += ["queue", "history"]
    if moderates or await repo.events.can_organise(user, None):
        staff.append("new_event")
    if repo.broadcasts.can_send(user):
        staff.append("broadcast")
    if repo.surveys.can_run(user):
        staff.append("new_survey")
    if repo.deadlines.can_set(user):
        staff += ["deadlines", "new_deadline"]
    if moderates or policy.may_report_on_network(user):
        staff.append("report")
    if policy.can_review_applications(user):
        staff.append("applications")
    if admin:
        staff += ["grant", "revoke", "rules", "rules_stats", "check_text"]
    if not staff:
        return MEMBER_COMMANDS
    staff.sort(key=STAFF_COMMANDS.index)
    at = MEMBER_COMMANDS.index(_STAFF_AFTER) + 1
    return (*MEMBER_COMMANDS[:at], *staff, *MEMBER_COMMANDS[at:])


def bot_commands(
    i18n_hub: I18n, locale: str | None, names: Iterable[str], *, prefix: str = "command-"
) -> list[BotCommand]:
    t = i18n_hub.translator(locale)
    return [BotCommand(command=name, description=t(f"{prefix}{name}")) for name in names]


async def set_default_menu(bot: Bot, i18n_hub: I18n) -> None:
    """Everyone's menu in each language, plus the default language for everyone else."""
    for locale in (*i18n_hub.locales, None):
        await bot.set_my_commands(
            bot_commands(i18n_hub, locale, MEMBER_COMMANDS),
            scope=BotCommandScopeDefault(),
            language_code=locale,
        )
        await bot.set_my_commands(
            # /report in a group reports a message; in private chat it is the effectiveness report
            bot_commands(i18n_hub, locale, GROUP_COMMANDS, prefix="command-group-"),
            scope=BotCommandScopeAllGroupChats(),
            language_code=locale,
        )


# --- noticing role changes ------------------------------------------------------------------


def _changed(instance: Any, *names: str) -> bool:
    state = inspect(instance)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note_role_changes(session: Session, _context: Any) -> None:
    """After each flush: whose roles may have changed (read by the menu keeper)."""
    users: set[int] = set()
    communities: set[int] = set()
    for instance in (*session.new, *session.deleted):
        if isinstance(instance, UserRole | Membership) and instance.user_id is not None:
            users.add(instance.user_id)
    for instance in session.dirty:
        if isinstance(instance, User) and _changed(instance, "roles", "status"):
            users.add(instance.id)
        elif isinstance(instance, Membership) and _changed(instance, "role", "status"):
            users.add(instance.user_id)
        elif isinstance(instance, Community) and _changed(instance, "status"):
            communities.add(instance.id)
    if users or communities:
        noted = session.info.setdefault(_CHANGES, (set(), set()))
        noted[0].update(users)
        noted[1].update(communities)


def watch_role_changes() -> None:
    """Once per process; every session then notes role changes in its ``info``."""
    if not event.contains(Session, "after_flush", _note_role_changes):
        event.listen(Session, "after_flush", _note_role_changes)


def take_role_changes(session: AsyncSession) -> tuple[set[int], set[int]]:
    """(user ids, community ids) noted since the last call."""
    return session.info.pop(_CHANGES, (set(), set()))


# --- setting the menus ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Menu:
    locale: str
    commands: tuple[str, ...]

    @property
    def is_default(self) -> bool:
        return self.commands == MEMBER_COMMANDS


@dataclass(slots=True)
class _Known:
    menu: Menu
    checked: float


class CommandMenus:
    """Keeps each person's private menu equal to what the database says they may do."""

    def __init__(
        self,
        *,
        sessionmaker: async_sessionmaker[AsyncSession],
        i18n_hub: I18n,
        clock: Clock,
        monotonic: Callable[[], float],
    ):
        self._sessionmaker = sessionmaker
        self._i18n_hub = i18n_hub
        self._clock = clock
        self._monotonic = monotonic
        self._known: dict[int, _Known] = {}
        # Set when the Bot API server lacks the menu methods (some third-party servers do).
        self._unsupported = False
        watch_role_changes()

    async def menu(self, repo: Repo, user: User, language_code: str | None = None) -> Menu:
        locale = self._i18n_hub.pick_locale(user.locale, language_code)
        return Menu(locale, await commands_for(repo, user))

    async def apply(self, bot: Bot, telegram_id: int, menu: Menu) -> bool:
        """Set (or remove) the person's own list when it differs from the last one set."""
        if self._unsupported:
            return False
        known = self._known.get(telegram_id)
        if known is not None and known.menu == menu:
            known.checked = self._monotonic()
            return False
        scope = BotCommandScopeChat(chat_id=telegram_id)
        try:
            if menu.is_default:
                # Their own list goes, and the default (in their app's language) shows.
                await bot.delete_my_commands(scope=scope)
            else:
                await bot.set_my_commands(
                    bot_commands(self._i18n_hub, menu.locale, menu.commands), scope=scope
                )
        except TelegramNotFound as error:
            # The method itself is missing ("chat not found" is a 400): say so once, stop.
            logger.warning("Personal command menus are off: the Bot API server answered %s", error)
            self._unsupported = True
            return False
        except TelegramAPIError as error:
            # e.g. "chat not found" for someone who never started the bot: next time.
            logger.info("menu of %s not set: %s", telegram_id, error)
            self._known.pop(telegram_id, None)
            return False
        self._known[telegram_id] = _Known(menu, self._monotonic())
        return True

    async def refresh(
        self,
        bot: Bot,
        user_ids: Iterable[int] = (),
        community_ids: Iterable[int] = (),
        *,
        sender: tuple[int, str | None] | None = None,
    ) -> int:
        """Recompute and set the menus of these users (database ids), of the moderators of
        these communities, and of the sender (Telegram id, Telegram language)."""
        user_ids, community_ids = set(user_ids), set(community_ids)
        async with self._sessionmaker() as session:
            repo = Repo(session, self._clock)
            if community_ids:
                user_ids |= set(
                    await session.scalars(
                        select(Membership.user_id).where(
                            Membership.community_id.in_(community_ids),
                            Membership.role == CommunityRole.MODERATOR,
                        )
                    )
                )
            people = list(await session.scalars(select(User).where(User.id.in_(user_ids))))
            if sender is not None and all(p.telegram_id != sender[0] for p in people):
                found = await repo.users.by_telegram_id(sender[0])
                if found is not None:
                    people.append(found)
            menus = []
            for person in people:
                language = sender[1] if sender and person.telegram_id == sender[0] else None
                menus.append((person.telegram_id, await self.menu(repo, person, language)))
        return sum([await self.apply(bot, telegram_id, menu) for telegram_id, menu in menus])

    async def set_staff_menus(self, bot: Bot) -> int:
        """At start-up: everyone with a global role or a community to moderate."""
        async with self._sessionmaker() as session:
            staff = set(await session.scalars(select(UserRole.user_id)))
            staff |= set(
                await session.scalars(
                    select(Membership.user_id)
                    .join(Community, Community.id == Membership.community_id)
                    .where(
                        Membership.role == CommunityRole.MODERATOR,
                        Membership.status == MembershipStatus.ACTIVE,
                        Community.status == CommunityStatus.ACTIVE,
                    )
                )
            )
        await self.refresh(bot, staff)
        return len(staff)

    def _sender_is_due(self, user: User | None, sender: TelegramUser) -> bool:
        """The cheap check: nothing is read from the database unless this says so."""
        if user is None or sender.is_bot:
            return False
        locale = self._i18n_hub.pick_locale(user.locale, sender.language_code)
        known = self._known.get(user.telegram_id)
        if known is None:
            if user.status is UserStatus.NEW and not user.roles:
                # Never consented, never had a role: the default menu is theirs already.
                self._known[user.telegram_id] = _Known(
                    Menu(locale, MEMBER_COMMANDS), self._monotonic()
                )
                return False
            return True
        if not known.menu.is_default and known.menu.locale != locale:
            return True
        return self._monotonic() - known.checked > RECHECK_SECONDS

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """An outer middleware around the DB session's: acts after the update committed."""
        result = await handler(event, data)
        try:
            await self._after_update(data)
        except Exception:  # a menu must never cost the person their answer
            logger.exception("command menus not refreshed")
        return result

    async def _after_update(self, data: dict[str, Any]) -> None:
        session: AsyncSession | None = data.get("session")
        users, communities = take_role_changes(session) if session is not None else (set(), set())
        sender: TelegramUser | None = data.get("event_from_user")
        user: User | None = data.get("user")
        due = sender is not None and self._sender_is_due(user, sender)
        if not (users or communities or due):
            return
        await self.refresh(
            data["bot"],
            users,
            communities,
            sender=(sender.id, sender.language_code) if due and sender else None,
        )


async def refresh_now(bot: Bot, sessionmaker, i18n_hub: I18n, clock: Clock, user_id: int) -> bool:
    """For a process without updates (the CLI): set one person's menu at once."""
    import time

    menus = CommandMenus(
        sessionmaker=sessionmaker, i18n_hub=i18n_hub, clock=clock, monotonic=time.monotonic
    )
    return await menus.refresh(bot, [user_id]) == 1
