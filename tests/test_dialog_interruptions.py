"""A person in the middle of a dialog taps the menu or sends a command: they go there, and
the dialog does not swallow the label or the command as its answer (issue 13: every button
works, every screen leads somewhere)."""

from sqlalchemy import select

from storage.models import Material
from tests.flows import start_sharing
from tests.harness import BotHarness
from tests.people import SHARER as TEACHER


async def test_a_menu_button_in_the_middle_of_sharing_opens_its_screen(
    harness: BotHarness, repo
) -> None:
    h = harness
    await start_sharing(h, repo)

    await h.send(TEACHER, "🔎 Найти материал")

    assert "Что ищем?" in h.last_message(TEACHER.id).text
    draft = await repo.session.scalar(select(Material))
    assert draft.title in (None, "")  # the label did not become the title
    # the draft waits: /share offers to continue it
    await h.send(TEACHER, "/share")
    assert "Дроби.pdf" in h.last_message(TEACHER.id).text


async def test_a_command_in_the_middle_of_sharing_runs(harness: BotHarness, repo) -> None:
    h = harness
    await start_sharing(h, repo)

    await h.send(TEACHER, "/my_materials")

    assert "Название —" not in h.last_message(TEACHER.id).text
    draft = await repo.session.scalar(select(Material))
    assert draft.title in (None, "")
    # and a typed answer after that is not taken as the title either: the dialog was left
    await h.send(TEACHER, "дроби 6 класс")
    assert "Название" not in h.last_message(TEACHER.id).text


async def test_cancel_still_belongs_to_the_dialog(harness: BotHarness, repo) -> None:
    h = harness
    await start_sharing(h, repo)

    await h.send(TEACHER, "/cancel")

    assert h.last_message(TEACHER.id).text.startswith("Черновик сохранён")
