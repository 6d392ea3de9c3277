"""A QR code drawn with half blocks, always black on white with its full quiet zone.

Phone cameras need dark modules on a light background and four light modules all round; a
theme's colours (or a dark terminal) must not change that, so the colours are fixed here and the
lines are plain ``rich.text.Text``, never markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from kiosk.qr import half_block_lines


class QRCode(Widget):
    """Shows ``data`` as a QR code; ``clear()`` forgets it (a key must not stay on screen)."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
        color: black;
        background: white;
        text-style: none;
    }
    """

    def __init__(self, data: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._shown_data = data
        self._lines: list[str] = half_block_lines(data) if data else []

    @property
    def data(self) -> str:
        return self._shown_data

    @property
    def lines(self) -> list[str]:
        return list(self._lines)

    @property
    def code_width(self) -> int:
        """Columns the code shown now takes (0 when nothing is shown)."""
        return len(self._lines[0]) if self._lines else 0

    @staticmethod
    def size_for(data: str) -> Size:
        lines = half_block_lines(data)
        return Size(len(lines[0]), len(lines))

    def show(self, data: str) -> None:
        self._shown_data = data
        self._lines = half_block_lines(data) if data else []
        self.refresh(layout=True)

    def clear(self) -> None:
        self.show("")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.code_width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render(self) -> Text:
        return Text("\n".join(self._lines), no_wrap=True, overflow="ignore", end="")
