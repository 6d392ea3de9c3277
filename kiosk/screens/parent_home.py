"""The signed-in parent's home: their students, account settings, sign out."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Button, Static

from kiosk.i18n import N_, _
from kiosk.screens.parent_base import ParentScreen
from kiosk.text import display


class ParentHomeScreen(ParentScreen):
    BACK_BUTTONS = ("#sign-out",)
    ESC_HINT = N_("Esc: sign out")

    def compose_page(self) -> ComposeResult:
        session = self.shell.session
        with Vertical(id="home", classes="parent-page"):
            yield Static(
                display(self.shell.ctx.config.district.name), classes="title", markup=False
            )
            yield Static(
                _("You are signed in as {username}.").format(username=display(session.username)),
                id="signed-in-as",
                classes="subtitle",
                markup=False,
            )
            with Center(), Vertical(id="home-actions"):
                yield Button(_("See my students"), id="students", variant="primary", classes="big")
                yield Button(_("Account settings"), id="settings", classes="big")
                yield Button(_("Sign out"), id="sign-out", classes="big")

    def on_mount(self) -> None:
        self.query_one("#students", Button).focus()

    @on(Button.Pressed, "#students")
    def students(self) -> None:
        self.shell.show_linked_students(self.shell.session.guardian_id, staff_view=False)

    @on(Button.Pressed, "#settings")
    def settings(self) -> None:
        from kiosk.screens.parent_settings import ParentSettingsScreen

        self.app.push_screen(ParentSettingsScreen())

    @on(Button.Pressed, "#sign-out")
    def sign_out(self) -> None:
        self.shell.session = None
        self.shell.go_welcome()
