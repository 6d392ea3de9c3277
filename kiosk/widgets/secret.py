"""An Input for passwords and other secrets: masked, and never copied to the clipboard."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

#: The longest secret a field takes unless told otherwise: the largest password length the
#: configuration allows ([passwords] max_length is at most 1024).
SECRET_MAX_LENGTH = 1024


class SecretInput(Input):
    """A password field. Copy and cut do nothing, so a secret never reaches the clipboard
    (where the next person at the kiosk could paste it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("password", True)
        kwargs.setdefault("max_length", SECRET_MAX_LENGTH)
        super().__init__(*args, **kwargs)

    def action_copy(self) -> None:
        """Deliberately does nothing."""

    def action_cut(self) -> None:
        """Deliberately does nothing (not even deleting, so nothing looks copied)."""

    def wipe(self) -> None:
        """Forget what was typed."""
        self.value = ""
