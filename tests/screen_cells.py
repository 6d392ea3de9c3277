"""The screen as drawn, cell by cell, read from the SVG screenshot Textual exports
(``App.export_screenshot``, a public API): each cell's character, text colour and background.

Rich's SVG places a background ``<rect>`` per run of cells and a ``<text>`` per run of styled
characters, 12.2 px a column and 24.4 px a row; the text colours are CSS classes.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_CHAR_WIDTH, _ROW_HEIGHT, _FIRST_TEXT_Y, _FIRST_RECT_Y = 12.2, 24.4, 20.0, 1.5
_CLASS = re.compile(r"\.([\w-]+) \{ fill: (#[0-9a-fA-F]{6})")
_RECT = re.compile(
    r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
    r'height="[\d.]+" shape-rendering="crispEdges"/>'
)
_TEXT = re.compile(r'<text class="([\w-]+)" x="([\d.]+)" y="([\d.]+)"[^>]*>([^<]*)</text>')


@dataclass
class Cell:
    char: str = " "
    fg: tuple[int, int, int] | None = None
    bg: tuple[int, int, int] | None = None


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = int(hex_colour[1:], 16)
    return (value >> 16, (value >> 8) & 0xFF, value & 0xFF)


def cells_from_svg(svg: str, width: int, height: int) -> list[list[Cell]]:
    grid = [[Cell() for _ in range(width)] for _ in range(height)]
    fills = {name: _rgb(colour) for name, colour in _CLASS.findall(svg)}
    for colour, x, y, w in _RECT.findall(svg):
        row = round((float(y) - _FIRST_RECT_Y) / _ROW_HEIGHT)
        first, count = round(float(x) / _CHAR_WIDTH), round(float(w) / _CHAR_WIDTH)
        for col in range(first, first + count):
            if 0 <= row < height and 0 <= col < width:
                grid[row][col].bg = _rgb(colour)
    for name, x, y, text in _TEXT.findall(svg):
        row = round((float(y) - _FIRST_TEXT_Y) / _ROW_HEIGHT)
        col = round(float(x) / _CHAR_WIDTH)
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            if 0 <= row < height and 0 <= col + offset < width:
                grid[row][col + offset].char = char
                grid[row][col + offset].fg = fills.get(name)
    return grid


def screen_cells(app) -> list[list[Cell]]:
    """Every cell of the app's current screen as the terminal would show it."""
    width, height = app.size
    return cells_from_svg(app.export_screenshot(), width, height)
