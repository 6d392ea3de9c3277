"""NO_COLOR: every state reads without colour: ticked and unticked boxes, liked and disliked
pictures, and no instruction that names a colour."""

from __future__ import annotations

from textual.widgets import Checkbox

from kiosk.app import make_app
from tests.screen_catalog import STAFF_SCREENS, parent_app
from tests.screen_cells import screen_cells
from tests.staff_helpers import screen_text
from tests.test_theme_contrast import contrast


async def test_the_verify_form_shows_x_and_blank_boxes(ctx, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS["verify_request"](pilot)
        assert app.no_color
        text = screen_text(app)
        assert "[x] Mateo Garcia" in text
        assert "[ ] I watched the parent sign the request form" in text


def mark_contrast(app, box: Checkbox) -> float:
    """How far the box's X stands out from the box it is drawn in (1.0: not drawn at all)."""
    row = screen_cells(app)[box.region.y + box.region.height // 2]
    marks = [cell for cell in row[box.region.x : box.region.right] if cell.char == "X"]
    assert marks, box
    return contrast(marks[0].fg, marks[0].bg)


async def test_textual_checkboxes_draw_no_mark_when_unticked(ctx, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS["flags"](pilot)
        boxes = list(app.screen.query(Checkbox))
        ticked = [mark_contrast(app, box) for box in boxes if box.value]
        unticked = [mark_contrast(app, box) for box in boxes if not box.value]
        assert ticked and unticked
        assert min(ticked) >= 3
        assert max(unticked) == 1.0


async def test_pictures_say_their_mark_in_words_without_colour(ctx, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app, before = parent_app(ctx, "pictures")
    async with app.run_test(size=(80, 24)) as pilot:
        await before(pilot)
        assert app.no_color
        text = screen_text(app)
        assert text.count("Like") >= 3
        for word in ("green", "red", "colour", "color"):
            assert word not in text.lower()
