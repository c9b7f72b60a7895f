"""/start with the personal-data consent (152-ФЗ), deep links, /help, /language, /cancel."""

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.callbacks import ConsentAction, ConsentCallback, LanguageCallback
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.keyboards import InlineKeyboardBuilder, main_menu
from handlers import profile
from handlers.common import MenuText, bot_of, show
from handlers.links import is_link, open_link
from notices.after_commit import AfterCommit
from storage import policy
from storage.enums import GlobalRole
from storage.models import User
from storage.repositories import Repo


def consent_keyboard(i18n: Translator):
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("consent-accept"), callback_data=ConsentCallback(action=ConsentAction.ACCEPT)
    )
    builder.button(
        text=i18n("consent-decline"), callback_data=ConsentCallback(action=ConsentAction.DECLINE)
    )
    builder.adjust(1)
    return builder.as_markup()


def setup() -> Router:
    router = Router(name="start")
    router.message.register(cmd_start, CommandStart())
    router.callback_query.register(cq_consent, ConsentCallback.filter())
    router.message.register(cmd_help, Command("help"))
    router.message.register(cmd_help, MenuText("menu-help"))
    router.message.register(cmd_language, Command("language"))
    router.callback_query.register(cq_language, LanguageCallback.filter())
    router.message.register(cmd_cancel, Command("cancel"))
    return router


async def cmd_start(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    i18n: Translator,
    state: FSMContext,
    settings: Settings,
) -> None:
    if not user.has_consent:
        # Kept in FSM memory, not in the database: nothing is stored before consent. The link
        # followed opens once the profile is done.
        link = command.args if is_link(command.args) else None
        await state.set_data({"after_onboarding": {"link": link, "zone": settings.time_zone}})
        await message.answer(i18n("start-greeting"))
        await message.answer(i18n("consent-text"), reply_markup=consent_keyboard(i18n))
        return
    await state.clear()
    if await open_link(message, repo, i18n, user, command.args, settings.time_zone):
        return
    await message.answer(i18n("start-welcome-back"), reply_markup=main_menu(i18n))
    if not user.full_name:
        await profile.begin(message, state, i18n)


async def cq_consent(
    callback: CallbackQuery,
    callback_data: ConsentCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    state: FSMContext,
) -> None:
    if callback_data.action is ConsentAction.DECLINE:
        await state.clear()
        await show(callback, i18n("consent-declined"))
        return
    if not user.has_consent:
        await repo.users.give_consent(user, username=callback.from_user.username)
    await show(callback, i18n("consent-accepted"))
    await profile.begin(callback, state, i18n, keep_data=True)


async def cmd_help(message: Message, user: User, repo: Repo, i18n: Translator) -> None:
    """What this user's roles let them do, and nothing they cannot."""
    if not user.has_consent:
        await message.answer(i18n("help-start"))
        return
    sections = [i18n("help-member")]
    if policy.is_admin(user) or await repo.communities.moderated_by(user):
        sections.append(i18n("help-moderator"))
    if policy.can_review_applications(user):
        sections.append(i18n("help-coordinator"))
    if GlobalRole.METHODIST in user.global_roles:
        sections.append(i18n("help-methodist"))
    if policy.is_admin(user):
        sections.append(i18n("help-admin"))
    await message.answer("\n\n".join(sections))


def language_keyboard(i18n_hub: I18n):
    builder = InlineKeyboardBuilder()
    for locale in i18n_hub.locales:
        builder.button(
            text=i18n_hub.translator(locale)("language-name"),
            callback_data=LanguageCallback(locale=locale),
        )
    return builder.as_markup()


async def cmd_language(message: Message, i18n: Translator, i18n_hub: I18n) -> None:
    await message.answer(i18n("language-choose"), reply_markup=language_keyboard(i18n_hub))


async def cq_language(
    callback: CallbackQuery,
    callback_data: LanguageCallback,
    user: User,
    repo: Repo,
    i18n_hub: I18n,
    after_commit: AfterCommit,
) -> None:
    if callback_data.locale not in i18n_hub.locales:
        return
    await repo.users.set_locale(user, callback_data.locale)
    i18n = i18n_hub.translator(callback_data.locale)
    await show(callback, i18n("language-set"))
    if user.has_consent:
        # After the commit: the menu in the new language is a second message in a row, and
        # flood control refusing it must not undo the choice the first one confirmed.
        after_commit(
            bot_of(callback).send_message,
            callback.from_user.id,
            i18n("menu-updated"),
            reply_markup=main_menu(i18n),
        )


async def cmd_cancel(message: Message, state: FSMContext, user: User, i18n: Translator) -> None:
    if await state.get_state() is None:
        await message.answer(i18n("cancel-nothing"))
        return
    await state.clear()
    markup = main_menu(i18n) if user.has_consent else None
    await message.answer(i18n("cancel-done"), reply_markup=markup)
