"""The profile dialog (FSM): full name, organisation, position, subjects; /profile to edit."""

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import (
    CommunityAction,
    CommunityCallback,
    PrivacyAction,
    PrivacyCallback,
    ProfileAction,
    ProfileCallback,
)
from bot.dates import TIME_ZONES, zone_name
from bot.i18n import Translator
from bot.keyboards import clamp_page, main_menu, pager_row, pages_for
from handlers.common import MenuText, show
from handlers.links import open_link
from storage.enums import CommunityRole, MembershipStatus, OrganisationKind, Position, Subject
from storage.errors import InvalidState
from storage.limits import ORGANISATION, PERSON_NAME
from storage.models import Membership, User
from storage.numbers import parse_id, parse_int
from storage.repositories import Repo

ORGANISATIONS_PER_PAGE = 8

EDITABLE_FIELDS = ("name", "organisation", "position", "subjects", "tz")


class ProfileForm(StatesGroup):
    full_name = State()
    organisation = State()
    organisation_kind = State()
    position = State()
    subjects = State()
    time_zone = State()


def setup() -> Router:
    router = Router(name="profile")
    router.message.register(cmd_profile, Command("profile"))
    router.message.register(cmd_profile, MenuText("menu-profile"))
    router.callback_query.register(cq_edit, ProfileCallback.filter(F.action == ProfileAction.EDIT))
    router.callback_query.register(
        cq_cancel, ProfileCallback.filter(F.action == ProfileAction.CANCEL)
    )
    router.callback_query.register(cq_back, ProfileCallback.filter(F.action == ProfileAction.BACK))
    router.message.register(on_full_name, ProfileForm.full_name, F.text)
    router.message.register(on_organisation_typed, ProfileForm.organisation, F.text)
    router.callback_query.register(
        cq_organisation_page,
        ProfileForm.organisation,
        ProfileCallback.filter(F.action == ProfileAction.ORG_PAGE),
    )
    router.callback_query.register(
        cq_organisation,
        ProfileForm.organisation,
        ProfileCallback.filter(F.action == ProfileAction.ORG),
    )
    router.callback_query.register(
        cq_organisation_kind,
        ProfileForm.organisation_kind,
        ProfileCallback.filter(F.action == ProfileAction.ORG_KIND),
    )
    router.callback_query.register(
        cq_position,
        ProfileForm.position,
        ProfileCallback.filter(F.action == ProfileAction.POSITION),
    )
    router.callback_query.register(
        cq_subject, ProfileForm.subjects, ProfileCallback.filter(F.action == ProfileAction.SUBJECT)
    )
    router.callback_query.register(
        cq_subjects_done,
        ProfileForm.subjects,
        ProfileCallback.filter(F.action == ProfileAction.DONE),
    )
    router.callback_query.register(
        cq_time_zone, ProfileForm.time_zone, ProfileCallback.filter(F.action == ProfileAction.TZ)
    )
    # A stale button of a step the user already left.
    router.callback_query.register(cq_stale, ProfileCallback.filter())
    # Text where the step expects a button press.
    router.message.register(
        on_text_instead_of_buttons,
        StateFilter(
            ProfileForm.organisation_kind,
            ProfileForm.position,
            ProfileForm.subjects,
            ProfileForm.time_zone,
        ),
    )
    router.message.register(
        on_not_text, StateFilter(ProfileForm.full_name, ProfileForm.organisation)
    )
    return router


# --- keyboards ---------------------------------------------------------------------------


def _nav_row(i18n: Translator, *, back: bool = True) -> list[InlineKeyboardButton]:
    row = []
    if back:
        row.append(
            InlineKeyboardButton(
                text=i18n("button-back"),
                callback_data=ProfileCallback(action=ProfileAction.BACK).pack(),
            )
        )
    row.append(
        InlineKeyboardButton(
            text=i18n("button-cancel"),
            callback_data=ProfileCallback(action=ProfileAction.CANCEL).pack(),
        )
    )
    return row


def _choice_keyboard(
    i18n: Translator, action: ProfileAction, values: list[str], label_prefix: str, *, back: bool
):
    builder = InlineKeyboardBuilder()
    for value in values:
        builder.button(
            text=i18n(f"{label_prefix}-{value}"),
            callback_data=ProfileCallback(action=action, value=value),
        )
    builder.adjust(1)
    builder.row(*_nav_row(i18n, back=back))
    return builder.as_markup()


def subjects_keyboard(i18n: Translator, chosen: list[str], *, back: bool):
    builder = InlineKeyboardBuilder()
    for subject in Subject:
        mark = "✅ " if subject.value in chosen else ""
        builder.button(
            text=mark + i18n(f"subject-{subject.value}"),
            callback_data=ProfileCallback(action=ProfileAction.SUBJECT, value=subject.value),
        )
    builder.adjust(2)
    builder.row(
        InlineKeyboardButton(
            text=i18n("button-done"),
            callback_data=ProfileCallback(action=ProfileAction.DONE).pack(),
        )
    )
    builder.row(*_nav_row(i18n, back=back))
    return builder.as_markup()


def profile_keyboard(i18n: Translator):
    builder = InlineKeyboardBuilder()
    for field in EDITABLE_FIELDS:
        builder.button(
            text=i18n(f"profile-edit-{field}"),
            callback_data=ProfileCallback(action=ProfileAction.EDIT, value=field),
        )
    builder.button(
        text=i18n("profile-privacy"), callback_data=PrivacyCallback(action=PrivacyAction.SHOW)
    )
    builder.adjust(2)
    return builder.as_markup()


# --- rendering ---------------------------------------------------------------------------


def _roles(i18n: Translator, user: User, memberships: list[Membership]) -> str:
    """Global roles, then each community the member is an expert or moderator of."""
    roles = [i18n(f"role-{r.value}") for r in sorted(user.global_roles)]
    roles += [
        i18n(
            "profile-community-role",
            role=i18n(f"community-role-{m.role.value}"),
            community=m.community.title,
        )
        for m in memberships
        if m.role is not CommunityRole.MEMBER and m.status is MembershipStatus.ACTIVE
    ]
    return "; ".join(roles) or "—"


def render_profile(i18n: Translator, user: User, memberships: list[Membership]) -> str:
    organisation = user.organisation.name if user.organisation else i18n("profile-not-set")
    subjects = ", ".join(i18n(f"subject-{s}") for s in user.subjects) or i18n("profile-not-set")
    return i18n(
        "profile-card",
        name=user.full_name or i18n("profile-not-set"),
        organisation=organisation,
        position=i18n(f"position-{user.position.value}")
        if user.position
        else i18n("profile-not-set"),
        subjects=subjects,
        time_zone=zone_name(i18n, user.time_zone) if user.time_zone else i18n("profile-default-tz"),
        language=i18n("language-name"),
        roles=_roles(i18n, user, memberships),
    )


async def profile_text(repo: Repo, i18n: Translator, user: User) -> str:
    return render_profile(i18n, user, await repo.communities.memberships_of(user))


# --- steps -------------------------------------------------------------------------------


async def begin(
    event: Message | CallbackQuery, state: FSMContext, i18n: Translator, *, keep_data: bool = False
) -> None:
    """Start the whole dialog, right after consent or when a profile is incomplete."""
    data = await state.get_data() if keep_data else {}
    await state.set_data({"after_onboarding": data.get("after_onboarding"), "subjects": []})
    await _ask_full_name(event, state, i18n, first=True)


async def _ask_full_name(
    event, state: FSMContext, i18n: Translator, *, first: bool = False
) -> None:
    await state.set_state(ProfileForm.full_name)
    builder = InlineKeyboardBuilder()
    builder.row(*_nav_row(i18n, back=False))
    text = i18n("profile-ask-name")
    if isinstance(event, CallbackQuery) and not first:
        await show(event, text, builder.as_markup())
    else:
        target = event.message if isinstance(event, CallbackQuery) else event
        await target.answer(text, reply_markup=builder.as_markup())


async def _ask_organisation(
    event, state: FSMContext, repo: Repo, i18n: Translator, page: int = 0
) -> None:
    await state.set_state(ProfileForm.organisation)
    total_pages = pages_for((await repo.organisations.page(0, 0))[1], ORGANISATIONS_PER_PAGE)
    page = clamp_page(page, total_pages)
    organisations, _ = await repo.organisations.page(
        page * ORGANISATIONS_PER_PAGE, ORGANISATIONS_PER_PAGE
    )
    builder = InlineKeyboardBuilder()
    for organisation in organisations:
        builder.button(
            text=organisation.name,
            callback_data=ProfileCallback(action=ProfileAction.ORG, value=str(organisation.id)),
        )
    builder.adjust(1)
    pager = pager_row(
        i18n,
        page,
        total_pages,
        lambda n: ProfileCallback(action=ProfileAction.ORG_PAGE, value=str(n)).pack(),
    )
    if pager:
        builder.row(*pager)
    builder.row(*_nav_row(i18n, back=not await _single(state)))
    key = "profile-ask-organisation" if organisations else "profile-ask-organisation-empty"
    await _send_step(event, i18n(key), builder.as_markup())


async def _ask_position(event, state: FSMContext, i18n: Translator) -> None:
    await state.set_state(ProfileForm.position)
    markup = _choice_keyboard(
        i18n,
        ProfileAction.POSITION,
        [p.value for p in Position],
        "position",
        back=not await _single(state),
    )
    await _send_step(event, i18n("profile-ask-position"), markup)


async def _ask_subjects(event, state: FSMContext, i18n: Translator) -> None:
    await state.set_state(ProfileForm.subjects)
    chosen = (await state.get_data()).get("subjects", [])
    await _send_step(
        event,
        i18n("profile-ask-subjects"),
        subjects_keyboard(i18n, chosen, back=not await _single(state)),
    )


async def _send_step(event, text: str, markup) -> None:
    if isinstance(event, CallbackQuery):
        await show(event, text, markup)
    else:
        await event.answer(text, reply_markup=markup)


async def _single(state: FSMContext) -> bool:
    return bool((await state.get_data()).get("single"))


async def on_full_name(
    message: Message, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    name = PERSON_NAME.cleaned(message.text)
    if name is None or not any(ch.isalpha() for ch in name):
        await message.answer(i18n("profile-name-invalid"))
        return
    await state.update_data(full_name=name)
    if await _single(state):
        await _save(message, state, user, repo, i18n)
        return
    await _ask_organisation(message, state, repo, i18n)


async def on_organisation_typed(message: Message, state: FSMContext, i18n: Translator) -> None:
    name = ORGANISATION.cleaned(message.text)
    if name is None:
        await message.answer(i18n("profile-organisation-invalid"))
        return
    await state.update_data(new_organisation=name, organisation_id=None)
    await state.set_state(ProfileForm.organisation_kind)
    markup = _choice_keyboard(
        i18n, ProfileAction.ORG_KIND, [k.value for k in OrganisationKind], "org-kind", back=True
    )
    await message.answer(i18n("profile-ask-organisation-kind", name=name), reply_markup=markup)


async def cq_organisation_page(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
    state: FSMContext,
    repo: Repo,
    i18n: Translator,
) -> None:
    page = parse_int(callback_data.value) or 0
    await _ask_organisation(callback, state, repo, i18n, page)


async def cq_organisation(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    organisation_id = parse_id(callback_data.value)
    organisation = (
        await repo.organisations.get(organisation_id) if organisation_id is not None else None
    )
    if organisation is None:
        raise InvalidState("profile-organisation-gone")
        return
    await state.update_data(organisation_id=organisation.id, new_organisation=None)
    await _after_organisation(callback, state, user, repo, i18n)


async def cq_organisation_kind(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    if callback_data.value not in OrganisationKind.__members__.values():
        return
    await state.update_data(new_organisation_kind=callback_data.value)
    await _after_organisation(callback, state, user, repo, i18n)


async def _after_organisation(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    if await _single(state):
        await _save(callback, state, user, repo, i18n)
    else:
        await _ask_position(callback, state, i18n)


async def cq_position(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    if callback_data.value not in Position.__members__.values():
        return
    await state.update_data(position=callback_data.value)
    if await _single(state):
        await _save(callback, state, user, repo, i18n)
    else:
        await _ask_subjects(callback, state, i18n)


async def cq_subject(
    callback: CallbackQuery, callback_data: ProfileCallback, state: FSMContext, i18n: Translator
) -> None:
    if callback_data.value not in Subject.__members__.values():
        return
    chosen = list((await state.get_data()).get("subjects", []))
    if callback_data.value in chosen:
        chosen.remove(callback_data.value)
    else:
        chosen.append(callback_data.value)
    await state.update_data(subjects=chosen)
    await _ask_subjects(callback, state, i18n)


async def cq_subjects_done(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    await _save(callback, state, user, repo, i18n)


async def cq_time_zone(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    if callback_data.value not in TIME_ZONES:
        return
    await repo.users.set_time_zone(user, callback_data.value)
    await state.clear()
    await show(callback, await profile_text(repo, i18n, user), profile_keyboard(i18n))


async def _save(
    event: Message | CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    """Write the profile in one go at the end, so a cancelled dialog leaves nothing behind."""
    data = await state.get_data()
    organisation_id = data.get("organisation_id", user.organisation_id)
    if data.get("new_organisation"):
        organisation = await repo.organisations.get_or_create(
            data["new_organisation"], OrganisationKind(data["new_organisation_kind"])
        )
        organisation_id = organisation.id
    await repo.users.update_profile(
        user,
        full_name=data.get("full_name", user.full_name),
        organisation_id=organisation_id,
        position=Position(data["position"]) if data.get("position") else user.position,
        subjects=data.get("subjects", user.subjects) if "subjects" in data else user.subjects,
    )
    single = data.get("single")
    after = data.get("after_onboarding")
    await state.clear()
    if single:
        await _send_step(event, await profile_text(repo, i18n, user), profile_keyboard(i18n))
        return
    chat = event.message if isinstance(event, CallbackQuery) else event
    await _send_step(event, i18n("profile-saved"), None)
    await chat.answer(await profile_text(repo, i18n, user), reply_markup=main_menu(i18n))
    if after and await open_link(
        chat, repo, i18n, user, after.get("link"), user.time_zone or after["zone"]
    ):
        return
    builder = InlineKeyboardBuilder()
    builder.button(
        text=i18n("onboarding-browse"), callback_data=CommunityCallback(action=CommunityAction.LIST)
    )
    await chat.answer(i18n("onboarding-next"), reply_markup=builder.as_markup())


# --- navigation --------------------------------------------------------------------------

_PREVIOUS = {
    ProfileForm.organisation.state: "full_name",
    ProfileForm.organisation_kind.state: "organisation",
    ProfileForm.position.state: "organisation",
    ProfileForm.subjects.state: "position",
}


async def cq_back(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    current = await state.get_state()
    if current is None or await _single(state):
        await cq_cancel(callback, state, user, i18n)
        return
    previous = _PREVIOUS.get(current, "full_name")
    if previous == "full_name":
        await _ask_full_name(callback, state, i18n)
    elif previous == "organisation":
        await _ask_organisation(callback, state, repo, i18n)
    else:
        await _ask_position(callback, state, i18n)


async def cq_cancel(
    callback: CallbackQuery, state: FSMContext, user: User, i18n: Translator
) -> None:
    await state.clear()
    key = "profile-cancelled" if user.full_name else "profile-cancelled-incomplete"
    await show(callback, i18n(key))


async def cq_stale(callback: CallbackQuery, i18n: Translator) -> None:
    raise InvalidState("error-stale-button")


async def on_text_instead_of_buttons(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("use-buttons"))


async def on_not_text(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("expect-text"))


# --- /profile ----------------------------------------------------------------------------


async def cmd_profile(
    message: Message, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    await state.clear()
    await message.answer(await profile_text(repo, i18n, user), reply_markup=profile_keyboard(i18n))


async def cq_edit(
    callback: CallbackQuery,
    callback_data: ProfileCallback,
    state: FSMContext,
    repo: Repo,
    i18n: Translator,
    user: User,
) -> None:
    field = callback_data.value
    if field not in EDITABLE_FIELDS:
        return
    await state.set_data({"single": True, "subjects": list(user.subjects)})
    if field == "name":
        await state.set_state(ProfileForm.full_name)
        builder = InlineKeyboardBuilder()
        builder.row(*_nav_row(i18n, back=False))
        await show(callback, i18n("profile-ask-name"), builder.as_markup())
    elif field == "organisation":
        await _ask_organisation(callback, state, repo, i18n)
    elif field == "position":
        await _ask_position(callback, state, i18n)
    elif field == "subjects":
        await _ask_subjects(callback, state, i18n)
    else:
        await state.set_state(ProfileForm.time_zone)
        builder = InlineKeyboardBuilder()
        for zone in TIME_ZONES:
            builder.button(
                text=i18n(f"tz-{zone.split('/')[1].lower()}"),
                callback_data=ProfileCallback(action=ProfileAction.TZ, value=zone),
            )
        builder.adjust(2)
        builder.row(*_nav_row(i18n, back=False))
        await show(callback, i18n("profile-ask-tz"), builder.as_markup())
