"""Errors as codes with parameters.

Every refusal in the domain layer is a ``KioskError(code, **params)``: the code names a sentence
in the message catalog (``kiosk.messages``) and the parameters fill it in. Services never build
an English sentence; ``kiosk.i18n.explain(error, language)`` renders one, in English for the
terminal and logs (that is also ``str(error)``) or in the parent's language on screen and on
the web. Parameters never hold a secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


class Label(str):
    """A parameter that is itself catalog text (a field name such as "Username"): translated
    when rendered, unlike a value the person typed, which is shown as it is."""

    __slots__ = ()


@dataclass(frozen=True, eq=True)
class Message:
    """One catalog sentence and its parameters: a refusal's reason, a service's answer."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        from kiosk.i18n import explain

        return explain(self, "en")

    def __hash__(self) -> int:  # parameters may hold lists: hash their text
        return hash((self.code, repr(sorted(self.params.items()))))


def message(code: str, /, **params: object) -> Message:
    return Message(code, params)


def _restore(cls: type[KioskError], state: dict[str, object]) -> KioskError:
    error = cls.__new__(cls)
    error.__dict__.update(state)
    Exception.__init__(error, state["code"])
    return error


class KioskError(Exception):
    """A refusal or failure: ``code`` names the catalog sentence, ``params`` fill it in."""

    code: str = "error"

    def __init__(self, code: str, /, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, object] = dict(params)

    @property
    def message(self) -> Message:
        return Message(self.code, self.params)

    def __str__(self) -> str:
        from kiosk.i18n import explain

        return explain(self, "en")

    def __reduce__(self) -> tuple[object, ...]:
        # Errors cross process boundaries (the isolated import) with their code and params.
        return _restore, (type(self), dict(self.__dict__))


class ConfigError(KioskError):
    code = "config"


class DatabaseError(KioskError):
    code = "database"


class DatabaseLost(DatabaseError):
    """The database file was deleted or replaced under a running kiosk: it must stop."""

    code = "database_lost"


class ValidationError(KioskError):
    """Input that breaks a rule; ``reasons`` lists every rule broken, as catalog messages."""

    code = "invalid"

    def __init__(self, code: str, reasons: Iterable[Message] = (), /, **params: object) -> None:
        super().__init__(code, **params)
        self.reasons: list[Message] = list(reasons)


def please_fix(reasons: Iterable[Message]) -> ValidationError:
    """Every problem with a form at once, one reason per line when shown."""
    listed = list(reasons)
    return ValidationError("fix", listed, problems=listed)


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
