"""What the forum tells people other than the poster: followers hear of new replies, and the
authors of replies held in a removed thread hear that they were withdrawn."""

from datetime import timedelta

from aiogram import Bot
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import ThreadAction, ThreadCallback
from bot.config import Settings
from bot.i18n import I18n, Translator
from notices.after_commit import AfterCommit
from notices.case_cards import refresh_case_cards
from notices.texts import person
from storage.enums import UserStatus
from storage.models import Post, ReviewItem, Thread, User
from storage.repositories import Repo


async def settle_orphans(
    bot: Bot,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    after_commit: AfterCommit,
    thread: Thread,
    orphans: list[tuple[Post, ReviewItem]],
    actor: User,
) -> None:
    """Replies held for review in a removed thread: each author hears why, with their text
    (in their language, through the outbox), and every copy of each review card is closed
    once the removal is committed."""
    for post, item in orphans:
        author = post.author
        if author is not None and author.status is UserStatus.ACTIVE:
            t = i18n_hub.for_user(author)
            await repo.outbox.enqueue(
                f"post-orphaned:{post.id}",
                author.telegram_id,
                t("post-orphaned", title=thread.title, text=post.body or "—"),
                user=author,
            )
        outcome = {"key": "case-post-outcome-orphaned", "name": person(i18n, actor)}
        after_commit(refresh_case_cards, bot, repo, i18n_hub, item, outcome)


async def notify_followers(
    repo: Repo, i18n_hub: I18n, thread: Thread, post: Post, replier: User, settings: Settings
) -> None:
    """One notice per follower per interval: the first reply at once, later ones gathered
    into one notice when the interval ends."""
    interval = timedelta(minutes=settings.threads.notify_minutes)
    for follower, at in await repo.threads.notices_due(thread, replier, interval):
        t = i18n_hub.for_user(follower)
        now = at <= repo.clock()
        text = (
            t(
                "thread-notice-reply",
                title=thread.title,
                author=person(t, post.author),
                text=post.body[:200] or "📎",
            )
            if now
            else t("thread-notice-replies", title=thread.title)
        )
        markup = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(
                        text=t("thread-open-button"),
                        callback_data=ThreadCallback(
                            action=ThreadAction.OPEN, thread_id=thread.id, page=999
                        ).pack(),
                    )
                ]
            ]
        )
        await repo.outbox.enqueue(
            f"thread:{thread.id}:to:{follower.id}:at:{int(at.timestamp())}",
            follower.telegram_id,
            text,
            user=follower,
            markup=markup.model_dump(exclude_none=True),
            not_before=at,
        )
