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

from moderation.normalize import Normalized, normalize, stem

log = logging.getLogger(__name__)

BUCKETS = 1 << 17
CATEGORIES = ("insult", "obscene", "hatred", "violence", "politics", "religion", "pupil_data")
NGRAMS = (2, 3, 4, 5)
WINDOW = 300  # a longer text is scored sentence by sentence: one insult in a long post counts
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")

Indices = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float32]


def _bucket(feature: str) -> int:
    # crc32, not hash(): Python salts str hashes per process, the weights must not move
    return zlib.crc32(feature.encode("utf-8")) & (BUCKETS - 1)


@lru_cache(maxsize=131_072)
def _word_array(form: str) -> Indices:
    """word_features as an array, cached: a warm text is joined from these, not from ints."""
    found = np.asarray(word_features(form), np.int64)
    found.flags.writeable = False
    return found


def word_features(form: str) -> tuple[int, ...]:
    """One normalised word's buckets: its character n-grams with boundary marks, its stem."""
    if form.isdigit():
        return (_bucket(f"#{min(len(form), 5)}"),)  # the shape of a number, not its value
    padded = f"<{form}>"
    found = [_bucket("w:" + stem(form))]
    for n in NGRAMS:
        found.extend(_bucket(padded[i : i + n]) for i in range(len(padded) - n + 1))
    return tuple(found)


def _stems(normalized: Normalized) -> list[tuple[str, int, int]]:
    """The text's words as the rules read them (pieces joined): form, start, end."""
    return [(word.forms[-1], word.start, word.end) for word, _ in normalized.reading()]


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
    """Bucket counts, l2-normalised: a long text weighs no more than a short one."""
    if not buckets:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    index, counts = np.unique(np.asarray(buckets, np.int64), return_counts=True)
    values = counts.astype(np.float32)
    values /= np.float32(np.sqrt(np.dot(values, values)))
    return index, values


def text_features(text: str) -> tuple[Indices, Floats]:
    return vector(features([form for form, _, _ in _stems(normalize(text))]))


@dataclass(frozen=True, slots=True)
class Score:
    category: str
    score: float
    start: int  # the window that scored highest
    end: int


class Model:
    """The weights, kept as float32 (buckets × categories) so a text's rows gather at once."""

    def __init__(
        self, weights: Floats, bias: Floats, categories: Sequence[str], thresholds: Floats
    ):
        if weights.shape != (len(categories), BUCKETS) or bias.shape != (len(categories),):
            raise ValueError(f"weights of shape {weights.shape} for {len(categories)} categories")
        self.weights = np.ascontiguousarray(weights.T, dtype=np.float32)
        self.bias = bias.astype(np.float32)
        self.categories = tuple(categories)
        self.thresholds = dict(zip(self.categories, map(float, thresholds), strict=True))

    def scores(self, text: str, normalized: Normalized | None = None) -> list[Score]:
        """Each category's highest score over the text's windows (the whole text if short)."""
        words = _stems(normalized or normalize(text))
        if not words:
            return []
        windows = _windows(text, words)
        parts: list[Indices] = []
        sizes = []
        for _, _, forms in windows:
            pairs = np.fromiter(map(_pair, forms, forms[1:]), np.int64, len(forms) - 1)
            parts.append(np.concatenate([*map(_word_array, forms), pairs]))
            sizes.append(len(parts[-1]))
        buckets = np.concatenate(parts)
        owners = np.repeat(np.arange(len(windows), dtype=np.int64), sizes)
        # One pass over every window: counts per (window, bucket), l2-normalised per window.
        keys, counts = np.unique(
            owners * BUCKETS + buckets,
            return_counts=True,
        )
        rows, index = np.divmod(keys, BUCKETS)
        values = counts.astype(np.float32)
        norms = np.sqrt(np.bincount(rows, values * values, len(windows))).astype(np.float32)
        values /= norms[rows]
        present = np.flatnonzero(norms)  # windows with at least one feature
        starts = np.searchsorted(rows, present)
        gathered = self.weights[index] * values[:, None]
        logits = np.add.reduceat(gathered, starts, axis=0) + self.bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        best = probabilities.argmax(axis=0)
        return [
            Score(
                category,
                float(probabilities[best[i], i]),
                windows[present[best[i]]][0],
                windows[present[best[i]]][1],
            )
            for i, category in enumerate(self.categories)
        ]


def _windows(text: str, words: list[tuple[str, int, int]]) -> list[tuple[int, int, list[str]]]:
    """The whole text when short; otherwise its sentences, each with its words."""
    if len(text) <= WINDOW:
        return [(words[0][1], words[-1][2], [form for form, _, _ in words])]
    bounds = [match.start() for match in _SENTENCE_END.finditer(text)] + [len(text)]
    grouped: dict[int, list[tuple[str, int, int]]] = {}
    sentence = 0
    for word in words:
        while word[1] >= bounds[sentence]:
            sentence += 1
        grouped.setdefault(sentence, []).append(word)
    return [
        (group[0][1], group[-1][2], [form for form, _, _ in group]) for group in grouped.values()
    ]


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
