"""Changing a thread after it is written: an author edits or removes their post; a moderator
removes someone's post with a reason, pins, closes, reopens or moves a thread."""

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ThreadAction, ThreadCallback
from bot.conduct import ConductBook
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import bot_of, pressed_message, show
from handlers.thread_views import (
    ThreadForm,
    back_markup,
    edit_window,
    render_thread,
    send_thread,
    show_below_media,
)
from notices.after_commit import AfterCommit
from notices.direct import notify
from notices.forum import remove_from_topic, sync_topic_state
from notices.texts import clause_list
from notices.threads import settle_orphans
from storage.enums import (
    ThreadStatus,
)
from storage.errors import InvalidState
from storage.limits import MODERATION_REASON
from storage.models import User
from storage.repositories import Repo


async def _ask(
    callback: CallbackQuery,
    state: FSMContext,
    i18n: Translator,
    step: State,
    key: str,
    **about: int,
) -> None:
    """The next message is the answer: a post's new text, or a moderator's reason."""
    message = pressed_message(callback)
    await state.set_state(step)
    await state.set_data(about)
    await message.answer(i18n(key))


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
    if not repo.threads.within(post, edit_window(settings)):
        raise InvalidState("post-edit-too-late", minutes=int(settings.threads.edit_minutes))
    await _ask(callback, state, i18n, ThreadForm.edit, "post-ask-edit", post_id=post.id)


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
    await repo.threads.edit_post(post, user, body, edit_window(settings))
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
        step, key = ThreadForm.remove_reason, "post-ask-remove-reason"
        await _ask(callback, state, i18n, step, key, post_id=post.id)
        return
    thread, _, orphans = await repo.threads.remove_post(post, user, "", edit_window(settings))
    bot = bot_of(callback)
    after_commit(remove_from_topic, bot, repo, thread, post)
    await settle_orphans(bot, repo, i18n, i18n_hub, after_commit, thread, orphans, user)
    await show_below_media(callback, i18n("post-removed"), back_markup(i18n, thread))


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
        post, user, reason, edit_window(settings)
    )
    await state.clear()
    await settle_orphans(bot, repo, i18n, i18n_hub, after_commit, thread, orphans, user)
    await message.answer(i18n("post-removed"), reply_markup=back_markup(i18n, thread))
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
        after_commit(sync_topic_state, bot_of(callback), repo, thread)
        text, markup = await render_thread(repo, i18n, user, thread, 0, settings.time_zone)
        await show(callback, text, markup)
        return
    step, key = ThreadForm.close_reason, "thread-ask-close-reason"
    await _ask(callback, state, i18n, step, key, thread_id=thread.id)


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
