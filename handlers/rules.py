"""Admins and the conduct code: test a text (/check_text), view and edit the rules (/rules),
see per-rule hit counts (/rules_stats). Every edit is a new version in the database, and
every command and button re-checks that the sender is an admin."""

from datetime import timedelta

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from bot.callbacks import RulesAction, RulesCallback
from bot.conduct import ConductBook
from bot.i18n import Translator
from bot.keyboards import InlineKeyboardBuilder
from handlers.common import ChatIs, show
from moderation import rules as rules_text
from moderation.engine import ConductCode
from moderation.rules import Action, ModelSettings, Rule, RulesError
from notices.texts import percent
from storage import policy
from storage.errors import PermissionDenied
from storage.limits import RULE_ENTRY
from storage.models import User
from storage.numbers import parse_int
from storage.repositories import Repo

WORDS_SHOWN = 30


class RulesForm(StatesGroup):
    add_word = State()
    remove_word = State()


def setup() -> Router:
    router = Router(name="rules")
    router.message.filter(ChatIs(ChatType.PRIVATE))
    router.message.register(cmd_check_text, Command("check_text"))
    router.message.register(cmd_rules, Command("rules"))
    router.message.register(cmd_rules_stats, Command("rules_stats"))
    router.callback_query.register(cq_rules, RulesCallback.filter())
    router.message.register(on_word, RulesForm.add_word, F.text)
    router.message.register(on_word, RulesForm.remove_word, F.text)
    return router


def _require_admin(user: User) -> None:
    if not policy.is_admin(user):
        raise PermissionDenied()


async def _text_in_force(repo: Repo) -> str:
    latest = await repo.conduct.latest_version()
    return latest.text if latest else rules_text.default_text()


# --- /check_text ---------------------------------------------------------------------------


async def cmd_check_text(
    message: Message,
    command: CommandObject,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
) -> None:
    _require_admin(user)
    code = await conduct.code(repo)
    text = (command.args or "").strip()
    if not text:
        await message.answer(i18n("check-text-usage", version=code.version))
        return
    verdict = code.check(text)
    if not verdict.hits and not verdict.dry_run_hits:
        await message.answer(i18n("check-text-clean", version=code.version))
        return
    lines = [
        i18n(
            "check-text-verdict",
            version=code.version,
            action=i18n(f"conduct-action-{verdict.action.value}"),
        )
    ]
    for hit in verdict.hits:
        lines.append(
            i18n(
                "check-text-hit" if hit.score is None else "check-text-model-hit",
                rule=hit.rule,
                category=i18n(f"conduct-category-{hit.category.value}"),
                fragment=hit.fragment,
                clause=hit.clause,
                start=hit.start,
                score=percent(hit.score),
            )
        )
    for hit in verdict.dry_run_hits:
        lines.append(
            i18n(
                "check-text-dry-run",
                rule=hit.rule,
                category=i18n(f"conduct-category-{hit.category.value}"),
                fragment=hit.fragment,
            )
        )
    await message.answer("\n".join(lines))


# --- /rules ----------------------------------------------------------------------------------


def _list(i18n: Translator, code: ConductCode):
    lines = [i18n("rules-title", version=code.version)]
    builder = InlineKeyboardBuilder()
    for rule in code.rules:
        lines.append(_summary(i18n, rule))
        builder.button(
            text=rule.id, callback_data=RulesCallback(action=RulesAction.OPEN, rule=rule.id)
        )
    lines.append(i18n("rules-model-line", state=_model_state(i18n, code.rule_set.model)))
    builder.button(
        text=i18n("rules-model-button"), callback_data=RulesCallback(action=RulesAction.MODEL)
    )
    builder.adjust(3)
    return "\n".join(lines), builder.as_markup()


def _model_state(i18n: Translator, model: ModelSettings | None) -> str:
    if model is None:
        return i18n("rules-model-state-absent")
    if not model.enabled:
        return i18n("rules-model-state-off")
    return i18n("rules-model-state-dry" if model.dry_run else "rules-model-state-on")


def _model_card(i18n: Translator, code: ConductCode):
    model = code.rule_set.model
    thresholds = "\n".join(
        i18n("rules-model-threshold", category=i18n(f"conduct-category-{c}"), score=percent(v))
        for c, v in (model.thresholds.items() if model else ())
    )
    text = i18n("rules-model-card", state=_model_state(i18n, model), thresholds=thresholds or "—")
    builder = InlineKeyboardBuilder()
    if model is None:
        switch = "rules-model-attach"
    else:
        switch = "rules-model-off" if model.enabled else "rules-model-on"
    builder.button(text=i18n(switch), callback_data=RulesCallback(action=RulesAction.MODEL_SWITCH))
    if model is not None and model.enabled:
        builder.button(
            text=i18n("rules-dry-run-off" if model.dry_run else "rules-dry-run-on"),
            callback_data=RulesCallback(action=RulesAction.MODEL_DRY_RUN),
        )
    builder.button(text=i18n("button-back"), callback_data=RulesCallback(action=RulesAction.LIST))
    builder.adjust(1)
    return text, builder.as_markup()


async def _edit_model(
    repo: Repo, conduct: ConductBook, user: User, code: ConductCode, action: RulesAction
) -> ConductCode:
    model = code.rule_set.model
    text = await _text_in_force(repo)
    if action is RulesAction.MODEL_SWITCH:
        enabled = model is None or not model.enabled
        new_text = rules_text.set_model(text, enabled=enabled)
        return await _save(repo, conduct, user, new_text, f"model: {'on' if enabled else 'off'}")
    dry_run = not (model and model.dry_run)
    new_text = rules_text.set_model(text, dry_run=dry_run)
    note = f"model: dry-run {'on' if dry_run else 'off'}"
    return await _save(repo, conduct, user, new_text, note)


def _summary(i18n: Translator, rule: Rule) -> str:
    return i18n(
        "rules-line",
        rule=rule.id,
        category=i18n(f"conduct-category-{rule.category.value}"),
        action=i18n(f"conduct-action-{rule.action.value}"),
        dry=i18n("rules-dry-run-mark") if rule.dry_run else "",
        entries=len(rule.words) + len(rule.roots) + len(rule.phrases) + len(rule.near),
    )


def _card(i18n: Translator, rule: Rule):
    words = ", ".join(rule.words[:WORDS_SHOWN]) or "—"
    if len(rule.words) > WORDS_SHOWN:
        words += " …"
    text = "\n".join(
        [
            _summary(i18n, rule),
            i18n("rules-card-details", clause=rule.clause, severity=rule.severity),
            i18n("rules-card-words", words=words),
        ]
    )
    builder = InlineKeyboardBuilder()
    for action in Action:
        if action is not rule.action:
            builder.button(
                text=i18n("rules-set-action", action=i18n(f"conduct-action-{action.value}")),
                callback_data=RulesCallback(
                    action=RulesAction.SET_ACTION, rule=rule.id, rule_action=action
                ),
            )
    builder.button(
        text=i18n("rules-dry-run-off" if rule.dry_run else "rules-dry-run-on"),
        callback_data=RulesCallback(action=RulesAction.DRY_RUN, rule=rule.id),
    )
    builder.button(
        text=i18n("rules-add-word"),
        callback_data=RulesCallback(action=RulesAction.ADD_WORD, rule=rule.id),
    )
    builder.button(
        text=i18n("rules-remove-word"),
        callback_data=RulesCallback(action=RulesAction.REMOVE_WORD, rule=rule.id),
    )
    builder.button(text=i18n("button-back"), callback_data=RulesCallback(action=RulesAction.LIST))
    builder.adjust(1)
    return text, builder.as_markup()


async def cmd_rules(
    message: Message, user: User, repo: Repo, i18n: Translator, conduct: ConductBook
) -> None:
    _require_admin(user)
    text, markup = _list(i18n, await conduct.code(repo))
    await message.answer(text, reply_markup=markup)


async def _save(
    repo: Repo, conduct: ConductBook, user: User, new_text: str, note: str
) -> ConductCode:
    await repo.conduct.save_version(new_text, rules_text.parse(new_text).version, user, note)
    conduct.invalidate()  # reloaded at once, from this update's own session
    return await conduct.code(repo)


async def cq_rules(
    callback: CallbackQuery,
    callback_data: RulesCallback,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
    state: FSMContext,
    callback_answer,
) -> None:
    _require_admin(user)
    code = await conduct.code(repo)
    action = callback_data.action
    if action is RulesAction.LIST:
        text, markup = _list(i18n, code)
        await show(callback, text, markup)
        return
    if action in (RulesAction.MODEL, RulesAction.MODEL_SWITCH, RulesAction.MODEL_DRY_RUN):
        if action is not RulesAction.MODEL:
            try:
                code = await _edit_model(repo, conduct, user, code, action)
            except RulesError as error:
                callback_answer.text = i18n("rules-edit-refused", error=str(error))
                callback_answer.show_alert = True
                return
        text, markup = _model_card(i18n, code)
        await show(callback, text, markup)
        return
    try:
        rule = code.rule_set.rule(callback_data.rule)
        if action is RulesAction.OPEN:
            pass
        elif action is RulesAction.SET_ACTION and (chosen := callback_data.rule_action):
            new_text = rules_text.set_action(await _text_in_force(repo), rule.id, chosen)
            code = await _save(repo, conduct, user, new_text, f"{rule.id}: {chosen.value}")
        elif action is RulesAction.DRY_RUN:
            new_text = rules_text.set_dry_run(await _text_in_force(repo), rule.id, not rule.dry_run)
            note = f"{rule.id}: dry-run {'on' if not rule.dry_run else 'off'}"
            code = await _save(repo, conduct, user, new_text, note)
        elif action in (RulesAction.ADD_WORD, RulesAction.REMOVE_WORD):
            form = RulesForm.add_word if action is RulesAction.ADD_WORD else RulesForm.remove_word
            await state.set_state(form)
            await state.set_data({"rule": rule.id})
            if isinstance(callback.message, Message):
                await callback.message.answer(i18n(f"rules-ask-{action.value}", rule=rule.id))
            return
    except (RulesError, ValueError) as error:
        callback_answer.text = i18n("rules-edit-refused", error=str(error))
        callback_answer.show_alert = True
        return
    text, markup = _card(i18n, code.rule_set.rule(rule.id))
    await show(callback, text, markup)


async def on_word(
    message: Message,
    state: FSMContext,
    user: User,
    repo: Repo,
    i18n: Translator,
    conduct: ConductBook,
) -> None:
    _require_admin(user)
    entry = RULE_ENTRY.cleaned(message.text)
    if entry is None:
        await message.answer(i18n("rules-word-length", max=RULE_ENTRY.high))
        return
    entry = entry.lower()
    rule_id = (await state.get_data())["rule"]
    adding = await state.get_state() == RulesForm.add_word.state
    change = rules_text.add_entry if adding else rules_text.remove_entry
    try:
        new_text = change(await _text_in_force(repo), rule_id, "words", entry)
    except RulesError as error:
        await message.answer(i18n("rules-edit-refused", error=str(error)))
        return
    await state.clear()
    code = await _save(repo, conduct, user, new_text, f"{rule_id}: {'+' if adding else '-'}{entry}")
    text, markup = _card(i18n, code.rule_set.rule(rule_id))
    await message.answer(
        i18n("rules-saved", version=code.version) + "\n\n" + text, reply_markup=markup
    )


# --- /rules_stats ----------------------------------------------------------------------------


async def cmd_rules_stats(
    message: Message, command: CommandObject, user: User, repo: Repo, i18n: Translator
) -> None:
    _require_admin(user)
    raw = (command.args or "7").strip()
    days = parse_int(raw, low=1, high=365)
    if days is None:
        await message.answer(i18n("rules-stats-usage"))
        return
    counts = await repo.conduct.hit_counts(repo.clock() - timedelta(days=days))
    if not counts:
        await message.answer(i18n("rules-stats-empty", days=days))
        return
    lines = [i18n("rules-stats-title", days=days)]
    for count in counts:
        key = "rules-stats-dry-line" if count.dry_run else "rules-stats-line"
        lines.append(i18n(key, rule=count.rule, hits=count.hits))
    await message.answer("\n".join(lines))
