"""QR codes as text: two modules per character cell using half blocks, with a quiet zone.

Both the CLI and the app draw from these lines. A character stands for two stacked modules:
'█' both dark, '▀' top dark, '▄' bottom dark, ' ' both light. Drawn black on white (never
theme colours) so any phone camera reads it.
"""

from __future__ import annotations

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


def terminal_text(data: str, *, color: bool) -> str:
    """The code for a terminal: black on white with ANSI colours when ``color`` is set."""
    lines = half_block_lines(data)
    if not color:
        return "\n".join(lines)
    return "\n".join(f"\x1b[30;107m{line}\x1b[0m" for line in lines)
