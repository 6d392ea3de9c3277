"""Helpers shared by the staff-side Pilot tests."""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import time
from collections.abc import Callable

from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerCancelled

from kiosk.app import FrontDeskApp


async def wait_for(pilot: Pilot, condition: Callable[[], bool], *, seconds: float = 60) -> None:
    """Let workers, messages and timers run until ``condition()`` holds.

    Each round waits for the app's workers and then for its message queues to drain; the
    deadline is only there to end a test that would otherwise hang (generous: a loaded machine
    is slow, never wrong)."""
    app = pilot.app
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition never became true")
        await workers_done(app)
        await _drain(pilot)
    await _drain(pilot)  # what the condition saw is laid out and painted too


async def workers_done(app) -> None:
    """Wait for every worker; one cancelled by a newer one (``exclusive``) is done too."""
    with contextlib.suppress(WorkerCancelled):
        await app.workers.wait_for_complete()


async def _drain(pilot: Pilot) -> None:
    app = pilot.app
    if app.is_running and app.screen_stack and app.screen.is_mounted:
        await pilot.pause()
    else:  # exiting, or a screen still mounting: let the event loop run it
        await asyncio.sleep(0)


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
    """Everything drawn on the current screen, as plain text, read from the screenshot Textual
    exports (its SVG places each run of text at its row and column)."""
    width, height = app.size
    grid = [[" "] * width for _ in range(height)]
    for x, y, text in _SVG_TEXT.findall(app.export_screenshot()):
        row = round((float(y) - _FIRST_ROW_Y) / _ROW_HEIGHT)
        col = round(float(x) / _CHAR_WIDTH)
        for offset, char in enumerate(html.unescape(text).replace("\n", "").replace("\xa0", " ")):
            if 0 <= row < height and 0 <= col + offset < width:
                grid[row][col + offset] = char
    return "\n".join("".join(line).rstrip() for line in grid)


#: Rich's SVG export: 12.2 px per column, 24.4 px per row, the first row's text at y=20.
_CHAR_WIDTH, _ROW_HEIGHT, _FIRST_ROW_Y = 12.2, 24.4, 20.0
_SVG_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')
