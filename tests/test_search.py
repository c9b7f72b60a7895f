"""Search that understands Russian: word forms, ё/е, English stems, prefixes, filters, and
queries that would break an index's syntax. Runs on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from aiogram.exceptions import TelegramBadRequest
from sqlalchemy import select

from bot.callbacks import MaterialAction, MaterialCallback
from storage.clock import as_utc
from storage.enums import (
    MaterialKind,
    MaterialStatus,
)
from storage.models import MaterialViews
from storage.repositories.materials import SearchFilters
from storage.search import parse_query, rank, split_grade, tokens
from tests.flows import publish, publish_file, register
from tests.harness import BotHarness, Person, button, labels


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("дробь", "fractions"),
        ("дроби", "fractions"),
        ("дробей", "fractions"),
        ("дробями", "fractions"),
        ("ученик", "pupils"),
        ("ученики", "pupils"),
        ("учеников", "pupils"),
        ("ежик", "hedgehog"),
        ("ёжики", "hedgehog"),
        ("ЁЖИК", "hedgehog"),
        ("photosynthesis", "english"),
        ("experiment", "english"),
        ("teach", "english"),
        ("дро", "fractions"),  # still typing
        ("сложение дроб", "fractions"),
    ],
)
async def test_word_forms_find_each_other(repo, library, query, expected) -> None:
    items, _, _ = library

    found = await repo.materials.search(query)

    assert found[:1] == [items[expected].id]


@pytest.mark.parametrize(
    ("query", "finds_fractions"),
    [
        # A query with no words left shows the newest materials, as an empty search does.
        ('"', True),
        ('""дробь', True),
        ("дробь*", True),
        ("*", True),
        ("(дроби", True),
        ("дроби)", True),
        ("дроби AND", True),  # operator words are not searched for
        ("OR NOT", True),
        ("NEAR(дробь урок)", True),
        ("title:дробь", False),  # "title" is just a word here, and no material has it
        ("дробь^5", True),
        ("'; DROP TABLE materials; --", False),
        ("дробь & | !", True),
        ("\\", True),
        ("'", True),
        (":*", True),
        ("😀 дроби", True),
        ("", True),
        ("   ", True),
    ],
)
async def test_index_syntax_in_a_query_never_errors(repo, library, query, finds_fractions) -> None:
    items, _, _ = library

    found = await repo.materials.search(query)

    assert (items["fractions"].id in found) is finds_fractions


async def test_all_words_must_match(repo, library) -> None:
    items, _, _ = library
    assert await repo.materials.search("дроби ученики") == []
    assert await repo.materials.search("работа учениками") == [items["pupils"].id]


async def test_filters_by_community_kind_and_grade(repo, library) -> None:
    items, maths, biology = library

    assert await repo.materials.search("урок", SearchFilters(community_id=maths.id)) == [
        items["fractions"].id
    ]
    assert await repo.materials.search("урок", SearchFilters(community_id=biology.id)) == []
    assert await repo.materials.search("", SearchFilters(kind=MaterialKind.VIDEO.value)) == [
        items["hedgehog"].id
    ]
    assert await repo.materials.search("мотивировать", SearchFilters(grade=7)) == [
        items["pupils"].id
    ]
    assert await repo.materials.search("мотивировать", SearchFilters(grade=5)) == []


async def test_title_matches_rank_first(repo, library) -> None:
    items, maths, _ = library
    author = items["fractions"].author
    body_only = await publish(
        repo, author, maths, "Контрольная работа", description="проверка навыков сложения дробей"
    )
    await repo.session.commit()

    found = await repo.materials.search("дроби")

    assert found == [items["fractions"].id, body_only.id]


async def test_a_title_with_every_word_asked_outranks_one_word_repeated(repo, library) -> None:
    """ "сложение дробей": a lesson titled with both words comes before one whose title
    repeats "дроби" three times and names "сложение" only in its description, newer or
    not; among titles alike, the body decides, then the newer."""
    items, maths, _ = library
    author = items["fractions"].author
    both = await publish(repo, author, maths, "Сложение дробей с разными знаменателями")
    repeated = await publish(
        repo, author, maths, "Дроби, дроби и ещё раз дроби", description="сложение и вычитание"
    )
    both_and_body = await publish(
        repo, author, maths, "Сложение дробей", description="сложение дробей на уроке"
    )
    await repo.session.commit()

    found = await repo.materials.search("сложение дробей")

    # the library's own "Сложение дробей" names дроби once in its description
    assert found == [both_and_body.id, items["fractions"].id, both.id, repeated.id]


def test_rank_by_words_covered_then_body_then_recommendation_then_freshness() -> None:
    query = parse_query("сложение дробей", typing=False)

    def row(number: int, title: str, body: str = "", recommended: bool = False):
        return number, " ".join(tokens(title)), " ".join(tokens(body)), "e1x" * recommended

    rows = [
        row(1, "Сложение дробей"),  # both in the title, the oldest
        row(2, "Дроби, дроби, дроби", "сложение, сложение", recommended=True),
        row(3, "Дроби", "сложение"),  # one word in the title, the newest
        row(4, "Сложение дробей", recommended=True),
        row(5, "Сложение дробей", "дроби"),  # both, and one in the body too
    ]
    assert rank(query, rows) == [5, 4, 1, 2, 3]


async def test_withdrawn_materials_are_not_found(repo, library) -> None:
    items, _, _ = library
    author = items["fractions"].author

    await repo.materials.withdraw(items["fractions"].id, author)
    await repo.session.commit()

    assert await repo.materials.search("дроби") == []
    assert items["fractions"].status is MaterialStatus.WITHDRAWN


def test_normalisation_is_shared_by_index_and_query() -> None:
    assert tokens("Ёлки и ЕЛКИ") == tokens("елки и елки")
    assert parse_query("дробями", typing=False).terms == ("дроб",)
    assert parse_query("5 класс").terms == ("5",)
    assert parse_query("5 класс").prefix == "класс"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("дроби 6 класс", ("дроби", 6)),
        ("дроби для 6 класса", ("дроби", 6)),
        ("дроби в 6-м классе", ("дроби", 6)),
        ("6 кл. дроби", ("дроби", 6)),
        ("fractions for grade 5", ("fractions", 5)),
        ("5 класс", ("", 5)),
        ("дроби 6", ("дроби 6", None)),  # a bare number may be anything
        ("23 класс", ("23 класс", None)),  # no such grade
        ("класс дроби", ("класс дроби", None)),
    ],
)
def test_a_grade_in_a_query_is_a_filter(raw, expected) -> None:
    assert split_grade(raw) == expected


# --- through the bot: the menu button, plain text, the results screen, the card ------------


READER = Person(id=7104, first_name="Пётр")
STRANGER = Person(id=7105, first_name="Гость")


def not_modified(method) -> TelegramBadRequest:
    return TelegramBadRequest(
        method=method,
        message="Bad Request: message is not modified: specified new message content and"
        " reply markup are exactly the same as a current content and reply markup of the message",
    )


def apologies(h: BotHarness, person: Person) -> list[str]:
    """The generic error text, in a message or a button's alert."""
    said = [getattr(c.method, "text", None) or "" for c in h.sent_to(person.id)]
    return [text for text in [*said, *h.alerts()] if "пошло не так" in text]


def rows(message) -> list[list[str]]:
    return [[b.text for b in row] for row in message.reply_markup.inline_keyboard]


async def test_the_menu_search_button_asks_what_to_find(harness: BotHarness, repo, library) -> None:
    h = harness
    await register(h, READER, full_name="Петров Пётр")

    await h.send(READER, "🔎 Найти материал")

    assert h.last_message(READER.id).text.startswith("Что ищем?")
    await h.send(READER, "дробями")
    assert h.last_message(READER.id).text.startswith("🔎 «дробями»: 1 материал")


async def test_plain_text_outside_a_dialog_is_a_search(harness: BotHarness, repo, library) -> None:
    h = harness
    await register(h, READER, full_name="Петров Пётр")

    await h.send(READER, "сложение дробей")

    results = h.last_message(READER.id)
    assert results.text.startswith("🔎 «сложение дробей»: 1 материал")
    assert "Сложение дробей" in results.text


async def test_a_teacher_types_words_and_a_grade(harness: BotHarness, repo, library) -> None:
    h = harness
    items, maths, _ = library
    await publish(repo, items["fractions"].author, maths, "Деление дробей", grades=(6,))
    await repo.session.commit()
    await register(h, READER, full_name="Петров Пётр")

    await h.send(READER, "дроби 6 класс")

    results = h.last_message(READER.id)
    assert results.html_text.startswith("🔎 «дроби»: 1 материал\n\n1. <b>Деление дробей</b>")
    assert "Класс: 6" in labels(results)
    await h.tap(READER, results, "Класс: 6")
    await h.tap(READER, h.now(results), "Все классы")
    assert h.now(results).text.startswith("🔎 «дроби»: 2 материала")


async def test_typed_text_does_not_search_for_a_stranger_or_inside_a_dialog(
    harness: BotHarness, repo, library
) -> None:
    h = harness
    await h.send(STRANGER, "дроби")
    assert h.last_message(STRANGER.id).text == (
        "Сначала нужно дать согласие на обработку персональных данных — отправьте /start."
    )

    await register(h, READER, full_name="Петров Пётр")
    await h.send(READER, "/no_such_command")
    assert h.last_message(READER.id).text.startswith("Не понял сообщение.")

    await h.send(READER, "/profile")
    await h.tap(READER, h.last_message(READER.id), "ФИО")
    await h.send(READER, "Петров Пётр Ильич")  # the dialog takes it, not the search
    assert not h.last_message(READER.id).text.startswith("🔎")


async def test_results_are_a_numbered_list_with_number_buttons_and_worded_filters(
    harness: BotHarness, repo, library
) -> None:
    h = harness
    items, maths, _ = library
    author = items["fractions"].author
    for n in range(6):
        await publish(repo, author, maths, f"Дроби: задачи для отработки навыка, вариант {n + 1}")
    await repo.session.commit()
    await register(h, READER, full_name="Петров Пётр")

    await h.send(READER, "/search дроби")

    results = h.last_message(READER.id)
    assert results.text.startswith("🔎 «дроби»: 7 материалов")
    # Whole titles in the text, with kind, community and grades on a line of their own.
    assert "\n\n1. <b>Сложение дробей</b>\nурок · Математики · 5 кл.\n\n2. <b>" in results.html_text
    assert "5. <b>Дроби: задачи для отработки навыка, вариант" in results.html_text
    assert rows(results)[0] == ["1", "2", "3", "4", "5"]
    assert rows(results)[1] == ["1 / 2", "▶"]
    assert rows(results)[2:] == [
        ["Сообщество: все"],
        ["Вид: все", "Класс: все"],
        ["💬 Искать в обсуждениях"],
    ]
    for row in results.reply_markup.inline_keyboard:
        for b in row:
            assert len(b.callback_data.encode()) < 64
            assert len(b.text) <= 36 // len(row)  # fits a 390 px wide phone

    # The page number is a button too; pressing it changes nothing, and says nothing.
    h.session.fail("editMessageText", READER.id, not_modified)
    await h.tap(READER, results, "1 / 2")
    assert apologies(h, READER) == []
    h.session.failures.clear()

    await h.tap(READER, results, "▶")
    second = h.now(results)
    assert rows(second)[0] == ["6", "7"]
    assert "6. <b>" in second.html_text and "1. <b>" not in second.html_text

    await h.tap(READER, second, "7")
    card = h.now(results)
    assert card.html_text.startswith("<b>Дроби: задачи для отработки навыка, вариант")
    await h.tap(READER, card, "← К результатам")
    assert rows(h.now(results))[0] == ["6", "7"]  # back on the page it was opened from


async def test_choosing_a_filter_leads_back_and_says_what_it_filters(
    harness: BotHarness, repo, library
) -> None:
    h = harness
    await register(h, READER, full_name="Петров Пётр")
    await h.send(READER, "/search урок")
    results = h.last_message(READER.id)

    await h.tap(READER, results, "Сообщество: все")
    assert h.now(results).text == "Материалы какого сообщества показать?"
    assert labels(h.now(results)) == [
        "Все сообщества",
        "Биологи",
        "Математики",
        "← К результатам",
    ]
    await h.tap(READER, h.now(results), "← К результатам")
    assert h.now(results).text.startswith("🔎 «урок»")

    await h.tap(READER, h.now(results), "Сообщество: все")
    await h.tap(READER, h.now(results), "Биологи")
    assert "Сообщество: Биологи" in labels(h.now(results))
    await h.tap(READER, h.now(results), "Вид: все")
    await h.tap(READER, h.now(results), "Видео")
    assert "Вид: видео" in labels(h.now(results))
    await h.tap(READER, h.now(results), "Класс: все")
    await h.tap(READER, h.now(results), "2 кл.")
    assert "Класс: 2" in labels(h.now(results))
    # Nothing found still offers the filters.
    await h.tap(READER, h.now(results), "Класс: 2")
    await h.tap(READER, h.now(results), "9 кл.")
    assert "ничего не нашлось" in h.now(results).text
    assert "Класс: 9" in labels(h.now(results))


async def test_a_download_refreshes_the_card_counters(harness: BotHarness, repo, library) -> None:
    h = harness
    items, maths, _ = library
    await publish_file(repo, items["fractions"].author, maths, "Тригонометрия", size=391)
    await register(h, READER, full_name="Петров Пётр")
    await h.send(READER, "тригонометрия")
    await h.tap(READER, h.last_message(READER.id), "1")
    card = h.last_message(READER.id)
    assert "👁 1 · ⬇ 0" in card.text
    assert "📄 Тригонометрия.pdf (391 Б)" in card.text

    await h.tap(READER, card, "Скачать")

    assert [c.method.document for c in h.session.calls if c.name == "sendDocument"] == [
        "file-Тригонометрия"
    ]
    assert "👁 1 · ⬇ 1" in h.now(card).text

    # When Telegram finds nothing to change on the card, the file still arrives, no apology.
    h.session.fail("editMessageText", READER.id, not_modified)
    await h.tap(READER, h.now(card), "Скачать")
    assert len([c for c in h.session.calls if c.name == "sendDocument"]) == 2
    assert apologies(h, READER) == []


@pytest.mark.parametrize(
    ("size", "ru", "en"),
    [
        (0, "0 Б", "0 B"),
        (391, "391 Б", "391 B"),
        (999, "999 Б", "999 B"),
        (1023, "1 КБ", "1 KB"),
        (1_048_575, "1 МБ", "1 MB"),
        (12_300, "12 КБ", "12 KB"),
        (1_000_000, "977 КБ", "977 KB"),
        (3_565_158, "3,4 МБ", "3.4 MB"),
        (50 * 1024 * 1024, "50 МБ", "50 MB"),
        (2 * 1024**3, "2 ГБ", "2 GB"),  # a refused 2 GB zip is named so, not "2 048 МБ"
        (1_500_000_000, "1,4 ГБ", "1.4 GB"),
    ],
)
def test_file_sizes_read_in_bytes_kilobytes_megabytes_or_gigabytes(i18n, size, ru, en) -> None:
    from notices.material_cards import file_size_text

    assert file_size_text(i18n.translator("ru"), size) == ru
    assert file_size_text(i18n.translator("en"), size) == en


async def test_the_card_leads_back_wherever_it_was_opened(
    harness: BotHarness, repo, library
) -> None:
    h = harness
    items, _, _ = library
    await register(h, READER, full_name="Петров Пётр")

    # Opened by a link, with no search behind it: Back shows the newest materials.
    await h.send(READER, f"/start m_{items['fractions'].id}")
    card = h.last_message(READER.id)
    await h.tap(READER, card, "← К результатам")
    assert h.now(card).text.startswith("🆕 Новые материалы")
    assert rows(h.now(card))[0] == ["1", "2", "3", "4"]

    # From the report reasons, Back returns to the card.
    await h.tap(READER, h.now(card), "1")
    await h.tap(READER, h.now(card), "Пожаловаться")
    await h.tap(READER, h.now(card), "Назад")
    assert "⬇ Скачать" in labels(h.now(card))


async def test_an_author_returns_from_a_card_to_my_materials(
    harness: BotHarness, repo, library
) -> None:
    h = harness
    author = Person(id=1, first_name="Автор")  # the library's author, consented already
    await h.send(author, "/my_materials")
    mine = h.last_message(author.id)
    await h.press(
        author,
        mine,
        button(mine, "Сложение дробей").callback_data,
    )
    assert "← Мои материалы" in labels(h.now(mine))
    await h.tap(author, h.now(mine), "← Мои материалы")
    assert h.now(mine).html_text.startswith("<b>Мои материалы</b>")
    assert MaterialCallback.unpack(button(h.now(mine), "Сложение").callback_data).action is (
        MaterialAction.OPEN
    )


async def test_titles_and_community_names_are_escaped_in_the_list(
    harness: BotHarness, repo, library
) -> None:
    h = harness
    items, maths, _ = library
    maths.title = "Математики <5–9> & физики"
    await publish(repo, items["fractions"].author, maths, "Дроби <b>жирно</b>")
    await repo.session.commit()
    await register(h, READER, full_name="Петров Пётр")

    await h.send(READER, "жирно")

    assert h.last_message(READER.id).html_text == (
        "🔎 «жирно»: 1 материал\n\n1. <b>Дроби &lt;b&gt;жирно&lt;/b&gt;</b>\n"
        "урок · Математики &lt;5–9&gt; &amp; физики · 5 кл."
    )


async def test_card_openings_are_counted_per_hour_for_the_reports(
    harness: BotHarness, repo, library
) -> None:
    """Issue 18's "demand for resources" per period: each opening of a card counts in its
    hour (UTC), without who opened it; the card's own counter goes on as before."""
    h = harness
    items, _, _ = library
    fractions_id = items["fractions"].id
    await register(h, READER, full_name="Петров Пётр")
    opened = MaterialCallback(action=MaterialAction.OPEN, material_id=fractions_id).pack()

    await h.send(READER, "дроби")
    for _ in range(2):
        await h.press(READER, h.last_message(READER.id), opened)
    first_hour = h.clock().replace(minute=0, second=0, microsecond=0)
    h.clock.advance(3600)
    await h.press(READER, h.last_message(READER.id), opened)

    repo.session.expire_all()
    rows = (
        await repo.session.execute(
            select(MaterialViews.hour, MaterialViews.views)
            .where(MaterialViews.material_id == fractions_id)
            .order_by(MaterialViews.hour)
        )
    ).all()
    assert [(as_utc(hour), views) for hour, views in rows] == [
        (first_hour, 2),
        (first_hour + timedelta(hours=1), 1),
    ]
    assert (await repo.materials.get(fractions_id)).views == 3
