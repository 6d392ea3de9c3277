"""Child processes for the start-up and memory figures.

``python -m bench.probe bare`` runs a bare Textual app with one Static: the baseline. Run under
``bench.paint_driver`` (``$TEXTUAL_DRIVER``), as the start-up figure does for it and for the
real ``kiosk`` command alike, it reports when its first screen was written and exits.

``python -m bench.probe kiosk CONFIG QUERY`` is for the memory figure: it builds the context as
``kiosk`` does, answers one search (so the ORM, the search path and SQLite's page cache are in
memory, as at a front desk after the first look-up) and runs the app, under the same driver,
which reports the resident memory when Welcome is written.
"""

from __future__ import annotations

import sys


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("Front Desk")

    Bare().run()


def kiosk_after_a_search(config: str, query: str) -> None:
    """Run under ``bench.paint_driver`` too, which reports the memory at the first screen."""
    from kiosk.app import make_app
    from kiosk.auth import SYSTEM
    from kiosk.config import load_config
    from kiosk.context import make_context
    from kiosk.services.people import search

    ctx = make_context(load_config(config))
    search(ctx, SYSTEM, query)
    make_app(ctx).run()


def main(argv: list[str]) -> None:
    if argv[0] == "bare":
        bare()
    else:
        kiosk_after_a_search(argv[1], argv[2])


if __name__ == "__main__":
    main(sys.argv[1:])
