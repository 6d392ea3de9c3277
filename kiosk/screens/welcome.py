"""Welcome: the district's name, the language, and the four ways in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Static

from kiosk.i18n import _
from kiosk.screens.base import KioskScreen


class WelcomeScreen(KioskScreen):
    def compose(self) -> ComposeResult:
        with Vertical(id="welcome"):
            yield Static(self.kiosk.ctx.config.district.name, classes="title", markup=False)
            yield Button(_("I have an activation key"), id="activate")
            yield Button(_("Sign in"), id="sign-in")
            yield Button(_("Forgot username or password"), id="forgot")
            yield Button(_("Staff sign in"), id="staff")
