"""What a community's staff hear about its membership: join requests to its moderators,
and to admins that it is about to lose, or has lost, its only moderator."""

from aiogram import Bot

from bot.callbacks import JoinRequestCallback
from bot.i18n import I18n
from notices.direct import notify
from notices.moderators import decision_keyboard
from notices.texts import person
from storage.enums import GlobalRole
from storage.models import Community, Membership, User
from storage.repositories import Repo


async def send_join_request(bot: Bot, repo: Repo, i18n_hub: I18n, membership: Membership) -> None:
    """To the community's moderators; to admins when it has none yet."""
    recipients = await repo.communities.moderators(membership.community_id)
    if not recipients:
        recipients = await repo.users.with_role(GlobalRole.ADMIN)
    applicant = membership.user
    for moderator in recipients:
        t = i18n_hub.for_user(moderator)
        await notify(
            bot,
            moderator.telegram_id,
            t(
                "join-request-notice",
                name=person(t, applicant),
                organisation=applicant.organisation.name if applicant.organisation else "—",
                title=membership.community.title,
            ),
            reply_markup=decision_keyboard(
                t, lambda action: JoinRequestCallback(action=action, membership_id=membership.id)
            ),
        )


async def tell_admins_no_moderator(
    repo: Repo, i18n_hub: I18n, moderator: User, communities: list[Community], *, deleted: bool
) -> None:
    """Admins appoint moderators, so they hear (each in their language, through the outbox)
    that a community's only moderator wants to leave, or has deleted their account."""
    when = "deleted" if deleted else repo.clock().date().isoformat()  # one notice a day
    for admin in await repo.users.with_role(GlobalRole.ADMIN):
        if admin.id == moderator.id:
            continue
        t = i18n_hub.for_user(admin)
        name = person(t, moderator)
        for community in communities:
            if deleted:
                text = t("admin-notice-moderator-deleted", name=name, title=community.title)
            else:
                text = t("admin-notice-last-moderator", name=name, title=community.title)
            await repo.outbox.enqueue(
                f"no-moderator:{community.id}:{moderator.id}:{when}:{admin.id}",
                admin.telegram_id,
                text,
                user=admin,
            )
