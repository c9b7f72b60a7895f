"""Threads mirrored in a forum group: a topic per thread, the thread's posts in it, and the
members' messages in that topic taken back into the thread as replies, so a discussion
reads the same in private chat and in the group."""

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.i18n import I18n
from notices.texts import person
from storage.enums import ThreadStatus
from storage.models import Post, Thread, User
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
            sent = await bot.send_document(
                chat_id, post.file_id, caption=text[:1024], message_thread_id=thread.topic_id
            )
        else:
            sent = await bot.send_message(chat_id, text, message_thread_id=thread.topic_id)
    except TelegramAPIError as error:
        logger.warning("post %s not copied to its topic: %s", post.id, error)
        return
    post.topic_message_id = sent.message_id


async def remove_from_topic(bot: Bot, repo: Repo, thread: Thread, post: Post) -> None:
    """A post removed in the bot leaves the topic too; the opening post takes the whole
    topic with it, as it takes the thread."""
    chat_id = await _forum_chat(repo, thread)
    if chat_id is None or thread.topic_id is None:
        return
    try:
        if thread.status is ThreadStatus.DELETED:
            await bot.delete_forum_topic(chat_id, thread.topic_id)
        elif post.topic_message_id is not None:
            await bot.delete_message(chat_id, post.topic_message_id)
    except TelegramAPIError as error:
        logger.warning("post %s not removed from its topic: %s", post.id, error)


async def forget_author(bot: Bot, repo: Repo, i18n_hub: I18n, author: User) -> None:
    """After /delete_me the thread shows the posts as a deleted member's: the bot's copies
    in forum topics, which carried the name, read the same; what the member wrote in a
    topic themselves, under their own account, leaves the topic."""
    t = i18n_hub.translator(None)
    for post, chat_id in await repo.threads.mirrored_posts_of(author):
        text = t("forum-post", author=person(t, author), text=post.body or "📎")
        try:
            if post.topic_message_id is None:  # (mirrored_posts_of returns posts with one)
                continue
            if post.from_topic:
                await bot.delete_message(chat_id, post.topic_message_id)
            elif post.file_id:
                await bot.edit_message_caption(
                    chat_id=chat_id, message_id=post.topic_message_id, caption=text[:1024]
                )
            else:
                await bot.edit_message_text(text, chat_id=chat_id, message_id=post.topic_message_id)
        except TelegramAPIError as error:
            logger.info("topic copy of post %s not anonymised: %s", post.id, error)


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
