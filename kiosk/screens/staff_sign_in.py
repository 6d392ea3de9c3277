"""Staff sign in: username and password, checked off the UI thread, one generic failure."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from kiosk.auth import Actor
from kiosk.errors import KioskError
from kiosk.screens.base import KioskScreen
from kiosk.screens.staff_new_password import StaffNewPasswordScreen
from kiosk.services.staff import staff_must_change_password, staff_sign_in
from kiosk.themes import STAFF_CSS
from kiosk.widgets.secret import SecretInput


class StaffSignInScreen(KioskScreen):
    """Reached from Welcome. On success the staff member's home replaces everything."""

    #: Nobody is signed in yet, so a half-typed staff password gets the short timeout.
    AUDIENCE = "parent"
    CSS_PATH = STAFF_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back to Welcome"),
        # Priority so the footer shows it over the app's hidden guard of the same key.
        Binding("ctrl+q", "quit_console", "Quit", priority=True),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # The admin console starts here: there is no Welcome to go back to, but it may quit.
        if action == "cancel":
            return not self.kiosk.admin
        if action == "quit_console":
            return not self.kiosk.kiosk_mode
        return True

    async def action_quit_console(self) -> None:
        await self.app.action_quit()

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-sign-in", classes="form-card"):
            yield Static("Staff sign in", classes="title")
            yield Label("Username")
            yield Input(id="username", max_length=64)
            yield Label("Password")
            yield SecretInput(id="password", max_length=128)
            yield Static("", id="message", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Sign in", id="sign-in", variant="primary")
                if not self.kiosk.admin:
                    yield Button("Back", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "username":
            self.query_one("#password", SecretInput).focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "sign-in":
            self.submit()
        elif event.button.id == "cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        self.kiosk.go_welcome()

    def submit(self) -> None:
        if self.query_one("#sign-in", Button).disabled:
            return  # a check is in flight: Enter again must not start a second one
        username = self.query_one("#username", Input).value.strip()
        password_field = self.query_one("#password", SecretInput)
        password = password_field.value
        message = self.query_one("#message", Static)
        if not username or not password:
            message.update("Type your staff username and password.")
            return
        password_field.wipe()
        message.update("Checking…")
        self.query_one("#sign-in", Button).disabled = True
        ctx = self.kiosk.ctx

        def sign_in() -> tuple[Actor, bool]:
            actor = staff_sign_in(ctx, username, password)
            return actor, staff_must_change_password(ctx, actor)

        self.run_service(sign_in, lambda answer: self._signed_in(*answer, password), self._failed)

    def _signed_in(self, actor: Actor, must_change: bool, password: str) -> None:
        if must_change:  # a first or temporary password: choose their own before anything else
            self.query_one("#message", Static).update("")
            self.query_one("#sign-in", Button).disabled = False
            self.app.push_screen(StaffNewPasswordScreen(actor, password))
            return
        self.kiosk.staff = actor
        self.kiosk.go_staff_home()

    def _failed(self, error: KioskError) -> None:
        self.query_one("#sign-in", Button).disabled = False
        self.query_one("#message", Static).update(str(error))
        self.query_one("#password", SecretInput).focus()
