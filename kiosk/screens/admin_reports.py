"""Admin console: the reports (``kiosk report``) as a sortable, filterable table.

Rows come from ``kiosk.services.reports`` already readable ("yes"/"no", local times with the
date); every cell is plain text (names are untrusted), never markup.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Input, Select, Static

from kiosk.screens.admin_base import AdminScreen
from kiosk.services.reports import REPORTS, readable
from kiosk.widgets.admin_table import AdminTable

#: Short names that fit the report menu at 80 columns; the description shows once chosen.
TITLES = {
    "no-account": "No account yet",
    "unredeemed-keys": "Unused activation keys",
    "locked-disabled": "Locked or disabled accounts",
    "no-recovery-email": "No verified recovery email",
    "signins-per-week": "Sign-ins per school and week",
}


class AdminReportsScreen(AdminScreen):
    EXPORT_NAME = "report"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "refresh", "Refresh")]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-header"):
            yield Static("Reports", classes="admin-title")
            yield Static("Front desk and registrars: their schools only", classes="admin-who")
        with Vertical(id="admin-reports", classes="admin-body"):
            with Horizontal(classes="admin-filters"):
                yield Select(
                    [(TITLES.get(name, name), name) for name in REPORTS],
                    prompt="Choose a report",
                    id="report",
                )
                yield Input(placeholder="Filter rows", id="filter", classes="filter")
            yield Static("Choose a report above.", id="status", markup=False)
            yield AdminTable(id="report-rows")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#report", Select).focus()

    @on(Select.Changed, "#report")
    def chosen(self) -> None:
        self.action_refresh()

    def export_name(self) -> str:
        name = self.query_one("#report", Select).value
        return str(name) if name in REPORTS else self.EXPORT_NAME

    @on(Input.Changed, "#filter")
    def filter_rows(self, event: Input.Changed) -> None:
        table = self.query_one(AdminTable)
        table.set_filter(event.value)
        self._count(len(table.shown_rows), len(table.all_rows))

    def action_refresh(self) -> None:
        name = self.query_one("#report", Select).value
        if name is Select.BLANK or name not in REPORTS:
            return
        entry = REPORTS[str(name)]
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        zone = ctx.config.district.time_zone
        self.status("Loading...")
        self.run_service(
            lambda: readable(entry, entry.run(ctx, staff), zone),
            self._show,
            self.failed,
            group="report",
        )

    def _show(self, table_data: tuple[list[str], list[list[str]]]) -> None:
        table = self.query_one(AdminTable)
        table.show(*table_data)
        self._count(len(table.shown_rows), len(table.all_rows))

    def _count(self, shown: int, total: int) -> None:
        name = self.query_one("#report", Select).value
        about = REPORTS[str(name)].description + " " if name in REPORTS else ""
        if not total:
            self.status(about + "Nothing to report.")
        elif shown == total:
            self.status(f"{about}{total} row(s); 1-9 sorts by a column.")
        else:
            self.status(f"{about}{shown} of {total} row(s) match the filter.")
