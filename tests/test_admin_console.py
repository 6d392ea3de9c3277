"""``kiosk admin``: the console district IT reach over SSH, and the front desk's way in."""

from __future__ import annotations

from kiosk.app import make_app
from kiosk.screens.admin_home import AdminHomeScreen
from kiosk.screens.admin_reports import AdminReportsScreen
from kiosk.screens.staff_sign_in import StaffSignInScreen
from kiosk.screens.welcome import WelcomeScreen
from tests.staff_helpers import on_screen, screen_text, sign_in_as, wait_for

SIZE = (80, 24)


def assert_centred_sign_in(app) -> None:
    """The sign-in form sits in the middle of the terminal, as staff.tcss draws it."""
    screen = app.screen
    card = screen.query_one(".form-card")
    assert (screen.styles.align_horizontal, screen.styles.align_vertical) == ("center", "middle")
    assert card.region.x > 0 and card.region.y > 0


async def test_admin_console_starts_at_staff_sign_in_and_lands_on_the_tools(ctx):
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
        assert not any(isinstance(s, WelcomeScreen) for s in app.screen_stack)
        assert_centred_sign_in(app)  # the first screen has the staff styles too
        await pilot.click("#username")
        await pilot.press(*"admin")
        await pilot.click("#password")
        await pilot.press(*"district-admin-demo-pass", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminHomeScreen))
        text = screen_text(app)
        for tool in ("Reports", "Import a OneRoster export", "Audit log", "Staff users"):
            assert tool in text
        await pilot.press("enter")  # Reports, the first tool, is highlighted
        await wait_for(pilot, lambda: on_screen(app, AdminReportsScreen))
        app.go_welcome()  # sign out / idle timeout: back to a fresh sign-in, not Welcome
        await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
        assert app.staff is None
        assert_centred_sign_in(app)


async def test_front_desk_reaches_district_data_by_role(ctx):
    app = make_app(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_as(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: on_screen(app, AdminHomeScreen))
        text = screen_text(app)
        assert "Reports" in text
        assert "Import a OneRoster export" not in text and "Staff users" not in text
