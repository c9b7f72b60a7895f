"""/queue: moderators walk the review queue one card at a time, in private chat.

Everything waits in one queue: premoderation, the conduct code's flags, members' reports
and appeals. A filter narrows it to one source or one community; "take" claims an item so
other moderators walk past it. Every button re-checks the moderator on the server.
"""

from aiogram import Bot, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import QueueAction, QueueCallback
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import ChatIs
from notices.case_cards import case_keyboard, case_text
from notices.review_cards import card_text, review_keyboard
from notices.texts import person
from storage import policy
from storage.enums import ReviewSource
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.models import ReviewItem, User
from storage.repositories import Repo
from storage.repositories.materials import MATERIAL

SOURCES = (
    ReviewSource.PREMODERATION,
    ReviewSource.EDIT,
    ReviewSource.AUTO_FLAG,
    ReviewSource.MEMBER_REPORT,
    ReviewSource.APPEAL,
)


EMPTY = InlineKeyboardMarkup(inline_keyboard=[])


def setup() -> Router:
    router = Router(name="queue")
    router.message.register(cmd_queue, Command("queue"), ChatIs(ChatType.PRIVATE))
    router.callback_query.register(cq_queue, QueueCallback.filter())
    return router


async def _communities(repo: Repo, user: User) -> list[int]:
    if policy.is_admin(user):  # an admin may look, even before there is any community
        return [community.id for community in await repo.communities.active_titles()]
    found = await repo.communities.moderated_by(user)
    if not found:
        raise PermissionDenied()
    return [community.id for community in found]


async def cmd_queue(message: Message, bot: Bot, repo: Repo, user: User, i18n: Translator) -> None:
    await _show(bot, message.chat.id, repo, i18n, user, QueueCallback(action=QueueAction.SHOW))


async def cq_queue(
    callback: CallbackQuery,
    callback_data: QueueCallback,
    bot: Bot,
    repo: Repo,
    user: User,
    i18n: Translator,
) -> str | None:
    if not isinstance(callback.message, Message):
        return None
    if callback_data.action is QueueAction.FILTERS:
        await callback.message.edit_reply_markup(
            reply_markup=await _filters_keyboard(repo, i18n, user)
        )
        return None
    if callback_data.action is QueueAction.CLAIM:
        item = await repo.materials.review_item(callback_data.item_id)
        if item is None or not await repo.materials.can_review(user, item.community_id):
            raise PermissionDenied()
        await repo.review.claim(item.id, user)
        claim = callback_data.pack()
        rows = [
            [button for button in row if button.callback_data != claim]
            for row in (
                callback.message.reply_markup or InlineKeyboardMarkup(inline_keyboard=[])
            ).inline_keyboard
        ]
        await callback.message.edit_text(
            callback.message.html_text + "\n" + i18n("queue-claimed", name=person(i18n, user)),
            reply_markup=InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row]),
        )
        return None
    if callback.message.chat.type == "private":
        await _show(bot, callback.message.chat.id, repo, i18n, user, callback_data)
        return None
    # "Next in the queue" under a decided card in the moderators' chat: the queue is personal
    # (claims, filters), so it opens in the presser's private chat.
    try:
        await _show(bot, callback.from_user.id, repo, i18n, user, callback_data)
    except (TelegramForbiddenError, TelegramBadRequest) as error:
        if isinstance(error, TelegramBadRequest) and "chat not found" not in error.message:
            raise
        me = await bot.me()
        raise InvalidState("review-start-bot-first", bot=me.username or "") from error
    return None


async def _show(
    bot: Bot, chat_id: int, repo: Repo, i18n: Translator, user: User, view: QueueCallback
) -> None:
    communities = await _communities(repo, user)
    if view.community_id and view.community_id not in communities:
        raise PermissionDenied()
    source = view.source
    if source is not None and source not in SOURCES:
        raise InvalidState("error-stale-button")
    queue = await repo.review.queue(
        communities, user, source=source, community_id=view.community_id or None
    )
    if view.action is QueueAction.NEXT:
        queue = [item for item in queue if item.id != view.item_id]
    if not queue:
        await bot.send_message(
            chat_id, i18n("queue-empty"), reply_markup=_nav(i18n, view, None, more=False)
        )
        return
    item = queue[0]
    header = await _header(repo, i18n, user, communities, len(queue), view)
    card, markup = await _card(repo, i18n, item)
    claimed = ""
    if item.claimed_by_id:  # the queue shows only items free or taken by the viewer
        claimed = "\n" + i18n("queue-claimed", name=person(i18n, user))
    sent = await bot.send_message(
        chat_id,
        header + "\n" + card + claimed,
        reply_markup=InlineKeyboardMarkup(
            inline_keyboard=markup.inline_keyboard
            + _nav(i18n, view, item, more=len(queue) > 1).inline_keyboard
        ),
    )
    repo.review.remember_card(item.id, sent.chat.id, sent.message_id, i18n.locale)


async def _card(repo: Repo, i18n: Translator, item: ReviewItem):
    if item.object_type == MATERIAL:
        material = await repo.materials.get(item.object_id)
        if material is None:
            raise NotFound()
        return (
            await card_text(repo, i18n, item, material),
            review_keyboard(i18n, item.id, material),
        )
    return await case_text(repo, i18n, item), case_keyboard(i18n, item)


async def _header(
    repo: Repo,
    i18n: Translator,
    user: User,
    communities: list[int],
    count: int,
    view: QueueCallback,
) -> str:
    by_source, _ = await repo.review.counts(communities, user)
    parts = [
        i18n("queue-source-count", source=i18n(f"queue-source-{source.value}"), count=n)
        for source, n in sorted(by_source.items(), key=lambda pair: SOURCES.index(pair[0]))
    ]
    line = i18n("queue-position", count=count)
    if view.source or view.community_id:
        line = i18n("queue-position-filtered", count=count)
    return line + ("\n" + " · ".join(parts) if parts else "")


def _nav(
    i18n: Translator, view: QueueCallback, item: ReviewItem | None, *, more: bool
) -> InlineKeyboardMarkup:
    row: list[InlineKeyboardButton] = []
    if item is not None and not item.claimed_by_id:
        row.append(
            InlineKeyboardButton(
                text=i18n("queue-claim"),
                callback_data=QueueCallback(action=QueueAction.CLAIM, item_id=item.id).pack(),
            )
        )
    if item is not None and more:
        row.append(
            InlineKeyboardButton(
                text=i18n("review-next"),
                callback_data=QueueCallback(
                    action=QueueAction.NEXT,
                    item_id=item.id,
                    source=view.source,
                    community_id=view.community_id,
                ).pack(),
            )
        )
    row.append(
        InlineKeyboardButton(
            text=i18n("queue-filter"),
            callback_data=QueueCallback(action=QueueAction.FILTERS).pack(),
        )
    )
    return InlineKeyboardMarkup(inline_keyboard=[row])


async def _filters_keyboard(repo: Repo, i18n: Translator, user: User) -> InlineKeyboardMarkup:
    communities = await _communities(repo, user)
    by_source, by_community = await repo.review.counts(communities, user)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("queue-filter-all", count=sum(by_source.values())),
        callback_data=QueueCallback(action=QueueAction.SHOW),
    )
    for source in SOURCES:
        if by_source[source]:
            builder.button(
                text=i18n(
                    "queue-source-count",
                    source=i18n(f"queue-source-{source.value}"),
                    count=by_source[source],
                ),
                callback_data=QueueCallback(action=QueueAction.SHOW, source=source.value),
            )
    titles = {c.id: c.title for c in await repo.communities.active_titles()}
    for community_id, count in by_community.most_common(10):
        builder.button(
            text=i18n(
                "queue-community-count", title=titles.get(community_id or 0, "—"), count=count
            ),
            callback_data=QueueCallback(action=QueueAction.SHOW, community_id=community_id),
        )
    builder.adjust(1)
    return builder.as_markup()
