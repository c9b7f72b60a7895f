"""Writing in a thread: starting one (title, then the opening post), replying, quoting.
Every post passes the conduct code first, and a newcomer's first post waits for a
moderator; followers hear of replies through the outbox, at most once per interval each."""

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ThreadAction, ThreadCallback
from bot.conduct import ConductBook
from bot.config import Settings
from bot.i18n import I18n, Translator
from handlers.attachments import refused
from handlers.thread_views import ThreadForm, send_thread
from notices.after_commit import AfterCommit
from notices.case_cards import announce_case
from notices.forum import copy_post, open_topic
from notices.texts import clause_list
from notices.threads import notify_followers
from storage.enums import (
    CommunityRole,
    ContentType,
    ThreadStatus,
)
from storage.errors import InvalidState
from storage.limits import THREAD_TITLE
from storage.models import User
from storage.repositories import Repo


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
