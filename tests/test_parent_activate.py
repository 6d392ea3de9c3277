"""Activation from the hand-off: key pre-filled, refusals shown, account created, set-up next."""

from __future__ import annotations

from kiosk.auth import SYSTEM
from kiosk.screens.hand_off import HandOffScreen
from kiosk.services.activation import issue_key
from tests.test_parent_harness import ParentHarness, settle, texts, type_into


def handoff_app(ctx):
    issued = issue_key(ctx, SYSTEM, "G-1001")
    app = ParentHarness(
        ctx, lambda: HandOffScreen(key=issued.key, guardian_name=issued.guardian_name)
    )
    return app, issued


async def test_hand_off_leads_to_activate_with_the_key_filled_in(ctx):
    app, issued = handoff_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Maria Garcia" in texts(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ParentActivateScreen"
        assert app.screen.query_one("#key").value == issued.key.strip("{}")
        assert "Key accepted. Hello, Maria" in texts(app)


async def test_typed_key_is_grouped_as_typed_and_bad_letters_explained(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#activate")
        await settle(pilot, app)
        field = app.screen.query_one("#key")
        assert app.focused is field
        await pilot.press(*"abcdef0123")
        await settle(pilot, app)
        assert field.value == "ABCDEF01-23"
        await pilot.press("o")
        await settle(pilot, app)
        assert field.value == "ABCDEF01-23"
        assert "The letter O is never used: type the number 0." in texts(app)


async def test_unknown_key_is_refused_with_what_to_do(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#activate")
        await settle(pilot, app)
        await pilot.press(*("0" * 32))
        await settle(pilot, app)
        assert "We could not find that activation key" in texts(app)


async def test_refusals_are_shown_and_nothing_is_created(ctx):
    app, _issued = handoff_app(ctx)
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.press("enter")
        await settle(pilot, app)
        await type_into(pilot, app, "#username", "alopez")
        await type_into(pilot, app, "#new-password", "short")  # leaving the name checks it
        assert "That username is taken; choose another one." in texts(app)
        await type_into(pilot, app, "#new-password-again", "shorter")
        shown = texts(app)
        assert "· At least 15 characters" in shown
        assert "Strength:" in shown
        await pilot.click("#create")
        await settle(pilot, app)
        shown = texts(app)
        assert "Use at least 15 characters (this has 5)." in shown
        assert "Password: the two passwords are different; type the same one twice." in shown
        assert "Use only" not in shown
        assert type(app.screen).__name__ == "ParentActivateScreen"
        assert app.session is None
