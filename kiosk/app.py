"""The Front Desk Textual app: ``make_app`` is the one factory for the CLI and the tests.

The app owns navigation (the contract both the parent and the staff screens rely on) and the
kiosk hardening: no key quits or suspends, idle screens go back to Welcome with nothing left
behind, and an unexpected error shows a plain message instead of a traceback with locals.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual._context import active_message_pump
from textual.app import App
from textual.binding import Binding, BindingType
from textual.color import Color, ColorParseError
from textual.screen import Screen
from textual.theme import Theme

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import ConfigError, KioskError
from kiosk.i18n import set_language
from kiosk.themes import (
    APP_CSS,
    DEFAULT_ACCENT,
    DEFAULT_THEME,
    STAFF_CSS,
    THEME_NAMES,
    theme_colours,
)

if TYPE_CHECKING:
    from kiosk.services.accounts import Session

#: Textual's Linux driver leaves ctrl+c/ctrl+z/ctrl+\ as signals (SIGINT, SIGTSTP, SIGQUIT)
#: when this variable is non-empty (textual/drivers/linux_driver.py, ``_patch_lflag``). A kiosk
#: must never run like that, so the kiosk refuses to start when it is set at all.
SIGNALS_ENV = "TEXTUAL_ALLOW_SIGNALS"

CRASH_MESSAGE = (
    "Something went wrong and the kiosk started over. Nothing you typed was kept. "
    "If it happens again, please tell the front desk."
)
FATAL_MESSAGE = "Front Desk stopped because of an unexpected problem. Run 'kiosk doctor'."

#: Keys that quit, interrupt, suspend or open the palette in a stock Textual app.
_GUARDED_KEYS = {
    "ctrl+q": "quit",
    "ctrl+c": "help_quit",
    "ctrl+z": "suspend_process",
    "ctrl+backslash": "",  # SIGQUIT in a shell; nothing in Textual, and nothing here
    "ctrl+p": "command_palette",
}

#: Events that count as someone using the kiosk (they push the idle timeout back).
_ACTIVITY = (
    events.Key,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)


def check_environment(environ: dict[str, str] | os._Environ[str] | None = None) -> None:
    """Refuse to run a kiosk whose terminal would turn ctrl+c/ctrl+z into signals."""
    env = os.environ if environ is None else environ
    if SIGNALS_ENV in env:
        raise ConfigError("signals_env", env=SIGNALS_ENV)


def build_theme(name: str, accent: str) -> Theme:
    try:
        Color.parse(accent)
    except ColorParseError:
        accent = DEFAULT_ACCENT
    return Theme(**theme_colours(name, accent))  # type: ignore[arg-type]


class FrontDeskApp(App[None]):
    """The kiosk. Holds the service context, the signed-in staff member and parent session."""

    TITLE = "Front Desk"
    #: Welcome's stylesheets only; the staff screens bring ``staff.tcss`` (``STAFF_CSS``).
    CSS_PATH = APP_CSS
    ENABLE_COMMAND_PALETTE = False
    #: How often the idle timeout is checked, in seconds.
    IDLE_CHECK_SECONDS: ClassVar[float] = 1.0

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(key, f"guarded_key('{key}')", show=False, priority=True, system=True)
        for key in _GUARDED_KEYS
    ]

    def __init__(
        self, ctx: Context, *, demo: bool = False, kiosk_mode: bool = True, admin: bool = False
    ) -> None:
        # Textual 8.2.8 does not read the base screen's own CSS_PATH (``App._init_mode`` skips
        # ``_load_screen_css`` for the default screen), and the admin console's base is the
        # staff sign-in: its stylesheet is the app's from the start.
        super().__init__(css_path=[*self.CSS_PATH, *(STAFF_CSS if admin else [])])
        self.ctx = ctx
        self.demo = demo
        self.kiosk_mode = kiosk_mode
        #: The admin console (``kiosk admin``, often over SSH): staff sign-in is the start
        #: screen and the district-data tools are home; there is no parent side.
        self.admin = admin
        self.staff: Actor | None = None
        self.session: Session | None = None
        #: True after a crash that could not be recovered in place (``run`` restarts the app).
        self.crashed = False
        self.database_error: KioskError | None = None
        #: Set once a staff member confirmed "Exit kiosk".
        self.exiting = False
        self.use_command_palette = not kiosk_mode
        self.ALLOW_SELECT = not kiosk_mode  # type: ignore[misc]
        self._last_activity = time.monotonic()
        ui = ctx.config.ui
        for name in THEME_NAMES:
            self.register_theme(build_theme(name, ui.accent))
        self.theme = ui.theme if ui.theme in THEME_NAMES else DEFAULT_THEME

    # -- start -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.set_interval(self.IDLE_CHECK_SECONDS, self.check_idle_timeout)
        self._reset_language()
        self.push_screen(self._start_screen())

    def stop_for_database(self, error: KioskError) -> None:
        """The database cannot be used any more (its file was replaced under us): exit; ``run``
        raises the error, so the command line prints its plain message."""
        self.database_error = error
        self.exit(return_code=1)

    # -- navigation contract ---------------------------------------------------------------

    def _show_alone(self, screen: Screen) -> None:
        """Make ``screen`` the only screen above the app's blank base: every other one is
        removed with its widgets, so nothing a parent or a staff member typed stays behind."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def _start_screen(self) -> Screen:
        """A new Welcome, or in the admin console a new staff sign-in."""
        if self.admin:
            from kiosk.screens.staff_sign_in import StaffSignInScreen

            return StaffSignInScreen()
        from kiosk.screens.welcome import WelcomeScreen

        return WelcomeScreen()

    def _reset_language(self) -> None:
        langs = self.ctx.config.ui.languages
        set_language(langs[0] if langs else "en")

    def go_welcome(self) -> None:
        """Forget the staff member and the parent, drop every screen, show a new Welcome
        (in the admin console: a new staff sign-in)."""
        self.staff = None
        self.session = None
        self.clear_notifications()
        self._reset_language()
        self._show_alone(self._start_screen())
        self._last_activity = time.monotonic()

    def go_staff_sign_in(self) -> None:
        from kiosk.screens.staff_sign_in import StaffSignInScreen

        if isinstance(self.screen, StaffSignInScreen):
            return
        self.push_screen(StaffSignInScreen())

    def go_staff_home(self) -> None:
        """The signed-in staff member's home, with nothing else stacked: the front-desk search,
        or in the admin console the district-data tools."""
        from kiosk.screens.admin_home import AdminHomeScreen
        from kiosk.screens.staff_home import StaffHomeScreen

        if self.staff is None:
            self.go_welcome()
            return
        self.session = None
        self._show_alone(AdminHomeScreen() if self.admin else StaffHomeScreen())

    def go_admin_tools(self) -> None:
        """The district-data tools on top of the front-desk home (reports, merges, ...)."""
        from kiosk.screens.admin_home import AdminHomeScreen

        if self.staff is not None:
            self.push_screen(AdminHomeScreen())

    def hand_off(self, key: str | None, guardian_name: str) -> None:
        """Give the keyboard to the parent: staff screens are dropped from the stack."""
        from kiosk.screens.hand_off import HandOffScreen

        self.session = None
        self._show_alone(HandOffScreen(key=key, guardian_name=guardian_name))

    def request_staff_return(self) -> None:
        """Ask for the signed-in staff member's password before leaving the parent side."""
        from kiosk.screens.staff_reauth import StaffReauthModal

        if self.staff is None:
            self.go_welcome()
            return

        def done(ok: bool | None) -> None:
            if ok:
                self.go_staff_home()

        self.push_screen(StaffReauthModal(purpose="return"), done)

    def request_exit(self) -> None:
        """Exit kiosk: only a signed-in staff member who types their password again."""
        from kiosk.screens.staff_reauth import StaffReauthModal

        if self.staff is None:
            self.notify("Sign in as staff to exit the kiosk.", markup=False)
            return

        def done(ok: bool | None) -> None:
            if ok:
                self.exiting = True  # staff screens must not send us to Welcome now
                self.staff = None
                self.session = None
                self.exit()

        self.push_screen(StaffReauthModal(purpose="exit"), done)

    def show_linked_students(self, guardian_id: str, *, staff_view: bool) -> None:
        from kiosk.screens.linked_students import LinkedStudentsScreen

        self.push_screen(LinkedStudentsScreen(guardian_id=guardian_id, staff_view=staff_view))

    # -- idle timeout ----------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _ACTIVITY):
            self._last_activity = time.monotonic()
        await super().on_event(event)

    def idle_limit(self) -> int:
        """Seconds of inactivity allowed on the current screen (parent short, staff longer)."""
        audience = getattr(self.screen, "AUDIENCE", "parent")
        t = self.ctx.config.timeouts
        return t.staff_idle_seconds if audience == "staff" else t.parent_idle_seconds

    def _at_rest(self) -> bool:
        from kiosk.screens.welcome import WelcomeScreen

        return (
            self.staff is None
            and self.session is None
            and len(self.screen_stack) == 2
            and isinstance(self.screen, WelcomeScreen)
        )

    def check_idle_timeout(self, now: float | None = None) -> bool:
        """Called by a timer; returns True when it sent the kiosk back to Welcome."""
        now = time.monotonic() if now is None else now
        if now - self._last_activity < self.idle_limit() or self._at_rest():
            return False
        self.go_welcome()
        return True

    # -- kiosk keys ------------------------------------------------------------------------

    async def action_guarded_key(self, key: str) -> None:
        """In kiosk mode the quit/suspend/palette keys do nothing at all."""
        if self.kiosk_mode:
            return
        action = _GUARDED_KEYS[key]
        if action:
            await self.run_action(action)

    async def action_quit(self) -> None:
        """Markup links or stray bindings must not quit a kiosk; use ``request_exit``."""
        if self.kiosk_mode:
            return
        await super().action_quit()

    def action_suspend_process(self) -> None:
        if self.kiosk_mode:
            return
        super().action_suspend_process()

    def action_command_palette(self) -> None:
        if self.kiosk_mode:
            return
        super().action_command_palette()

    def action_help_quit(self) -> None:
        if self.kiosk_mode:
            return
        super().action_help_quit()

    # -- errors ----------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Never draw a traceback. A screen or widget that failed is dropped with everything
        else and the kiosk starts over at Welcome; if the app itself failed, it exits with a
        plain message and ``run`` starts a fresh one."""
        failed = active_message_pump.get(None)
        self.log.error(f"unexpected {type(error).__name__}")
        if failed is not None and failed is not self and self.is_running:
            if not self._in_stack(failed):
                # A screen already taken off the stack (say, popped while it was still
                # mounting) tripped over its own removal: nothing is shown, nothing to undo.
                return
            self.call_later(self._recover)
            return
        self._fatal_error()

    def _in_stack(self, pump: object) -> bool:
        """Is ``pump`` a screen in the stack, or a widget on one?"""
        node = pump
        while node is not None and not isinstance(node, Screen):
            node = getattr(node, "_parent", None)
        return node is not None and node in self.screen_stack

    def _fatal_error(self) -> None:
        self.crashed = True
        self._return_code = 1
        self._exit_renderables.append(Text(FATAL_MESSAGE))
        self._close_messages_no_wait()

    def panic(self, *renderables: Any) -> None:  # never print arbitrary renderables
        self._fatal_error()

    def _recover(self) -> None:
        if not self._at_rest():  # two failures in one moment rebuild Welcome only once
            self.go_welcome()
        self.notify(CRASH_MESSAGE, severity="error", markup=False, timeout=10)


def make_app(
    ctx: Context, *, demo: bool = False, kiosk_mode: bool = True, admin: bool = False
) -> FrontDeskApp:
    return FrontDeskApp(ctx, demo=demo, kiosk_mode=kiosk_mode, admin=admin)


#: A kiosk that crashes outright is restarted, but not in a tight loop.
MAX_RESTARTS = 3


def run(ctx: Context, *, demo: bool = False, kiosk_mode: bool = True, admin: bool = False) -> None:
    if kiosk_mode:
        check_environment()
    restarts = 0
    while True:
        app = make_app(ctx, demo=demo, kiosk_mode=kiosk_mode, admin=admin)
        app.run()
        if app.database_error is not None:  # set by stop_for_database
            raise app.database_error
        if not (kiosk_mode and app.crashed) or restarts >= MAX_RESTARTS:
            break
        restarts += 1
    if app.crashed:
        raise KioskError("fatal")
