"""Every parent screen fits 80x24 in English and Spanish: no button, label or text that is on
screen is cut (every word of it is drawn inside the widget, nothing covers it), and the
screen's actions are on screen without scrolling.

Read through public APIs only: the widgets' regions and texts, ``Screen.get_widget_at`` and the
SVG screenshot (``tests.screen_cells``).
"""

from __future__ import annotations

import pytest
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from kiosk.app import make_app
from kiosk.widgets.pictures import PictureTile
from tests.screen_catalog import ADMIN_SCREENS, PARENT_SCREENS, STAFF_SCREENS, parent_app
from tests.screen_cells import screen_cells

#: The buttons a parent needs on each screen, visible without scrolling at 80x24.
ACTIONS = {
    "welcome": ["#activate", "#sign-in", "#forgot"],
    "activate": ["#create", "#cancel"],
    "sign_in": ["#sign-in"],
    "email": ["#send"],
    "pictures": ["#next"],
    "settings": ["#change-password", "#change-email", "#change-pictures", "#back"],
    "new_password": ["#save"],
}


def widget_text(widget: Widget) -> str:
    if isinstance(widget, Button):
        return str(widget.label)
    if isinstance(widget, PictureTile):
        return f"{widget.render().plain} {widget.border_title or ''}"
    return str(widget.render())


def covered(screen, widget: Widget) -> bool:
    """Whether another widget is drawn over any corner of ``widget``."""
    region = widget.region
    corners = {
        (region.x, region.y),
        (region.right - 1, region.y),
        (region.x, region.bottom - 1),
        (region.right - 1, region.bottom - 1),
    }
    for x, y in corners:
        top, _ = screen.get_widget_at(x, y)
        if top is not widget and widget not in top.ancestors:
            return True
    return False


def problems(app) -> list[str]:
    screen, (width, height) = app.screen, app.size
    rows = ["".join(cell.char for cell in row) for row in screen_cells(app)]
    found = []
    for widget in screen.query("Button, Label, Static, PictureTile"):
        text = widget_text(widget).strip()
        region = widget.region
        if not widget.display or not text or not region or not widget.visible:
            continue
        visible, scrolls = region.intersection(screen.region), False
        for ancestor in widget.ancestors:
            if isinstance(ancestor, Widget) and ancestor is not screen:
                visible = visible.intersection(ancestor.region)
                scrolls = scrolls or ancestor.allow_vertical_scroll
        if not visible:
            continue  # scrolled out of view entirely: not cut, just further down
        if scrolls and visible.height < region.height and visible.width == region.width:
            continue  # half scrolled into view: the rest is a scroll away
        drawn = " ".join(row[region.x : region.right] for row in rows[region.y : region.bottom])
        if visible != region:
            found.append(f"{widget!r} is cut at the edge of the screen or its container")
        elif covered(screen, widget):
            found.append(f"{widget!r} is partly covered")
        elif missing := [word for word in text.split() if word not in drawn]:
            found.append(f"{widget!r} does not show {missing}")
    assert width and height
    return found


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", list(PARENT_SCREENS))
async def test_every_parent_screen_fits_80x24(ctx, name, language):
    app, before = parent_app(ctx, name, language)
    async with app.run_test(size=(80, 24)) as pilot:
        await before(pilot)
        assert problems(app) == []
        for selector in ACTIONS.get(name, []):
            button = app.screen.query_one(selector, Button)
            assert app.screen.region.contains_region(button.region), selector
            assert not covered(app.screen, button), selector


async def test_the_password_checklist_is_beside_the_password_while_typing(ctx):
    app, before = parent_app(ctx, "activate", "es")
    async with app.run_test(size=(80, 24)) as pilot:
        await before(pilot)
        assert app.focused is app.screen.query_one("#new-password")
        for rule in app.screen.query(".rule"):
            assert app.screen.region.contains_region(rule.region), rule
        strength = app.screen.query_one("#strength", Static)
        assert "▰" in str(strength.render())
        assert app.screen.region.contains_region(strength.region)


async def test_the_disliked_stage_names_each_mark_in_words(ctx):
    app, before = parent_app(ctx, "pictures", "es")
    async with app.run_test(size=(80, 24)) as pilot:
        await before(pilot)
        for _ in range(5):  # the other five liked ones: the disliked stage starts
            await pilot.press("space")
        await pilot.press("enter")
        await pilot.press("space")
        await before(pilot)
        titles = {tile.border_title for tile in app.screen.query(PictureTile) if tile.mark}
        assert titles == {"Me gusta", "No gusta"}
        assert problems(app) == []
        assert "verde" not in " ".join(str(w.render()) for w in app.screen.query(Label))


@pytest.mark.parametrize("name", list(STAFF_SCREENS))
async def test_every_staff_screen_fits_80x24(ctx, name):
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS[name](pilot)
        assert problems(app) == []
        for button in app.screen.query(Button):
            if button.display and button.region.area:
                assert app.screen.region.contains_region(button.region), button


@pytest.mark.parametrize("name", list(ADMIN_SCREENS))
async def test_every_admin_console_screen_fits_80x24(ctx, name):
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await ADMIN_SCREENS[name](pilot)
        assert problems(app) == []


async def test_search_results_show_every_word_of_each_result_at_80_columns(ctx):
    from textual.widgets import OptionList

    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS["home"](pilot)
        results = app.screen.query_one("#results", OptionList)
        region = results.region
        rows = ["".join(cell.char for cell in row) for row in screen_cells(app)]
        drawn = " ".join(row[region.x : region.right] for row in rows[region.y : region.bottom])
        assert results.option_count == 4
        for index in range(results.option_count):
            words = str(results.get_option_at_index(index).prompt).split()
            assert [word for word in words if word not in drawn] == []
        assert "…" not in drawn
