"""Hand-off: staff turn the keyboard over to the parent, who goes on to Activate.

From here on the parent cannot reach staff screens or data: the only way back is the discreet
"Staff" button, which asks for the staff password (``app.request_staff_return``). The key is
held only by this screen and passed straight to Activate; it is not shown here.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Button, Static

from kiosk.i18n import LANGUAGES, N_, _, language, set_language
from kiosk.screens.parent_base import ParentScreen
from kiosk.text import display


class HandOffScreen(ParentScreen):
    #: The way back is the staff's: their password, then the front desk.
    BACK_BUTTONS = ("#staff",)
    ESC_HINT = N_("Esc: staff")

    def __init__(self, key: str, guardian_name: str) -> None:
        super().__init__()
        self._key = key
        self.guardian_name = guardian_name

    def compose_page(self) -> ComposeResult:
        with Vertical(id="hand-off", classes="parent-page"):
            yield Static(_("Please hand the keyboard to the parent."), classes="title")
            yield Static(
                _("Welcome, {name}.").format(name=display(self.guardian_name)),
                id="greeting",
                classes="subtitle",
                markup=False,
            )
            yield Static(
                _(
                    "Your activation key is ready. Next you will choose a username and a "
                    "password, and set up a way to recover your account. Staff cannot see "
                    "what you type."
                ),
                classes="lead",
            )
            with Horizontal(id="languages"):
                for code in self.shell.ctx.config.ui.languages:
                    if code in LANGUAGES:
                        button = Button(LANGUAGES[code], id=f"lang-{code}", classes="language")
                        button.set_class(code == language(), "-current")
                        yield button
            with Center():
                yield Button(_("Continue"), id="continue", variant="primary", classes="big")
            yield Button(_("Staff"), id="staff", classes="discreet")

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()

    @on(Button.Pressed, ".language")
    async def choose_language(self, event: Button.Pressed) -> None:
        code = (event.button.id or "").removeprefix("lang-")
        set_language(code)
        await self.recompose()
        self.query_one("#continue", Button).focus()

    @on(Button.Pressed, "#continue")
    def proceed(self) -> None:
        from kiosk.screens.parent_activate import ParentActivateScreen

        key, self._key = self._key, ""
        self.app.switch_screen(ParentActivateScreen(key=key))

    @on(Button.Pressed, "#staff")
    def staff(self) -> None:
        self.shell.request_staff_return()
