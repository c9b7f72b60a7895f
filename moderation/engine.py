"""The rule engine: a text in, a verdict with every hit out.

The rules are compiled once into lookup tables keyed by normalised stems, prefixes and
roots, so checking a text costs one pass over its words plus a handful of regular
expressions, however many lexicon entries there are.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from moderation import model as model_module
from moderation import rules as rules_module
from moderation.normalize import MaskedWords, Normalized, Token, collapse, normalize, stem
from moderation.rules import Action, Category, GroupAction, Rule, RuleSet

# Links: a scheme, or a bare domain with a known top-level domain; dots may be written
# as " . ", "[.]", "(.)" or "(dot)" and the scheme as hxxp to dodge link filters.
_DOT = r"(?:\s?\.\s?|\s?[\[(](?:\.|dot|точка)[\])]\s?|\s(?:dot|точка)\s)"
_TLD = (
    r"(?:ru|рф|su|com|net|org|info|biz|io|me|co|cc|ly|gl|gg|to|tv|ws|pw|tk|ml|ga|cf|xyz|top"
    r"|club|online|site|shop|store|link|click|app|dev|pro|vip|live|fun|space|website|tech|bet"
    r"|casino|win|icu|art|ink|page|ua|by|kz|uz|de|uk|us|in|su|moscow)"
)
_LABEL = r"[a-z0-9а-я][a-z0-9а-я\-]*+"
_SCHEME = r"(?:https?|hxxps?|h\s?t\s?t\s?p\s?s?)\s?:\s?/\s?/\s?"
_URL = re.compile(
    # with a scheme any top-level domain counts; a bare domain needs a known one
    rf"(?<![a-z0-9а-я\-])(?:{_SCHEME}((?:{_LABEL}{_DOT})+[a-zа-я]{{2,24}})"
    rf"|((?:{_LABEL}{_DOT})+{_TLD}))(?![a-zа-я0-9])(?:\s?/[^\s]*)?"
)
_DOT_SPELLINGS = re.compile(r"\s|\[|\]|\(|\)|dot|точка")
# Characters typed one at a time with spaces between: t i n y u r l . c o m
_SPACED_OUT = re.compile(r"(?<!\S)\S(?:\s\S(?!\S)){3,}")

# The lexicon keys of each word of a text, in order; and the callback that records a hit.
Keys = Sequence[frozenset[str]]
OnHit = Callable[[Rule, int, int], None]


@dataclass(frozen=True, slots=True)
class Hit:
    rule: str
    category: Category
    clause: str
    severity: int
    action: Action
    fragment: str  # as written in the text
    start: int  # position in the text
    end: int
    dry_run: bool = False
    score: float | None = None  # the model's score; None for a rule's hit

    @property
    def reason(self) -> str:
        """Why, in a line for the log and the queue."""
        if self.score is None:
            return f"{self.rule} ({self.clause}): {self.fragment}"
        return f"held for review: the model thinks this is {self.category.value} ({self.score:.2f})"

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category.value,
            "clause": self.clause,
            "severity": self.severity,
            "action": self.action.value,
            "fragment": self.fragment,
            "start": self.start,
            "end": self.end,
            "dry_run": self.dry_run,
        }
        if self.score is not None:  # rules' hits keep the keys stored before the model
            found["score"] = self.score
        return found


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    group_action: GroupAction
    hits: tuple[Hit, ...]  # the hits that decide, in text order
    dry_run_hits: tuple[Hit, ...] = ()  # what rules in dry-run mode would have done
    version: int = 0

    @property
    def blocked(self) -> bool:
        return self.action is Action.BLOCK

    @property
    def needs_review(self) -> bool:
        return self.action in (Action.FLAG, Action.HOLD)

    @property
    def held(self) -> bool:
        return self.action is Action.HOLD

    @property
    def clauses(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(hit.clause for hit in self.hits))

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(dict.fromkeys(hit.category for hit in self.hits))

    def as_dicts(self) -> list[dict[str, Any]]:
        """The hits as stored with a queue item, so moderators see why."""
        return [hit.as_dict() for hit in self.hits]

    @property
    def severity(self) -> int:
        return max((hit.severity for hit in self.hits), default=0)


CLEAN = Verdict(Action.ALLOW, GroupAction.ALLOW, ())
CACHE_LIMIT = 200_000  # distinct spellings remembered; a chat's vocabulary fits many times


class _Word(NamedTuple):
    keys: frozenset[str]  # stems, spellings and prefixes the lexicon may ask about
    rules: tuple[Rule, ...]  # rules the word breaks on its own
    starts: bool  # whether a phrase, a near-pair or an innocent phrase may begin here


def _key(word: str) -> str:
    """A lexicon entry as the text's words are read: lower case, ё→е, repeats collapsed."""
    return collapse(word.strip().lower().replace("ё", "е"))


def _term(word: str) -> str:
    """A term's lookup key: the stem of a word, "prefix*" for a prefix, "=form" for one form."""
    word = _key(word)
    return word if word.endswith("*") or word.startswith("=") else stem(word)


class ConductCode:
    """The compiled rule set. Build with ``ConductCode.load()`` or ``from_text``."""

    def __init__(self, rule_set: RuleSet, model_path: Path | None = None):
        self.rule_set = rule_set
        self.model_settings = rule_set.model
        self._model_path = model_path  # None: the weights shipped with the package
        self._model_clauses: dict[str, str] = {}
        # A category whose every rule is in dry run is on trial: the model only logs there too.
        self._model_on_trial: dict[str, bool] = {}
        for rule in rule_set.rules:
            category = "hatred" if rule.category is Category.RACISM else rule.category.value
            self._model_clauses.setdefault(category, rule.clause)
            trial = self._model_on_trial.get(category, True)
            self._model_on_trial[category] = trial and rule.dry_run
        self.version = rule_set.version
        self.rules = rule_set.rules
        self._by_id = {rule.id: rule for rule in rule_set.rules}
        self._words: dict[str, list[Rule]] = defaultdict(list)
        self._roots: dict[str, list[Rule]] = defaultdict(list)
        self._exceptions: dict[str, tuple[str, ...]] = {}
        self._phrases: dict[str, list[tuple[Rule, tuple[str, ...]]]] = defaultdict(list)
        self._near: dict[str, list[tuple[Rule, frozenset[str], int]]] = defaultdict(list)
        self._innocent: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
        self._patterns: list[tuple[Rule, re.Pattern[str], bool]] = []
        self._link_rules: list[Rule] = []
        prefixes: set[str] = set()
        for rule in rule_set.rules:
            prefixes.update(self._compile(rule))
        roots = sorted(self._roots, key=len, reverse=True)
        self._root_re = re.compile("|".join(map(re.escape, roots))) if roots else None
        self._prefixes = frozenset(prefixes)
        self._prefix_lengths = tuple(sorted({len(p) for p in prefixes}))
        # For each first word: the words that may follow it (None: a one-word phrase).
        self._phrase_seconds = {
            first: (
                None
                if any(len(phrase) == 1 for _, phrase in entries)
                else frozenset(phrase[1] for _, phrase in entries),
                max(rule.gap for rule, _ in entries) + 1,
            )
            for first, entries in self._phrases.items()
        }
        self._word_cache: dict[tuple[str, ...], _Word] = {}
        self._masked = MaskedWords(_vocabulary(rule_set))

    @classmethod
    def load(cls, path: Path | None = None, model_path: Path | None = None) -> "ConductCode":
        return cls(rules_module.load(path), model_path)

    @classmethod
    def from_text(cls, text: str, model_path: Path | None = None) -> "ConductCode":
        return cls(rules_module.parse(text), model_path)

    def _compile(self, rule: Rule) -> set[str]:
        terms: list[str] = []
        for word in rule.words:
            terms.append(_term(word))
            self._words[terms[-1]].append(rule)
        for root in rule.roots:
            self._roots[_key(root)].append(rule)
        self._exceptions[rule.id] = tuple(_key(word) for word in rule.exceptions)
        for phrase in rule.phrases:
            keys = tuple(_term(word) for word in phrase.split())
            if keys:
                self._phrases[keys[0]].append((rule, keys))
                terms.extend(keys)
        for near in rule.near:
            a = frozenset(_term(word) for word in near.a)
            b = frozenset(_term(word) for word in near.b)
            for key in a:
                self._near[key].append((rule, b, near.within))
            terms.extend(a | b)
        for phrase in rule.innocent:
            keys = tuple(_term(word) for word in phrase.split())
            if keys:
                self._innocent[keys[0]].append((rule.id, keys))
                terms.extend(keys)
        for pattern in rule.patterns:
            self._patterns.append((rule, re.compile(pattern), False))
        for pattern in rule.case_patterns:
            self._patterns.append((rule, re.compile(pattern), True))
        if rule.allowed_domains:
            self._link_rules.append(rule)
        return {term[:-1] for term in terms if term.endswith("*")}

    # --- checking ---------------------------------------------------------------------

    def check(self, text: str) -> Verdict:
        if not text or text.isspace():
            return Verdict(Action.ALLOW, GroupAction.ALLOW, (), version=self.version)
        normalized = normalize(text)
        found: dict[tuple[str, int, int], Hit] = {}
        analysed = {token: self._word(token.forms) for token in normalized.tokens}
        for token in normalized.joined:
            analysed[token] = self._word(token.forms)
        reading = normalized.reading()
        words = tuple(word for word, _ in reading)
        token_keys = [
            analysed[word].keys.union(*(analysed[piece].keys for piece in pieces))
            if pieces
            else analysed[word].keys
            for word, pieces in reading
        ]
        starters = [
            index
            for index, (word, pieces) in enumerate(reading)
            if analysed[word].starts or any(analysed[piece].starts for piece in pieces)
        ]
        cleared = self._innocent_spans(words, token_keys, starters)

        def hit(rule: Rule, start: int, end: int) -> None:
            key = (rule.id, start, end)
            spans = cleared.get(rule.id)
            if spans and any(start < right and left < end for left, right in spans):
                return
            if key not in found:
                found[key] = Hit(
                    rule.id,
                    rule.category,
                    rule.clause,
                    rule.severity,
                    rule.action,
                    text[start:end],
                    start,
                    end,
                    rule.dry_run,
                )

        for token, word in analysed.items():
            for rule in word.rules:
                hit(rule, token.start, token.end)
        self._match_phrases(words, token_keys, starters, hit)
        self._match_near(words, token_keys, starters, hit)
        self._match_patterns(normalized, reading, text, hit)
        self._match_links(normalized, hit)
        blocked = any(h.action is Action.BLOCK and not h.dry_run for h in found.values())
        if not blocked:  # a text the rules block keeps the rules' verdict
            for model_hit in self._model_hits(text, reading):
                found[(model_hit.rule, model_hit.start, model_hit.end)] = model_hit
        return self._verdict(found.values())

    def _model_hits(self, text: str, reading: model_module.Reading) -> list[Hit]:
        """The classifier's categories over their thresholds, each a hold for review."""
        settings = self.model_settings
        if settings is None or not settings.enabled:
            return []
        model = model_module.load(self._model_path)
        if model is None:
            return []
        hits = []
        for score in model.scores(text, reading):
            # a category missing from [model.thresholds] is left to the rules
            threshold = settings.thresholds.get(score.category)
            clause = self._model_clauses.get(score.category)
            if threshold is None or score.score < threshold or clause is None:
                continue
            hits.append(
                Hit(
                    f"model:{score.category}",
                    Category(score.category),
                    clause,
                    settings.severity,
                    Action.HOLD,  # never a block on the model's word alone
                    text[score.start : score.end],
                    score.start,
                    score.end,
                    settings.dry_run or self._model_on_trial[score.category],
                    round(score.score, 2),
                )
            )
        return hits

    def _word(self, forms: tuple[str, ...]) -> "_Word":
        """What the lexicon makes of one word, however it is spelled; cached per spelling."""
        word = self._word_cache.get(forms)
        if word is not None:
            return word
        cache_key, forms = forms, self._masked.unmask(forms)
        keys = frozenset().union(*(self._keys(form) for form in forms))
        rules: dict[str, Rule] = {}
        for key in keys:
            for rule in self._words.get(key, ()):
                rules[rule.id] = rule
        if self._root_re is not None:
            for form in forms:
                for match in self._root_re.finditer(form):
                    for rule in self._roots[match.group()]:
                        if not any(part in form for part in self._exceptions[rule.id]):
                            rules[rule.id] = rule
        starts = any(k in self._phrases or k in self._near or k in self._innocent for k in keys)
        word = _Word(keys, tuple(rules.values()), starts)
        if len(self._word_cache) < CACHE_LIMIT:
            self._word_cache[cache_key] = word
        return word

    def _keys(self, form: str) -> frozenset[str]:
        """The stem of a spelling, the spelling itself, and every lexicon prefix it begins with."""
        found = [stem(form), "=" + form]
        for length in self._prefix_lengths:
            if length > len(form):
                break
            if form[:length] in self._prefixes:
                found.append(form[:length] + "*")
        return frozenset(found)

    def _innocent_spans(
        self, tokens: tuple[Token, ...], token_keys: Keys, starters: Sequence[int]
    ) -> dict[str, list[tuple[int, int]]]:
        cleared: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if not self._innocent:
            return cleared
        for index in starters:
            for key in token_keys[index]:
                for rule_id, phrase in self._innocent.get(key, ()):
                    end = _phrase_end(token_keys, index, phrase, 0)
                    if end is not None:
                        cleared[rule_id].append((tokens[index].start, tokens[end].end))
        return cleared

    def _match_phrases(
        self, tokens: tuple[Token, ...], token_keys: Keys, starters: Sequence[int], hit: OnHit
    ) -> None:
        last = len(token_keys)
        for index in starters:
            for key in token_keys[index]:
                candidates = self._phrases.get(key)
                if not candidates:
                    continue
                # Most phrases die at their second word: look for any of them first.
                seconds, reach = self._phrase_seconds[key]
                ahead = token_keys[index + 1 : min(last, index + reach + 1)]
                if seconds is not None and all(seconds.isdisjoint(keys) for keys in ahead):
                    continue
                for rule, phrase in candidates:
                    end = _phrase_end(token_keys, index, phrase, rule.gap)
                    if end is not None:
                        hit(rule, tokens[index].start, tokens[end].end)

    def _match_near(
        self, tokens: tuple[Token, ...], token_keys: Keys, starters: Sequence[int], hit: OnHit
    ) -> None:
        for index in starters:
            for key in token_keys[index]:
                for rule, b, within in self._near.get(key, ()):
                    low, high = max(0, index - within), min(len(tokens), index + within + 1)
                    for other in range(low, high):
                        if other != index and not token_keys[other].isdisjoint(b):
                            first, last = sorted((index, other))
                            hit(rule, tokens[first].start, tokens[last].end)
                            break

    def _match_patterns(
        self,
        normalized: Normalized,
        reading: Sequence[tuple[Token, tuple[Token, ...]]],
        text: str,
        hit: OnHit,
    ) -> None:
        readable: tuple[str, list[int]] | None = None
        for rule, pattern, on_original in self._patterns:
            if on_original:
                for match in pattern.finditer(text):
                    hit(rule, match.start(), match.end())
                # and through disguises: С0к0л0ва from 2 «Б» is Соколова from 2 «Б»
                readable = readable or normalized.readable(reading)
                spelled, offsets = readable
                if spelled != text:
                    for match in pattern.finditer(spelled):
                        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
                        hit(rule, start, end)
            else:
                for match in pattern.finditer(normalized.plain):
                    hit(rule, *normalized.span(match.start(), match.end()))

    def _match_links(self, normalized: Normalized, hit: OnHit) -> None:
        if not self._link_rules:
            return
        for start, end, domain in _links(normalized.plain):
            for rule in self._link_rules:
                if not _allowed(domain, rule.allowed_domains):
                    hit(rule, *normalized.span(start, end))

    def _verdict(self, found: Iterable[Hit]) -> Verdict:
        hits = _outermost(sorted(found, key=lambda h: (h.start, -h.end)))
        active = tuple(h for h in hits if not h.dry_run)
        dry = tuple(h for h in hits if h.dry_run)
        if not active:
            return Verdict(Action.ALLOW, GroupAction.ALLOW, (), dry, self.version)
        action = max((h.action for h in active), key=lambda a: a.rank)
        # the model's hits leave a group message up and queue it for a moderator
        group_actions = {
            self._by_id[h.rule].group_action if h.rule in self._by_id else GroupAction.FLAG
            for h in active
        }
        group_action = next(
            (a for a in (GroupAction.DELETE, GroupAction.FLAG) if a in group_actions),
            GroupAction.ALLOW,
        )
        return Verdict(action, group_action, active, dry, self.version)


def _vocabulary(rule_set: RuleSet) -> set[str]:
    """The lexicon's words as written, for fitting masked words (д*б*л) to them."""
    words: set[str] = set()
    for rule in rule_set.rules:
        terms = [*rule.words, *rule.roots, *(w for p in rule.phrases for w in p.split())]
        terms.extend(word for near in rule.near for word in (*near.a, *near.b))
        words.update(_key(term).strip("=*") for term in terms)
    return words


def _outermost(hits: list[Hit]) -> list[Hit]:
    """One hit per rule and place: a hit inside a longer hit of the same rule goes."""
    kept: list[Hit] = []
    for candidate in hits:
        if not any(
            other.rule == candidate.rule
            and other.start <= candidate.start
            and candidate.end <= other.end
            for other in kept
        ):
            kept.append(candidate)
    return kept


def _phrase_end(token_keys: Keys, index: int, phrase: tuple[str, ...], gap: int) -> int | None:
    position = index
    for wanted in phrase[1:]:
        for candidate in range(position + 1, min(position + gap + 2, len(token_keys))):
            if wanted in token_keys[candidate]:
                position = candidate
                break
        else:
            return None
    return position


def _links(plain: str) -> list[tuple[int, int, str]]:
    """Every link's span in ``plain`` and its domain, spaced-out ones included."""
    found: list[tuple[int, int, str]] = []
    for match in _URL.finditer(plain):
        domain = match.group(1) or match.group(2)
        found.append((match.start(), match.end(), _domain(domain)))
    for spaced in _SPACED_OUT.finditer(plain):
        squeezed = spaced.group().replace(" ", "")
        for match in _URL.finditer(squeezed):
            domain = match.group(1) or match.group(2)
            found.append((spaced.start(), spaced.end(), _domain(domain)))
    return found


def _domain(written: str) -> str:
    return re.sub(r"\.+", ".", _DOT_SPELLINGS.sub(".", written).replace(" ", ""))


def _allowed(domain: str, allowed: tuple[str, ...]) -> bool:
    return any(domain == good or domain.endswith("." + good) for good in allowed)
