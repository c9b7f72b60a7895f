"""Files: uploads, reuse by file_id, getFile and downloads, size limits."""

import struct
import zlib
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramEntityTooLarge
from aiogram.types import BufferedInputFile

from sandbox import RateLimits, SandboxClient, SandboxServer

from .conftest import make_bot


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_document_upload_reuse_and_download(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    content = "Конспект урока по дробям\n".encode() * 100

    first = await bot.send_document(
        user.id,
        BufferedInputFile(content, "конспект.txt"),
        caption="<i>Конспект</i>",
        parse_mode="HTML",
    )
    assert first.document is not None
    assert first.document.file_name == "конспект.txt"
    assert first.document.file_size == len(content)
    assert first.document.mime_type == "text/plain"
    assert first.caption == "Конспект"

    again = await bot.send_document(user.id, first.document.file_id)
    assert again.document is not None
    assert again.document.file_id == first.document.file_id
    assert again.document.file_unique_id == first.document.file_unique_id

    file = await bot.get_file(first.document.file_id)
    assert file.file_path and file.file_size == len(content)
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == content

    messages = await client.chat(user.id)
    assert [m.media.kind if m.media else None for m in messages] == ["document", "document"]
    assert await client.download(first.document.file_id) == content


async def test_photo_and_video(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна", started=True)
    photo = await bot.send_photo(user.id, BufferedInputFile(png(64, 32), "board.png"))
    assert photo.photo is not None
    assert (photo.photo[-1].width, photo.photo[-1].height) == (64, 32)
    video = await bot.send_video(user.id, BufferedInputFile(b"\0\0\0\x18ftypmp42", "lesson.mp4"))
    assert video.video is not None and video.video.mime_type == "video/mp4"

    with pytest.raises(TelegramBadRequest, match="wrong file identifier/HTTP URL specified"):
        await bot.send_photo(user.id, "no-such-file-id")
    with pytest.raises(TelegramBadRequest, match="can't use file of type Video as Photo"):
        await bot.send_photo(user.id, video.video.file_id)


async def test_user_uploads_reach_the_bot(bot: Bot, client: SandboxClient) -> None:
    user = await client.create_user("Анна")
    await client.send_file(user.id, b"%PDF-1.7 plan", "план.pdf", caption="Мой план")
    await client.send_file(user.id, png(10, 20), "фото.png", kind="photo")

    document_update, photo_update = await bot.get_updates()
    document = document_update.message.document if document_update.message else None
    assert document is not None and document.file_name == "план.pdf"
    assert document.mime_type == "application/pdf"
    assert document_update.message and document_update.message.caption == "Мой план"
    photo = photo_update.message.photo if photo_update.message else None
    assert photo and (photo[-1].width, photo[-1].height) == (10, 20)

    file = await bot.get_file(document.file_id)
    assert file.file_path is not None
    stream = await bot.download_file(file.file_path)
    assert stream is not None and stream.read() == b"%PDF-1.7 plan"
    # A file a user sent can be sent on by its file_id.
    await bot.send_document(user.id, document.file_id)


@pytest.fixture
async def small_server() -> AsyncIterator[SandboxServer]:
    server = SandboxServer(
        rate_limits=RateLimits.off(), max_upload_bytes=200_000, max_download_bytes=50_000
    )
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


async def test_size_limits(small_server: SandboxServer) -> None:
    assert small_server.base_url is not None
    bot = make_bot(small_server)
    try:
        async with SandboxClient(small_server.base_url) as client:
            user = await client.create_user("Анна", started=True)
            big = await bot.send_document(user.id, BufferedInputFile(b"x" * 60_000, "big.bin"))
            assert big.document is not None
            with pytest.raises(TelegramBadRequest, match="Bad Request: file is too big"):
                await bot.get_file(big.document.file_id)
            with pytest.raises(TelegramEntityTooLarge, match="Request Entity Too Large"):
                await bot.send_document(user.id, BufferedInputFile(b"x" * 300_000, "huge.bin"))
            small = await bot.send_document(user.id, BufferedInputFile(b"ok", "small.txt"))
            assert small.document is not None
    finally:
        await bot.session.close()
