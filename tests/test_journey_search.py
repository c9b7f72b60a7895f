"""The everyday search journey, counted in taps: a teacher types what she needs as plain text
(no command, no menu) and gets the file. Target (issue 13): at most 3 taps after typing the
query until the bot sends the document."""

from bot.callbacks import MaterialAction, MaterialCallback
from tests.flows import make_community, publish, publish_file, register
from tests.harness import BotHarness, Person, button, labels

TEACHER = Person(id=7201, first_name="Мария")
AUTHOR = Person(id=7202, first_name="Ольга")
MAX_TAPS = 3


async def test_typed_query_to_the_downloaded_file_in_at_most_three_taps(
    harness: BotHarness, repo
) -> None:
    h = harness
    await register(h, AUTHOR, full_name="Смирнова Ольга")
    await register(h, TEACHER, full_name="Иванова Мария Петровна")
    maths = await make_community(repo, "Учителя математики")
    author = await repo.users.by_telegram_id(AUTHOR.id)
    await publish(repo, author, maths, "Дроби: устный счёт", grades=(5,))
    wanted = await publish_file(
        repo, author, maths, "Сложение дробей с разными знаменателями", size=48_213, grades=(6,)
    )
    await repo.session.commit()

    taps = 0

    async def tap(label: str) -> None:
        nonlocal taps
        taps += 1
        await h.tap(TEACHER, h.last_message(TEACHER.id), label)

    # She types, as she would to a colleague; the bot answers with the results.
    await h.send(TEACHER, "дроби 6 класс")
    results = h.last_message(TEACHER.id)
    assert results.text.startswith("🔎 «дроби»: 1 материал")
    assert "1. <b>Сложение дробей с разными знаменателями</b>" in results.html_text
    assert "Класс: 6" in labels(results)

    await tap("1")
    card = h.last_message(TEACHER.id)
    assert "📄 Сложение дробей с разными знаменателями.pdf (47 КБ)" in card.text
    await tap("⬇ Скачать")

    documents = [c for c in h.session.calls if c.name == "sendDocument"]
    assert [(c.method.chat_id, c.method.document) for c in documents] == [
        (TEACHER.id, wanted.file_id)
    ]
    assert taps <= MAX_TAPS, f"{taps} taps from the typed query to the file"
    assert taps == 2
    # The card she came from now counts her download, and still leads back to the results.
    assert "⬇ 1" in h.now(card).text
    back = button(h.now(card), "← К результатам")
    assert MaterialCallback.unpack(back.callback_data) == MaterialCallback(
        action=MaterialAction.PAGE, page=0
    )
