"""How a thread looks in private chat: a community's list of threads, a thread page by page
with its posts, quotes and buttons. Shared by the threads routers."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import CommunityAction, CommunityCallback, ThreadAction, ThreadCallback
from bot.config import Settings
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder, clamp_page, in_pairs, pager_row, pages_for
from handlers.common import show
from notices.texts import person
from storage.enums import (
    CommunityRole,
    JoinPolicy,
    MembershipStatus,
    ThreadStatus,
)
from storage.models import Community, Post, Thread, User
from storage.repositories import Repo

THREADS_PER_PAGE = 8


POSTS_PER_PAGE = 5


SNIPPET = 600


STAFF_ROLES = (CommunityRole.EXPERT, CommunityRole.MODERATOR)


class ThreadForm(StatesGroup):
    title = State()
    opening = State()
    reply = State()
    edit = State()
    remove_reason = State()
    close_reason = State()


def _when(i18n: Translator, user: User, moment: datetime, default_zone: str) -> str:
    try:
        zone = ZoneInfo(user.time_zone or default_zone)
    except (KeyError, ValueError):
        zone = ZoneInfo(default_zone)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(zone).strftime("%d.%m %H:%M")


async def _join_button(
    repo: Repo, i18n: Translator, user: User, community: Community, thread_id: int = 0
) -> InlineKeyboardButton | None:
    """Where a reader who may not write is offered to join (or to ask to) instead; nothing
    while their request waits."""
    membership = await repo.communities.membership(user, community.id)
    if membership is not None and membership.status is MembershipStatus.PENDING:
        return None
    if community.join_policy is JoinPolicy.OPEN:
        # Joined at once: the reader stays on this screen, now able to write.
        return InlineKeyboardButton(
            text=i18n("community-join-button"),
            callback_data=ThreadCallback(
                action=ThreadAction.JOIN, community_id=community.id, thread_id=thread_id
            ).pack(),
        )
    # A request goes through the community's card, which says it waits for a moderator.
    return InlineKeyboardButton(
        text=i18n("community-request-button"),
        callback_data=CommunityCallback(
            action=CommunityAction.JOIN, community_id=community.id
        ).pack(),
    )


async def render_list(
    repo: Repo, i18n: Translator, user: User, community_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    community = await repo.communities.require(community_id)
    writer = await repo.threads.can_write(user, community_id)
    _, total = await repo.threads.page_of_threads(community_id, 0, 1)
    pages = pages_for(total, THREADS_PER_PAGE)
    page = clamp_page(page, pages)
    threads, total = await repo.threads.page_of_threads(
        community_id, page * THREADS_PER_PAGE, THREADS_PER_PAGE
    )
    builder = InlineKeyboardBuilder()
    for thread in threads:
        marks = ("📌 " if thread.pinned else "") + (
            "🔒 " if thread.status is ThreadStatus.CLOSED else ""
        )
        builder.row(
            InlineKeyboardButton(
                text=i18n(
                    "thread-list-item", marks=marks, title=thread.title, replies=thread.replies
                ),
                callback_data=ThreadCallback(action=ThreadAction.OPEN, thread_id=thread.id).pack(),
            )
        )
    row = pager_row(
        i18n,
        page,
        pages,
        lambda p: ThreadCallback(
            action=ThreadAction.LIST, community_id=community_id, page=p
        ).pack(),
    )
    if row:
        builder.row(*row)
    if writer:
        builder.row(
            InlineKeyboardButton(
                text=i18n("thread-new-button"),
                callback_data=ThreadCallback(
                    action=ThreadAction.NEW, community_id=community_id
                ).pack(),
            )
        )
    elif join := await _join_button(repo, i18n, user, community):
        builder.row(join)
    builder.row(
        InlineKeyboardButton(
            text=i18n("button-back"),
            callback_data=CommunityCallback(
                action=CommunityAction.CARD, community_id=community_id
            ).pack(),
        )
    )
    key = "thread-list-title" if total else "thread-list-empty"
    if not total and not writer:
        key = "thread-list-empty-guest"
    return i18n(key, community=community.title, count=total), builder.as_markup()


async def render_thread(
    repo: Repo, i18n: Translator, user: User, thread: Thread, page: int, default_zone: str
) -> tuple[str, InlineKeyboardMarkup]:
    _, total = await repo.threads.page_of_posts(thread.id, 0, 1)
    pages = pages_for(total, POSTS_PER_PAGE)
    page = clamp_page(page, pages)
    posts, total = await repo.threads.page_of_posts(
        thread.id, page * POSTS_PER_PAGE, POSTS_PER_PAGE
    )
    writer = await repo.threads.can_write(user, thread.community_id)
    lines = [i18n("thread-title", title=thread.title)]
    lines.append(
        i18n(
            "thread-meta",
            author=person(i18n, thread.author),
            replies=thread.replies,
            last=_when(i18n, user, thread.last_post_at, default_zone),
        )
    )
    if thread.status is ThreadStatus.CLOSED:
        lines.append(i18n("thread-closed-note", reason=thread.closed_reason or "—"))
    builder = InlineKeyboardBuilder()
    quotes: list[InlineKeyboardButton] = []
    opens: list[InlineKeyboardButton] = []
    for offset, post in enumerate(posts):
        number = page * POSTS_PER_PAGE + offset + 1
        lines.append("")
        lines.append(await _post_text(repo, i18n, user, post, number, default_zone))
        quotes.append(
            InlineKeyboardButton(
                text=f"↩️ {number}",
                callback_data=ThreadCallback(
                    action=ThreadAction.QUOTE, thread_id=thread.id, post_id=post.id
                ).pack(),
            )
        )
        opens.append(
            InlineKeyboardButton(
                text=f"📄 {number}",
                callback_data=ThreadCallback(
                    action=ThreadAction.FULL, thread_id=thread.id, post_id=post.id
                ).pack(),
            )
        )
    if thread.status is ThreadStatus.OPEN and quotes and writer:
        builder.row(*quotes)
    if opens:
        builder.row(*opens)
    row = pager_row(
        i18n,
        page,
        pages,
        lambda p: ThreadCallback(action=ThreadAction.OPEN, thread_id=thread.id, page=p).pack(),
    )
    if row:
        builder.row(*row)
    actions = []
    if thread.status is ThreadStatus.OPEN and not writer:
        if join := await _join_button(repo, i18n, user, thread.community, thread.id):
            actions.append(join)
    elif thread.status is ThreadStatus.OPEN:
        actions.append(
            InlineKeyboardButton(
                text=i18n("thread-reply-button"),
                callback_data=ThreadCallback(action=ThreadAction.REPLY, thread_id=thread.id).pack(),
            )
        )
    following = await repo.threads.following(thread, user)
    actions.append(
        InlineKeyboardButton(
            text=i18n("thread-unfollow-button" if following else "thread-follow-button"),
            callback_data=ThreadCallback(action=ThreadAction.FOLLOW, thread_id=thread.id).pack(),
        )
    )
    builder.row(*actions)
    if await repo.threads.can_moderate(user, thread.community_id):
        closed = thread.status is ThreadStatus.CLOSED
        tools = [
            InlineKeyboardButton(
                text=i18n("thread-unpin-button" if thread.pinned else "thread-pin-button"),
                callback_data=ThreadCallback(action=ThreadAction.PIN, thread_id=thread.id).pack(),
            ),
            InlineKeyboardButton(
                text=i18n("thread-reopen-button" if closed else "thread-close-button"),
                callback_data=ThreadCallback(action=ThreadAction.CLOSE, thread_id=thread.id).pack(),
            ),
            InlineKeyboardButton(
                text=i18n("thread-move-button"),
                callback_data=ThreadCallback(action=ThreadAction.MOVE, thread_id=thread.id).pack(),
            ),
        ]
        for row in in_pairs(tools):  # three in a row are cut on a phone ("Закрепи…")
            builder.row(*row)
    builder.row(
        InlineKeyboardButton(
            text=i18n("button-back"),
            callback_data=ThreadCallback(
                action=ThreadAction.LIST, community_id=thread.community_id
            ).pack(),
        )
    )
    return "\n".join(lines), builder.as_markup()


async def _post_text(
    repo: Repo, i18n: Translator, user: User, post: Post, number: int, default_zone: str
) -> str:
    body = post.body if len(post.body) <= SNIPPET else post.body[:SNIPPET] + "…"
    header = i18n(
        "thread-post-header",
        number=number,
        author=person(i18n, post.author),
        when=_when(i18n, user, post.created_at, default_zone),
    )
    if post.edited_at:
        header += " " + i18n("thread-post-edited")
    parts = [header]
    if post.quote_id:
        quoted = await repo.threads.post(post.quote_id)
        snippet = quoted.body[:80] + ("…" if len(quoted.body) > 80 else "")
        parts.append(i18n("thread-post-quote", author=person(i18n, quoted.author), text=snippet))
    if body:
        parts.append(i18n("thread-post-body", text=body))
    if post.file_id:
        parts.append(i18n("thread-post-file", name=post.file_name or "—"))
    return "\n".join(parts)


async def send_thread(
    message: Message, repo: Repo, i18n: Translator, user: User, thread_id: int, zone: str
) -> None:
    """The thread as a new message: a deep link (start=t_<id>), a notice, after posting."""
    thread = await repo.threads.get(thread_id)
    _, total = await repo.threads.page_of_posts(thread.id, 0, 1)
    last_page = pages_for(total, POSTS_PER_PAGE) - 1
    text, markup = await render_thread(repo, i18n, user, thread, last_page, zone)
    await message.answer(text, reply_markup=markup)


def back_button(i18n: Translator, thread: Thread) -> InlineKeyboardButton:
    """Onward from a full post or a removal: to the thread, or to the list once it is gone."""
    if thread.status is ThreadStatus.DELETED:
        return InlineKeyboardButton(
            text=i18n("thread-list-back-button"),
            callback_data=ThreadCallback(
                action=ThreadAction.LIST, community_id=thread.community_id
            ).pack(),
        )
    return InlineKeyboardButton(
        text=i18n("thread-back-button"),
        callback_data=ThreadCallback(action=ThreadAction.OPEN, thread_id=thread.id).pack(),
    )


def back_markup(i18n: Translator, thread: Thread) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[back_button(i18n, thread)]])


async def show_below_media(
    callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup
) -> None:
    """Edit a text message in place; a photo or file (a full post) stays, the answer follows."""
    if isinstance(callback.message, Message) and callback.message.text is None:
        await callback.message.answer(text, reply_markup=markup)
    else:
        await show(callback, text, markup)


def edit_window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.threads.edit_minutes)
