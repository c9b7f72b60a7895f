"""Domain errors. Each names the text (a Fluent key) that explains it to the user."""

from typing import Any


class DomainError(Exception):
    key = "error-generic"

    def __init__(self, key: str | None = None, **args: Any):
        self.key = key or self.key
        self.args_for_text = args
        super().__init__(self.key, args)


class PermissionDenied(DomainError):
    key = "error-permission-denied"


class NotFound(DomainError):
    key = "error-not-found"


class AlreadyDecided(DomainError):
    """Somebody else decided first; args carry who and how."""

    key = "error-already-decided"


class InvalidState(DomainError):
    key = "error-invalid-state"


class ConsentRequired(DomainError):
    key = "error-consent-required"
