"""The two families of errors a user can meet; anything else is a bug.

Every ``AppError`` carries a Vietnamese message that says what to fix.
"""

from __future__ import annotations


class AppError(Exception):
    """An error the user can act on; ``user_message`` is shown as is."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class ValidationError(AppError):
    """Bad input in one or more fields: ``fields`` maps a field name to its message."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(self.fields.values()))


class NotFoundError(AppError):
    pass


class RuleViolation(AppError):
    """An action the law or the office's rules do not allow in the current state."""


class PermissionDenied(AppError):
    pass


class StorageError(AppError):
    """The database file is locked, read-only, full, corrupt, or not a TiếpDân database."""
