"""/privacy, /export_me and /delete_me: the user's rights over their data (152-ФЗ)."""

import json

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message, ReplyKeyboardRemove

from bot.callbacks import PrivacyAction, PrivacyCallback
from bot.i18n import Html, I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import show
from notices.after_commit import AfterCommit
from notices.communities import tell_admins_no_moderator
from notices.forum import forget_author
from storage.models import User
from storage.repositories import Repo


def setup_public() -> Router:
    """What works before consent too: reading the policy."""
    router = Router(name="privacy-public")
    router.message.register(cmd_privacy, Command("privacy"))
    return router


def setup() -> Router:
    router = Router(name="privacy")
    router.callback_query.register(cq_show, PrivacyCallback.filter(F.action == PrivacyAction.SHOW))
    router.message.register(cmd_export_me, Command("export_me"))
    router.callback_query.register(
        cq_export, PrivacyCallback.filter(F.action == PrivacyAction.EXPORT)
    )
    router.message.register(cmd_delete_me, Command("delete_me"))
    router.callback_query.register(
        cq_delete, PrivacyCallback.filter(F.action == PrivacyAction.DELETE)
    )
    router.callback_query.register(
        cq_delete_confirm, PrivacyCallback.filter(F.action == PrivacyAction.DELETE_CONFIRM)
    )
    router.callback_query.register(
        cq_delete_cancel, PrivacyCallback.filter(F.action == PrivacyAction.DELETE_CANCEL)
    )
    return router


def privacy_keyboard(i18n: Translator):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("privacy-export-button"),
        callback_data=PrivacyCallback(action=PrivacyAction.EXPORT),
    )
    builder.button(
        text=i18n("privacy-delete-button"),
        callback_data=PrivacyCallback(action=PrivacyAction.DELETE),
    )
    builder.adjust(1)
    return builder.as_markup()


def delete_confirm_keyboard(i18n: Translator):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("privacy-delete-confirm"),
        callback_data=PrivacyCallback(action=PrivacyAction.DELETE_CONFIRM),
    )
    builder.button(
        text=i18n("button-cancel"),
        callback_data=PrivacyCallback(action=PrivacyAction.DELETE_CANCEL),
    )
    builder.adjust(1)
    return builder.as_markup()


async def cmd_privacy(message: Message, user: User, i18n: Translator) -> None:
    markup = privacy_keyboard(i18n) if user.has_consent else None
    await message.answer(i18n("privacy-text"), reply_markup=markup)


async def cq_show(callback: CallbackQuery, i18n: Translator) -> None:
    await show(callback, i18n("privacy-text"), privacy_keyboard(i18n))


async def _send_export(message: Message, user: User, repo: Repo, i18n: Translator) -> None:
    data = await repo.users.export(user)
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await message.answer_document(
        BufferedInputFile(payload, filename=f"metodset-{user.telegram_id}.json"),
        caption=i18n("privacy-export-caption"),
    )


async def cmd_export_me(message: Message, user: User, repo: Repo, i18n: Translator) -> None:
    await _send_export(message, user, repo, i18n)


async def cq_export(callback: CallbackQuery, user: User, repo: Repo, i18n: Translator) -> None:
    if isinstance(callback.message, Message):
        await _send_export(callback.message, user, repo, i18n)


async def _delete_ask(repo: Repo, i18n: Translator, user: User) -> str:
    """The only moderator of a community is told before confirming what deletion leaves."""
    text = i18n("privacy-delete-ask")
    sole = await repo.communities.sole_moderated(user)
    if sole:
        titles = Html(", ".join(i18n("privacy-quoted-title", title=c.title) for c in sole))
        text += "\n\n" + i18n("privacy-delete-last-moderator", titles=titles, count=len(sole))
    return text


async def cmd_delete_me(message: Message, user: User, repo: Repo, i18n: Translator) -> None:
    text = await _delete_ask(repo, i18n, user)
    await message.answer(text, reply_markup=delete_confirm_keyboard(i18n))


async def cq_delete(callback: CallbackQuery, user: User, repo: Repo, i18n: Translator) -> None:
    await show(callback, await _delete_ask(repo, i18n, user), delete_confirm_keyboard(i18n))


async def cq_delete_confirm(
    callback: CallbackQuery,
    user: User,
    repo: Repo,
    i18n: Translator,
    state: FSMContext,
    i18n_hub: I18n,
    after_commit: AfterCommit,
) -> None:
    # Deletion is never held up waiting for a successor: withdrawing consent is the person's
    # right (152-FZ art. 9, 21: stop processing and destroy the data), not something an admin
    # grants. A community it leaves without a moderator is the admins' to fix: they are told
    # (an admin may moderate any community meanwhile).
    if sole := await repo.communities.sole_moderated(user):
        await tell_admins_no_moderator(repo, i18n_hub, user, sole, deleted=True)
    await repo.users.erase(user)
    after_commit(forget_author, callback.bot, repo, i18n_hub, user)
    await state.clear()
    await show(callback, i18n("privacy-deleted"))
    if isinstance(callback.message, Message):
        await callback.message.answer(
            i18n("privacy-deleted-menu"), reply_markup=ReplyKeyboardRemove()
        )


async def cq_delete_cancel(callback: CallbackQuery, i18n: Translator) -> None:
    await show(callback, i18n("privacy-delete-cancelled"))
