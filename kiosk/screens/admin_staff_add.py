"""Admin console > Staff users > Add: the same rules as ``kiosk staff add``, on screen.

The first password is typed by the admin and handed over in person; the new staff member must
choose their own at their first sign-in. Dismisses with the new ``StaffInfo`` (None: cancelled).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, SelectionList, Static

from kiosk.errors import KioskError
from kiosk.i18n import explain
from kiosk.screens.staff_base import ROLE_LABELS, KioskModal
from kiosk.services.staff import StaffInfo
from kiosk.services.staff_members import add_staff_member, school_choices
from kiosk.themes import ADMIN_CSS
from kiosk.widgets.secret import SecretInput


class AddStaffModal(KioskModal[StaffInfo | None]):
    CSS_PATH = ADMIN_CSS
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="add-staff", classes="dialog"):
            yield Static("Add a staff member", classes="title")
            yield Input(id="new-username", max_length=64, placeholder="e.g. jlopez")
            yield Input(id="new-name", max_length=100, placeholder="e.g. Julia Lopez")
            yield Select(
                [(label, role) for role, label in ROLE_LABELS.items()],
                prompt="Choose a role",
                id="new-role",
            )
            yield SelectionList[str](id="new-schools")
            yield SecretInput(id="new-password", max_length=128)
            yield Static(
                "Front desk and registrars need at least one school; district admins see all.",
                id="message",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Add", id="add", variant="primary", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        titles = {
            "#new-username": "Username",
            "#new-name": "Name",
            "#new-role": "Role",
            "#new-schools": "Schools (Space ticks)",
            "#new-password": "First password (they change it at first sign-in)",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        self.query_one("#new-username", Input).focus()
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.run_service(lambda: school_choices(ctx, staff), self._schools, self._failed)

    def _schools(self, schools: list[tuple[str, str]]) -> None:
        choices = self.query_one("#new-schools", SelectionList)
        choices.add_options([(f"{code}  {name}", code) for code, name in schools])
        if schools:
            choices.highlighted = 0  # so Space ticks the first school straight away

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "new-password":
            self.add()
        else:
            self.focus_next()

    @on(Button.Pressed, "#add")
    def add(self) -> None:
        role = self.query_one("#new-role", Select).value
        if role is Select.BLANK:
            self._message("Choose a role.")
            return
        password_field = self.query_one("#new-password", SecretInput)
        values = (
            self.query_one("#new-username", Input).value.strip(),
            self.query_one("#new-name", Input).value.strip(),
            str(role),
            list(self.query_one("#new-schools", SelectionList).selected),
            password_field.value,
        )
        if not values[0] or not values[4]:
            self._message("Type a username and a first password.")
            return
        if values[2] != "district_admin" and not values[3]:
            self._message("Tick at least one school (Space): front desk and registrars need one.")
            return
        ctx, staff = self.kiosk.ctx, self.kiosk.staff
        self.query_one("#add", Button).disabled = True
        self._message("Adding...")
        self.run_service(lambda: add_staff_member(ctx, staff, *values), self.dismiss, self._failed)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.query_one("#new-password", SecretInput).wipe()
        self.dismiss(None)

    def _failed(self, error: KioskError) -> None:
        self.query_one("#add", Button).disabled = False
        self._message(explain(error))

    def _message(self, text: str) -> None:
        self.query_one("#message", Static).update(text)
