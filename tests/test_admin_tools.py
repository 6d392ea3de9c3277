"""The admin console as a tool (issue 11, point 4): driven with real key presses.

Home and its keys, sortable and filterable tables, CSV export, local times, adding staff (who
must then choose their own password), the import's full preview with the staff password, and
the merge's confirmation.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import stat

import pytest
from textual.widgets import Button, Input, OptionList, Static

from kiosk.app import make_app
from kiosk.clock import local_text
from kiosk.config import ConfigError
from kiosk.screens.admin_audit import AdminAuditScreen
from kiosk.screens.admin_duplicates import AdminDuplicatesScreen
from kiosk.screens.admin_home import AdminHomeScreen
from kiosk.screens.admin_import import AdminImportScreen
from kiosk.screens.admin_reports import AdminReportsScreen
from kiosk.screens.admin_staff import AdminStaffScreen
from kiosk.screens.staff_home import StaffHomeScreen
from kiosk.screens.staff_new_password import StaffNewPasswordScreen
from kiosk.screens.staff_sign_in import StaffSignInScreen
from kiosk.services.import_preview import preview_import
from kiosk.services.staff import staff_sign_in
from kiosk.store.models import AuditEvent, Guardian, Student
from kiosk.widgets.admin_table import AdminTable
from tests.conftest import make_config, staff_actor
from tests.staff_helpers import on_screen, screen_text, sign_in_as, wait_for
from tests.test_roster_import import write_roster

SMALL = (80, 24)


def footer_keys(app) -> dict[str, str]:
    """What the footer offers: key -> description, as Textual's Footer shows them."""
    return {
        b.binding.key: b.binding.description
        for b in app.screen.active_bindings.values()
        if b.binding.show
    }


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def console_as(pilot, username: str, password: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
    await pilot.press(*username, "enter", *password, "enter")
    await wait_for(pilot, lambda: on_screen(app, AdminHomeScreen))


# -- sign-in and home -------------------------------------------------------------------------


async def test_console_sign_in_has_no_dead_back_and_says_how_to_quit(ctx) -> None:
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
        assert not app.screen.query("#cancel")  # no Back button that does nothing
        keys = footer_keys(app)
        assert keys == {"ctrl+q": "Quit"}
        assert "Back to Welcome" not in screen_text(app)
        await pilot.press("escape")  # nothing to go back to: still the sign-in
        assert on_screen(app, StaffSignInScreen)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: not app.is_running)


async def test_kiosk_sign_in_keeps_its_way_back_and_never_quits(ctx) -> None:
    app = make_app(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for(pilot, lambda: app.screen.is_mounted)
        app.go_staff_sign_in()
        await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
        assert app.screen.query("#cancel")
        assert footer_keys(app) == {"escape": "Back to Welcome"}
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running


async def test_home_lists_tools_with_who_may_use_them_and_signs_out(ctx) -> None:
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await console_as(pilot, "registrar", "registrar-demo-pass")
        text = screen_text(app)
        assert "Front Desk · District data" in text and "Signed in: registrar (Registrar)" in text
        await pilot.pause()
        assert shown(app, "#tool-who") == "Who may use it: Front desk, Registrar, District admin."
        await pilot.press("down")
        await pilot.pause()
        assert shown(app, "#tool-who") == "Who may use it: Registrar, District admin."
        assert shown(app, "#tool-what").startswith("Duplicate guardians")
        assert footer_keys(app) == {"escape": "Sign out", "ctrl+q": "Quit"}
        await pilot.press("enter")
        await wait_for(pilot, lambda: on_screen(app, AdminDuplicatesScreen))
        assert footer_keys(app)["escape"] == "Back"
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, AdminHomeScreen))
        await pilot.press("escape")  # the console's root: Esc signs out
        await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
        assert app.staff is None


async def test_home_from_the_front_desk_goes_back_and_hides_quit(ctx) -> None:
    app = make_app(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await sign_in_as(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: on_screen(app, AdminHomeScreen))
        assert footer_keys(app) == {"escape": "Back"}
        menu = app.screen.query_one("#tools", OptionList)
        assert menu.option_count == 1  # front desk: reports only
        await pilot.press("ctrl+q")
        await pilot.press("escape")
        await wait_for(pilot, lambda: on_screen(app, StaffHomeScreen))
        assert app.is_running


# -- tables -------------------------------------------------------------------------------------


async def test_reports_sort_filter_read_yes_no_and_export_safe_csv(ctx) -> None:
    Guardian.update(given_name="=HYPERLINK(1)").where(Guardian.sourced_id == "G-1009").execute()
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await console_as(pilot, "admin", "district-admin-demo-pass")
        await pilot.press("enter")  # Reports
        await wait_for(pilot, lambda: on_screen(app, AdminReportsScreen))
        await pilot.press("enter", "down", "enter")  # the first report: no account yet
        await settle(app, pilot)
        table = app.screen.query_one(AdminTable)
        assert table.header == ["guardian id", "name", "schools", "students", "has live key"]
        assert {row[4] for row in table.shown_rows} == {"no"}  # never a raw False
        assert "=HYPERLINK(1) Brown" in [row[1] for row in table.shown_rows]
        await pilot.press("tab", "tab")  # past the filter, to the table
        assert app.focused is table
        await pilot.press("2")  # sort by name
        names = [row[1] for row in table.shown_rows]
        assert names == sorted(names, key=str.casefold)
        assert str(table.ordered_columns[1].label) == "name ▲"
        await pilot.press("2")  # again: reversed
        assert [row[1] for row in table.shown_rows] == names[::-1]
        await pilot.press("shift+tab")
        await pilot.press(*"garcia")
        assert [row[1] for row in table.shown_rows] == ["Maria Garcia", "Luis Garcia"]
        assert "2 of 6 row(s)" in str(app.screen.query_one("#status", Static).render())
        await pilot.press("ctrl+u")  # clear the filter
        assert len(table.shown_rows) == 6
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        status = str(app.screen.query_one("#status", Static).render())
    folder = ctx.config.resolve(ctx.config.kiosk.export_dir)
    (path,) = folder.glob("no-account-*.csv")
    assert f"Saved 6 row(s) to {path}" == status.replace("\n", "")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == table.header
    assert "'=HYPERLINK(1) Brown" in [r[1] for r in rows]  # a formula is made text
    assert AuditEvent.select().where(AuditEvent.action == "export.csv").count() == 1


async def test_audit_filters_fit_80x24_and_times_are_local_with_the_date(ctx) -> None:
    ctx.config = dataclasses.replace(
        ctx.config,
        district=dataclasses.replace(ctx.config.district, time_zone="America/Chicago"),
    )
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await console_as(pilot, "admin", "district-admin-demo-pass")
        await pilot.press("down", "down", "down", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminAuditScreen))
        await settle(app, pilot)
        inputs = list(app.screen.query(Input))
        assert [i.id for i in inputs] == ["actor", "action", "target", "since"]
        for field in inputs:  # every filter visible, full height, none hidden
            assert field.region.height == 3 and field.region.width >= 18
            assert field.region.x + field.region.width <= SMALL[0]
        table = app.screen.query_one(AdminTable)
        newest = table.shown_rows[0]
        assert newest[2] == "staff.signin" and newest[1] == "staff:admin"
        at = AuditEvent.select().order_by(AuditEvent.id.desc()).first().at
        assert newest[0] == local_text(at, "America/Chicago")
        assert newest[0].endswith(("CST", "CDT")) and newest[0][:4].isdigit()
        await pilot.press(*"staff.", "enter")
        await settle(app, pilot)
        assert table.shown_rows == []  # "staff." is not an actor
        await pilot.press("ctrl+u", "tab", *"staff.signin", "enter")
        await settle(app, pilot)
        assert {row[2] for row in table.shown_rows} == {"staff.signin"}


def test_local_time_and_the_time_zone_setting(tmp_path) -> None:
    summer = dt.datetime(2026, 7, 1, 17, 5, tzinfo=dt.UTC)
    assert local_text(summer, "America/Chicago") == "2026-07-01 12:05 CDT"
    assert local_text(summer.isoformat(), "UTC") == "2026-07-01 17:05 UTC"
    assert local_text(None, "UTC") == ""
    assert make_config(tmp_path).district.time_zone == "UTC"
    with pytest.raises(ConfigError, match="IANA time zone"):
        make_config(tmp_path, district={"time_zone": "Chicago time"})


# -- staff --------------------------------------------------------------------------------------


async def test_add_staff_on_screen_then_they_choose_their_own_password(ctx) -> None:
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await console_as(pilot, "admin", "district-admin-demo-pass")
        await pilot.press("down", "down", "down", "down", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminStaffScreen))
        await settle(app, pilot)
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        await pilot.press(*"jlopez", "enter", *"Julia [b]Lopez[/b]", "enter")
        await pilot.press("enter", "down", "enter")  # role: front desk
        await pilot.press("tab", "space", "tab")  # school: the first (ES)
        await pilot.press(*"short", "enter")
        await settle(app, pilot)
        message = str(app.screen.query_one("#message", Static).render())
        assert "at least 15 characters" in message  # the same rules as 'kiosk staff add'
        await pilot.press("ctrl+u", *"amber-fjord-quilt-meadow", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminStaffScreen))
        await settle(app, pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert status.startswith("Added jlopez (Front desk).")
        table = app.screen.query_one(AdminTable)
        assert ["jlopez", "Julia [b]Lopez[/b]", "Front desk", "ES", "yes"] in table.shown_rows
        assert "Julia [b]Lopez[/b]" in screen_text(app)  # shown as typed, never as markup
        await pilot.press("escape", "escape")  # sign out
        await wait_for(pilot, lambda: on_screen(app, StaffSignInScreen))
        await pilot.press(*"jlopez", "enter", *"amber-fjord-quilt-meadow", "enter")
        await wait_for(pilot, lambda: on_screen(app, StaffNewPasswordScreen))
        assert app.staff is None  # not signed in until they choose their own
        await pilot.press(*"cobalt-harbor-violin-sketch", "enter")
        await pilot.press(*"cobalt-harbor-violin-sketch", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminHomeScreen))
        assert app.staff is not None and app.staff.name == "jlopez"
    assert staff_sign_in(ctx, "jlopez", "cobalt-harbor-violin-sketch").role == "front_desk"


# -- import -------------------------------------------------------------------------------------


def test_import_preview_lists_deactivations_and_changes_nothing(ctx, tmp_path) -> None:
    admin = staff_actor(ctx, "admin")
    events = AuditEvent.select().count()
    preview = preview_import(ctx, admin, write_roster(tmp_path / "r"))
    assert preview.summary.deactivated > 0 and preview.summary.added > 0
    kinds = {d.kind for d in preview.deactivated}
    assert {"student", "guardian"} <= kinds
    assert "Maria Garcia" in {d.name for d in preview.deactivated if d.kind == "guardian"}
    assert Student.select().where(Student.sourced_id == "st1").count() == 0
    assert Guardian.get(Guardian.sourced_id == "G-1001").active
    assert AuditEvent.select().count() == events


async def test_import_shows_what_is_deactivated_and_needs_the_password(ctx, tmp_path) -> None:
    folder = write_roster(tmp_path / "r")  # a district that leaves out every demo record
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await console_as(pilot, "admin", "district-admin-demo-pass")
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminImportScreen))
        await pilot.press(*str(folder), "enter")  # Enter in the path field: Check
        await settle(app, pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert "Check passed; nothing was changed." in status and "DEACTIVATE" in status
        listed = app.screen.query_one(AdminTable).shown_rows
        assert ["guardian", "G-1001", "Maria Garcia"] in listed
        assert Guardian.get(Guardian.sourced_id == "G-1001").active
        app.screen.query_one("#import", Button).press()
        await settle(app, pilot)
        details = str(app.screen.query_one("#details", Static).render())
        assert "deactivate" in details and "G-1001 Maria Garcia" in details
        await pilot.press(*"not-my-password", "enter")
        await settle(app, pilot)
        assert "Nothing was changed" in str(app.screen.query_one("#message", Static).render())
        assert Guardian.get(Guardian.sourced_id == "G-1001").active
        await pilot.press(*"district-admin-demo-pass", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminImportScreen))
        await settle(app, pilot)
        status = str(app.screen.query_one("#status", Static).render())
        assert status.startswith("Imported. 2 schools, 3 students")
    assert not Guardian.get(Guardian.sourced_id == "G-1001").active
    assert Student.get(Student.sourced_id == "st1").active


# -- merge --------------------------------------------------------------------------------------


async def test_merge_asks_for_the_password_and_leaves_no_stale_buttons(ctx) -> None:
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        await console_as(pilot, "registrar", "registrar-demo-pass")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: on_screen(app, AdminDuplicatesScreen))
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one("#merge", Button).display
        await pilot.press("tab", "enter")  # Merge...
        await settle(app, pilot)
        details = str(app.screen.query_one("#details", Static).render())
        assert "merge G-1007 James Wilson into it" in details
        assert "Students moving: Noah Wilson" in details
        await pilot.press("enter")  # an empty password never confirms
        await pilot.press(*"wrong-password", "enter")
        await settle(app, pilot)
        assert Guardian.get(Guardian.sourced_id == "G-1007").merged_into is None
        await pilot.press("escape")  # cancel: nothing merged
        await wait_for(pilot, lambda: app.screen is screen)
        assert Guardian.get(Guardian.sourced_id == "G-1007").merged_into is None
        assert app.focused is screen.query_one("#merge", Button)  # back where it was
        await pilot.press("enter", *"registrar-demo-pass", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        await settle(app, pilot)
        assert "No likely duplicates." in str(screen.query_one("#status", Static).render())
        assert not screen.query_one("#merge-actions").display  # no Merge beside "none"
    assert Guardian.get(Guardian.sourced_id == "G-1007").merged_into.sourced_id == "G-1006"


async def test_import_shows_progress_while_the_check_runs(ctx, tmp_path, monkeypatch) -> None:
    import threading

    from textual.widgets import ProgressBar

    from kiosk.screens import admin_import

    release, started = threading.Event(), threading.Event()
    real = admin_import.preview_import_isolated

    def slow(*args):  # the real check, held until the test has looked at the screen
        started.set()
        release.wait(30)
        return real(*args)

    monkeypatch.setattr(admin_import, "preview_import_isolated", slow)
    folder = write_roster(tmp_path / "r")
    app = make_app(ctx, kiosk_mode=False, admin=True)
    async with app.run_test(size=SMALL) as pilot:
        app.staff = staff_actor(ctx, "admin")
        await app.push_screen(AdminImportScreen())
        await pilot.press(*str(folder), "enter")
        await wait_for(pilot, started.is_set)
        screen = app.screen
        assert screen.query_one("#progress", ProgressBar).display
        assert shown(app, "#status").startswith("Checking the files")
        assert all(b.disabled for b in screen.query(Button))  # no second start meanwhile
        release.set()
        await settle(app, pilot)
        assert not screen.query_one("#progress", ProgressBar).display
        assert shown(app, "#status").startswith("Check passed")
