"""The whole front-desk visit on the real app at 80x24, as the README walks through it.

Staff sign in by typing, find Maria Garcia, verify her request, issue her key, hand the keyboard
over; the parent activates, confirms a recovery email with the emailed code, picks pictures and
sees her children; and staff reset a locked account to a temporary password.
Set ``KIOSK_CAPTURE=DIR`` to save each main screen as text (for the README).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from textual.widgets import Checkbox, Input, RadioButton, Select

from kiosk.app import make_app
from kiosk.pictures import PICTURES
from kiosk.screens.issue_key import IssueKeyScreen
from kiosk.screens.staff_home import StaffHomeScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.services.accounts import sign_in
from tests.conftest import latest_code
from tests.staff_helpers import on_screen, screen_text, settled, wait_for
from tests.test_parent_harness import settle, texts, type_into
from tests.test_staff_screens import verify_form

SIZE = (80, 24)
PASSWORD = "orange-kayak-meadow-violin"


def capture(app, name: str) -> None:
    folder = os.environ.get("KIOSK_CAPTURE")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        text = "\n".join(line.rstrip() for line in screen_text(app).splitlines())
        (Path(folder) / f"{name}.txt").write_text(text + "\n")


async def staff_sign_in(pilot, app, username: str, password: str) -> None:
    await wait_for(pilot, lambda: on_screen(app, WelcomeScreen))
    await settled(pilot)
    capture(app, "01-welcome")
    await pilot.click("#staff")
    await settled(pilot)
    await pilot.press(*username, "tab", *password, "enter")
    await wait_for(pilot, lambda: on_screen(app, StaffHomeScreen))
    await settled(pilot)


def screen_name(app) -> str:
    return type(app.screen).__name__


async def test_a_first_visit_from_staff_sign_in_to_linked_students(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await staff_sign_in(pilot, app, "desk", "front-desk-demo-pass")
        await pilot.press(*"garc")
        await wait_for(pilot, lambda: "Maria Garcia" in screen_text(app))
        capture(app, "02-front-desk-search")
        await pilot.press("escape")  # clear the search
        form = await verify_form(pilot)
        form.query_one("#id-type", Select).value = "drivers_license"
        form.query_one("#signature", Checkbox).value = True
        await pilot.pause()
        capture(app, "03-verify-request")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: on_screen(app, IssueKeyScreen))
        await settled(pilot)
        key = app.screen.issued.key
        assert key in screen_text(app).replace(" ", "") or key[1:9] in screen_text(app)
        capture(app, "04-issue-key")

        await pilot.press("f6")  # continue here with the parent
        await wait_for(pilot, lambda: screen_name(app) == "HandOffScreen")
        await settled(pilot)
        assert app.staff is not None and not any(
            type(s).__name__.startswith("Staff") for s in app.screen_stack
        )
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "ParentActivateScreen")
        await settle(pilot, app)
        assert app.screen.query_one("#key", Input).value == key.strip("{}")
        await type_into(pilot, app, "#username", "mgarcia")
        await type_into(pilot, app, "#new-password", PASSWORD)
        await type_into(pilot, app, "#new-password-again", PASSWORD)
        capture(app, "05-activate")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "ParentEmailScreen")
        await settle(pilot, app)
        await type_into(pilot, app, "#email-address", "maria@example.net")
        await type_into(pilot, app, "#email-again", "maria@example.net")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "We sent a code" in texts(app))
        await type_into(pilot, app, "#code", latest_code(ctx))
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen_name(app) == "ParentPicturesScreen")
        await settle(pilot, app)
        capture(app, "06-pictures")
        for _ in range(8):
            await pilot.press("space")  # focus moves on to the next picture by itself
        await pilot.press("enter")  # Next has the focus once 8 are picked
        await settle(pilot, app)
        for _ in range(8):
            await pilot.press("enter")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.click("#save")
        await wait_for(pilot, lambda: screen_name(app) == "ParentHomeScreen")
        await settle(pilot, app)
        await pilot.click("#students")
        await wait_for(pilot, lambda: screen_name(app) == "LinkedStudentsScreen")
        await settle(pilot, app)
        shown = texts(app)
        assert "Sofia Garcia" in shown and "Mateo Garcia" in shown
        capture(app, "07-linked-students")
    liked = [p.id for p in PICTURES[:8]]
    assert sign_in(ctx, "mgarcia", PASSWORD).requires == ()
    assert liked  # the pictures picked by keyboard are the account's first row


async def test_staff_reset_a_locked_account_to_a_temporary_password(ctx):
    """hsdesk serves the high school, where ppatel's son is; the forgot-password screens are
    driven end to end in tests/test_parent_returning.py."""
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await staff_sign_in(pilot, app, "hsdesk", "high-school-desk-demo")
        await pilot.press("f2")
        await wait_for(pilot, lambda: screen_name(app) == "AccountLookupScreen")
        await settled(pilot)
        await pilot.press(*"ppatel", "enter")
        await wait_for(pilot, lambda: "locked" in screen_text(app))
        capture(app, "08-account-lookup")
        await pilot.press("f8")  # reset to a temporary password
        await wait_for(pilot, lambda: screen_name(app) == "ResetPasswordModal")
        await settled(pilot)
        assert not app.screen.query_one("#proof-photo_id", RadioButton).value  # staff choose
        await pilot.press("enter")  # the first proof: photo ID seen
        assert app.screen.query_one("#proof-photo_id", RadioButton).value
        await pilot.click("#reset")
        await wait_for(pilot, lambda: "Temporary password" in screen_text(app))
        capture(app, "09-temporary-password")
        temp = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", screen_text(app))
        assert temp is not None
    session = sign_in(ctx, "ppatel", temp.group())
    assert session.restricted  # the lock is gone; only a new password may be chosen
