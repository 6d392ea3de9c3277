"""Child processes for the start-up and memory figures.

``python -m bench.probe bare`` runs a bare Textual app with one Static: the baseline. Run under
``bench.paint_driver`` (``$TEXTUAL_DRIVER``), as the start-up figure does for it and for the
real ``kiosk`` command alike, it reports when its first screen was written and exits.

``python -m bench.probe kiosk CONFIG QUERY`` is for the memory figure: it builds the context as
``kiosk`` does, answers one search (so the ORM, the search path and SQLite's page cache are in
memory, as at a front desk after the first look-up), runs the app headless until Welcome is
drawn and prints one JSON line with the resident memory then.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Front Desk")

    Bare().run()


def kiosk_after_a_search(config: str, query: str) -> None:
    from bench.paint_driver import rss_kib
    from kiosk.app import make_app
    from kiosk.config import load_config
    from kiosk.context import SYSTEM, make_context
    from kiosk.services.people import search

    ctx = make_context(load_config(config), defer_store=True)
    search(ctx, SYSTEM, query)
    app = make_app(ctx)

    async def report(pilot) -> None:  # type: ignore[no-untyped-def]
        while not (type(app.screen).__name__ == "WelcomeScreen" and app.screen.is_mounted):
            await asyncio.sleep(0.01)
        await pilot.pause()
        print(json.dumps({"ready_at": time.monotonic(), "rss_kib": rss_kib()}), flush=True)
        app.exit()

    app.run(headless=True, auto_pilot=report, size=(80, 24))


def main(argv: list[str]) -> None:
    if argv[0] == "bare":
        bare()
    else:
        kiosk_after_a_search(argv[1], argv[2])


if __name__ == "__main__":
    main(sys.argv[1:])
