"""The naive Bayes layer and the sanctions ladder, as plain policy."""

import pytest

from moderation.learning import Model, features
from moderation.sanctions import Flood, FloodGuard, Ladder, Step

SPAM = [
    "Курсы повышения квалификации за 1 день, диплом гос образца, пишите",
    "Диплом о переподготовке без экзаменов, оплата после получения",
    "Удостоверение о повышении квалификации за час, недорого",
    "Переподготовка дистанционно, диплом за два дня, звоните",
]
HAM = [
    "Методическая разработка урока по теме дроби для 5 класса",
    "План открытого урока по литературе, 7 класс, Пушкин",
    "Презентация к уроку окружающего мира: времена года",
    "Курсы повышения квалификации в ИРО: расписание на весну",
]


def train(texts_ham: list[str], texts_spam: list[str]) -> Model:
    words: dict[str, list[int]] = {}
    for texts, column in ((texts_ham, 0), (texts_spam, 1)):
        for text in texts:
            for stem in features(text):
                words.setdefault(stem, [0, 0])[column] += 1
    return Model(len(texts_ham), len(texts_spam), {k: (h, s) for k, (h, s) in words.items()})


def test_features_are_distinct_stems_of_the_normalised_words():
    assert features("Дроби, ДРОБИ и дробиии за 1 день") == ["дроб", "за", "ден"]


def test_the_model_learns_what_moderators_rejected():
    model = train(HAM, SPAM)
    spammy = model.spam_probability(features("Диплом о переподготовке за 3 дня, пишите"))
    honest = model.spam_probability(features("Разработка урока по теме дроби, 6 класс"))
    assert spammy > 0.9
    assert honest < 0.1


def test_an_untrained_model_says_nothing():
    model = Model(0, 0, {})
    assert model.spam_probability(features("диплом за день")) == 0.0
    assert not model.ready(min_docs=5)
    assert train(HAM, SPAM).ready(min_docs=4)
    assert not train(HAM, SPAM).ready(min_docs=5)


def test_the_ladder_warns_then_mutes_then_bans():
    ladder = Ladder(warnings_to_mute=3, mutes_to_ban=2)
    assert ladder.after_warning(active_warnings=1, recent_mutes=0) is Step.WARN
    assert ladder.after_warning(active_warnings=2, recent_mutes=0) is Step.WARN
    assert ladder.after_warning(active_warnings=3, recent_mutes=0) is Step.MUTE
    assert ladder.after_warning(active_warnings=3, recent_mutes=1) is Step.BAN


def test_a_communitys_ladder_settings_are_validated():
    ladder = Ladder.from_settings({"warnings_to_mute": 5, "mute_hours": 0, "bogus": 1})
    assert ladder.warnings_to_mute == 5
    assert ladder.mute_hours == Ladder().mute_hours  # out of bounds: the default stays
    assert ladder.with_value("warning_days", 7).warning_days == 7
    with pytest.raises(ValueError, match="warning_days"):
        ladder.with_value("warning_days", 0)


def test_flood_control_warns_first_then_mutes():
    guard = FloodGuard()
    ladder = Ladder(flood_messages=3, flood_seconds=10)
    states = [guard.message(1, 7, now=float(second), ladder=ladder) for second in range(4)]
    assert states == [Flood.OK, Flood.OK, Flood.OK, Flood.SLOW_DOWN]
    assert guard.message(1, 8, now=4.0, ladder=ladder) is Flood.OK  # another member
    again = [guard.message(1, 7, now=5.0 + i, ladder=ladder) for i in range(4)]
    assert again[-1] is Flood.MUTE
    # a quiet minute later the window is empty again
    assert guard.message(1, 7, now=120.0, ladder=ladder) is Flood.OK
