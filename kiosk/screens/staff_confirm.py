"""Confirm a destructive desk action (disable an account, replace a live key): say exactly what
will change, then ask. Focus starts on Cancel, so a stray Enter changes nothing."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from kiosk.screens.staff_base import KioskModal


class ConfirmModal(KioskModal[bool]):
    """Dismisses with True only when the confirming button was pressed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+y", "confirm", "Confirm"),
    ]

    def __init__(self, title: str, details: str, confirm_label: str) -> None:
        super().__init__()
        self.title_text, self.details, self.confirm_label = title, details, confirm_label

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="confirm-dialog"):
            yield Static(self.title_text, classes="title", markup=False)
            yield Static(self.details, id="details", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.confirm_label, id="confirm", variant="error", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
