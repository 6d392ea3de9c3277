"""Registrar fix on the guardian card: a relationship's portal access and custody restriction.

Each change goes through ``households.set_relationship_flags``, which checks the role and the
student's school and writes the audit event; this dialog only shows the flags and sends what
changed.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import KioskModal
from kiosk.services.households import set_relationship_flags
from kiosk.services.people import GuardianCard
from kiosk.text import display
from kiosk.widgets.tickbox import TickBox


class RelationshipFlagsModal(KioskModal[bool]):
    """Dismisses with True when any flag was changed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Cancel"),
        Binding("ctrl+s", "save", "Save"),
    ]

    def __init__(self, card: GuardianCard) -> None:
        super().__init__()
        self.card = card

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="flags-dialog"):
            yield Static(Text(f"Relationships of {display(self.card.name)}"), classes="title")
            for n, link in enumerate(self.card.students):
                yield Static(Text(f"{display(link.name)} ({display(link.school)})"))
                with Horizontal(classes="flag-row"):
                    yield TickBox("Portal access", link.portal_access, id=f"portal-{n}")
                    yield TickBox(
                        "Custody restriction", link.custody_restriction, id=f"custody-{n}"
                    )
            yield Static("Nothing changed yet.", id="changes", markup=False)
            yield Static("", id="message", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Save", id="save", variant="warning", compact=True)
                yield Button("Cancel", id="close", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        """Focus the flag behind the card's first problem (else the first flag): Enter or
        Space changes it; Cancel is never where focus starts."""
        kinds = {"portal_off": "portal", "custody": "custody"}
        rows = {link.student_id: n for n, link in enumerate(self.card.students)}
        target = "#portal-0"
        for problem in self.card.problems:
            if problem.kind in kinds and problem.student_id in rows:
                target = f"#{kinds[problem.kind]}-{rows[problem.student_id]}"
                break
        self.query_one(target, TickBox).focus()

    @on(TickBox.Changed)
    def show_changes(self) -> None:
        """Say exactly what Save will change, before it is pressed."""
        lines = []
        names = {link.student_id: link.name for link in self.card.students}
        for student_id, portal, custody in self.changes():
            for flag, value in (("portal access", portal), ("custody restriction", custody)):
                if value is not None:
                    state = "on" if value else "off"
                    lines.append(f"{display(names[student_id])}: {flag} {state}")
        text = "Save will change: " + "; ".join(lines) + "." if lines else "Nothing changed yet."
        self.query_one("#changes", Static).update(text)

    def changes(self) -> list[tuple[str, bool | None, bool | None]]:
        """(student id, portal access, custody restriction) for each changed relationship."""
        found = []
        for n, link in enumerate(self.card.students):
            portal = self.query_one(f"#portal-{n}", TickBox).value
            custody = self.query_one(f"#custody-{n}", TickBox).value
            if portal != link.portal_access or custody != link.custody_restriction:
                found.append(
                    (
                        link.student_id,
                        portal if portal != link.portal_access else None,
                        custody if custody != link.custody_restriction else None,
                    )
                )
        return found

    @on(Button.Pressed, "#close")
    def close_pressed(self) -> None:
        self.action_close()

    def action_save(self) -> None:
        self.save_pressed()

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        changes = self.changes()
        if not changes:
            self.dismiss(False)
            return
        ctx, staff, gid = self.shell.ctx, self.shell.staff, self.card.guardian_id

        def save() -> None:
            for student_id, portal, custody in changes:
                set_relationship_flags(
                    ctx, staff, gid, student_id, portal_access=portal, custody_restriction=custody
                )

        self.run_service(save, lambda _none: self.dismiss(True), self._failed)

    def _failed(self, error: KioskError) -> None:
        self.query_one("#message", Static).update(str(error))

    def action_close(self) -> None:
        self.dismiss(False)
