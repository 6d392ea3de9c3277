"""Recovery email: the address twice and the password, then the 8-digit code it receives.

Used in the first set-up (where "Skip email and pictures for now" is offered while the service
allows it) and from account settings (``setup=False``), where it returns to the settings screen
when done.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from kiosk.errors import KioskError
from kiosk.i18n import N_, _
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.screens.parent_flow import continue_with
from kiosk.services.accounts import (
    Session,
    change_recovery_email,
    confirm_recovery_email,
    skip_setup,
)
from kiosk.text import display
from kiosk.widgets.secret import SecretInput


class ParentEmailScreen(ParentScreen):
    def __init__(self, *, setup: bool = True, password: str = "") -> None:
        super().__init__()
        self.setup = setup
        self.address = ""
        # The password typed a moment ago to create the account or sign in (see parent_flow):
        # with it, the password field is not shown. Held until the parent leaves this screen.
        self._password = password

    def compose_page(self) -> ComposeResult:
        session: Session = self.shell.session  # type: ignore[assignment]
        with VerticalScroll(id="email", classes="parent-page"):
            yield Static(
                _("Set your recovery email") if self.setup else _("Change your recovery email"),
                classes="title",
            )
            yield Static(
                _(
                    "If you forget your password, we send a code to this address so you can "
                    "choose a new one yourself."
                ),
                classes="lead",
            )
            with Vertical(id="email-step"):
                yield Label(_("Email address"), classes="field-label")
                yield Input(id="email-address", placeholder=_("name@example.org"), max_length=254)
                yield Label(_("The same email address again"), classes="field-label")
                yield Input(id="email-again", placeholder=_("name@example.org"), max_length=254)
                if not self._password:
                    yield Label(_("Your password"), classes="field-label")
                    yield SecretInput(id="email-password", placeholder=_("Password"))
                with Horizontal(classes="actions"):
                    yield Button(_("Send me a code"), id="send", variant="primary")
                    if self.setup and session is not None and session.may_skip:
                        yield Button(_("Skip email and pictures for now"), id="skip")
                    if not self.setup:
                        yield Button(_("Cancel"), id="back")
            with Vertical(id="code-step"):
                yield message(id="sent-to")
                yield Label(_("The 8-digit code from the email"), classes="field-label")
                yield Input(id="code", placeholder="1234 5678", max_length=12)
                with Horizontal(classes="actions"):
                    yield Button(_("Confirm"), id="confirm", variant="primary")
                    yield Button(_("Send a new code"), id="again")
            yield message(id="email-error")

    BACK_BUTTONS = ("#back",)

    def esc_hint(self) -> str:
        return N_("Esc: sign out") if self.setup else N_("Esc: cancel")

    def leave_otherwise(self) -> None:
        if self.setup:  # the account is made: the set-up asks again at the next sign-in
            self._password = ""
            self.sign_out()
        else:  # waiting for the code: leave as Cancel would
            self.back()

    def on_mount(self) -> None:
        self.query_one("#code-step").display = False
        self.query_one("#email-address", Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        last = "email-again" if self._password else "email-password"
        if event.input.id == last:
            self.send()
        elif event.input.id == "code":
            self.confirm()
        else:
            self.focus_next()

    @on(Button.Pressed, "#send")
    def send(self) -> None:
        ctx, session = self.shell.ctx, self.shell.session
        email = self.query_one("#email-address", Input).value
        again = self.query_one("#email-again", Input).value
        field = self.query("#email-password")
        password = field.first(Input).value if field else self._password
        self.say("#email-error", _("Sending…"), plain=True)
        self.run_service(
            lambda: change_recovery_email(ctx, session, password, email, again),
            self._sent,
            self._failed,
        )

    def _sent(self, address: str) -> None:
        self.clear_secrets()
        self.address = address
        self.query_one("#email-step").display = False
        self.query_one("#code-step").display = True
        self.say(
            "#sent-to",
            _("We sent a code to {email}. Type it below; it works once.").format(
                email=display(address)
            ),
        )
        self.say("#email-error", "")
        self.query_one("#code", Input).focus()

    def _failed(self, error: KioskError) -> None:
        self.say_error("#email-error", error)

    @on(Button.Pressed, "#again")
    def new_code(self) -> None:
        self.query_one("#code", Input).value = ""
        self.query_one("#code-step").display = False
        self.query_one("#email-step").display = True
        field = self.query("#email-password")
        if field:
            self.say("#email-error", _("Type your password again to get a new code."), plain=True)
        (field or self.query("#email-address")).first(Input).focus()

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        ctx, session = self.shell.ctx, self.shell.session
        code = self.query_one("#code", Input).value
        self.say("#email-error", _("Checking…"), plain=True)
        self.run_service(
            lambda: confirm_recovery_email(ctx, session, code), self._confirmed, self._failed
        )

    def _confirmed(self, session: Session) -> None:
        self._password = ""
        self.query_one("#code", Input).value = ""
        self.app.notify(_("Your recovery email is saved."), markup=False)
        if self.setup:
            continue_with(self, session)
        else:
            self.shell.session = session
            self.app.pop_screen()

    @on(Button.Pressed, "#skip")
    def skip(self) -> None:
        ctx, session = self.shell.ctx, self.shell.session
        self.clear_secrets()
        self._password = ""
        self.run_service(
            lambda: skip_setup(ctx, session), lambda s: continue_with(self, s), self._failed
        )

    @on(Button.Pressed, "#back")
    def back(self) -> None:
        self.clear_secrets()
        self.app.pop_screen()
