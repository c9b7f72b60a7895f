"""Small renderers that handlers and notices share: how a person is named to others, which
clauses of the conduct code a text breaks."""

from typing import Any

from bot.i18n import Translator
from storage.enums import UserStatus
from storage.models import User


def person(i18n: Translator, user: User | None) -> str:
    """How a person is named to others; an erased account stays anonymous."""
    if user is None or user.status is UserStatus.DELETED:
        return i18n("deleted-member")
    if user.full_name:
        return user.full_name
    if user.username:
        return f"@{user.username}"
    return i18n("member-without-name", id=str(user.telegram_id))


def percent(score: float | None) -> int:
    """A model's score as the whole percent a card shows (0.934 -> 93)."""
    return round((score or 0) * 100)


def clause_list(i18n: Translator, hits: tuple[dict[str, Any], ...] | list[dict[str, Any]]) -> str:
    """The clauses a text breaks, each with what it forbids: "§7.2 (insulting members)"."""
    pairs = dict.fromkeys((hit["clause"], hit["category"]) for hit in hits if hit.get("clause"))
    return ", ".join(
        i18n("conduct-clause", clause=clause, category=i18n(f"conduct-category-{category}"))
        for clause, category in pairs
    )
