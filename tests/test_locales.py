"""Both locales complete and consistent; every key the code uses exists; Russian plurals."""

import re
from pathlib import Path

from bot.callbacks import ProfileAction  # noqa: F401 - the module must import cleanly
from bot.i18n import I18n
from notices.review_cards import REASONS
from sandbox.formatting import ParseError, parse_html
from storage.enums import (
    CommunityRole,
    GlobalRole,
    JoinPolicy,
    MaterialKind,
    OrganisationKind,
    Position,
    ReviewSource,
    ReviewStatus,
    Subject,
)
from storage.repositories.materials import Decision
from storage.survey_templates import TEMPLATES, template
from tests.fluent_files import messages

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("bot", "handlers", "storage", "moderation", "scheduler")


def test_locales_have_the_same_keys_and_variables() -> None:
    ru, en = messages("ru"), messages("en")
    assert sorted(ru.keys() - en.keys()) == [], "missing in en"
    assert sorted(en.keys() - ru.keys()) == [], "missing in ru"
    mismatched = {key: (ru[key], en[key]) for key in ru if ru[key] != en[key]}
    assert mismatched == {}


def keys_used_in_code() -> set[str]:
    literal = re.compile(r"""\b(?:i18n|t|_translator\([^)]*\))\(\s*["']([a-z0-9-]+)["']""")
    quoted = re.compile(
        r"""["']((?:error|community|admin|apply|profile|group|material|share|review|search"""
        r"""|queue|mine|reason|survey|event|deadline|broadcast|delivery)-[a-z0-9-]+)["']"""
    )
    keys: set[str] = set()
    for directory in CODE_DIRS:
        for path in (ROOT / directory).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            keys |= set(literal.findall(source)) | set(quoted.findall(source))
    # Keys built from enum values in f-strings.
    keys |= {f"position-{p.value}" for p in Position}
    keys |= {f"subject-{s.value}" for s in Subject}
    keys |= {f"org-kind-{k.value}" for k in OrganisationKind}
    keys |= {f"role-{r.value}" for r in GlobalRole}
    keys |= {f"community-role-{r.value}" for r in CommunityRole}
    keys |= {f"community-you-{r.value}" for r in CommunityRole}
    keys |= {f"community-you-{r.value}-short" for r in CommunityRole}
    keys |= {f"community-policy-{p.value}" for p in JoinPolicy}
    keys |= {f"community-policy-{p.value}-button" for p in JoinPolicy}
    keys |= {f"kind-{k.value}" for k in MaterialKind} | {
        f"kind-{k.value}-short" for k in MaterialKind
    }
    keys |= {f"review-source-{s.value}" for s in ReviewSource}
    for key in TEMPLATES:  # the ready surveys' words: every key a template reads
        template(key, keys.add)
    keys |= {f"review-outcome-{s.value}" for s in ReviewStatus}
    keys |= {f"outcome-review-{s.value}" for s in ReviewStatus if s is not ReviewStatus.OPEN}
    keys |= {f"material-author-{d.value}" for d in Decision}
    keys |= {f"material-card-file-{t}" for t in ("document", "photo", "video")}
    keys |= {f"reason-{r}" for r in REASONS}
    return keys


def test_every_key_used_in_code_exists() -> None:
    ru = messages("ru")
    # Names that look like keys but are router names, job ids, outbox batch kinds and commands.
    names = {
        "delivery-outbox",
        "survey-key",
        "event-form",
        "event-message",
        "survey-answer",
        "survey-builder",
        "survey-results",
        "survey-schedule",
    }
    missing = sorted(key for key in keys_used_in_code() - names if key not in ru)
    assert missing == []


def test_russian_plural_forms() -> None:
    t = I18n().translator("ru")
    assert t("community-card-members", count=1) == "👥 1 участник"
    assert t("community-card-members", count=2) == "👥 2 участника"
    assert t("community-card-members", count=5) == "👥 5 участников"
    assert t("community-card-members", count=21) == "👥 21 участник"
    assert t("community-card-members", count=112) == "👥 112 участников"


def test_english_plural_forms_and_fallback() -> None:
    hub = I18n()
    en = hub.translator("en")
    assert en("community-card-members", count=1) == "👥 1 member"
    assert en("community-card-members", count=3) == "👥 3 members"
    assert hub.translator("de").locale == "ru"
    assert hub.pick_locale(None, "en-GB") == "en"
    assert hub.pick_locale(None, "uk") == "ru"


def test_variables_are_html_escaped() -> None:
    t = I18n().translator("ru")
    assert t("community-card-title", title="<script>") == "<b>&lt;script&gt;</b>"


def test_every_text_is_html_telegram_accepts() -> None:
    """Texts go out with parse_mode=HTML: a usage hint such as "/lift <номер>" would be an
    unknown tag, and Telegram answers 400 instead of showing the help."""
    refused = {}
    for locale in ("ru", "en"):
        translate = I18n().translator(locale)
        for key, variables in messages(locale).items():
            text = translate(key, **dict.fromkeys(variables, "1"))
            try:
                parse_html(text)
            except ParseError as error:
                refused[f"{locale}:{key}"] = str(error)
    assert refused == {}
