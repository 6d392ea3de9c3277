"""The guardian card: who they are, their students, their account and live key, and what staff
can do next (verify a request and issue a key, re-issue, account tools, linked students)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Static

from kiosk.errors import KioskError
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.activation import IssuedKey, issue_key
from kiosk.services.people import GuardianCard, guardian_card
from kiosk.text import display
from kiosk.widgets.student_line import student_line


class GuardianCardScreen(StaffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to search"),
        Binding("f5", "refresh_card", "Refresh"),
    ]

    def __init__(self, guardian_id: str) -> None:
        super().__init__()
        self.guardian_id = guardian_id
        self.card: GuardianCard | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card"):
            yield Static("Loading…", id="card-name", classes="title", markup=False)
            yield Static("", id="card-contact", markup=False)
            yield Static("", id="card-students", markup=False)
            yield Static("", id="card-account", markup=False)
            yield Static("", id="card-message", classes="error", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Verify request", id="verify", compact=True, variant="primary")
            yield Button("Re-issue key", id="reissue", compact=True)
            yield Button("Account tools", id="account", compact=True)
            yield Button("Linked students", id="linked", compact=True)
            yield Button("Flags", id="flags", compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.display = button.id == "back"
        self.action_refresh_card()

    def on_screen_resume(self) -> None:
        # (Textual also runs StaffScreen.on_screen_resume, the staff check, by itself.)
        if self.card is not None and self.shell.staff is not None:
            self.action_refresh_card()

    def action_refresh_card(self) -> None:
        ctx, staff, gid = self.shell.ctx, self.staff, self.guardian_id
        self.run_service(lambda: guardian_card(ctx, staff, gid), self._show, self._failed)

    def _failed(self, error: KioskError) -> None:
        self.query_one("#card-name", Static).update("")
        self.query_one("#card-message", Static).update(str(error))

    def _show(self, card: GuardianCard) -> None:
        self.card = card
        self.query_one("#card-name", Static).update(Text(display(card.name)))
        contact = " · ".join(display(x) for x in (card.phone, card.email, card.address) if x)
        self.query_one("#card-contact", Static).update(Text(contact or "No contact on record"))
        students = Text("Students:\n")
        if not card.students:
            students.append("  none recorded")
        for n, link in enumerate(card.students):
            if n:
                students.append("\n")
            students.append_text(student_line(link))
        self.query_one("#card-students", Static).update(students)
        if card.account_username:
            account = Text("Portal account: ")
            account.append(display(card.account_username), style="bold")
            account.append(f" ({card.account_state})")
        else:
            account = Text("No portal account yet.")
        if card.key_expires_at:
            account.append(f"\nA key is live until {card.key_expires_at:%Y-%m-%d}.")
        self.query_one("#card-account", Static).update(account)
        self.query_one("#card-message", Static).update("")
        has_account = card.account_username is not None
        any_eligible = any(s.eligible for s in card.students)
        self.query_one("#verify", Button).display = not has_account and any_eligible
        self.query_one("#reissue", Button).display = (
            not has_account and card.key_expires_at is not None
        )
        self.query_one("#account", Button).display = has_account
        self.query_one("#linked", Button).display = True
        staff = self.shell.staff
        self.query_one("#flags", Button).display = bool(
            card.students and staff and staff.role in ("registrar", "district_admin")
        )
        for name in ("#verify", "#account", "#reissue", "#linked"):
            button = self.query_one(name, Button)
            if button.display:
                button.focus()
                break
        if not has_account and not any_eligible:
            self.query_one("#card-message", Static).update(
                "No student can be part of a portal request yet (see ✗ above)."
            )

    @on(Button.Pressed, "#back")
    def back_pressed(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#verify")
    def verify_pressed(self) -> None:
        from kiosk.screens.verify_request import VerifyRequestScreen

        if self.card is not None:
            self.app.push_screen(VerifyRequestScreen(self.card.guardian_id))

    @on(Button.Pressed, "#reissue")
    def reissue_pressed(self) -> None:
        if self.card is not None:
            ctx, staff, gid = self.shell.ctx, self.staff, self.card.guardian_id
            self.run_service(lambda: issue_key(ctx, staff, gid), self._issued, self._failed)

    @on(Button.Pressed, "#account")
    def account_pressed(self) -> None:
        from kiosk.screens.staff_account import AccountLookupScreen

        if self.card is not None and self.card.account_username:
            self.app.push_screen(AccountLookupScreen(self.card.account_username))

    @on(Button.Pressed, "#linked")
    def linked_pressed(self) -> None:
        if self.card is not None:
            self.shell.show_linked_students(self.card.guardian_id, staff_view=True)

    @on(Button.Pressed, "#flags")
    def flags_pressed(self) -> None:
        from kiosk.screens.staff_flags import RelationshipFlagsModal

        def after(changed: bool | None) -> None:
            if changed:
                self.action_refresh_card()

        if self.card is not None:
            self.app.push_screen(RelationshipFlagsModal(self.card), after)

    def _issued(self, issued: IssuedKey) -> None:
        from kiosk.screens.issue_key import IssueKeyScreen

        self.app.push_screen(IssueKeyScreen(issued))

    def action_back(self) -> None:
        self.card = None
        self.app.pop_screen()
