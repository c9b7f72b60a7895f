"""Sealed survey answers: encrypted with a key the database never holds, padded so that
every sealed value of one survey has the same length.

A respondent's unfinished answers and a submitted response waiting for its batch are
stored sealed (docs/privacy.md). The key comes from the settings (METODSET_SURVEY_KEY),
so a dump, a copy of the files or the write-ahead log shows random bytes of one fixed
size: nothing to read, and no length to match against a released response's answers.

AES-256-GCM from ``cryptography``; the "context" (what the value is and whose row it is
in) is authenticated with it, so a value copied into another row does not open.
"""

import base64
import binascii
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
LENGTH_BYTES = 4
KEY_BYTES = 32
# Sizes are rounded up to this step, so two surveys of nearly the same shape seal alike.
SIZE_STEP = 256


# Where a session carries the seal (storage.db.create_sessionmaker puts it there).
SEAL_INFO = "survey_seal"


class SealError(Exception):
    """A sealed value cannot be opened (another key, or not sealed for this row), or a
    value does not fit the size it must be padded to. The message never holds the value."""


def new_key() -> str:
    """A fresh key in the form METODSET_SURVEY_KEY takes (URL-safe base64 of 32 bytes)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def decode_key(text: str) -> bytes:
    """The 32 key bytes, or ValueError naming what is wrong (never the key itself)."""
    try:
        key = base64.b64decode(text.strip().encode(), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(
            "is not URL-safe base64; generate one with `metodset survey-key`"
        ) from None
    if len(key) != KEY_BYTES:
        raise ValueError(
            f"must be {KEY_BYTES} bytes in URL-safe base64 (it is {len(key)});"
            " generate one with `metodset survey-key`"
        )
    return key


def padded_size(payload_bound: int) -> int:
    """The plaintext size every sealed value with at most ``payload_bound`` bytes of JSON
    gets: the bound plus the length prefix, rounded up to ``SIZE_STEP``."""
    needed = payload_bound + LENGTH_BYTES
    return -(-needed // SIZE_STEP) * SIZE_STEP


def encode(payload: Any) -> bytes:
    """Compact JSON in UTF-8; a lone surrogate from a client passes through unchanged."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


class Seal:
    """Seals and opens JSON values with one key."""

    def __init__(self, key: bytes):
        if len(key) != KEY_BYTES:
            raise ValueError(f"a survey key is {KEY_BYTES} bytes")
        self._aead = AESGCM(key)

    @classmethod
    def from_text(cls, text: str) -> "Seal":
        return cls(decode_key(text))

    def seal(self, payload: Any, *, size: int, context: str) -> bytes:
        """``payload`` as JSON, padded with zeros to ``size`` bytes, encrypted: the result
        is always ``size`` + 28 bytes long, whatever the payload."""
        body = encode(payload)
        if len(body) + LENGTH_BYTES > size:
            # Longer than the survey's bound: refusing is safer than a longer value that
            # could be matched to its answers by length.
            raise SealError("the answers are longer than the survey's sealed size")
        plain = len(body).to_bytes(LENGTH_BYTES, "big") + body
        plain += bytes(size - len(plain))
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plain, context.encode())

    def open(self, sealed: bytes, *, context: str) -> Any:
        nonce, box = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            plain = self._aead.decrypt(nonce, box, context.encode())
        except (InvalidTag, ValueError):
            raise SealError("sealed with another key, or for another row") from None
        length = int.from_bytes(plain[:LENGTH_BYTES], "big")
        body = plain[LENGTH_BYTES : LENGTH_BYTES + length]
        return json.loads(body.decode("utf-8", "surrogatepass"))
