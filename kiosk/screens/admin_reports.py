"""Admin console: the reports (``kiosk report``) as a table, chosen from a list.

Rows come from ``kiosk.services.reports``; every cell is plain text (names are untrusted), never
markup.
"""

from __future__ import annotations

from dataclasses import asdict

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Select, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.reports import REPORTS, columns
from kiosk.text import display


class AdminReportsScreen(StaffScreen):
    BINDINGS = [("escape", "app.pop_screen", "Back"), ("r", "refresh", "Refresh")]

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-reports"):
            yield Static("Reports", classes="title")
            yield Select(
                [(entry.description, name) for name, entry in REPORTS.items()],
                prompt="Choose a report",
                id="report",
            )
            yield Static("", id="report-status", markup=False)
            yield DataTable(id="report-rows", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        name = self.query_one("#report", Select).value
        if name is Select.BLANK or name not in REPORTS:
            return
        entry = REPORTS[str(name)]
        ctx, staff = self.shell.ctx, self.shell.staff
        self.query_one("#report-status", Static).update("Loading...")
        self.run_service(
            lambda: entry.run(ctx, staff),
            lambda rows: self._show(columns(entry), rows),
            self._failed,
            group="report",
        )

    def _show(self, names: list[str], rows: list) -> None:
        table = self.query_one("#report-rows", DataTable)
        table.clear(columns=True)
        table.add_columns(*(name.replace("_", " ") for name in names))
        for row in rows:
            data = asdict(row)
            table.add_row(*(Text(display(data[n])) for n in names))
        self.query_one("#report-status", Static).update(
            f"{len(rows)} row(s)" if rows else "Nothing to report."
        )

    def _failed(self, error: KioskError) -> None:
        self.query_one("#report-status", Static).update(str(error))
