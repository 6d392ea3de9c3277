"""Issue key: the guardian's key as a big QR code and as text, then hand off, email or done.

The QR code is drawn black on white with its whole quiet zone beside the text, so the full
activation link fits an 80x24 terminal; a bigger terminal draws it bigger (each module over more
cells). If a district's link is too long for the terminal, the code carries the bare key
instead (the portal accepts both). The key leaves every widget when
staff press Done or hand the keyboard over.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import Button, Footer, Static

from kiosk.clock import local_text
from kiosk.errors import KioskError
from kiosk.keys import normalize_key
from kiosk.screens.staff_base import StaffScreen
from kiosk.services.activation import IssuedKey, NewAccount, account_from_key, email_key
from kiosk.text import display
from kiosk.widgets.qr import SCALES, QRCode

#: Columns the text beside the code needs: the key on one line and a column before it.
SIDE_WIDTH = 39
#: Fewer columns do for the smallest code: a long link is worth the key split over two lines.
NARROW_SIDE_WIDTH = 34
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
        #: Modules across the link's and the bare key's codes, worked out once (building a
        #: code is the costly part).
        self._modules = {
            data: QRCode.modules(data) for data in (issued.link, normalize_key(issued.key))
        }

    def compose(self) -> ComposeResult:
        issued = self.issued
        assert issued is not None
        with Horizontal(id="issue-key"):
            yield QRCode(*self.qr_choice(self.app.size.width, self.app.size.height), id="qr")
            with Vertical(id="key-side"):
                yield Static("Activation key for", classes="hint")
                yield Static(Text(display(issued.guardian_name), style="bold"), id="key-name")
                yield Static(issued.key, id="key-text", markup=False)
                zone = self.shell.ctx.config.district.time_zone
                expires = local_text(issued.expires_at, zone)
                yield Static(f"Expires {expires}", id="key-expiry", markup=False)
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

    def qr_choice(self, width: int, height: int) -> tuple[str, float]:
        """What the code carries and how big it is drawn: the full link at the largest scale
        that fits beside the text (and above the footer), else the bare 32-digit key, which is
        much smaller."""
        if self.issued is None:
            return "", 1.0
        for data, modules in self._modules.items():
            for scale in SCALES:
                size = QRCode.size_at(modules, scale)
                side = SIDE_WIDTH if scale > 1 else NARROW_SIDE_WIDTH
                if size.width + side <= width and size.height + 1 <= height:
                    return data, scale
        return normalize_key(self.issued.key), 1.0

    def on_mount(self) -> None:
        self.query_one("#hand-off", Button).focus()
        self.guardian_id = self.issued.guardian_id if self.issued else ""
        self._watch = self.set_interval(REDEEMED_CHECK_SECONDS, self.check_redeemed)

    def check_redeemed(self) -> None:
        """Has the parent scanned the code and made the account on their phone?"""
        issued = self.issued
        if issued is None:
            return
        ctx, key = self.shell.ctx, issued.key
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
        self.shell.show_linked_students(self.guardian_id, staff_view=True)

    def on_resize(self, event: Resize) -> None:
        if self.issued is None:
            return
        qr = self.query_one("#qr", QRCode)
        data, scale = self.qr_choice(self.app.size.width, self.app.size.height)
        if (qr.data, qr.scale) != (data, scale):
            qr.show(data, scale)
        side = self.app.size.width - qr.code_width - 1
        self.query_one("#key-text", Static).update(key_lines(self.issued.key, side))

    @on(Button.Pressed, "#hand-off")
    def hand_off_pressed(self) -> None:
        self.action_hand_off()

    @on(Button.Pressed, "#email")
    def email_pressed(self) -> None:
        self.action_email()

    @on(Button.Pressed, "#done")
    def done_pressed(self) -> None:
        self.action_done()

    @on(Button.Pressed, "#students")
    def students_pressed(self) -> None:
        self.action_students()

    def clear_key(self) -> None:
        """Take the key off every widget and forget it."""
        self.query_one("#qr", QRCode).clear()
        for widget_id in ("#key-text", "#key-name", "#message"):
            self.query_one(widget_id, Static).update("")
        self.issued = None

    def action_done(self) -> None:
        self.clear_key()
        self.shell.go_staff_home()

    def action_hand_off(self) -> None:
        issued = self.issued
        if issued is None:
            return
        key, name = issued.key, issued.guardian_name
        self.clear_key()
        self.shell.hand_off(key, name)

    def action_email(self) -> None:
        issued = self.issued
        if issued is None:
            return
        ctx, staff = self.shell.ctx, self.staff
        self.query_one("#message", Static).update("Sending…")
        self.run_service(lambda: email_key(ctx, staff, issued), self._emailed, self._failed)

    def _emailed(self, address: str) -> None:
        self.query_one("#message", Static).update(Text(f"Emailed to {display(address)}."))

    def _failed(self, error: KioskError) -> None:
        self.query_one("#message", Static).update(Text(str(error)))
