"""The audit log is append-only, hash-chained and free of secrets."""

from __future__ import annotations

from click.testing import CliRunner

from kiosk import audit
from kiosk.auth import SYSTEM
from kiosk.cli import main
from kiosk.services import activation
from kiosk.store.models import AuditEvent


def _events(ctx):
    activation.issue_key(ctx, SYSTEM, "G-1001")
    activation.issue_key(ctx, SYSTEM, "G-1002")
    activation.revoke_key(ctx, SYSTEM, "G-1002")


def test_events_carry_time_kiosk_actor_action_target_outcome(any_ctx):
    _events(any_ctx)
    event = AuditEvent.select().where(AuditEvent.action == "key.revoke").get()
    assert event.at.endswith("+00:00")
    assert event.kiosk_id == "front-desk-1"
    assert event.actor == "system:cli"
    assert event.target == "G-1002" and event.outcome == "ok"
    result = audit.verify(any_ctx)
    assert result.ok and result.count == AuditEvent.select().count()


def test_an_edited_event_is_detected(any_ctx):
    _events(any_ctx)
    victim = AuditEvent.select().where(AuditEvent.action == "key.revoke").get()
    AuditEvent.update(outcome="none").where(AuditEvent.id == victim.id).execute()
    result = audit.verify(any_ctx)
    assert not result.ok
    assert any(f"event {victim.id}" in p and "edited" in p for p in result.problems)


def test_a_deleted_event_is_detected(any_ctx):
    _events(any_ctx)
    victim = AuditEvent.select().order_by(AuditEvent.id.desc()).offset(1).first()
    AuditEvent.delete().where(AuditEvent.id == victim.id).execute()
    result = audit.verify(any_ctx)
    assert not result.ok
    assert any("deleted or changed" in p for p in result.problems)


def test_cli_verify_exits_non_zero_on_tampering(ctx, tmp_path, monkeypatch):
    _events(ctx)
    config = tmp_path / "cli.toml"
    config.write_text(f'[database]\nurl = "{ctx.store.db.database}"\n')
    runner = CliRunner()
    ok = runner.invoke(main, ["--config", str(config), "audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output
    AuditEvent.update(actor="staff:someone-else").where(AuditEvent.id == 2).execute()
    bad = runner.invoke(main, ["--config", str(config), "audit", "verify"])
    assert bad.exit_code == 1 and "TAMPERED" in bad.output
