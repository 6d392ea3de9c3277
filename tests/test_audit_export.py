"""Audit export: CSV and JSON Lines, every filter, refusal of bad dates, no secrets inside."""

from __future__ import annotations

import csv
import io
import json

import pytest

from kiosk.context import Context
from kiosk.errors import PermissionDenied, ValidationError
from kiosk.services.activation import issue_key
from kiosk.services.audit_export import Filters, export
from kiosk.services.staff import disable_account, reset_password, unlock_account
from kiosk.store.models import AuditEvent
from tests.conftest import staff_actor
from tests.test_cli_admin import invoke


def _jsonl(ctx: Context, filters: Filters) -> list[dict]:
    out = io.StringIO()
    count = export(ctx, staff_actor(ctx, "admin"), out, "jsonl", filters)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(rows) == count
    return rows


def test_export_all_and_filters(ctx: Context) -> None:
    desk = staff_actor(ctx, "desk")
    issued = issue_key(ctx, desk, "G-1001")
    temp = reset_password(ctx, desk, "alopez", "photo_id")
    everything = _jsonl(ctx, Filters())
    assert len(everything) == AuditEvent.select().count()
    assert [r["id"] for r in everything] == sorted(r["id"] for r in everything)
    assert everything[1]["prev_hash"] == everything[0]["hash"]
    assert [r["action"] for r in _jsonl(ctx, Filters(action="key."))] == ["key.issue"]
    mine = _jsonl(ctx, Filters(actor="staff:desk"))
    assert [r["action"] for r in mine] == ["key.issue", "account.reset"]
    assert mine[1]["detail"] == {"username": "alopez", "proof": "photo_id", "questions": []}
    assert [r["target"] for r in _jsonl(ctx, Filters(target="G-1003"))] == ["G-1003"]
    last = everything[-1]["at"]
    assert _jsonl(ctx, Filters(since=last))[0]["id"] == everything[-1]["id"]
    assert _jsonl(ctx, Filters(until="2000-01-01")) == []
    assert len(_jsonl(ctx, Filters(since="2000-01-01", until="2999-12-31T23:59"))) == len(
        everything
    )
    text = json.dumps(everything)
    assert issued.key.strip("{}").replace("-", "") not in text.replace("-", "").upper()
    assert temp.password not in text


def test_csv_export_and_formula_guard(ctx: Context) -> None:
    with ctx.store.write():
        from kiosk import audit

        audit.record(ctx, "staff:desk", "note", target='=HYPERLINK("x")')
    out = io.StringIO()
    export(ctx, staff_actor(ctx, "admin"), out, "csv", Filters(action="note"))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1 and rows[0]["target"] == '\'=HYPERLINK("x")'
    assert list(rows[0]) == ["id", "at", "kiosk_id", "actor", "action", "target", "outcome",
                             "detail", "prev_hash", "hash"]  # fmt: skip


def test_bad_dates_and_roles_are_refused(ctx: Context) -> None:
    with pytest.raises(ValidationError, match="--since must be a date"):
        export(ctx, staff_actor(ctx, "admin"), io.StringIO(), "csv", Filters(since="yesterday"))
    with pytest.raises(ValidationError, match="--format"):
        export(ctx, staff_actor(ctx, "admin"), io.StringIO(), "xml", Filters())
    for name in ("desk", "registrar"):
        with pytest.raises(PermissionDenied):
            export(ctx, staff_actor(ctx, name), io.StringIO(), "csv", Filters())


def test_cli_export(ctx: Context, tmp_path) -> None:
    issue_key(ctx, staff_actor(ctx, "desk"), "G-1001")
    out = invoke(ctx, tmp_path, "audit", "export", "--format", "jsonl", "--action", "key.issue")
    assert out.exit_code == 0, out.output
    assert [json.loads(line)["target"] for line in out.output.splitlines()] == ["G-1001"]
    saved = invoke(ctx, tmp_path, "audit", "export", "-o", str(tmp_path / "a.csv"))
    assert saved.exit_code == 0
    assert (tmp_path / "a.csv").read_text().startswith("id,at,kiosk_id")
    bad = invoke(ctx, tmp_path, "audit", "export", "--since", "soon")
    assert bad.exit_code == 1 and "--since must be a date" in bad.output


async def test_audit_screen_filters_and_checks_the_chain(ctx: Context) -> None:
    from textual.widgets import DataTable, Input, Static

    from kiosk.app import make_app
    from kiosk.screens.admin_audit import AdminAuditScreen

    issue_key(ctx, staff_actor(ctx, "desk"), "G-1001")
    app = make_app(ctx, kiosk_mode=False)
    async with app.run_test(size=(120, 30)) as pilot:
        app.staff = staff_actor(ctx, "admin")
        await app.push_screen(AdminAuditScreen())
        for _ in range(2):
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = app.screen
        table = screen.query_one("#events", DataTable)
        assert table.row_count == AuditEvent.select().count()
        screen.query_one("#action", Input).value = "key."
        await pilot.click("#show")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][1:4] == ["staff:desk", "key.issue", "G-1001"]
        await pilot.click("#verify")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert str(screen.query_one("#status", Static).render()).startswith("Audit log intact:")


def test_cli_export_by_username_finds_the_accounts_events(ctx: Context, tmp_path) -> None:
    """Account events are recorded against the guardian ID (G-1003); staff know the username."""
    desk = staff_actor(ctx, "desk")
    reset_password(ctx, desk, "alopez", "photo_id")
    unlock_account(ctx, desk, "alopez")
    disable_account(ctx, desk, "rchen")  # another account's event stays out
    out = invoke(ctx, tmp_path, "audit", "export", "--format", "jsonl", "--target", "alopez")
    assert out.exit_code == 0, out.output
    rows = [json.loads(line) for line in out.output.splitlines()]
    assert [(r["action"], r["target"]) for r in rows] == [
        ("account.reset", "G-1003"),
        ("account.unlock", "G-1003"),
    ]
    assert [r["action"] for r in _jsonl(ctx, Filters(target="ALopez"))] == [
        "account.reset",
        "account.unlock",
    ]
    assert _jsonl(ctx, Filters(target="nobody-by-that-name")) == []
