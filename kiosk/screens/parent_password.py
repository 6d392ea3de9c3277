"""Change password: the current (or temporary) password, then the new one twice.

After a staff reset the parent signs in with a temporary password and lands here first
(``required=True``): nothing else is reachable until a new password is chosen.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.screens.parent_flow import continue_with
from kiosk.services.accounts import Session, change_password
from kiosk.services.activation import context_words
from kiosk.widgets.password_choice import PasswordChoice
from kiosk.widgets.secret import SecretInput


class ParentPasswordScreen(ParentScreen):
    def __init__(self, *, required: bool = False, password: str = "") -> None:
        super().__init__()
        self.required = required
        # The temporary password the parent just signed in with (see parent_flow): with it,
        # the "Temporary password" field is not shown. Dropped once the new one is saved.
        self._current = password

    def compose_page(self) -> ComposeResult:
        current = _("Temporary password") if self.required else _("Current password")
        with VerticalScroll(id="password-page", classes="parent-page"):
            yield Static(
                _("Choose a new password") if self.required else _("Change your password"),
                classes="title",
            )
            if self.required:
                yield Static(
                    _("The password you signed in with was temporary. Choose your own now."),
                    classes="lead",
                )
            if not self._current:
                yield Label(current, classes="field-label")
                yield SecretInput(id="current-password", placeholder=current)
            yield PasswordChoice(self.shell.ctx.config.passwords, self._password_words)
        with Vertical(classes="footer"):
            yield message(id="password-error")
            with Horizontal(classes="actions"):
                yield Button(_("Save new password"), id="save", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _password_words(self) -> list[str]:
        return context_words(self.shell.ctx, self.shell.session.username)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "new-password-again":
            self.save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#save")
    def save(self) -> None:
        ctx, session = self.shell.ctx, self.shell.session
        field = self.query("#current-password")
        current = field.first(Input).value if field else self._current
        choice = self.query_one(PasswordChoice)
        new, again = choice.password, choice.again
        self.say("#password-error", _("Saving…"), plain=True)
        self.run_service(
            lambda: change_password(ctx, session, current, new, again), self._saved, self._failed
        )

    def _saved(self, session: Session) -> None:
        self._current = ""
        self.clear_secrets()
        self.app.notify(_("Your new password is saved."), markup=False)
        if self.required:
            continue_with(self, session)
        else:
            self.shell.session = session
            self.app.pop_screen()

    def _failed(self, error: KioskError) -> None:
        self.say_error("#password-error", error)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self._current = ""
        self.clear_secrets()
        if self.required:
            self.shell.session = None
            self.shell.go_welcome()
        else:
            self.app.pop_screen()
