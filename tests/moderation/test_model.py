"""The learned classifier beside the rules: one verdict, holds never blocks, can be turned off."""

import logging
from dataclasses import replace

import pytest

from moderation import model as model_module
from moderation import rules, training
from moderation.engine import ConductCode
from moderation.rules import Action, Category, GroupAction, RulesError

# No word of the insult lexicon in it: only the model can see what it is.
PARAPHRASED_INSULT = "Иди проспись, убогий, от тебя толку ноль"
TEACHING = (
    "На уроке истории разбирали причины Первой мировой войны и её итоги для Европы.",
    "Провели с девятиклассниками деловую игру о выборах: бюллетени, комиссия, подсчёт голосов.",
    "В 4 классе на ОРКСЭ говорили о празднике Пасхи и традициях разных семей.",
)


@pytest.fixture(scope="module")
def code() -> ConductCode:
    return ConductCode.load()


def _with_model(**settings) -> ConductCode:
    rule_set = rules.load()
    assert rule_set.model is not None
    return ConductCode(replace(rule_set, model=replace(rule_set.model, **settings)))


def test_a_paraphrased_insult_is_held_with_the_models_hit_and_score(code):
    alone = ConductCode(replace(rules.load(), model=None))
    assert not alone.check(PARAPHRASED_INSULT).hits  # the lexicon does not know it
    verdict = code.check(PARAPHRASED_INSULT)
    assert verdict.action is Action.HOLD
    assert verdict.group_action is GroupAction.FLAG  # a group message stays, queued
    (hit,) = verdict.hits
    assert hit.rule == "model:insult"
    assert hit.category is Category.INSULT
    assert hit.clause == "§7.2"
    assert hit.score is not None
    assert 0.5 < hit.score <= 1
    assert hit.reason == f"held for review: the model thinks this is insult ({hit.score:.2f})"
    assert hit.as_dict()["score"] == hit.score
    assert hit.fragment == PARAPHRASED_INSULT


@pytest.mark.parametrize("text", TEACHING)
def test_a_teaching_text_about_wars_elections_or_religions_is_allowed(code, text):
    assert code.check(text).action is Action.ALLOW


def test_a_text_the_rules_block_stays_blocked_by_the_rules(code):
    verdict = code.check("Ты дебил и тупое ничтожество, " + PARAPHRASED_INSULT)
    assert verdict.action is Action.BLOCK
    assert all(not hit.rule.startswith("model:") for hit in verdict.hits)
    assert "score" not in verdict.hits[0].as_dict()  # stored hits keep their keys


def test_in_dry_run_the_model_only_logs():
    verdict = _with_model(dry_run=True).check(PARAPHRASED_INSULT)
    assert verdict.action is Action.ALLOW
    assert [hit.rule for hit in verdict.dry_run_hits] == ["model:insult"]


def test_enabled_false_turns_the_model_off():
    text = rules.default_text().replace("[model]\nenabled = true", "[model]\nenabled = false")
    assert not ConductCode.from_text(text).check(PARAPHRASED_INSULT).hits
    assert not _with_model(enabled=False).check(PARAPHRASED_INSULT).hits


def test_a_threshold_in_the_rules_file_overrides_the_models():
    assert not _with_model(thresholds={"insult": 1.0}).check(PARAPHRASED_INSULT).hits
    with pytest.raises(RulesError, match="threshold"):
        rules.parse(rules.default_text().replace("insult = 0.", "insult = 7"))
    with pytest.raises(RulesError, match="unknown category"):
        rules.parse(rules.default_text() + "links = 0.5\n")  # left to the rules


def test_a_missing_weights_file_leaves_the_rules_alone_with_one_warning(tmp_path, caplog):
    code = ConductCode.load(model_path=tmp_path / "missing.npz")
    with caplog.at_level(logging.WARNING, logger="moderation.model"):
        assert not code.check(PARAPHRASED_INSULT).hits
        assert code.check("Ты дебил").action is Action.BLOCK
    assert len(caplog.records) == 1
    assert "rules work alone" in caplog.records[0].getMessage()


def test_a_corrupt_weights_file_leaves_the_rules_alone(tmp_path, caplog):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a zip")
    with caplog.at_level(logging.WARNING, logger="moderation.model"):
        assert not ConductCode.load(model_path=broken).check(PARAPHRASED_INSULT).hits
    assert len(caplog.records) == 1


def test_training_is_deterministic_with_a_seed(tmp_path):
    corpus = tmp_path / "tiny.tsv"
    corpus.write_text(
        "clean\tplain\tКоллеги, выложила презентацию к уроку дробей.\n"
        "clean\tplain\tНа уроке истории говорили о войне 1812 года.\n"
        "insult\tplain\tТы жалкое ничтожество и пустое место.\n"
        "violence\tplain\tЯ его найду и переломаю ему ноги.\n",
        "utf-8",
    )
    first, second, third = (tmp_path / f"{name}.npz" for name in ("a", "b", "c"))
    for seed, out in ((7, first), (7, second), (8, third)):
        training.train([corpus], None, seed, out, iterations=5, echo=False)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != third.read_bytes()  # the seed drives the re-spellings
    loaded = model_module.read(first)
    assert loaded.categories == model_module.CATEGORIES
    assert {score.category for score in loaded.scores("Ты пустое место")} == set(
        model_module.CATEGORIES
    )


EVERYDAY = (
    "Спасибо, коллеги!",
    "И я помогаю",
    "Я тоже за",
    "Всё, сдала отчёт",
    "Кто идёт на семинар?",
    "Не закрывать",
    "Ссылку пришлю позже",
    "Плюсую",
    "Согласна с предыдущим",
    "Отличная идея",
    "Завтра не смогу, заболела",
    "Дети в восторге",
    "Где взять бланки?",
    "Опять сломался проектор",
    "Поддерживаю Ольгу Петровну",
    "Уберите, пожалуйста, мой пост",
    "Держитесь, скоро каникулы",
    "Ничего не понятно",
    "Напоминаю про дедлайн",
    "Давайте голосовать за дату встречи",
    "Сил моих нет",
    "Проверяю тетради до ночи",
    "Удалите меня из рассылки",
    "Бейте тревогу, завтра проверка",
    "Прибью этот принтер",
    "Всех с праздником!",
    "Молодцы, ребята",
    "Мы победили в конкурсе!",
    "Вот это да",
    "Записалась на вебинар",
    "Проектная неделя",
    "Открытый урок",
)


def test_short_everyday_replies_are_not_held_by_the_model():
    """Two or three words carry little evidence: replies and thread titles pass. One known
    mistake is kept in view: "голосовать за" in a poll about a date still reads as agitation."""
    code = ConductCode.load()
    held = {
        text for text in EVERYDAY if any(hit.score is not None for hit in code.check(text).hits)
    }
    assert held == {"Давайте голосовать за дату встречи"}
