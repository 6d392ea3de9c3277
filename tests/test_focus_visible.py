"""Focus is visible on every control, in colour and in NO_COLOR: what a focused control looks
like differs from the same control without focus by more than a faint tint (a changed
character, or colours at least 2:1 apart), read from the screen as drawn."""

from __future__ import annotations

import pytest

from kiosk.app import make_app
from kiosk.widgets.pictures import PictureTile
from tests.screen_catalog import ADMIN_SCREENS, PARENT_SCREENS, STAFF_SCREENS, parent_app
from tests.screen_cells import screen_cells
from tests.test_theme_contrast import contrast

#: Enough picture tiles to prove the rule without 40 screenshots.
TILES_CHECKED = 3


def cells_in(app, region) -> list:
    rows = screen_cells(app)
    return [
        rows[y][x] for y in range(region.y, region.bottom) for x in range(region.x, region.right)
    ]


def visibly_different(focused: list, unfocused: list) -> bool:
    for a, b in zip(focused, unfocused, strict=True):
        if a.char != b.char:
            return True
        for one, other in ((a.fg, b.fg), (a.bg, b.bg)):
            if one and other and contrast(one, other) >= 2:
                return True
    return False


async def faint_focus(pilot) -> list[str]:
    app = pilot.app
    found = []
    controls = [w for w in app.screen.query("*") if w.focusable and w.region.area]
    tiles = [w for w in controls if isinstance(w, PictureTile)]
    for widget in [w for w in controls if not isinstance(w, PictureTile)] + tiles[:TILES_CHECKED]:
        widget.focus(scroll_visible=False)
        await pilot.pause()
        region = widget.region.intersection(app.screen.region)
        focused = cells_in(app, region)
        app.set_focus(None)
        await pilot.pause()
        if not visibly_different(focused, cells_in(app, region)):
            found.append(repr(widget))
    return found


@pytest.fixture(params=["colour", "no-colour"])
def colour(request, monkeypatch):
    if request.param == "no-colour":
        monkeypatch.setenv("NO_COLOR", "1")
    return request.param


@pytest.mark.parametrize("name", list(PARENT_SCREENS))
async def test_focus_is_visible_on_every_parent_control(ctx, name, colour):
    app, before = parent_app(ctx, name)
    async with app.run_test(size=(80, 24)) as pilot:
        await before(pilot)
        assert app.no_color == (colour == "no-colour")
        assert await faint_focus(pilot) == []


@pytest.mark.parametrize("name", list(STAFF_SCREENS))
async def test_focus_is_visible_on_every_staff_control(ctx, name, colour):
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS[name](pilot)
        assert await faint_focus(pilot) == []


@pytest.mark.parametrize("name", list(ADMIN_SCREENS))
async def test_focus_is_visible_on_every_admin_console_control(ctx, name, colour):
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ADMIN_SCREENS[name](pilot)
        assert await faint_focus(pilot) == []
