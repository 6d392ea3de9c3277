"""Confirm an irreversible admin action (an import, a merge) with the staff password.

Shows what will change, asks for the signed-in staff member's password, and dismisses with True
only when it was right. Nothing is focused but the password field, so a stray Enter never
confirms.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Static

from kiosk.errors import KioskError
from kiosk.i18n import explain
from kiosk.screens.staff_base import KioskModal
from kiosk.services.staff import Recheck, verify_staff_password
from kiosk.themes import ADMIN_CSS
from kiosk.widgets.secret import SecretInput

WRONG = "That is not your staff password. Nothing was changed. Try again, or press Esc."


class ConfirmWithPasswordModal(KioskModal[bool]):
    CSS_PATH = ADMIN_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, details: str, confirm_label: str) -> None:
        super().__init__()
        self.title_text, self.details, self.confirm_label = title, details, confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm-dialog"):
            yield Static(self.title_text, classes="title", markup=False)
            with VerticalScroll(classes="confirm-details"):
                yield Static(self.details, id="details", markup=False)
            yield SecretInput(id="password", max_length=128)
            yield Static("", id="message", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.confirm_label, id="confirm", variant="error", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        field = self.query_one("#password", SecretInput)
        field.border_title = "Your staff password"
        field.focus()

    @on(SecretInput.Submitted)
    @on(Button.Pressed, "#confirm")
    def check(self) -> None:
        field = self.query_one("#password", SecretInput)
        password = field.value
        field.wipe()
        staff = self.shell.staff
        if staff is None:
            self.dismiss(False)
            return
        if not password:
            self.query_one("#message", Static).update("Type your staff password to confirm.")
            return
        ctx = self.shell.ctx
        self.query_one("#message", Static).update("Checking...")
        self.run_service(
            lambda: verify_staff_password(ctx, staff, password), self._checked, self._failed
        )

    def _checked(self, result: Recheck) -> None:
        if result.ok:
            self.dismiss(True)
        elif result.signed_out:
            self.shell.go_welcome()  # too many wrong passwords: nobody stays signed in
        else:
            self.query_one("#message", Static).update(WRONG)
            self.query_one("#password", SecretInput).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.query_one("#password", SecretInput).wipe()
        self.dismiss(False)

    def _failed(self, error: KioskError) -> None:
        self.query_one("#message", Static).update(explain(error))
