"""Helpers shared by the staff-side Pilot tests."""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widget import Widget

from kiosk.app import FrontDeskApp


async def wait_for(pilot: Pilot, condition: Callable[[], bool], *, tries: int = 200) -> None:
    """Let workers and timers run until ``condition()`` holds (fails after ~10 s)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition never became true")


async def sign_in_as(pilot: Pilot, username: str = "desk") -> None:
    """Put a signed-in staff member on their home screen without typing (fast)."""
    from kiosk.services.staff import staff_actor
    from kiosk.store.models import StaffUser

    app: FrontDeskApp = pilot.app  # type: ignore[assignment]
    with app.ctx.store.read():
        app.staff = staff_actor(StaffUser.get(StaffUser.username == username))
    app.go_staff_home()
    await pilot.pause()


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
