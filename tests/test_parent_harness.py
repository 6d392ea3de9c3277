"""A stand-in for the app shell's navigation contract, so parent screens are tested alone.

The shell (``kiosk/app.py``) implements ``go_welcome``, ``go_staff_sign_in``,
``request_staff_return``, ``show_linked_students`` and ``hand_off``; this harness does the same
with the least code and records the calls that belong to the staff side.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Static

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.i18n import set_language
from kiosk.themes import APP_CSS, DEFAULT_THEME, THEME_NAMES
from kiosk.widgets.theme import build_theme


class ParentHarness(App[None]):
    """Implements ``kiosk.screens.shell.Shell`` with the least code."""

    CSS_PATH = APP_CSS

    def __init__(
        self,
        ctx: Context,
        start: Callable[[], Screen] | None = None,
        *,
        staff: Actor | None = None,
        session=None,
        pushed: bool = False,
    ) -> None:
        """The stack has the app's shape: a first Welcome over Textual's default screen,
        replaced by ``start`` as the app's parent flow replaces screens (``switch_screen``),
        or with ``start`` on top of it (``pushed``) for the screens the app pushes: linked
        students, settings and the settings' own screens."""
        super().__init__()
        self.ctx = ctx
        self.staff = staff
        self.session = session
        self.exiting = False
        self.admin = False
        self.kiosk_mode = True
        self.calls: list[str] = []
        self._start = start
        self._pushed = pushed
        set_language("en")
        for name in THEME_NAMES:  # the app's themes, as FrontDeskApp registers them
            self.register_theme(build_theme(name, ctx.config.ui.accent))
        self.theme = ctx.config.ui.theme if ctx.config.ui.theme in THEME_NAMES else DEFAULT_THEME

    def on_mount(self) -> None:
        from kiosk.screens.welcome import WelcomeScreen

        self.push_screen(WelcomeScreen())
        if self._start is not None:
            screen = self._start()
            self.push_screen(screen) if self._pushed else self.switch_screen(screen)

    def go_welcome(self) -> None:
        from kiosk.screens.welcome import WelcomeScreen

        self.calls.append("go_welcome")
        self.session = None
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(WelcomeScreen())

    def go_staff_sign_in(self) -> None:
        self.calls.append("go_staff_sign_in")

    def go_staff_home(self) -> None:
        self.calls.append("go_staff_home")

    def go_admin_tools(self) -> None:
        self.calls.append("go_admin_tools")

    def request_staff_return(self) -> None:
        self.calls.append("request_staff_return")

    def request_exit(self) -> None:
        self.calls.append("request_exit")

    def show_linked_students(self, guardian_id: str, *, staff_view: bool) -> None:
        from kiosk.screens.linked_students import LinkedStudentsScreen

        self.calls.append(f"show_linked_students:{guardian_id}:{staff_view}")
        self.push_screen(LinkedStudentsScreen(guardian_id=guardian_id, staff_view=staff_view))

    def hand_off(self, key: str | None, guardian_name: str) -> None:
        from kiosk.screens.hand_off import HandOffScreen

        self.calls.append("hand_off")
        self.push_screen(HandOffScreen(key=key, guardian_name=guardian_name))

    def start_over(self) -> None:
        self.calls.append("start_over")
        self.go_welcome()


def texts(app: App) -> str:
    """Every Static's visible text on the current screen, for assertions."""
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


async def settle(pilot, app: App) -> None:
    """Let workers finish and their results reach the screen."""
    from tests.staff_helpers import workers_done

    await pilot.pause()
    await workers_done(app)
    await pilot.pause()
    await pilot.pause()


async def type_into(pilot, app: App, selector: str, text: str) -> None:
    """Focus a field and fill it in one go (key-by-key typing is tested where it matters)."""
    field = app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await settle(pilot, app)


async def test_welcome_staff_button_goes_to_the_shell(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#staff")
        await pilot.pause()
        assert app.calls == ["go_staff_sign_in"]


async def test_hand_off_staff_button_and_escape_ask_the_shell_for_the_staff(ctx):
    from kiosk.screens.hand_off import HandOffScreen

    app = ParentHarness(ctx, lambda: HandOffScreen(key="0" * 32, guardian_name="[b]Ana[/b]"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Welcome, [b]Ana[/b]." in texts(app)
        for key in ("backspace", "tab", "tab"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, HandOffScreen) and app.calls == []
        # The button first: a click within Textual's press effect (0.2 s) after Esc pressed
        # the same button is taken for a double press and ignored.
        await pilot.click("#staff")
        await pilot.pause()
        assert app.calls == ["request_staff_return"]
        await pilot.press("escape")  # the parent side's way back is the staff's password
        await pilot.pause()
        assert app.calls == ["request_staff_return"] * 2
