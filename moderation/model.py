"""The learned conduct classifier: hashed n-gram features and one logistic regression a category.

The lexicon knows only the words it was given; this model scores paraphrases and evasions
it never saw spelled that way. It reads the normaliser's output (the same spellings the
rules match), hashes character n-grams of each word and stems of words and word pairs into
a fixed number of buckets, and applies one linear model per category. Inference is a
gather and a sum in numpy; the weights ship with the package (``model/conduct-model.npz``)
and are read once, on first use. A missing or broken file leaves the rules to work alone.

Training lives in ``moderation/training.py`` and is not imported at run time.
"""

import io
import itertools
import logging
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt

from moderation.normalize import Token, normalize, stem

log = logging.getLogger(__name__)

BUCKETS = 1 << 17
CATEGORIES = (
    "insult",
    "obscene",
    "hatred",
    "violence",
    "politics",
    "religion",
    "pupil_data",
    "spam",
)
NGRAMS = (2, 3, 4, 5)
# A short text is scored as if it had at least this many features: two or three words
# carry little evidence, and without it a reply like "И я помогаю" scored 0.8 for violence.
MIN_FEATURES = 48
WINDOW = 300  # a longer text is scored sentence by sentence: one insult in a long post counts
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")

Indices = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]


def _bucket(feature: str) -> int:
    # crc32, not hash(): Python salts str hashes per process, the weights must not move
    return zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)


def word_features(form: str) -> tuple[int, ...]:
    """One normalised word's buckets: its character n-grams with boundary marks, its stem."""
    if form.isdigit():
        return (_bucket(f"#{min(len(form), 5)}"),)  # the shape of a number, not its value
    padded = f"<{form}>"
    found = [_bucket("w:" + stem(form))]
    for n in NGRAMS:
        found.extend(_bucket(padded[i : i + n]) for i in range(len(padded) - n + 1))
    return tuple(found)


Reading = Sequence[tuple[Token, tuple[Token, ...]]]


def _words(reading: Reading) -> list[Token]:
    """The text's words as the rules read them (pieces joined)."""
    return [word for word, _ in reading]


@lru_cache(maxsize=131_072)
def _pair(first: str, second: str) -> int:
    return _bucket(f"b:{stem(first)} {stem(second)}")


def features(words: Sequence[str]) -> list[int]:
    """The buckets of a run of normalised words: their own, and their stems in pairs."""
    found: list[int] = []
    for word in words:
        found.extend(word_features(word))
    for first, second in itertools.pairwise(words):
        found.append(_pair(first, second))
    return found


def vector(buckets: Sequence[int]) -> tuple[Indices, Floats]:
    """Bucket counts over the square root of their total: a long text weighs no more than a
    short one, and a window's logit is a sum of per-word sums (what inference caches)."""
    if not buckets:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    index, counts = np.unique(np.asarray(buckets, np.int64), return_counts=True)
    return index, (counts / np.sqrt(max(len(buckets), MIN_FEATURES))).astype(np.float32)


def text_features(text: str) -> tuple[Indices, Floats]:
    forms = [word.forms[-1] for word in _words(normalize(text).reading())]
    return vector(features(forms))


@dataclass(frozen=True, slots=True)
class Score:
    category: str
    score: float
    start: int  # the window that scored highest
    end: int


class Model:
    """The weights, kept as float32 (buckets × categories) so a text's rows gather at once.

    A window's logit is bias + (the sum of its features' weights) / sqrt(their number), so
    each word's sum and count are computed once and kept: a warm text is a gather of cached
    rows, its word pairs' rows, and one sum per window.
    """

    CACHE = 200_000  # words kept; a living chat repeats most of them

    def __init__(
        self, weights: Floats, bias: Floats, categories: Sequence[str], thresholds: Floats
    ):
        if weights.shape != (len(categories), BUCKETS) or bias.shape != (len(categories),):
            raise ValueError(f"weights of shape {weights.shape} for {len(categories)} categories")
        self.weights = np.ascontiguousarray(weights.T, dtype=np.float32)
        self.bias = bias.astype(np.float32)
        self.categories = tuple(categories)
        self.thresholds = dict(zip(self.categories, map(float, thresholds), strict=True))
        # each known word's row: its features' weights summed, and how many features it has
        self._row_of: dict[str, int] = {}
        self._rows = np.zeros((1024, len(self.categories) + 1), np.float32)

    def _row(self, form: str) -> int:
        row = self._row_of.get(form)
        if row is None:
            if len(self._row_of) >= self.CACHE:
                self._row_of.clear()
            row = len(self._row_of)
            if row == len(self._rows):
                self._rows = np.concatenate([self._rows, np.zeros_like(self._rows)])
            buckets = np.asarray(word_features(form), np.int64)
            self._rows[row, :-1] = self.weights[buckets].sum(axis=0)
            self._rows[row, -1] = len(buckets)
            self._row_of[form] = row
        return row

    def scores(self, text: str, reading: Reading | None = None) -> list[Score]:
        """Each category's highest score over the text's windows (the whole text if short)."""
        words = _words(normalize(text).reading() if reading is None else reading)
        if not words:
            return []
        forms = [word.forms[-1] for word in words]
        rows = np.fromiter(map(self._row, forms), np.int64, len(forms))
        summed = self._rows[rows]  # per word: weights' sum, feature count
        window = _window_of(text, words)
        pairs = np.flatnonzero(window[1:] == window[:-1])  # word pairs inside one window
        pair_rows = np.zeros((len(pairs), summed.shape[1]), np.float32)
        if len(pairs):
            buckets = np.fromiter(
                (_pair(forms[i], forms[i + 1]) for i in pairs.tolist()), np.int64, len(pairs)
            )
            pair_rows[:, :-1] = self.weights[buckets]
            pair_rows[:, -1] = 1
        starts = np.flatnonzero(np.r_[True, window[1:] != window[:-1]])
        totals = np.add.reduceat(summed, starts, axis=0)
        np.add.at(totals, np.searchsorted(starts, pairs, side="right") - 1, pair_rows)
        logits = totals[:, :-1] / np.sqrt(np.maximum(totals[:, -1:], MIN_FEATURES)) + self.bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        best = probabilities.argmax(axis=0)
        ends = np.r_[starts[1:], len(words)] - 1
        return [
            Score(
                category,
                float(probabilities[best[i], i]),
                words[starts[best[i]]].start,
                words[ends[best[i]]].end,
            )
            for i, category in enumerate(self.categories)
        ]


def _window_of(text: str, words: Sequence[Token]) -> npt.NDArray[np.int64]:
    """Each word's window: one for a short text; otherwise the sentence it starts in."""
    if len(text) <= WINDOW:
        return np.zeros(len(words), np.int64)
    bounds = np.fromiter((m.start() for m in _SENTENCE_END.finditer(text)), np.int64)
    starts = np.fromiter((word.start for word in words), np.int64, len(words))
    return np.searchsorted(bounds, starts, side="right")


def default_path() -> Path:
    return Path(str(resources.files("moderation").joinpath("model/conduct-model.npz")))


def read(path: Path) -> Model:
    with np.load(path, allow_pickle=False) as data:
        return Model(
            data["weights"].astype(np.float32),
            data["bias"].astype(np.float32),
            [str(name) for name in data["categories"]],
            data["thresholds"].astype(np.float32),
        )


@lru_cache(maxsize=4)
def load(path: Path | None = None) -> Model | None:
    """The shipped model, read once; None (and one warning) when it cannot be read."""
    where = path or default_path()
    try:
        return read(where)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
        log.warning("conduct model %s not loaded, the rules work alone: %s", where, error)
        return None


def write(
    path: Path,
    weights: Floats,
    bias: Floats,
    categories: Sequence[str],
    thresholds: Floats,
) -> None:
    """A compressed .npz with fixed timestamps: the same weights give the same bytes."""
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "weights": weights.astype(np.float16),
        "bias": bias.astype(np.float32),
        "categories": np.array(list(categories)),
        "thresholds": thresholds.astype(np.float32),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue())
