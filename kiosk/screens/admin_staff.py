"""Admin console: staff users (add, list, disable/enable, reset to a temporary password).

A temporary password is shown once, for this one staff member, and cleared when the selection
changes or the screen is left.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Input, Static

from kiosk.screens.admin_base import AdminScreen
from kiosk.screens.admin_staff_add import AddStaffModal
from kiosk.screens.staff_base import ROLE_LABELS
from kiosk.services.staff import (
    StaffInfo,
    StaffReset,
    list_staff,
    reset_staff_password,
    set_staff_enabled,
)
from kiosk.widgets.admin_table import AdminTable

HEADER = ["username", "name", "role", "schools", "enabled"]


class AdminStaffScreen(AdminScreen):
    EXPORT_NAME = "staff"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+n", "add", "Add staff")]

    def __init__(self) -> None:
        super().__init__()
        self.status_for: str | None = None  # whose row the status line talks about
        self.pending: tuple[str, str] | None = None  # (action, username) awaiting a 2nd press

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-header"):
            yield Static("Staff users", classes="admin-title")
            yield Static("District admins only", classes="admin-who")
        with Vertical(id="admin-staff", classes="admin-body"):
            with Horizontal(classes="admin-filters"):
                yield Input(placeholder="Filter staff", id="filter", classes="filter")
            yield AdminTable(id="staff-rows")
            with Horizontal(classes="admin-actions"):
                yield Button("Add staff", id="add", variant="primary", compact=True)
                yield Button("Disable", id="disable", compact=True)
                yield Button("Enable", id="enable", compact=True)
                yield Button("Reset password", id="reset", variant="warning", compact=True)
            yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(AdminTable).focus()
        self.load()

    def load(self) -> None:
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.run_service(lambda: list_staff(ctx, staff), self._show, self.failed)

    def _show(self, rows: list[StaffInfo]) -> None:
        self.query_one(AdminTable).show(
            HEADER,
            [
                [s.username, s.display_name, ROLE_LABELS.get(s.role, s.role),
                 ", ".join(s.schools) or "all", "yes" if s.enabled else "no"]
                for s in rows
            ],
        )  # fmt: skip
        if self.status_for:  # keep the row the status line talks about highlighted
            self.query_one(AdminTable).move_to(0, self.status_for)

    @on(Input.Changed, "#filter")
    def filter_rows(self, event: Input.Changed) -> None:
        self.query_one(AdminTable).set_filter(event.value)

    def selected(self) -> str | None:
        """The username on the highlighted row (the table may be sorted or filtered)."""
        table = self.query_one(AdminTable)
        row = table.cursor_row
        return table.shown_rows[row][0] if 0 <= row < len(table.shown_rows) else None

    @on(DataTable.RowHighlighted)
    def moved(self) -> None:
        if self.selected() != self.status_for:
            self.say("")  # never leave a password behind when the selection moves

    def say(self, text: str, username: str | None = None) -> None:
        self.status_for = username
        self.pending = None
        self.status(text)

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        self.say("")
        self.app.push_screen(AddStaffModal(), self._added)

    def _added(self, info: StaffInfo | None) -> None:
        if info is None:
            return
        self.say(
            f"Added {info.username} ({ROLE_LABELS.get(info.role, info.role)}). Give them the "
            "first password in person; they choose their own at first sign-in.",
            info.username,
        )
        self.load()

    @on(Button.Pressed, "#disable, #enable, #reset")
    def act(self, event: Button.Pressed) -> None:
        username = self.selected()
        if username is None:
            return
        action = event.button.id or ""
        if action in ("reset", "disable") and self.pending != (action, username):
            # Two presses for what locks someone out: the second one, on the same row, acts.
            verb = "Reset the password of" if action == "reset" else "Disable"
            self.say(f"{verb} {username}? Press the button again to confirm.", username)
            self.pending = (action, username)
            return
        self.pending = None
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        if action == "reset":
            self.run_service(
                lambda: reset_staff_password(ctx, staff, username), self._reset, self.failed
            )
            return
        enabled = action == "enable"
        self.run_service(
            lambda: set_staff_enabled(ctx, staff, username, enabled), self._changed, self.failed
        )

    def _changed(self, info: StaffInfo) -> None:
        state = "enabled" if info.enabled else "disabled"
        self.say(f"{info.username} is {state}.", info.username)
        self.load()

    def _reset(self, result: StaffReset) -> None:
        self.say(
            f"Temporary password for {result.username}: {result.temporary_password}\n"
            "Give it to them in person; they must change it at their next sign-in. It is not "
            "shown again.",
            result.username,
        )

    def on_screen_suspend(self) -> None:
        self.say("")
