"""Fluent texts. Russian is the source and the fallback; every variable is HTML-escaped."""

import logging
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiogram import html
from fluent.runtime import FluentLocalization, FluentResourceLoader
from fluent.syntax import FluentParser
from fluent.syntax.ast import Message as FluentMessage
from fluent.syntax.ast import Resource

import locales

if TYPE_CHECKING:
    from storage.errors import DomainError
    from storage.models import User

logger = logging.getLogger(__name__)

FALLBACK_LOCALE = "ru"
LOCALES_DIR = Path(locales.__file__).parent


class Html(str):
    """A value that is already safe HTML (rendered by us), inserted without escaping."""

    __slots__ = ()


class Translator:
    """Formats messages for one locale: ``i18n("community-card-title", title=...)``."""

    MEMO_SIZE = 8192

    def __init__(self, locale: str, localization: FluentLocalization, known_keys: set[str]):
        self.locale = locale
        self._localization = localization
        self._known_keys = known_keys
        # Labels, buttons and "5 кл." are asked for on every update; fluent formats each
        # anew, so texts whose arguments are plain numbers or short strings are kept.
        self._memo: dict[tuple[Any, ...], str] = {}

    def __call__(self, key: str, **kwargs: Any) -> str:
        memo_key = _memo_key(key, kwargs)
        if memo_key is not None and (known := self._memo.get(memo_key)) is not None:
            return known
        if key not in self._known_keys:
            logger.error("Missing text %r in locale %s", key, self.locale)
        text = self._localization.format_value(key, {k: _escape(v) for k, v in kwargs.items()})
        if memo_key is not None:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.clear()
            self._memo[memo_key] = text
        return text

    def has(self, key: str) -> bool:
        return key in self._known_keys


_MEMO_TEXT_MAX = 64


def _memo_key(key: str, kwargs: dict[str, Any]) -> tuple[Any, ...] | None:
    """A key for texts that always format the same; None for anything else (dates, floats,
    long texts, Html, whose str twin would be escaped)."""
    if not kwargs:
        return (key,)
    for value in kwargs.values():
        kind = type(value)
        if not (kind is int or (kind is str and len(value) <= _MEMO_TEXT_MAX)):
            return None
    return (key, *sorted(kwargs.items()))


# fluent formats numbers through decimal with 28 significant digits and raises beyond them;
# a number that long is no count anyone reads, so it is shown as its plain digits.
_NUMBER_MAX = 10**27


def _escape(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _NUMBER_MAX:
        return str(value)
    if isinstance(value, Html) or not isinstance(value, str):
        return value
    return html.quote(value)


class _ResourceLoader(FluentResourceLoader):
    """fluent.runtime's loader leaves its files open; this one closes them."""

    def resources(
        self, locale: str, resource_ids: list[str]
    ) -> Generator[list[Resource], None, None]:
        for root in self.roots:
            resources = []
            for resource_id in resource_ids:
                path = Path(self.localize_path(str(Path(root) / resource_id), locale))
                if path.is_file():
                    resources.append(FluentParser().parse(path.read_text(encoding="utf-8")))
            if resources:
                yield resources


class I18n:
    """All locales, loaded once at start-up; hands out a Translator per locale."""

    def __init__(self, locales_dir: Path = LOCALES_DIR, default_locale: str = FALLBACK_LOCALE):
        self.default_locale = default_locale
        self.locales = tuple(
            sorted(p.name for p in locales_dir.iterdir() if p.is_dir() and any(p.glob("*.ftl")))
        )
        resource_ids = sorted({f.name for f in locales_dir.glob("*/*.ftl")})
        loader = _ResourceLoader(str(locales_dir / "{locale}"))
        fallback_keys = _message_ids(locales_dir / FALLBACK_LOCALE)
        self._translators: dict[str, Translator] = {}
        for locale in self.locales:
            chain = [locale] if locale == FALLBACK_LOCALE else [locale, FALLBACK_LOCALE]
            localization = FluentLocalization(chain, resource_ids, loader, use_isolating=False)
            keys = _message_ids(locales_dir / locale) | fallback_keys
            self._translators[locale] = Translator(locale, localization, keys)
        self._texts: dict[str, frozenset[str]] = {}

    def translator(self, locale: str | None) -> Translator:
        return self._translators.get(locale or "", self._translators[self.default_locale])

    def for_user(self, user: "User") -> Translator:
        """Texts for someone other than the sender: in their own saved language."""
        return self.translator(self.pick_locale(user.locale))

    def pick_locale(self, *candidates: str | None) -> str:
        """The first supported candidate (a saved choice, Telegram's language_code), or default."""
        for candidate in candidates:
            if candidate:
                short = candidate.split("-")[0].lower()
                if short in self._translators:
                    return short
        return self.default_locale

    def all_translators(self) -> Iterable[Translator]:
        return self._translators.values()

    def texts(self, key: str) -> frozenset[str]:
        """A key's text in every locale, for matching reply-keyboard buttons: formatted once
        (the locales are loaded once), then looked up on every message that might be one."""
        texts = self._texts.get(key)
        if texts is None:
            texts = self._texts[key] = frozenset(t(key) for t in self.all_translators())
        return texts


def _message_ids(locale_dir: Path) -> set[str]:
    parser = FluentParser()
    ids: set[str] = set()
    for path in locale_dir.glob("*.ftl"):
        resource = parser.parse(path.read_text(encoding="utf-8"))
        ids.update(entry.id.name for entry in resource.body if isinstance(entry, FluentMessage))
    return ids


def error_text(i18n: Translator, error: "DomainError") -> str:
    """A domain error in the user's words; an AlreadyDecided names the outcome too."""
    from storage.errors import AlreadyDecided

    args = dict(error.args_for_text)
    if isinstance(error, AlreadyDecided):
        args["outcome"] = i18n(f"outcome-{args.get('outcome', 'unknown')}")
    return i18n(error.key, **args)
