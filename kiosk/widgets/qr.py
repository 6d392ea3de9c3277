"""A QR code drawn with half blocks, always black on white with its full quiet zone.

Phone cameras need dark modules on a light background and four light modules all round; a
theme's colours (or a dark terminal) must not change that, so the colours are fixed here and the
lines are plain ``rich.text.Text``, never markup.
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from kiosk.qr import matrix, scaled_lines

#: Module sizes tried, largest first: half steps keep every module's centre in its own cells.
SCALES = (3.0, 2.5, 2.0, 1.5, 1.0)


class QRCode(Widget):
    """Shows ``data`` as a QR code, each module ``scale`` cells wide; ``clear()`` forgets it
    (a key must not stay on screen)."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
        color: black;
        background: white;
        text-style: none;
    }
    """

    def __init__(
        self,
        data: str = "",
        scale: float = 1.0,
        *,
        id: str | None = None,
        classes: str | None = None,
    ):
        super().__init__(id=id, classes=classes)
        self._shown_data = data
        self._scale = scale
        self._lines: list[str] = scaled_lines(matrix(data), scale) if data else []

    @property
    def data(self) -> str:
        return self._shown_data

    @property
    def scale(self) -> float:
        return self._scale

    @property
    def lines(self) -> list[str]:
        return list(self._lines)

    @property
    def code_width(self) -> int:
        """Columns the code shown now takes (0 when nothing is shown)."""
        return len(self._lines[0]) if self._lines else 0

    @staticmethod
    def modules(data: str) -> int:
        """Modules across the code for ``data``, quiet zone included (builds the code once)."""
        return len(matrix(data))

    @staticmethod
    def size_at(modules: int, scale: float) -> Size:
        """Cells a code ``modules`` wide takes at ``scale`` (two half rows a line)."""
        cells = math.ceil(modules * scale)
        return Size(cells, (cells + 1) // 2)

    def show(self, data: str, scale: float = 1.0) -> None:
        self._shown_data = data
        self._scale = scale
        self._lines = scaled_lines(matrix(data), scale) if data else []
        self.refresh(layout=True)

    def clear(self) -> None:
        self.show("")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.code_width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render(self) -> Text:
        return Text("\n".join(self._lines), no_wrap=True, overflow="ignore", end="")
