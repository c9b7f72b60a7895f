"""Expertise (seeds 000 §3.1, 001 §3.6): an author asks, a community expert gives a verdict
and a short comment; recommended materials carry a mark and rank higher in search."""

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    ExpertAction,
    ExpertCallback,
    MaterialAction,
    MaterialCallback,
)
from bot.i18n import I18n, Translator
from bot.notify import notify
from handlers.common import person, show, translator_for
from handlers.material_cards import render_material
from storage.enums import ExpertVerdict
from storage.errors import InvalidState
from storage.models import User
from storage.repositories import Repo

COMMENT_MAX = 500


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
    router.message.register(on_comment, ExpertForm.comment, F.text)
    return router


async def cq_request(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
) -> None:
    review = await repo.materials.request_expertise(callback_data.material_id, user)
    material = await repo.materials.get(review.material_id)
    experts = [e for e in await repo.materials.experts_of(material.community_id) if e.id != user.id]
    if not experts:
        raise InvalidState("expertise-no-experts")
    await repo.session.commit()
    for expert in experts:
        t = translator_for(i18n_hub, expert)
        builder = InlineKeyboardBuilder()
        builder.button(
            text=t("expertise-recommend"),
            callback_data=ExpertCallback(action=ExpertAction.RECOMMEND, review_id=review.id),
        )
        builder.button(
            text=t("expertise-needs-work"),
            callback_data=ExpertCallback(action=ExpertAction.NEEDS_WORK, review_id=review.id),
        )
        text = t("expertise-request", name=person(t, user)) + "\n\n" + render_material(t, material)
        await notify(bot, expert.telegram_id, text, reply_markup=builder.as_markup())
    await show(callback, i18n("expertise-requested", title=material.title))


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
    await state.set_data({"review_id": callback_data.review_id, "verdict": verdict.value})
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
) -> None:
    comment = message.text.strip()
    if comment.startswith("/") or len(comment) > COMMENT_MAX:
        await message.answer(i18n("expertise-comment-invalid", max=COMMENT_MAX))
        return
    await _save(message, state, user, repo, i18n, i18n_hub, bot, comment)


async def cq_no_comment(
    callback: CallbackQuery,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
) -> None:
    await _save(callback, state, user, repo, i18n, i18n_hub, bot, "")


async def _save(
    event,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    bot: Bot,
    comment: str,
) -> None:
    data = await state.get_data()
    await state.clear()
    review, material = await repo.materials.give_verdict(
        data["review_id"], user, ExpertVerdict(data["verdict"]), comment
    )
    await show(event, i18n("expertise-saved", title=material.title))
    author = material.author
    t = translator_for(i18n_hub, author)
    await notify(
        bot,
        author.telegram_id,
        t(
            f"expertise-author-{review.verdict.value}",
            title=material.title,
            name=person(t, user),
            comment=comment or "—",
        ),
    )
