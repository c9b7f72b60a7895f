"""Sharing a material from a phone: a short dialog over a draft that survives leaving."""

import re
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.callbacks import MaterialAction, MaterialCallback, ShareAction, ShareCallback, ShareField
from bot.conduct import ConductBook
from bot.config import Settings
from bot.i18n import I18n, Translator
from handlers.attachments import refused
from handlers.common import MenuText, show
from notices.after_commit import AfterCommit
from notices.material_cards import render_material
from notices.review_cards import announce_published, announce_review_item, reason_text
from notices.texts import clause_list
from storage.enums import ContentType, MaterialKind, MaterialStatus, MembershipStatus, ReviewSource
from storage.errors import InvalidState
from storage.limits import MATERIAL_DESCRIPTION, MATERIAL_TEXT, MATERIAL_TITLE
from storage.models import Material, Membership, User
from storage.repositories import Repo
from storage.repositories.materials import Submitted, parse_tags

GRADES = tuple(range(12))  # 0 = preschool
URL = re.compile(r"https?://\S+", re.IGNORECASE)


class ShareForm(StatesGroup):
    content = State()
    title = State()
    description = State()
    community = State()
    kind = State()
    grades = State()
    tags = State()
    confirm = State()


STEPS = (
    ShareForm.content,
    ShareForm.title,
    ShareForm.description,
    ShareForm.community,
    ShareForm.kind,
    ShareForm.grades,
    ShareForm.tags,
    ShareForm.confirm,
)


# The preview's per-field buttons: one tap to the field's step, the answer returns to the preview.
FIELDS = {
    "title": ShareForm.title,
    "description": ShareForm.description,
    "community": ShareForm.community,
    "kind": ShareForm.kind,
    "grades": ShareForm.grades,
    "tags": ShareForm.tags,
    "content": ShareForm.content,
}
CLEARABLE = {ShareForm.description.state: "description", ShareForm.tags.state: "tags"}


def setup_cancel() -> Router:
    """/cancel inside the dialog says what happens to the draft (before the general /cancel)."""
    router = Router(name="materials-cancel")
    router.message.register(cmd_cancel, Command("cancel"), StateFilter(ShareForm))
    return router


def setup() -> Router:
    router = Router(name="materials")
    router.message.register(cmd_share, Command("share"))
    router.message.register(cmd_share, MenuText("menu-share"))
    router.callback_query.register(cq_resume, ShareCallback.filter(F.action == ShareAction.RESUME))
    router.callback_query.register(
        cq_restart, ShareCallback.filter(F.action == ShareAction.RESTART)
    )
    router.callback_query.register(cq_leave, ShareCallback.filter(F.action == ShareAction.CANCEL))
    router.callback_query.register(
        cq_discard, ShareCallback.filter(F.action == ShareAction.DISCARD)
    )
    router.callback_query.register(cq_back, ShareCallback.filter(F.action == ShareAction.BACK))
    router.callback_query.register(cq_skip, ShareCallback.filter(F.action == ShareAction.SKIP))
    router.callback_query.register(
        cq_edit_field, ShareForm.confirm, ShareCallback.filter(F.action == ShareAction.EDIT)
    )
    router.callback_query.register(cq_clear, ShareCallback.filter(F.action == ShareAction.CLEAR))
    router.message.register(on_content, ShareForm.content)
    router.message.register(on_title, ShareForm.title, F.text)
    router.callback_query.register(
        cq_use_file_name,
        ShareForm.title,
        ShareCallback.filter(F.action == ShareAction.USE_FILE_NAME),
    )
    router.message.register(on_description, ShareForm.description, F.text)
    router.callback_query.register(
        cq_community, ShareForm.community, ShareCallback.filter(F.action == ShareAction.COMMUNITY)
    )
    router.callback_query.register(
        cq_kind, ShareForm.kind, ShareCallback.filter(F.action == ShareAction.KIND)
    )
    router.callback_query.register(
        cq_grade, ShareForm.grades, ShareCallback.filter(F.action == ShareAction.GRADE)
    )
    router.callback_query.register(
        cq_grades_done, ShareForm.grades, ShareCallback.filter(F.action == ShareAction.DONE)
    )
    router.message.register(on_tags, ShareForm.tags, F.text)
    router.callback_query.register(
        cq_submit, ShareForm.confirm, ShareCallback.filter(F.action == ShareAction.SUBMIT)
    )
    router.callback_query.register(
        cq_edit, MaterialCallback.filter(F.action == MaterialAction.EDIT)
    )
    router.callback_query.register(cq_stale, ShareCallback.filter())
    router.message.register(
        on_buttons_expected,
        StateFilter(ShareForm.community, ShareForm.kind, ShareForm.grades, ShareForm.confirm),
    )
    router.message.register(
        on_text_expected, StateFilter(ShareForm.title, ShareForm.description, ShareForm.tags)
    )
    return router


# --- keyboards -----------------------------------------------------------------------------


def _button(
    text: str,
    action: ShareAction,
    *,
    community_id: int | None = None,
    kind: MaterialKind | None = None,
    grade: int | None = None,
    field: ShareField | None = None,
) -> InlineKeyboardButton:
    data = ShareCallback(
        action=action, community_id=community_id, kind=kind, grade=grade, field=field
    )
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _nav(
    i18n: Translator, *, skip: bool = False, back: bool = True, editing: bool = False
) -> list[list[InlineKeyboardButton]]:
    if editing:  # changing one field from the preview: the way back is to the preview
        return [[_button(i18n("share-back-to-preview"), ShareAction.BACK)]]
    rows = []
    if skip:
        rows.append([_button(i18n("button-skip"), ShareAction.SKIP)])
    row = []
    if back:
        row.append(_button(i18n("button-back"), ShareAction.BACK))
    row.append(_button(i18n("share-leave"), ShareAction.CANCEL))
    rows.append(row)
    return rows


# --- entry ---------------------------------------------------------------------------------


async def cmd_share(
    message: Message, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    if not user.full_name:
        await message.answer(i18n("community-profile-needed"))
        return
    await state.set_data({})
    draft = await repo.materials.draft_of(user)
    if draft is not None and draft.content_type is not None:
        builder = InlineKeyboardBuilder()
        builder.row(_button(i18n("share-resume"), ShareAction.RESUME))
        builder.row(_button(i18n("share-restart"), ShareAction.RESTART))
        await message.answer(
            i18n(
                "share-draft-found",
                title=draft.title or draft.file_name or i18n("share-untitled"),
            ),
            reply_markup=builder.as_markup(),
        )
        return
    await repo.materials.start_draft(user)
    await _ask(message, state, repo, i18n, user, ShareForm.content)


async def cq_resume(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    draft = await repo.materials.draft_of(user)
    if draft is None:
        await cq_stale(callback, i18n)
        return
    await state.set_data({})
    await _ask(callback, state, repo, i18n, user, _first_missing(draft))


async def cq_restart(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    await repo.materials.discard_draft(user)
    await repo.materials.start_draft(user)
    await state.set_data({})
    await _ask(callback, state, repo, i18n, user, ShareForm.content)


async def cq_leave(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    await _leave(callback, state, user, repo, i18n)


async def cmd_cancel(
    message: Message, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    await _leave(message, state, user, repo, i18n)


async def _leave(
    event: Message | CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    """Leaving keeps a draft that holds something, and says how to go on or delete it; a draft
    with nothing in it yet is not kept."""
    await state.clear()
    draft = await repo.materials.draft_of(user)
    if draft is None or draft.content_type is None:
        await repo.materials.discard_draft(user)
        await _send(event, i18n("share-cancelled-empty"), None)
        return
    rows = [[_button(i18n("share-discard"), ShareAction.DISCARD)]] if _discardable(draft) else []
    await _send(event, i18n("share-left"), InlineKeyboardBuilder(rows).as_markup())


def _discardable(draft: Material) -> bool:
    """A published material reopened for an edit is not a draft to throw away."""
    return draft.published_at is None


async def cq_discard(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    draft = await repo.materials.draft_of(user)
    if draft is not None and not _discardable(draft):
        raise InvalidState("material-not-editable")
    await repo.materials.discard_draft(user)
    await state.clear()
    await show(callback, i18n("share-discarded"))


def _first_missing(draft: Material) -> State:
    if draft.content_type is None:
        return ShareForm.content
    if not draft.title:
        return ShareForm.title
    if draft.community_id is None:
        return ShareForm.community
    if draft.kind is None:
        return ShareForm.kind
    return ShareForm.confirm


# --- asking --------------------------------------------------------------------------------


async def _active_memberships(repo: Repo, user: User) -> list[Membership]:
    return [
        m
        for m in await repo.communities.memberships_of(user)
        if m.status is MembershipStatus.ACTIVE
    ]


def _steps(memberships: list[Membership]) -> tuple[State, ...]:
    """A member of one community is not asked where to publish (it stays changeable from the
    preview), and the step is not counted."""
    if len(memberships) == 1:
        return tuple(step for step in STEPS if step != ShareForm.community)
    return STEPS


async def _editing(state: FSMContext) -> bool:
    """A field opened from the preview: its answer returns to the preview."""
    return bool((await state.get_data()).get("editing"))


async def _ask(
    event: Message | CallbackQuery,
    state: FSMContext,
    repo: Repo,
    i18n: Translator,
    user: User,
    step: State,
    *,
    new_message: bool = False,
) -> None:
    draft = await repo.materials.start_draft(user)
    memberships = await _active_memberships(repo, user)
    editing = step != ShareForm.confirm and await _editing(state)
    if step == ShareForm.community and not editing and len(memberships) == 1:
        await repo.materials.update_draft(draft, community=memberships[0].community)
        step = STEPS[STEPS.index(ShareForm.community) + 1]
    await state.set_state(step)
    if step == ShareForm.confirm:
        await state.update_data(editing=False)
    steps = _steps(memberships)
    if editing:
        prefix = i18n("share-editing")
    elif step in steps and step != ShareForm.confirm:
        prefix = i18n("share-step", step=steps.index(step) + 1, steps=len(steps))
    else:
        prefix = ""
    rows: list[list[InlineKeyboardButton]]
    if step == ShareForm.content:
        text, rows = i18n("share-ask-content"), _nav(i18n, back=False, editing=editing)
    elif step == ShareForm.title:
        text = i18n("share-ask-title")
        rows = []
        if draft.file_name:
            rows.append(
                [
                    _button(
                        i18n("share-use-file-name", name=_shorten(draft.file_name, 40)),
                        ShareAction.USE_FILE_NAME,
                    )
                ]
            )
        rows += _nav(i18n, editing=editing)
    elif step == ShareForm.description:
        text = i18n("share-ask-description")
        rows = _clear_row(i18n, editing, bool(draft.description))
        rows += _nav(i18n, skip=True, editing=editing)
    elif step == ShareForm.community:
        if not memberships:
            await state.clear()
            await _send(event, i18n("share-no-community"), None, new_message=new_message)
            return
        rows = [
            [
                _button(
                    _ticked(m.community.title, m.community_id == draft.community_id),
                    ShareAction.COMMUNITY,
                    community_id=m.community_id,
                )
            ]
            for m in memberships
        ]
        text = i18n("share-ask-community")
        rows += _nav(i18n, editing=editing)
    elif step == ShareForm.kind:
        rows = [
            [_button(_ticked(i18n(f"kind-{k.value}"), k is draft.kind), ShareAction.KIND, kind=k)]
            for k in MaterialKind
        ]
        text = i18n("share-ask-kind")
        rows += _nav(i18n, editing=editing)
    elif step == ShareForm.grades:
        chosen = set(draft.grades or [])
        buttons = [
            _button(
                _ticked(i18n("grade-short", grade=g), g in chosen),
                ShareAction.GRADE,
                grade=g,
            )
            for g in GRADES
        ]
        rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
        rows.append([_button(i18n("button-done"), ShareAction.DONE)])
        text = i18n("share-ask-grades")
        rows += _nav(i18n, editing=editing)
    elif step == ShareForm.tags:
        text = i18n("share-ask-tags")
        rows = _clear_row(i18n, editing, bool(draft.tags))
        rows += _nav(i18n, skip=True, editing=editing)
    else:
        text, rows = await _preview(repo, i18n, draft)
    if prefix:
        text = f"{prefix}\n{text}" if editing else f"{prefix} {text}"
    await _send(event, text, InlineKeyboardBuilder(rows).as_markup(), new_message=new_message)


def _ticked(label: str, chosen: bool) -> str:
    return ("✅ " if chosen else "") + label


def _clear_row(i18n: Translator, editing: bool, filled: bool) -> list[list[InlineKeyboardButton]]:
    if editing and filled:
        return [[_button(i18n("share-clear"), ShareAction.CLEAR)]]
    return []


async def _preview(
    repo: Repo, i18n: Translator, draft: Material
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """The card as readers will see it, the moderator's reason when it was sent back, and a
    button per field."""
    text = i18n("share-preview") + "\n\n" + render_material(i18n, draft)
    reason = await repo.materials.changes_reason(draft.id)
    if reason is not None:
        text = i18n("share-changes-reason", reason=reason_text(i18n, reason) or "—") + "\n\n" + text
    content = draft.content_type.value if draft.content_type else "document"
    edit = [
        _button(
            i18n(f"share-edit-{field}", type=content), ShareAction.EDIT, field=ShareField(field)
        )
        for field in FIELDS
    ]
    rows = [[_button(i18n("share-submit"), ShareAction.SUBMIT)]]
    rows += [edit[i : i + 2] for i in range(0, len(edit), 2)]
    last = [_button(i18n("share-leave"), ShareAction.CANCEL)]
    if _discardable(draft):
        last.append(_button(i18n("share-discard"), ShareAction.DISCARD))
    rows.append(last)
    return text, rows


async def _send(
    event: Message | CallbackQuery, text: str, markup, *, new_message: bool = False
) -> None:
    if isinstance(event, CallbackQuery):
        if new_message:
            await event.bot.send_message(event.from_user.id, text, reply_markup=markup)
        else:
            await show(event, text, markup)
    else:
        await event.answer(text, reply_markup=markup)


async def _next(
    event, state: FSMContext, repo: Repo, i18n: Translator, user: User, current: State
) -> None:
    """The next step, or the preview when the field was opened from it."""
    if await _editing(state):
        await _ask(event, state, repo, i18n, user, ShareForm.confirm)
        return
    await _ask(event, state, repo, i18n, user, STEPS[STEPS.index(current) + 1])


async def _save_and_next(
    event, state: FSMContext, repo: Repo, i18n: Translator, user: User, step: State, **fields
) -> None:
    """Every answer is written to the draft at once, so leaving loses nothing."""
    draft = await repo.materials.start_draft(user)
    await repo.materials.update_draft(draft, **fields)
    await _next(event, state, repo, i18n, user, step)


async def _breaks_code(
    event: Message | CallbackQuery,
    repo: Repo,
    conduct: ConductBook,
    i18n: Translator,
    user: User,
    field: str,
    text: str,
) -> bool:
    """The conduct code, as the final check applies it, on one text as it is entered: refused
    with the same clauses, and the step stays for another try."""
    verdict = await conduct.check(repo, text)
    if not verdict.blocked:
        return False
    draft = await repo.materials.draft_of(user)
    community_id = draft.community_id if draft else None
    await repo.conduct.record_hits(verdict, "material", community_id, user)
    key = "share-blocked-content" if field == "content" else "share-blocked"
    answer = i18n(key, field=field, clauses=clause_list(i18n, verdict.as_dicts()))
    await _send(event, answer, None, new_message=True)
    return True


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- steps ---------------------------------------------------------------------------------


async def on_content(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    settings: Settings,
    conduct: ConductBook,
) -> None:
    """A document, a photo, a video, a link, or a text."""
    media = message.document or message.video
    written = (message.text, message.caption, media.file_name if media else None)
    written_text = "\n".join(part for part in written if part)
    if written_text and await _breaks_code(
        message, repo, conduct, i18n, user, "content", written_text
    ):
        return
    if await refused(message, i18n, settings.materials.max_file_mb):
        return  # the step stays; the draft keeps what it had
    draft = await repo.materials.start_draft(user)
    if message.document:
        content = _file(ContentType.DOCUMENT, message.document, message.document.mime_type)
    elif message.photo:
        content = _file(ContentType.PHOTO, message.photo[-1], "image/jpeg")
    elif message.video:
        content = _file(ContentType.VIDEO, message.video, message.video.mime_type)
    elif message.text and not message.text.startswith("/"):
        text = message.text.strip()
        link = URL.search(text)
        if link and len(link.group(0)) <= 2048:
            rest = (text[: link.start()] + text[link.end() :]).strip()
            content = _no_file(ContentType.LINK, url=link.group(0), body=rest[: MATERIAL_TEXT.high])
        elif len(text) < MATERIAL_TEXT.low:
            await message.answer(i18n("share-text-too-short"))
            return
        elif len(text) > MATERIAL_TEXT.high:
            await message.answer(
                i18n("share-text-too-long", max=MATERIAL_TEXT.high, length=len(text))
            )
            return
        else:
            content = _no_file(ContentType.TEXT, body=text)
    else:
        await message.answer(i18n("share-unsupported-content"))
        return
    if message.caption and not draft.description:
        content["description"] = message.caption[: MATERIAL_DESCRIPTION.high]
    await repo.materials.update_draft(draft, **content)
    await _next(message, state, repo, i18n, user, ShareForm.content)


def _file(content_type: ContentType, media: Any, mime_type: str | None) -> dict[str, Any]:
    """A document, photo or video as the draft keeps it (a photo has no file name)."""
    return {
        "content_type": content_type,
        "file_id": media.file_id,
        "file_unique_id": media.file_unique_id,
        "file_name": getattr(media, "file_name", None),
        "file_size": media.file_size,
        "mime_type": mime_type,
        "url": None,
    }


def _no_file(content_type: ContentType, **fields: Any) -> dict[str, Any]:
    """A link or a text: whatever file the draft had goes."""
    gone = dict.fromkeys(("file_id", "file_unique_id", "file_name", "file_size", "mime_type"))
    return {"content_type": content_type, **gone, "url": None, **fields}


async def on_title(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
) -> None:
    title = MATERIAL_TITLE.cleaned(message.text)
    if title is None:
        length = len(" ".join(message.text.split()))
        await message.answer(i18n("share-title-invalid", max=MATERIAL_TITLE.high, length=length))
        return
    await _save_title(message, state, user, repo, i18n, conduct, title)


async def cq_use_file_name(
    callback: CallbackQuery,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
) -> None:
    draft = await repo.materials.draft_of(user)
    if draft is None or not draft.file_name:
        await cq_stale(callback, i18n)
        return
    stem = draft.file_name.rsplit(".", 1)[0].replace("_", " ").strip() or draft.file_name
    await _save_title(callback, state, user, repo, i18n, conduct, stem[: MATERIAL_TITLE.high])


async def _save_title(
    event,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
    title: str,
) -> None:
    if not any(char.isalnum() for char in title):
        # Emoji or punctuation alone: nobody could find it, and nobody can read it aloud.
        await _send(event, i18n("share-title-no-letters"), None, new_message=True)
        return
    if await _breaks_code(event, repo, conduct, i18n, user, "title", title):
        return
    await _save_and_next(event, state, repo, i18n, user, ShareForm.title, title=title)


async def on_description(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
) -> None:
    text = message.text.strip()
    if len(text) > MATERIAL_DESCRIPTION.high:
        await message.answer(
            i18n("share-description-too-long", max=MATERIAL_DESCRIPTION.high, length=len(text))
        )
        return
    if await _breaks_code(message, repo, conduct, i18n, user, "description", text):
        return
    await _save_and_next(message, state, repo, i18n, user, ShareForm.description, description=text)


async def cq_community(
    callback: CallbackQuery,
    callback_data: ShareCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    community_id = callback_data.community_id or 0
    membership = await repo.communities.membership(user, community_id)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        await cq_stale(callback, i18n)
        return
    await _save_and_next(
        callback, state, repo, i18n, user, ShareForm.community, community_id=community_id
    )


async def cq_kind(
    callback: CallbackQuery,
    callback_data: ShareCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    if callback_data.kind is None:
        await cq_stale(callback, i18n)
        return
    await _save_and_next(callback, state, repo, i18n, user, ShareForm.kind, kind=callback_data.kind)


async def cq_grade(
    callback: CallbackQuery,
    callback_data: ShareCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    grade = callback_data.grade
    if grade not in GRADES:
        await cq_stale(callback, i18n)
        return
    draft = await repo.materials.start_draft(user)
    await repo.materials.update_draft(draft, grades=sorted(set(draft.grades or []) ^ {grade}))
    await _ask(callback, state, repo, i18n, user, ShareForm.grades)


async def cq_grades_done(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    await _next(callback, state, repo, i18n, user, ShareForm.grades)


async def on_tags(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
) -> None:
    tags = parse_tags(message.text)
    if not tags:
        await message.answer(i18n("share-tags-invalid"))
        return
    if await _breaks_code(message, repo, conduct, i18n, user, "tags", ", ".join(tags)):
        return
    await _save_and_next(message, state, repo, i18n, user, ShareForm.tags, tags=tags)


async def cq_skip(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    current = await state.get_state()
    if current not in (ShareForm.description.state, ShareForm.tags.state):
        await cq_stale(callback, i18n)
        return
    step = ShareForm.description if current == ShareForm.description.state else ShareForm.tags
    await _next(callback, state, repo, i18n, user, step)


async def cq_back(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    current = await state.get_state()
    steps = _steps(await _active_memberships(repo, user))
    if current == ShareForm.community.state:
        steps = STEPS  # the one community's step, opened from the preview
    index = next((i for i, s in enumerate(steps) if s.state == current), None)
    if index is None:
        await cq_stale(callback, i18n)
        return
    if await _editing(state):
        await _ask(callback, state, repo, i18n, user, ShareForm.confirm)
        return
    await _ask(callback, state, repo, i18n, user, steps[max(index - 1, 0)])


async def cq_edit_field(
    callback: CallbackQuery,
    callback_data: ShareCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    """One tap from the preview to any field; its answer comes straight back."""
    step = FIELDS.get(callback_data.field) if callback_data.field else None
    draft = await repo.materials.draft_of(user)
    if step is None or draft is None:
        await cq_stale(callback, i18n)
        return
    await state.update_data(editing=True)
    await _ask(callback, state, repo, i18n, user, step)


async def cq_clear(
    callback: CallbackQuery, state: FSMContext, user: User, repo: Repo, i18n: Translator
) -> None:
    field = CLEARABLE.get(await state.get_state() or "")
    draft = await repo.materials.draft_of(user)
    if field is None or draft is None:
        await cq_stale(callback, i18n)
        return
    await repo.materials.update_draft(draft, **{field: [] if field == "tags" else ""})
    await _ask(callback, state, repo, i18n, user, ShareForm.confirm)


async def cq_submit(
    callback: CallbackQuery,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    i18n_hub: I18n,
    settings: Settings,
    bot: Bot,
    conduct: ConductBook,
    after_commit: AfterCommit,
) -> None:
    draft = await repo.materials.draft_of(user)
    if draft is None:
        await cq_stale(callback, i18n)
        return
    check = await conduct.check_material(repo, draft)
    if check.blocked:
        # The draft stays as it is, preview and all: the author fixes the text and resends.
        await callback.message.answer(
            i18n("material-blocked", clauses=clause_list(i18n, check.hits))
        )
        return
    source = ReviewSource.EDIT if draft.published_at else ReviewSource.PREMODERATION
    outcome, item = await repo.materials.submit(
        draft, check, trusted_after=settings.materials.trusted_after, source=source
    )
    await state.clear()
    if outcome is Submitted.PUBLISHED:
        await show(callback, i18n("share-published", title=draft.title))
        await announce_published(bot, repo, i18n_hub, draft)
    else:
        await show(callback, i18n("share-queued", title=draft.title))
        # After the commit: a moderator who presses "approve" at once finds the item.
        after_commit(announce_review_item, bot, repo, i18n_hub, item)


async def cq_stale(callback: CallbackQuery, i18n: Translator) -> None:
    raise InvalidState("error-stale-button")


async def on_buttons_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("use-buttons"))


async def on_text_expected(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("expect-text"))


async def cq_edit(
    callback: CallbackQuery,
    callback_data: MaterialCallback,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
) -> None:
    """Edit and resubmit: the material reopens as a draft at its preview, sent as a new message
    so the one it was pressed on (the moderator's reason, or the card) stays readable."""
    material = await repo.materials.get(callback_data.material_id)
    reopened = (
        material is not None
        and material.author_id == user.id
        and material.status is MaterialStatus.DRAFT
    )
    if not reopened:  # pressed again: the draft it became is shown, not refused
        await repo.materials.reopen(callback_data.material_id, user)
    await state.set_data({})
    await _ask(callback, state, repo, i18n, user, ShareForm.confirm, new_message=True)
