"""A checkbox that reads without colour: ``[x]`` when ticked, ``[ ]`` when not.

Textual's Checkbox draws the same "X" both ways and tells them apart by colour only, which
NO_COLOR terminals (and colour-blind staff) cannot see.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.widgets import Checkbox

TICKED, UNTICKED = "[x]", "[ ]"


class TickBox(Checkbox):
    BUTTON_LEFT = ""
    BUTTON_RIGHT = ""
    BUTTON_INNER = UNTICKED

    #: Its colours are in themes/app.tcss, after the rules for Textual's own toggles.

    def __init__(self, label: RenderableType = "", value: bool = False, **kwargs) -> None:
        super().__init__(label, value, **kwargs)
        self.BUTTON_INNER = TICKED if value else UNTICKED

    def watch_value(self) -> None:
        self.BUTTON_INNER = TICKED if self.value else UNTICKED
        super().watch_value()
