"""Russian texts never put a person's name where Russian would decline it: names come from
the profile in the nominative ("Мария Иванова"), so "от Мария Иванова" or "У Ольга Смирнова
нет…" is broken Russian. Texts are phrased so no case is needed ("Автор: Мария Иванова",
"Ольга Смирнова: нет …")."""

import re

from fluent.syntax import FluentParser, FluentSerializer
from fluent.syntax.ast import Message

from bot.i18n import LOCALES_DIR

# Variables the code fills with a person's name (handlers.common.person and the like).
NAME_VARIABLES = (
    "name",
    "names",
    "author",
    "by",
    "decided_by",
    "applicant",
    "reporter",
    "member",
    "moderator",
    "expert",
    "actor",
    "user",
)
# Prepositions that need a case other than the nominative.
PREPOSITIONS = (
    "без|в|во|вместо|для|до|за|из|к|ко|кроме|между|на|над|о|об|обо|около|от|перед|по|"
    "под|после|при|про|против|ради|с|со|среди|у|через"
)
NAME_AFTER_PREPOSITION = re.compile(
    rf"(?<![\w-])({PREPOSITIONS})\s+\{{\s*\$({'|'.join(NAME_VARIABLES)})\s*\}}",
    re.IGNORECASE,
)
# "Кого назначить: эксперт …": the question asks for the accusative, the role is nominative.
QUESTION_THEN_NOMINATIVE = re.compile(
    r"(?<![\w-])(кого|кому|кем)(?![\w-])[^.?!]*\{\s*\$role\s*\}", re.IGNORECASE
)


def russian_texts() -> dict[str, str]:
    parser, serializer = FluentParser(), FluentSerializer()
    texts: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / "ru").glob("*.ftl")):
        for entry in parser.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(entry, Message):
                texts[f"{path.name}:{entry.id.name}"] = serializer.serialize_entry(entry)
    return texts


def test_the_checks_catch_what_they_are_for() -> None:
    assert NAME_AFTER_PREPOSITION.search("Запрос от { $name }")
    assert NAME_AFTER_PREPOSITION.search("У { $name } нет предупреждений.")
    assert NAME_AFTER_PREPOSITION.search("Ограничения для {$name} сняты")
    assert not NAME_AFTER_PREPOSITION.search("Автор: { $name }")
    assert not NAME_AFTER_PREPOSITION.search("до { $until }")
    assert not NAME_AFTER_PREPOSITION.search("от { $min } до { $max } символов")
    assert QUESTION_THEN_NOMINATIVE.search("Кого назначить: { $role } сообщества?")


def test_no_name_is_placed_where_russian_would_decline_it() -> None:
    broken = [
        f"{key}: {match.group(0)}"
        for key, text in russian_texts().items()
        for pattern in (NAME_AFTER_PREPOSITION, QUESTION_THEN_NOMINATIVE)
        if (match := pattern.search(text))
    ]
    assert broken == []
