"""Keystroke to painted results in the app (Pilot, headless) on the district.

A district admin's front-desk home (search as you type over every school) gets names,
student numbers and phone numbers typed one character at a time. Each key is sent the way the
terminal driver sends it (a Key event, without Pilot's waiting for the app to go idle), and is
timed until the results for exactly what the box holds are on screen and the app has drawn the
screen after that (the debounce, the search in its worker and the repaint all count). A human
types about 5 keys a second; the next key goes after the results of the last one were drawn.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from textual import events
from textual.keys import _character_to_key

from bench.search import percentiles
from bench.workspace import Workspace


@dataclass(frozen=True)
class TypingResult:
    keystrokes: int
    p50_ms: float
    p95_ms: float
    max_ms: float


async def _type(ws: Workspace, words: list[str]) -> list[float]:
    from kiosk.app import make_app
    from kiosk.screens.staff_home import StaffHomeScreen
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
            paints: list[float] = []
            display = app._display

            def timed_display(screen, renderable):  # type: ignore[no-untyped-def]
                paints.append(time.perf_counter())
                return display(screen, renderable)

            app._display = timed_display  # type: ignore[method-assign]
            for word in words:
                box.value = ""
                await pilot.pause()
                for ch in word:
                    expected = box.value + ch
                    started = time.perf_counter()
                    key = _character_to_key(ch) if not ch.isalnum() else ch
                    event = events.Key(key, ch)
                    event.set_sender(app)
                    app._driver.send_message(event)  # type: ignore[union-attr]
                    deadline = started + 10
                    while time.perf_counter() < deadline:
                        if box.value == expected and screen.shown_query == expected:
                            break
                        await asyncio.sleep(0.001)
                    shown = time.perf_counter()
                    while time.perf_counter() < deadline and not any(t >= shown for t in paints):
                        await asyncio.sleep(0.001)
                    painted = next(t for t in paints if t >= shown)
                    samples.append((painted - started) * 1000)
                    await asyncio.sleep(0.05)
        return samples
    finally:
        ctx.close()


def measure(ws: Workspace, words: list[str]) -> TypingResult:
    samples = asyncio.run(_type(ws, words))
    p50, p95 = percentiles(samples)
    return TypingResult(len(samples), p50, p95, max(samples))
