"""Expertise (seeds 000 §3.1, 001 §3.6): an author asks, a community expert gives a verdict
and a short comment; recommended materials carry a mark and rank higher in search."""

import logging
from urllib.parse import quote

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.deep_linking import create_start_link

from bot.callbacks import (
    ExpertAction,
    ExpertCallback,
    MaterialAction,
    MaterialCallback,
)
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import show
from handlers.review import send_privately
from notices.after_commit import AfterCommit
from notices.direct import notify
from notices.material_cards import render_material
from notices.review_cards import content_buttons
from notices.texts import person
from storage.enums import ExpertVerdict
from storage.errors import InvalidState
from storage.limits import EXPERT_COMMENT
from storage.models import ExpertReview, Material, User
from storage.repositories import Repo

logger = logging.getLogger(__name__)

REQUEST_LINK_PREFIX = "x_"  # t.me/<bot>?start=x_<review id>: an expert opens a request


class ExpertForm(StatesGroup):
    comment = State()


def setup() -> Router:
    router = Router(name="expertise")
    router.callback_query.register(
        cq_request, MaterialCallback.filter(F.action == MaterialAction.EXPERTISE)
    )
    router.callback_query.register(
        cq_verdict,
        ExpertCallback.filter(F.action.in_({ExpertAction.RECOMMEND, ExpertAction.NEEDS_WORK})),
    )
    router.callback_query.register(
        cq_no_comment,
        ExpertForm.comment,
        ExpertCallback.filter(F.action == ExpertAction.NO_COMMENT),
    )
    router.callback_query.register(cq_file, ExpertCallback.filter(F.action == ExpertAction.FILE))
    router.message.register(on_comment, ExpertForm.comment, F.text)
    return router


def request_text(t: Translator, material: Material, review: ExpertReview | None = None) -> str:
    text = t("expertise-request", name=person(t, material.author)) + "\n\n"
    text += render_material(t, material)
    if review is not None and review.verdict is not None:
        text += "\n\n" + t(
            "expertise-your-verdict", verdict=t(f"outcome-expert-{review.verdict.value}")
        )
    return text


def request_keyboard(
    t: Translator, review: ExpertReview, material: Material
) -> InlineKeyboardMarkup:
    """The verdict while none is given; the material itself, always."""
    builder = InlineKeyboardBuilder()
    if review.decided_at is None:
        builder.button(
            text=t("expertise-recommend"),
            callback_data=ExpertCallback(action=ExpertAction.RECOMMEND, review_id=review.id),
        )
        builder.button(
            text=t("expertise-needs-work"),
            callback_data=ExpertCallback(action=ExpertAction.NEEDS_WORK, review_id=review.id),
        )
        builder.adjust(2)
    opening = content_buttons(
        t, material, ExpertCallback(action=ExpertAction.FILE, review_id=review.id)
    )
    if opening:
        builder.row(*opening)
    return builder.as_markup()


async def send_request(
    message: Message, repo: Repo, i18n: Translator, user: User, review_id: int
) -> None:
    """For the deep link an author forwards to an expert the bot could not reach."""
    review, material = await repo.materials.require_expert(review_id, user)
    await message.answer(
        request_text(i18n, material, review), reply_markup=request_keyboard(i18n, review, material)
    )


async def cq_request(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
) -> None:
    review = await repo.materials.request_expertise(callback_data.material_id, user)
    material = await repo.materials.require(review.material_id)
    if material.community_id is None:
        raise InvalidState("expertise-no-experts")
    experts = [e for e in await repo.materials.experts_of(material.community_id) if e.id != user.id]
    if not experts:
        raise InvalidState("expertise-no-experts")
    # The experts are asked once the request is committed: one may answer at once.
    after_commit(
        _ask_experts, callback, bot, i18n, i18n_hub, review, material, experts, callback_data.page
    )


async def _ask_experts(
    callback: CallbackQuery,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    review: ExpertReview,
    material: Material,
    experts: list[User],
    page: int,
) -> None:
    """Each expert gets the request; the author hears who was reached, and gets a link to
    pass on to those the bot cannot write to."""
    reached: list[User] = []
    unreached: list[User] = []
    for expert in experts:
        t = i18n_hub.for_user(expert)
        try:
            await bot.send_message(
                expert.telegram_id,
                request_text(t, material),
                reply_markup=request_keyboard(t, review, material),
            )
        except TelegramAPIError as error:
            # 403 "bot can't initiate conversation" (never started) or "blocked by the user",
            # 400 "chat not found": the author is told, with a link to pass on.
            logger.warning("Expert %s not reached: %s", expert.telegram_id, error.message)
            unreached.append(expert)
        else:
            reached.append(expert)
    back = InlineKeyboardButton(
        text=i18n("expertise-back-to-material"),
        callback_data=MaterialCallback(
            action=MaterialAction.OPEN, material_id=material.id, page=page
        ).pack(),
    )
    if not unreached:
        names = ", ".join(person(i18n, expert) for expert in reached)
        await show(
            callback,
            i18n("expertise-requested", title=material.title, names=names),
            InlineKeyboardMarkup(inline_keyboard=[[back]]),
        )
        return
    link = await create_start_link(bot, f"{REQUEST_LINK_PREFIX}{review.id}")
    if reached:
        names = ", ".join(person(i18n, expert) for expert in reached)
        text = i18n("expertise-requested", title=material.title, names=names)
    else:
        text = i18n("expertise-requested-nobody", title=material.title)
    text += "\n\n" + i18n(
        "expertise-unreached",
        names=", ".join(person(i18n, expert) for expert in unreached),
        link=link,
    )
    share = "https://t.me/share/url?url={}&text={}".format(
        quote(link, safe=""), quote(i18n("expertise-forward-text", title=material.title))
    )
    forward = InlineKeyboardButton(text=i18n("expertise-forward-link"), url=share)
    await show(callback, text, InlineKeyboardMarkup(inline_keyboard=[[forward], [back]]))


async def cq_file(
    callback: CallbackQuery,
    callback_data: ExpertCallback,
    bot: Bot,
    user: User,
    repo: Repo,
    i18n: Translator,
    callback_answer: CallbackAnswer,
) -> None:
    _, material = await repo.materials.require_expert(callback_data.review_id, user)
    await send_privately(callback, bot, i18n, callback_answer, material)


async def cq_verdict(
    callback: CallbackQuery,
    callback_data: ExpertCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    """The verdict is saved with the comment that follows (or none)."""
    await repo.materials.require_expert(callback_data.review_id, user)
    verdict = (
        ExpertVerdict.RECOMMENDED
        if callback_data.action is ExpertAction.RECOMMEND
        else ExpertVerdict.NEEDS_WORK
    )
    await state.set_state(ExpertForm.comment)
    card = None
    if isinstance(callback.message, Message):
        card = [callback.message.chat.id, callback.message.message_id]
    await state.set_data(
        {"review_id": callback_data.review_id, "verdict": verdict.value, "card": card}
    )
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("expertise-no-comment"),
        callback_data=ExpertCallback(
            action=ExpertAction.NO_COMMENT, review_id=callback_data.review_id
        ),
    )
    if isinstance(callback.message, Message):
        await callback.message.answer(
            i18n("expertise-ask-comment"), reply_markup=builder.as_markup()
        )


async def on_comment(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
) -> None:
    comment = EXPERT_COMMENT.cleaned(message.text, one_line=False)
    if comment is None:
        await message.answer(i18n("expertise-comment-invalid", max=EXPERT_COMMENT.high))
        return
    await _save(message, state, user, repo, i18n, i18n_hub, bot, after_commit, comment)


async def cq_no_comment(
    callback: CallbackQuery,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
) -> None:
    await _save(callback, state, user, repo, i18n, i18n_hub, bot, after_commit, "")


async def _save(
    event,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    after_commit: AfterCommit,
    comment: str,
) -> None:
    data = await state.get_data()
    await state.clear()
    review, material = await repo.materials.give_verdict(
        data["review_id"], user, ExpertVerdict(data["verdict"]), comment
    )
    opening = InlineKeyboardButton(
        text=i18n("review-open-material"),
        callback_data=MaterialCallback(action=MaterialAction.OPEN, material_id=material.id).pack(),
    )
    await show(
        event,
        i18n("expertise-saved", title=material.title),
        InlineKeyboardMarkup(inline_keyboard=[[opening]]),
    )
    if data.get("card"):
        # The request no longer offers a verdict: it shows the one given, and the file.
        chat_id, message_id = data["card"]
        try:
            await bot.edit_message_text(
                request_text(i18n, material, review),
                chat_id=chat_id,
                message_id=message_id,
                reply_markup=request_keyboard(i18n, review, material),
            )
        except TelegramAPIError as error:
            logger.info("Expertise card %s/%s not updated: %s", chat_id, message_id, error.message)
    author = material.author
    t = i18n_hub.for_user(author)
    verdict = t(
        f"expertise-author-{(review.verdict or ExpertVerdict(data['verdict'])).value}",
        title=material.title,
        name=person(t, user),
        comment=comment or "—",
    )
    after_commit(notify, bot, author.telegram_id, verdict)
