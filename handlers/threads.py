"""Forum-style threads in private chat, one router: a community's list, reading page by page,
following, joining from a thread. Writing is in thread_posting, changing and moderating in
thread_changes, how it all looks in thread_views."""

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ThreadAction, ThreadCallback
from bot.config import Settings
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import show
from handlers.thread_changes import (
    cq_close,
    cq_edit,
    cq_move,
    cq_pin,
    cq_remove,
    on_close_reason,
    on_edit,
    on_remove_reason,
)
from handlers.thread_posting import cq_new, cq_reply, on_post, on_title
from handlers.thread_views import (
    ThreadForm,
    back_button,
    render_list,
    render_thread,
    show_below_media,
)
from notices.texts import person
from storage.enums import (
    ContentType,
    JoinPolicy,
)
from storage.errors import InvalidState
from storage.models import User
from storage.repositories import Repo


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
    await show_below_media(callback, text, markup)


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
    builder.row(back_button(i18n, thread))
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
    await show_below_media(callback, text, markup)
