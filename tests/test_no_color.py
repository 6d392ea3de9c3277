"""NO_COLOR: every state reads without colour: ticked and unticked boxes (the verify form,
the flags and reset dialogs), liked and disliked pictures, and no instruction that names a
colour."""

from __future__ import annotations

from textual.widgets import RadioButton

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


async def test_the_flags_and_reset_dialogs_show_x_and_blank_boxes(ctx, monkeypatch):
    """The staff dialogs use the same ``[x]``/``[ ]`` boxes as the verify form, and the reset
    dialog still ticks nothing until the parent answers."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS["flags"](pilot)
        assert app.no_color
        text = screen_text(app)
        assert text.count("[x] Portal access") == 2  # Mateo and Sofia
        assert text.count("[ ] Custody restriction") == 2
        await pilot.press("space")  # the focused box: Mateo's portal access
        await pilot.pause()
        assert "[ ] Portal access" in screen_text(app)
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS["reset"](pilot)
        await pilot.press("down", "enter")  # the proof: guardianship questions
        await pilot.pause()
        text = screen_text(app)
        assert "[ ] The parent's full name" in text and "[x]" not in text  # none preselected
        await pilot.press("tab", "space")  # the parent answered the first question
        await pilot.pause()
        text = screen_text(app)
        assert "[x] The parent's full name" in text
        assert "[ ] The student's proper name" in text


def mark_contrast(app, toggle: RadioButton) -> float:
    """How far a radio button's dot stands out from the box it is drawn in (1.0: not drawn)."""
    row = screen_cells(app)[toggle.region.y + toggle.region.height // 2]
    marks = [c for c in row[toggle.region.x : toggle.region.right] if c.char == "\u25cf"]
    assert marks, toggle
    return contrast(marks[0].fg, marks[0].bg)


async def test_textual_radio_buttons_draw_no_dot_when_not_chosen(ctx, monkeypatch):
    """Textual's own toggles left (the reset dialog's proof) rely on the theme's rule that
    draws an unchosen mark in its box's colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await STAFF_SCREENS["reset"](pilot)
        await pilot.press("enter")  # the first proof: photo ID checked in person
        await pilot.pause()
        buttons = list(app.screen.query(RadioButton))
        chosen = [mark_contrast(app, button) for button in buttons if button.value]
        not_chosen = [mark_contrast(app, button) for button in buttons if not button.value]
        assert chosen and not_chosen
        assert min(chosen) >= 3
        assert max(not_chosen) == 1.0


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
