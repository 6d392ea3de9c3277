"""QR codes as text: two modules per character cell using half blocks, with a quiet zone.

Both the CLI and the app draw from these lines. A character stands for two stacked modules:
'█' both dark, '▀' top dark, '▄' bottom dark, ' ' both light. Drawn black on white (never
theme colours) so any phone camera reads it. A bigger terminal draws each module over more
cells (``scaled_lines``): a cell column and a half row are about equally wide, so a module
stays square.
"""

from __future__ import annotations

import math

import qrcode
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 4

_CELLS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def matrix(
    data: str, *, border: int = QUIET_ZONE, mask_pattern: int | None = None
) -> list[list[bool]]:
    """The code's modules, quiet zone included. ``mask_pattern`` fixes the mask instead of
    trying all eight (most of a code's cost); any mask gives a valid, scannable code."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, border=border, box_size=1, mask_pattern=mask_pattern
    )
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def half_block_lines(data: str, *, border: int = QUIET_ZONE) -> list[str]:
    rows = matrix(data, border=border)
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(_CELLS[(top, bottom)] for top, bottom in zip(rows[i], rows[i + 1], strict=True))
        for i in range(0, len(rows), 2)
    ]


def scaled_lines(rows: list[list[bool]], scale: float) -> list[str]:
    """``rows`` (from ``matrix``) with each module ``scale`` cells wide and ``scale`` half rows
    tall. A half scale (1.5) alternates modules of one and two cells; every module's centre
    still falls inside its own cells, which is where a scanner samples."""
    size = len(rows)
    cells = math.ceil(size * scale)
    half_rows = [rows[min(int(y / scale), size - 1)] for y in range(cells)]
    if len(half_rows) % 2:
        half_rows.append([False] * size)
    columns = [min(int(x / scale), size - 1) for x in range(cells)]
    return [
        "".join(_CELLS[(half_rows[y][x], half_rows[y + 1][x])] for x in columns)
        for y in range(0, len(half_rows), 2)
    ]


def terminal_text(data: str, *, color: bool) -> str:
    """The code for a terminal: black on white with ANSI colours when ``color`` is set."""
    lines = half_block_lines(data)
    if not color:
        return "\n".join(lines)
    return "\n".join(f"\x1b[30;107m{line}\x1b[0m" for line in lines)
