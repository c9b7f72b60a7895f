"""The profile dialog (FSM): full name, organisation, position, subjects; /profile to edit."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from bot.callbacks import (
    CommunityAction,
    CommunityCallback,
    PrivacyAction,
    PrivacyCallback,
    ProfileAction,
    ProfileCallback,
    ProfileField,
)
from bot.dates import TIME_ZONES, zone_name
from bot.i18n import Translator
from bot.keyboards import (
    InlineKeyboardBuilder,
    clamp_page,
    main_menu,
    pager_row,
    pages_for,
    paired_rows,
)
from handlers.common import MenuText, pressed_message, show
from handlers.dialog import Button, Dialog, Step, Turn
from handlers.links import open_link
from storage.enums import CommunityRole, MembershipStatus, OrganisationKind, Position, Subject
from storage.errors import InvalidState
from storage.limits import ORGANISATION, PERSON_NAME
from storage.models import Membership, User
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
    router.include_router(DIALOG.router())
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
    i18n: Translator,
    action: ProfileAction,
    values: list[Position] | list[OrganisationKind],
    label_prefix: str,
    *,
    back: bool,
):
    builder = InlineKeyboardBuilder()
    for value in values:
        builder.button(
            text=i18n(f"{label_prefix}-{value.value}"),
            callback_data=ProfileCallback(action=action, position=value)
            if isinstance(value, Position)
            else ProfileCallback(action=action, organisation_kind=value),
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
            callback_data=ProfileCallback(action=ProfileAction.SUBJECT, subject=subject),
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
            callback_data=ProfileCallback(action=ProfileAction.EDIT, field=ProfileField(field)),
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


# --- steps ---------------------------------------------------------------------------------


async def begin(
    event: Message | CallbackQuery, state: FSMContext, i18n: Translator, *, keep_data: bool = False
) -> None:
    """Start the whole dialog, right after consent or when a profile is incomplete."""
    data = await state.get_data() if keep_data else {}
    await state.set_data({"after_onboarding": data.get("after_onboarding"), "subjects": []})
    await state.set_state(ProfileForm.full_name)
    target = pressed_message(event) if isinstance(event, CallbackQuery) else event
    await target.answer(i18n("profile-ask-name"), reply_markup=_cancel_only(i18n))


def _cancel_only(i18n: Translator):
    builder = InlineKeyboardBuilder()
    builder.row(*_nav_row(i18n, back=False))
    return builder.as_markup()


async def _single(turn: Turn) -> bool:
    """One field edited from /profile (saved at once, "back" leaves), not the whole dialog."""
    return bool((await turn.form()).get("single"))


async def _next(turn: Turn, step: State) -> None:
    """The whole dialog goes on to the next step; a single field is saved."""
    if await _single(turn):
        await _save(turn)
    else:
        await turn.go(step, edit=True)


async def _organisations(turn: Turn):
    form = await turn.form()
    total_pages = pages_for((await turn.repo.organisations.page(0, 0))[1], ORGANISATIONS_PER_PAGE)
    page = clamp_page(form.get("page", 0), total_pages)
    organisations, _ = await turn.repo.organisations.page(
        page * ORGANISATIONS_PER_PAGE, ORGANISATIONS_PER_PAGE
    )
    builder = InlineKeyboardBuilder()
    for organisation in organisations:
        builder.button(
            text=organisation.name,
            callback_data=ProfileCallback(
                action=ProfileAction.ORG, organisation_id=organisation.id
            ),
        )
    builder.adjust(1)
    pager = pager_row(
        turn.i18n,
        page,
        total_pages,
        lambda n: ProfileCallback(action=ProfileAction.ORG_PAGE, page=n).pack(),
    )
    if pager:
        builder.row(*pager)
    builder.row(*_nav_row(turn.i18n, back=not form.get("single")))
    key = "profile-ask-organisation" if organisations else "profile-ask-organisation-empty"
    return turn.i18n(key), builder.as_markup()


def _choices(
    action: ProfileAction,
    values: list[Position] | list[OrganisationKind],
    label_prefix: str,
    *,
    back=None,
):
    """A step's choices; "back" unless a single field is edited (or ``back`` says)."""

    async def keyboard(turn: Turn):
        shown_back = back if back is not None else not await _single(turn)
        return _choice_keyboard(turn.i18n, action, values, label_prefix, back=shown_back)

    return keyboard


async def _new_name(turn: Turn) -> dict:
    return {"name": (await turn.form())["new_organisation"]}


async def _subjects(turn: Turn):
    form = await turn.form()
    return subjects_keyboard(turn.i18n, form.get("subjects", []), back=not form.get("single"))


def _zones(turn: Turn):
    builder = InlineKeyboardBuilder()
    labels = [turn.i18n(f"tz-{zone.split('/')[1].lower()}") for zone in TIME_ZONES]
    for zone, label in zip(TIME_ZONES, labels, strict=True):
        builder.button(
            text=label, callback_data=ProfileCallback(action=ProfileAction.TZ, zone=zone)
        )
    builder.adjust(*paired_rows(labels))
    builder.row(*_nav_row(turn.i18n, back=False))
    return builder.as_markup()


async def _full_name(turn: Turn, text: str) -> None:
    name = PERSON_NAME.cleaned(text)
    if name is None or not any(ch.isalpha() for ch in name):
        raise InvalidState("profile-name-invalid")
    await turn.remember(full_name=name)
    await _next(turn, ProfileForm.organisation)


async def _organisation_typed(turn: Turn, text: str) -> str:
    name = ORGANISATION.cleaned(text)
    if name is None:
        raise InvalidState("profile-organisation-invalid")
    await turn.remember(organisation_id=None)
    return name


async def _organisation_page(turn: Turn) -> None:
    await turn.remember(page=turn.data.page)
    await turn.go(ProfileForm.organisation, edit=True)


async def _organisation(turn: Turn) -> None:
    organisation_id = turn.data.organisation_id
    organisation = (
        await turn.repo.organisations.get(organisation_id) if organisation_id is not None else None
    )
    if organisation is None:
        raise InvalidState("profile-organisation-gone")
    await turn.remember(organisation_id=organisation.id, new_organisation=None)
    await _next(turn, ProfileForm.position)


async def _organisation_kind(turn: Turn) -> None:
    if turn.data.organisation_kind is None:
        return
    await turn.remember(new_organisation_kind=turn.data.organisation_kind.value)
    await _next(turn, ProfileForm.position)


async def _position(turn: Turn) -> None:
    if turn.data.position is None:
        return
    await turn.remember(position=turn.data.position.value)
    await _next(turn, ProfileForm.subjects)


async def _subject(turn: Turn) -> None:
    if turn.data.subject is None:
        return
    subject = turn.data.subject.value
    chosen = list((await turn.form()).get("subjects", []))
    if subject in chosen:
        chosen.remove(subject)
    else:
        chosen.append(subject)
    await turn.remember(subjects=chosen)
    await turn.go(ProfileForm.subjects, edit=True)


async def _time_zone(turn: Turn) -> None:
    if turn.data.zone not in TIME_ZONES:
        return
    await turn.repo.users.set_time_zone(turn.user, turn.data.zone)
    await turn.end()
    text = await profile_text(turn.repo, turn.i18n, turn.user)
    await show(turn.pressed, text, profile_keyboard(turn.i18n))


async def _save(turn: Turn) -> None:
    """Write the profile in one go at the end, so a cancelled dialog leaves nothing behind."""
    repo, user, i18n, event = turn.repo, turn.user, turn.i18n, turn.event
    data = await turn.form()
    organisation_id = data.get("organisation_id", user.organisation_id)
    if data.get("new_organisation"):
        organisation = await repo.organisations.get_or_create(
            data["new_organisation"], OrganisationKind(data["new_organisation_kind"])
        )
        organisation_id = organisation.id
    full_name = data.get("full_name", user.full_name)
    position = Position(data["position"]) if data.get("position") else user.position
    if not full_name or position is None:
        raise InvalidState("error-stale-button")  # a dialog left half-way: nothing to save
    await repo.users.update_profile(
        user,
        full_name=full_name,
        organisation_id=organisation_id,
        position=position,
        subjects=data.get("subjects", user.subjects) if "subjects" in data else user.subjects,
    )
    single = data.get("single")
    after = data.get("after_onboarding")
    await turn.end()
    if single:
        await show(event, await profile_text(repo, i18n, user), profile_keyboard(i18n))
        return
    chat = turn.message
    await show(event, i18n("profile-saved"))
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
    ProfileForm.organisation.state: ProfileForm.full_name,
    ProfileForm.organisation_kind.state: ProfileForm.organisation,
    ProfileForm.position.state: ProfileForm.organisation,
    ProfileForm.subjects.state: ProfileForm.position,
}


async def _back(turn: Turn) -> None:
    current = await turn.state.get_state()
    if current is None or await _single(turn):
        await _cancel(turn)
        return
    await turn.go(_PREVIOUS.get(current, ProfileForm.full_name), edit=True)


async def _cancel(turn: Turn) -> None:
    await turn.end()
    key = "profile-cancelled" if turn.user.full_name else "profile-cancelled-incomplete"
    await show(turn.pressed, turn.i18n(key))


async def _edit(turn: Turn) -> None:
    """/profile's buttons: one field at a time."""
    field = turn.data.field
    if field not in EDITABLE_FIELDS:
        return
    await turn.state.set_data({"single": True, "subjects": list(turn.user.subjects)})
    await turn.go(SINGLE_STEP[field], edit=True)


Form = ProfileForm
SINGLE_STEP = {
    "name": Form.full_name,
    "organisation": Form.organisation,
    "position": Form.position,
    "subjects": Form.subjects,
    "tz": Form.time_zone,
}
DIALOG = Dialog(
    "profile",
    ProfileCallback,
    steps=[
        Step(
            Form.full_name,
            "profile-ask-name",
            keyboard=lambda t: _cancel_only(t.i18n),
            read=_full_name,
        ),
        Step(
            Form.organisation,
            _organisations,
            read=_organisation_typed,
            into="new_organisation",
            then=Form.organisation_kind,
        ),
        Step(
            Form.organisation_kind,
            "profile-ask-organisation-kind",
            args=_new_name,
            keyboard=_choices(
                ProfileAction.ORG_KIND, list(OrganisationKind), "org-kind", back=True
            ),
        ),
        Step(
            Form.position,
            "profile-ask-position",
            keyboard=_choices(ProfileAction.POSITION, list(Position), "position"),
        ),
        Step(Form.subjects, "profile-ask-subjects", keyboard=_subjects),
        Step(Form.time_zone, "profile-ask-tz", keyboard=_zones),
    ],
    buttons={
        ProfileAction.EDIT: Button(_edit),
        ProfileAction.CANCEL: Button(_cancel),
        ProfileAction.BACK: Button(_back),
        ProfileAction.ORG_PAGE: Button(_organisation_page, Form.organisation),
        ProfileAction.ORG: Button(_organisation, Form.organisation),
        ProfileAction.ORG_KIND: Button(_organisation_kind, Form.organisation_kind),
        ProfileAction.POSITION: Button(_position, Form.position),
        ProfileAction.SUBJECT: Button(_subject, Form.subjects),
        ProfileAction.DONE: Button(_save, Form.subjects),
        ProfileAction.TZ: Button(_time_zone, Form.time_zone),
    },
    use_buttons="use-buttons",
    expect_text="expect-text",
)


# --- /profile ----------------------------------------------------------------------------


async def cmd_profile(
    message: Message, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    await state.clear()
    await message.answer(await profile_text(repo, i18n, user), reply_markup=profile_keyboard(i18n))
