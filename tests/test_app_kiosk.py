"""Kiosk hardening, each proven with the Pilot: keys, signals, idle timeouts, clipboard, crashes,
staff-only return and exit, themes."""

from __future__ import annotations

import contextlib
import os
from typing import ClassVar

import pytest
from click.testing import CliRunner
from textual.notifications import Notify
from textual.screen import Screen
from textual.widgets import Button, Static

from kiosk.app import FrontDeskApp, make_app
from kiosk.crash import CRASH_MESSAGE, FATAL_MESSAGE, PlainCrash
from kiosk.errors import ConfigError
from kiosk.screens.issue_key import IssueKeyScreen
from kiosk.screens.staff_base import StaffScreen
from kiosk.screens.staff_home import StaffHomeScreen
from kiosk.screens.staff_reauth import StaffReauthModal
from kiosk.screens.welcome import WelcomeScreen
from kiosk.services.activation import issue_key
from kiosk.supervise import SIGNALS_ENV, check_environment
from kiosk.widgets.secret import SecretInput
from tests.conftest import make_config
from tests.staff_helpers import (
    all_widgets,
    click,
    on_screen,
    screen_text,
    settled,
    sign_in_as,
    wait_for,
)

SIZE = (80, 24)
DESK_PASSWORD = "front-desk-demo-pass"


async def test_quit_suspend_and_palette_keys_do_nothing_in_kiosk_mode(ctx, monkeypatch):
    kills: list[tuple[int, int]] = []
    monkeypatch.setattr(os, "kill", lambda pid, sig: kills.append((pid, sig)))
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        home = app.screen
        for key in ("ctrl+q", "ctrl+c", "ctrl+z", "ctrl+backslash", "ctrl+p"):
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running, key
            assert app.screen is home, key
        await app.run_action("quit")  # what a [@click=app.quit] link would run
        await app.run_action("suspend_process")
        await app.run_action("command_palette")
        await pilot.pause()
        assert app.is_running and app.screen is home
        assert not app.use_command_palette
        assert not app.ALLOW_SELECT
        assert kills == []
        assert app.return_code is None


async def test_outside_kiosk_mode_ctrl_q_still_quits(ctx):
    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


def test_refuses_to_start_when_signals_are_allowed():
    with pytest.raises(ConfigError, match=SIGNALS_ENV):
        check_environment({SIGNALS_ENV: "1"})
    with pytest.raises(ConfigError):
        check_environment({SIGNALS_ENV: ""})  # set at all is refused
    check_environment({"TERM": "xterm"})


def test_cli_refuses_with_a_clear_message_and_non_zero_exit(tmp_path, monkeypatch):
    from kiosk.cli import main

    make_config(tmp_path)
    monkeypatch.setenv(SIGNALS_ENV, "1")
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "kiosk.toml"), "demo"])
    assert result.exit_code != 0
    assert SIGNALS_ENV in result.output
    assert "Traceback" not in result.output


async def welcome_shown(pilot) -> None:
    """Wait until a freshly pushed Welcome has mounted its widgets."""
    app = pilot.app
    await wait_for(pilot, lambda: on_screen(app, WelcomeScreen) and app.screen.is_mounted)
    await pilot.pause()


class Notices(list):
    """A ``run_test(message_hook=...)`` that keeps the text of every notification posted."""

    def __call__(self, message) -> None:
        if isinstance(message, Notify):
            self.append(message.notification.message)


def secrets_left(app, *needles: str) -> list[str]:
    """Every widget (on every screen in the stack) whose content mentions a needle."""
    found = []
    for widget in all_widgets(app):
        texts = []
        for attr in ("value", "data", "issued", "card", "selected", "username"):
            value = getattr(widget, attr, None)
            if value is not None:
                texts.append(repr(value))
        with contextlib.suppress(Exception):  # some containers cannot render on their own
            texts.append(str(widget.render()))
        blob = "\n".join(texts)
        found += [f"{widget!r}: {n}" for n in needles if n and n in blob]
    return found


async def test_the_first_welcome_is_pushed_and_is_replaced_like_any_screen(ctx):
    """The first Welcome is pushed over the app's blank base screen: a parent can leave it,
    and a reset leaves exactly one new Welcome, with the screen the parent was on gone."""
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await welcome_shown(pilot)
        first = app.screen
        base = app.screen_stack[0]
        assert app.screen_stack == [base, first] and type(base) is Screen
        await pilot.click("#activate")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ParentActivateScreen")
        activate = app.screen
        await wait_for(pilot, lambda: not first.is_attached)  # removal finishes after the switch
        assert app.screen_stack == [base, activate]
        await pilot.press(*"not-a-key")
        app.go_welcome()
        await welcome_shown(pilot)
        assert app.screen_stack[0] is base and len(app.screen_stack) == 2
        assert app.screen not in (first, activate)
        assert not activate.is_attached


async def test_staff_idle_timeout_returns_to_a_fresh_welcome_with_nothing_left(ctx, desk):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        issued = issue_key(ctx, desk, "G-1001")
        app.push_screen(IssueKeyScreen(issued))
        await settled(pilot)
        first, *_, last = issued.key.strip("{}").split("-")
        assert first in screen_text(app) and last in screen_text(app)
        old_screens = app.screen_stack[1:]  # all but the blank base
        limit = ctx.config.timeouts.staff_idle_seconds
        assert app.idle_limit() == limit
        assert not app.check_idle_timeout(now=app.last_activity + limit - 1)
        assert app.check_idle_timeout(now=app.last_activity + limit + 1)
        await welcome_shown(pilot)
        assert app.staff is None and app.session is None
        assert not any(s in app.screen_stack for s in old_screens)
        assert all(not s.is_attached for s in old_screens)
        assert secrets_left(app, first, last, issued.link, "Maria", "garcia", "desk") == []


async def test_parent_screens_time_out_sooner_than_staff_screens(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        t = ctx.config.timeouts
        assert t.parent_idle_seconds < t.staff_idle_seconds
        app.go_staff_sign_in()  # nobody signed in yet: the short timeout
        await settled(pilot)
        assert app.idle_limit() == t.parent_idle_seconds
        await sign_in_as(pilot)  # staff home
        assert app.idle_limit() == t.staff_idle_seconds
        app.push_screen(WelcomeScreen())  # parent audience
        await welcome_shown(pilot)
        assert app.idle_limit() == t.parent_idle_seconds


async def test_typing_pushes_the_timeout_back(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        before = app.last_activity
        await pilot.press("a")
        assert app.last_activity > before


async def test_timeout_after_typing_a_password_leaves_no_password(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.go_staff_sign_in()
        await settled(pilot)
        await pilot.press(*"desk", "enter", *"secret-being-typed")
        field = app.screen.query_one("#password", SecretInput)
        assert field.value == "secret-being-typed"
        assert app.check_idle_timeout(now=app.last_activity + 10_000)
        await welcome_shown(pilot)
        assert secrets_left(app, "secret-being-typed", "desk") == []


async def test_password_fields_never_reach_the_clipboard(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.go_staff_sign_in()
        await settled(pilot)
        field = app.screen.query_one("#password", SecretInput)
        field.focus()
        await pilot.press(*"hunter2-hunter2")
        field.select_all()
        field.action_copy()
        field.action_cut()
        await pilot.press("ctrl+c", "ctrl+x")
        assert app.clipboard == ""
        assert field.value == "hunter2-hunter2"  # cut did not even delete


class BrokenScreen(StaffScreen):
    """A screen with a bug: its button handler raises."""

    def compose(self):
        yield Static("Customer: Maria Garcia", markup=False)
        yield Button("Break", id="break")

    def on_button_pressed(self, event):
        local_secret = "top-secret-local"  # noqa: F841 - must never be drawn
        raise RuntimeError("boom")


def fail_in_app(app) -> None:
    def broken() -> None:
        local_secret = "top-secret-local"  # noqa: F841 - must never be drawn
        raise RuntimeError("boom")

    app.call_later(broken)


@pytest.mark.parametrize("where", ["screen", "app"])
async def test_an_unexpected_error_ends_the_app_with_only_the_plain_message(ctx, capfd, where):
    """A bug in a screen's handler or in the app itself: Textual ends the app as usual (exit
    code 1), and all it prints is the plain message, never a traceback or a local value."""
    app = make_app(ctx)
    with pytest.raises(PlainCrash):  # what Textual re-raises to a test framework
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_as(pilot)
            if where == "screen":
                app.push_screen(BrokenScreen())
                await settled(pilot)
                await click(pilot, "#break")
            else:
                fail_in_app(app)
            await wait_for(pilot, lambda: not app.is_running)
    assert app.crashed and app.return_code == 1
    printed = capfd.readouterr()
    shown = printed.out + printed.err
    assert FATAL_MESSAGE in shown
    for leak in ("Traceback", "top-secret-local", "boom", "Maria", "RuntimeError"):
        assert leak not in shown


class CrashingKiosk(FrontDeskApp):
    """The real app, run headless by ``kiosk.supervise.run``; the first one fails once Welcome is
    up, the one after it records its notifications and closes itself."""

    made: ClassVar[list[CrashingKiosk]] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.noticed: list[str] = []
        self.shown: list[str] = []
        CrashingKiosk.made.append(self)

    def notify(self, message, **kwargs) -> None:
        self.noticed.append(message)
        super().notify(message, **kwargs)

    def run(self, **kwargs) -> None:
        super().run(headless=True, size=SIZE)

    def on_ready(self) -> None:
        if len(CrashingKiosk.made) == 1:
            self.screen.call_later(self.screen.query_one, "#no-such-widget")
        else:
            self.call_after_refresh(self.look_and_close)

    def look_and_close(self) -> None:
        self.shown.append(type(self.screen).__name__)
        self.exit()


def test_the_kiosk_restarts_itself_at_a_welcome_that_says_what_happened(ctx, monkeypatch):
    import kiosk.app as app_module
    from kiosk.supervise import run

    monkeypatch.delenv(SIGNALS_ENV, raising=False)
    monkeypatch.setattr(app_module, "make_app", lambda *a, **k: CrashingKiosk(*a, **k))
    CrashingKiosk.made.clear()
    run(ctx)  # returns: the second kiosk closed normally
    first, second = CrashingKiosk.made
    assert first.crashed and first.return_code == 1
    assert not second.crashed and second.shown == ["WelcomeScreen"]
    assert CRASH_MESSAGE in second.noticed and CRASH_MESSAGE not in first.noticed


async def reauth(pilot, password: str) -> StaffReauthModal:
    app = pilot.app
    await wait_for(pilot, lambda: on_screen(app, StaffReauthModal))
    modal = app.screen
    await pilot.press(*password, "enter")
    return modal


async def test_returning_to_staff_needs_the_staff_password(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        app.push_screen(WelcomeScreen())  # stands in for a parent screen after the hand-off
        await welcome_shown(pilot)
        app.request_staff_return()
        modal = await reauth(pilot, "not-the-password")
        message = modal.query_one("#message", Static)
        await wait_for(pilot, lambda: "not the password" in str(message.render()))
        assert isinstance(app.screen, StaffReauthModal)
        await pilot.press(*DESK_PASSWORD, "enter")
        await wait_for(pilot, lambda: on_screen(app, StaffHomeScreen))
        assert len(app.screen_stack) == 2  # the base, then home: no parent screen left below


async def test_exit_kiosk_needs_the_staff_password(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        await pilot.press("f10")
        modal = await reauth(pilot, "wrong")
        await wait_for(pilot, lambda: "not the password" in screen_text(app), seconds=5)
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StaffHomeScreen)
        await click(pilot, "#exit")
        modal = await reauth(pilot, DESK_PASSWORD)
        await wait_for(pilot, lambda: not app.is_running)
        del modal
    assert app.return_code == 0


async def test_exit_without_staff_is_refused(ctx):
    app = make_app(ctx)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await welcome_shown(pilot)
        app.request_exit()
        await wait_for(pilot, lambda: "Sign in as staff to exit the kiosk." in notices)
        assert app.is_running and isinstance(app.screen, WelcomeScreen)


async def test_hand_off_shows_the_parent_side_with_no_staff_screen_left(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        app.hand_off("{00000000-0000-0000-0000-000000000000}", "Maria Garcia")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandOffScreen"
        assert not any(isinstance(s, StaffScreen) for s in app.screen_stack)


@pytest.mark.parametrize(
    ("ui", "theme", "accent"),
    [
        ({"theme": "front-desk", "accent": "#aa3300"}, "front-desk", "#AA3300"),
        ({"theme": "high-contrast"}, "high-contrast", "#FFFF00"),
        ({"theme": "no-such-theme"}, "front-desk", "#1F6FEB"),
    ],
)
async def test_themes_come_from_the_config(tmp_path, demo_template, ui, theme, accent):
    import shutil

    from tests.conftest import build_context

    config = make_config(tmp_path, ui=ui)
    shutil.copy(demo_template, tmp_path / "kiosk.db")
    ctx = build_context(config, f"sqlite:///{tmp_path / 'kiosk.db'}")
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == theme
        assert app.current_theme.accent.upper() == accent
        # What a person sees: the screens are painted in the theme's colours, from the first
        # screen on, and still after another screen's stylesheet has been loaded.
        background = app.current_theme.background.upper()
        assert app.screen.styles.background.hex.upper() == background
        app.go_staff_sign_in()
        await pilot.pause()
        assert type(app.screen).__name__ == "StaffSignInScreen"
        assert app.screen.styles.background.hex.upper() == background
    ctx.close()


async def test_a_failing_result_handler_also_starts_over_plainly(ctx):
    app = make_app(ctx)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await sign_in_as(pilot)

        def broken(result):
            raise KeyError("guardian-name-in-locals")

        app.screen.run_service(lambda: 42, broken)
        await wait_for(
            pilot,
            lambda: on_screen(app, WelcomeScreen) and CRASH_MESSAGE in notices,
        )
        assert app.staff is None and app.is_running
        assert "guardian-name-in-locals" not in screen_text(app)


async def test_staff_screens_refuse_anyone_not_signed_in(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(StaffHomeScreen())
        await wait_for(pilot, lambda: on_screen(app, WelcomeScreen))
        assert not any(isinstance(s, StaffScreen) for s in app.screen_stack)


async def test_linked_students_opens_the_parent_side_screen(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        app.show_linked_students("G-1001", staff_view=True)
        await pilot.pause()
        assert type(app.screen).__name__ == "LinkedStudentsScreen"


class DyingScreen(StaffScreen):
    """Fails while mounting, after it was already taken off the stack."""

    mounted: ClassVar[list[bool]] = []

    def on_mount(self) -> None:
        DyingScreen.mounted.append(True)
        self.query_one("#not-there")


async def test_a_screen_failing_after_it_left_the_stack_is_ignored(ctx):
    app = make_app(ctx)
    DyingScreen.mounted.clear()
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        home = app.screen
        app.push_screen(DyingScreen())
        app.pop_screen()  # gone before it could mount
        await wait_for(pilot, lambda: bool(DyingScreen.mounted))
        await pilot.pause()
        assert app.screen is home and app.staff is not None
        assert app.is_running and not app.crashed


def test_run_restarts_a_crashed_kiosk_but_not_forever(ctx, monkeypatch):
    import kiosk.app as app_module
    from kiosk import supervise
    from kiosk.errors import KioskError

    runs: list[int] = []

    class FakeApp:
        def __init__(self, crash: bool) -> None:
            self.crash = crash
            self.crashed = False
            self.database_error = None

        def run(self) -> None:
            runs.append(1)
            self.crashed = self.crash

    monkeypatch.delenv(SIGNALS_ENV, raising=False)
    outcomes = iter([True, True, False])
    monkeypatch.setattr(app_module, "make_app", lambda *a, **k: FakeApp(next(outcomes)))
    supervise.run(ctx)
    assert len(runs) == 3  # crashed twice, then ran normally

    runs.clear()
    monkeypatch.setattr(app_module, "make_app", lambda *a, **k: FakeApp(True))
    with pytest.raises(KioskError, match="unexpected problem"):
        supervise.run(ctx)
    assert len(runs) == supervise.MAX_RESTARTS + 1
