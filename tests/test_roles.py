"""Roles and schools: who may see and act on whom, and managing staff users.

Demo: ``hsdesk`` serves only the high school; Maria Garcia (G-1001) has children in the
elementary and middle schools, Ana Lopez (G-1003, account ``alopez``) in the elementary.
"""

from __future__ import annotations

import pytest

from kiosk.context import Context
from kiosk.errors import AuthenticationFailed, NotFound, PermissionDenied, ValidationError
from kiosk.services.activation import issue_key, revoke_key, verify_request
from kiosk.services.duplicates import merge_guardians
from kiosk.services.households import diagnose, set_relationship_flags
from kiosk.services.people import guardian_card, search
from kiosk.services.roster import import_roster
from kiosk.services.staff import (
    account_for_guardian,
    account_status,
    add_staff,
    change_staff_password,
    find_accounts,
    list_staff,
    reset_password,
    reset_staff_password,
    set_staff_enabled,
    staff_must_change_password,
    staff_sign_in,
)
from kiosk.store.models import AuditEvent
from tests.conftest import staff_actor
from tests.test_cli_admin import invoke


@pytest.fixture
def hsdesk(ctx: Context):
    return staff_actor(ctx, "hsdesk")


def test_other_school_front_desk_cannot_find_maria(ctx: Context, hsdesk, desk) -> None:
    assert [h.id for h in search(ctx, desk, "maria garcia") if h.kind == "guardian"] == ["G-1001"]
    assert search(ctx, hsdesk, "maria garcia") == []
    assert search(ctx, hsdesk, "sofia") == []  # her student, by name
    assert search(ctx, hsdesk, "100201") == []  # ... or by student number
    assert [h.id for h in search(ctx, hsdesk, "aarav")] == ["S-2005"]  # HS students are fine


def test_other_school_front_desk_cannot_open_or_act(ctx: Context, hsdesk) -> None:
    calls = [
        lambda: guardian_card(ctx, hsdesk, "G-1001"),
        lambda: issue_key(ctx, hsdesk, "G-1001"),
        lambda: revoke_key(ctx, hsdesk, "G-1001"),
        lambda: verify_request(ctx, hsdesk, "G-1001", ["S-2001"], "passport", True),
        lambda: diagnose(ctx, hsdesk, "G-1001"),
        lambda: account_for_guardian(ctx, hsdesk, "G-1003"),
        lambda: account_status(ctx, hsdesk, "alopez"),
        lambda: reset_password(ctx, hsdesk, "alopez", "photo_id"),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied, match="not in a school you serve"):
            call()
    assert find_accounts(ctx, hsdesk, "alopez") == []
    assert find_accounts(ctx, hsdesk, "ana lopez") == []
    # No key was issued and no reset happened.
    assert not AuditEvent.select().where(AuditEvent.action.in_(["key.issue", "account.reset"]))


def test_own_school_front_desk_can(ctx: Context, desk) -> None:
    assert guardian_card(ctx, desk, "G-1001").name == "Maria Garcia"
    assert account_status(ctx, desk, "alopez").state == "active"
    assert issue_key(ctx, desk, "G-1001").guardian_id == "G-1001"
    assert reset_password(ctx, desk, "alopez", "photo_id").username == "alopez"


def test_only_registrars_and_admins_fix_households(ctx: Context, desk) -> None:
    with pytest.raises(PermissionDenied):
        set_relationship_flags(ctx, desk, "G-1010", "S-2009", portal_access=True)
    with pytest.raises(PermissionDenied):
        merge_guardians(ctx, desk, "G-1006", "G-1007")
    set_relationship_flags(
        ctx, staff_actor(ctx, "registrar"), "G-1010", "S-2009", portal_access=True
    )


def test_only_admins_import_and_manage_staff(ctx: Context, tmp_path) -> None:
    for name in ("desk", "registrar"):
        actor = staff_actor(ctx, name)
        with pytest.raises(PermissionDenied):
            import_roster(ctx, actor, tmp_path)
        with pytest.raises(PermissionDenied):
            add_staff(ctx, actor, "newbie", "a-long-staff-password-1", "front_desk", ["ES"])
        with pytest.raises(PermissionDenied):
            list_staff(ctx, actor)
        with pytest.raises(PermissionDenied):
            set_staff_enabled(ctx, actor, "desk", False)
        with pytest.raises(PermissionDenied):
            reset_staff_password(ctx, actor, "desk")
    admin = staff_actor(ctx, "admin")
    assert {s.username for s in list_staff(ctx, admin)} >= {"desk", "hsdesk", "admin"}


def test_disabling_a_staff_user_ends_their_access(ctx: Context) -> None:
    admin = staff_actor(ctx, "admin")
    assert staff_sign_in(ctx, "hsdesk", "high-school-desk-demo").name == "hsdesk"
    set_staff_enabled(ctx, admin, "hsdesk", False)
    with pytest.raises(AuthenticationFailed):
        staff_sign_in(ctx, "hsdesk", "high-school-desk-demo")
    with pytest.raises(ValidationError, match="your own"):
        set_staff_enabled(ctx, admin, "admin", False)
    set_staff_enabled(ctx, admin, "hsdesk", True)
    assert staff_sign_in(ctx, "hsdesk", "high-school-desk-demo").name == "hsdesk"
    with pytest.raises(NotFound, match="kiosk staff list"):
        set_staff_enabled(ctx, admin, "nobody", False)


def test_staff_reset_gives_a_temporary_password_that_must_be_changed(ctx: Context) -> None:
    admin = staff_actor(ctx, "admin")
    result = reset_staff_password(ctx, admin, "desk")
    temp = result.temporary_password
    assert temp and len(temp) == 19
    with pytest.raises(AuthenticationFailed):
        staff_sign_in(ctx, "desk", "front-desk-demo-pass")
    actor = staff_sign_in(ctx, "desk", temp)
    assert staff_must_change_password(ctx, actor)
    with pytest.raises(ValidationError):
        change_staff_password(ctx, actor, temp, "short")
    change_staff_password(ctx, actor, temp, "quiet-harbor-lantern-mosaic")
    assert not staff_must_change_password(ctx, actor)
    assert staff_sign_in(ctx, "desk", "quiet-harbor-lantern-mosaic").name == "desk"
    # The temporary password never reaches the audit log.
    assert not any(temp in (e.detail + e.target) for e in AuditEvent.select())


def test_staff_reset_with_a_chosen_password(ctx: Context) -> None:
    admin = staff_actor(ctx, "admin")
    with pytest.raises(ValidationError):
        reset_staff_password(ctx, admin, "desk", "desk-desk-desk-desk")
    result = reset_staff_password(ctx, admin, "desk", "an-admin-chosen-pass-phrase")
    assert result.temporary_password is None
    actor = staff_sign_in(ctx, "desk", "an-admin-chosen-pass-phrase")
    assert not staff_must_change_password(ctx, actor)


def test_staff_cli_add_list_disable_reset(ctx: Context, tmp_path) -> None:
    added = invoke(
        ctx, tmp_path, "staff", "add", "newdesk", "--role", "front_desk", "--school", "HS",
        "--password-stdin", input="a-long-staff-password-1\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    disabled = invoke(ctx, tmp_path, "staff", "disable", "newdesk")
    assert disabled.output.strip() == "newdesk: disabled"
    listed = invoke(ctx, tmp_path, "staff", "list")
    assert "newdesk" in listed.output and "(disabled)" in listed.output
    reset = invoke(ctx, tmp_path, "staff", "reset", "desk")
    assert reset.exit_code == 0 and "Temporary password for desk: " in reset.output
    temp = reset.output.split("Temporary password for desk: ")[1].split()[0]
    assert staff_sign_in(ctx, "desk", temp).name == "desk"
    chosen = invoke(
        ctx, tmp_path, "staff", "reset", "desk", "--password-stdin",
        input="another-long-passphrase\n",
    )  # fmt: skip
    assert chosen.output.strip() == "Password for desk changed."
    missing = invoke(ctx, tmp_path, "staff", "disable", "ghost")
    assert missing.exit_code == 1 and "No staff user named 'ghost'" in missing.output


async def _settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def test_admin_home_offers_only_what_the_role_allows(ctx: Context) -> None:
    from textual.widgets import OptionList

    from kiosk.app import make_app
    from kiosk.screens.admin_home import AdminHomeScreen
    from kiosk.screens.admin_reports import AdminReportsScreen

    expected = {
        "desk": ["reports"],
        "registrar": ["reports", "duplicates"],
        "admin": ["reports", "duplicates", "import", "audit", "staff", "portals"],
    }
    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for name, tools in expected.items():
            app.staff = staff_actor(ctx, name)
            await app.push_screen(AdminHomeScreen())
            await pilot.pause()
            menu = app.screen.query_one("#tools", OptionList)
            assert [menu.get_option_at_index(i).id for i in range(menu.option_count)] == tools
            app.pop_screen()
        app.staff = staff_actor(ctx, "desk")
        await app.push_screen(AdminHomeScreen())
        await pilot.press("enter")  # the first tool is highlighted
        await pilot.pause()
        assert isinstance(app.screen, AdminReportsScreen)


async def test_staff_screen_disables_and_shows_a_temporary_password_once(ctx: Context) -> None:
    from textual.widgets import Button, DataTable, Static

    from kiosk.app import make_app
    from kiosk.screens.admin_staff import AdminStaffScreen

    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.staff = staff_actor(ctx, "admin")
        await app.push_screen(AdminStaffScreen())
        await _settle(app, pilot)
        screen = app.screen
        table = screen.query_one("#staff-rows", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert names == ["admin", "desk", "hsdesk", "registrar"]
        table.move_cursor(row=2)  # hsdesk
        await pilot.click("#disable")
        await _settle(app, pilot)
        status = screen.query_one("#status", Static)
        assert str(status.render()) == "Disable hsdesk? Press the button again to confirm."
        assert staff_sign_in(ctx, "hsdesk", "high-school-desk-demo")  # nothing happened yet
        screen.query_one("#disable", Button).press()  # (a 2nd click during the press effect
        # animation is ignored by Textual; a person's second click comes later)
        await _settle(app, pilot)
        assert str(status.render()) == "hsdesk is disabled."
        assert str(table.get_row_at(2)[4]) == "no"  # enabled: no
        with pytest.raises(AuthenticationFailed):
            staff_sign_in(ctx, "hsdesk", "high-school-desk-demo")
        await pilot.click("#reset")
        screen.query_one("#reset", Button).press()
        await _settle(app, pilot)
        shown = str(status.render())
        assert shown.startswith("Temporary password for hsdesk: ")
        temp = shown.split(": ", 1)[1].split()[0]
        table.move_cursor(row=1)
        await pilot.pause()
        assert temp not in str(status.render())  # gone once the selection moves
        table.move_cursor(row=2)
        await pilot.click("#enable")
        await _settle(app, pilot)
        assert str(status.render()) == "hsdesk is enabled."
    assert staff_sign_in(ctx, "hsdesk", temp).name == "hsdesk"


async def test_staff_screen_refuses_non_admins(ctx: Context) -> None:
    from textual.widgets import DataTable, Static

    from kiosk.app import make_app
    from kiosk.screens.admin_staff import AdminStaffScreen

    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.staff = staff_actor(ctx, "registrar")
        await app.push_screen(AdminStaffScreen())
        await _settle(app, pilot)
        assert app.screen.query_one("#staff-rows", DataTable).row_count == 0
        assert "role does not allow" in str(app.screen.query_one("#status", Static).render())
