"""Text normalisation that undoes the usual tricks for slipping words past a filter.

``normalize(text)`` returns the text in two views, both mapped back to the original:

- ``plain``: NFKC, invisible characters and combining marks removed, lower case, ё→е.
  Patterns that care about digits and punctuation (phone numbers, links) run on it.
- ``tokens``: the words, each with every spelling worth matching: Latin and Greek
  look-alike letters mixed into a Cyrillic word turned Cyrillic, digits and symbols
  standing for letters turned into letters (д3бил, @д), repeated letters collapsed
  (идиооот), and letters split by spaces, dots or dashes joined back (и.д.и.о.т).
  The lexicon goes through the same function, so both sides always agree.
"""

import itertools
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import Stemmer

# Characters that render as nothing (or as a space-less join) and only serve to split
# a word for a filter; Unicode category Cf covers zero-width spaces and joiners, soft
# hyphens, bidi marks and tag characters.
_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")

# Latin and Greek letters that look like Cyrillic ones, as a troll types them.
_LOOKALIKE = str.maketrans(
    {
        "a": "а", "b": "в", "c": "с", "e": "е", "h": "н", "i": "и", "k": "к", "m": "м",
        "o": "о", "p": "р", "t": "т", "u": "и", "x": "х", "y": "у", "r": "г", "n": "п",
        "α": "а", "β": "в", "ε": "е", "η": "н", "ι": "и", "κ": "к", "μ": "м", "ν": "v",
        "ο": "о", "ρ": "р", "τ": "т", "υ": "у", "χ": "х", "і": "и", "ї": "и", "є": "е",
        "δ": "д", "λ": "л", "π": "п", "γ": "у", "ς": "с", "ω": "ш", "φ": "ф", "σ": "о",
    }
)  # fmt: skip
# Letters from other blocks drawn like the Latin or Cyrillic letters the tables above know
# (Latin alpha, small capitals, Komi de, Armenian oh), put in their place before words
# are read; one character for one, so positions stay put.
_HOMOGLYPHS = {
    "ɑ": "a", "ı": "i", "ɡ": "g", "ʏ": "y", "ʙ": "в", "ʜ": "н", "ᴀ": "а", "ᴄ": "с",
    "ᴇ": "е", "ᴋ": "к", "ᴍ": "м", "ᴏ": "о", "ᴘ": "р", "ᴛ": "т", "ᴦ": "г", "ᴨ": "п",
    "ԁ": "d", "ѕ": "s", "ј": "j", "һ": "h", "օ": "o", "ս": "u", "ϲ": "с",
}  # fmt: skip
# Latin letters with no Cyrillic look-alike, read as transliteration (blyad, pizda).
_TRANSLIT_PAIRS = (
    ("sch", "щ"), ("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("zh", "ж"), ("kh", "х"),
    ("ts", "ц"), ("ya", "я"), ("yu", "ю"), ("yo", "е"), ("ye", "е"),
)  # fmt: skip
_TRANSLIT = str.maketrans(
    {
        "a": "а", "b": "б", "c": "ц", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х",
        "i": "и", "j": "й", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п",
        "q": "к", "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "х",
        "y": "ы", "z": "з",
    }
)  # fmt: skip
# Digits and symbols standing for letters inside a word.
_LEET = str.maketrans(
    {"0": "о", "3": "з", "4": "ч", "6": "б", "@": "а", "$": "с", "1": "и", "9": "я", "€": "е"}
)
_LEET_ALT = str.maketrans({"3": "е", "0": "о", "@": "а", "$": "с", "1": "и", "€": "е"})
_LEET_LATIN = str.maketrans({"0": "o", "@": "a", "$": "s", "1": "i", "3": "z", "4": "ch"})
_VISUAL_LATIN = frozenset("abcehikmoptuxyrn")

_TOKEN = re.compile(r"[0-9a-zа-яα-ωіїє@$€]+")  # keep in step with _PIECE
_CYRILLIC = re.compile(r"[а-я]")
_CYRILLIC_LETTER = re.compile(r"[А-Яа-яЁё]")
_PLAIN_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")  # nothing to spell out
_LATIN = re.compile(r"[a-z]")
_REPEATS = re.compile(r"(.)\1+")
# A word split to dodge a filter: pieces glued by dots, dashes or stars (д.е.б.и.л,
# пиз-да), or single letters spaced apart (и д и о т).
_PIECE = r"[0-9a-zа-яα-ωіїє@$€]"
_GLUED = re.compile(rf"(?<!{_PIECE}){_PIECE}++(?:[.\-_*·'|+~]{{1,3}}{_PIECE}++)+")
# Single letters apart, by any run of spaces, dots, dashes or underscores with a space in
# it (д  у - р . а); runs without a space are _GLUED's.
_SPACED = re.compile(
    rf"(?<!{_PIECE}){_PIECE}(?:[.\-_]{{0,2}}\s[\s.\-_]{{0,4}}{_PIECE}(?!{_PIECE})){{2,}}"
)
# A word with characters standing in for some of its letters (д*б*л, ид#от, д@бил): letters
# and masks, a mask only between letters (so *важно*, см.*, 5* are no such words).
MASKS = "*#@%_&$"
MASK = "*"  # how a masked letter is written in a token's masked form
_LETTER = "[0-9a-zа-яα-ωіїє]"
_MASKED = re.compile(
    rf"(?<![0-9a-zа-яα-ωіїє{re.escape(MASKS)}]){_LETTER}++"
    rf"(?:[{re.escape(MASKS)}]++{_LETTER}++)+"
)
_MASK_RUN = re.compile(rf"[{re.escape(MASKS)}]")
_MASK_THEN_LETTER = re.compile(rf"[{re.escape(MASKS)}]{_LETTER}")
MIN_MASKED_LETTERS = 3  # letters shown in a masked word; fewer fit too many words
_NEXT_PIECE = re.compile(_PIECE)
_NOT_TOKEN = re.compile(r"[^0-9a-zа-яα-ωіїє@$€]")
_ONE_LETTER_WORDS = frozenset("вскуояаи")
MIN_SPLIT_LETTERS = 3


class Token(NamedTuple):
    forms: tuple[str, ...]  # normalised spellings; the first is the word as written
    start: int  # span in the original text
    end: int


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    plain: str
    offsets: Sequence[int]  # offsets[i] is the original index of plain[i]; one extra at end
    tokens: tuple[Token, ...]  # the words in order
    joined: tuple[Token, ...]  # words typed in pieces, put back together

    def reading(self) -> tuple[tuple[Token, tuple[Token, ...]], ...]:
        """The words in order, each joined word in place of its pieces, with the pieces.

        Phrases are matched on this, so "б.е.л.а.я р.а.с.а" reads as two words.
        """
        if not self.joined:
            return tuple((token, ()) for token in self.tokens)
        starts: dict[int, Token] = {}
        for token in self.joined:
            if token.end - token.start > starts.get(token.start, token).end - token.start:
                starts[token.start] = token
            starts.setdefault(token.start, token)
        words: list[tuple[Token, tuple[Token, ...]]] = []
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            joined = starts.get(token.start)
            # A joined reading shorter than the word at its start (кл@сс@: the masked
            # form stops before the trailing @, the word reads on as "класса") is no
            # reading of that word; taking it would consume nothing and loop for ever.
            if joined is None or joined.end < token.end:
                words.append((token, ()))
                index += 1
                continue
            pieces = []
            while index < len(self.tokens) and self.tokens[index].end <= joined.end:
                pieces.append(self.tokens[index])
                index += 1
            words.append((joined, tuple(pieces)))
        return tuple(words)

    def readable(
        self, reading: Sequence[tuple[Token, tuple[Token, ...]]] | None = None
    ) -> tuple[str, list[int]]:
        """The text as written, but each disguised word spelled out and cased like its first
        letter: Зaйцeв → Зайцев, С0к0л0ва → Соколова, Ор-лов → Орлов. Patterns that need
        capitals (a pupil's name) read through disguises on this. ``offsets[i]`` is the
        original index of character i. A word starting with a digit (a class, 3Б) stays."""
        text = self.original
        out: list[str] = []
        offsets: list[int] = []
        position = 0
        words = list(self.reading() if reading is None else reading)
        if isinstance(self.offsets, range):  # nothing was hidden in the text or folded
            # only words typed in pieces or read in more than one way can differ
            words = [(word, pieces) for word, pieces in words if pieces or len(word.forms) > 1]
        for word, _ in words:
            written = text[word.start : word.end]
            if len(word.forms) == 1 and written.isalpha():
                continue
            # hyphens stay (Иван-царевич is no disguise, and Ор-лов cannot be told from it);
            # a class (3Б) and a Latin word (PowerPoint) are no Cyrillic word in disguise
            if (
                _PLAIN_WORD.fullmatch(written)
                or not written[0].isalpha()
                or not _CYRILLIC_LETTER.search(written)
            ):
                continue
            spelled = word.forms[1] if len(word.forms) > 1 else word.forms[0]
            if written[0].isupper():
                spelled = spelled[:1].upper() + spelled[1:]
            out.append(text[position : word.start])
            offsets.extend(range(position, word.start))
            out.append(spelled)
            # each letter of the spelling points into the word, the last ones at its end
            offsets.extend(min(word.start + i, word.end - 1) for i in range(len(spelled)))
            position = word.end
        out.append(text[position:])
        offsets.extend(range(position, len(text) + 1))
        return "".join(out), offsets

    def span(self, plain_start: int, plain_end: int) -> tuple[int, int]:
        """The original text's span for a span of ``plain``."""
        end = self.offsets[plain_end - 1] + 1 if plain_end > plain_start else plain_start
        return self.offsets[plain_start], end


def _is_invisible(char: str) -> bool:
    return char in _INVISIBLE_EXTRA or unicodedata.category(char) == "Cf"


@lru_cache(maxsize=1)
def _invisible() -> frozenset[str]:
    return frozenset(c for c in map(chr, range(sys.maxunicode + 1)) if _is_invisible(c))


@lru_cache(maxsize=1)
def _combining() -> frozenset[str]:
    return frozenset(c for c in map(chr, range(sys.maxunicode + 1)) if unicodedata.combining(c))


def _base_letter(char: str) -> str:
    """The letter under an accented one (é → e, ў → у); й stays, ё is read as е later."""
    if char in "йЙ":
        return char
    base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return base if len(base) == 1 else char


@lru_cache(maxsize=1)
def _strangers() -> tuple[dict[int, str], re.Pattern[str]]:
    """Accented letters and look-alikes from other blocks, and a pattern that finds any.

    Only lower-case letters up to U+1FFF: ``_plain`` has lower-cased and NFKC-folded the
    text before (full-width and mathematical letters are plain ones by then).
    """
    table = {ord(k): v for k, v in _HOMOGLYPHS.items()}
    for code in range(0xC0, 0x2000):
        char = chr(code)
        if char.islower() or (not char.isupper() and char.isalpha()):
            base = _base_letter(char)
            if base != char:
                table[code] = base.lower()
    table.pop(ord("ё"), None)  # read as е by the callers already
    pattern = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(table)) + "]")
    return table, pattern


def _unaccented(plain: str) -> str:
    table, pattern = _strangers()
    return plain.translate(table) if pattern.search(plain) else plain


def _plain(text: str) -> tuple[str, Sequence[int]]:
    plain, offsets = _folded(text)
    return _unaccented(plain), offsets


def _folded(text: str) -> tuple[str, Sequence[int]]:
    if unicodedata.is_normalized("NFKC", text) and _combining().isdisjoint(text):
        invisible = _invisible()
        if invisible.isdisjoint(text):
            # Most texts are ordinary: nothing hidden, so positions stay put.
            kept: Sequence[int] = range(len(text) + 1)
            visible = text
        else:
            kept = [index for index, char in enumerate(text) if char not in invisible]
            visible = "".join(text[index] for index in kept)
            kept.append(len(text))
        plain = visible.lower()
        if len(plain) == len(visible):
            return plain.replace("ё", "е"), kept
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if _is_invisible(char):
            continue
        if unicodedata.combining(char):
            # A mark on the previous letter: keep й and ё, drop marks added to disguise.
            if chars:
                composed = unicodedata.normalize("NFC", chars[-1] + char)
                if len(composed) == 1:
                    chars[-1] = composed.lower().replace("ё", "е")
            continue
        for piece in unicodedata.normalize("NFKC", char).lower().replace("ё", "е"):
            if unicodedata.combining(piece):
                continue
            chars.append(piece)
            offsets.append(index)
    offsets.append(len(text))
    return "".join(chars), offsets


def collapse(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


def _translit(word: str) -> str:
    for latin, cyrillic in _TRANSLIT_PAIRS:
        word = word.replace(latin, cyrillic)
    return word.translate(_TRANSLIT)


@lru_cache(maxsize=131_072)
def spellings(raw: str) -> tuple[str, ...]:
    """Every reading of one raw word worth matching, repeated letters collapsed."""
    forms = [raw]
    if raw.isdigit():
        return (raw,)
    if _CYRILLIC.search(raw) or not _LATIN.search(raw):
        # A Cyrillic word with strangers inside: read every stranger as a Cyrillic letter.
        cyrillic = raw.translate(_LOOKALIKE).translate(_LEET)
        forms.append(_translit(cyrillic) if _LATIN.search(cyrillic) else cyrillic)
        if "3" in raw:
            forms.append(raw.translate(_LOOKALIKE).translate(_LEET_ALT))
        if "g" in cyrillic:  # g is г by sound and д by shape (иgиот): both are read
            shaped = cyrillic.replace("g", "д")
            forms.append(_translit(shaped) if _LATIN.search(shaped) else shaped)
    else:
        # A Latin word: a Cyrillic word typed in look-alikes (cyka), or transliterated.
        latin = raw.translate(_LEET_LATIN)
        if set(latin) <= _VISUAL_LATIN:
            forms.append(latin.translate(_LOOKALIKE))
        forms.append(_translit(latin))
    return tuple(dict.fromkeys(collapse(form) for form in forms))


def normalize(text: str) -> Normalized:
    plain, offsets = _plain(text)
    tokens = tuple(
        Token(spellings(match.group()), offsets[match.start()], offsets[match.end() - 1] + 1)
        for match in _TOKEN.finditer(plain)
    )
    return Normalized(text, plain, offsets, tokens, tuple(_joined_letters(plain, offsets)))


def masked_form(written: str) -> str | None:
    """A masked word with every mask as ``MASK`` and look-alikes read (д@б1л → д*бил).

    None when the letters shown are too few or are not all Cyrillic once read.
    """
    visible = _MASK_RUN.sub("", written)
    if len(visible) < MIN_MASKED_LETTERS or len(visible) < len(written) - len(visible):
        return None
    form = _MASK_RUN.sub(MASK, written).translate(_LOOKALIKE).translate(_LEET)
    return form if _MASKED_FORM.fullmatch(form) else None


_MASKED_FORM = re.compile(r"[а-я]+(?:\*+[а-я]+)+")


def _joined_letters(plain: str, offsets: Sequence[int]) -> list[Token]:
    """Words typed in pieces: и д и о т, д.е.б.и.л, пиз-да, ду_рак, д  у - р а; and masked
    words (д*б*л), which carry their masked form for the engine to fit to its words.

    Pieces glued by dots, dashes or stars always join; pieces separated by spaces join
    only when each is a single letter, so ordinary phrases stay apart.
    """
    found: dict[tuple[int, int], list[str]] = {}

    def emit(start: int, end: int, *extra: str) -> None:
        word = _NOT_TOKEN.sub("", plain[start:end])
        if len(word) >= MIN_SPLIT_LETTERS or extra:
            forms = found.setdefault((start, end), [])
            forms.extend((*spellings(word), *extra) if word else extra)

    for match in _GLUED.finditer(plain):
        emit(match.start(), match.end())
    for match in _SPACED.finditer(plain):
        for start, end in _spaced_words(plain, match.start(), match.end()):
            emit(start, end)
        # "он и д у р а к": the leading conjunction is a word of its own.
        if match.group()[0] in _ONE_LETTER_WORDS:
            second = _NEXT_PIECE.search(plain, match.start() + 1, match.end())
            if second is not None and match.end() - second.start() >= 5:
                emit(second.start(), match.end())
    # A mask followed by a letter is rare in ordinary text: look for one before scanning.
    for match in _MASKED.finditer(plain) if _MASK_THEN_LETTER.search(plain) else ():
        form = masked_form(match.group())
        if form is not None:
            emit(match.start(), match.end(), form)
    return [
        Token(tuple(dict.fromkeys(forms)), offsets[start], offsets[end - 1] + 1)
        for (start, end), forms in sorted(found.items())
    ]


_SPACED_PIECE = re.compile(_PIECE)
MIN_SPACED_WORD = 3  # a wider gap splits a spaced run only between words this long


def _spaced_words(plain: str, start: int, end: int) -> list[tuple[int, int]]:
    """A run of spaced letters, as the words its wider gaps separate: "п е т р о в  а р т е м"
    is two words, since its letters stand one space apart and the words two; "д  у  р  а",
    evenly spaced, and "т   в а р ь", whose first part is one letter, stay one word."""
    pieces = [(m.start(), m.end()) for m in _SPACED_PIECE.finditer(plain, start, end)]
    gaps = [right[0] - left[1] for left, right in itertools.pairwise(pieces)]
    if not gaps or max(gaps) == min(gaps):
        return [(start, end)]
    words: list[list[tuple[int, int]]] = [[pieces[0]]]
    for piece, gap in zip(pieces[1:], gaps, strict=True):
        if gap > min(gaps):
            words.append([])
        words[-1].append(piece)
    if any(len(word) < MIN_SPACED_WORD for word in words):
        return [(start, end)]
    return [(word[0][0], word[-1][1]) for word in words]


class MaskedWords:
    """Fits masked words to a vocabulary: д*б*л is дебил, ид**т идиот, д*б*лы дебилы.

    A run of k masks stands for k letters, or k + 1 when nothing fits so, at least
    ``MIN_SPARE_SHOWN`` letters are shown and the word is whole; else up to ``ENDING``
    letters after the last mask may be an ending the vocabulary's word lacks. Words are
    kept by their first letter, so fitting one masked form is a regular expression over a
    few dozen words, done once per form and only for words with masks in them.
    """

    ENDING = 3
    MIN_SPARE_SHOWN = 4
    MIN_WORD_WITH_ENDING = 4  # short words and roots (уеб, хер) take no ending of a guess
    CACHE_LIMIT = 50_000

    def __init__(self, words: Iterable[str]) -> None:
        by_first: dict[str, set[str]] = {}
        for word in words:
            if _CYRILLIC_WORD.fullmatch(word):
                by_first.setdefault(word[0], set()).add(word)
        self._words = {first: "\n".join(sorted(found)) for first, found in by_first.items()}
        self._cache: dict[str, tuple[str, ...]] = {}

    def unmask(self, forms: tuple[str, ...]) -> tuple[str, ...]:
        """The forms with every masked one replaced by the words it fits (maybe none)."""
        if not any(MASK in form for form in forms):
            return forms
        found: list[str] = []
        for form in forms:
            found.extend(self.fits(form) if MASK in form else (form,))
        return tuple(dict.fromkeys(found))

    def fits(self, masked: str) -> tuple[str, ...]:
        """The words a masked form fits, each mask run read as few letters as will do."""
        cached = self._cache.get(masked)
        if cached is not None:
            return cached
        words = self._words.get(masked[0], "")
        tail = len(masked) - len(masked.rstrip(_CYRILLIC_LETTERS))
        found: list[str] = []
        # one letter per mask first; one more per run only if none fit and enough is shown
        # (б*ла is была, not быдла)
        shown = len(masked) - masked.count(MASK)
        for spare in (0, 1) if shown >= self.MIN_SPARE_SHOWN else (0,):
            # a guessed ending and a guessed extra letter together fit too much (мо**ль)
            for cut in range(min(self.ENDING if not spare else 0, tail - 1) + 1):
                stem, ending = masked[: len(masked) - cut], masked[len(masked) - cut :]
                if ending and len(stem) - stem.count(MASK) < MIN_MASKED_LETTERS:
                    break  # an ending needs the word itself shown as well (л*хи, not л*х-и)
                pattern = "".join(
                    f"[а-я]{{{len(part)},{len(part) + spare}}}" if part[0] == MASK else part
                    for part in _PARTS.findall(stem)
                )
                # with an ending of its own, the word's final vowel or soft sign goes (тв*ри)
                vowel = _FINAL_VOWEL if ending else ""
                found.extend(
                    match + ending
                    for match in re.findall(f"^({pattern}){vowel}$", words, re.MULTILINE)
                    if not ending or len(match) >= self.MIN_WORD_WITH_ENDING
                )
            if found:
                break
        result = tuple(dict.fromkeys(found))
        if len(self._cache) < self.CACHE_LIMIT:
            self._cache[masked] = result
        return result


_FINAL_VOWEL = "[аеийоуыьюя]?"
_CYRILLIC_LETTERS = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
_PARTS = re.compile(r"\*+|[^*]+")
_CYRILLIC_WORD = re.compile(r"[а-я]+")


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


@lru_cache(maxsize=131_072)
def stem(word: str) -> str:
    if _CYRILLIC.search(word):
        return collapse(_stemmer("russian").stemWord(word))
    if _LATIN.search(word):
        return collapse(_stemmer("english").stemWord(word))
    return word
