"""Admins: community staff (moderators, experts), archiving, linking a group; global roles."""

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import AdminAction, AdminCallback, CommunityAction, CommunityCallback
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import show
from handlers.groups import chat_title
from notices.after_commit import AfterCommit
from notices.direct import notify
from notices.texts import person
from storage import policy
from storage.enums import CommunityRole, GlobalRole, UserStatus
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.models import User
from storage.repositories import Repo


class AdminForm(StatesGroup):
    staff_target = State()


def setup() -> Router:
    router = Router(name="admin")
    router.callback_query.register(cq_menu, AdminCallback.filter(F.action == AdminAction.MENU))
    router.callback_query.register(
        cq_add_staff,
        AdminCallback.filter(F.action.in_({AdminAction.ADD_MODERATOR, AdminAction.ADD_EXPERT})),
    )
    router.message.register(on_staff_target, AdminForm.staff_target, F.text)
    router.callback_query.register(cq_demote, AdminCallback.filter(F.action == AdminAction.DEMOTE))
    router.callback_query.register(
        cq_demote_confirm, AdminCallback.filter(F.action == AdminAction.DEMOTE_CONFIRM)
    )
    router.callback_query.register(
        cq_archive, AdminCallback.filter(F.action == AdminAction.ARCHIVE)
    )
    router.callback_query.register(
        cq_archive_confirm, AdminCallback.filter(F.action == AdminAction.ARCHIVE_CONFIRM)
    )
    router.callback_query.register(cq_link, AdminCallback.filter(F.action == AdminAction.LINK))
    router.message.register(cmd_grant, Command("grant"))
    router.message.register(cmd_revoke, Command("revoke"))
    return router


def _require_admin(user: User) -> None:
    if not policy.can_manage_communities(user):
        raise PermissionDenied()


def short_person(i18n: Translator, user: User) -> str:
    """ "Козлова Е. А.": a surname and initials fit a phone's button."""
    words = (user.full_name or "").split() if user.status is UserStatus.ACTIVE else []
    if len(words) < 2:
        return person(i18n, user)
    return " ".join([words[0], *(f"{word[0]}." for word in words[1:3])])


async def render_menu(repo: Repo, i18n: Translator, community_id: int, bot: Bot):
    community = await repo.communities.require(community_id)
    staff = await repo.communities.staff(community_id)
    builder = InlineKeyboardBuilder()
    for role_key, people in (("moderator", staff.moderators), ("expert", staff.experts)):
        for member in people:
            builder.button(
                text=i18n(
                    "admin-demote-button",
                    name=short_person(i18n, member),
                    role=i18n(f"community-role-{role_key}"),
                ),
                callback_data=AdminCallback(
                    action=AdminAction.DEMOTE, community_id=community_id, user_id=member.id
                ),
            )
    builder.button(
        text=i18n("admin-add-moderator"),
        callback_data=AdminCallback(action=AdminAction.ADD_MODERATOR, community_id=community_id),
    )
    builder.button(
        text=i18n("admin-add-expert"),
        callback_data=AdminCallback(action=AdminAction.ADD_EXPERT, community_id=community_id),
    )
    builder.button(
        text=i18n("admin-link-group"),
        callback_data=AdminCallback(action=AdminAction.LINK, community_id=community_id),
    )
    builder.button(
        text=i18n("admin-archive"),
        callback_data=AdminCallback(action=AdminAction.ARCHIVE, community_id=community_id),
    )
    builder.button(
        text=i18n("button-back"),
        callback_data=CommunityCallback(action=CommunityAction.CARD, community_id=community_id),
    )
    builder.adjust(1)
    lines = [i18n("admin-menu", title=community.title)]
    if community.group_chat_id:
        group = await chat_title(bot, i18n, community.group_chat_id)
        lines.append(i18n("admin-menu-group", group=group))
    else:
        lines.append(i18n("admin-menu-no-group"))
    if community.moderators_chat_id:
        chat = await chat_title(bot, i18n, community.moderators_chat_id)
        lines.append(i18n("admin-menu-moderators-chat", chat=chat))
    return "\n".join(lines), builder.as_markup()


async def cq_menu(
    callback: CallbackQuery,
    callback_data: AdminCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    bot: Bot,
) -> None:
    _require_admin(user)
    text, markup = await render_menu(repo, i18n, callback_data.community_id, bot)
    await show(callback, text, markup)


async def cq_add_staff(
    callback: CallbackQuery,
    callback_data: AdminCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    state: FSMContext,
) -> None:
    _require_admin(user)
    community = await repo.communities.require(callback_data.community_id)
    role = (
        CommunityRole.MODERATOR
        if callback_data.action is AdminAction.ADD_MODERATOR
        else CommunityRole.EXPERT
    )
    await state.set_state(AdminForm.staff_target)
    await state.set_data({"community_id": community.id, "role": role.value})
    await show(
        callback,
        i18n("admin-ask-staff", title=community.title, role=i18n(f"community-role-{role.value}")),
    )


async def on_staff_target(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
) -> None:
    _require_admin(user)
    data = await state.get_data()
    target = await repo.users.named(message.text or "")
    if target is None or not target.has_consent:
        await message.answer(i18n("admin-user-not-found", query=(message.text or "").strip()))
        return
    role = CommunityRole(data["role"])
    membership = await repo.communities.set_role(data["community_id"], target, role, user)
    await state.clear()
    role_name = i18n(f"community-role-{role.value}")
    text, markup = await render_menu(repo, i18n, membership.community_id, bot)
    await message.answer(
        i18n("admin-staff-added", name=person(i18n, target), role=role_name) + "\n\n" + text,
        reply_markup=markup,
    )
    t = i18n_hub.for_user(target)
    role_for_them = t(f"community-role-{role.value}")
    news = t("admin-you-are-staff", role=role_for_them, title=membership.community.title)
    after_commit(notify, bot, target.telegram_id, news)


async def _staff_member(repo: Repo, callback_data: AdminCallback) -> tuple[User, CommunityRole]:
    target = await repo.users.get(callback_data.user_id)
    if target is None:
        raise NotFound()
    membership = await repo.communities.membership(target, callback_data.community_id)
    if membership is None or membership.role not in (CommunityRole.MODERATOR, CommunityRole.EXPERT):
        raise InvalidState("error-stale-button")  # demoted meanwhile
    return target, membership.role


async def cq_demote(
    callback: CallbackQuery,
    callback_data: AdminCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    """A role is not taken away on one tap: the admin confirms first."""
    _require_admin(user)
    target, role = await _staff_member(repo, callback_data)
    community = await repo.communities.require(callback_data.community_id)
    builder = InlineKeyboardBuilder()
    if role is CommunityRole.MODERATOR and await repo.communities.sole_moderated(
        target, community.id
    ):
        # The successor first, then the demotion: the community is never left without one.
        builder.button(
            text=i18n("button-back"),
            callback_data=AdminCallback(action=AdminAction.MENU, community_id=community.id),
        )
        text = i18n(
            "admin-demote-last-moderator", name=short_person(i18n, target), title=community.title
        )
        await show(callback, text, builder.as_markup())
        return
    builder.button(
        text=i18n("admin-demote-confirm"),
        callback_data=AdminCallback(
            action=AdminAction.DEMOTE_CONFIRM, community_id=community.id, user_id=target.id
        ),
    )
    builder.button(
        text=i18n("button-cancel"),
        callback_data=AdminCallback(action=AdminAction.MENU, community_id=community.id),
    )
    builder.adjust(2)
    text = i18n(
        f"admin-demote-ask-{role.value}", name=short_person(i18n, target), title=community.title
    )
    await show(callback, text, builder.as_markup())


async def cq_demote_confirm(
    callback: CallbackQuery,
    callback_data: AdminCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    bot: Bot,
    callback_answer: CallbackAnswer,
) -> None:
    _require_admin(user)
    target, _ = await _staff_member(repo, callback_data)
    await repo.communities.set_role(callback_data.community_id, target, CommunityRole.MEMBER, user)
    callback_answer.text = i18n("admin-demoted", name=person(i18n, target))
    text, markup = await render_menu(repo, i18n, callback_data.community_id, bot)
    await show(callback, text, markup)


async def cq_archive(
    callback: CallbackQuery, callback_data: AdminCallback, user: User, repo: Repo, i18n: Translator
) -> None:
    _require_admin(user)
    community = await repo.communities.require(callback_data.community_id)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("admin-archive-confirm"),
        callback_data=AdminCallback(action=AdminAction.ARCHIVE_CONFIRM, community_id=community.id),
    )
    builder.button(
        text=i18n("button-cancel"),
        callback_data=AdminCallback(action=AdminAction.MENU, community_id=community.id),
    )
    builder.adjust(1)
    await show(callback, i18n("admin-archive-ask", title=community.title), builder.as_markup())


async def cq_archive_confirm(
    callback: CallbackQuery, callback_data: AdminCallback, user: User, repo: Repo, i18n: Translator
) -> None:
    community = await repo.communities.archive(callback_data.community_id, user)
    await show(callback, i18n("admin-archived", title=community.title))


async def cq_link(
    callback: CallbackQuery, callback_data: AdminCallback, user: User, repo: Repo, i18n: Translator
) -> None:
    _require_admin(user)
    community = await repo.communities.require(callback_data.community_id)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("button-back"),
        callback_data=AdminCallback(action=AdminAction.MENU, community_id=community.id),
    )
    await show(
        callback,
        i18n("admin-link-howto", title=community.title, id=community.id),
        builder.as_markup(),
    )


async def _role_command(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    i18n: Translator,
    *,
    grant: bool,
) -> None:
    _require_admin(user)
    parts = (command.args or "").split()
    roles = {role.value: role for role in GlobalRole}
    if len(parts) != 2 or parts[1].lower() not in roles:
        await message.answer(i18n("admin-role-usage", roles=", ".join(roles)))
        return
    target = await repo.users.named(parts[0])
    if target is None:
        await message.answer(i18n("admin-user-not-found", query=parts[0]))
        return
    role = roles[parts[1].lower()]
    if not grant and role is GlobalRole.ADMIN and target.id == user.id:
        raise InvalidState("admin-cannot-revoke-self")
    changed = await (repo.users.grant_role if grant else repo.users.revoke_role)(target, role, user)
    key = (
        ("admin-role-granted" if grant else "admin-role-revoked")
        if changed
        else "admin-role-unchanged"
    )
    await message.answer(i18n(key, name=person(i18n, target), role=i18n(f"role-{role.value}")))


async def cmd_grant(
    message: Message, command: CommandObject, user: User, repo: Repo, i18n: Translator
) -> None:
    await _role_command(message, command, user, repo, i18n, grant=True)


async def cmd_revoke(
    message: Message, command: CommandObject, user: User, repo: Repo, i18n: Translator
) -> None:
    await _role_command(message, command, user, repo, i18n, grant=False)
