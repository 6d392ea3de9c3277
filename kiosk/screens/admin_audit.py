"""Admin console: the audit log, filtered like ``kiosk audit export``, and the chain check.

Four filters in one row that fits 80 columns; Enter in any of them (or Show) applies them.
Times are shown in the district's time zone with the date.
"""

from __future__ import annotations

import io
import json

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Static

from kiosk.audit import VerifyResult, verify
from kiosk.auth import Actor
from kiosk.clock import local_text
from kiosk.context import Context
from kiosk.screens.admin_base import AdminScreen
from kiosk.services.access import require_staff
from kiosk.services.audit_export import Filters, export
from kiosk.widgets.admin_table import AdminTable

LIMIT = 500
HEADER = ["at", "actor", "action", "target", "outcome", "detail"]


def load_events(ctx: Context, staff: Actor, filters: Filters) -> list[list[str]]:
    """The newest matching events (at most LIMIT), newest first, through the export service's
    checks; times in the district's zone."""
    out = io.StringIO()
    export(ctx, staff, out, "jsonl", filters)
    events = [json.loads(line) for line in out.getvalue().splitlines()][-LIMIT:][::-1]
    zone = ctx.config.district.time_zone
    return [
        [local_text(e["at"], zone), e["actor"], e["action"], e["target"], e["outcome"],
         json.dumps(e["detail"], ensure_ascii=False, sort_keys=True)]
        for e in events
    ]  # fmt: skip


def check_chain(ctx: Context, staff: Actor) -> VerifyResult:
    require_staff(staff, "district_admin")
    return verify(ctx)


class AdminAuditScreen(AdminScreen):
    EXPORT_NAME = "audit"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-header"):
            yield Static("Audit log", classes="admin-title")
            yield Static("District admins only", classes="admin-who")
        with Vertical(id="admin-audit", classes="admin-body"):
            with Horizontal(id="audit-filters", classes="admin-filters"):
                yield Input(placeholder="actor", id="actor")
                yield Input(placeholder="action", id="action")
                yield Input(placeholder="target", id="target")
                yield Input(placeholder="since 2026-11-01", id="since")
            with Horizontal(classes="admin-actions"):
                yield Button("Show", id="show", variant="primary", compact=True)
                yield Button("Check the chain", id="verify", compact=True)
            yield Static("", id="status", markup=False)
            yield AdminTable(id="events")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#actor", Input).focus()
        self.show()

    @on(Input.Submitted)
    @on(Button.Pressed, "#show")
    def show(self) -> None:
        value = {i.id: i.value.strip() or None for i in self.query(Input)}
        filters = Filters(value["actor"], value["action"], value["target"], value["since"])
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.status("Loading...")
        self.run_service(lambda: load_events(ctx, staff, filters), self._show, self.failed)

    @on(Button.Pressed, "#verify")
    def check(self) -> None:
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.status("Checking the chain...")
        self.run_service(lambda: check_chain(ctx, staff), self._verified, self.failed)

    def _show(self, rows: list[list[str]]) -> None:
        self.query_one(AdminTable).show(HEADER, rows)
        more = f" (the newest {LIMIT})" if len(rows) == LIMIT else ""
        self.status(f"{len(rows)} event(s){more}")

    def _verified(self, result: VerifyResult) -> None:
        status = self.query_one("#status", Static)
        if result.ok:
            status.update(Text(f"Audit log intact: {result.count} events."))
        else:
            status.update(
                Text(
                    f"Audit log TAMPERED: {len(result.problems)} problem(s).\n"
                    + "\n".join(result.problems[:20])
                )
            )
