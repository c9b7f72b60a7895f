"""Telegram's files mapped to the one file policy (storage/files.py), and its answer."""

from aiogram.types import Audio, Document, Message, PhotoSize, Video

from bot.i18n import Translator
from notices.material_cards import file_size_text
from storage.files import Attachment, FileKind, Refusal, Verdict, check


def attachment(media: Document | PhotoSize | Video | Audio) -> Attachment:
    if isinstance(media, PhotoSize):
        return Attachment(FileKind.PHOTO, None, "image/jpeg", media.file_size)
    if isinstance(media, Video):
        kind = FileKind.VIDEO
    elif isinstance(media, Audio):
        kind = FileKind.AUDIO
    else:
        kind = FileKind.DOCUMENT
    return Attachment(kind, media.file_name, media.mime_type, media.file_size)


def media_of(message: Message) -> Document | PhotoSize | Video | Audio | None:
    """The file a message carries (the largest size of a photo), if any."""
    if message.photo:
        return message.photo[-1]
    return message.document or message.video or message.audio


def verdict_of(message: Message, max_file_mb: int) -> Verdict | None:
    """``None`` when the message carries no file."""
    media = media_of(message)
    return None if media is None else check(attachment(media), max_file_mb)


def refusal_text(i18n: Translator, verdict: Verdict) -> str:
    """What is allowed and the limit, so the member knows what to send instead."""
    size = file_size_text(i18n, verdict.size)
    if verdict.kind is FileKind.PHOTO:  # never refused for its type: Telegram made it a JPEG
        return i18n("file-refused-photo-size", size=size, limit=verdict.limit_mb)
    # The translator escapes every variable for HTML.
    name = verdict.name or _unnamed(i18n, verdict.kind)
    if verdict.refusal is Refusal.TYPE:
        return i18n("file-refused-type", name=name, limit=verdict.limit_mb)
    return i18n("file-refused-size", name=name, size=size, limit=verdict.limit_mb)


def _unnamed(i18n: Translator, kind: FileKind) -> str:
    if kind is FileKind.VIDEO:
        return i18n("file-unnamed-video")
    if kind is FileKind.AUDIO:
        return i18n("file-unnamed-audio")
    return i18n("file-unnamed-document")


async def refused(message: Message, i18n: Translator, max_file_mb: int) -> bool:
    """Answer a refused file and say so; the caller's step stays as it was."""
    verdict = verdict_of(message, max_file_mb)
    if verdict is None or verdict.ok:
        return False
    await message.answer(refusal_text(i18n, verdict))
    return True
