"""Snapshots of the admin console's screens at 80x24 and 120x40 (pytest-textual-snapshot).

The clock is fixed and nothing blinks. Update with
``pytest tests/test_snapshots_admin.py --snapshot-update`` after looking at the new pictures.
"""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input

from kiosk.app import make_app
from kiosk.federation import registry
from kiosk.screens.admin_audit import AdminAuditScreen
from kiosk.screens.admin_duplicates import AdminDuplicatesScreen
from kiosk.screens.admin_home import AdminHomeScreen
from kiosk.screens.admin_import import AdminImportScreen
from kiosk.screens.admin_portals import AdminPortalsScreen
from kiosk.screens.admin_reports import AdminReportsScreen
from kiosk.screens.admin_staff import AdminStaffScreen
from kiosk.screens.staff_new_password import StaffNewPasswordScreen
from kiosk.services.activation import issue_key
from kiosk.store.models import OidcClient
from tests.conftest import staff_actor
from tests.federation.peers import OneLoginSp
from tests.staff_helpers import settled, wait_for
from tests.test_roster_import import write_roster
from tests.test_snapshots_staff import FixedClock

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def still_ctx(ctx):
    ctx.clock = FixedClock()
    return ctx


def pressing(app) -> bool:
    """Whether a button still shows Textual's 0.2 s pressed look (its ``-active`` class)."""
    return any(b.has_class("-active") for s in app.screen_stack for b in s.query(Button))


async def quiet(pilot) -> None:
    """Let workers finish, pressed buttons settle and stop every cursor from blinking (on a
    loaded machine the picture was otherwise taken during a press's highlight or after it)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    await wait_for(pilot, lambda: not pressing(pilot.app))
    for screen in pilot.app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False
    await pilot.pause()


async def open_tool(pilot, screen, username: str = "admin") -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.screen.is_mounted)
    app.staff = staff_actor(app.ctx, username)
    app.go_staff_home()
    await settled(pilot)
    if screen is not None:
        app.push_screen(screen)
        await settled(pilot)


def console(ctx):
    return make_app(ctx, kiosk_mode=False, admin=True)


@pytest.mark.parametrize("size", SIZES)
def test_console_sign_in(snap_compare, still_ctx, size):
    async def before(pilot):
        await wait_for(pilot, lambda: pilot.app.screen.is_mounted)
        await pilot.press(*"admin")
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare, still_ctx, size):
    async def before(pilot):
        await open_tool(pilot, None)
        assert isinstance(pilot.app.screen, AdminHomeScreen)
        await pilot.press("down", "down")
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_reports(snap_compare, still_ctx, size):
    async def before(pilot):
        await open_tool(pilot, AdminReportsScreen())
        await pilot.press("enter", "down", "enter")  # no account yet (no times that move)
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_audit(snap_compare, still_ctx, size):
    issue_key(still_ctx, staff_actor(still_ctx, "desk"), "G-1001")

    async def before(pilot):
        await open_tool(pilot, AdminAuditScreen())
        await pilot.press("tab", *"key.", "enter")
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_staff(snap_compare, still_ctx, size):
    async def before(pilot):
        await open_tool(pilot, AdminStaffScreen())
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_add_staff(snap_compare, still_ctx, size):
    async def before(pilot):
        await open_tool(pilot, AdminStaffScreen())
        await pilot.press("ctrl+n")
        await quiet(pilot)
        await pilot.press(*"jlopez", "enter", *"Julia Lopez", "enter")
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_import_checked(snap_compare, still_ctx, tmp_path, monkeypatch, size):
    write_roster(tmp_path / "roster")
    monkeypatch.chdir(tmp_path)  # a short path that is the same in every run

    async def before(pilot):
        await open_tool(pilot, AdminImportScreen())
        await pilot.press(*"roster", "enter")
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_import_confirm(snap_compare, still_ctx, tmp_path, monkeypatch, size):
    write_roster(tmp_path / "roster")
    monkeypatch.chdir(tmp_path)

    async def before(pilot):
        await open_tool(pilot, AdminImportScreen())
        await pilot.press(*"roster", "enter")
        await quiet(pilot)
        button = pilot.app.screen.query_one("#import", Button)
        # The message, not press(): press() also lights the button for 0.2 s, and on a loaded
        # machine the picture was taken sometimes during that moment and sometimes after it.
        button.post_message(Button.Pressed(button))
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_duplicates_preview(snap_compare, still_ctx, size):
    async def before(pilot):
        await open_tool(pilot, AdminDuplicatesScreen(), "registrar")
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_merge_confirm(snap_compare, still_ctx, size):
    async def before(pilot):
        await open_tool(pilot, AdminDuplicatesScreen(), "registrar")
        await quiet(pilot)
        await pilot.press("tab")  # the focus on Merge, as a person gets there
        button = pilot.app.screen.query_one("#merge", Button)
        button.post_message(Button.Pressed(button))  # Enter's press, without its 0.2 s look
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_new_staff_password(snap_compare, still_ctx, size):
    async def before(pilot):
        app = pilot.app
        await wait_for(pilot, lambda: app.screen.is_mounted)
        app.push_screen(StaffNewPasswordScreen(staff_actor(app.ctx, "desk"), "temporary"))
        await settled(pilot)
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)


@pytest.mark.parametrize("size", SIZES)
def test_portals(snap_compare, still_ctx, size):
    admin = staff_actor(still_ctx, "admin")
    metadata = OneLoginSp("https://campus.example.org").metadata()
    registry.add_sp(still_ctx, admin, "Campus", metadata, "username")
    registry.add_client(still_ctx, admin, "Library", ["https://lib.example.org/cb"], public=True)
    OidcClient.update(client_id="library-client-id").execute()  # random; fixed for the picture

    async def before(pilot):
        await open_tool(pilot, AdminPortalsScreen())
        await quiet(pilot)

    assert snap_compare(console(still_ctx), terminal_size=size, run_before=before)
