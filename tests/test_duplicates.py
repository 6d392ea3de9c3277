"""Duplicate guardians: finding them, previewing and merging, and the schema upgrade it needs."""

from __future__ import annotations

import json

import pytest

from kiosk.auth import SYSTEM
from kiosk.context import Context
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.services.activation import issue_key, redeem_key
from kiosk.services.duplicates import find_duplicates, merge_guardians, preview_merge
from kiosk.services.households import diagnose, linked_students
from kiosk.services.roster import import_roster
from kiosk.services.staff import account_status, find_accounts
from kiosk.store.db import MIGRATIONS, SCHEMA_VERSION, open_store
from kiosk.store.models import (
    ActivationKey,
    AuditEvent,
    Guardian,
    PortalAccount,
    Relationship,
    SchemaVersion,
)
from tests.conftest import staff_actor
from tests.test_cli_admin import invoke
from tests.test_roster_import import USERS_HEADER, write_roster


def test_demo_duplicate_is_found_with_its_reason(ctx: Context, system) -> None:
    pairs = find_duplicates(ctx, system)
    assert [(p.first_id, p.second_id, p.reasons) for p in pairs] == [
        ("G-1006", "G-1007", ["same name and phone"])
    ]
    # Registrars see pairs in their schools; front desk may not use the list at all.
    assert len(find_duplicates(ctx, staff_actor(ctx, "registrar"))) == 1
    with pytest.raises(PermissionDenied):
        find_duplicates(ctx, staff_actor(ctx, "desk"))


def test_accents_case_and_spacing_still_match(ctx: Context, system) -> None:
    Guardian.create(
        sourced_id="G-9001",
        given_name="JOSÉ ",
        family_name="Núñez",
        search_name="josé núñez",
        address="4  Elm St",
        phone_digits="1",
    )
    Guardian.create(
        sourced_id="G-9002",
        given_name="Jose",
        family_name="Nunez",
        search_name="jose nunez",
        address="4 elm st",
        phone_digits="2",
    )
    reasons = {(p.first_id, p.second_id): p.reasons for p in find_duplicates(ctx, system)}
    assert reasons[("G-9001", "G-9002")] == ["same name and address"]


def test_one_record_finds_the_same_duplicates_as_the_district_list(ctx: Context, system):
    """The guardian card asks about one record (``likely_duplicates_of``); it must agree with
    the registrar's list, accents and spacing included, in both directions."""
    from kiosk.services.duplicates import likely_duplicates_of
    from kiosk.store import search_index

    for sid, given, family, address in (
        ("G-9001", "JOSÉ ", "Núñez", "4  Elm St"),
        ("G-9002", "Jose", "Nunez", "4 elm st"),
        ("G-9003", "Jose", "Nunez", "9 Other Rd"),  # same name, nothing shared: no pair
    ):
        search_index.index_guardian(
            Guardian.create(
                sourced_id=sid, given_name=given, family_name=family,
                search_name=f"{given} {family}".casefold(), address=address, phone_digits=sid,
            )
        )  # fmt: skip
    pairs = find_duplicates(ctx, system)
    assert [(p.first_id, p.second_id) for p in pairs] == [
        ("G-1006", "G-1007"),  # sorted by the folded name: james wilson, jose nunez
        ("G-9001", "G-9002"),
    ]
    with ctx.store.read():
        for pair in pairs:
            for one, other in ((pair.first_id, pair.second_id), (pair.second_id, pair.first_id)):
                found = likely_duplicates_of(Guardian.get(Guardian.sourced_id == one))
                assert [(d.other_id, d.reasons) for d in found] == [(other, pair.reasons)]
        assert likely_duplicates_of(Guardian.get(Guardian.sourced_id == "G-9003")) == []


def test_merge_moves_links_and_fixes_the_missing_child(ctx: Context, system) -> None:
    registrar = staff_actor(ctx, "registrar")
    assert [m.reason for m in diagnose(ctx, registrar, "G-1006")] == ["duplicate"]
    preview = preview_merge(ctx, registrar, "G-1006", "G-1007")
    assert preview.students_moving == ["Noah Wilson"] and not preview.needs_account_choice
    result = merge_guardians(ctx, registrar, "G-1006", "G-1007")
    assert result.account is None
    assert [s.name for s in linked_students(ctx, "G-1006")] == ["Emma Wilson", "Noah Wilson"]
    assert diagnose(ctx, registrar, "G-1006") == []
    dropped = Guardian.get(Guardian.sourced_id == "G-1007")
    assert dropped.active is False and dropped.merged_into.sourced_id == "G-1006"
    assert find_duplicates(ctx, system) == []
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert (event.action, event.target) == ("guardian.merge", "G-1006")
    assert json.loads(event.detail)["merged"] == "G-1007"
    with pytest.raises(ValidationError, match="already merged into G-1006"):
        merge_guardians(ctx, registrar, "G-1007", "G-1006")


def test_only_registrars_and_admins_merge(ctx: Context) -> None:
    for name in ("desk", "hsdesk"):
        with pytest.raises(PermissionDenied):
            merge_guardians(ctx, staff_actor(ctx, name), "G-1006", "G-1007")
    assert Guardian.get(Guardian.sourced_id == "G-1007").active
    merge_guardians(ctx, staff_actor(ctx, "admin"), "G-1006", "G-1007")


def test_keys_move_and_the_moved_key_opens_the_kept_record(ctx: Context, system) -> None:
    issued = issue_key(ctx, system, "G-1007")
    merge_guardians(ctx, system, "G-1006", "G-1007")
    assert ActivationKey.get(ActivationKey.guardian == Guardian.get(sourced_id="G-1006"))
    account = redeem_key(
        ctx, issued.key, "jwilson", "a-long-enough-pass-phrase", "a-long-enough-pass-phrase"
    )
    assert account.guardian_id == "G-1006"


def _two_accounts(ctx: Context) -> None:
    """Give both Wilson records an account (each redeemed its own key)."""
    for gid, user in (("G-1006", "jamesw"), ("G-1007", "jwilson2")):
        key = issue_key(ctx, SYSTEM, gid)
        redeem_key(ctx, key.key, user, "a-long-enough-pass-phrase", "a-long-enough-pass-phrase")


def test_both_accounts_need_a_choice_and_no_account_is_lost(ctx: Context, system) -> None:
    _two_accounts(ctx)
    with pytest.raises(ValidationError, match="Choose which account to keep"):
        merge_guardians(ctx, system, "G-1006", "G-1007")
    assert Guardian.get(Guardian.sourced_id == "G-1007").active  # refused: nothing changed
    result = merge_guardians(ctx, system, "G-1006", "G-1007", keep_account="drop")
    assert (result.account, result.disabled_account) == ("jwilson2", "jamesw")
    assert PortalAccount.select().count() == 5  # 3 demo + 2, none deleted
    kept = PortalAccount.get(PortalAccount.username == "jwilson2")
    assert kept.guardian.sourced_id == "G-1006" and kept.enabled
    registrar = staff_actor(ctx, "registrar")
    other = account_status(ctx, registrar, "jamesw")
    assert other.state == "disabled" and other.guardian_id == "G-1007"
    assert {a.username for a in find_accounts(ctx, registrar, "james wilson")} == {
        "jwilson2",
        "jamesw",
    }


def test_keep_choice_disables_the_dropped_records_account(ctx: Context, system) -> None:
    _two_accounts(ctx)
    result = merge_guardians(ctx, system, "G-1006", "G-1007", keep_account="keep")
    assert (result.account, result.disabled_account) == ("jamesw", "jwilson2")
    assert PortalAccount.get(PortalAccount.username == "jwilson2").enabled is False


def test_reimport_does_not_bring_a_merged_duplicate_back(ctx: Context, tmp_path, system):
    users = USERS_HEADER + (
        "st1,active,,true,o-es,student,,,Ana,Reyes,,5001,,,,p1,03,\n"
        "st2,active,,true,o-hs,student,,,Ben,Reyes,,5002,,,,p1b,10,\n"
        "st3,active,,true,o-hs,student,,,Cy,Young,,5003,,,,p2,11,\n"
        "p1,active,,true,,parent,,,Rosa,Reyes,,,,,555-0200,st1,,\n"
        "p1b,active,,true,,parent,,,Rosa,Reyes,,,,,555-0200,st2,,\n"
        "p2,active,,true,,parent,,,Tom,Young,,,,,555-0300,st3,,\n"
    )
    folder = write_roster(tmp_path / "r", users_csv=users, demographics_csv=None)
    import_roster(ctx, system, folder)
    merge_guardians(ctx, system, "p1", "p1b")
    summary = import_roster(ctx, system, folder)
    assert summary.added == 0 and summary.guardians == 2
    p1 = Guardian.get(Guardian.sourced_id == "p1")
    assert {r.student.sourced_id for r in p1.relationships} == {"st1", "st2"}
    assert not Guardian.get(Guardian.sourced_id == "p1b").active
    assert (
        Relationship.select().where(Relationship.guardian == p1, Relationship.active).count() == 2
    )


def test_cli_duplicates_and_merge(ctx: Context, tmp_path) -> None:
    listed = invoke(ctx, tmp_path, "households", "duplicates", "--json")
    assert json.loads(listed.output)[0]["reasons"] == ["same name and phone"]
    plain = invoke(ctx, tmp_path, "households", "duplicates")
    assert "James Wilson: G-1006 and G-1007 (same name and phone)" in plain.output
    preview = invoke(ctx, tmp_path, "households", "merge", "G-1006", "G-1007", "--dry-run")
    assert "students moving: Noah Wilson" in preview.output
    merged = invoke(ctx, tmp_path, "households", "merge", "G-1006", "G-1007")
    assert merged.exit_code == 0, merged.output
    assert "Merged G-1007 into G-1006: 1 link(s) moved" in merged.output
    again = invoke(ctx, tmp_path, "households", "merge", "G-1006", "G-1007")
    assert again.exit_code == 1 and "already merged" in again.output
    flags = invoke(ctx, tmp_path, "households", "flags", "G-1010", "S-2009", "--portal")
    assert flags.exit_code == 0, flags.output
    assert Relationship.get(Relationship.sourced_id == "G-1010:S-2009").portal_access


def test_version_1_database_upgrades_to_the_latest(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'old.db'}")
    # Build a release-1 database: the tables as they were, without merged_into.
    field = Guardian._meta.fields["merged_into"]
    Guardian._meta.remove_field("merged_into")
    try:
        MIGRATIONS[1](store.db)
    finally:
        Guardian._meta.add_field("merged_into", field)
    SchemaVersion.create(version=1, applied_at="2026-01-01T00:00:00+00:00")
    assert "merged_into_id" not in {c.name for c in store.db.get_columns("guardian")}
    store.db.execute_sql(
        "INSERT INTO guardian (sourced_id, given_name, family_name, search_name, email, phone, "
        "phone_digits, address, active) VALUES ('old', 'Old', 'Record', 'old record', '', '', "
        "'', '', 1)"
    )
    assert store.schema_version() == 1
    assert store.migrate() == (1, SCHEMA_VERSION)
    assert store.migrate() == (SCHEMA_VERSION, SCHEMA_VERSION)  # idempotent
    columns = {c.name for c in store.db.get_columns("guardian")}
    assert "merged_into_id" in columns
    assert Guardian.get(Guardian.sourced_id == "old").merged_into is None
    store.close()


def test_merge_with_both_accounts_on_sqlite_and_postgres(any_ctx: Context) -> None:
    _two_accounts(any_ctx)
    result = merge_guardians(any_ctx, SYSTEM, "G-1006", "G-1007", keep_account="drop")
    assert (result.account, result.disabled_account) == ("jwilson2", "jamesw")
    assert PortalAccount.get(PortalAccount.username == "jwilson2").guardian.sourced_id == "G-1006"
    assert PortalAccount.get(PortalAccount.username == "jamesw").enabled is False
    assert [s.name for s in linked_students(any_ctx, "G-1006")] == ["Emma Wilson", "Noah Wilson"]


async def test_duplicates_screen_previews_and_merges(ctx: Context) -> None:
    from textual.widgets import Button, DataTable, Static

    from kiosk.app import make_app
    from kiosk.screens.admin_duplicates import AdminDuplicatesScreen

    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=(100, 30)) as pilot:
        app.staff = staff_actor(ctx, "registrar")
        await app.push_screen(AdminDuplicatesScreen())
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#pairs", DataTable).row_count == 1
        preview = str(screen.query_one("#status", Static).render())
        assert "Keep G-1006 James Wilson; merge G-1007 James Wilson into it." in preview
        assert "Students moving: Noah Wilson" in preview
        assert screen.query_one("#merge", Button).display
        await pilot.click("#merge")
        await pilot.pause()
        await pilot.press(*"registrar-demo-pass", "enter")  # the merge asks for the password
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Merged G-1007 into G-1006." in str(screen.query_one("#status", Static).render())
        assert screen.query_one("#pairs", DataTable).row_count == 0
    assert Guardian.get(Guardian.sourced_id == "G-1007").merged_into.sourced_id == "G-1006"
