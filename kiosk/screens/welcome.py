"""Welcome: the district's name, the language, and the four ways in.

Choosing a language re-renders the whole screen in it (every parent screen composes its text
through ``_()`` when it is built, so later screens follow too).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.i18n import LANGUAGES, _, language, set_language
from kiosk.screens.parent_base import ParentScreen
from kiosk.text import display


class WelcomeScreen(ParentScreen):
    #: The cold-start screen needs only the app's stylesheets (``parent.tcss`` included).
    CSS_PATH = []
    AUTO_FOCUS = "#activate"
    #: The start: nothing to go back to.
    BACK_BUTTONS = ()
    ESC_HINT = ""

    def compose_page(self) -> ComposeResult:
        config = self.shell.ctx.config
        with Vertical(id="welcome", classes="parent-page"):
            yield Static(
                display(config.district.name), id="district", classes="title", markup=False
            )
            yield Static(_("Parent portal"), classes="subtitle")
            with Horizontal(id="languages"):
                for code in config.ui.languages:
                    if code in LANGUAGES:
                        button = Button(LANGUAGES[code], id=f"lang-{code}", classes="language")
                        button.set_class(code == language(), "-current")
                        yield button
            with Center(), Vertical(id="welcome-actions"):
                yield Button(
                    _("I have an activation key"),
                    id="activate",
                    variant="primary",
                    classes="big",
                )
                yield Button(_("Sign in"), id="sign-in", classes="big")
                yield Button(_("Forgot username or password"), id="forgot", classes="big")
            yield Button(_("Staff sign in"), id="staff", classes="discreet")

    @on(Button.Pressed, ".language")
    async def choose_language(self, event: Button.Pressed) -> None:
        code = (event.button.id or "").removeprefix("lang-")
        set_language(code)
        await self.recompose()
        self.query_one(f"#lang-{code}", Button).focus()

    @on(Button.Pressed, "#activate")
    def activate(self) -> None:
        from kiosk.screens.parent_activate import ParentActivateScreen

        self.app.switch_screen(ParentActivateScreen())

    @on(Button.Pressed, "#sign-in")
    def sign_in(self) -> None:
        from kiosk.screens.parent_sign_in import ParentSignInScreen

        self.app.switch_screen(ParentSignInScreen())

    @on(Button.Pressed, "#forgot")
    def forgot(self) -> None:
        from kiosk.screens.parent_forgot import ParentForgotScreen

        self.app.switch_screen(ParentForgotScreen())

    @on(Button.Pressed, "#staff")
    def staff(self) -> None:
        self.shell.go_staff_sign_in()
