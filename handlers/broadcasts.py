"""/broadcast: a methodist's or an admin's free announcement (text, or a file with a
caption) to chosen communities or to every member, now or at a set time. A preview shows
the message as members will see it and the number of recipients before anything is sent;
the progress message is edited in place and offers "Stop" while messages remain."""

from datetime import datetime
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InaccessibleMessage, Message

from bot.callbacks import BroadcastAction, BroadcastCallback
from bot.config import Settings
from bot.dates import read_moment, short_moment, zone_of
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.attachments import refused
from handlers.common import pressed_message, show
from handlers.quiet import batch_line, forecast_line
from storage.errors import InvalidState, PermissionDenied
from storage.limits import BROADCAST_CAPTION, BROADCAST_TEXT
from storage.models import User
from storage.repositories import Repo


class BroadcastForm(StatesGroup):
    audience = State()
    content = State()
    when = State()
    confirm = State()


def setup() -> Router:
    router = Router(name="broadcasts")
    router.message.register(cmd_broadcast, Command("broadcast"))
    router.callback_query.register(cq_broadcast, BroadcastCallback.filter())
    router.message.register(on_content, BroadcastForm.content, F.text | F.document)
    router.message.register(on_content_other, BroadcastForm.content)
    router.message.register(on_when, BroadcastForm.when, F.text)
    return router


def _check(repo: Repo, user: User) -> None:
    if not repo.broadcasts.can_send(user):
        raise PermissionDenied()


async def cmd_broadcast(
    message: Message, repo: Repo, user: User, i18n: Translator, state: FSMContext
) -> None:
    _check(repo, user)
    await state.set_state(BroadcastForm.audience)
    await state.set_data({"communities": [], "everyone": False})
    text, markup = await _audience_view(repo, i18n, await state.get_data())
    await message.answer(text, reply_markup=markup)


async def _audience_view(repo: Repo, i18n: Translator, data: dict):
    chosen = set(data["communities"])
    builder = InlineKeyboardBuilder()
    builder.button(
        text=("✅ " if data["everyone"] else "▫️ ") + i18n("broadcast-everyone"),
        callback_data=BroadcastCallback(action=BroadcastAction.ALL),
    )
    for community in await repo.communities.active_titles():
        builder.button(
            text=("✅ " if community.id in chosen else "▫️ ") + community.title,
            callback_data=BroadcastCallback(action=BroadcastAction.TOGGLE, value=community.id),
        )
    builder.button(
        text=i18n("broadcast-next-button"),
        callback_data=BroadcastCallback(action=BroadcastAction.NEXT),
    )
    builder.adjust(1)
    return i18n("broadcast-ask-audience"), builder.as_markup()


def _audience_ids(data: dict) -> list[int] | None:
    return None if data["everyone"] else list(data["communities"])


async def cq_broadcast(
    callback: CallbackQuery,
    callback_data: BroadcastCallback,
    repo: Repo,
    user: User,
    i18n: Translator,
    state: FSMContext,
    settings: Settings,
    callback_answer,
) -> None:
    action = callback_data.action
    if action is BroadcastAction.RESEND:  # any batch's sender, an organiser included
        batch = await repo.broadcasts.own_batch(callback_data.value, user)
        resent = await repo.outbox.resend_unconfirmed(batch.id)
        callback_answer.text = i18n("delivery-resent", count=resent)
        if isinstance(callback.message, Message):  # not a message too old to edit
            await callback.message.edit_reply_markup(reply_markup=None)
        return
    _check(repo, user)  # every press: the role may have been revoked meanwhile
    if action is BroadcastAction.STOP:
        batch = await repo.broadcasts.own_batch(callback_data.value, user, kind="broadcast")
        stopped = await repo.outbox.cancel_batch(batch.id)
        callback_answer.text = i18n("broadcast-stopped", count=stopped)
        if isinstance(callback.message, Message):  # not a message too old to edit
            await callback.message.edit_reply_markup(reply_markup=None)
        return
    current = await state.get_state()
    data = await state.get_data()
    if action in (BroadcastAction.TOGGLE, BroadcastAction.ALL, BroadcastAction.NEXT):
        if current != BroadcastForm.audience.state:
            raise InvalidState("error-stale-button")
        if action is BroadcastAction.NEXT:
            if not data["everyone"] and not data["communities"]:
                callback_answer.text = i18n("broadcast-choose-audience")
                return
            await state.set_state(BroadcastForm.content)
            await pressed_message(callback).answer(
                i18n("broadcast-ask-content", max=str(BROADCAST_TEXT.high))
            )
            return
        if action is BroadcastAction.ALL:
            data["everyone"], data["communities"] = not data["everyone"], []
        else:
            await repo.communities.require(callback_data.value)
            chosen = set(data["communities"]) ^ {callback_data.value}
            data["communities"], data["everyone"] = sorted(chosen), False
        await state.set_data(data)
        text, markup = await _audience_view(repo, i18n, data)
        await show(callback, text, markup)
    elif action is BroadcastAction.NOW:
        if current != BroadcastForm.when.state:
            raise InvalidState("error-stale-button")
        await state.update_data(at=None)
        await _preview(pressed_message(callback), repo, i18n, user, state, settings)
    elif action is BroadcastAction.SEND:
        if current != BroadcastForm.confirm.state:
            raise InvalidState("error-stale-button")
        await state.clear()
        await _send(pressed_message(callback), repo, i18n, user, data, settings)


async def on_content(
    message: Message, state: FSMContext, i18n: Translator, settings: Settings
) -> None:
    if await refused(message, i18n, settings.materials.max_file_mb):
        return  # the step stays: audience chosen before is kept
    if message.document:
        caption = (message.caption or "").strip()
        if len(caption) > BROADCAST_CAPTION.high:
            limit = str(BROADCAST_CAPTION.high)
            await message.answer(i18n("broadcast-caption-length", max=limit))
            return
        # html_text keeps the caption's formatting and escapes the rest
        content: dict[str, Any] = {
            "text": message.html_text if caption else "",
            "document_id": message.document.file_id,
        }
    else:
        if BROADCAST_TEXT.cleaned(message.text, one_line=False) is None:
            limit = str(BROADCAST_TEXT.high)
            await message.answer(i18n("broadcast-text-length", max=limit))
            return
        content = {"text": message.html_text, "document_id": None}
    await state.update_data(**content)
    await state.set_state(BroadcastForm.when)
    await message.answer(i18n("broadcast-ask-when"), reply_markup=_now_button(i18n))


def _now_button(i18n: Translator):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("broadcast-now-button"),
        callback_data=BroadcastCallback(action=BroadcastAction.NOW),
    )
    return builder.as_markup()


async def on_content_other(message: Message, i18n: Translator) -> None:
    """A photo, a sticker, a voice note...: said plainly, the step stays."""
    await message.answer(i18n("broadcast-content-kind"))


async def on_when(
    message: Message,
    state: FSMContext,
    repo: Repo,
    user: User,
    i18n: Translator,
    settings: Settings,
) -> None:
    moment = await read_moment(
        message, i18n, user, settings, repo.clock(), reply_markup=_now_button(i18n)
    )
    if moment is None:
        return
    await state.update_data(at=moment.isoformat())
    await _preview(message, repo, i18n, user, state, settings)


async def _preview(
    target: Message | InaccessibleMessage, repo, i18n, user, state, settings
) -> None:
    data = await state.get_data()
    recipients = await repo.broadcasts.audience(_audience_ids(data))
    await state.set_state(BroadcastForm.confirm)
    if data["everyone"]:
        audience = i18n("broadcast-everyone")
    else:
        titles = [
            (await repo.communities.require(community_id)).title
            for community_id in data["communities"]
        ]
        audience = ", ".join(titles)
    when = (
        short_moment(datetime.fromisoformat(data["at"]), zone_of(user, settings))
        if data.get("at")
        else "now"
    )
    if data.get("document_id"):
        await target.answer_document(data["document_id"], caption=data["text"] or None)
    else:
        await target.answer(data["text"])
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("broadcast-send-button", count=len(recipients)),
        callback_data=BroadcastCallback(action=BroadcastAction.SEND),
    )
    text = i18n("broadcast-preview", audience=audience, count=len(recipients), when=when)
    at = datetime.fromisoformat(data["at"]) if data.get("at") else None
    if night := forecast_line(i18n, user, settings, recipients, at, repo.clock()):
        text += "\n" + night
    await target.answer(text, reply_markup=builder.as_markup())


async def _send(
    target: Message | InaccessibleMessage, repo: Repo, i18n: Translator, user: User, data, settings
) -> None:
    """One batch, one row per recipient: a restart or a second press sends nothing twice."""
    recipients = await repo.broadcasts.audience(_audience_ids(data))
    at = datetime.fromisoformat(data["at"]) if data.get("at") else None
    title = " ".join(data["text"].split())[:60] or i18n("broadcast-file-title")
    batch = await repo.outbox.new_batch(
        "broadcast", title, sender_chat_id=user.telegram_id, locale=i18n.locale
    )
    for member in recipients:
        await repo.outbox.enqueue(
            f"broadcast:{batch.id}:{member.id}",
            member.telegram_id,
            data["text"],
            user=member,
            document_id=data.get("document_id"),
            not_before=at,
            batch=batch,
        )
    await repo.audit.record(user, "broadcast.send", "batch", batch.id, recipients=len(recipients))
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("broadcast-stop-button"),
        callback_data=BroadcastCallback(action=BroadcastAction.STOP, value=batch.id),
    )
    key = "broadcast-scheduled" if at else "broadcast-queued"
    when = short_moment(at, zone_of(user, settings)) if at else ""
    text = i18n(key, count=len(recipients), when=when)
    if night := await batch_line(repo, i18n, user, settings, batch.id):
        text += "\n" + night
    progress = await target.answer(text, reply_markup=builder.as_markup())
    await repo.outbox.show_progress(batch, progress.message_id)
