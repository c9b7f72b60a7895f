"""The conduct model's word on the cards, and moderators' decisions as its training data."""

import asyncio
import functools
from pathlib import Path

import pytest

from bot.cli import main
from moderation import model as model_module
from moderation import training
from storage.repositories.decisions import Decision, DecisionRepo
from tests.flows import linked_group
from tests.harness import BotHarness, labels
from tests.people import GROUP, MODERATOR, STRANGER

PARAPHRASE = "Ты пустое место"  # no word of the lexicon: the model's catch alone
SUBBOTNIK = "Все на субботник в субботу!"  # the model's mistake: it hears a rally


def confidence(text: str, category: str) -> int:
    """The shipped model's score as the card shows it (retraining moves it)."""
    model = model_module.load()
    assert model is not None
    [score] = [s.score for s in model.scores(text) if s.category == category]
    return round(score * 100)


async def test_the_models_flag_shows_its_confidence_and_moderators_decisions_train_it(
    harness: BotHarness,
    repo,
    monkeypatch: pytest.MonkeyPatch,
    capsys,
    database_url: str,
    tmp_path: Path,
) -> None:
    h = harness
    community = await linked_group(h, repo)

    # a paraphrase of an insult stays in the group and reaches the moderators with the score
    await h.send(STRANGER, PARAPHRASE, chat=GROUP)
    card = h.last_message(MODERATOR.id)
    assert card.html_text.startswith("⚠️ <b>Сообщение в группе: автоматическая отметка</b>")
    insult = confidence(PARAPHRASE, "insult")
    assert (
        f"🤖 Оценка модели: оскорбление участников, уверенность {insult}%. Решение за модератором."
    ) in card.text
    assert labels(card) == ["🗑 Удалить и предупредить", "👌 Оставить", "📋 История участника"]
    await h.tap(MODERATOR, card, "Удалить")

    # a call to a clean-up day the model took for agitation: the moderator keeps it
    await h.send(STRANGER, SUBBOTNIK, chat=GROUP)
    card = h.last_message(MODERATOR.id)
    politics = confidence(SUBBOTNIK, "politics")
    assert f"🤖 Оценка модели: политическая пропаганда, уверенность {politics}%." in card.text
    await h.tap(MODERATOR, card, "Оставить")

    decided = await DecisionRepo(repo.session).decided_texts(community.id)
    assert decided == [
        Decision(PARAPHRASE, False, frozenset({"insult"})),
        Decision(SUBBOTNIK, True, frozenset({"politics"})),
    ]
    assert await DecisionRepo(repo.session).decided_texts(community.id + 1) == []
    samples = training.decided((d.text, d.approved, d.categories) for d in decided)
    assert [(s.text, s.categories, s.source) for s in samples] == [
        (PARAPHRASE, frozenset({"insult"}), "decisions"),
        (SUBBOTNIK, frozenset(), "decisions"),
    ]

    # `metodset conduct train --decisions` reads them from the configured database
    monkeypatch.setenv("METODSET_DATABASE_URL", database_url)
    monkeypatch.setattr(training, "train", functools.partial(training.train, iterations=5))
    out = tmp_path / "retrained.npz"
    args = ["conduct", "train", "--decisions", "--community", str(community.id), "--out", str(out)]
    assert await asyncio.to_thread(main, args) == 0
    printed = capsys.readouterr().out
    assert "2 decided texts in the database" in printed
    assert "moderators' decisions: 1 violations, 1 clean" in printed
    retrained = model_module.read(out)
    assert retrained.categories == model_module.CATEGORIES


def test_a_rejection_for_quality_or_a_link_teaches_the_model_nothing() -> None:
    samples = training.decided(
        [
            ("Неполный конспект, нет целей урока", False, frozenset()),
            ("Наш чат по ссылке в профиле", False, frozenset({"links"})),
            ("Курсы со скидкой, пишите в личку", False, frozenset({"spam", "links"})),
            ("Расист и есть расист", False, frozenset({"racism"})),
        ]
    )
    assert [(s.text, s.categories) for s in samples] == [
        ("Курсы со скидкой, пишите в личку", frozenset({"spam"})),
        ("Расист и есть расист", frozenset({"hatred"})),
    ]
