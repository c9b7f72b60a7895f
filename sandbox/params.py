"""Reading Bot API parameters the way Telegram does.

Bots send parameters as a query string, ``application/json``, urlencoded or
``multipart/form-data`` (aiogram uses the last two: nested objects are JSON strings and
files are parts referenced as ``attach://<name>``). Values are coerced per parameter when
a method asks for them, so ``"123"`` and ``123`` are the same ``chat_id``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, web

from .errors import bad_request, too_large

_INT = re.compile(r"^\s*[+-]?\d+\s*$")
_CHUNK = 1 << 16


@dataclass
class Upload:
    """A file sent in a multipart part."""

    filename: str
    content_type: str | None
    data: bytes


class BodyTooLarge(Exception):
    """The upload went over the configured limit (answered with 413)."""


async def read_multipart(
    reader: MultipartReader, max_upload_bytes: int
) -> tuple[dict[str, Any], dict[str, Upload]]:
    """Read form fields and files; over the limit the rest is drained, then it raises."""
    values: dict[str, Any] = {}
    uploads: dict[str, Upload] = {}
    total = 0
    too_big = False
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, BodyPartReader):
            # Nested multipart bodies are not something the Bot API accepts; skip them.
            await part.release()
            continue
        name = part.name or ""
        if part.filename is None:
            raw = await part.read(decode=True)
            total += len(raw)
            values[name] = raw.decode(part.get_charset("utf-8"), "replace")
            continue
        chunks: list[bytes] = []
        while chunk := await part.read_chunk(_CHUNK):
            total += len(chunk)
            if total > max_upload_bytes:
                too_big = True
            if not too_big:
                chunks.append(chunk)
        if not too_big:
            uploads[name] = Upload(
                filename=part.filename,
                content_type=part.headers.get("Content-Type"),
                data=b"".join(chunks),
            )
    if too_big:
        raise BodyTooLarge
    return values, uploads


class Params:
    """The parameters of one Bot API call with typed accessors."""

    def __init__(
        self, values: dict[str, Any] | None = None, uploads: dict[str, Upload] | None = None
    ) -> None:
        self.values: dict[str, Any] = dict(values or {})
        self.uploads: dict[str, Upload] = dict(uploads or {})

    @classmethod
    async def from_request(cls, request: web.Request, max_upload_bytes: int) -> Params:
        values: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        content_type = request.content_type
        if request.body_exists:
            if content_type == "multipart/form-data":
                try:
                    form, uploads = await read_multipart(
                        await request.multipart(), max_upload_bytes
                    )
                except BodyTooLarge:
                    raise too_large() from None
                values.update(form)
            elif content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise bad_request("can't parse JSON object")
                values.update(body)
            else:
                form_data = await request.post()
                values.update(form_data.items())
        return cls(values, uploads)

    # --- accessors -------------------------------------------------------------------

    def has(self, name: str) -> bool:
        value = self.values.get(name)
        return value is not None and value != ""

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def string(self, name: str, *, required: bool = False, error: str | None = None) -> str | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(error or f"{name} is empty")
            return None if value is None else ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)

    def integer(self, name: str, *, required: bool = False, error: str | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(error or f"{name} is empty")
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INT.match(value):
            return int(value)
        raise bad_request(error or f"invalid {name} specified")

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return value != 0
        return str(value).strip().lower() in ("true", "1", "yes")

    def json(self, name: str, *, error: str | None = None) -> Any:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error or f"can't parse {name} JSON object") from None
        return value

    def chat_id(self, name: str = "chat_id", *, required: bool = True) -> int | str | None:
        """An integer id or an ``@username``."""
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool):
            raise bad_request("chat not found")
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if _INT.match(text):
            return int(text)
        if text.startswith("@") and len(text) > 1:
            return text
        raise bad_request("chat not found")

    def file(self, name: str) -> Upload | str | None:
        """A file parameter: an uploaded part (directly or via ``attach://``) or a string
        (a file_id or URL)."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = self.uploads.get(value[len("attach://") :])
            if upload is None:
                raise bad_request(f'can\'t find attached file "{value[len("attach://") :]}"')
            return upload
        if not isinstance(value, str):
            raise bad_request(f"wrong remote file identifier specified: can't parse {name}")
        return value

    def to_log(self) -> dict[str, Any]:
        """Parameters with JSON strings decoded and files summarised, for the call log."""
        logged: dict[str, Any] = {}
        for key, value in self.values.items():
            if isinstance(value, str) and value[:1] in "[{":
                try:
                    logged[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            if isinstance(value, str) and value.startswith("attach://"):
                upload = self.uploads.get(value[len("attach://") :])
                if upload is not None:
                    logged[key] = {"upload": upload.filename, "size": len(upload.data)}
                    continue
            logged[key] = value
        for key, upload in self.uploads.items():
            if key not in logged and f"attach://{key}" not in self.values.values():
                logged[key] = {"upload": upload.filename, "size": len(upload.data)}
        return logged
