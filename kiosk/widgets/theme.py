"""The app's Textual themes, built from the colours in ``kiosk.themes``."""

from __future__ import annotations

from textual.color import Color, ColorParseError
from textual.theme import Theme

from kiosk.themes import DEFAULT_ACCENT, theme_colours


def build_theme(name: str, accent: str) -> Theme:
    """The theme ``name`` with the district's accent (the default one if it does not parse)."""
    try:
        Color.parse(accent)
    except ColorParseError:
        accent = DEFAULT_ACCENT
    return Theme(**theme_colours(name, accent))  # type: ignore[arg-type]
