"""A staff member signed in with a first or temporary password chooses their own.

Reached only from the staff sign-in; the temporary password they just typed carries over (it is
not asked again) and is forgotten when this screen goes. Until they choose, nobody is signed in.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Static

from kiosk.auth import Actor
from kiosk.errors import KioskError
from kiosk.i18n import explain
from kiosk.screens.base import KioskScreen
from kiosk.services.staff import STAFF_PASSWORD_POLICY, change_staff_password
from kiosk.themes import ADMIN_CSS
from kiosk.widgets.secret import SecretInput


class StaffNewPasswordScreen(KioskScreen):
    AUDIENCE = "parent"  # nobody is signed in yet: the short idle timeout applies
    CSS_PATH = ADMIN_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel (sign out)")]

    def __init__(self, actor: Actor, temporary: str) -> None:
        super().__init__()
        self.actor, self.temporary = actor, temporary

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-new-password", classes="form-card"):
            yield Static("Choose your own password", classes="title")
            yield Static(
                "You signed in with a first or temporary password. Choose your own: at least "
                f"{STAFF_PASSWORD_POLICY.min_length} characters; a few unrelated words work well.",
                markup=False,
            )
            yield SecretInput(id="new-password", max_length=128)
            yield SecretInput(id="again", max_length=128)
            yield Static("", id="message", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save and continue", id="save", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-password").border_title = "New password"
        self.query_one("#again").border_title = "The same again"
        self.query_one("#new-password", SecretInput).focus()

    @on(SecretInput.Submitted, "#new-password")
    def next_field(self) -> None:
        self.query_one("#again", SecretInput).focus()

    @on(SecretInput.Submitted, "#again")
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        new = self.query_one("#new-password", SecretInput).value
        again = self.query_one("#again", SecretInput).value
        message = self.query_one("#message", Static)
        if not new:
            message.update("Type a new password.")
            return
        if new != again:
            self.query_one("#again", SecretInput).wipe()
            message.update("The two passwords differ. Type the new one again below.")
            self.query_one("#again", SecretInput).focus()
            return
        ctx, actor, current = self.kiosk.ctx, self.actor, self.temporary
        message.update("Saving...")
        self.query_one("#save", Button).disabled = True
        self.run_service(
            lambda: change_staff_password(ctx, actor, current, new), self._saved, self._failed
        )

    def _saved(self, _: None) -> None:
        self.temporary = ""
        self.kiosk.staff = self.actor
        self.kiosk.go_staff_home()

    def _failed(self, error: KioskError) -> None:
        self.query_one("#save", Button).disabled = False
        for field in self.query(SecretInput):
            field.wipe()
        self.query_one("#message", Static).update(explain(error))
        self.query_one("#new-password", SecretInput).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.temporary = ""
        self.kiosk.go_welcome()
