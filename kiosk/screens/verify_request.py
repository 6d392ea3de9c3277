"""Verify request: which students, which photo ID, signature witnessed; then issue the key.

Only students the guardian may see in the portal can be ticked; the others say why not. If the
guardian already has an account, staff get the account's tools instead of a new key.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Footer, Label, Select, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.activation import (
    ID_TYPES,
    AlreadyHasAccount,
    IssuedKey,
    issue_key,
    verify_request,
)
from kiosk.services.people import GuardianCard, guardian_card
from kiosk.text import display
from kiosk.widgets.plain import plain
from kiosk.widgets.student_line import why_not
from kiosk.widgets.tickbox import TickBox


class VerifyRequestScreen(StaffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "submit", "Verify and issue key"),
    ]

    def __init__(self, guardian_id: str) -> None:
        super().__init__()
        self.guardian_id = guardian_id
        self.card: GuardianCard | None = None
        self.existing_username: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="verify-form"):
            yield Static("Verify the portal request", classes="title")
            yield Static("Loading…", id="guardian", markup=False)
            yield Label("Students on the signed request form:")
            yield Vertical(id="students")
            yield Label("Photo ID checked:")
            yield Select(
                [(label, key) for key, label in ID_TYPES.items()],
                prompt="Choose the kind of photo ID",
                id="id-type",
                compact=True,
            )
            yield TickBox("I watched the parent sign the request form", id="signature")
            yield Static("", id="message", classes="error", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Verify and issue key", id="submit", variant="primary", compact=True)
            yield Button("Account tools", id="account", compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#account", Button).display = False
        ctx, staff, gid = self.shell.ctx, self.staff, self.guardian_id
        self.run_service(lambda: guardian_card(ctx, staff, gid), self._show, self._failed)

    def _show(self, card: GuardianCard) -> None:
        self.card = card
        self.query_one("#guardian", Static).update(
            Text.assemble("Guardian: ", (display(card.name), "bold"))
        )
        box = self.query_one("#students", Vertical)
        boxes = []
        for n, link in enumerate(card.students):
            label = plain(link.name, f" ({link.school}, grade {link.grade})")
            if not link.eligible:
                label = label + plain(f"  not selectable: {why_not(link)}")
            boxes.append(
                TickBox(label, value=link.eligible, disabled=not link.eligible, id=f"student-{n}")
            )
        if not boxes:
            boxes.append(Static("No students are recorded for this guardian.", markup=False))
        box.mount_all(boxes)
        # Eligible students start ticked, so the photo ID is the next thing to record.
        self.query_one("#id-type", Select).focus()
        if card.account_username:
            self._has_account(card.account_username, card.account_state or "")

    def _failed(self, error: KioskError) -> None:
        if isinstance(error, AlreadyHasAccount):
            self._has_account(error.username, error.status)
            return
        self.query_one("#message", Static).update(str(error))
        self.query_one("#submit", Button).disabled = False

    def _has_account(self, username: str, status: str) -> None:
        self.existing_username = username
        self.query_one("#message", Static).update(
            f"This guardian already has a portal account: {display(username)} ({status}). "
            "Use Account tools to reset the password, enable or unlock it instead of a new key."
        )
        self.query_one("#submit", Button).display = False
        self.query_one("#account", Button).display = True

    def chosen_students(self) -> list[str]:
        if self.card is None:
            return []
        chosen = []
        for n, link in enumerate(self.card.students):
            box = self.query_one(f"#student-{n}", Checkbox)
            if link.eligible and box.value:
                chosen.append(link.student_id)
        return chosen

    def problems(self) -> list[str]:
        """What is still missing, in the order of the form."""
        missing = []
        if not self.chosen_students():
            missing.append("tick at least one student")
        if self.query_one("#id-type", Select).value is Select.NULL:
            missing.append("choose the kind of photo ID you checked")
        if not self.query_one("#signature", Checkbox).value:
            missing.append("watch the parent sign the form and tick 'signature'")
        return missing

    @on(Button.Pressed, "#submit")
    def submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#account")
    def account_pressed(self) -> None:
        if self.existing_username:
            from kiosk.screens.staff_account import AccountLookupScreen

            self.app.push_screen(AccountLookupScreen(self.existing_username))

    @on(Button.Pressed, "#back")
    def back_pressed(self) -> None:
        self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_submit(self) -> None:
        if self.card is None or self.existing_username:
            return
        missing = self.problems()
        message = self.query_one("#message", Static)
        if missing:
            message.update("Before issuing a key: " + "; ".join(missing) + ".")
            return
        message.update("Recording the request…")
        self.query_one("#submit", Button).disabled = True
        ctx, staff, gid = self.shell.ctx, self.staff, self.card.guardian_id
        students = self.chosen_students()
        id_type = str(self.query_one("#id-type", Select).value)

        def verify_and_issue() -> IssuedKey:
            request = verify_request(ctx, staff, gid, students, id_type, True)
            return issue_key(ctx, staff, gid, request_id=request.request_id)

        self.run_service(verify_and_issue, self._issued, self._failed)

    def _issued(self, issued: IssuedKey) -> None:
        from kiosk.screens.issue_key import IssueKeyScreen

        # The issue-key screen replaces this form: "Done" returns to the front-desk home.
        self.app.switch_screen(IssueKeyScreen(issued))
