"""Helpers shared by the staff-side Pilot tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widget import Widget

from kiosk.app import FrontDeskApp


async def wait_for(pilot: Pilot, condition: Callable[[], bool], *, tries: int = 200) -> None:
    """Let workers and timers run until ``condition()`` holds (fails after ~10 s).

    Plain sleeps, not ``pilot.pause()``: the Pilot's wait for the current screen can miss a
    screen that was pushed a moment ago, or an app that is exiting."""
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition never became true")


def on_screen(app: FrontDeskApp, screen_type: type) -> bool:
    """The current screen is a ``screen_type`` and has mounted (so the Pilot can drive it)."""
    return isinstance(app.screen, screen_type) and app.screen.is_mounted


async def settled(pilot: Pilot) -> None:
    """After pushing or switching screens: wait until the new screen has mounted, then let
    the Pilot wait for its widgets (doing that earlier can hang on a screen not yet started)."""
    await wait_for(pilot, lambda: pilot.app.screen.is_mounted)
    await pilot.pause()


async def click(pilot: Pilot, selector: str) -> None:
    """Click a widget after the screen has settled, so a button that just appeared (or moved)
    is clicked where it is now drawn."""
    await pilot.pause()
    await pilot.click(selector)


async def sign_in_as(pilot: Pilot, username: str = "desk") -> None:
    """Put a signed-in staff member on their home screen without typing (fast)."""
    from kiosk.services.staff import staff_actor
    from kiosk.store.models import StaffUser

    app: FrontDeskApp = pilot.app  # type: ignore[assignment]
    await wait_for(pilot, lambda: app.screen.is_mounted)  # the first Welcome
    with app.ctx.store.read():
        app.staff = staff_actor(StaffUser.get(StaffUser.username == username))
    app.go_staff_home()
    await settled(pilot)


def all_widgets(app: FrontDeskApp) -> list[Widget]:
    widgets: list[Widget] = []
    for screen in app.screen_stack:
        widgets.append(screen)
        widgets.extend(screen.query("*"))
    return widgets


def screen_text(app: FrontDeskApp) -> str:
    """Everything drawn on the current screen, as plain text."""
    from textual.strip import Strip

    lines: list[Strip] = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in lines)
