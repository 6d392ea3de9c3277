"""The Front Desk Textual app: ``make_app`` is the one factory for the CLI and the tests.

The app owns navigation (``kiosk.screens.shell.Shell``, the contract every screen relies on)
and the kiosk hardening: no key quits or suspends, idle screens go back to Welcome with nothing
left behind, and an unexpected error shows a plain message, never a traceback with locals.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from kiosk import collector
from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.crash import FATAL_MESSAGE, PlainCrash, crash_notice, raised_off_stage
from kiosk.errors import KioskError
from kiosk.i18n import set_language
from kiosk.keyflood import KeyBudget
from kiosk.screens.hand_off import HandOffScreen
from kiosk.screens.linked_students import LinkedStudentsScreen
from kiosk.screens.staff_home import StaffHomeScreen
from kiosk.screens.staff_reauth import StaffReauthModal
from kiosk.screens.staff_sign_in import StaffSignInScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.themes import APP_CSS, DEFAULT_THEME, STAFF_CSS, THEME_NAMES
from kiosk.widgets.theme import build_theme

if TYPE_CHECKING:
    from kiosk.services.accounts import Session

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


def admin_home() -> Screen[None]:
    """The admin console, imported when first opened: a fifth of start-up (docs/PERFORMANCE.md)."""
    from kiosk.screens.admin_home import AdminHomeScreen

    return AdminHomeScreen()


class FrontDeskApp(App[None]):
    """The kiosk: service context, staff member and parent session; a ``screens.shell.Shell``."""

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
        self,
        ctx: Context,
        *,
        demo: bool = False,
        kiosk_mode: bool = True,
        admin: bool = False,
        after_crash: bool = False,
    ) -> None:
        # The admin console starts at the staff sign-in: the staff stylesheet from the start.
        super().__init__(css_path=[*self.CSS_PATH, *(STAFF_CSS if admin else [])])
        self.ctx = ctx
        self.demo = demo
        self.kiosk_mode = kiosk_mode
        #: The admin console (``kiosk admin``, often over SSH): staff sign-in is the start
        #: screen and the district-data tools are home; there is no parent side.
        self.admin = admin
        #: This app replaces one that crashed (``run``): its Welcome says so.
        self.after_crash = after_crash
        self.staff: Actor | None = None
        self.session: Session | None = None
        #: True after an unexpected error ended the app (``run`` starts a fresh one).
        self.crashed = False
        self.database_error: KioskError | None = None
        #: Set once a staff member confirmed "Exit kiosk".
        self.exiting = False
        self.use_command_palette = not kiosk_mode
        self.ALLOW_SELECT = not kiosk_mode  # type: ignore[misc]
        #: When someone last pressed a key, clicked or scrolled (``time.monotonic``).
        self.last_activity = time.monotonic()
        self.key_budget = KeyBudget()
        for name in THEME_NAMES:
            self.register_theme(build_theme(name, ctx.config.ui.accent))
        theme = ctx.config.ui.theme
        self.theme = theme if theme in THEME_NAMES else DEFAULT_THEME

    def on_mount(self) -> None:
        self.set_interval(self.IDLE_CHECK_SECONDS, self.check_idle_timeout)
        self.go_welcome()
        if self.after_crash:
            self.notify(crash_notice(), severity="error", markup=False, timeout=10)

    def on_ready(self) -> None:
        collector.leave_out_what_exists()

    def stop_for_database(self, error: KioskError) -> None:
        """The database cannot be used any more (its file was replaced under us): exit; the
        supervisor raises the error, so the command line prints its plain message."""
        self.database_error = error
        self.exit(return_code=1)

    # -- navigation (kiosk.screens.shell.Shell) --------------------------------------------

    def _show_alone(self, screen: Screen) -> None:
        """Make ``screen`` the only one over Textual's blank default screen: every other is
        removed with its widgets, so nothing anyone typed stays behind in the stack."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(screen)

    def go_welcome(self) -> None:
        """Forget the staff member and the parent, drop every screen, show a new Welcome
        (in the admin console: a new staff sign-in)."""
        self.staff = None
        self.session = None
        self.clear_notifications()
        langs = self.ctx.config.ui.languages
        set_language(langs[0] if langs else "en")
        self._show_alone(StaffSignInScreen() if self.admin else WelcomeScreen())
        self.last_activity = time.monotonic()

    def go_staff_sign_in(self) -> None:
        if not isinstance(self.screen, StaffSignInScreen):
            self.push_screen(StaffSignInScreen())

    def go_staff_home(self) -> None:
        """The signed-in staff member's home, with nothing else stacked: the front-desk search,
        or in the admin console the district-data tools."""
        if self.staff is None:
            self.go_welcome()
            return
        self.session = None
        self._show_alone(admin_home() if self.admin else StaffHomeScreen())

    def go_admin_tools(self) -> None:
        if self.staff is not None:
            self.push_screen(admin_home())

    def hand_off(self, key: str | None, guardian_name: str) -> None:
        self.session = None
        self._show_alone(HandOffScreen(key=key, guardian_name=guardian_name))

    def request_staff_return(self) -> None:
        if self.staff is None:
            self.go_welcome()
            return

        def done(ok: bool | None) -> None:
            if ok:
                self.go_staff_home()

        self.push_screen(StaffReauthModal(purpose="return"), done)

    def request_exit(self) -> None:
        """Exit kiosk: only a signed-in staff member who types their password again."""
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
        self.push_screen(LinkedStudentsScreen(guardian_id=guardian_id, staff_view=staff_view))

    def start_over(self) -> None:
        if not self.at_rest():  # two failures in one moment rebuild Welcome only once
            self.go_welcome()
        self.notify(crash_notice(), severity="error", markup=False, timeout=10)

    # -- idle timeout ----------------------------------------------------------------------

    def post_message(self, message: Message) -> bool:
        """A flood of keystrokes is dropped here, before it is queued (``kiosk.keyflood``)."""
        if isinstance(message, events.Key) and not self.key_budget.allow():
            return False
        return super().post_message(message)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _ACTIVITY):
            self.last_activity = time.monotonic()
        await super().on_event(event)

    def idle_limit(self) -> int:
        """Seconds of inactivity allowed on the current screen (parent short, staff longer)."""
        audience = getattr(self.screen, "AUDIENCE", "parent")
        t = self.ctx.config.timeouts
        return t.staff_idle_seconds if audience == "staff" else t.parent_idle_seconds

    def at_rest(self) -> bool:
        """Nobody is using the kiosk: one Welcome, nobody signed in."""
        return (
            self.staff is None
            and self.session is None
            and len(self.screen_stack) == 2
            and isinstance(self.screen, WelcomeScreen)
        )

    def check_idle_timeout(self, now: float | None = None) -> bool:
        """Called by a timer; returns True when it sent the kiosk back to Welcome."""
        now = time.monotonic() if now is None else now
        if now - self.last_activity < self.idle_limit() or self.at_rest():
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
        if not self.kiosk_mode:
            await super().action_quit()

    def action_suspend_process(self) -> None:
        if not self.kiosk_mode:
            super().action_suspend_process()

    def action_command_palette(self) -> None:
        if not self.kiosk_mode:
            super().action_command_palette()

    def action_help_quit(self) -> None:
        if not self.kiosk_mode:
            super().action_help_quit()

    # -- errors ----------------------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        # Textual renders an error without ``__rich__`` as a traceback with its locals
        # (``show_locals=True``) when the app exits, and a kiosk's locals hold names, keys and
        # passwords. So Textual gets a stand-in that renders as the plain message and handles
        # it as usual (exit code 1, the app ends); ``kiosk.supervise`` starts a fresh kiosk.
        # Like harlequin, it ignores what Textual reports while shutting down or from a screen
        # already gone (popped while mounting; Textual issue 5325): nothing is shown to undo.
        self.log.error(f"unexpected {type(error).__name__}")
        if not self.is_running or raised_off_stage(error, self.screen_stack):
            return
        self.crashed = True
        super()._handle_exception(PlainCrash())

    def panic(self, *renderables: Any) -> None:
        """Whoever panics, only the plain message is shown."""
        self.crashed = True
        super().panic(Text(FATAL_MESSAGE))


def make_app(
    ctx: Context,
    *,
    demo: bool = False,
    kiosk_mode: bool = True,
    admin: bool = False,
    after_crash: bool = False,
) -> FrontDeskApp:
    return FrontDeskApp(ctx, demo=demo, kiosk_mode=kiosk_mode, admin=admin, after_crash=after_crash)
