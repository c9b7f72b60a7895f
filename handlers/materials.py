"""Sharing a material from a phone: a short dialog over a draft that survives leaving."""

import re
from dataclasses import dataclass
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message

from bot.callbacks import MaterialAction, MaterialCallback, ShareAction, ShareCallback, ShareField
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.attachments import refused
from handlers.common import MenuText, bot_of, show
from handlers.dialog import Button, Dialog, Step, Turn
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
    router.callback_query.register(
        cq_edit, MaterialCallback.filter(F.action == MaterialAction.EDIT)
    )
    router.include_router(DIALOG.router())
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


def _ticked(label: str, chosen: bool) -> str:
    return ("✅ " if chosen else "") + label


def _clear_row(i18n: Translator, editing: bool, filled: bool) -> list[list[InlineKeyboardButton]]:
    if editing and filled:
        return [[_button(i18n("share-clear"), ShareAction.CLEAR)]]
    return []


# --- entry ---------------------------------------------------------------------------------


async def cmd_share(message: Message, **data: Any) -> None:
    turn = Turn(DIALOG, message, data)
    i18n = turn.i18n
    if not turn.user.full_name:
        await message.answer(i18n("community-profile-needed"))
        return
    await turn.state.set_data({})
    draft = await turn.repo.materials.draft_of(turn.user)
    if draft is not None and draft.content_type is not None:
        builder = InlineKeyboardBuilder()
        builder.row(_button(i18n("share-resume"), ShareAction.RESUME))
        builder.row(_button(i18n("share-restart"), ShareAction.RESTART))
        title = draft.title or draft.file_name or i18n("share-untitled")
        await message.answer(
            i18n("share-draft-found", title=title), reply_markup=builder.as_markup()
        )
        return
    await turn.repo.materials.start_draft(turn.user)
    await _ask(turn, ShareForm.content)


async def cq_edit(callback: CallbackQuery, callback_data: MaterialCallback, **data: Any) -> None:
    """Edit and resubmit: the material reopens as a draft at its preview, sent as a new message
    so the one it was pressed on (the moderator's reason, or the card) stays readable."""
    turn = Turn(DIALOG, callback, {**data, "callback_data": callback_data})
    material = await turn.repo.materials.get(callback_data.material_id)
    reopened = (
        material is not None
        and material.author_id == turn.user.id
        and material.status is MaterialStatus.DRAFT
    )
    if not reopened:  # pressed again: the draft it became is shown, not refused
        await turn.repo.materials.reopen(callback_data.material_id, turn.user)
    await turn.state.set_data({})
    await _ask(turn, ShareForm.confirm, new_message=True)


async def cmd_cancel(message: Message, **data: Any) -> None:
    await _leave(Turn(DIALOG, message, data))


async def _resume(turn: Turn) -> None:
    draft = await turn.repo.materials.draft_of(turn.user)
    if draft is None:
        raise InvalidState("error-stale-button")
    await turn.state.set_data({})
    await _ask(turn, _first_missing(draft))


async def _restart(turn: Turn) -> None:
    await turn.repo.materials.discard_draft(turn.user)
    await turn.repo.materials.start_draft(turn.user)
    await turn.state.set_data({})
    await _ask(turn, ShareForm.content)


async def _leave(turn: Turn) -> None:
    """Leaving keeps a draft that holds something, and says how to go on or delete it; a draft
    with nothing in it yet is not kept."""
    await turn.end()
    draft = await turn.repo.materials.draft_of(turn.user)
    if draft is None or draft.content_type is None:
        await turn.repo.materials.discard_draft(turn.user)
        await _send(turn, turn.i18n("share-cancelled-empty"))
        return
    i18n = turn.i18n
    rows = [[_button(i18n("share-discard"), ShareAction.DISCARD)]] if _discardable(draft) else []
    await _send(turn, i18n("share-left"), InlineKeyboardBuilder(rows).as_markup())


def _discardable(draft: Material) -> bool:
    """A published material reopened for an edit is not a draft to throw away."""
    return draft.published_at is None


async def _discard(turn: Turn) -> None:
    draft = await turn.repo.materials.draft_of(turn.user)
    if draft is not None and not _discardable(draft):
        raise InvalidState("material-not-editable")
    await turn.repo.materials.discard_draft(turn.user)
    await turn.end()
    await show(turn.event, turn.i18n("share-discarded"))


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


@dataclass
class _Asked:
    """What a step's question is drawn from, loaded once when the step is entered."""

    draft: Material
    memberships: list[Membership]
    editing: bool  # a field opened from the preview: its answer returns to the preview


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


async def _editing(turn: Turn) -> bool:
    """A field opened from the preview: its answer returns to the preview."""
    return bool((await turn.form()).get("editing"))


async def _ask(turn: Turn, step: State, *, new_message: bool = False) -> None:
    """Enter a step: the pressed message becomes its question (``new_message``: a new one).
    The one community of a member is filled in, not asked; no community ends the dialog."""
    draft = await turn.repo.materials.start_draft(turn.user)
    memberships = await _active_memberships(turn.repo, turn.user)
    editing = step != ShareForm.confirm and await _editing(turn)
    if step == ShareForm.community and not editing and len(memberships) == 1:
        await turn.repo.materials.update_draft(draft, community=memberships[0].community)
        step = ShareForm.kind
    if step == ShareForm.community and not memberships:
        await turn.end()
        await _send(turn, turn.i18n("share-no-community"), new_message=new_message)
        return
    if step == ShareForm.confirm:
        await turn.remember(editing=False)
    turn.subject = _Asked(draft, memberships, editing)
    await turn.go(step, edit=not new_message)


def _question(step: State, body):
    """A step's question: its body (text, rows) after the step's number, or the editing mark."""

    async def ask(turn: Turn) -> tuple[str, Any]:
        asked: _Asked = turn.subject
        i18n = turn.i18n
        text, rows = await body(turn, asked)
        steps = _steps(asked.memberships)
        if asked.editing:
            text = i18n("share-editing") + "\n" + text
        elif step in steps and step != ShareForm.confirm:
            text = i18n("share-step", step=steps.index(step) + 1, steps=len(steps)) + " " + text
        return text, InlineKeyboardBuilder(rows).as_markup()

    return ask


async def _ask_content(turn: Turn, asked: _Asked):
    return turn.i18n("share-ask-content"), _nav(turn.i18n, back=False, editing=asked.editing)


async def _ask_title(turn: Turn, asked: _Asked):
    i18n, rows = turn.i18n, []
    if asked.draft.file_name:
        name = _shorten(asked.draft.file_name, 40)
        rows.append([_button(i18n("share-use-file-name", name=name), ShareAction.USE_FILE_NAME)])
    return i18n("share-ask-title"), rows + _nav(i18n, editing=asked.editing)


def _ask_optional(key: str, field: str):
    """An optional field's question: "Clear" once it holds something, and "Skip"."""

    async def ask(turn: Turn, asked: _Asked):
        rows = _clear_row(turn.i18n, asked.editing, bool(getattr(asked.draft, field)))
        rows += _nav(turn.i18n, skip=True, editing=asked.editing)
        return turn.i18n(key), rows

    return ask


_ask_description = _ask_optional("share-ask-description", "description")
_ask_tags = _ask_optional("share-ask-tags", "tags")


async def _ask_community(turn: Turn, asked: _Asked):
    chosen = asked.draft.community_id
    rows = [
        [
            _button(
                _ticked(m.community.title, m.community_id == chosen),
                ShareAction.COMMUNITY,
                community_id=m.community_id,
            )
        ]
        for m in asked.memberships
    ]
    return turn.i18n("share-ask-community"), rows + _nav(turn.i18n, editing=asked.editing)


async def _ask_kind(turn: Turn, asked: _Asked):
    i18n = turn.i18n
    rows = [
        [_button(_ticked(i18n(f"kind-{k.value}"), k is asked.draft.kind), ShareAction.KIND, kind=k)]
        for k in MaterialKind
    ]
    return i18n("share-ask-kind"), rows + _nav(i18n, editing=asked.editing)


async def _ask_grades(turn: Turn, asked: _Asked):
    i18n = turn.i18n
    chosen = set(asked.draft.grades or [])
    buttons = [
        _button(_ticked(i18n("grade-short", grade=g), g in chosen), ShareAction.GRADE, grade=g)
        for g in GRADES
    ]
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    rows.append([_button(i18n("button-done"), ShareAction.DONE)])
    return i18n("share-ask-grades"), rows + _nav(i18n, editing=asked.editing)


async def _preview(turn: Turn, asked: _Asked):
    """The card as readers will see it, the moderator's reason when it was sent back, and a
    button per field."""
    i18n, draft = turn.i18n, asked.draft
    text = i18n("share-preview") + "\n\n" + render_material(i18n, draft)
    reason = await turn.repo.materials.changes_reason(draft.id)
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


async def _send(turn: Turn, text: str, markup: Any = None, *, new_message: bool = False) -> None:
    """A typed answer is answered; a press edits its message, or ``new_message`` adds one."""
    if new_message and turn.callback is not None:
        callback = turn.callback
        await bot_of(callback).send_message(callback.from_user.id, text, reply_markup=markup)
    else:
        await show(turn.event, text, markup)


async def _next(turn: Turn, current: State) -> None:
    """The next step, or the preview when the field was opened from it."""
    if await _editing(turn):
        await _ask(turn, ShareForm.confirm)
        return
    await _ask(turn, STEPS[STEPS.index(current) + 1])


async def _save_and_next(turn: Turn, step: State, **fields: Any) -> None:
    """Every answer is written to the draft at once, so leaving loses nothing."""
    draft = await turn.repo.materials.start_draft(turn.user)
    await turn.repo.materials.update_draft(draft, **fields)
    await _next(turn, step)


async def _breaks_code(turn: Turn, field: str, text: str) -> bool:
    """The conduct code, as the final check applies it, on one text as it is entered: refused
    with the same clauses, and the step stays for another try."""
    repo, i18n = turn.repo, turn.i18n
    verdict = await turn.extra["conduct"].check(repo, text)
    if not verdict.blocked:
        return False
    draft = await repo.materials.draft_of(turn.user)
    community_id = draft.community_id if draft else None
    await repo.conduct.record_hits(verdict, "material", community_id, turn.user)
    key = "share-blocked-content" if field == "content" else "share-blocked"
    answer = i18n(key, field=field, clauses=clause_list(i18n, verdict.as_dicts()))
    await _send(turn, answer, new_message=True)
    return True


def _shorten(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


# --- answers -------------------------------------------------------------------------------


async def _content(turn: Turn, _text: str) -> None:
    """A document, a photo, a video, a link, or a text."""
    message: Message = turn.event  # type: ignore[assignment]
    media = message.document or message.video
    written = (message.text, message.caption, media.file_name if media else None)
    written_text = "\n".join(part for part in written if part)
    if written_text and await _breaks_code(turn, "content", written_text):
        return
    if await refused(message, turn.i18n, turn.settings.materials.max_file_mb):
        return  # the step stays; the draft keeps what it had
    draft = await turn.repo.materials.start_draft(turn.user)
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
            raise InvalidState("share-text-too-short")
        elif len(text) > MATERIAL_TEXT.high:
            raise InvalidState("share-text-too-long", max=MATERIAL_TEXT.high, length=len(text))
        else:
            content = _no_file(ContentType.TEXT, body=text)
    else:
        raise InvalidState("share-unsupported-content")
    if message.caption and not draft.description:
        content["description"] = message.caption[: MATERIAL_DESCRIPTION.high]
    await turn.repo.materials.update_draft(draft, **content)
    await _next(turn, ShareForm.content)


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


async def _title(turn: Turn, text: str) -> None:
    title = MATERIAL_TITLE.cleaned(text)
    if title is None:
        length = len(" ".join(text.split()))
        raise InvalidState("share-title-invalid", max=MATERIAL_TITLE.high, length=length)
    await _save_title(turn, title)


async def _use_file_name(turn: Turn) -> None:
    draft = await turn.repo.materials.draft_of(turn.user)
    if draft is None or not draft.file_name:
        raise InvalidState("error-stale-button")
    stem = draft.file_name.rsplit(".", 1)[0].replace("_", " ").strip() or draft.file_name
    await _save_title(turn, stem[: MATERIAL_TITLE.high])


async def _save_title(turn: Turn, title: str) -> None:
    if not any(char.isalnum() for char in title):
        # Emoji or punctuation alone: nobody could find it, and nobody can read it aloud.
        await _send(turn, turn.i18n("share-title-no-letters"), new_message=True)
        return
    if await _breaks_code(turn, "title", title):
        return
    await _save_and_next(turn, ShareForm.title, title=title)


async def _description(turn: Turn, text: str) -> None:
    text = text.strip()
    if len(text) > MATERIAL_DESCRIPTION.high:
        raise InvalidState(
            "share-description-too-long", max=MATERIAL_DESCRIPTION.high, length=len(text)
        )
    if await _breaks_code(turn, "description", text):
        return
    await _save_and_next(turn, ShareForm.description, description=text)


async def _community(turn: Turn) -> None:
    community_id = turn.data.community_id or 0
    membership = await turn.repo.communities.membership(turn.user, community_id)
    if membership is None or membership.status is not MembershipStatus.ACTIVE:
        raise InvalidState("error-stale-button")
    await _save_and_next(turn, ShareForm.community, community_id=community_id)


async def _kind(turn: Turn) -> None:
    if turn.data.kind is None:
        raise InvalidState("error-stale-button")
    await _save_and_next(turn, ShareForm.kind, kind=turn.data.kind)


async def _grade(turn: Turn) -> None:
    grade = turn.data.grade
    if grade not in GRADES:
        raise InvalidState("error-stale-button")
    draft = await turn.repo.materials.start_draft(turn.user)
    await turn.repo.materials.update_draft(draft, grades=sorted(set(draft.grades or []) ^ {grade}))
    await _ask(turn, ShareForm.grades)


async def _grades_done(turn: Turn) -> None:
    await _next(turn, ShareForm.grades)


async def _tags(turn: Turn, text: str) -> None:
    tags = parse_tags(text)
    if not tags:
        raise InvalidState("share-tags-invalid")
    if await _breaks_code(turn, "tags", ", ".join(tags)):
        return
    await _save_and_next(turn, ShareForm.tags, tags=tags)


async def _skip(turn: Turn) -> None:
    current = await turn.state.get_state()
    if current not in (ShareForm.description.state, ShareForm.tags.state):
        raise InvalidState("error-stale-button")
    step = ShareForm.description if current == ShareForm.description.state else ShareForm.tags
    await _next(turn, step)


async def _back(turn: Turn) -> None:
    current = await turn.state.get_state()
    steps = _steps(await _active_memberships(turn.repo, turn.user))
    if current == ShareForm.community.state:
        steps = STEPS  # the one community's step, opened from the preview
    index = next((i for i, s in enumerate(steps) if s.state == current), None)
    if index is None:
        raise InvalidState("error-stale-button")
    if await _editing(turn):
        await _ask(turn, ShareForm.confirm)
        return
    await _ask(turn, steps[max(index - 1, 0)])


async def _edit_field(turn: Turn) -> None:
    """One tap from the preview to any field; its answer comes straight back."""
    step = FIELDS.get(turn.data.field) if turn.data.field else None
    draft = await turn.repo.materials.draft_of(turn.user)
    if step is None or draft is None:
        raise InvalidState("error-stale-button")
    await turn.remember(editing=True)
    await _ask(turn, step)


async def _clear(turn: Turn) -> None:
    field = CLEARABLE.get(await turn.state.get_state() or "")
    draft = await turn.repo.materials.draft_of(turn.user)
    if field is None or draft is None:
        raise InvalidState("error-stale-button")
    await turn.repo.materials.update_draft(draft, **{field: [] if field == "tags" else ""})
    await _ask(turn, ShareForm.confirm)


async def _submit(turn: Turn) -> None:
    repo, i18n, callback = turn.repo, turn.i18n, turn.callback
    assert callback is not None
    draft = await repo.materials.draft_of(turn.user)
    if draft is None:
        raise InvalidState("error-stale-button")
    check = await turn.extra["conduct"].check_material(repo, draft)
    if check.blocked:
        # The draft stays as it is, preview and all: the author fixes the text and resends.
        await turn.message.answer(i18n("material-blocked", clauses=clause_list(i18n, check.hits)))
        return
    source = ReviewSource.EDIT if draft.published_at else ReviewSource.PREMODERATION
    outcome, item = await repo.materials.submit(
        draft, check, trusted_after=turn.settings.materials.trusted_after, source=source
    )
    await turn.end()
    bot = turn.extra["bot"]
    if outcome is Submitted.PUBLISHED:
        await show(callback, i18n("share-published", title=draft.title))
        await announce_published(bot, repo, turn.i18n_hub, draft)
    else:
        await show(callback, i18n("share-queued", title=draft.title))
        # After the commit: a moderator who presses "approve" at once finds the item.
        turn.extra["after_commit"](announce_review_item, bot, repo, turn.i18n_hub, item)


# --- the declaration -----------------------------------------------------------------------

Form = ShareForm
DIALOG = Dialog(
    "share",
    ShareCallback,
    steps=[
        Step(Form.content, _question(Form.content, _ask_content), read=_content, files=True),
        Step(Form.title, _question(Form.title, _ask_title), read=_title),
        Step(Form.description, _question(Form.description, _ask_description), read=_description),
        Step(Form.community, _question(Form.community, _ask_community)),
        Step(Form.kind, _question(Form.kind, _ask_kind)),
        Step(Form.grades, _question(Form.grades, _ask_grades)),
        Step(Form.tags, _question(Form.tags, _ask_tags), read=_tags),
        Step(Form.confirm, _question(Form.confirm, _preview)),
    ],
    buttons={
        ShareAction.RESUME: Button(_resume),
        ShareAction.RESTART: Button(_restart),
        ShareAction.CANCEL: Button(_leave),
        ShareAction.DISCARD: Button(_discard),
        ShareAction.BACK: Button(_back),
        ShareAction.SKIP: Button(_skip),
        ShareAction.CLEAR: Button(_clear),
        ShareAction.USE_FILE_NAME: Button(_use_file_name, Form.title),
        ShareAction.COMMUNITY: Button(_community, Form.community),
        ShareAction.KIND: Button(_kind, Form.kind),
        ShareAction.GRADE: Button(_grade, Form.grades),
        ShareAction.DONE: Button(_grades_done, Form.grades),
        ShareAction.EDIT: Button(_edit_field, Form.confirm),
        ShareAction.SUBMIT: Button(_submit, Form.confirm),
    },
    use_buttons="use-buttons",
    expect_text="expect-text",
)
