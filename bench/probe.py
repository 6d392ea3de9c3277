"""A child process for start-up and memory figures: start an app headless, report, exit.

``python -m bench.probe bare`` runs a bare Textual app with one Static (the baseline);
``python -m bench.probe kiosk CONFIG`` runs the Front Desk app on CONFIG's database. It records
the moment the app first draws its first real screen (the one-Static screen, or Welcome), then
lets the app settle, prints one JSON line (that moment, resident memory) and exits.
"""

from __future__ import annotations

import json
import sys
import time

STARTED = time.perf_counter()


def _rss_kib() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


#: The screen whose first drawing counts as "ready", by probe kind.
FIRST_SCREEN = {"bare": "Screen", "kiosk": "WelcomeScreen"}
_first_paint: list[float] = []


def _watch_paints(app, screen_name: str) -> None:  # type: ignore[no-untyped-def]
    """Note when the app first hands a drawing of ``screen_name`` to its driver."""
    display = app._display

    def timed(screen, renderable):  # type: ignore[no-untyped-def]
        if not _first_paint and type(screen).__name__ == screen_name and renderable is not None:
            _first_paint.append(time.monotonic())
        return display(screen, renderable)

    app._display = timed


async def _report(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.pause()
    while not _first_paint:
        await pilot.pause()
    print(
        json.dumps(
            {
                "ready_s": time.perf_counter() - STARTED,
                # CLOCK_MONOTONIC is system-wide on Linux: the parent subtracts its spawn time.
                "ready_at": _first_paint[0],
                "rss_kib": _rss_kib(),
                "screen": type(pilot.app.screen).__name__,
            }
        ),
        flush=True,
    )
    pilot.app.exit()


def main(argv: list[str]) -> None:
    kind = argv[0]
    if kind == "bare":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Front Desk")

        app: object = Bare()
    else:
        from kiosk.app import make_app
        from kiosk.config import load_config
        from kiosk.context import make_context

        ctx = make_context(load_config(argv[1]), defer_store=True)  # as ``kiosk`` does
        if len(argv) > 2:  # warm the search path as a front desk would
            from kiosk.context import SYSTEM
            from kiosk.services.people import search

            search(ctx, SYSTEM, argv[2])
        app = make_app(ctx)
    _watch_paints(app, FIRST_SCREEN[kind])
    app.run(headless=True, auto_pilot=_report, size=(80, 24))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main(sys.argv[1:])
