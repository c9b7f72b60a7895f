"""Who may do what. Plain functions so handlers, jobs and tests ask the same question."""

from storage.enums import CommunityRole, GlobalRole, MembershipStatus
from storage.models import Membership, User

ADMIN_ROLES = (GlobalRole.ADMIN,)


def is_admin(user: User) -> bool:
    return GlobalRole.ADMIN in user.global_roles


def can_review_applications(user: User) -> bool:
    """Seed 001 §3.1.4: the methodical centre approves a new community."""
    return bool({GlobalRole.ADMIN, GlobalRole.COORDINATOR} & user.global_roles)


def can_manage_communities(user: User) -> bool:
    return is_admin(user)


def can_moderate(user: User, membership: Membership | None) -> bool:
    if is_admin(user):
        return True
    return (
        membership is not None
        and membership.status is MembershipStatus.ACTIVE
        and membership.role is CommunityRole.MODERATOR
    )


def may_see_data_bank(user: User) -> bool:
    """Seed 004 §6.1: the participants' data bank is personal data, for coordinators and
    admins only (every export of it is audited)."""
    return bool({GlobalRole.ADMIN, GlobalRole.COORDINATOR} & user.global_roles)


def may_report_on_network(user: User) -> bool:
    """Seeds 003 §10, 004 §5.4: coordinators, methodists and admins report on the whole
    network and on every community; a moderator only on the communities they moderate."""
    return bool(
        {GlobalRole.ADMIN, GlobalRole.COORDINATOR, GlobalRole.METHODIST} & user.global_roles
    )
