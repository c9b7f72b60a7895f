"""Small helpers for uploaded media: MIME types, image sizes, file paths."""

from __future__ import annotations

import mimetypes
import struct

MEDIA_KINDS = ("document", "photo", "video")

_FOLDERS = {"document": "documents", "photo": "photos", "video": "videos"}


def guess_mime(filename: str | None, declared: str | None = None) -> str | None:
    if declared and declared != "application/octet-stream":
        return declared
    if filename:
        guessed, _ = mimetypes.guess_type(filename)
        if guessed:
            return guessed
    return declared


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG image, when recognisable."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data[:2] == b"\xff\xd8":
        index = 2
        while index + 9 < len(data):
            if data[index] != 0xFF:
                index += 1
                continue
            marker = data[index + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                index += 2
                continue
            (length,) = struct.unpack(">H", data[index + 2 : index + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[index + 5 : index + 9])
                return width, height
            index += 2 + length
    return None


def file_path_for(kind: str, number: int, filename: str | None) -> str:
    """A Telegram-like ``file_path`` such as ``documents/file_12.pdf``."""
    extension = ""
    if filename and "." in filename:
        extension = "." + filename.rsplit(".", 1)[1].lower()
    elif kind == "photo":
        extension = ".jpg"
    elif kind == "video":
        extension = ".mp4"
    return f"{_FOLDERS.get(kind, 'documents')}/file_{number}{extension}"
