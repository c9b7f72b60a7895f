"""The Fluent files as the locale tests read them: each message and the variables it uses."""

import re

from fluent.syntax import FluentParser, FluentSerializer
from fluent.syntax.ast import Junk, Message

from bot.i18n import LOCALES_DIR

VARIABLE = re.compile(r"\{\s*\$(\w+)")


def messages(locale: str) -> dict[str, set[str]]:
    parser, serializer = FluentParser(), FluentSerializer()
    found: dict[str, set[str]] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        junk = [entry.content[:60] for entry in resource.body if isinstance(entry, Junk)]
        assert not junk, f"{path}: unparsable {junk}"
        for entry in resource.body:
            if isinstance(entry, Message):
                assert entry.id.name not in found, f"duplicate {entry.id.name} in {locale}"
                found[entry.id.name] = set(VARIABLE.findall(serializer.serialize_entry(entry)))
    return found
