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
from kiosk.services.staff import AccountStatus, enable_account, unlock_account
from kiosk.text import display
from kiosk.widgets.student_line import problems_text, student_line


class GuardianCardScreen(StaffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f2", "lookup", "Look-up"),
        Binding("f4", "unlock", "Unlock"),
        Binding("f5", "refresh", "Refresh"),
        Binding("f8", "reset", "Reset password"),
        Binding("ctrl+e", "enable", "Enable"),
        Binding("ctrl+l", "linked", "Students"),
        Binding("ctrl+f", "flags", "Flags"),
    ]
    #: Each fix a problem names, and the button that does it.
    FIX_BUTTONS: ClassVar[dict[str, str]] = {
        "reset": "#reset",
        "enable": "#enable",
        "unlock": "#unlock",
        "linked": "#linked",
        "flags": "#flags",
    }

    #: Buttons as wide as their words: up to six fit one row at 80 columns.
    DEFAULT_CSS = """
    GuardianCardScreen .buttons Button { min-width: 0; margin-right: 1; }
    """
    #: The key bindings that act through a button, shown only while that button is.
    BUTTON_OF_ACTION: ClassVar[dict[str, str]] = {
        "lookup": "#account",
        "unlock": "#unlock",
        "reset": "#reset",
        "enable": "#enable",
        "linked": "#linked",
        "flags": "#flags",
    }

    def __init__(self, guardian_id: str) -> None:
        super().__init__()
        self.guardian_id = guardian_id
        self.card: GuardianCard | None = None
        self.note = ""  # what the last fix did, said under the refreshed card

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card"):
            yield Static("Loading…", id="card-name", classes="title", markup=False)
            yield Static("", id="card-contact", markup=False)
            yield Static("", id="card-students", markup=False)
            yield Static("", id="card-account", markup=False)
            yield Static("", id="card-problems", markup=False)
            yield Static("", id="card-message", markup=False)
        with Horizontal(classes="buttons"):
            yield Button("Verify request", id="verify", compact=True, variant="primary")
            yield Button("Re-issue key", id="reissue", compact=True)
            yield Button("Reset password", id="reset", compact=True, variant="warning")
            yield Button("Unlock", id="unlock", compact=True)
            yield Button("Enable", id="enable", compact=True)
            yield Button("Look-up", id="account", compact=True)
            yield Button("Linked students", id="linked", compact=True)
            yield Button("Flags", id="flags", compact=True)
            yield Button("Back", id="back", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.display = button.id == "back"
        self.action_refresh()

    def on_screen_resume(self) -> None:
        # (Textual also runs StaffScreen.on_screen_resume, the staff check, by itself.)
        if self.card is not None and self.shell.staff is not None:
            self.action_refresh()

    def action_refresh(self) -> None:
        ctx, staff, gid = self.shell.ctx, self.staff, self.guardian_id
        self.run_service(lambda: guardian_card(ctx, staff, gid), self._show, self._failed)

    def _failed(self, error: KioskError) -> None:
        self.query_one("#card-name", Static).update("")
        self._say(str(error), error=True)

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
        self.query_one("#card-account", Static).update(self._account_text(card))
        self.query_one("#card-problems", Static).update(problems_text(card.problems))
        self._say(self.note)
        self.note = ""
        self._buttons(card)
        if not card.account_username and not any(s.eligible for s in card.students):
            self._say("No student can be part of a portal request yet (see ✗ above).")

    @staticmethod
    def _account_text(card: GuardianCard) -> Text:
        if card.account_username:
            account = Text("Portal account: ")
            account.append(display(card.account_username), style="bold")
            account.append(f" ({card.account_state})")
        else:
            account = Text("No portal account yet.")
        if card.key_expires_at:
            account.append(f"\nA key is live until {card.key_expires_at:%Y-%m-%d}.")
        return account

    def _buttons(self, card: GuardianCard) -> None:
        """Show what applies to this guardian; focus the first problem's fix, else the next
        step of a visit."""
        has_account = card.account_username is not None
        fixes = {p.action for p in card.problems if p.may_fix and p.action}
        shown = {
            "#verify": not has_account and any(s.eligible for s in card.students),
            "#reissue": not has_account and card.key_expires_at is not None,
            "#reset": has_account,
            "#unlock": "unlock" in fixes,
            "#enable": "enable" in fixes,
            "#account": has_account,
            "#linked": True,
            "#flags": bool(card.students) and self._may_change_flags(),
        }
        for name, visible in shown.items():
            self.query_one(name, Button).display = visible
        urgent = [
            self.FIX_BUTTONS[p.action]
            for p in card.problems
            if p.may_fix and p.action and p.kind != "key_used"
        ]
        for name in [*urgent, "#verify", "#reset", "#reissue", "#linked"]:
            if shown.get(name):
                self.query_one(name, Button).focus()
                break
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A key whose button is hidden here neither works nor shows in the footer."""
        button = self.BUTTON_OF_ACTION.get(action)
        if button is None:
            return True
        return self.card is not None and self.query_one(button, Button).display

    def _may_change_flags(self) -> bool:
        staff = self.shell.staff
        return bool(staff and staff.role in ("registrar", "district_admin"))

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#card-message", Static)
        message.update(Text(text))
        message.set_class(error, "error")

    # -- fixes -----------------------------------------------------------------------------

    def _visible(self, name: str) -> bool:
        return self.card is not None and self.query_one(name, Button).display

    def action_lookup(self) -> None:
        self.account_pressed()

    def action_reset(self) -> None:
        self.reset_pressed()

    def action_unlock(self) -> None:
        self.unlock_pressed()

    def action_enable(self) -> None:
        self.enable_pressed()

    def action_linked(self) -> None:
        self.linked_pressed()

    def action_flags(self) -> None:
        self.flags_pressed()

    @on(Button.Pressed, "#reset")
    def reset_pressed(self) -> None:
        from kiosk.screens.staff_reset import ResetPasswordModal

        if not self._visible("#reset"):
            return
        username = self.card.account_username

        def after(done: bool | None) -> None:
            if done:
                self.note = f"{display(username)}: password reset to a temporary one."
                self.action_refresh()

        self.app.push_screen(ResetPasswordModal(username), after)

    @on(Button.Pressed, "#unlock")
    def unlock_pressed(self) -> None:
        if self._visible("#unlock"):
            self._change(unlock_account, "unlocked, failed sign-ins cleared")

    @on(Button.Pressed, "#enable")
    def enable_pressed(self) -> None:
        if self._visible("#enable"):
            self._change(enable_account, "enabled; the parent can sign in again")

    def _change(self, service, done: str) -> None:  # service(ctx, actor, username)
        ctx, staff, username = self.shell.ctx, self.staff, self.card.account_username

        def changed(status: AccountStatus) -> None:
            self.note = f"{display(status.username)}: {done}."
            self.action_refresh()

        self.run_service(lambda: service(ctx, staff, username), changed, self._failed, group="fix")

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
        from kiosk.screens.staff_confirm import ConfirmModal

        card = self.card
        if card is None or card.key_expires_at is None:
            return
        modal = ConfirmModal(
            f"Replace the key of {display(card.name)}?",
            f"The key that is live until {card.key_expires_at:%Y-%m-%d} stops working now "
            "(a letter or email that carries it becomes useless); a new key is issued and "
            "shown.",
            "Replace the key",
        )

        def after(ok: bool | None) -> None:
            if ok:
                ctx, staff, gid = self.shell.ctx, self.staff, card.guardian_id
                # Its own group: the card's refresh when the dialog closes must not cancel it.
                self.run_service(
                    lambda: issue_key(ctx, staff, gid), self._issued, self._failed, group="fix"
                )

        self.app.push_screen(modal, after)

    @on(Button.Pressed, "#account")
    def account_pressed(self) -> None:
        from kiosk.screens.staff_account import AccountLookupScreen

        if self._visible("#account"):
            self.app.push_screen(AccountLookupScreen(self.card.account_username))

    @on(Button.Pressed, "#linked")
    def linked_pressed(self) -> None:
        if self._visible("#linked"):
            self.shell.show_linked_students(self.card.guardian_id, staff_view=True)

    @on(Button.Pressed, "#flags")
    def flags_pressed(self) -> None:
        from kiosk.screens.staff_flags import RelationshipFlagsModal

        def after(changed: bool | None) -> None:
            if changed:
                self.action_refresh()

        if self._visible("#flags"):
            self.app.push_screen(RelationshipFlagsModal(self.card), after)

    def _issued(self, issued: IssuedKey) -> None:
        from kiosk.screens.issue_key import IssueKeyScreen

        self.app.push_screen(IssueKeyScreen(issued))

    def action_back(self) -> None:
        self.card = None
        self.app.pop_screen()
