"""The Front Desk Textual app: ``make_app`` is the one factory for the CLI and the tests."""

from __future__ import annotations

from textual.app import App

from kiosk.context import Actor, Context
from kiosk.themes import themes_dir


class FrontDeskApp(App[None]):
    """The kiosk. Holds the service context, the signed-in staff member and parent session."""

    TITLE = "Front Desk"
    CSS_PATH = [themes_dir() / "app.tcss"]

    def __init__(self, ctx: Context, *, demo: bool = False, kiosk_mode: bool = True) -> None:
        super().__init__()
        self.ctx = ctx
        self.demo = demo
        self.kiosk_mode = kiosk_mode
        self.staff: Actor | None = None
        self.session = None  # kiosk.services.accounts.Session of a signed-in parent

    def on_mount(self) -> None:
        from kiosk.screens.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen())


def make_app(ctx: Context, *, demo: bool = False, kiosk_mode: bool = True) -> FrontDeskApp:
    return FrontDeskApp(ctx, demo=demo, kiosk_mode=kiosk_mode)


def run(ctx: Context, *, demo: bool = False) -> None:
    make_app(ctx, demo=demo).run()
