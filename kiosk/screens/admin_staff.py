"""Admin console: staff users (list, disable/enable, reset to a temporary password).

A temporary password is shown once, for this one staff member, and cleared when the selection
changes or the screen is left.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import ROLE_LABELS, StaffScreen
from kiosk.services.staff import (
    StaffInfo,
    StaffReset,
    list_staff,
    reset_staff_password,
    set_staff_enabled,
)
from kiosk.text import display


class AdminStaffScreen(StaffScreen):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def __init__(self) -> None:
        super().__init__()
        self.staff_rows: list[StaffInfo] = []
        self.status_for: str | None = None  # whose row the status line talks about
        self.pending: tuple[str, str] | None = None  # (action, username) awaiting a 2nd press

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-staff"):
            yield Static("Staff users", classes="title")
            yield DataTable(id="staff-rows", cursor_type="row", zebra_stripes=True)
            with Horizontal():
                yield Button("Disable", id="disable")
                yield Button("Enable", id="enable")
                yield Button("Reset password", id="reset", variant="warning")
            yield Static("", id="staff-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#staff-rows", DataTable).add_columns(
            "username", "name", "role", "schools", "status"
        )
        self.load()

    def load(self) -> None:
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.run_service(lambda: list_staff(ctx, staff), self._show, self._failed)

    def _show(self, rows: list[StaffInfo]) -> None:
        self.staff_rows = rows
        table = self.query_one("#staff-rows", DataTable)
        cursor = table.cursor_row
        table.clear()
        for s in rows:
            table.add_row(
                Text(display(s.username)),
                Text(display(s.display_name)),
                Text(ROLE_LABELS.get(s.role, s.role)),
                Text(", ".join(s.schools) or "all"),
                Text("enabled" if s.enabled else "disabled"),
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))

    def selected(self) -> StaffInfo | None:
        row = self.query_one("#staff-rows", DataTable).cursor_row
        return self.staff_rows[row] if 0 <= row < len(self.staff_rows) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        target = self.selected()
        if target is None or target.username != self.status_for:
            self._status("")  # never leave a password behind when the selection moves

    def _status(self, text: str, username: str | None = None) -> None:
        self.status_for = username
        self.pending = None
        self.query_one("#staff-status", Static).update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        target = self.selected()
        if target is None:
            return
        action = event.button.id or ""
        if action in ("reset", "disable") and self.pending != (action, target.username):
            # Two presses for what locks someone out: the second one, on the same row, acts.
            verb = "Reset the password of" if action == "reset" else "Disable"
            self._status(f"{verb} {target.username}? Press the button again to confirm.",
                         target.username)  # fmt: skip
            self.pending = (action, target.username)
            return
        self.pending = None
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        if action == "reset":
            self.run_service(
                lambda: reset_staff_password(ctx, staff, target.username),
                self._reset,
                self._failed,
            )
            return
        enabled = event.button.id == "enable"
        self.run_service(
            lambda: set_staff_enabled(ctx, staff, target.username, enabled),
            self._changed,
            self._failed,
        )

    def _changed(self, info: StaffInfo) -> None:
        state = "enabled" if info.enabled else "disabled"
        self._status(f"{info.username} is {state}.", info.username)
        self.load()

    def _reset(self, result: StaffReset) -> None:
        self._status(
            f"Temporary password for {result.username}: {result.temporary_password}\n"
            "Give it to them in person; they must change it at their next sign-in. It is not "
            "shown again.",
            result.username,
        )

    def _failed(self, error: KioskError) -> None:
        target = self.selected()
        self._status(str(error), target.username if target else None)

    def on_screen_suspend(self) -> None:
        self._status("")
