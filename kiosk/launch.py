"""The ``kiosk`` console script: the kiosk starts with the cyclic garbage collector paused.

Before the first screen is drawn, Python, Textual and the kiosk create a few hundred thousand
objects (modules, classes, styles, widgets) and almost none of them is garbage. The collector
still walks them every few hundred allocations: about 10 ms of a cold start, measured by
``python -m bench`` (docs/PERFORMANCE.md). So this entry point pauses collection before it
imports anything, and the app resumes it right after its first screen is painted, first
moving everything made so far out of the collector's way for good (``gc.freeze``). Every other
command resumes it as soon as the command line is parsed; code that imports the kiosk without
this entry point (the tests, the benchmark's services) never sees a pause.
"""

from __future__ import annotations

import gc

_paused = False


def pause_collection() -> None:
    """Stop automatic collection until ``resume_collection`` (only if it was running)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_collection() -> None:
    """Undo ``pause_collection``: what exists now is kept out of later collections."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def main() -> None:
    pause_collection()
    try:
        from kiosk.cli import main as cli

        cli()
    finally:
        resume_collection()
