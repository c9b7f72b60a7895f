"""One file policy wherever a file comes in: /share and editing a material, a thread's
opening post and replies, broadcasts, a file in a thread's forum topic. Kinds are checked by
MIME type and by extension; sizes, photos included."""

import itertools
from datetime import UTC, datetime
from typing import Any

import pytest
from aiogram.types import Chat, Document, Message, PhotoSize, Update, Video
from sqlalchemy import select

from storage.enums import ContentType, MaterialStatus
from storage.files import Attachment, FileKind, Refusal, check
from storage.models import Delivery, Material, Post, Thread
from tests.flows import methodist, open_threads, setup_community, share_document
from tests.harness import BotHarness, Person, texts
from tests.people import BROADCASTER as METHODIST
from tests.people import MODERATOR, STRANGER, TEACHER

MB = 1024 * 1024
_ids = itertools.count(1)

# (file name, MIME type, size): what a hostile or careless sender tries.
REFUSED = [
    ("урок.html", "text/html", 20_000),
    ("схема.svg", "image/svg+xml", 20_000),
    ("setup.pdf", "application/x-msdownload", 300_000),  # an .exe renamed
    ("setup.exe", "application/octet-stream", 300_000),  # an .exe with no type
    ("setup.exe", "application/pdf", 300_000),  # an .exe typed as a PDF
    ("архив.zip", "application/zip", 2 * 1024 * MB),  # a 2 GB zip
]
TYPE_ANSWER = "такого типа не принимается"


async def send_media(
    h: BotHarness, person: Person, *, chat: Chat | None = None, **media: Any
) -> list:
    """A message carrying a photo, a video or a document, as Telegram delivers it."""
    message = Message(
        message_id=next(h.user_message_ids),
        date=datetime.now(UTC),
        chat=chat or Chat(id=person.id, type="private", first_name=person.first_name),
        from_user=person.tg,
        **media,
    )
    return await h.feed(Update(update_id=next(h.update_ids), message=message))


async def send_photo(h: BotHarness, person: Person, size: int) -> list:
    sizes = [
        PhotoSize(
            file_id=f"photo-{next(_ids)}",
            file_unique_id=f"photo-u-{next(_ids)}",
            width=width,
            height=width,
            file_size=file_size,
        )
        for width, file_size in ((90, 1_000), (1280, size))
    ]
    return await send_media(h, person, photo=sizes)


def answer_for(name: str, size: int) -> str:
    if size > 50 * MB:
        return "слишком большой"
    return f"Файл «{name}» такого типа не принимается"


# --- the policy itself ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "mime", "kind"),
    [
        (
            "План урока.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind.DOCUMENT,
        ),
        ("КИМ.pdf", "application/pdf", FileKind.DOCUMENT),
        ("Учебник.djvu", "application/octet-stream", FileKind.DOCUMENT),
        (
            "Урок.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            FileKind.DOCUMENT,
        ),
        (
            "Оценочный лист.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind.DOCUMENT,
        ),
        ("Таблица.ods", "application/vnd.oasis.opendocument.spreadsheet", FileKind.DOCUMENT),
        ("Доска.notebook", "application/octet-stream", FileKind.DOCUMENT),
        ("Диктант.mp3", "audio/mpeg", FileKind.DOCUMENT),
        ("Материалы.rar", "application/vnd.rar", FileKind.DOCUMENT),
        ("notes.txt", "text/plain", FileKind.DOCUMENT),
        (None, "video/mp4", FileKind.VIDEO),
        ("Открытый урок.mov", "video/quicktime", FileKind.VIDEO),
    ],
)
def test_teaching_materials_are_accepted(name, mime, kind) -> None:
    assert check(Attachment(kind, name, mime, 5 * MB), 50).ok


@pytest.mark.parametrize(
    ("name", "mime", "kind"),
    [
        ("урок.html", "text/html", FileKind.DOCUMENT),
        ("урок.txt", "text/html", FileKind.DOCUMENT),
        ("схема.svg", "image/svg+xml", FileKind.DOCUMENT),
        ("setup.exe", "application/octet-stream", FileKind.DOCUMENT),
        ("setup.exe", "application/pdf", FileKind.DOCUMENT),
        ("setup.pdf", "application/x-msdownload", FileKind.DOCUMENT),
        ("virus.exe.", "application/octet-stream", FileKind.DOCUMENT),
        ("скрипт.js", "text/javascript", FileKind.DOCUMENT),
        ("run.bat", "application/x-bat", FileKind.DOCUMENT),
        ("run.sh", "application/x-sh", FileKind.DOCUMENT),
        ("setup.msi", "application/x-msi", FileKind.DOCUMENT),
        ("app.apk", "application/vnd.android.package-archive", FileKind.DOCUMENT),
        ("Макрос.docm", "application/vnd.ms-word.document.macroEnabled.12", FileKind.DOCUMENT),
        ("no-extension", "application/octet-stream", FileKind.DOCUMENT),
        (None, None, FileKind.DOCUMENT),
        ("clip.mp4", "application/x-msdownload", FileKind.VIDEO),
    ],
)
def test_pages_svg_executables_scripts_and_macros_are_refused(name, mime, kind) -> None:
    verdict = check(Attachment(kind, name, mime, 1000), 50)
    assert verdict.refusal is Refusal.TYPE


def test_sizes_photos_included() -> None:
    assert check(Attachment(FileKind.PHOTO, None, "image/jpeg", 60 * MB), 50).refusal is (
        Refusal.SIZE
    )
    assert check(Attachment(FileKind.PHOTO, None, "image/jpeg", 9 * MB), 50).ok
    assert check(
        Attachment(FileKind.DOCUMENT, "a.zip", "application/zip", 2048 * MB), 50
    ).refusal is (Refusal.SIZE)
    assert check(Attachment(FileKind.DOCUMENT, "a.pdf", "application/pdf", 50 * MB), 50).ok
    assert check(Attachment(FileKind.VIDEO, "a.mp4", "video/mp4", 51 * MB), 50).refusal is (
        Refusal.SIZE
    )


# --- /share and editing a material ------------------------------------------------------------


async def test_share_refuses_each_bad_file_and_keeps_the_step(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await h.send(TEACHER, "/share")
    ask = h.last_message(TEACHER.id).text
    for name, mime, size in REFUSED:
        calls = await h.send_document(TEACHER, name, mime_type=mime, size=size)
        [answer] = texts(calls)
        assert answer_for(name, size) in answer, answer
    calls = await send_photo(h, TEACHER, 60 * MB)
    assert texts(calls) == [
        "Фото слишком большое: 60 МБ, а можно до 10 МБ. Пришлите его файлом или ссылкой."
    ]
    draft = await repo.session.scalar(select(Material))
    assert draft is None or draft.file_id is None  # nothing refused was kept

    # The step is still the file step: a good file goes on to the title.
    assert "Пришлите материал" in ask
    await h.send_document(TEACHER, "Дроби.pdf")
    assert "Название материала" in h.last_message(TEACHER.id).text


async def test_the_refusal_names_what_is_allowed_and_the_limit_in_english(
    harness: BotHarness, repo
) -> None:
    h = harness
    english = Person(id=TEACHER.id, first_name="Мария", username="maria", language_code="en")
    await setup_community(h, repo)
    await h.send(TEACHER, "/language")
    await h.tap(TEACHER, h.last_message(TEACHER.id), "English")
    await h.send(english, "/share")
    calls = await h.send_document(english, "page.html", mime_type="text/html")
    [answer] = texts(calls)
    assert answer.startswith("Files like «page.html» are not accepted.")
    assert "up to 50 MB" in answer and "Web pages, SVG, programs" in answer
    calls = await h.send_document(english, "<b>.html", mime_type="text/html")
    assert texts(calls)[0].startswith("Files like «&lt;b&gt;.html» are not accepted.")
    calls = await h.send_document(english, "big.zip", mime_type="application/zip", size=2048 * MB)
    assert texts(calls) == [
        "The file «big.zip» is too big: 2 GB, and the limit is 50 MB. "
        "Upload it to a cloud drive and send a link."
    ]


async def test_changing_the_file_of_a_material_keeps_the_old_one_on_refusal(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await share_document(h)  # at the preview, every field filled in
    await h.tap(TEACHER, h.last_message(TEACHER.id), "Файл")
    calls = await h.send_document(TEACHER, "Сложение_дробей.exe", mime_type="application/pdf")
    assert TYPE_ANSWER in texts(calls)[0]
    calls = await send_photo(h, TEACHER, 60 * MB)
    assert "Фото слишком большое" in texts(calls)[0]
    draft = await repo.session.scalar(select(Material))
    await repo.session.refresh(draft)
    assert (draft.file_name, draft.content_type) == ("Сложение_дробей.pdf", ContentType.DOCUMENT)
    assert (draft.title, draft.tags) == ("Сложение дробей", ["дроби", "5 класс"])
    # Still at the file step; a good photo goes straight back to the preview.
    await send_photo(h, TEACHER, 2 * MB)
    assert h.last_message(TEACHER.id).text.startswith("Проверьте карточку материала")
    await repo.session.refresh(draft)
    assert draft.content_type is ContentType.PHOTO and draft.status is MaterialStatus.DRAFT


# --- threads -----------------------------------------------------------------------------------


async def test_an_opening_post_with_a_bad_file_keeps_the_title(harness: BotHarness, repo) -> None:
    h = harness
    await setup_community(h, repo)
    await open_threads(h, MODERATOR)
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Новая тема")
    await h.send(MODERATOR, "Проектная неделя")
    for name, mime, size in REFUSED:
        calls = await h.send_document(MODERATOR, name, mime_type=mime, size=size)
        assert answer_for(name, size) in texts(calls)[0]
    calls = await send_photo(h, MODERATOR, 60 * MB)
    assert "Фото слишком большое" in texts(calls)[0]
    assert (await repo.session.scalars(select(Thread))).all() == []

    await h.send_document(MODERATOR, "Положение.docx", mime_type="application/msword")
    thread = await repo.session.scalar(select(Thread))
    assert thread.title == "Проектная неделя"  # the title typed before the refusals
    post = await repo.session.scalar(select(Post))
    assert post.file_name == "Положение.docx"


async def test_a_reply_with_a_bad_file_is_refused_and_can_be_sent_again(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await open_threads(h, MODERATOR)
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Новая тема")
    await h.send(MODERATOR, "Проектная неделя")
    await h.send(MODERATOR, "Делимся планами")
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Ответить")
    for name, mime, size in REFUSED:
        calls = await h.send_document(MODERATOR, name, mime_type=mime, size=size)
        assert answer_for(name, size) in texts(calls)[0]
    calls = await send_photo(h, MODERATOR, 60 * MB)
    assert "Фото слишком большое" in texts(calls)[0]
    video = Video(
        file_id="v-1",
        file_unique_id="v-u-1",
        width=1,
        height=1,
        duration=1,
        mime_type="video/mp4",
        file_size=2048 * MB,
    )
    calls = await send_media(h, MODERATOR, video=video)
    assert texts(calls) == [
        "Файл «видео» слишком большой: 2 ГБ, а можно до 50 МБ. "
        "Загрузите его в облако и пришлите ссылку."
    ]
    assert len((await repo.session.scalars(select(Post))).all()) == 1  # the opening post only
    await h.send_document(MODERATOR, "План.pdf")
    posts = (await repo.session.scalars(select(Post).order_by(Post.id))).all()
    assert [p.file_name for p in posts] == [None, "План.pdf"]


async def test_a_bad_file_in_a_forum_topic_stays_out_of_the_private_thread(
    harness: BotHarness, repo
) -> None:
    h = harness
    community = await setup_community(h, repo)
    forum = Chat(id=-100_900, type="supergroup", title="Математики: форум", is_forum=True)
    community.group_chat_id = forum.id
    community.group_is_forum = True
    await repo.session.commit()
    await open_threads(h, MODERATOR)
    await h.tap(MODERATOR, h.last_message(MODERATOR.id), "Новая тема")
    await h.send(MODERATOR, "ВПР по математике")
    await h.send(MODERATOR, "Какие варианты берём?")
    [created] = [c for c in h.session.calls if c.name == "createForumTopic"]
    topic = {"message_thread_id": created.result.message_thread_id, "is_topic_message": True}

    for name, caption in (("вариант.html", "Вот вариант"), ("ответы.pdf", "И ответы")):
        mime = "text/html" if name.endswith("html") else "application/pdf"
        document = Document(
            file_id=f"file-{next(_ids)}",
            file_unique_id=f"u-{next(_ids)}",
            file_name=name,
            mime_type=mime,
            file_size=20_000,
        )
        await send_media(h, STRANGER, chat=forum, document=document, caption=caption, **topic)
    repo.session.expire_all()
    replies = (await repo.session.scalars(select(Post).order_by(Post.id))).all()[1:]
    # The text of the first is taken, its web page stays in the group.
    assert [(p.body, p.file_name) for p in replies] == [
        ("Вот вариант", None),
        ("И ответы", "ответы.pdf"),
    ]


# --- broadcasts --------------------------------------------------------------------------------


async def test_a_broadcast_refuses_bad_files_and_keeps_its_audience(
    harness: BotHarness, repo
) -> None:
    h = harness
    await setup_community(h, repo)
    await methodist(h, repo, METHODIST)
    await h.send(METHODIST, "/broadcast")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Математики")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Далее")
    for name, mime, size in REFUSED:
        calls = await h.send_document(METHODIST, name, mime_type=mime, size=size)
        assert answer_for(name, size) in texts(calls)[0]
    await h.send_document(METHODIST, "Положение о конкурсе.pdf", caption="Конкурс!")
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Сейчас")
    assert "Кому: Математики" in h.last_message(METHODIST.id).text
    await h.tap(METHODIST, h.last_message(METHODIST.id), "Отправить")
    deliveries = (await repo.session.scalars(select(Delivery))).all()
    assert len(deliveries) == 3
    assert {d.document_id for d in deliveries} == {h.sent_to(METHODIST.id)[-3].method.document}
