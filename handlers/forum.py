"""Threads mirrored in a forum group: a topic per thread, the thread's posts in it, and the
members' messages in that topic taken back into the thread as replies, so a discussion
reads the same in private chat and in the group."""

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.i18n import I18n
from handlers.common import person
from storage.enums import ThreadStatus
from storage.models import Post, Thread
from storage.repositories import Repo

logger = logging.getLogger(__name__)
TOPIC_NAME_MAX = 128  # Telegram's limit for a forum topic's name


async def _forum_chat(repo: Repo, thread: Thread) -> int | None:
    community = await repo.communities.get(thread.community_id)
    if community is None or not community.group_chat_id or not community.group_is_forum:
        return None
    return community.group_chat_id


async def open_topic(bot: Bot, repo: Repo, i18n_hub: I18n, thread: Thread, opening: Post) -> None:
    """A new thread gets its topic, with the opening post as its first message."""
    chat_id = await _forum_chat(repo, thread)
    if chat_id is None or thread.topic_id is not None:
        return
    try:
        topic = await bot.create_forum_topic(chat_id, thread.title[:TOPIC_NAME_MAX])
    except TelegramAPIError as error:
        logger.warning("no forum topic for thread %s: %s", thread.id, error)
        return
    thread.topic_id = topic.message_thread_id
    await repo.session.commit()
    await copy_post(bot, repo, i18n_hub, thread, opening)


async def copy_post(bot: Bot, repo: Repo, i18n_hub: I18n, thread: Thread, post: Post) -> None:
    """A post written in private chat appears in the thread's topic."""
    chat_id = await _forum_chat(repo, thread)
    if chat_id is None or thread.topic_id is None:
        return
    t = i18n_hub.translator(None)
    text = t("forum-post", author=person(t, post.author), text=post.body or "📎")
    try:
        if post.file_id:
            await bot.send_document(
                chat_id, post.file_id, caption=text[:1024], message_thread_id=thread.topic_id
            )
        else:
            await bot.send_message(chat_id, text, message_thread_id=thread.topic_id)
    except TelegramAPIError as error:
        logger.warning("post %s not copied to its topic: %s", post.id, error)


async def sync_topic_state(bot: Bot, repo: Repo, thread: Thread) -> None:
    """Closing a thread closes its topic; reopening reopens it."""
    chat_id = await _forum_chat(repo, thread)
    if chat_id is None or thread.topic_id is None:
        return
    try:
        if thread.status is ThreadStatus.CLOSED:
            await bot.close_forum_topic(chat_id, thread.topic_id)
        else:
            await bot.reopen_forum_topic(chat_id, thread.topic_id)
    except TelegramAPIError as error:
        logger.warning("topic of thread %s not updated: %s", thread.id, error)
