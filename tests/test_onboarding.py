"""/start, the 152-ФЗ consent and the profile dialog, as a teacher goes through them."""

from aiogram.exceptions import TelegramRetryAfter
from aiogram.types import ReplyKeyboardMarkup
from sqlalchemy import func, select

from storage.clock import as_utc
from storage.enums import OrganisationKind, Position, UserStatus
from storage.models import Organisation, User
from tests.flows import make_community, make_moderator, register
from tests.harness import BotHarness, Person, labels, texts

TEACHER = Person(id=1001, first_name="Мария", username="maria_t")


async def user_row(repo, person: Person) -> User | None:
    repo.session.expire_all()
    return await repo.users.by_telegram_id(person.id)


async def test_start_greets_and_asks_consent_storing_only_the_id(harness: BotHarness, repo) -> None:
    h = harness
    calls = await h.send(TEACHER, "/start")

    greeting, consent = texts(calls)
    assert "Методсеть" in greeting
    assert "152-ФЗ" in consent and "/delete_me" in consent
    assert labels(h.last_message(TEACHER.id)) == ["✅ Согласен(на)", "Не согласен(на)"]
    user = await user_row(repo, TEACHER)
    assert user.status is UserStatus.NEW
    assert (user.full_name, user.username, user.consent_at) == (None, None, None)


async def test_declining_consent_stores_nothing_and_explains(harness: BotHarness, repo) -> None:
    h = harness
    await h.send(TEACHER, "/start")
    calls = await h.tap(TEACHER, h.last_message(TEACHER.id), "Не согласен")

    assert "не сохранены" in texts(calls)[0]
    user = await user_row(repo, TEACHER)
    assert user.status is UserStatus.NEW and user.username is None


async def test_features_need_consent(harness: BotHarness) -> None:
    h = harness
    calls = await h.send(TEACHER, "/communities")

    assert texts(calls) == [
        "Сначала нужно дать согласие на обработку персональных данных — отправьте /start."
    ]


async def test_full_onboarding_stores_the_profile(harness: BotHarness, repo, clock) -> None:
    h = harness
    await register(h, TEACHER, subjects=("Математика", "Информатика"))

    user = await user_row(repo, TEACHER)
    assert user.status is UserStatus.ACTIVE
    assert as_utc(user.consent_at) < clock.now
    assert user.full_name == "Иванова Мария Петровна"
    assert user.username == "maria_t"
    assert user.position is Position.SUBJECT_TEACHER
    assert user.subjects == ["math", "informatics"]
    assert user.organisation.name == "МБОУ СОШ № 1"
    assert user.organisation.kind is OrganisationKind.SCHOOL
    sent = h.sent_to(TEACHER.id)
    card = next(c for c in sent if c.text.startswith("<b>Ваш профиль</b>"))
    assert "Математика, Информатика" in card.text
    assert isinstance(card.reply_markup, ReplyKeyboardMarkup)
    assert h.last_message(TEACHER.id).text.startswith("Теперь выберите сообщество")


async def test_existing_organisation_is_picked_from_the_list(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    colleague = Person(id=1002, first_name="Ольга")
    await h.send(colleague, "/start")
    await h.tap(colleague, h.last_message(colleague.id), "Согласен")
    await h.send(colleague, "Петрова Ольга Ивановна")

    step = h.last_message(colleague.id)
    assert "МБОУ СОШ № 1" in labels(step)
    await h.tap(colleague, step, "МБОУ СОШ № 1")
    await h.tap(colleague, h.last_message(colleague.id), "Воспитатель")
    await h.tap(colleague, h.last_message(colleague.id), "Готово")

    user = await user_row(repo, colleague)
    assert user.organisation.name == "МБОУ СОШ № 1"
    assert user.position is Position.KINDERGARTEN_TEACHER and user.subjects == []
    assert await repo.session.scalar(select(func.count()).select_from(Organisation)) == 1


async def test_typed_organisation_matches_existing_case_insensitively(
    harness: BotHarness, repo
) -> None:
    h = harness
    await register(h, TEACHER, organisation="Детский сад «Солнышко»")
    await register(h, Person(id=1003), organisation="детский  сад «солнышко»")

    assert await repo.session.scalar(select(func.count()).select_from(Organisation)) == 1


async def test_bad_name_is_refused_with_an_example(harness: BotHarness, repo) -> None:
    h = harness
    await h.send(TEACHER, "/start")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")

    for bad in ("12345", "x" * 151, "!!! ???"):
        calls = await h.send(TEACHER, bad)
        assert "Иванова Мария Петровна" in texts(calls)[0], bad
    assert (await user_row(repo, TEACHER)).full_name is None


async def test_text_where_buttons_are_expected(harness: BotHarness) -> None:
    h = harness
    await h.send(TEACHER, "/start")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")
    await h.send(TEACHER, "Иванова Мария")
    await h.send(TEACHER, "Гимназия № 2")

    calls = await h.send(TEACHER, "школа")

    assert "кнопкой" in texts(calls)[0]


async def test_back_returns_to_the_previous_step(harness: BotHarness) -> None:
    h = harness
    await h.send(TEACHER, "/start")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")
    await h.send(TEACHER, "Иванова Мария")
    await h.send(TEACHER, "Гимназия № 2")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Школа")

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Назад")

    assert h.last_message(TEACHER.id).text.startswith("Напишите название вашей организации")


async def test_cancel_midway_leaves_nothing_half_written(harness: BotHarness, repo) -> None:
    h = harness
    await h.send(TEACHER, "/start")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Согласен")
    await h.send(TEACHER, "Иванова Мария")
    await h.send(TEACHER, "Гимназия № 2")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Школа")

    calls = await h.tap(TEACHER, h.last_message(TEACHER.id), "Отмена")

    assert "ничего не сохранено" in texts(calls)[0]
    user = await user_row(repo, TEACHER)
    assert user.full_name is None and user.organisation_id is None
    assert await repo.session.scalar(select(func.count()).select_from(Organisation)) == 0


async def test_profile_edit_of_one_field(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/profile")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "ФИО")

    calls = await h.send(TEACHER, "Сидорова Мария Петровна")

    assert "ФИО: Сидорова Мария Петровна" in texts(calls)[0]
    assert (await user_row(repo, TEACHER)).full_name == "Сидорова Мария Петровна"


async def test_time_zone_is_chosen_from_russian_zones(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/profile")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Часовой пояс")
    assert len(labels(h.last_message(TEACHER.id))) == 12  # eleven zones and "cancel"

    await h.tap(TEACHER, h.last_message(TEACHER.id), "Екатеринбург")

    assert (await user_row(repo, TEACHER)).time_zone == "Asia/Yekaterinburg"
    # The card names the zone as the picker did, not by its IANA name.
    assert "Часовой пояс: Екатеринбург (МСК+2)" in h.last_message(TEACHER.id).text
    calls = await h.send(TEACHER, "/profile")
    assert "Часовой пояс: Екатеринбург (МСК+2)" in texts(calls)[0]


async def test_a_zone_not_in_the_picker_is_shown_by_its_name(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    user = await user_row(repo, TEACHER)
    await repo.users.set_time_zone(user, "Asia/Novosibirsk")
    await repo.session.commit()

    calls = await h.send(TEACHER, "/profile")

    assert "Часовой пояс: Asia/Novosibirsk" in texts(calls)[0]


async def test_profile_names_community_roles(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    maths = await make_community(repo, "Учителя математики")
    physics = await make_community(repo, "Физики")
    await make_moderator(repo, TEACHER, maths)
    await h.send(TEACHER, "/communities")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Физики")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Вступить")
    assert physics.id

    calls = await h.send(TEACHER, "/profile")

    # A plain membership is no role; moderating a community is.
    assert "Роли: модератор: Учителя математики" in texts(calls)[0]
    assert "Физики" not in texts(calls)[0]


async def test_html_in_a_name_is_shown_escaped(harness: BotHarness) -> None:
    h = harness
    await register(h, TEACHER, full_name="Мария <b>Жирная</b>")
    card = next(c for c in h.sent_to(TEACHER.id) if c.text.startswith("<b>Ваш профиль</b>"))
    assert "Мария &lt;b&gt;Жирная&lt;/b&gt;" in card.text


async def test_flood_control_on_the_new_menu_keeps_the_language_chosen(
    harness: BotHarness, repo
) -> None:
    """Tapping fast, a person can draw Telegram's flood control onto the second message the
    choice sends (the menu in the new language): the choice they saw confirmed stays."""
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/language")
    h.session.fail(
        "sendMessage",
        TEACHER.id,
        lambda method: TelegramRetryAfter(
            method=method, message="Too Many Requests: retry after 60", retry_after=60
        ),
    )

    calls = await h.tap(TEACHER, h.last_message(TEACHER.id), "English")

    assert texts(calls) == ["Language: English."]
    assert (await user_row(repo, TEACHER)).locale == "en"
    h.session.failures.clear()
    assert "No communities yet" in texts(await h.send(TEACHER, "/communities"))[0]


async def test_language_switch_to_english(harness: BotHarness, repo) -> None:
    h = harness
    await register(h, TEACHER)
    await h.send(TEACHER, "/language")
    calls = await h.tap(TEACHER, h.last_message(TEACHER.id), "English")

    assert texts(calls)[0] == "Language: English."
    assert (await user_row(repo, TEACHER)).locale == "en"
    calls = await h.send(TEACHER, "/communities")
    assert "No communities yet" in texts(calls)[0]
