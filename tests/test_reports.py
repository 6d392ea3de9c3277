"""Reports: the rows a person would expect from the demo district, scoped to staff schools."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from kiosk import keys
from kiosk.clock import iso
from kiosk.context import Context
from kiosk.errors import AuthenticationFailed
from kiosk.services.accounts import sign_in
from kiosk.services.activation import issue_key
from kiosk.services.reports import (
    REPORTS,
    guardians_without_accounts,
    locked_and_disabled,
    signins_per_school_week,
    unredeemed_keys,
    without_recovery_email,
)
from kiosk.store.models import ActivationKey, AuditEvent, Guardian, PortalAccount
from tests.conftest import staff_actor
from tests.test_cli_admin import invoke


def test_guardians_without_accounts(ctx: Context, system) -> None:
    issue_key(ctx, system, "G-1001")
    rows = guardians_without_accounts(ctx, system)
    assert [r.guardian_id for r in rows] == ["G-1009", "G-1002", "G-1001", "G-1011", "G-1006",
                                             "G-1007"]  # fmt: skip
    maria = next(r for r in rows if r.guardian_id == "G-1001")
    assert maria.schools == "Lincoln Elementary, Roosevelt Middle" and maria.students == 2
    assert maria.has_live_key and not rows[0].has_live_key
    hs_only = guardians_without_accounts(ctx, staff_actor(ctx, "hsdesk"))
    assert [r.guardian_id for r in hs_only] == ["G-1011"]


def test_unredeemed_keys_and_expiring_within(ctx: Context, system) -> None:
    issue_key(ctx, system, "G-1001")
    soon = ctx.clock.now() - dt.timedelta(days=28)
    ActivationKey.create(
        guardian=Guardian.get(Guardian.sourced_id == "G-1002"),
        key_hash=keys.hash_key(keys.new_key()),
        created_at=iso(soon),
        expires_at=iso(soon + dt.timedelta(days=30)),
        issued_by="staff:desk",
    )
    rows = unredeemed_keys(ctx, system)
    assert [r.guardian_id for r in rows] == ["G-1002", "G-1001"]
    assert rows[0].days_left == 1 and rows[1].days_left >= 29
    assert [r.guardian_id for r in unredeemed_keys(ctx, system, expiring_within=3)] == ["G-1002"]
    assert unredeemed_keys(ctx, staff_actor(ctx, "hsdesk")) == []


def test_locked_disabled_and_recovery_email(ctx: Context, system) -> None:
    rows = locked_and_disabled(ctx, system)
    assert [(r.username, r.state) for r in rows] == [("ppatel", "locked"), ("rchen", "disabled")]
    assert rows[0].failed_attempts == ctx.config.security.lockout_threshold
    assert without_recovery_email(ctx, system) == []
    PortalAccount.update(recovery_email_verified=False).where(
        PortalAccount.username == "alopez"
    ).execute()
    assert [r.username for r in without_recovery_email(ctx, system)] == ["alopez"]
    # Ana Lopez's child is at the elementary school: not the high school desk's business.
    assert without_recovery_email(ctx, staff_actor(ctx, "hsdesk")) == []
    assert [r.username for r in locked_and_disabled(ctx, staff_actor(ctx, "hsdesk"))] == ["ppatel"]


def test_signins_per_school_per_week(ctx: Context, system) -> None:
    sign_in(ctx, "alopez", "blue-river-stone-lamp")
    sign_in(ctx, "alopez", "blue-river-stone-lamp")
    with pytest.raises(AuthenticationFailed):
        sign_in(ctx, "alopez", "wrong password entirely")
    year, week, _ = ctx.clock.now().isocalendar()
    rows = signins_per_school_week(ctx, system)
    assert [(r.school, r.week, r.signins) for r in rows] == [
        ("Lincoln Elementary", f"{year}-W{week:02d}", 2)
    ]
    assert signins_per_school_week(ctx, staff_actor(ctx, "hsdesk")) == []


def test_report_cli_table_json_csv_and_help(ctx: Context, tmp_path) -> None:
    table = invoke(ctx, tmp_path, "report", "locked-disabled")
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["username", "guardian_id", "name", "state", "failed_attempts",
                                "locked_until"]  # fmt: skip
    assert lines[1].startswith("ppatel") and lines[2].startswith("rchen")
    data = json.loads(invoke(ctx, tmp_path, "report", "locked-disabled", "--json").output)
    assert [r["username"] for r in data] == ["ppatel", "rchen"]
    rows = list(csv.DictReader(io.StringIO(invoke(ctx, tmp_path, "report", "no-account",
                                                   "--csv").output)))  # fmt: skip
    assert len(rows) == 6 and rows[0]["guardian_id"] == "G-1009"
    helped = invoke(ctx, tmp_path, "report", "--help").output
    for name in REPORTS:
        assert name in helped
    empty = invoke(ctx, tmp_path, "report", "unredeemed-keys", "--expiring-within", "2")
    assert empty.output.strip() == "Nothing to report."
    bad = invoke(ctx, tmp_path, "report", "unredeemed-keys", "--expiring-within", "-1")
    assert bad.exit_code == 2


def test_report_csv_is_formula_safe(ctx: Context, tmp_path) -> None:
    Guardian.update(given_name="=cmd|' /C calc'!A0").where(
        Guardian.sourced_id == "G-1011"
    ).execute()
    out = invoke(ctx, tmp_path, "report", "no-account", "--csv").output
    row = next(r for r in csv.DictReader(io.StringIO(out)) if r["guardian_id"] == "G-1011")
    assert row["name"].startswith("'=cmd")
    assert not AuditEvent.select().where(AuditEvent.action == "report").exists()


async def test_reports_screen_shows_rows_as_plain_text(ctx: Context) -> None:
    from textual.widgets import DataTable, Select, Static

    from kiosk.app import make_app
    from kiosk.screens.admin_reports import AdminReportsScreen

    Guardian.update(given_name="[@click=app.quit]x[/]").where(
        Guardian.sourced_id == "G-1005"
    ).execute()
    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.staff = staff_actor(ctx, "admin")
        await app.push_screen(AdminReportsScreen())
        app.screen.query_one("#report", Select).value = "locked-disabled"
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#report-rows", DataTable)
        assert table.row_count == 2
        first = [str(cell) for cell in table.get_row_at(0)]
        assert first[:3] == ["ppatel", "G-1005", "[@click=app.quit]x[/] Patel"]
        assert "2 row(s)" in str(app.screen.query_one("#status", Static).render())
        await pilot.click(DataTable, offset=(20, 1))  # clicking the name does nothing
        await pilot.pause()
        assert app.is_running
        # Scoped like the CLI: the high-school desk sees only the high-school account.
        app.staff = staff_actor(ctx, "hsdesk")
        await pilot.press("f5")  # Refresh, as on the guardian card
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1


def test_reports_on_sqlite_and_postgres(any_ctx: Context) -> None:
    from kiosk.auth import SYSTEM

    issue_key(any_ctx, SYSTEM, "G-1001")
    sign_in(any_ctx, "alopez", "blue-river-stone-lamp")
    assert [r.username for r in locked_and_disabled(any_ctx, SYSTEM)] == ["ppatel", "rchen"]
    assert [r.guardian_id for r in unredeemed_keys(any_ctx, SYSTEM)] == ["G-1001"]
    assert len(guardians_without_accounts(any_ctx, SYSTEM)) == 6
    assert [r.signins for r in signins_per_school_week(any_ctx, SYSTEM)] == [1]
    assert without_recovery_email(any_ctx, SYSTEM) == []
