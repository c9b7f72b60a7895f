"""Browse communities, the community card, joining and leaving, join requests."""

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import (
    AdminAction,
    AdminCallback,
    CommunityAction,
    CommunityCallback,
    DecisionAction,
    JoinRequestCallback,
    ThreadAction,
    ThreadCallback,
)
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder, clamp_page, pager_row, pages_for
from handlers.common import MenuText, mark_decided, show
from notices.after_commit import AfterCommit
from notices.communities import send_join_request, tell_admins_no_moderator
from notices.direct import notify
from notices.texts import person
from storage import policy
from storage.enums import CommunityStatus, JoinPolicy, MembershipStatus
from storage.errors import InvalidState
from storage.models import Community, Membership, User
from storage.repositories import Repo

COMMUNITIES_PER_PAGE = 6


def setup() -> Router:
    router = Router(name="communities")
    router.message.register(cmd_communities, Command("communities"))
    router.message.register(cmd_communities, MenuText("menu-communities"))
    router.message.register(cmd_my, Command("my"))
    router.callback_query.register(
        cq_list, CommunityCallback.filter(F.action == CommunityAction.LIST)
    )
    router.callback_query.register(
        cq_card, CommunityCallback.filter(F.action == CommunityAction.CARD)
    )
    router.callback_query.register(
        cq_join, CommunityCallback.filter(F.action == CommunityAction.JOIN)
    )
    router.callback_query.register(
        cq_leave, CommunityCallback.filter(F.action == CommunityAction.LEAVE)
    )
    router.callback_query.register(
        cq_mine, CommunityCallback.filter(F.action == CommunityAction.MINE)
    )
    router.callback_query.register(cq_join_request_decision, JoinRequestCallback.filter())
    router.callback_query.register(
        cq_subscribe, CommunityCallback.filter(F.action == CommunityAction.SUBSCRIBE)
    )
    return router


# --- list --------------------------------------------------------------------------------


async def render_list(repo: Repo, i18n: Translator, page: int) -> tuple[str, InlineKeyboardMarkup]:
    _, total = await repo.communities.browse(0, 0)
    pages = pages_for(total, COMMUNITIES_PER_PAGE)
    page = clamp_page(page, pages)
    summaries, _ = await repo.communities.browse(page * COMMUNITIES_PER_PAGE, COMMUNITIES_PER_PAGE)
    builder = InlineKeyboardBuilder()
    for summary in summaries:
        builder.button(
            text=i18n(
                "community-list-item", title=summary.community.title, members=summary.members
            ),
            callback_data=CommunityCallback(
                action=CommunityAction.CARD, community_id=summary.community.id, page=page
            ),
        )
    builder.adjust(1)
    pager = pager_row(
        i18n, page, pages, lambda n: CommunityCallback(action=CommunityAction.LIST, page=n).pack()
    )
    if pager:
        builder.row(*pager)
    builder.row(
        InlineKeyboardButton(
            text=i18n("community-mine-button"),
            callback_data=CommunityCallback(action=CommunityAction.MINE).pack(),
        ),
        InlineKeyboardButton(
            text=i18n("community-apply-button"),
            callback_data=CommunityCallback(action=CommunityAction.APPLY).pack(),
        ),
    )
    text = i18n("community-list-title", count=total) if total else i18n("community-list-empty")
    return text, builder.as_markup()


async def cmd_communities(message: Message, repo: Repo, i18n: Translator) -> None:
    text, markup = await render_list(repo, i18n, 0)
    await message.answer(text, reply_markup=markup)


async def cq_list(
    callback: CallbackQuery, callback_data: CommunityCallback, repo: Repo, i18n: Translator
) -> None:
    text, markup = await render_list(repo, i18n, callback_data.page)
    await show(callback, text, markup)


# --- card --------------------------------------------------------------------------------


async def render_card(
    repo: Repo, i18n: Translator, user: User, community: Community, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    staff = await repo.communities.staff(community.id)
    members = await repo.communities.member_count(community.id)
    membership = await repo.communities.membership(user, community.id)
    lines = [i18n("community-card-title", title=community.title)]
    if community.area:
        lines.append(i18n("community-card-area", area=community.area))
    if community.description:
        lines.append(i18n("community-card-description", text=community.description))
    lines.append(i18n("community-card-members", count=members))
    lines.append(i18n(f"community-policy-{community.join_policy.value}"))
    if staff.moderators:
        lines.append(
            i18n(
                "community-card-moderators",
                names=", ".join(person(i18n, u) for u in staff.moderators),
            )
        )
    if staff.experts:
        lines.append(
            i18n("community-card-experts", names=", ".join(person(i18n, u) for u in staff.experts))
        )
    status = _membership_status_key(membership)
    if status:
        lines.append(i18n(status))

    builder = InlineKeyboardBuilder()
    active = membership is not None and membership.status is MembershipStatus.ACTIVE
    pending = membership is not None and membership.status is MembershipStatus.PENDING
    if active and membership is not None:
        subscribed = membership.notify_materials
        builder.button(
            text=i18n(
                "community-unsubscribe-button" if subscribed else "community-subscribe-button"
            ),
            callback_data=CommunityCallback(
                action=CommunityAction.SUBSCRIBE, community_id=community.id, page=page
            ),
        )
    if active or pending:
        builder.button(
            text=i18n("community-leave-button" if active else "community-cancel-request-button"),
            callback_data=CommunityCallback(
                action=CommunityAction.LEAVE, community_id=community.id, page=page
            ),
        )
    else:
        key = (
            "community-join-button"
            if community.join_policy is JoinPolicy.OPEN
            else "community-request-button"
        )
        builder.button(
            text=i18n(key),
            callback_data=CommunityCallback(
                action=CommunityAction.JOIN, community_id=community.id, page=page
            ),
        )
    builder.button(
        text=i18n("community-threads-button"),
        callback_data=ThreadCallback(action=ThreadAction.LIST, community_id=community.id),
    )
    if policy.can_manage_communities(user):
        builder.button(
            text=i18n("community-manage-button"),
            callback_data=AdminCallback(action=AdminAction.MENU, community_id=community.id),
        )
    builder.button(
        text=i18n("button-back"),
        callback_data=CommunityCallback(action=CommunityAction.LIST, page=page),
    )
    builder.adjust(1)
    return "\n".join(lines), builder.as_markup()


def _membership_status_key(membership: Membership | None) -> str | None:
    if membership is None:
        return None
    if membership.status is MembershipStatus.PENDING:
        return "community-you-pending"
    if membership.status is MembershipStatus.ACTIVE:
        return f"community-you-{membership.role.value}"
    return None


async def send_community_card(
    message: Message, repo: Repo, i18n: Translator, user: User, community_id: int
) -> None:
    """The card as a new message: for deep links (start=c_<id>) and after onboarding."""
    community = await repo.communities.get(community_id)
    if community is None or community.status is not CommunityStatus.ACTIVE:
        await message.answer(i18n("error-community-not-found"))
        return
    text, markup = await render_card(repo, i18n, user, community)
    await message.answer(text, reply_markup=markup)


async def cq_card(
    callback: CallbackQuery,
    callback_data: CommunityCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    community = await repo.communities.require(callback_data.community_id)
    text, markup = await render_card(repo, i18n, user, community, callback_data.page)
    await show(callback, text, markup)


# --- joining -----------------------------------------------------------------------------


async def cq_join(
    callback: CallbackQuery,
    callback_data: CommunityCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    callback_answer: CallbackAnswer,
    after_commit: AfterCommit,
) -> None:
    if not user.full_name:
        raise InvalidState("community-profile-needed")
    membership = await repo.communities.join(user, callback_data.community_id)
    community = membership.community
    if membership.status is MembershipStatus.PENDING:
        # After the commit: a moderator may press "approve" at once.
        after_commit(send_join_request, bot, repo, i18n_hub, membership)
        callback_answer_text = i18n("community-request-sent", title=community.title)
    else:
        callback_answer_text = i18n("community-joined", title=community.title)
    callback_answer.text = callback_answer_text
    callback_answer.show_alert = True
    text, markup = await render_card(repo, i18n, user, community, callback_data.page)
    await show(callback, text, markup)


async def cq_join_request_decision(
    callback: CallbackQuery,
    callback_data: JoinRequestCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
) -> None:
    approve = callback_data.action is DecisionAction.APPROVE
    membership = await repo.communities.decide_join_request(
        callback_data.membership_id, user, approve=approve
    )
    await mark_decided(callback, i18n, user, approve)
    requester = membership.user
    t = i18n_hub.for_user(requester)
    key = "join-request-approved" if approve else "join-request-declined"
    after_commit(notify, bot, requester.telegram_id, t(key, title=membership.community.title))


async def cq_subscribe(
    callback: CallbackQuery,
    callback_data: CommunityCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    callback_answer: CallbackAnswer,
) -> None:
    """New materials of the community: on or off, for its active members only."""
    current = await repo.communities.membership(user, callback_data.community_id)
    on = not (current is not None and current.notify_materials)
    membership = await repo.communities.subscribe_to_materials(user, callback_data.community_id, on)
    key = "community-subscribed" if on else "community-unsubscribed"
    callback_answer.text = i18n(key, title=membership.community.title)
    text, markup = await render_card(repo, i18n, user, membership.community, callback_data.page)
    await show(callback, text, markup)


async def cq_leave(
    callback: CallbackQuery,
    callback_data: CommunityCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    callback_answer: CallbackAnswer,
) -> None:
    if sole := await repo.communities.sole_moderated(user, callback_data.community_id):
        # Refused, not handed to nobody: the admins hear of it and appoint a successor.
        await tell_admins_no_moderator(repo, i18n_hub, user, sole, deleted=False)
        callback_answer.text = i18n("community-last-moderator", title=sole[0].title)
        callback_answer.show_alert = True
        if isinstance(callback.message, Message):
            await callback.message.answer(
                i18n("community-last-moderator-leave", title=sole[0].title)
            )
        return
    membership = await repo.communities.leave(user, callback_data.community_id)
    callback_answer.text = i18n("community-left", title=membership.community.title)
    callback_answer.show_alert = True
    community = await repo.communities.require(callback_data.community_id)
    text, markup = await render_card(repo, i18n, user, community, callback_data.page)
    await show(callback, text, markup)


# --- my communities ----------------------------------------------------------------------


async def render_mine(repo: Repo, i18n: Translator, user: User) -> tuple[str, InlineKeyboardMarkup]:
    memberships = await repo.communities.memberships_of(user)
    builder = InlineKeyboardBuilder()
    for membership in memberships:
        status = _membership_status_key(membership)
        builder.button(
            text=i18n(
                "community-mine-item",
                title=membership.community.title,
                status=i18n(f"{status}-short") if status else "",
            ),
            callback_data=CommunityCallback(
                action=CommunityAction.CARD, community_id=membership.community_id
            ),
        )
    builder.button(
        text=i18n("community-all-button"),
        callback_data=CommunityCallback(action=CommunityAction.LIST),
    )
    builder.adjust(1)
    key = "community-mine-title" if memberships else "community-mine-empty"
    return i18n(key, count=len(memberships)), builder.as_markup()


async def cmd_my(message: Message, user: User, repo: Repo, i18n: Translator) -> None:
    text, markup = await render_mine(repo, i18n, user)
    await message.answer(text, reply_markup=markup)


async def cq_mine(callback: CallbackQuery, user: User, repo: Repo, i18n: Translator) -> None:
    text, markup = await render_mine(repo, i18n, user)
    await show(callback, text, markup)


__all__ = ["send_community_card", "setup"]
