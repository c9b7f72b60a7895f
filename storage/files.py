"""The one file policy: which files members and methodists may attach, and how big.

Used wherever a file comes in (/share and editing a material, thread posts, broadcasts, a
file in a thread's forum topic). Handlers turn Telegram's Document, PhotoSize, Video and Audio
into ``Attachment`` and ask ``check``; nothing here knows Telegram types.

What is allowed follows what the regulations call the network's products (seed 000 §1.6:
methodical materials, lesson videos, assessment materials, evaluation sheets; seed 003 §10.2:
the repository filled "by material type") and what teachers really pass around: office
documents and PDF, DjVu scans of textbooks, presentations, spreadsheets, pictures, audio and
video of lessons, interactive-whiteboard files, and archives of these. Refused: web pages and
SVG (they carry scripts that run when opened), executables and scripts, and Office files with
macros (.docm/.xlsm/.pptm run code).

Both the name's extension and the MIME type must be allowed: a client reports the MIME type
from the name or sends application/octet-stream, so an ``.exe`` renamed ``.pdf`` but typed
application/x-msdownload, or an ``.exe`` typed application/octet-stream, is refused either
way. (The bot never downloads a file, so it cannot look at the bytes themselves.)

Sizes: the bot never downloads files (Bot API getFile stops at 20 MB, and nothing here needs
the bytes): it re-sends them by file_id, which Telegram allows at any size. The limit is
therefore about readers: a material or a post must open on a school computer or a phone on
mobile data. The default, 50 MB, is also the Bot API's limit for a file a bot uploads itself,
so anything accepted could still be moved by the bot (an export, another messenger front
end). Anything bigger is better shared as a link, which /share and posts accept. A photo
Telegram has compressed is well under 10 MB (sendPhoto's own limit), so a larger "photo" is
not a real one.
"""

from dataclasses import dataclass
from enum import StrEnum

MB = 1024 * 1024
PHOTO_MAX_MB = 10


class FileKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"
    VIDEO = "video"
    AUDIO = "audio"


class Refusal(StrEnum):
    TYPE = "type"
    SIZE = "size"


# Extensions by group; the groups name what is allowed in the refusal text.
EXTENSIONS: dict[str, frozenset[str]] = {
    "documents": frozenset(
        {"pdf", "doc", "docx", "dot", "dotx", "odt", "ott", "rtf", "txt", "djvu", "djv", "epub"}
    ),
    "presentations": frozenset({"ppt", "pptx", "pps", "ppsx", "pot", "potx", "odp"}),
    "spreadsheets": frozenset({"xls", "xlsx", "ods", "csv"}),
    "images": frozenset(
        {"jpg", "jpeg", "png", "gif", "bmp", "webp", "heic", "heif", "tif", "tiff"}
    ),
    "audio": frozenset({"mp3", "m4a", "ogg", "oga", "opus", "wav", "aac", "flac", "wma"}),
    "video": frozenset({"mp4", "m4v", "mov", "avi", "mkv", "webm", "wmv", "3gp", "mpg", "mpeg"}),
    # SMART Notebook and ActivInspire: the interactive whiteboards of Russian classrooms.
    "whiteboard": frozenset({"notebook", "flipchart"}),
    "archives": frozenset({"zip", "rar", "7z"}),
}
ALLOWED_EXTENSIONS = frozenset().union(*EXTENSIONS.values())

ALLOWED_MIME = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/rtf",
        "text/rtf",
        "text/plain",
        "text/csv",
        "text/comma-separated-values",
        "text/x-csv",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/epub+zip",
        "image/vnd.djvu",
        "image/x-djvu",
        "image/djvu",
        "image/jpeg",
        "image/pjpeg",
        "image/png",
        "image/gif",
        "image/bmp",
        "image/webp",
        "image/heic",
        "image/heif",
        "image/tiff",
        "application/zip",
        "application/x-zip-compressed",
        "application/x-rar",
        "application/x-rar-compressed",
        "application/vnd.rar",
        "application/x-7z-compressed",
    }
)
ALLOWED_MIME_PREFIXES = (
    "application/vnd.openxmlformats-officedocument.",
    "application/vnd.oasis.opendocument.",
    "audio/",
    "video/",
)
# Says nothing about the content: the extension alone decides.
GENERIC_MIME = frozenset({"", "application/octet-stream", "binary/octet-stream"})
# Telegram's own media kinds must carry their own family of MIME type.
KIND_MIME_PREFIX = {FileKind.VIDEO: "video/", FileKind.AUDIO: "audio/"}


@dataclass(frozen=True)
class Attachment:
    kind: FileKind
    name: str | None
    mime: str | None
    size: int | None


@dataclass(frozen=True)
class Verdict:
    """Why a file is refused and the limit to name in the answer (``None``: accepted)."""

    refusal: Refusal | None
    kind: FileKind
    limit_mb: int
    name: str | None = None
    size: int | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


def limit_mb(kind: FileKind, max_file_mb: int) -> int:
    return min(PHOTO_MAX_MB, max_file_mb) if kind is FileKind.PHOTO else max_file_mb


def extension(name: str | None) -> str | None:
    """The last extension, lower case; ``None`` for a name without one."""
    # Windows drops trailing dots and spaces: "virus.exe." runs as an .exe.
    stem = (name or "").strip().rstrip(". ")
    if "." not in stem:
        return None
    return stem.rsplit(".", 1)[1].lower()


def _mime_allowed(mime: str) -> bool:
    return mime in ALLOWED_MIME or mime.startswith(ALLOWED_MIME_PREFIXES)


def type_allowed(attachment: Attachment) -> bool:
    if attachment.kind is FileKind.PHOTO:
        return True  # Telegram re-encodes every photo as JPEG
    mime = (attachment.mime or "").split(";", 1)[0].strip().lower()
    generic = mime in GENERIC_MIME
    if not generic and not _mime_allowed(mime):
        return False
    prefix = KIND_MIME_PREFIX.get(attachment.kind)
    if prefix and not generic and not mime.startswith(prefix):
        return False
    ext = extension(attachment.name)
    if ext is not None:
        return ext in ALLOWED_EXTENSIONS
    # No extension to go by: only a specific, allowed MIME type (or Telegram's own video or
    # audio) will do.
    return not generic or attachment.kind in KIND_MIME_PREFIX


def check(attachment: Attachment, max_file_mb: int) -> Verdict:
    limit = limit_mb(attachment.kind, max_file_mb)
    if not type_allowed(attachment):
        return Verdict(Refusal.TYPE, attachment.kind, limit, attachment.name, attachment.size)
    if (attachment.size or 0) > limit * MB:
        return Verdict(Refusal.SIZE, attachment.kind, limit, attachment.name, attachment.size)
    return Verdict(None, attachment.kind, limit, attachment.name, attachment.size)
