"""The conduct code as data: rules read from a versioned TOML file and edited as TOML.

The file lives in the repo (``moderation/rules/conduct.toml``); admins change it from the
bot, which stores each edited text as a new version in the database. Edits go through
tomlkit so the file's comments and layout survive them.
"""

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import Table

from moderation import model as model_module


class Category(StrEnum):
    """What a rule guards against: seed 003 §7.2, §6, and the law on personal data."""

    POLITICS = "politics"
    RELIGION = "religion"
    VIOLENCE = "violence"
    RACISM = "racism"  # racism and open nationalism
    HATRED = "hatred"  # inciting ethnic or religious hatred
    INSULT = "insult"
    OBSCENE = "obscene"
    SPAM = "spam"  # spam and advertising
    LINKS = "links"  # links to unknown sites
    PUPIL_DATA = "pupil_data"  # personal data of pupils


class Action(StrEnum):
    """What happens to a text, mildest first."""

    ALLOW = "allow"
    FLAG = "flag"  # publish, and queue for a moderator's look
    HOLD = "hold"  # premoderate
    BLOCK = "block"  # refuse, showing the clause

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Action.ALLOW: 0, Action.FLAG: 1, Action.HOLD: 2, Action.BLOCK: 3}


class GroupAction(StrEnum):
    """What happens to a message in a linked group."""

    ALLOW = "allow"
    FLAG = "flag"  # leave it, queue it for moderators
    DELETE = "delete"  # delete it and warn the author


class RulesError(ValueError):
    """The conduct-code file is not valid; the message says where."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: Category
    clause: str  # the regulation's clause shown to the author, e.g. "7.2"
    severity: int  # 1 (mild) .. 5 (grave): sorts the queue, weighs on the sanctions ladder
    action: Action
    group_action: GroupAction
    dry_run: bool = False  # only log what the rule would have done
    # Terms: a word matches every inflected form of it (by stem); "word*" matches any
    # word beginning so.
    words: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()  # anywhere inside a word
    exceptions: tuple[str, ...] = ()  # words containing one of these are innocent of the roots
    phrases: tuple[str, ...] = ()  # terms in this order, at most `gap` words between them
    near: tuple["Near", ...] = ()  # a term of one list within a few words of the other
    innocent: tuple[str, ...] = ()  # phrases that clear any hit inside them: "убить время"
    patterns: tuple[str, ...] = ()  # regular expressions over the lower-cased text
    case_patterns: tuple[str, ...] = ()  # regular expressions over the text as written
    allowed_domains: tuple[str, ...] = ()  # links: any other domain is a hit
    gap: int = 2  # phrases: at most this many words between their words
    description: str = ""


@dataclass(frozen=True, slots=True)
class Near:
    """Two lists of terms whose meeting is the violation: (гнать | выселить) near (цыган)."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    within: int = 4


_DEFAULT_GROUP_ACTION = {
    Action.ALLOW: GroupAction.ALLOW,
    Action.FLAG: GroupAction.FLAG,
    Action.HOLD: GroupAction.DELETE,
    Action.BLOCK: GroupAction.DELETE,
}
_LIST_FIELDS = (
    "words",
    "roots",
    "exceptions",
    "phrases",
    "patterns",
    "case_patterns",
    "allowed_domains",
    "innocent",
)
EDITABLE_LISTS = ("words", "roots", "exceptions", "phrases", "innocent")


@dataclass(frozen=True, slots=True)
class ModelSettings:
    """The ``[model]`` table: the learned classifier beside the rules (moderation/model.py)."""

    enabled: bool = True
    dry_run: bool = False  # only log what the model would have held
    thresholds: dict[str, float] = field(default_factory=dict)  # category -> score to hold
    severity: int = 2


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: int
    rules: tuple[Rule, ...]
    source: str = field(repr=False, default="")  # the TOML text the rules came from
    model: ModelSettings | None = None  # None: no [model] table, the rules alone

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise RulesError(f"no rule {rule_id!r}")


def default_text() -> str:
    return resources.files("moderation").joinpath("rules/conduct.toml").read_text("utf-8")


def parse(text: str) -> RuleSet:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"TOML: {error}") from error
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise RulesError("version: a positive whole number is required")
    raw_rules = data.get("rule")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesError("no [[rule]] tables")
    rules = tuple(_rule(raw, index) for index, raw in enumerate(raw_rules, 1))
    ids = [rule.id for rule in rules]
    if len(set(ids)) != len(ids):
        raise RulesError("rule ids must be unique")
    return RuleSet(version, rules, text, _model(data.get("model")))


def load(path: Path | None = None) -> RuleSet:
    return parse(path.read_text("utf-8") if path else default_text())


def _rule(raw: dict[str, Any], index: int) -> Rule:
    where = f"rule {raw.get('id', index)}"
    try:
        action = Action(raw.get("action", "block"))
        group_action = GroupAction(raw.get("group_action", _DEFAULT_GROUP_ACTION[action].value))
        category = Category(raw["category"])
        lists = {name: tuple(str(item) for item in raw.get(name, ())) for name in _LIST_FIELDS}
        rule = Rule(
            id=str(raw["id"]),
            category=category,
            clause=str(raw["clause"]),
            severity=int(raw.get("severity", 2)),
            action=action,
            group_action=group_action,
            dry_run=bool(raw.get("dry_run", False)),
            gap=int(raw.get("gap", 2)),
            description=str(raw.get("description", "")),
            near=tuple(
                Near(
                    tuple(str(t) for t in item["a"]),
                    tuple(str(t) for t in item["b"]),
                    int(item.get("within", 4)),
                )
                for item in raw.get("near", ())
            ),
            **lists,
        )
    except KeyError as error:
        raise RulesError(f"{where}: {error.args[0]} is required") from error
    except (ValueError, TypeError) as error:
        raise RulesError(f"{where}: {error}") from error
    if not 1 <= rule.severity <= 5:
        raise RulesError(f"{where}: severity must be 1..5")
    for pattern in rule.patterns + rule.case_patterns:
        try:
            re.compile(pattern)
        except re.error as error:
            raise RulesError(f"{where}: pattern {pattern!r}: {error}") from error
    return rule


_MODEL_CATEGORIES = frozenset(model_module.CATEGORIES)


def _model(raw: Any) -> ModelSettings | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise RulesError("model: a table is required")
    thresholds = raw.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise RulesError("model.thresholds: a table of category = score is required")
    for category, value in thresholds.items():
        if category not in _MODEL_CATEGORIES:
            raise RulesError(f"model.thresholds: unknown category {category!r}")
        if not isinstance(value, int | float) or not 0 < value <= 1:
            raise RulesError(f"model.thresholds.{category}: a score in (0, 1] is required")
    settings = ModelSettings(
        enabled=bool(raw.get("enabled", True)),
        dry_run=bool(raw.get("dry_run", False)),
        thresholds={str(k): float(v) for k, v in thresholds.items()},
        severity=int(raw.get("severity", 2)),
    )
    if not 1 <= settings.severity <= 5:
        raise RulesError("model: severity must be 1..5")
    return settings


# --- edits an admin makes from the bot --------------------------------------------------


def _edit(text: str, rule_id: str, change: Callable[[Table], None]) -> str:
    document = tomlkit.parse(text)
    for table in document["rule"]:
        if table["id"] == rule_id:
            change(table)
            document["version"] = int(document["version"]) + 1
            edited = tomlkit.dumps(document)
            parse(edited)  # never store a file that would not load
            return edited
    raise RulesError(f"no rule {rule_id!r}")


def add_entry(text: str, rule_id: str, list_name: str, entry: str) -> str:
    """The rule set's text with ``entry`` added to a rule's list, and the version bumped."""
    if list_name not in EDITABLE_LISTS:
        raise RulesError(f"{list_name} is not an editable list")
    entry = " ".join(entry.split()).lower()
    if not entry:
        raise RulesError("empty entry")

    def change(table: Table) -> None:
        if list_name not in table:
            table[list_name] = tomlkit.array()
        if entry not in table[list_name]:
            table[list_name].append(entry)

    return _edit(text, rule_id, change)


def remove_entry(text: str, rule_id: str, list_name: str, entry: str) -> str:
    if list_name not in EDITABLE_LISTS:
        raise RulesError(f"{list_name} is not an editable list")

    def change(table: Table) -> None:
        items = table.get(list_name)
        if items is None or entry not in items:
            raise RulesError(f"{entry!r} is not in {rule_id}.{list_name}")
        items.remove(entry)

    return _edit(text, rule_id, change)


def set_action(text: str, rule_id: str, action: Action) -> str:
    def change(table: Table) -> None:
        table["action"] = action.value
        if "group_action" in table:
            del table["group_action"]

    return _edit(text, rule_id, change)


def set_dry_run(text: str, rule_id: str, dry_run: bool) -> str:
    def change(table: Table) -> None:
        table["dry_run"] = dry_run

    return _edit(text, rule_id, change)


def set_model(text: str, *, enabled: bool | None = None, dry_run: bool | None = None) -> str:
    """The rule set's text with the ``[model]`` table changed, and the version bumped.

    A text saved before the model existed has no table: it gets the shipped file's, so an
    admin switches the model on for rules they edited long ago without losing their edits.
    """
    document = tomlkit.parse(text)
    if "model" not in document:
        document["model"] = tomlkit.parse(default_text())["model"]
    table = document["model"]
    if enabled is not None:
        table["enabled"] = enabled
    if dry_run is not None:
        table["dry_run"] = dry_run
    document["version"] = int(document["version"]) + 1
    edited = tomlkit.dumps(document)
    parse(edited)  # never store a file that would not load
    return edited
