"""Hostile input (issue 14): Unicode digits, numbers beyond the database's integers, unknown
values in button data and control characters each get the command's own answer, never the
apology."""

import pytest
from aiogram.types import InlineQuery, Update
from sqlalchemy import select

from bot.i18n import I18n
from storage.enums import GlobalRole, MaterialStatus
from storage.models import Event, Material, ReviewItem
from storage.numbers import DB_INT_MAX, parse_id, parse_int, parse_telegram_id
from tests.conftest import ADMIN
from tests.flows import (
    linked_group,
    make_community,
    material,
    methodist,
    open_manage,
    register,
    setup_community,
    share_document,
)
from tests.harness import BotHarness, labels, texts
from tests.people import GROUP, METHODIST, MODERATOR, READER, STRANGER, TEACHER

APOLOGY = "Извините, что-то пошло не так"
STALE = "Эта кнопка устарела. Откройте раздел заново."
HUGE = str(2**63)  # one past the largest BIGINT
HUGER = "9" * 30  # beyond decimal's 28 digits too


def no_apology(h: BotHarness) -> None:
    said = texts(h.session.calls) + h.alerts()
    assert not [text for text in said if APOLOGY in text], said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("²", None),
        ("⁵", None),
        ("①", None),
        ("٣", None),  # an Arabic-Indic digit: int() takes it, we do not
        ("-1", None),
        ("", None),
        (None, None),
        (str(DB_INT_MAX), DB_INT_MAX),
        (HUGE, None),
        (HUGER, None),
    ],
)
def test_numbers_are_ascii_digits_within_the_databases_range(text, expected) -> None:
    assert parse_int(text) == expected


def test_ids_and_telegram_ids() -> None:
    assert parse_id("0") is None
    assert parse_id("15") == 15
    assert parse_telegram_id("-100555") == -100555
    assert parse_telegram_id("-⁵") is None
    assert parse_telegram_id("9" * 17) is None


def test_a_number_longer_than_decimal_holds_is_still_a_text(i18n: I18n) -> None:
    # fluent formats numbers through decimal: 30 digits raised decimal.InvalidOperation
    assert i18n.translator("ru")("grade-short", grade=int(HUGER)) == f"{HUGER} кл."


# --- commands ---------------------------------------------------------------------------------


async def test_sanction_commands_with_unicode_digits_and_huge_numbers_get_their_usage(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await linked_group(h, repo)
    for bad in ("²³", "①", HUGE, HUGER):
        await h.send(MODERATOR, f"/lift {bad}")
        assert h.last_message(MODERATOR.id).html_text.startswith("Напишите: <code>/lift &lt;номер")
        await h.send(MODERATOR, f"/ladder {bad}")
        assert h.last_message(MODERATOR.id).html_text.startswith(
            "Напишите: <code>/ladder &lt;номер"
        )
        await h.send(MODERATOR, f"/ladder {community.id} warnings_to_mute {bad}")
        assert h.last_message(MODERATOR.id).html_text.startswith(
            "Напишите: <code>/ladder &lt;номер"
        )
        await h.send(MODERATOR, f"/history {bad}")
        assert h.last_message(MODERATOR.id).text.startswith("Не знаю участника")
        await h.send(MODERATOR, f"/warn -{bad} причина")
        assert h.last_message(MODERATOR.id).text.startswith("Не знаю участника")
        await h.send(STRANGER, f"/appeal {bad} я не согласен")
        assert h.last_message(STRANGER.id).text.startswith("Чтобы обжаловать санкцию")
    no_apology(h)


async def test_rules_stats_and_link_with_unicode_digits(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    for bad in ("²", HUGE):
        await h.send(ADMIN, f"/rules_stats {bad}")
        assert h.last_message(ADMIN.id).text.startswith("Напишите: /rules_stats")
        await h.send(ADMIN, f"/link {bad}", chat=GROUP)
        assert h.last_message(GROUP.id).text.startswith("Формат: /link")
    no_apology(h)


async def test_the_admin_names_a_staff_member_by_a_unicode_or_huge_number(
    harness: BotHarness, repo
) -> None:
    h = harness
    await register(h, ADMIN, full_name="Админов Админ")
    await make_community(repo, "Математики")
    await open_manage(h, "Математики")
    await h.tap(ADMIN, h.last_message(ADMIN.id), "Назначить модератора")
    for bad in ("⁵", HUGE, f"-{HUGER}"):
        await h.send(ADMIN, bad)
        assert h.last_message(ADMIN.id).text.startswith("Не нашёл зарегистрированного")
    await h.send(ADMIN, f"/grant {HUGE} coordinator")
    assert h.last_message(ADMIN.id).text.startswith("Не нашёл зарегистрированного")
    no_apology(h)


async def test_deep_links_with_unicode_digits_and_huge_ids_greet(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, READER)
    for payload in ("c_²³", f"m_{HUGE}", f"t_{HUGER}", "x_①"):
        calls = await h.send(READER, f"/start {payload}")
        assert texts(calls), payload
    no_apology(h)


async def test_an_inline_query_with_a_forged_offset(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, READER)
    for offset in ("²", HUGE, HUGER):
        query = InlineQuery(id=f"q{offset}", from_user=READER.tg, query="дроби", offset=offset)
        calls = await h.feed(Update(update_id=next(h.update_ids), inline_query=query))
        assert [c.name for c in calls] == ["answerInlineQuery"]


# --- dialogs ----------------------------------------------------------------------------------


async def test_event_duration_and_capacity_refuse_unicode_and_huge_numbers(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Семинар")
    await h.send(METHODIST, "Функциональная грамотность")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Пропустить")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.send(METHODIST, "25.12.2026 15:00")
    for bad in ("²³", HUGE):
        await h.send(METHODIST, bad)
        assert h.last_message(METHODIST.id).text.startswith("Продолжительность — число минут")
    await h.send(METHODIST, "90")
    await h.send(METHODIST, "Школа № 1")
    for bad in ("①", HUGE):
        await h.send(METHODIST, bad)
        assert h.last_message(METHODIST.id).text == "Число мест — от 1 до 100000."
    no_apology(h)


async def test_a_nul_typed_in_the_event_form_still_publishes_the_event(
    harness: BotHarness, repo
) -> None:
    """PostgreSQL refuses NUL in text: the event used to fail at the final INSERT."""
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo)
    await h.send(METHODIST, "/new_event")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Семинар")
    await h.send(METHODIST, "Функциональная\x00грамотность")
    await h.send(METHODIST, "Для\x00учителей\x07 5–9 классов")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.send(METHODIST, "25.12.2026 15:00")
    await h.send(METHODIST, "90\x00")
    await h.send(METHODIST, "Школа\x00№ 1")
    await h.send(METHODIST, "30")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Один раз")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Опубликовать")
    assert h.last_message(METHODIST.id).text.startswith("📣 Мероприятие опубликовано.")
    event = await repo.session.scalar(select(Event))
    assert (event.title, event.description, event.place) == (
        "Функциональная грамотность",
        "Для учителей  5–9 классов",
        "Школа № 1",
    )
    no_apology(h)


# --- forged buttons ---------------------------------------------------------------------------


async def test_forged_buttons_with_unicode_or_huge_numbers_are_stale(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(READER, "/search")
    await h.send(READER, "дроби")
    results = h.last_message(READER.id)
    forged = [
        "sf2:g:0:²:",
        f"sf2:c:0:{HUGE}:",
        f"sf2:g:0:{HUGER}:",
        "sf2:k:0::nonsense",
        f"cm1:card:{HUGE}:0",
        "cm1:card:-1:0",
        f"mt1:open:{HUGER}:0",
        f"mt1:page:0:{HUGE}",
        f"th1:open:0:{HUGE}:0:0",
        f"ev2:open:{HUGE}::::",
        f"rv2:ok:{HUGE}:::::",
        "qu1:show:0:bogus:0",
        f"qu1:show:0::{HUGE}",
        f"sb2:draft:{HUGE}:0:::::",
        f"apl1:go:{HUGE}",
        "pf2:orgp::²:::::",
        "pf2:org:①:0:::::",
        f"pf2:org:{HUGE}:0:::::",
    ]
    for data in forged:
        before = len(h.alerts())
        await h.press(READER, results, data)
        assert h.alerts()[before:], data
    no_apology(h)


async def test_a_moderator_presses_a_queue_filter_with_an_unknown_source(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(MODERATOR, "/queue")
    await h.press(MODERATOR, h.last_message(MODERATOR.id), "qu1:show:0:nonsense:0")
    assert h.alerts()[-1] == STALE
    no_apology(h)


async def test_forged_share_buttons_are_stale(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    user = await repo.users.by_telegram_id(READER.id)
    await repo.users.grant_role(user, GlobalRole.METHODIST, None)
    await repo.session.commit()
    await h.send(READER, "/share")
    screen = h.last_message(READER.id)
    for data in (
        "sh2:grade:::²:",
        f"sh2:grade:::{HUGE}:",
        f"sh2:comm:{HUGE}:::",
        "sh2:comm:①:::",
        "sh2:kind::nonsense::",
    ):
        before = len(h.alerts())
        await h.press(READER, screen, data)
        assert h.alerts()[before:], data
    no_apology(h)


async def test_yesterdays_buttons_of_a_changed_layout_are_stale_but_the_card_works(
    harness: BotHarness, repo
) -> None:
    """A button sent before its callback layout changed (rv1 -> rv2: typed fields instead of
    one packed value) is never read with the new layout: the reasons and fixes an old
    keyboard offered are answered as stale, while the card's own buttons (approve, reject,
    changes, fix, file) keep working, since a moderator may open yesterday's card."""
    h = harness
    await setup_community(h, repo)
    await share_document(h)
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Отправить")
    card = h.last_message(MODERATOR.id)
    item_id = (await repo.session.scalar(select(ReviewItem))).id

    for data in (
        f"rv1:why:{item_id}:reject.offtopic",
        f"rv1:fk:{item_id}:recommendations",
        f"rv1:fg:{item_id}:7",
    ):
        before = len(h.alerts())
        await h.press(MODERATOR, card, data)
        assert h.alerts()[before:] == [STALE], data
    shared = await material(repo)
    assert shared.status is MaterialStatus.PENDING
    assert shared.grades == [5, 6]
    no_apology(h)

    # The old card's "Reject" opens today's reasons; its "Approve" approves.
    await h.press(MODERATOR, card, f"rv1:rej:{item_id}:")
    assert "Не по теме" in " ".join(labels(h.now(card)))
    await h.press(MODERATOR, card, f"rv1:ok:{item_id}:")
    repo.session.expire_all()
    assert (await material(repo)).status is MaterialStatus.PUBLISHED
    assert "Одобрено" in h.now(card).text
    no_apology(h)


@pytest.mark.parametrize("who", ["⁵", "①", HUGE])
def test_the_cli_names_no_user_for_a_unicode_or_huge_number(
    who: str, monkeypatch: pytest.MonkeyPatch, tmp_path, capsys
) -> None:
    from bot.cli import main

    for name in list(__import__("os").environ):
        if name.startswith("METODSET_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    assert main(["admin", "grant", who, "coordinator"]) == 1
    assert f"no registered user {who}" in capsys.readouterr().err


async def test_a_nul_in_a_file_name_is_not_stored(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/share")
    await h.send_document(TEACHER, "План\x00урока.pdf")
    assert h.last_message(TEACHER.id).text.startswith("Шаг 2 из 7. Название материала")
    draft = await repo.session.scalar(select(Material))
    assert draft.file_name == "План урока.pdf"
    no_apology(h)
