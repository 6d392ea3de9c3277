"""Returning parents: sign in, required new password, settings, sign out, forgot flows."""

from __future__ import annotations

from kiosk.demo import DISLIKED, LIKED, PARENT_PASSWORD
from kiosk.errors import AuthenticationFailed
from kiosk.services.accounts import sign_in
from kiosk.services.staff import reset_password
from kiosk.widgets.pictures import PicturePicker
from tests.conftest import latest_code, outbox, staff_actor
from tests.test_parent_harness import ParentHarness, settle, texts, type_into

NEW_PASSWORD = "copper-harbor-lantern-fig"
GENERIC_FAILURE = str(AuthenticationFailed("signin_failed"))


async def sign_in_as(pilot, app, username: str, password: str) -> None:
    await pilot.click("#sign-in")
    await settle(pilot, app)
    await type_into(pilot, app, "#username", username)
    await type_into(pilot, app, "#password", password)
    await pilot.press("enter")
    await settle(pilot, app)


async def test_wrong_password_gets_the_generic_message_and_an_empty_field(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot, app, "alopez", "not-the-password")
        assert GENERIC_FAILURE in texts(app)
        assert app.screen.query_one("#password").value == ""
        assert app.session is None
        await pilot.click("#cancel")
        await settle(pilot, app)
        assert app.calls == ["go_welcome"]


async def test_alopez_signs_in_sees_settings_and_signs_out(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot, app, "alopez", PARENT_PASSWORD)
        assert type(app.screen).__name__ == "ParentHomeScreen"
        assert "You are signed in as alopez." in texts(app)
        await pilot.click("#settings")
        await settle(pilot, app)
        shown = texts(app)
        assert "alopez" in shown and "ana.lopez@example.org" in shown and "Chosen" in shown
        # Changing the password needs the current one.
        await pilot.click("#change-password")
        await settle(pilot, app)
        await type_into(pilot, app, "#current-password", "wrong-current-password")
        await type_into(pilot, app, "#new-password", NEW_PASSWORD)
        await type_into(pilot, app, "#new-password-again", NEW_PASSWORD)
        await pilot.click("#save")
        await settle(pilot, app)
        assert "Your current password is not right. Type it again." in texts(app)
        await type_into(pilot, app, "#current-password", PARENT_PASSWORD)
        await pilot.click("#save")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ParentSettingsScreen"
        assert "password was changed" in outbox(ctx)[-1]["Subject"]
        await pilot.click("#back")
        await settle(pilot, app)
        await pilot.click("#sign-out")
        await settle(pilot, app)
        assert app.session is None and app.calls[-1] == "go_welcome"
    assert sign_in(ctx, "alopez", NEW_PASSWORD).username == "alopez"


async def test_settings_change_pictures_needs_the_password(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(100, 30)) as pilot:
        await sign_in_as(pilot, app, "alopez", PARENT_PASSWORD)
        await pilot.click("#settings")
        await settle(pilot, app)
        await pilot.click("#change-pictures")
        await settle(pilot, app)
        picker = app.screen.query_one(PicturePicker)
        for pid in DISLIKED:  # swap: the old disliked become liked
            picker.press(pid)
        await settle(pilot, app)
        await pilot.click("#next")
        await settle(pilot, app)
        for pid in LIKED:
            picker.press(pid)
        await settle(pilot, app)
        await pilot.click("#next")
        await settle(pilot, app)
        await type_into(pilot, app, "#pictures-password", "wrong-password-here")
        await pilot.click("#save")
        await settle(pilot, app)
        assert "Your current password is not right. Type it again." in texts(app)
        await type_into(pilot, app, "#pictures-password", PARENT_PASSWORD)
        await pilot.click("#save")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ParentSettingsScreen"
    assert "security pictures were changed" in outbox(ctx)[-1]["Subject"]


async def test_temporary_password_must_be_replaced_first(ctx):
    temp = reset_password(ctx, staff_actor(ctx, "desk"), "alopez", "photo_id")
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot, app, "alopez", temp.password)
        assert type(app.screen).__name__ == "ParentPasswordScreen"
        # The temporary password was typed a moment ago to sign in: not asked again.
        assert not app.screen.query("#current-password")
        assert "Choose a new password" in texts(app)
        await type_into(pilot, app, "#new-password", NEW_PASSWORD)
        await type_into(pilot, app, "#new-password-again", NEW_PASSWORD)
        await pilot.press("enter")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ParentHomeScreen"
        assert not app.session.restricted


async def test_forgot_password_with_code_and_pictures(ctx):
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#forgot")
        await settle(pilot, app)
        await pilot.click("#forgot-password")
        await settle(pilot, app)
        await type_into(pilot, app, "#identifier", "alopez")
        await pilot.press("enter")
        await settle(pilot, app)
        assert "If an account matches, we have sent a code" in texts(app)
        await type_into(pilot, app, "#reset-code", latest_code(ctx))
        await pilot.press("enter")
        await settle(pilot, app)
        picker = app.screen.query_one(PicturePicker)
        assert len(picker.tiles) == 16
        # A wrong pick first: refused, and the challenge starts again.
        for pid in [*LIKED[:7], DISLIKED[0]]:
            await pilot.click(picker.query_one(f"#picture-{pid}"))
        await settle(pilot, app)
        await pilot.click("#challenge-done")
        await settle(pilot, app)
        await type_into(pilot, app, "#new-password", NEW_PASSWORD)
        await type_into(pilot, app, "#new-password-again", NEW_PASSWORD)
        await pilot.press("enter")
        await settle(pilot, app)
        assert "Those are not the pictures you chose as liked." in texts(app)
        assert picker.count() == 0
        for pid in LIKED:
            picker.press(pid)
        await settle(pilot, app)
        assert app.focused.id == "challenge-done"  # all 8 picked: Enter goes on, as in set-up
        await pilot.press("enter")
        await settle(pilot, app)
        await type_into(pilot, app, "#new-password", NEW_PASSWORD)
        await type_into(pilot, app, "#new-password-again", NEW_PASSWORD)
        await pilot.press("enter")
        await settle(pilot, app)
        assert "Your password is changed. Your username is alopez." in texts(app)
        await pilot.click("#go-sign-in")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "ParentSignInScreen"
    assert sign_in(ctx, "alopez", NEW_PASSWORD).username == "alopez"


async def test_forgot_password_answer_is_the_same_for_unknown_accounts(ctx):
    answers = []
    for identifier in ("alopez", "nobody-here"):
        app = ParentHarness(ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.click("#forgot")
            await settle(pilot, app)
            await pilot.click("#forgot-password")
            await settle(pilot, app)
            await type_into(pilot, app, "#identifier", identifier)
            await pilot.press("enter")
            await settle(pilot, app)
            answers.append(str(app.screen.query_one("#code-sent").render()))
    assert answers[0] == answers[1]
    assert "we have sent a code" in answers[0]


async def test_forgot_username_mails_it_and_answers_the_same_either_way(ctx):
    answers = []
    for email in ("ana.lopez@example.org", "stranger@example.org"):
        app = ParentHarness(ctx)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.click("#forgot")
            await settle(pilot, app)
            await pilot.click("#forgot-username")
            await settle(pilot, app)
            await type_into(pilot, app, "#username-email", email)
            await pilot.press("enter")
            await settle(pilot, app)
            answers.append(str(app.screen.query_one("#username-sent").render()))
    assert answers[0] == answers[1]
    assert "we have sent the usernames" in answers[0]
    mails = outbox(ctx)
    assert len(mails) == 1 and "alopez" in mails[0].get_content()


def test_profile_shows_only_a_confirmed_recovery_email(ctx):
    from kiosk.services.accounts import profile

    info = profile(ctx, sign_in(ctx, "alopez", PARENT_PASSWORD))
    assert (info.username, info.recovery_email, info.has_pictures) == (
        "alopez",
        "ana.lopez@example.org",
        True,
    )


async def test_a_sign_in_answer_arriving_after_cancel_is_dropped(ctx, monkeypatch):
    """The parent pressed Cancel while the password was being checked: the late "yes" must
    not sign them in behind Welcome (nor crash the flow back to the start)."""
    import threading
    import time

    import kiosk.screens.parent_sign_in as screen_module

    release, entered = threading.Event(), threading.Event()
    real_sign_in = screen_module.sign_in

    def slow_sign_in(*args, **kwargs):
        entered.set()
        release.wait(10)
        return real_sign_in(*args, **kwargs)

    monkeypatch.setattr(screen_module, "sign_in", slow_sign_in)
    app = ParentHarness(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.click("#sign-in")
        await settle(pilot, app)
        await type_into(pilot, app, "#username", "alopez")
        await type_into(pilot, app, "#password", PARENT_PASSWORD)
        await pilot.press("enter")
        assert entered.wait(10)
        app.screen.cancel()  # what pressing Cancel runs, here without yielding to the loop
        release.set()
        time.sleep(0.5)  # the answer arrives while the screen is still being taken down
        await settle(pilot, app)
        assert type(app.screen).__name__ == "WelcomeScreen"
        assert app.session is None
        assert "start_over" not in app.calls
