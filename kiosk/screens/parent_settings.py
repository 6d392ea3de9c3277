"""Account settings: see the username and recovery email; change password, email, pictures.

Each change needs the current password (asked on the screen that makes the change).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from kiosk.errors import KioskError
from kiosk.i18n import N_, _
from kiosk.screens.parent_base import ParentScreen, message
from kiosk.services.accounts import Profile, profile
from kiosk.text import display


class ParentSettingsScreen(ParentScreen):
    BACK_BUTTONS = ("#back",)
    ESC_HINT = N_("Esc: back")

    def compose_page(self) -> ComposeResult:
        with VerticalScroll(id="settings", classes="parent-page"):
            yield Static(_("Account settings"), classes="title")
            yield Static(_("Username"), classes="field-label")
            yield message(id="settings-username")
            yield Static(_("Recovery email"), classes="field-label")
            yield message(id="settings-email")
            yield Static(_("Security pictures"), classes="field-label")
            yield message(id="settings-pictures")
            yield message(id="settings-error")
            with Vertical(id="changes", classes="actions"):
                yield Button(_("Change password"), id="change-password")
                yield Button(_("Change recovery email"), id="change-email")
                yield Button(_("Change pictures"), id="change-pictures")
            with Horizontal(classes="actions"):
                yield Button(_("Back"), id="back", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#back", Button).focus()

    def on_screen_resume(self) -> None:
        """On the first showing too (Textual resumes a screen when it is pushed), and on
        coming back from a change, so what is shown is always current."""
        self.load()

    def load(self) -> None:
        ctx, session = self.shell.ctx, self.shell.session
        self.run_service(lambda: profile(ctx, session), self._show, self._failed)

    def _show(self, info: Profile) -> None:
        self.say("#settings-username", display(info.username), plain=True)
        self.say("#settings-email", display(info.recovery_email) or _("Not set yet"), plain=True)
        self.say(
            "#settings-pictures",
            _("Chosen") if info.has_pictures else _("Not chosen yet"),
            plain=True,
        )

    def _failed(self, error: KioskError) -> None:
        self.say_error("#settings-error", error)

    @on(Button.Pressed, "#change-password")
    def change_password(self) -> None:
        from kiosk.screens.parent_password import ParentPasswordScreen

        self.app.push_screen(ParentPasswordScreen(required=False))

    @on(Button.Pressed, "#change-email")
    def change_email(self) -> None:
        from kiosk.screens.parent_email import ParentEmailScreen

        self.app.push_screen(ParentEmailScreen(setup=False))

    @on(Button.Pressed, "#change-pictures")
    def change_pictures(self) -> None:
        from kiosk.screens.parent_pictures import ParentPicturesScreen

        self.app.push_screen(ParentPicturesScreen(setup=False))

    @on(Button.Pressed, "#back")
    def back(self) -> None:
        self.app.pop_screen()
