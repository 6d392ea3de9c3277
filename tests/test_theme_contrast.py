"""The high-contrast theme: every text/background pair drawn is at least 7:1 (WCAG 2.x contrast
ratio, computed from the colours each cell is drawn in), and every input and button is boxed.

The colours come from the screen as drawn (the SVG screenshot), so every pair the stylesheets
and Textual's widgets use is measured: text, muted text, errors, focus, buttons, inputs,
selected pictures and the footer.
"""

from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.themes import theme_colours
from tests.screen_catalog import (
    ADMIN_SCREENS,
    PARENT_SCREENS,
    STAFF_SCREENS,
    _admin,
    _admin_tool,
    parent_app,
)
from tests.screen_cells import screen_cells

#: Scroll bars are not text; the QR code is black on white by design (21:1 anyway).
NOT_TEXT = set("▁▂▃▄▅▆▇█▔▀▐▌▊▋▍▏▉▎ ")


def luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def hex_rgb(value: str) -> tuple[int, int, int]:
    number = int(value.lstrip("#")[:6], 16)
    return (number >> 16, (number >> 8) & 0xFF, number & 0xFF)


def low_contrast(app) -> list[str]:
    """Cells drawn under 7:1; behind a dialog only the dialog counts (the screen under it is
    dimmed on purpose)."""
    found = set()
    regions = [child.region for child in app.screen.children] if app.screen.is_modal else None
    for y, row in enumerate(screen_cells(app)):
        for x, cell in enumerate(row):
            if cell.char in NOT_TEXT or cell.fg is None or cell.bg is None or cell.fg == cell.bg:
                continue  # no glyph to read (a mark drawn in its background's colour is none)
            if regions is not None and not any(r.contains(x, y) for r in regions):
                continue
            ratio = contrast(cell.fg, cell.bg)
            if ratio < 7:
                found.add(f"{cell.char!r} at {x},{y}: {cell.fg} on {cell.bg} is {ratio:.1f}:1")
    return sorted(found)


def unboxed(app) -> list[str]:
    """The inputs and buttons on screen whose box is not drawn in a colour 7:1 against the
    screen behind it: its top-left corner and the left edge under it, or for a one-line button
    the bar on its left. (Not the middle of the top edge: a border title may sit there, and a
    space in the title is no missing box.)"""
    cells = screen_cells(app)  # one screenshot for every widget
    behind = hex_rgb(theme_colours("high-contrast", "#000000")["background"])
    found = []
    for widget in app.screen.query("Input, Button"):
        region = widget.region
        if not region.area or not app.screen.region.contains_region(region):
            continue
        edge = [cells[y][region.x] for y in range(region.y, region.y + min(region.height, 2))]
        for cell in edge:
            colours = [c for c in (cell.fg, cell.bg) if c]
            drawn = cell.char.strip() != ""
            if not (drawn and any(contrast(colour, behind) >= 7 for colour in colours)):
                found.append(repr(widget))
                break
    return found


@pytest.fixture
def hc_ctx(ctx_with):
    return ctx_with(ui={"theme": "high-contrast"})


def test_the_theme_colours_themselves_are_7_to_1():
    colours = theme_colours("high-contrast", "#ffff00")
    background = hex_rgb(colours["background"])
    for name in ("foreground", "accent", "error", "success", "warning", "secondary"):
        assert contrast(hex_rgb(colours[name]), background) >= 7, name
    variables = colours["variables"]
    for name in ("text-muted", "text-disabled", "footer-key-foreground", "border-blurred"):
        for behind in (background, hex_rgb(colours["panel"])):  # screens; footer and dialogs
            assert contrast(hex_rgb(variables[name]), behind) >= 7, name
    selection = ("input-selection-foreground", "input-selection-background")
    assert contrast(*(hex_rgb(variables[name]) for name in selection)) >= 7


@pytest.mark.parametrize("name", list(PARENT_SCREENS))
async def test_parent_screens_are_7_to_1_and_boxed(hc_ctx, name):
    app, before = parent_app(hc_ctx, name)
    async with app.run_test(size=(80, 24)) as pilot:
        await before(pilot)
        assert app.theme == "high-contrast"
        assert low_contrast(app) == []
        assert unboxed(app) == []


@pytest.mark.parametrize("name", list(STAFF_SCREENS))
async def test_staff_screens_are_7_to_1_and_boxed(hc_ctx, name):
    app = make_app(hc_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS[name](pilot)
        assert low_contrast(app) == []
        assert unboxed(app) == []


#: The console's dialogs, which have one-line buttons too.
ADMIN_DIALOGS = {
    "merge_confirm": _admin_tool(_admin("duplicates"), "tab", "enter", user="registrar"),
    "add_client": _admin_tool(_admin("portals"), "ctrl+n"),
}


@pytest.mark.parametrize("name", [*ADMIN_SCREENS, *ADMIN_DIALOGS])
async def test_admin_console_screens_are_7_to_1_and_boxed(hc_ctx, name):
    """Their one-line (compact) buttons too: Textual's own CSS for a compact button is
    ``border: none !important``, and only the theme's bars (``app.tcss``) box them."""
    app = make_app(hc_ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await {**ADMIN_SCREENS, **ADMIN_DIALOGS}[name](pilot)
        assert len(app.screen.query("Button.-textual-compact")) or name in ("home", "reports")
        assert low_contrast(app) == []
        assert unboxed(app) == []
