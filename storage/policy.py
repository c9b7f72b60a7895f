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
