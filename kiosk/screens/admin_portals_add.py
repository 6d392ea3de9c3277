"""Admin console > Portals > Add: an OIDC client or a SAML SP, the same rules as the CLI.

Both dismiss with the new registration's name (None: cancelled). A confidential client's secret
is shown once here, before the dialog closes, and never again.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from kiosk.errors import KioskError
from kiosk.federation.registry import PROFILES, NewClient, SpView, add_client, add_sp, read_metadata
from kiosk.i18n import explain
from kiosk.screens.staff_base import KioskModal
from kiosk.themes import ADMIN_CSS


class _AddModal(KioskModal[str | None]):
    CSS_PATH = ADMIN_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]
    TITLES: ClassVar[dict[str, str]] = {}

    def on_mount(self) -> None:
        for selector, title in self.TITLES.items():
            self.query_one(selector).border_title = title
        self.query_one("#portal-name", Input).focus()

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    @on(Button.Pressed, "#cancel")
    def cancel_pressed(self) -> None:
        self.action_cancel()  # so a subclass's action_cancel runs for the button too

    def action_cancel(self) -> None:
        self.dismiss(None)

    def failed(self, error: KioskError) -> None:
        self.query_one("#add", Button).disabled = False
        self.say(explain(error))

    def say(self, text: str) -> None:
        self.query_one("#message", Static).update(text)

    def value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def buttons(self) -> ComposeResult:
        yield Static("", id="message", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Add", id="add", variant="primary", compact=True)
            yield Button("Cancel", id="cancel", compact=True)


class AddClientModal(_AddModal):
    TITLES: ClassVar[dict[str, str]] = {
        "#portal-name": "Name",
        "#redirect-uri": "Redirect URI (https://...)",
        "#client-type": "Type",
    }

    def compose(self) -> ComposeResult:
        with Vertical(id="add-portal", classes="dialog"):
            yield Static("Add an OpenID Connect client", classes="title")
            yield Input(id="portal-name", max_length=80, placeholder="e.g. Library portal")
            yield Input(id="redirect-uri", max_length=2000, placeholder="https://...")
            yield Select(
                [("Confidential (has a secret)", "confidential"), ("Public (no secret)", "public")],
                value="confidential",
                allow_blank=False,
                id="client-type",
            )
            yield from self.buttons()

    @on(Button.Pressed, "#add")
    def add(self) -> None:
        name, uri = self.value("#portal-name"), self.value("#redirect-uri")
        public = self.query_one("#client-type", Select).value == "public"
        if not name or not uri:
            self.say("Type a name and a redirect URI.")
            return
        ctx, staff = self.shell.ctx, self.shell.staff
        self.query_one("#add", Button).disabled = True
        self.say("Adding...")
        self.run_service(
            lambda: add_client(ctx, staff, name, [uri], public=public), self._added, self.failed
        )

    def _added(self, new: NewClient) -> None:
        if not new.secret:
            self.dismiss(new.client.name)
            return
        self.added_name = new.client.name
        for widget in self.query("Input, Select, #add"):
            widget.disabled = True
        self.query_one("#cancel", Button).label = "Done"
        self.say(
            f"Added {new.client.name}. Client id: {new.client.client_id}\n"
            f"Client secret: {new.secret}\n"
            "Copy the secret into the portal now: it is not shown again."
        )
        self.query_one("#cancel", Button).focus()

    def action_cancel(self) -> None:
        self.say("")  # the secret leaves the screen with the dialog
        self.dismiss(getattr(self, "added_name", None))


class AddSpModal(_AddModal):
    TITLES: ClassVar[dict[str, str]] = {
        "#portal-name": "Name",
        "#metadata-path": "Metadata file (the SP's XML)",
        "#profile": "Parents are known to it by",
    }

    def compose(self) -> ComposeResult:
        with Vertical(id="add-portal", classes="dialog"):
            yield Static("Add a SAML service provider", classes="title")
            yield Input(id="portal-name", max_length=80, placeholder="e.g. Campus portal")
            yield Input(id="metadata-path", max_length=1000, placeholder="e.g. campus-sp.xml")
            yield Select(
                [(p, p) for p in PROFILES], value=PROFILES[0], allow_blank=False, id="profile"
            )
            yield from self.buttons()

    @on(Button.Pressed, "#add")
    def add(self) -> None:
        name, path = self.value("#portal-name"), self.value("#metadata-path")
        profile = str(self.query_one("#profile", Select).value)
        if not name or not path:
            self.say("Type a name and the path of the SP's metadata file.")
            return
        ctx, staff = self.shell.ctx, self.shell.staff

        def work() -> SpView:
            return add_sp(ctx, staff, name, read_metadata(path), profile)

        self.query_one("#add", Button).disabled = True
        self.say("Adding...")
        self.run_service(work, lambda sp: self.dismiss(sp.name), self.failed)
