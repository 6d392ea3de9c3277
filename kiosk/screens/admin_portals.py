"""Admin console: portals that sign parents in through Front Desk (SAML SPs, OIDC clients).

The same registry as ``kiosk sps`` and ``kiosk clients``: list, add, and remove after the staff
password. A confidential client's secret is shown once, in the add dialog, never in the table.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Static

from kiosk.federation.registry import list_clients, list_sps, remove_client, remove_sp
from kiosk.screens.admin_base import AdminScreen
from kiosk.screens.admin_confirm import ConfirmWithPasswordModal
from kiosk.screens.admin_portals_add import AddClientModal, AddSpModal
from kiosk.widgets.admin_table import AdminTable

HEADER = ["kind", "name", "entity id / client id", "profile", "unsolicited", "public",
          "redirect URIs"]  # fmt: skip
SAML, OIDC = "SAML SP", "OIDC client"


def portal_rows(ctx) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """Every registration as table rows; a client's secret is never among them."""
    sps = [
        [SAML, sp.name, sp.entity_id, sp.profile, "yes" if sp.allow_unsolicited else "no", "", ""]
        for sp in list_sps(ctx)
    ]
    clients = [
        [OIDC, c.name, c.client_id, "", "", "yes" if c.public else "no", " ".join(c.redirect_uris)]
        for c in list_clients(ctx)
    ]
    return sps + clients


class AdminPortalsScreen(AdminScreen):
    EXPORT_NAME = "portals"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "add_client", "Add client"),
        Binding("ctrl+t", "add_sp", "Add SP"),
        Binding("delete", "remove", "Remove"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal(classes="admin-header"):
            yield Static("Portals (SAML and OpenID Connect)", classes="admin-title")
            yield Static("District admins only", classes="admin-who")
        with Vertical(id="admin-portals", classes="admin-body"):
            yield AdminTable(id="portal-rows")
            with Horizontal(classes="admin-actions"):
                yield Button("Add OIDC client", id="add-client", variant="primary", compact=True)
                yield Button("Add SAML SP", id="add-sp", compact=True)
                yield Button("Remove", id="remove", variant="error", compact=True)
            yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(AdminTable).focus()
        self.load()

    def load(self) -> None:
        ctx = self.shell.ctx
        self.run_service(lambda: portal_rows(ctx), self._show, self.failed)

    def _show(self, rows: list[list[str]]) -> None:
        self.query_one(AdminTable).show(HEADER, rows)

    def selected(self) -> tuple[str, str] | None:
        """(kind, name) of the highlighted row (the table may be sorted)."""
        table = self.query_one(AdminTable)
        row = table.cursor_row
        return tuple(table.shown_rows[row][:2]) if 0 <= row < len(table.shown_rows) else None  # type: ignore[return-value]

    @on(Button.Pressed, "#add-client")
    def action_add_client(self) -> None:
        self.status("")
        self.app.push_screen(AddClientModal(), self._added)

    @on(Button.Pressed, "#add-sp")
    def action_add_sp(self) -> None:
        self.status("")
        self.app.push_screen(AddSpModal(), self._added)

    def _added(self, name: str | None) -> None:
        if name:
            self.status(f"Added {name}.")
            self.load()

    @on(Button.Pressed, "#remove")
    def action_remove(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self.status("Nothing to remove: the list is empty.")
            return
        kind, name = chosen
        details = (
            f"{kind} {name} will no longer be able to sign parents in. To use it again, "
            "register it anew (an OIDC client then gets a new client id and secret)."
        )
        modal = ConfirmWithPasswordModal(f"Remove {name}?", details, "Remove")
        self.app.push_screen(modal, lambda ok: self._remove(kind, name) if ok else None)

    def _remove(self, kind: str, name: str) -> None:
        ctx, staff = self.shell.ctx, self.shell.staff
        remove = remove_sp if kind == SAML else remove_client
        self.status("Removing...")
        self.run_service(
            lambda: remove(ctx, staff, name), lambda _: self._removed(name), self.failed
        )

    def _removed(self, name: str) -> None:
        self.status(f"Removed {name}.")
        self.load()
