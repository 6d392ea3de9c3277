"""Forgot password or username. The answer never tells whether an account exists.

Forgot password: username or email -> the code mailed to the recovery address -> the picture
challenge (pick the 8 liked out of the 16) when the parent chose pictures -> a new password
twice. Forgot username: the usernames are mailed to the recovery address.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Static

from kiosk.errors import KioskError
from kiosk.i18n import _, explain
from kiosk.pictures import LIKED_COUNT
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.services.activation import context_words
from kiosk.services.recovery import (
    ResetChallenge,
    check_reset_code,
    finish_password_reset,
    forgot_username,
    request_password_reset,
)
from kiosk.text import display
from kiosk.widgets.password_choice import PasswordChoice
from kiosk.widgets.pictures import LIKED, PicturePicker, mark_labels

STEPS = ("choose", "ident", "code", "challenge", "new", "done", "username-step")


class ParentForgotScreen(ParentScreen):
    def __init__(self) -> None:
        super().__init__()
        self.identifier = ""
        self.code = ""
        self.pictures: tuple[str, ...] = ()
        self._full_note = False

    def compose_page(self) -> ComposeResult:
        with Vertical(id="forgot", classes="parent-page"):
            yield Static(_("Forgot username or password"), classes="title")
            with Vertical(id="choose", classes="step"):
                yield Button(_("I forgot my password"), id="forgot-password", classes="big")
                yield Button(_("I forgot my username"), id="forgot-username", classes="big")
            with VerticalScroll(id="ident", classes="step"):
                yield Label(_("Your username or recovery email"), classes="field-label")
                yield Input(id="identifier", max_length=254)
                with Horizontal(classes="actions"):
                    yield Button(_("Send me a code"), id="send-code", variant="primary")
            with VerticalScroll(id="code", classes="step"):
                yield message(id="code-sent", classes="lead")
                yield Label(_("The 8-digit code from the email"), classes="field-label")
                yield Input(id="reset-code", placeholder="1234 5678", max_length=12)
                with Horizontal(classes="actions"):
                    yield Button(_("Continue"), id="check-code", variant="primary")
                    yield Button(_("Send a new code"), id="resend")
            with Vertical(id="challenge", classes="step"):
                yield Static(
                    _("Pick the {n} pictures you like.").format(n=LIKED_COUNT), classes="lead"
                )
                with Horizontal(classes="actions"):
                    yield message(id="challenge-counter", classes="counter")
                    yield Button(_("Continue"), id="challenge-done", variant="primary")
            with VerticalScroll(id="new", classes="step"):
                yield PasswordChoice(self.shell.ctx.config.passwords, self._password_words)
                with Horizontal(classes="actions"):
                    yield Button(_("Save new password"), id="save", variant="primary")
            with Vertical(id="done", classes="step"):
                yield message(id="done-text", classes="lead")
                yield Button(_("Sign in"), id="go-sign-in", variant="primary", classes="big")
            with VerticalScroll(id="username-step", classes="step"):
                yield Label(_("Your recovery email"), classes="field-label")
                yield Input(id="username-email", placeholder=_("name@example.org"), max_length=254)
                with Horizontal(classes="actions"):
                    yield Button(_("Email me my username"), id="send-username", variant="primary")
                yield message(id="username-sent", classes="lead")
            yield message(id="forgot-error")
            with Horizontal(classes="actions"):
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.show("choose")
        self.query_one("#forgot-password", Button).focus()

    def show(self, step: str) -> None:
        for name in STEPS:
            self.query_one(f"#{name}").display = name == step
        self.say("#forgot-error", "")

    def _password_words(self) -> list[str]:
        return context_words(self.shell.ctx, self.identifier)

    def _failed(self, error: KioskError) -> None:
        self.say_error("#forgot-error", error)

    # -- forgot password ---------------------------------------------------------------------

    @on(Button.Pressed, "#forgot-password")
    def start_password(self) -> None:
        self.show("ident")
        self.query_one("#identifier", Input).focus()

    @on(Input.Submitted, "#identifier")
    @on(Button.Pressed, "#send-code")
    def send_code(self) -> None:
        ctx = self.shell.ctx
        identifier = self.query_one("#identifier", Input).value.strip()
        if not identifier:
            self.say("#forgot-error", _("Type your username or recovery email."), error=True)
            return
        self.identifier = identifier
        self.run_service(lambda: request_password_reset(ctx, identifier), self._sent, self._failed)

    def _sent(self, answer: str) -> None:
        self.show("code")
        self.say("#code-sent", explain(answer))
        self.query_one("#reset-code", Input).focus()

    @on(Button.Pressed, "#resend")
    def resend(self) -> None:
        self.query_one("#reset-code", Input).value = ""
        self.send_code()

    @on(Input.Submitted, "#reset-code")
    @on(Button.Pressed, "#check-code")
    def check_code(self) -> None:
        ctx, identifier = self.shell.ctx, self.identifier
        code = self.query_one("#reset-code", Input).value
        self.run_service(
            lambda: check_reset_code(ctx, identifier, code),
            lambda challenge: self._challenge(code, challenge),
            self._failed,
        )

    async def _challenge(self, code: str, challenge: ResetChallenge) -> None:
        self.code = code
        self.query_one("#reset-code", Input).value = ""
        self.pictures = challenge.pictures
        if not challenge.pictures:
            self._ask_new_password()
            return
        for old in self.query(PicturePicker):
            await old.remove()
        picker = PicturePicker(
            challenge.pictures, mode=LIKED, limit=LIKED_COUNT, labels=mark_labels()
        )
        await self.query_one("#challenge").mount(picker, after=0)
        self.show("challenge")
        self._count()
        picker.tiles[0].focus()

    def _count(self) -> None:
        picker = self.query_one(PicturePicker)
        self.say(
            "#challenge-counter",
            _("Liked: {n} of {total}").format(n=picker.count(), total=LIKED_COUNT),
            plain=True,
        )
        self.query_one("#challenge-done", Button).disabled = picker.count() != LIKED_COUNT

    @on(PicturePicker.Changed)
    def picked(self, event: PicturePicker.Changed) -> None:
        self._count()
        if not event.refused and event.picker.count() == LIKED_COUNT:
            self.query_one("#challenge-done", Button).focus()  # all picked: Enter goes on
        if event.refused == "full":
            self.say(
                "#forgot-error",
                _("You have picked {n}. Press a picked one again to un-pick it.").format(
                    n=LIKED_COUNT
                ),
                error=True,
            )
            self._full_note = True
        elif self._full_note:
            self._full_note = False
            self.say("#forgot-error", "")

    @on(Button.Pressed, "#challenge-done")
    def challenge_done(self) -> None:
        self._ask_new_password()

    def _ask_new_password(self) -> None:
        self.show("new")
        self.query_one("#new-password", Input).focus()

    @on(Input.Submitted, "#new-password")
    def to_again(self) -> None:
        self.query_one("#new-password-again", Input).focus()

    @on(Input.Submitted, "#new-password-again")
    @on(Button.Pressed, "#save")
    def save(self) -> None:
        ctx, identifier, code = self.shell.ctx, self.identifier, self.code
        liked = self.query_one(PicturePicker).chosen(LIKED) if self.pictures else []
        choice = self.query_one(PasswordChoice)
        new, again = choice.password, choice.again
        self.run_service(
            lambda: finish_password_reset(ctx, identifier, code, liked, new, again),
            self._reset,
            self._reset_failed,
        )

    def _reset(self, username: str) -> None:
        self.query_one(PasswordChoice).clear()
        self.show("done")
        self.say(
            "#done-text",
            _("Your password is changed. Your username is {username}. Sign in with it now.").format(
                username=display(username)
            ),
        )
        self.query_one("#go-sign-in", Button).focus()

    def _reset_failed(self, error: KioskError) -> None:
        if error.code == "pictures":
            self.query_one(PicturePicker).reset()
            self.show("challenge")
            self.query_one(PicturePicker).tiles[0].focus()
        elif error.code in ("code", "code_expired", "code_attempts", "code_wrong"):
            self.query_one(PasswordChoice).clear()
            self.show("code")
        self._failed(error)

    @on(Button.Pressed, "#go-sign-in")
    def go_sign_in(self) -> None:
        from kiosk.screens.parent_sign_in import ParentSignInScreen

        self.app.switch_screen(ParentSignInScreen())

    # -- forgot username ---------------------------------------------------------------------

    @on(Button.Pressed, "#forgot-username")
    def start_username(self) -> None:
        self.show("username-step")
        self.query_one("#username-email", Input).focus()

    @on(Input.Submitted, "#username-email")
    @on(Button.Pressed, "#send-username")
    def send_username(self) -> None:
        ctx = self.shell.ctx
        email = self.query_one("#username-email", Input).value.strip()
        if "@" not in email:
            self.say(
                "#forgot-error",
                _("Type the email address you gave as your recovery email."),
                error=True,
            )
            return
        self.run_service(
            lambda: forgot_username(ctx, email),
            lambda answer: self.say("#username-sent", explain(answer)),
            self._failed,
        )

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.clear_secrets()
        self.shell.go_welcome()
