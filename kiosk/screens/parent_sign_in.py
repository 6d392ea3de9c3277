"""Returning parent: sign in with username and password (one generic failure message)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.screens.parent_flow import continue_with
from kiosk.services.accounts import Session, sign_in
from kiosk.widgets.secret import SecretInput


class ParentSignInScreen(ParentScreen):
    def compose_page(self) -> ComposeResult:
        with VerticalScroll(id="sign-in-page", classes="parent-page"):
            yield Static(_("Sign in to your parent portal account"), classes="title")
            yield Label(_("Username"), classes="field-label")
            yield Input(id="username", placeholder=_("Username"), max_length=128)
            yield Label(_("Password"), classes="field-label")
            yield SecretInput(id="password", placeholder=_("Password"))
            yield message(id="sign-in-error")
            with Horizontal(classes="actions"):
                yield Button(_("Sign in"), id="sign-in", variant="primary")
                yield Button(_("Forgot username or password"), id="forgot")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()

    @on(Input.Submitted, "#username")
    def to_password(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def sign_in(self) -> None:
        if self.query_one("#sign-in", Button).disabled:
            return  # a check is in flight: Enter again must not start a second one
        ctx = self.shell.ctx
        username = self.query_one("#username", Input).value
        password = self.query_one("#password", Input).value
        self.query_one("#sign-in", Button).disabled = True
        self.say("#sign-in-error", _("Checking…"), plain=True)
        self.run_service(
            lambda: (sign_in(ctx, username, password), password), self._signed_in, self._failed
        )

    def _signed_in(self, signed_in: tuple[Session, str]) -> None:
        session, password = signed_in
        self.clear_secrets()
        continue_with(self, session, password)  # a temporary one is not typed twice

    def _failed(self, error: KioskError) -> None:
        self.query_one("#sign-in", Button).disabled = False
        self.query_one("#password", Input).value = ""
        self.say_error("#sign-in-error", error)
        self.query_one("#password", Input).focus()

    @on(Button.Pressed, "#forgot")
    def forgot(self) -> None:
        from kiosk.screens.parent_forgot import ParentForgotScreen

        self.clear_secrets()
        self.app.switch_screen(ParentForgotScreen())

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.clear_secrets()
        self.shell.go_welcome()
