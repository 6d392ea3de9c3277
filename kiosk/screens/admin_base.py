"""What the admin console's screens share: Esc goes back, ctrl+q quits (outside kiosk mode),
ctrl+s saves the screen's table as CSV, and a header line naming the tool and who may use it."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Static

from kiosk.errors import KioskError
from kiosk.i18n import explain
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.exports import write_csv
from kiosk.themes import ADMIN_CSS
from kiosk.widgets.admin_table import AdminTable


class AdminScreen(StaffScreen):
    """Base of every admin tool. ``EXPORT_NAME`` (with an ``AdminTable``) enables ctrl+s."""

    CSS_PATH = ADMIN_CSS
    EXPORT_NAME: ClassVar[str] = ""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "export_csv", "Save CSV"),
        # Priority so the footer shows it over the app's hidden guard of the same key.
        Binding("ctrl+q", "quit_console", "Quit", priority=True),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit_console":
            return not self.kiosk.kiosk_mode  # a kiosk never quits from a key
        if action == "export_csv":
            return bool(self.EXPORT_NAME)
        return True

    def export_name(self) -> str:
        """The start of the CSV file's name."""
        return self.EXPORT_NAME

    def action_back(self) -> None:
        self.app.pop_screen()

    async def action_quit_console(self) -> None:
        await self.app.action_quit()

    def status(self, text: str) -> None:
        """The screen's one status line (``#status``), plain text."""
        self.query_one("#status", Static).update(text)

    def action_export_csv(self) -> None:
        table = self.query_one(AdminTable)
        if not table.header:
            self.status("Nothing to save yet.")
            return
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        header, rows, name = list(table.header), list(table.shown_rows), self.export_name()
        self.status("Saving...")
        self.run_service(
            lambda: write_csv(ctx, staff, name, header, rows),
            lambda path: self.status(f"Saved {len(rows)} row(s) to {path}"),
            self.failed,
            group="export",
        )

    def failed(self, error: KioskError) -> None:
        self.status(explain(error))
