"""Admin console: the audit log, filtered like ``kiosk audit export``, and the chain check."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, DataTable, Footer, Input, Static

from kiosk.audit import VerifyResult, verify
from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import KioskError
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.access import require_staff
from kiosk.services.audit_export import Filters, export
from kiosk.text import display

LIMIT = 500


def load_events(ctx: Context, staff: Actor, filters: Filters) -> list[dict]:
    """The newest matching events (at most LIMIT), through the export service's checks."""
    import io

    out = io.StringIO()
    export(ctx, staff, out, "jsonl", filters)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return rows[-LIMIT:][::-1]


def check_chain(ctx: Context, staff: Actor) -> VerifyResult:
    require_staff(staff, "district_admin")
    return verify(ctx)


class AdminAuditScreen(StaffScreen):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        with Vertical(id="admin-audit"):
            yield Static("Audit log", classes="title")
            with Horizontal(id="audit-filters"):
                yield Input(placeholder="actor", id="actor")
                yield Input(placeholder="action", id="action")
                yield Input(placeholder="target", id="target")
                yield Input(placeholder="since (2026-11-01)", id="since")
            with Horizontal():
                yield Button("Show", id="show", variant="primary")
                yield Button("Check the chain", id="verify")
            yield Static("", id="audit-status", markup=False)
            yield DataTable(id="events", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#events", DataTable).add_columns(
            "at (UTC)", "actor", "action", "target", "outcome", "detail"
        )
        self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.show()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "verify":
            ctx, staff = self.kiosk.ctx, self.kiosk.staff
            self.run_service(lambda: check_chain(ctx, staff), self._verified, self._failed)
        else:
            self.show()

    def show(self) -> None:
        value = {i.id: i.value.strip() or None for i in self.query(Input)}
        filters = Filters(value["actor"], value["action"], value["target"], value["since"])
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.run_service(lambda: load_events(ctx, staff, filters), self._show, self._failed)

    def _show(self, rows: list[dict]) -> None:
        table = self.query_one("#events", DataTable)
        table.clear()
        for row in rows:
            detail = json.dumps(row["detail"], ensure_ascii=False, sort_keys=True)
            table.add_row(
                *(
                    Text(display(v))
                    for v in (row["at"][:19].replace("T", " "), row["actor"], row["action"],
                              row["target"], row["outcome"], detail)
                )
            )  # fmt: skip
        more = f" (newest {LIMIT})" if len(rows) == LIMIT else ""
        self.query_one("#audit-status", Static).update(Text(f"{len(rows)} event(s){more}"))

    def _verified(self, result: VerifyResult) -> None:
        status = self.query_one("#audit-status", Static)
        if result.ok:
            status.update(
                Text(f"Audit log intact: {result.count} events. Head hash {result.head}.")
            )
        else:
            status.update(
                f"Audit log TAMPERED: {len(result.problems)} problem(s).\n"
                + "\n".join(result.problems[:20])
            )

    def _failed(self, error: KioskError) -> None:
        self.query_one("#audit-status", Static).update(str(error))
