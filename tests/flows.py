"""Whole user flows through the bot, reused by tests that need a registered teacher."""

from tests.harness import BotHarness, Person


async def register(
    h: BotHarness,
    person: Person,
    *,
    full_name: str = "Иванова Мария Петровна",
    organisation: str = "МБОУ СОШ № 1",
    position_label: str = "Учитель-предметник",
    subjects: tuple[str, ...] = ("Математика",),
) -> None:
    """/start → consent → profile, typing a new organisation (a school)."""
    await h.send(person, "/start")
    await h.tap(person, h.last_message(person.id), "Согласен")
    await h.send(person, full_name)
    await h.send(person, organisation)
    await h.tap(person, h.last_message(person.id), "Школа")
    await h.tap(person, h.last_message(person.id), position_label)
    for subject in subjects:
        await h.tap(person, h.last_message(person.id), subject)
    await h.tap(person, h.last_message(person.id), "Готово")
