"""Reset a parent's password to a temporary one, after recording how identity was re-proven.

The temporary password is shown once, in this dialog only, and is wiped when it closes.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, RadioButton, RadioSet, Static

from kiosk.clock import local_text
from kiosk.errors import KioskError
from kiosk.screens.staff_base import KioskModal
from kiosk.services.staff import (
    GUARDIANSHIP_QUESTIONS,
    PROOFS,
    TemporaryPassword,
    reset_password,
)
from kiosk.text import display
from kiosk.widgets.tickbox import TickBox


class ResetPasswordModal(KioskModal[bool]):
    """Dismisses with True when the password was reset (and the temporary one was shown)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Cancel")]

    def __init__(self, username: str) -> None:
        super().__init__()
        self.username = username
        self.reset_done = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="reset-dialog"):
            yield Static(Text(f"Reset the password of {display(self.username)}"), classes="title")
            yield Static(
                "Their current password stops working and they are signed out everywhere; a "
                "temporary password, shown once here, lets them choose a new one.",
                classes="hint",
                markup=False,
            )
            yield Static("How did the parent prove who they are? (choose one)", markup=False)
            with RadioSet(id="proof"):
                for key, label in PROOFS.items():
                    yield RadioButton(label, id=f"proof-{key}")  # none preselected
            with Vertical(id="questions"):
                yield Static("All must be answered correctly:", classes="hint", markup=False)
                for key, label in GUARDIANSHIP_QUESTIONS.items():
                    yield TickBox(label, id=f"q-{key}")  # none ticked
            yield Static("", id="message", classes="error", markup=False)
            yield Static("", id="temporary", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Reset password", id="reset", variant="warning", compact=True)
                yield Button("Cancel", id="close", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#questions").display = False
        self.query_one("#proof", RadioSet).focus()

    def proof(self) -> str:
        pressed = self.query_one("#proof", RadioSet).pressed_button
        return (pressed.id or "").removeprefix("proof-") if pressed else ""

    def answered(self) -> list[str]:
        return [key for key in GUARDIANSHIP_QUESTIONS if self.query_one(f"#q-{key}", TickBox).value]

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.query_one("#questions").display = self.proof() == "guardianship_questions"

    @on(Button.Pressed, "#reset")
    def reset_pressed(self) -> None:
        if not self.reset_done:
            self.action_reset()

    @on(Button.Pressed, "#close")
    def close_pressed(self) -> None:
        self.action_close()

    def action_reset(self) -> None:
        proof = self.proof()
        answered = self.answered() if proof == "guardianship_questions" else []
        message = self.query_one("#message", Static)
        if not proof:
            message.update("Choose how the parent proved who they are first.")
            self.query_one("#proof", RadioSet).focus()
            return
        if proof == "guardianship_questions" and len(answered) < len(GUARDIANSHIP_QUESTIONS):
            open_ = [q for k, q in GUARDIANSHIP_QUESTIONS.items() if k not in answered]
            message.update(
                "Every question must be answered correctly first. Still open: "
                + "; ".join(open_)
                + ". Otherwise ask for photo ID."
            )
            return
        message.update("Resetting…")
        ctx, staff, username = self.shell.ctx, self.shell.staff, self.username
        if staff is None:
            self.dismiss(False)
            return
        self.run_service(
            lambda: reset_password(ctx, staff, username, proof, answered), self._done, self._failed
        )

    def _done(self, temp: TemporaryPassword) -> None:
        self.reset_done = True
        self.query_one("#message", Static).update("")
        shown = Text("Temporary password (shown once; read it to the parent):\n")
        shown.append(temp.password, style="bold reverse")
        shown.append(
            "\nIt only lets them set a new password, until "
            f"{local_text(temp.expires_at, self.shell.ctx.config.district.time_zone)}."
        )
        self.query_one("#temporary", Static).update(shown)
        self.query_one("#reset", Button).display = False
        close = self.query_one("#close", Button)
        close.label = "Done (hide it)"
        close.focus()

    def _failed(self, error: KioskError) -> None:
        self.query_one("#message", Static).update(Text(str(error)))

    def action_close(self) -> None:
        self.query_one("#temporary", Static).update("")
        self.dismiss(self.reset_done)
