"""Conduct cases: /report in a linked group, /appeal in private chat, and their cards.

A reported message goes to the community's moderators with the reports' reasons and each
reporter's record (so abusive reporting shows), but the author never learns who reported.
An appeal goes to the community's moderators except the one who imposed the sanction,
or to the admins. Every decision re-checks the decider on the server; the first wins.
"""

import logging

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.callbacks import AppealAction, AppealCallback, CaseAction, CaseCallback
from bot.conduct import ConductBook
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import ChatIs, bot_of, expect_step, show
from handlers.sanctions import history_text, lift_in_telegram
from notices.after_commit import AfterCommit
from notices.case_cards import (
    announce_case,
    chat_zone,
    refresh_case_cards,
)
from notices.direct import notify
from notices.forum import copy_post, open_topic
from notices.members import notify_member
from notices.texts import clause_list, person
from notices.threads import notify_followers, settle_orphans
from storage import limits
from storage.enums import ReviewStatus
from storage.errors import InvalidState, NotFound, PermissionDenied
from storage.limits import REPORT_REASON_MAX
from storage.models import ReviewItem, User
from storage.numbers import parse_id
from storage.repositories import Repo
from storage.repositories.cases import APPEAL, GROUP_MESSAGE
from storage.repositories.threads import POST

logger = logging.getLogger(__name__)


def setup() -> Router:
    router = Router(name="cases")
    router.message.register(
        cmd_report,
        Command("report"),
        ChatIs(ChatType.GROUP, ChatType.SUPERGROUP),
    )
    router.callback_query.register(cq_case, CaseCallback.filter())
    return router


def setup_appeals() -> Router:
    """The appeal dialog, in private chat ahead of the feature routers: a member in it is
    answering the dialog's question, whatever the text says."""
    router = Router(name="appeals")
    router.message.register(cmd_appeal, Command("appeal"))
    router.message.register(on_appeal_reason, AppealForm.reason, F.text, ~F.text.startswith("/"))
    router.callback_query.register(cq_appeal, AppealCallback.filter())
    return router


# --- reporting a message -----------------------------------------------------------------


async def cmd_report(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    after_commit: AfterCommit,
) -> None:
    community = await repo.communities.by_group_chat(message.chat.id)
    if community is None:
        return
    replied = message.reply_to_message
    # The command leaves the group at once: the author must not see who reported.
    await _delete(bot, message.chat.id, message.message_id)
    if replied is None or replied.from_user is None or replied.from_user.is_bot:
        await notify(bot, user.telegram_id, i18n("report-usage"))
        return
    author = await repo.users.get_or_create(replied.from_user.id)
    reason = " ".join((command.args or "").split())[:REPORT_REASON_MAX]
    try:
        item, created = await repo.cases.report_group_message(
            community,
            message.chat.id,
            replied.message_id,
            author,
            replied.text or replied.caption or "",
            user,
            reason,
        )
    except InvalidState as error:
        # Answered privately: a reply in the group would name the reporter.
        await notify(bot, user.telegram_id, i18n(error.key, **error.args_for_text))
        return
    accepted = i18n("report-group-accepted", community=community.title)
    after_commit(notify, bot, user.telegram_id, accepted)
    if created:
        after_commit(announce_case, bot, repo, i18n_hub, item)
    else:
        after_commit(refresh_case_cards, bot, repo, i18n_hub, item)


# --- appealing a sanction ------------------------------------------------------------------


class AppealForm(StatesGroup):
    reason = State()  # why the member disagrees
    confirm = State()  # the reason shown back: send, rewrite or cancel


def _appeal_keyboard(t: Translator, sanction_id: int, *actions: AppealAction):
    builder = InlineKeyboardBuilder()
    for action in actions:
        builder.button(
            text=t(f"appeal-{action.value}-button"),
            callback_data=AppealCallback(action=action, sanction_id=sanction_id),
        )
    builder.adjust(len(actions) if len(actions) < 3 else 2)
    return builder.as_markup()


async def cmd_appeal(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    state: FSMContext,
    after_commit: AfterCommit,
) -> None:
    """/appeal <number> <reason> sends at once; /appeal <number> opens the dialog."""
    number, _, text = (command.args or "").strip().partition(" ")
    sanction_id = parse_id(number)
    if sanction_id is None:
        await message.answer(i18n("appeal-usage"))
        return
    if not text.strip():
        await _ask_reason(message, repo, i18n, state, user, sanction_id)
        return
    await state.clear()
    item = await repo.cases.appeal(sanction_id, user, text)
    await message.answer(i18n("appeal-sent"))
    after_commit(announce_case, bot, repo, i18n_hub, item)


async def _ask_reason(
    message: Message, repo: Repo, i18n: Translator, state: FSMContext, user: User, sanction_id: int
) -> None:
    sanction = await repo.cases.appealable(sanction_id, user)
    await state.set_state(AppealForm.reason)
    asked = await message.answer(
        i18n(
            "appeal-ask",
            id=sanction.id,
            kind=i18n(f"sanction-kind-{sanction.kind.value}"),
            community=sanction.community.title,
            max=limits.APPEAL.high,
        ),
        reply_markup=_appeal_keyboard(i18n, sanction.id, AppealAction.CANCEL),
    )
    await state.set_data({"sanction_id": sanction.id, "asked": asked.message_id})


async def on_appeal_reason(
    message: Message, repo: Repo, i18n: Translator, state: FSMContext, user: User
) -> None:
    data = await state.get_data()
    sanction_id = data["sanction_id"]
    await repo.cases.appealable(sanction_id, user)  # it may have been lifted meanwhile
    try:
        text = repo.cases.appeal_text(message.text or "")
    except InvalidState as error:
        await message.answer(
            i18n(error.key, **error.args_for_text),
            reply_markup=_appeal_keyboard(i18n, sanction_id, AppealAction.CANCEL),
        )
        return
    await state.set_state(AppealForm.confirm)
    await state.update_data(text=text)
    if data.get("asked"):
        # The question's Cancel gives way to the confirmation's buttons.
        try:
            await bot_of(message).edit_message_reply_markup(
                chat_id=message.chat.id, message_id=data["asked"], reply_markup=None
            )
        except TelegramAPIError as error:
            logger.info("appeal question %s kept its button: %s", data["asked"], error)
    await message.answer(
        i18n("appeal-confirm", id=sanction_id, text=text),
        reply_markup=_appeal_keyboard(
            i18n, sanction_id, AppealAction.SEND, AppealAction.REWRITE, AppealAction.CANCEL
        ),
    )


async def cq_appeal(
    callback: CallbackQuery,
    callback_data: AppealCallback,
    user: User,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    state: FSMContext,
    after_commit: AfterCommit,
) -> None:
    action = callback_data.action
    if not isinstance(callback.message, Message):
        raise InvalidState("error-stale-button")
    if action in (AppealAction.START, AppealAction.REWRITE):
        if action is AppealAction.REWRITE:
            await expect_step(state, AppealForm.confirm)
            await callback.message.edit_reply_markup(reply_markup=None)
        await _ask_reason(callback.message, repo, i18n, state, user, callback_data.sanction_id)
        return
    if action is AppealAction.CANCEL:
        data = await state.get_data()
        if await state.get_state() not in (AppealForm.reason.state, AppealForm.confirm.state):
            raise InvalidState("error-stale-button")  # sent or cancelled already
        if data.get("sanction_id") != callback_data.sanction_id:
            raise InvalidState("error-stale-button")
        await state.clear()
        await show(callback, i18n("appeal-cancelled"))
        return
    data = await expect_step(state, AppealForm.confirm)
    if data.get("sanction_id") != callback_data.sanction_id:
        raise InvalidState("error-stale-button")
    item = await repo.cases.appeal(callback_data.sanction_id, user, data["text"])
    await state.clear()
    await show(callback, i18n("appeal-sent"))
    after_commit(announce_case, bot, repo, i18n_hub, item)


# --- cards -----------------------------------------------------------------------------------


# --- decisions -------------------------------------------------------------------------------

STATUS = {
    CaseAction.DELETE: ReviewStatus.REJECTED,
    CaseAction.KEEP: ReviewStatus.APPROVED,
    CaseAction.LIFT: ReviewStatus.APPROVED,
    CaseAction.UPHOLD: ReviewStatus.REJECTED,
}
KINDS = {
    CaseAction.DELETE: {GROUP_MESSAGE, POST},
    CaseAction.KEEP: {GROUP_MESSAGE, POST},
    CaseAction.LIFT: {APPEAL},
    CaseAction.UPHOLD: {APPEAL},
}


async def cq_case(
    callback: CallbackQuery,
    callback_data: CaseCallback,
    user: User,
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    settings: Settings,
    conduct: ConductBook,
    callback_answer: CallbackAnswer,
    after_commit: AfterCommit,
) -> None:
    item = await repo.materials.review_item(callback_data.item_id)
    if item is None:
        raise NotFound()
    if callback_data.action is CaseAction.HISTORY:
        if not await repo.cases.can_decide(user, item):
            raise InvalidState("error-permission-denied")
        await _show_history(callback, repo, i18n, item, conduct)
        return
    if item.object_type not in KINDS[callback_data.action]:
        raise InvalidState("error-stale-button")
    if item.object_type == POST and await repo.threads.orphaned(
        await repo.threads.post(item.object_id)
    ):
        await _close_orphan_card(repo, bot, i18n, i18n_hub, after_commit, item, user)
        callback_answer.text = i18n("case-post-orphaned")
        callback_answer.show_alert = True
        return
    item = await repo.cases.decide(item.id, user, STATUS[callback_data.action])
    if item.object_type == POST:
        await _decide_post(
            repo, bot, i18n, i18n_hub, after_commit, settings, item, user, callback_data.action
        )
    elif callback_data.action is CaseAction.DELETE:
        await _take_down(repo, bot, i18n_hub, after_commit, settings, item, user)
    elif item.object_type == APPEAL:
        await _answer_appeal(repo, bot, i18n_hub, after_commit, item, user, callback_data.action)
    outcome = f"case-{'post-' if item.object_type == POST else ''}outcome"
    after_commit(
        refresh_case_cards,
        bot,
        repo,
        i18n_hub,
        item,
        {"key": f"{outcome}-{callback_data.action.value}", "name": person(i18n, user)},
    )


async def _close_orphan_card(
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    after_commit: AfterCommit,
    item: ReviewItem,
    user: User,
) -> None:
    """A held reply whose thread was removed can be neither published nor rejected on its
    merits: the card (an old one, or one waiting since before removals withdrew such replies)
    is closed with a plain answer instead of an error."""
    if not await repo.cases.can_decide(user, item):
        raise PermissionDenied()
    post = await repo.threads.post(item.object_id)
    thread = await repo.threads.thread_of(post)
    if item.status is ReviewStatus.OPEN:
        orphans = await repo.threads.withdraw_orphans(thread, user)
        await settle_orphans(bot, repo, i18n, i18n_hub, after_commit, thread, orphans, user)
    else:
        outcome = {"key": "case-post-outcome-orphaned", "name": person(i18n, user)}
        after_commit(refresh_case_cards, bot, repo, i18n_hub, item, outcome)


async def _decide_post(
    repo: Repo,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    after_commit: AfterCommit,
    settings: Settings,
    item: ReviewItem,
    decider: User,
    action: CaseAction,
) -> None:
    """A held thread post: published (followers hear of it) or rejected (its author is told)."""
    post = await repo.threads.post(item.object_id)
    t = i18n_hub.for_user(post.author) if post.author else i18n_hub.translator(None)
    if action is CaseAction.KEEP:
        thread = await repo.threads.publish_held(post)
        if post.author is not None:
            approved = t("post-approved", title=thread.title)
            after_commit(notify, bot, post.author.telegram_id, approved)
            await notify_followers(repo, i18n_hub, thread, post, post.author, settings)
        if thread.topic_id is None and post.id == await repo.threads.opening_id(thread):
            after_commit(open_topic, bot, repo, i18n_hub, thread, post)
        else:
            after_commit(copy_post, bot, repo, i18n_hub, thread, post)
        return
    orphans = await repo.threads.reject_held(post, decider, t("case-reason-reported"))
    thread = await repo.threads.thread_of(post)
    await settle_orphans(bot, repo, i18n, i18n_hub, after_commit, thread, orphans, decider)
    if post.author is not None:
        rejected = t("post-rejected", title=thread.title)
        after_commit(notify, bot, post.author.telegram_id, rejected)


async def _show_history(
    callback: CallbackQuery, repo: Repo, i18n: Translator, item: ReviewItem, conduct: ConductBook
) -> None:
    if item.object_type == GROUP_MESSAGE:
        message = await repo.cases.group_message(item.object_id)
        member = message.user if message else None
    elif item.object_type == POST:
        member = (await repo.threads.post(item.object_id)).author
    else:
        appeal = await repo.cases.get_appeal(item.object_id)
        member = appeal.sanction.user if appeal else None
    community = await repo.communities.get(item.community_id) if item.community_id else None
    if member is None or community is None or not isinstance(callback.message, Message):
        raise NotFound()
    zone = await chat_zone(repo, callback.message.chat.id)
    name = person(i18n, member)
    text = await history_text(repo, i18n, member, name, [community], zone, conduct)
    await callback.message.answer(text)


async def _take_down(
    repo: Repo,
    bot: Bot,
    i18n_hub: I18n,
    after_commit: AfterCommit,
    settings: Settings,
    item: ReviewItem,
    moderator: User,
) -> None:
    """The message leaves the group and its author gets a warning on the ladder."""
    message = await repo.cases.group_message(item.object_id)
    community = await repo.communities.get(item.community_id) if item.community_id else None
    if message is None or community is None or message.user is None:
        return
    if not message.deleted:
        await _delete(bot, message.chat_id, message.message_id)
        await repo.cases.mark_deleted(message)
    worst = max(item.hits, key=lambda hit: hit.get("severity", 0), default={})
    t = i18n_hub.for_user(message.user)
    reason = clause_list(t, item.hits) if item.hits else t("case-reason-reported")
    _, sanction = await repo.conduct.warn_on_ladder(
        community,
        message.user,
        reason=reason,
        clause=worst.get("clause", ""),
        rule=worst.get("rule"),
        issued_by=moderator,
    )
    after_commit(
        notify_member, bot, i18n_hub, settings, message.user, community, sanction, reason=reason
    )


async def _answer_appeal(
    repo: Repo,
    bot: Bot,
    i18n_hub: I18n,
    after_commit: AfterCommit,
    item: ReviewItem,
    moderator: User,
    action: CaseAction,
) -> None:
    appeal = await repo.cases.get_appeal(item.object_id)
    if appeal is None:
        raise NotFound()
    sanction = appeal.sanction
    member = sanction.user
    t = i18n_hub.for_user(member)
    if action is CaseAction.LIFT:
        await repo.conduct.lift(sanction, moderator, t("case-reason-appeal"))
        if repo.cases.restricts(sanction) and sanction.community.group_chat_id:
            await lift_in_telegram(bot, sanction.community, member)
    answer = t(f"appeal-answer-{action.value}", community=sanction.community.title, id=sanction.id)
    after_commit(notify, bot, member.telegram_id, answer)


async def _delete(bot: Bot, chat_id: int, message_id: int) -> None:
    try:
        await bot.delete_message(chat_id, message_id)
    except TelegramAPIError as error:
        logger.info("message %s/%s not deleted: %s", chat_id, message_id, error)
