"""Forum-style threads in private chat: a community's list, reading page by page, starting a
thread, replying (with a quote), following. Every post passes the conduct code first, and a
newcomer's first post waits for a moderator; followers hear of replies through the outbox,
at most once per interval each."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import CommunityAction, CommunityCallback, ThreadAction, ThreadCallback
from bot.conduct import ConductBook
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.keyboards import clamp_page, pager_row, pages_for
from handlers.attachments import refused
from handlers.common import show
from notices.after_commit import AfterCommit
from notices.case_cards import announce_case
from notices.direct import notify
from notices.forum import copy_post, open_topic, remove_from_topic, sync_topic_state
from notices.texts import clause_list, person
from notices.threads import notify_followers, settle_orphans
from storage.enums import (
    CommunityRole,
    ContentType,
    JoinPolicy,
    MembershipStatus,
    ThreadStatus,
)
from storage.errors import InvalidState
from storage.limits import MODERATION_REASON, THREAD_TITLE
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


def setup() -> Router:
    router = Router(name="threads")
    router.callback_query.register(cq_list, ThreadCallback.filter(F.action == ThreadAction.LIST))
    router.callback_query.register(cq_open, ThreadCallback.filter(F.action == ThreadAction.OPEN))
    router.callback_query.register(cq_new, ThreadCallback.filter(F.action == ThreadAction.NEW))
    router.callback_query.register(
        cq_reply, ThreadCallback.filter(F.action.in_({ThreadAction.REPLY, ThreadAction.QUOTE}))
    )
    router.callback_query.register(
        cq_follow, ThreadCallback.filter(F.action == ThreadAction.FOLLOW)
    )
    router.callback_query.register(cq_full, ThreadCallback.filter(F.action == ThreadAction.FULL))
    router.callback_query.register(cq_edit, ThreadCallback.filter(F.action == ThreadAction.EDIT))
    router.callback_query.register(
        cq_remove, ThreadCallback.filter(F.action == ThreadAction.REMOVE)
    )
    router.callback_query.register(cq_pin, ThreadCallback.filter(F.action == ThreadAction.PIN))
    router.callback_query.register(cq_close, ThreadCallback.filter(F.action == ThreadAction.CLOSE))
    router.callback_query.register(cq_move, ThreadCallback.filter(F.action == ThreadAction.MOVE))
    router.callback_query.register(cq_join, ThreadCallback.filter(F.action == ThreadAction.JOIN))
    router.message.register(on_edit, ThreadForm.edit, F.text)
    router.message.register(on_remove_reason, ThreadForm.remove_reason, F.text)
    router.message.register(on_close_reason, ThreadForm.close_reason, F.text)
    router.message.register(on_title, ThreadForm.title, F.text)
    router.message.register(on_post, ThreadForm.opening)
    router.message.register(on_post, ThreadForm.reply)
    return router


# --- rendering -------------------------------------------------------------------------------


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
        builder.row(
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
        )
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


# --- reading -----------------------------------------------------------------------------------


async def cq_list(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
) -> None:
    text, markup = await render_list(
        repo, i18n, user, callback_data.community_id, callback_data.page
    )
    await show(callback, text, markup)


async def cq_open(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    state: FSMContext,
) -> None:
    thread = await repo.threads.get(callback_data.thread_id)
    text, markup = await render_thread(
        repo, i18n, user, thread, callback_data.page, settings.time_zone
    )
    await _show(callback, text, markup)


async def send_thread(
    message: Message, repo: Repo, i18n: Translator, user: User, thread_id: int, zone: str
) -> None:
    """The thread as a new message: a deep link (start=t_<id>), a notice, after posting."""
    thread = await repo.threads.get(thread_id)
    _, total = await repo.threads.page_of_posts(thread.id, 0, 1)
    last_page = pages_for(total, POSTS_PER_PAGE) - 1
    text, markup = await render_thread(repo, i18n, user, thread, last_page, zone)
    await message.answer(text, reply_markup=markup)


async def cq_full(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
) -> None:
    post = await repo.threads.post(callback_data.post_id)
    thread = await repo.threads.get(post.thread_id)
    if post.thread_id != callback_data.thread_id or not isinstance(callback.message, Message):
        raise InvalidState("error-stale-button")
    text = i18n("thread-full-post", title=thread.title, author=person(i18n, post.author))
    if post.edited_at:
        text += " " + i18n("thread-post-edited")
    if post.body:
        text += "\n\n" + i18n("thread-post-body", text=post.body)
    builder = InlineKeyboardBuilder()
    if post.author_id == user.id:
        builder.button(
            text=i18n("post-edit-button"),
            callback_data=ThreadCallback(
                action=ThreadAction.EDIT, thread_id=thread.id, post_id=post.id
            ),
        )
    if post.author_id == user.id or await repo.threads.can_moderate(user, thread.community_id):
        builder.button(
            text=i18n("post-remove-button"),
            callback_data=ThreadCallback(
                action=ThreadAction.REMOVE, thread_id=thread.id, post_id=post.id
            ),
        )
    builder.row(_back_button(i18n, thread))
    markup = builder.as_markup()
    if post.file_id and post.content_type is ContentType.PHOTO:
        await callback.message.answer_photo(post.file_id, caption=text[:1024], reply_markup=markup)
    elif post.file_id and post.content_type is ContentType.VIDEO:
        await callback.message.answer_video(post.file_id, caption=text[:1024], reply_markup=markup)
    elif post.file_id:
        await callback.message.answer_document(
            post.file_id, caption=text[:1024], reply_markup=markup
        )
    else:
        await callback.message.answer(text, reply_markup=markup)


def _back_button(i18n: Translator, thread: Thread) -> InlineKeyboardButton:
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


def _back_markup(i18n: Translator, thread: Thread) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_back_button(i18n, thread)]])


async def _show(callback: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    """Edit a text message in place; a photo or file (a full post) stays, the answer follows."""
    if isinstance(callback.message, Message) and callback.message.text is None:
        await callback.message.answer(text, reply_markup=markup)
    else:
        await show(callback, text, markup)


# --- changing, removing, moderating --------------------------------------------------------


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.threads.edit_minutes)


async def cq_edit(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
    settings: Settings,
) -> None:
    post = await repo.threads.post(callback_data.post_id)
    if post.author_id != user.id:
        raise InvalidState("error-permission-denied")
    if not repo.threads.within(post, _window(settings)):
        raise InvalidState("post-edit-too-late", minutes=int(settings.threads.edit_minutes))
    await state.set_state(ThreadForm.edit)
    await state.set_data({"post_id": post.id})
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("post-ask-edit"))


async def on_edit(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    conduct: ConductBook,
    settings: Settings,
) -> None:
    post = await repo.threads.post((await state.get_data())["post_id"])
    thread = await repo.threads.get(post.thread_id)
    body = message.text or ""
    # "Post clean, then edit into a violation": an edit is checked like a new post.
    verdict = await conduct.check(repo, body)
    await repo.conduct.record_hits(verdict, "post", thread.community_id, user)
    if verdict.blocked or verdict.needs_review:
        await message.answer(i18n("post-blocked", clauses=clause_list(i18n, verdict.as_dicts())))
        return
    await repo.threads.edit_post(post, user, body, _window(settings))
    await state.clear()
    await send_thread(message, repo, i18n, user, thread.id, settings.time_zone)


async def cq_remove(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    i18n_hub: I18n,
    state: FSMContext,
    settings: Settings,
    after_commit: AfterCommit,
) -> None:
    post = await repo.threads.post(callback_data.post_id)
    thread = await repo.threads.get(post.thread_id)
    if post.author_id != user.id and await repo.threads.can_moderate(user, thread.community_id):
        # A moderator removes someone's post with a reason the author will read.
        await state.set_state(ThreadForm.remove_reason)
        await state.set_data({"post_id": post.id})
        if isinstance(callback.message, Message):
            await callback.message.answer(i18n("post-ask-remove-reason"))
        return
    thread, _, orphans = await repo.threads.remove_post(post, user, "", _window(settings))
    after_commit(remove_from_topic, callback.bot, repo, thread, post)
    await settle_orphans(callback.bot, repo, i18n, i18n_hub, after_commit, thread, orphans, user)
    await _show(callback, i18n("post-removed"), _back_markup(i18n, thread))


async def on_remove_reason(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    i18n_hub: I18n,
    settings: Settings,
    bot,
    after_commit: AfterCommit,
) -> None:
    reason = MODERATION_REASON.cleaned(message.text)
    if reason is None:
        await message.answer(i18n("review-reason-invalid", max=MODERATION_REASON.high))
        return
    post = await repo.threads.post((await state.get_data())["post_id"])
    thread, by_moderator, orphans = await repo.threads.remove_post(
        post, user, reason, _window(settings)
    )
    await state.clear()
    await settle_orphans(bot, repo, i18n, i18n_hub, after_commit, thread, orphans, user)
    await message.answer(i18n("post-removed"), reply_markup=_back_markup(i18n, thread))
    if by_moderator and post.author is not None:
        t = i18n_hub.for_user(post.author)
        text = t("post-removed-by-moderator", title=thread.title, reason=reason)
        after_commit(notify, bot, post.author.telegram_id, text)
    after_commit(remove_from_topic, bot, repo, thread, post)


async def cq_pin(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    thread = await repo.threads.get(callback_data.thread_id)
    await repo.threads.moderate(thread, user, "unpin" if thread.pinned else "pin")
    text, markup = await render_thread(repo, i18n, user, thread, 0, settings.time_zone)
    await show(callback, text, markup)


async def cq_close(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
    settings: Settings,
    after_commit: AfterCommit,
) -> None:
    thread = await repo.threads.get(callback_data.thread_id)
    if not await repo.threads.can_moderate(user, thread.community_id):
        raise InvalidState("error-permission-denied")
    if thread.status is ThreadStatus.CLOSED:
        await repo.threads.moderate(thread, user, "reopen")
        after_commit(sync_topic_state, callback.bot, repo, thread)
        text, markup = await render_thread(repo, i18n, user, thread, 0, settings.time_zone)
        await show(callback, text, markup)
        return
    await state.set_state(ThreadForm.close_reason)
    await state.set_data({"thread_id": thread.id})
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("thread-ask-close-reason"))


async def cq_move(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    callback_answer,
) -> None:
    """Choose the community (the ones the moderator moderates), then move the thread."""
    thread = await repo.threads.get(callback_data.thread_id)
    if not await repo.threads.can_moderate(user, thread.community_id):
        raise InvalidState("error-permission-denied")
    if not callback_data.community_id:
        builder = InlineKeyboardBuilder()
        for community in await repo.communities.active_titles():
            if community.id != thread.community_id and await repo.threads.can_moderate(
                user, community.id
            ):
                builder.button(
                    text=community.title,
                    callback_data=ThreadCallback(
                        action=ThreadAction.MOVE, thread_id=thread.id, community_id=community.id
                    ),
                )
        builder.button(
            text=i18n("button-back"),
            callback_data=ThreadCallback(action=ThreadAction.OPEN, thread_id=thread.id),
        )
        builder.adjust(1)
        await show(callback, i18n("thread-move-choose", title=thread.title), builder.as_markup())
        return
    thread = await repo.threads.move(thread, user, callback_data.community_id)
    callback_answer.text = i18n("thread-moved", community=thread.community.title)
    text, markup = await render_thread(repo, i18n, user, thread, 0, settings.time_zone)
    await show(callback, text, markup)


async def on_close_reason(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    after_commit: AfterCommit,
) -> None:
    reason = MODERATION_REASON.cleaned(message.text)
    if reason is None:
        await message.answer(i18n("review-reason-invalid", max=MODERATION_REASON.high))
        return
    thread = await repo.threads.get((await state.get_data())["thread_id"])
    await repo.threads.moderate(thread, user, "close", reason)
    await state.clear()
    after_commit(sync_topic_state, message.bot, repo, thread)
    await send_thread(message, repo, i18n, user, thread.id, settings.time_zone)


async def cq_follow(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    callback_answer,
) -> None:
    thread = await repo.threads.get(callback_data.thread_id)
    if await repo.threads.following(thread, user):
        await repo.threads.unfollow(thread, user)
        callback_answer.text = i18n("thread-unfollowed")
    else:
        await repo.threads.follow(thread, user)
        callback_answer.text = i18n("thread-followed")
    text, markup = await render_thread(repo, i18n, user, thread, 0, settings.time_zone)
    await show(callback, text, markup)


async def cq_join(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
    callback_answer,
) -> None:
    """Join an open community from its discussions and stay on the same screen."""
    if not user.full_name:
        raise InvalidState("community-profile-needed")
    community = await repo.communities.require(callback_data.community_id)
    if community.join_policy is not JoinPolicy.OPEN:
        raise InvalidState("error-stale-button")
    await repo.communities.join(user, community.id)
    callback_answer.text = i18n("community-joined", title=community.title)
    if callback_data.thread_id:
        thread = await repo.threads.get(callback_data.thread_id)
        text, markup = await render_thread(repo, i18n, user, thread, 0, settings.time_zone)
    else:
        text, markup = await render_list(repo, i18n, user, community.id, 0)
    await _show(callback, text, markup)


# --- writing -----------------------------------------------------------------------------------


async def cq_new(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
) -> None:
    await repo.communities.require(callback_data.community_id)
    await repo.threads.require_member(user, callback_data.community_id)
    await state.set_state(ThreadForm.title)
    await state.set_data({"community_id": callback_data.community_id})
    if isinstance(callback.message, Message):
        await callback.message.answer(i18n("thread-ask-title"))


async def on_title(message: Message, state: FSMContext, i18n: Translator) -> None:
    title = THREAD_TITLE.cleaned(message.text)
    if title is None:
        await message.answer(i18n("thread-title-length", max=THREAD_TITLE.high))
        return
    await state.update_data(title=title)
    await state.set_state(ThreadForm.opening)
    await message.answer(i18n("thread-ask-opening"))


async def cq_reply(
    callback: CallbackQuery,
    callback_data: ThreadCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
) -> None:
    thread = await repo.threads.get(callback_data.thread_id)
    await repo.threads.require_member(user, thread.community_id)
    if thread.status is ThreadStatus.CLOSED:
        raise InvalidState("thread-closed", reason=thread.closed_reason or "—")
    quote_id = 0
    if callback_data.action is ThreadAction.QUOTE:
        quote = await repo.threads.post(callback_data.post_id)
        if quote.thread_id != thread.id:
            raise InvalidState("error-stale-button")
        quote_id = quote.id
    await state.set_state(ThreadForm.reply)
    await state.set_data({"thread_id": thread.id, "quote_id": quote_id})
    if isinstance(callback.message, Message):
        key = "thread-ask-quote-reply" if quote_id else "thread-ask-reply"
        await callback.message.answer(i18n(key, title=thread.title))


def _content(message: Message) -> tuple[str, str | None, str | None, ContentType | None]:
    if message.document:
        kind = ContentType.DOCUMENT
        return message.caption or "", message.document.file_id, message.document.file_name, kind
    if message.photo:
        return message.caption or "", message.photo[-1].file_id, None, ContentType.PHOTO
    if message.video:
        name = message.video.file_name
        return message.caption or "", message.video.file_id, name, ContentType.VIDEO
    return message.text or "", None, None, None


async def on_post(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    i18n_hub: I18n,
    conduct: ConductBook,
    settings: Settings,
    bot,
    after_commit: AfterCommit,
) -> None:
    body, file_id, file_name, content_type = _content(message)
    if body.startswith("/"):
        await message.answer(i18n("thread-post-empty"))
        return
    if await refused(message, i18n, settings.materials.max_file_mb):
        return  # the dialog stays at its step: the title typed before is kept
    data = await state.get_data()
    if await state.get_state() == ThreadForm.opening.state:
        thread = None
        community_id = data["community_id"]
        checked = data["title"] + "\n" + body
    else:
        thread = await repo.threads.get(data["thread_id"])
        community_id = thread.community_id
        checked = body
    verdict = await conduct.check(repo, checked)
    await repo.conduct.record_hits(verdict, "post", community_id, user)
    if verdict.blocked:
        # The text stays with its author: they fix it and send again.
        await message.answer(i18n("post-blocked", clauses=clause_list(i18n, verdict.as_dicts())))
        return
    held = verdict.needs_review or not await _trusted(repo, user, community_id, settings)
    if thread is None:
        thread = await repo.threads.start(user, community_id, data["title"])
    quote = await repo.threads.post(data["quote_id"]) if data.get("quote_id") else None
    post, item = await repo.threads.add_post(
        thread,
        user,
        body,
        file_id=file_id,
        file_name=file_name,
        content_type=content_type,
        quote=quote,
        held=held,
        hits=verdict.as_dicts() if verdict.needs_review else None,
    )
    await state.clear()
    if item is not None:
        await message.answer(i18n("post-held"))
        after_commit(announce_case, bot, repo, i18n_hub, item)
        return
    await notify_followers(repo, i18n_hub, thread, post, user, settings)
    if thread.topic_id is None and post.id == await repo.threads.opening_id(thread):
        after_commit(open_topic, bot, repo, i18n_hub, thread, post)
    else:
        after_commit(copy_post, bot, repo, i18n_hub, thread, post)
    await send_thread(message, repo, i18n, user, thread.id, settings.time_zone)


async def _trusted(repo: Repo, user: User, community_id: int, settings: Settings) -> bool:
    """A newcomer's first posts wait for a moderator, as their first materials do."""
    membership = await repo.communities.membership(user, community_id)
    if membership is not None and membership.role in (
        CommunityRole.EXPERT,
        CommunityRole.MODERATOR,
    ):
        return True
    posted = await repo.threads.posted_before(user, community_id)
    return posted >= settings.threads.trusted_after
