"""Activate: redeem the activation key, choose a username and a password, then sign in.

Everything is checked live while the parent types (the key's format and whether it is usable,
the username's rules and availability, the password checklist and strength) so that pressing
"Create my account" rarely brings a surprise; when it does, every reason is listed plainly.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from kiosk import keys
from kiosk.clock import local_date
from kiosk.errors import KeyProblem, KioskError, Message
from kiosk.i18n import _, explain
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.screens.parent_flow import continue_with, preload_next
from kiosk.services.accounts import Session, sign_in
from kiosk.services.activation import (
    KeyCheck,
    check_key,
    context_words,
    redeem_key,
    username_available,
    username_rules,
)
from kiosk.text import display
from kiosk.widgets.password_choice import PasswordChoice

KEY_DIGITS = 32
KEY_CHARACTERS = frozenset("0123456789abcdefABCDEF{}- ")


class ParentActivateScreen(ParentScreen):
    def __init__(self, key: str = "") -> None:
        super().__init__()
        self._initial_key = key
        self.key_owner = ""

    def compose_page(self) -> ComposeResult:
        config = self.shell.ctx.config
        rules = config.usernames
        with VerticalScroll(id="activate", classes="parent-page"):
            yield Static(_("Create your parent portal account"), classes="title")
            yield Label(_("Activation key"), classes="field-label")
            yield Input(
                keys.format_partial(self._initial_key),
                id="key",
                placeholder="XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX",
                max_length=48,
            )
            yield message(
                _("32 letters and numbers, exactly as printed on your letter."),
                id="key-status",
                classes="hint",
            )
            yield Label(_("Username"), classes="field-label")
            yield Input(id="username", placeholder=_("Choose a username"), max_length=128)
            yield message(
                _("{low} to {high} characters: letters, numbers and . _ - @").format(
                    low=rules.min_length, high=rules.max_length
                )
                if rules.allowed == "any"
                else _("{low} to {high} characters: letters A-Z and numbers 0-9").format(
                    low=rules.min_length, high=rules.max_length
                ),
                id="username-status",
                classes="hint",
            )
            yield PasswordChoice(config.passwords, self._password_words, label=_("Password"))
        with Vertical(classes="footer"):
            yield message(id="form-error")
            with Horizontal(classes="actions"):
                yield Button(_("Create my account"), id="create", variant="primary")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        if self._initial_key:
            self._check_key(self.query_one("#key", Input).value)
            self.query_one("#username", Input).focus()
        else:
            self.query_one("#key", Input).focus()
        self._initial_key = ""

    def _password_words(self) -> list[str]:
        username = self.query_one("#username", Input).value
        return context_words(self.shell.ctx, username, self.key_owner)

    # -- the key -----------------------------------------------------------------------------

    @on(Input.Changed, "#key")
    def key_changed(self, event: Input.Changed) -> None:
        typed = event.value
        if any(ch not in KEY_CHARACTERS for ch in typed):
            try:
                keys.normalize_key(typed)  # explains the wrong characters (O for 0, ...)
            except KeyProblem as problem:
                self.say("#key-status", explain(problem), error=True)
        formatted = keys.format_partial(typed)
        if formatted != typed:
            event.input.value = formatted
            event.input.cursor_position = len(formatted)
            return
        digits = formatted.replace("-", "")
        if len(digits) == KEY_DIGITS:
            self._check_key(formatted)
        elif self.query_one("#key-status", Static).has_class("error") and not digits:
            self.say("#key-status", "")

    def _check_key(self, text: str) -> None:
        ctx = self.shell.ctx
        self.run_service(lambda: check_key(ctx, text), self._key_ok, self._key_bad, group="key")

    def _key_ok(self, check: KeyCheck) -> None:
        self.key_owner = check.guardian_name
        zone = self.shell.ctx.config.district.time_zone
        self.say(
            "#key-status",
            _("✓ Key accepted. Hello, {name}! It works until {date}.").format(
                name=display(check.guardian_name), date=local_date(check.expires_at, zone)
            ),
        )

    def _key_bad(self, error: KioskError) -> None:
        self.key_owner = ""
        self.say_error("#key-status", error)

    # -- the username ------------------------------------------------------------------------

    @on(Input.Changed, "#username")
    def username_changed(self, event: Input.Changed) -> None:
        """While typing, only the district's rules: whether a name is taken is looked up when
        the parent leaves the field, and only once a live key was accepted."""
        name = event.value
        problems = username_rules(self.shell.ctx, name) if name else []
        self.say("#username-status", "\n".join(explain(p) for p in problems), error=True)

    @on(Input.Blurred, "#username")
    def username_left(self, event: Input.Blurred) -> None:
        name, key = event.value, self.query_one("#key", Input).value
        if not name or not self.key_owner:
            return
        ctx = self.shell.ctx
        self.run_service(
            lambda: username_available(ctx, key, name), self._username_result, group="username"
        )

    def _username_result(self, problems: list[Message]) -> None:
        if problems:
            self.say("#username-status", "\n".join(explain(p) for p in problems), error=True)
        else:
            self.say("#username-status", _("✓ This username is available."))

    # -- create ------------------------------------------------------------------------------

    @on(Input.Submitted)
    def next_field(self, event: Input.Submitted) -> None:
        if event.input.id == "new-password-again":
            self.create()
        else:
            self.focus_next()

    @on(Button.Pressed, "#create")
    def create(self) -> None:
        if self.query_one("#create", Button).disabled:
            return  # the account is being created: Enter again must not start a second try
        ctx = self.shell.ctx
        key = self.query_one("#key", Input).value
        username = self.query_one("#username", Input).value
        choice = self.query_one(PasswordChoice)
        password, again = choice.password, choice.again

        def work() -> tuple[Session, str]:
            account = redeem_key(ctx, key, username, password, again)
            session = sign_in(ctx, account.username, password)
            preload_next(session)  # off the UI thread (see parent_flow)
            return session, password

        self.say("#form-error", _("Creating your account…"), plain=True)
        self.query_one("#create", Button).disabled = True
        self.run_service(work, self._created, self._refused, group="create")

    def _created(self, created: tuple[Session, str]) -> None:
        session, password = created
        self.clear_secrets()
        continue_with(self, session, password)  # so the recovery email does not ask again

    def _refused(self, error: KioskError) -> None:
        self.query_one("#create", Button).disabled = False
        if isinstance(error, KeyProblem):
            self._key_bad(error)
        self.say("#form-error", explain(error), error=True)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.clear_secrets()
        self.shell.go_welcome()
