"""Untrusted text for widgets: cleaned by ``kiosk.text.display`` and never parsed as markup.

A student called ``[@click=app.quit]x[/]`` must show exactly that, and clicking it must do
nothing. ``Content(...)`` (unlike ``Content.from_markup``) treats every character as text.
"""

from __future__ import annotations

from textual.content import Content

from kiosk.text import display


def plain(*parts: object, sep: str = "") -> Content:
    """Join ``parts`` (each cleaned of control characters) into plain content."""
    return Content(sep.join(display(p) for p in parts))
