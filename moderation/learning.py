"""The learning layer: a naive Bayes classifier trained by moderators' decisions.

Each community has its own model, kept as word counts in the database (the way proven
anti-spam bots keep theirs): approvals count a text's words as "ham", rejections as
"spam". Its score can hold a post for a moderator's look; it never blocks on its own,
and a moderator can reset it. A library such as scikit-learn would add numpy and scipy
to compute a sum of logarithms, and its models would not live in our database, where
every replica shares them and a reset is one DELETE.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from moderation.normalize import normalize, stem

MAX_FEATURES = 300  # a long text is judged by its first distinct words
MIN_WORD = 2


def features(text: str) -> list[str]:
    """A text's distinct word stems, as both training and scoring see them."""
    seen: dict[str, None] = {}
    for token in normalize(text).tokens:
        form = token.forms[-1]
        if len(form) >= MIN_WORD and not form.isdigit():
            seen[stem(form)] = None
            if len(seen) >= MAX_FEATURES:
                break
    return list(seen)


@dataclass(frozen=True, slots=True)
class Model:
    """Counts of documents, and of documents containing each word, per class."""

    ham_docs: int
    spam_docs: int
    words: Mapping[str, tuple[int, int]]  # stem -> (ham count, spam count)

    def ready(self, min_docs: int) -> bool:
        """Too few decisions make a model that guesses; it stays silent until then."""
        return self.ham_docs >= min_docs and self.spam_docs >= min_docs

    def spam_probability(self, stems: Iterable[str]) -> float:
        """P(spam | words) under naive Bayes with Laplace smoothing, in log space."""
        total = self.ham_docs + self.spam_docs
        if not self.ham_docs or not self.spam_docs:
            return 0.0
        log_spam = math.log(self.spam_docs / total)
        log_ham = math.log(self.ham_docs / total)
        for word in stems:
            ham, spam = self.words.get(word, (0, 0))
            if not ham and not spam:
                continue  # a word never seen says nothing either way
            log_spam += math.log((spam + 1) / (self.spam_docs + 2))
            log_ham += math.log((ham + 1) / (self.ham_docs + 2))
        margin = log_ham - log_spam
        if margin > 700:
            return 0.0
        return 1.0 / (1.0 + math.exp(margin))
