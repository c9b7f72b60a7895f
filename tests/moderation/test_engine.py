"""The rule engine: evasions undone, teaching vocabulary left alone, verdicts explained."""

import re

import pytest

from moderation import rules
from moderation.engine import ConductCode
from moderation.normalize import normalize
from moderation.rules import Action, Category, GroupAction, RulesError


@pytest.fixture(scope="module")
def code() -> ConductCode:
    return ConductCode.load()


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Ты идиот", Category.INSULT),
        ("ИдИоТ", Category.INSULT),  # mixed case
        ("идиооооот", Category.INSULT),  # repeated letters
        ("идиoт", Category.INSULT),  # Latin o inside a Cyrillic word
        ("д3бил", Category.INSULT),  # a digit for a letter
        ("и д и о т", Category.INSULT),  # letters split by spaces
        ("д.е.б.и.л", Category.INSULT),  # ... by dots
        ("ду-ра-к ты", Category.INSULT),  # ... by dashes
        ("иди\u200bот", Category.INSULT),  # a zero-width space
        ("иди\u00adот", Category.INSULT),  # a soft hyphen
        ("ид\u0301иот", Category.INSULT),  # a combining accent
        ("ｉｄｉｏｔ дебил", Category.INSULT),  # full-width letters
        ("cyka", Category.OBSCENE),  # all look-alike Latin letters
        ("pizdets", Category.OBSCENE),  # transliteration
        ("Отъ€бись", Category.OBSCENE),  # a currency sign for a letter
        ("Бл*ть, опять завис", Category.OBSCENE),  # self-censored
        ("ёбаный", Category.OBSCENE),  # ё read as е
        ("переходи на bit . ly/x1", Category.LINKS),  # a spaced dot
        ("t i n y u r l . c o m / abc", Category.LINKS),  # a spaced-out link
        ("сайт casino-win(точка)xyz", Category.LINKS),  # a spelled-out dot
    ],
)
def test_evasions_are_undone(code: ConductCode, text: str, category: Category):
    verdict = code.check(text)
    assert category in verdict.categories, verdict


@pytest.mark.parametrize(
    "text",
    [
        "Урок истории: Великая Отечественная война 1941–1945 годов, 9 класс",
        "Презентация к уроку ОРКСЭ «Основы православной культуры», 4 класс",
        "Программа курса «Религиоведение» для старшеклассников",
        "Национальный проект «Образование»: итоги года",
        "Сборник задач: как бить рекорды в беге на 60 метров",
        "Чем убить время в дороге: настольные игры на переменах",
        "Шах и мат: шахматный кружок для начальной школы",
        "Урок обществознания: как проходят выборы и зачем голосовать",
        "Холокост и Вторая мировая война: урок памяти для 10 класса",
        "Сказка «Иван-дурак» в инсценировке 2 «Б» класса",
        pytest.param(
            "Учебный план и дебаты на уроке: неблагодарный, но волшебный труд",
            marks=pytest.mark.xfail(
                strict=True,
                reason="the learned model holds it for review (insult 0.78): the n-grams of"
                " «дебаты» and «неблагодарный» are near insults'; left for the next training",
            ),
        ),
        "Застрахуйте детей перед экскурсией, напоминание родителям",
        "Материалы: https://resh.edu.ru/subject/lesson/7838/ и https://uchi.ru/teachers",
        "Задачи на проценты: скидки в магазине, вклады, налоги",
        "Иванова Ирина Петровна, учитель математики, МБОУ СОШ № 2",
        "",
        "   ",
    ],
)
def test_teaching_vocabulary_passes(code: ConductCode, text: str):
    verdict = code.check(text)
    assert verdict.action is Action.ALLOW, verdict.hits
    assert not verdict.hits


def test_a_verdict_names_every_hit_with_its_place_in_the_text(code: ConductCode):
    text = "Коллеги, этот д3бил опять прислал ссылку bit.ly/abc"
    verdict = code.check(text)
    assert verdict.blocked
    assert verdict.group_action is GroupAction.DELETE
    by_rule = {hit.rule: hit for hit in verdict.hits}
    assert set(by_rule) == {"insult", "links"}
    insult = by_rule["insult"]
    assert (insult.fragment, insult.start, insult.end) == ("д3бил", 14, 19)
    assert text[insult.start : insult.end] == insult.fragment
    assert insult.clause == "§7.2"
    assert by_rule["links"].fragment == "bit.ly/abc"
    assert verdict.clauses == ("§7.2", "§6")
    assert verdict.as_dicts()[0]["rule"] == "insult"


def test_political_agitation_is_held_for_review_not_refused(code: ConductCode):
    verdict = code.check("Голосуйте за нашего кандидата!")
    assert verdict.action is Action.HOLD
    assert verdict.needs_review and not verdict.blocked


def test_a_pupils_phone_number_and_full_name_with_class_are_held(code: ConductCode):
    assert code.check("Телефон мамы Пети: +7 912 345-67-89").categories == (Category.PUPIL_DATA,)
    assert code.check("Сидоров Павел Андреевич, 7 «Б» класс, не сдал работу").held


def test_a_dry_run_rule_only_reports_what_it_would_do():
    text = rules.set_dry_run(rules.default_text(), "insult", True)
    code = ConductCode.from_text(text)
    verdict = code.check("ты идиот")
    assert verdict.action is Action.ALLOW
    assert not verdict.hits
    # the model's hit in a category on trial is only logged too
    assert [hit.rule for hit in verdict.dry_run_hits if hit.score is None] == ["insult"]


def test_admin_edits_bump_the_version_keep_comments_and_take_effect():
    original = rules.default_text()
    version = rules.parse(original).version
    edited = rules.add_entry(original, "insult", "words", "Балбес")
    assert rules.parse(edited).version == version + 1
    assert "# The community's conduct code" in edited  # comments survive an edit
    assert ConductCode.from_text(edited).check("ну ты балбесы").categories == (Category.INSULT,)
    # the rules alone (the learned model may see an insult there: model:insult)
    assert not [
        h for h in ConductCode.from_text(original).check("ну ты балбесы").hits if h.score is None
    ]

    relaxed = rules.set_action(edited, "spam", Action.FLAG)
    assert ConductCode.from_text(relaxed).check("казино вулкан").action is Action.FLAG
    assert rules.parse(relaxed).version == version + 2

    removed = rules.remove_entry(edited, "insult", "words", "балбес")
    assert not ConductCode.from_text(removed).check("балбес").hits


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version = 1\n", "no [[rule]]"),
        ("version = 0\n[[rule]]\nid='a'\ncategory='spam'\nclause='1'\n", "version"),
        ("version = 1\n[[rule]]\nid='a'\ncategory='gossip'\nclause='1'\n", "rule a"),
        ("version = 1\n[[rule]]\nid='a'\ncategory='spam'\n", "clause is required"),
        ("version = 1\n[[rule]]\nid='a'\ncategory='spam'\nclause='1'\naction='nuke'\n", "rule a"),
        ("version = 1\n[[rule]]\nid='a'\ncategory='spam'\nclause='1'\npatterns=['(']\n", "pattern"),
        ("version = 1\n[[rule]]\nid='a'\ncategory='spam'\nclause='1'\nseverity=9\n", "severity"),
        ("version = [", "TOML"),
    ],
)
def test_a_broken_rules_file_is_refused_with_the_place(text: str, message: str):
    with pytest.raises(RulesError, match=re.escape(message)):
        rules.parse(text)


def test_edits_that_would_break_the_file_are_refused():
    with pytest.raises(RulesError):
        rules.add_entry(rules.default_text(), "no-such-rule", "words", "x")
    with pytest.raises(RulesError):
        rules.add_entry(rules.default_text(), "insult", "patterns", "(")
    with pytest.raises(RulesError):
        rules.remove_entry(rules.default_text(), "insult", "words", "не было такого")


def test_normalisation_keeps_positions_in_the_original_text():
    text = "Ну ты и\u200b д.у.р.а"
    normalized = normalize(text)
    joined = [token for token in normalized.joined if "дура" in token.forms]
    assert joined
    assert text[joined[0].start : joined[0].end] == "д.у.р.а"
