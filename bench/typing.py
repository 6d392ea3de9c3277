"""Keystroke to painted results in the app (Pilot, headless) on the district.

A district admin's front-desk home (search as you type over every school) gets names,
student numbers and phone numbers typed one character at a time. Each keystroke is timed from
the key press until the results for exactly what the box holds are on screen and the screen has
been refreshed (the staff home's debounce, the search in its worker and the repaint all count).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench.search import percentiles
from bench.workspace import Workspace


@dataclass(frozen=True)
class TypingResult:
    keystrokes: int
    p50_ms: float
    p95_ms: float
    max_ms: float


async def _type(ws: Workspace, words: list[str]) -> list[float]:
    from kiosk.screens.staff_home import StaffHomeScreen

    from kiosk.app import make_app
    from kiosk.services.staff import staff_actor
    from kiosk.store.models import StaffUser

    ctx = ws.context()
    try:
        app = make_app(ctx)
        with ctx.store.read():
            admin = staff_actor(StaffUser.get(StaffUser.username == "admin"))
        samples: list[float] = []
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()  # Welcome is up (it forgets any staff member)
            app.staff = admin  # as after the staff sign-in
            await app.push_screen(StaffHomeScreen())
            await pilot.pause()
            screen = app.screen
            box = screen.query_one("#search")
            for word in words:
                box.value = ""
                await pilot.pause()
                for ch in word:
                    started = time.perf_counter()
                    await pilot.press(ch)
                    typed = box.value
                    deadline = started + 10
                    while screen.shown_query != typed and time.perf_counter() < deadline:
                        await asyncio.sleep(0.001)
                    await pilot.pause()  # the refresh that paints the results
                    samples.append((time.perf_counter() - started) * 1000)
        return samples
    finally:
        ctx.close()


def measure(ws: Workspace, words: list[str]) -> TypingResult:
    samples = asyncio.run(_type(ws, words))
    p50, p95 = percentiles(samples)
    return TypingResult(len(samples), p50, p95, max(samples))
