"""Deep links (t.me/<bot>?start=...): c_<community>, m_<material>, t_<thread>, x_<expertise
request>. Opened by /start, and after onboarding for someone who followed a link first."""

from aiogram.types import Message

from bot.i18n import Translator
from handlers import expertise
from handlers.communities import send_community_card
from handlers.library import send_material_card
from handlers.thread_views import send_thread
from storage.models import User
from storage.numbers import parse_id
from storage.repositories import Repo

COMMUNITY_LINK_PREFIX = "c_"
MATERIAL_LINK_PREFIX = "m_"
THREAD_LINK_PREFIX = "t_"


def parse_link(payload: str | None, prefix: str) -> int | None:
    """The id after ``prefix``, or None for another link or a malformed one."""
    if payload and payload.startswith(prefix):
        return parse_id(payload.removeprefix(prefix))
    return None


def is_link(payload: str | None) -> bool:
    prefixes = (
        COMMUNITY_LINK_PREFIX,
        MATERIAL_LINK_PREFIX,
        THREAD_LINK_PREFIX,
        expertise.REQUEST_LINK_PREFIX,
    )
    return any(parse_link(payload, prefix) is not None for prefix in prefixes)


async def open_link(
    message: Message, repo: Repo, i18n: Translator, user: User, payload: str | None, zone: str
) -> bool:
    """Show what the link points at; False when it is no link (the caller greets instead)."""
    if (community_id := parse_link(payload, COMMUNITY_LINK_PREFIX)) is not None:
        await send_community_card(message, repo, i18n, user, community_id)
    elif (material_id := parse_link(payload, MATERIAL_LINK_PREFIX)) is not None:
        await send_material_card(message, repo, i18n, user, material_id)
    elif (thread_id := parse_link(payload, THREAD_LINK_PREFIX)) is not None:
        await send_thread(message, repo, i18n, user, thread_id, zone)
    elif (request_id := parse_link(payload, expertise.REQUEST_LINK_PREFIX)) is not None:
        await expertise.send_request(message, repo, i18n, user, request_id)
    else:
        return False
    return True
