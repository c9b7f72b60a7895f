"""The conduct code on the labelled evaluation set: the bounds issue 5 sets.

The run prints the figures only (recall, false positives, per category). The sentences the
code missed or wrongly flagged are hateful or obscene by design, so they are printed only on
request: ``METODSET_SHOW_MISSES=1 pytest tests/moderation`` (a failing bound always shows them).
"""

import os

from moderation.engine import ConductCode
from tests.moderation.conftest import FIGURES
from tests.moderation.evaluation import HOLDOUT_SET, evaluate, examples

MIN_RECALL = 0.95
MAX_FALSE_POSITIVES = 0.02
SHOW_MISSES = os.environ.get("METODSET_SHOW_MISSES", "") not in {"", "0"}


def _printed(figures) -> str:
    if SHOW_MISSES:
        return figures.report()
    return (
        f"{figures.summary()}\n  ({len(figures.missed)} missed and"
        f" {len(figures.wrongly_flagged)} wrongly flagged texts not shown:"
        " METODSET_SHOW_MISSES=1 prints them)"
    )


def test_the_evaluation_set_is_big_enough_and_covers_every_category():
    found = examples()
    labels = {example.label for example in found}
    assert len(found) >= 300
    assert labels == {
        "clean",
        "politics",
        "religion",
        "violence",
        "racism",
        "hatred",
        "insult",
        "obscene",
        "spam",
        "links",
        "pupil_data",
    }
    assert sum(example.variant == "evasion" for example in found) >= 40


def test_recall_and_false_positives_on_the_evaluation_set():
    figures = evaluate(ConductCode.load())
    FIGURES["evaluation sets (the lexicon was developed on them)"] = _printed(figures)
    assert figures.recall >= MIN_RECALL, figures.report()
    assert figures.false_positive_rate <= MAX_FALSE_POSITIVES, figures.report()


def test_figures_on_the_held_out_set_are_reported():
    """Written apart from the lexicon and never tuned on: the honest figure, printed."""
    figures = evaluate(ConductCode.load(), HOLDOUT_SET)
    FIGURES["held-out set (never tuned on)"] = _printed(figures)
    assert figures.violations >= 80
    assert figures.clean >= 100
