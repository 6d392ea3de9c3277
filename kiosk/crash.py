"""What a person sees when the kiosk's own code fails: plain messages, never a traceback."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widget import Widget

from kiosk.messages import PARENT, STAFF

CRASH_MESSAGE = PARENT["crash_restarted"]
FATAL_MESSAGE = STAFF["fatal"]


def crash_notice() -> str:
    """The restart notice in every language: after a restart nobody has chosen one yet."""
    from kiosk.errors import message
    from kiosk.i18n import LANGUAGES, explain

    return "\n".join(explain(message("crash_restarted"), language) for language in LANGUAGES)


class PlainCrash(Exception):
    """Handed to Textual in place of an unexpected error: it renders as the plain message."""

    def __init__(self) -> None:
        super().__init__(FATAL_MESSAGE)

    def __rich__(self) -> Text:
        return Text(FATAL_MESSAGE)


def raised_off_stage(error: BaseException, stack: list[Screen[Any]]) -> bool:
    """Was ``error`` raised by the code of a widget whose screen is no longer in ``stack``?
    (The innermost widget method in the traceback is the one that failed.)"""
    failed: Widget | None = None
    trace = error.__traceback__
    while trace is not None:
        owner = trace.tb_frame.f_locals.get("self")
        if isinstance(owner, Widget):
            failed = owner
        trace = trace.tb_next
    if failed is None:
        return False
    try:
        return failed.screen not in stack
    except NoScreen:
        return True
