"""The whole first visit: key -> account -> recovery email -> pictures -> home -> students."""

from __future__ import annotations

from kiosk.pictures import PICTURES
from kiosk.services.accounts import sign_in
from kiosk.widgets.pictures import PicturePicker, PictureTile
from tests.conftest import latest_code, outbox
from tests.test_parent_activate import handoff_app
from tests.test_parent_harness import settle, texts, type_into

NEW_PASSWORD = "orange-kayak-meadow-violin"


async def activate(pilot, app, username="mgarcia") -> None:
    await pilot.press("enter")  # Continue on the hand-off screen
    await settle(pilot, app)
    await type_into(pilot, app, "#username", username)
    await type_into(pilot, app, "#new-password", NEW_PASSWORD)
    await type_into(pilot, app, "#new-password-again", NEW_PASSWORD)
    await pilot.press("enter")
    await settle(pilot, app)


async def confirm_email(pilot, app, ctx) -> None:
    await type_into(pilot, app, "#email-address", "maria@example.net")
    await type_into(pilot, app, "#email-again", "maria@example.net")
    # The password was typed a moment ago to create the account: not asked again.
    assert not app.screen.query("#email-password")
    await pilot.press("enter")
    await settle(pilot, app)
    assert "We sent a code to maria@example.net" in texts(app)
    assert outbox(ctx)[-1]["To"] == "maria@example.net"
    await type_into(pilot, app, "#code", latest_code(ctx))
    await pilot.press("enter")
    await settle(pilot, app)


async def test_first_visit_end_to_end_with_keyboard_pictures(ctx):
    app, _issued = handoff_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await activate(pilot, app)
        assert app.session is not None and app.session.username == "mgarcia"
        assert type(app.screen).__name__ == "ParentEmailScreen"
        assert app.screen.query("#skip")  # first sign-in may put it off
        await confirm_email(pilot, app, ctx)
        assert type(app.screen).__name__ == "ParentPicturesScreen"
        picker = app.screen.query_one(PicturePicker)
        assert app.focused is picker.tiles[0]
        # 8 liked, one Space each: after a pick, focus moves on to the next free picture.
        for _ in range(8):
            await pilot.press("space")
        await settle(pilot, app)
        assert "Liked: 8 of 8" in texts(app)
        assert app.focused is app.screen.query_one("#next")  # all picked: Enter goes on
        await pilot.press("shift+tab")  # back to the pictures: a ninth is refused, with a message
        await pilot.press("space")
        await settle(pilot, app)
        assert picker.count("liked") == 8
        assert "You have picked 8" in texts(app)
        await pilot.click("#next")
        await settle(pilot, app)
        assert "Disliked: 0 of 8" in texts(app)
        focused = app.focused
        assert isinstance(focused, PictureTile) and focused.mark is None
        for _ in range(8):
            await pilot.press("enter")
        await settle(pilot, app)
        assert picker.chosen("disliked") == [p.id for p in PICTURES[8:16]]
        await pilot.press("enter")
        await settle(pilot, app)
        assert "Apple, Anchor" in texts(app)  # the review lists the names
        await pilot.click("#save")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ParentHomeScreen"
        assert app.session.requires == ()
        await pilot.click("#students")
        await settle(pilot, app)
        shown = texts(app)
        assert "Sofia Garcia: Lincoln Elementary, grade 3" in shown
        assert "Mateo Garcia: Roosevelt Middle, grade 7" in shown
        assert app.calls[-1] == "show_linked_students:G-1001:False"
    # The pictures really are the account's: recovery accepts them (checked in the service).
    session = sign_in(ctx, "mgarcia", NEW_PASSWORD)
    assert session.requires == ()


async def test_pictures_by_mouse_and_skip_for_now(ctx):
    app, _issued = handoff_app(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await activate(pilot, app, username="maria.g")
        await pilot.click("#skip")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ParentHomeScreen"
        await pilot.click("#sign-out")
        await settle(pilot, app)
        assert app.session is None
        assert type(app.screen).__name__ == "WelcomeScreen"
        # Signing in again: still required, still skippable once more.
        await pilot.click("#sign-in")
        await settle(pilot, app)
        await type_into(pilot, app, "#username", "maria.g")
        await type_into(pilot, app, "#password", NEW_PASSWORD)
        await pilot.press("enter")
        await settle(pilot, app)
        await confirm_email(pilot, app, ctx)
        assert type(app.screen).__name__ == "ParentPicturesScreen"
        picker = app.screen.query_one(PicturePicker)
        for picture in PICTURES[:8]:
            tile = picker.query_one(f"#picture-{picture.id}", PictureTile)
            tile.scroll_visible(animate=False)
            await pilot.pause()
            await pilot.click(tile)
        await settle(pilot, app)
        assert picker.chosen("liked") == [p.id for p in PICTURES[:8]]
        # Clicking a picked one again un-picks it.
        await pilot.click(picker.query_one("#picture-apple", PictureTile))
        await settle(pilot, app)
        assert "Liked: 7 of 8" in texts(app)
        assert app.screen.query_one("#next").disabled
