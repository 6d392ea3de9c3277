"""Type the staff password again: to come back from the parent side, or to exit the kiosk."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Label, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import KioskModal
from kiosk.services.staff import Recheck, verify_staff_password
from kiosk.text import display
from kiosk.widgets.secret import SecretInput

WRONG = "That is not the password of the signed-in staff member. Try again, or press Cancel."

_TITLES = {
    "return": "Staff only: type your password to return to the front desk",
    "exit": "Exit the kiosk: type your staff password",
}


class StaffReauthModal(KioskModal[bool]):
    """Dismisses with True only when the signed-in staff member's password was right."""

    AUDIENCE = "parent"  # it is shown over parent screens, so the short timeout applies
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, purpose: str = "return") -> None:
        super().__init__()
        self.purpose = purpose
        #: True while a password is being checked: Enter again must not start another check.
        self.checking = False

    def compose(self) -> ComposeResult:
        staff = self.shell.staff
        with Vertical(classes="dialog"):
            yield Static(_TITLES.get(self.purpose, _TITLES["return"]), classes="title")
            yield Label(signed_in_line(staff.name if staff else ""), markup=False)
            yield SecretInput(id="password", max_length=128)
            yield Static("", id="message", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                label = "Exit kiosk" if self.purpose == "exit" else "Return to front desk"
                yield Button(label, id="confirm", variant="warning")
                yield Button("Cancel", id="cancel")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#password", SecretInput).focus()

    def on_input_submitted(self, event: SecretInput.Submitted) -> None:
        event.stop()
        self.check()

    @on(Button.Pressed, "#confirm")
    def confirm_pressed(self) -> None:
        self.check()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.query_one("#password", SecretInput).wipe()
        self.dismiss(False)

    def check(self) -> None:
        if self.checking:
            return
        field = self.query_one("#password", SecretInput)
        password = field.value
        field.wipe()
        staff = self.shell.staff
        if staff is None:
            self.dismiss(False)
            return
        if not password:
            self.query_one("#message", Static).update("Type your staff password.")
            return
        ctx = self.shell.ctx
        self.checking = True
        self.run_service(
            lambda: verify_staff_password(ctx, staff, password), self._checked, self._failed
        )

    def _checked(self, result: Recheck) -> None:
        self.checking = False
        if result.ok:
            self.dismiss(True)
        elif result.signed_out:  # too many wrong passwords: nobody stays signed in as staff
            self.shell.go_welcome()
        else:
            self.query_one("#message", Static).update(WRONG)
            self.query_one("#password", SecretInput).focus()

    def _failed(self, error: KioskError) -> None:
        self.checking = False
        self.query_one("#message", Static).update(str(error))


def signed_in_line(name: str) -> str:
    return f"Signed in: {display(name)}" if name else ""
