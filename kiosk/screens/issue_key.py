"""Issue key: the guardian's key as a big QR code and as text, then hand off, email or done.

The QR code is drawn black on white with its whole quiet zone beside the text, so the full
activation link fits an 80x24 terminal. If a district's link is too long for the terminal, the
code carries the bare key instead (the portal accepts both). The key leaves every widget when
staff press Done or hand the keyboard over.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Button, Footer, Static

from kiosk.errors import KioskError
from kiosk.keys import normalize_key
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.activation import IssuedKey, NewAccount, account_from_key, email_key
from kiosk.text import display
from kiosk.widgets.qr import QRCode

#: Columns the text beside the code needs.
SIDE_WIDTH = 34
#: How often the screen asks whether the parent made the account on their own phone.
REDEEMED_CHECK_SECONDS = 3.0


def key_lines(key: str, width: int) -> str:
    """``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`` on one line, or split after the third group
    when ``width`` columns are not enough."""
    if len(key) <= width:
        return key
    parts = key.split("-")
    return "-".join(parts[:3]) + "-\n" + "-".join(parts[3:])


class IssueKeyScreen(StaffScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f6", "hand_off", "Continue with parent"),
        Binding("f7", "email", "Email it"),
        Binding("escape", "done", "Done"),
    ]

    def __init__(self, issued: IssuedKey) -> None:
        super().__init__()
        self.issued: IssuedKey | None = issued
        #: The full link's code size, worked out once (building a code is the costly part).
        self._link_size = QRCode.size_for(issued.link)

    def compose(self) -> ComposeResult:
        issued = self.issued
        assert issued is not None
        with Horizontal(id="issue-key"):
            yield QRCode(self.qr_data(self.app.size.width, self.app.size.height), id="qr")
            with Vertical(id="key-side"):
                yield Static("Activation key for", classes="hint")
                yield Static(Text(display(issued.guardian_name), style="bold"), id="key-name")
                yield Static(issued.key, id="key-text", markup=False)
                yield Static(f"Expires {issued.expires_at:%Y-%m-%d}", id="key-expiry", markup=False)
                yield Static(
                    "Scan the code with a phone, or type the key.", classes="hint", markup=False
                )
                yield Button("Continue here with the parent", id="hand-off", variant="primary")
                yield Button("Email it to the guardian", id="email")
                students = Button("Show linked students", id="students")
                students.display = False  # until the parent has made the account
                yield students
                yield Button("Done", id="done")
                yield Static("", id="message", markup=False)
        yield Footer()

    def qr_data(self, width: int, height: int) -> str:
        """The full link when it fits beside the text (and above the footer), else the bare
        32-digit key, which is much smaller."""
        issued = self.issued
        if issued is None:
            return ""
        size = self._link_size
        if size.width + SIDE_WIDTH <= width and size.height + 1 <= height:
            return issued.link
        return normalize_key(issued.key)

    def on_mount(self) -> None:
        self.query_one("#hand-off", Button).focus()
        self.guardian_id = self.issued.guardian_id if self.issued else ""
        self._watch = self.set_interval(REDEEMED_CHECK_SECONDS, self.check_redeemed)

    def check_redeemed(self) -> None:
        """Has the parent scanned the code and made the account on their phone?"""
        issued = self.issued
        if issued is None:
            return
        ctx, key = self.kiosk.ctx, issued.key
        self.run_service(lambda: account_from_key(ctx, key), self._redeemed, group="redeemed")

    def _redeemed(self, account: NewAccount | None) -> None:
        if account is None or self.issued is None:
            return
        self._watch.stop()
        self.clear_key()
        for button_id in ("#hand-off", "#email"):
            self.query_one(button_id, Button).display = False
        students = self.query_one("#students", Button)
        students.display = True
        students.focus()
        self.query_one("#message", Static).update(
            Text(f"The parent made the account '{display(account.username)}' on their phone.")
        )

    def action_students(self) -> None:
        self.kiosk.show_linked_students(self.guardian_id, staff_view=True)

    def on_resize(self, event: Resize) -> None:
        if self.issued is None:
            return
        qr = self.query_one("#qr", QRCode)
        wanted = self.qr_data(self.app.size.width, self.app.size.height)
        if qr.data != wanted:
            qr.show(wanted)
        side = self.app.size.width - qr.code_width - 2
        self.query_one("#key-text", Static).update(key_lines(self.issued.key, side))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {
            "hand-off": self.action_hand_off,
            "email": self.action_email,
            "students": self.action_students,
        }.get(event.button.id or "", self.action_done)()

    def clear_key(self) -> None:
        """Take the key off every widget and forget it."""
        self.query_one("#qr", QRCode).clear()
        for widget_id in ("#key-text", "#key-name", "#message"):
            self.query_one(widget_id, Static).update("")
        self.issued = None

    def action_done(self) -> None:
        self.clear_key()
        self.kiosk.go_staff_home()

    def action_hand_off(self) -> None:
        issued = self.issued
        if issued is None:
            return
        key, name = issued.key, issued.guardian_name
        self.clear_key()
        self.kiosk.hand_off(key, name)

    def action_email(self) -> None:
        issued = self.issued
        if issued is None:
            return
        ctx, staff = self.kiosk.ctx, self.staff
        self.query_one("#message", Static).update("Sending…")
        self.run_service(lambda: email_key(ctx, staff, issued), self._emailed, self._failed)

    def _emailed(self, address: str) -> None:
        self.query_one("#message", Static).update(Text(f"Emailed to {display(address)}."))

    def _failed(self, error: KioskError) -> None:
        self.query_one("#message", Static).update(Text(str(error)))
