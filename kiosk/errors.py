"""Errors that carry a message a person can act on.

Every refusal in the domain layer is a ``KioskError`` whose ``str()`` is safe to show on screen
and in the terminal: it never contains a secret, and it says what to do next.
"""

from __future__ import annotations


class KioskError(Exception):
    """A refusal or failure with a plain, user-facing explanation."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        return str(self)


class ConfigError(KioskError):
    code = "config"


class DatabaseError(KioskError):
    code = "database"


class DatabaseLost(DatabaseError):
    """The database file was deleted or replaced under a running kiosk: it must stop."""

    code = "database_lost"


class ValidationError(KioskError):
    """Input that breaks a rule; ``reasons`` lists every rule broken."""

    code = "invalid"

    def __init__(self, message: str, reasons: list[str] | None = None, *, code: str | None = None):
        super().__init__(message, code=code)
        self.reasons = list(reasons or [])


class NotFound(KioskError):
    code = "not_found"


class PermissionDenied(KioskError):
    code = "forbidden"


class AuthenticationFailed(KioskError):
    """The one generic sign-in failure: it never says which part was wrong."""

    code = "auth"


class KeyProblem(KioskError):
    """An activation key that cannot be used; ``code`` says why (unknown, used, ...)."""

    code = "key"
