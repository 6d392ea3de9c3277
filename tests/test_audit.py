"""The audit log is append-only, keyed, checkpointed and free of secrets.

Every attack of the security review is replayed on SQLite and PostgreSQL: an edited event, a
deleted event, the tail cut off, everything deleted, and an edit with the chain recomputed.
On PostgreSQL the attacker first disables the append-only trigger (as the table owner could).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pwd
import stat

import pytest
from click.testing import CliRunner

from kiosk import audit, audit_checkpoint
from kiosk.auth import SYSTEM
from kiosk.cli import main
from kiosk.errors import DatabaseError, KioskError
from kiosk.services import activation
from kiosk.store.models import AuditEvent

OS_USER = pwd.getpwuid(os.getuid()).pw_name


def _events(ctx):
    activation.issue_key(ctx, SYSTEM, "G-1001")
    activation.issue_key(ctx, SYSTEM, "G-1002")
    activation.revoke_key(ctx, SYSTEM, "G-1002")


@contextlib.contextmanager
def tampering(ctx):
    """As someone who can write the database directly (on PostgreSQL: the table's owner)."""
    if not ctx.store.is_sqlite:
        ctx.store.db.execute_sql('ALTER TABLE "audit_event" DISABLE TRIGGER USER')
    try:
        yield
    finally:
        if not ctx.store.is_sqlite:
            ctx.store.db.execute_sql('ALTER TABLE "audit_event" ENABLE TRIGGER USER')


def _checkpoint(ctx) -> audit_checkpoint.Outcome:
    outcome = audit_checkpoint.verify_and_checkpoint(ctx)
    assert outcome.result.ok, outcome.result.problems
    return outcome


def test_events_carry_time_kiosk_actor_action_target_outcome(any_ctx):
    _events(any_ctx)
    event = AuditEvent.select().where(AuditEvent.action == "key.revoke").get()
    assert event.at.endswith("+00:00")
    assert event.kiosk_id == "front-desk-1"
    assert event.actor == f"system:cli:{OS_USER}"  # the operating-system user behind the CLI
    assert event.target == "G-1002" and event.outcome == "ok"
    assert event.keyed
    result = audit.verify(any_ctx)
    assert result.ok and result.count == AuditEvent.select().count()


def test_a_command_over_ssh_records_where_it_came_from(ctx, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.9 52144 10.0.0.5 22")
    monkeypatch.setenv("USER", "someone-else")  # the real uid decides, not the environment
    activation.issue_key(ctx, SYSTEM, "G-1001")
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert event.actor == f"system:cli:{OS_USER}"
    assert json.loads(event.detail)["ssh_connection"] == "203.0.113.9 52144 10.0.0.5 22"


def test_untrusted_text_is_kept_escaped(ctx):
    with ctx.store.write():
        audit.record(ctx, "parent:x\x1b]0;owned\x07", "signin", target="\u202eevil",
                     detail={"typed": "a\u202eb\x9b"})  # fmt: skip
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert "\x1b" not in event.actor and "\u202e" not in event.target
    assert event.actor == "parent:x\\u001b]0;owned\\u0007"
    assert json.loads(event.detail) == {"typed": "a\u202eb\x9b"}  # lossless for an auditor
    assert audit.verify(ctx).ok


def test_an_edited_event_is_detected(any_ctx):
    _events(any_ctx)
    victim = AuditEvent.select().where(AuditEvent.action == "key.revoke").get()
    with tampering(any_ctx):
        AuditEvent.update(outcome="none").where(AuditEvent.id == victim.id).execute()
    result = audit.verify(any_ctx)
    assert not result.ok
    assert any(f"event {victim.id}" in p and "edited" in p for p in result.problems)


def test_a_deleted_event_is_detected(any_ctx):
    _events(any_ctx)
    victim = AuditEvent.select().order_by(AuditEvent.id.desc()).offset(1).first()
    with tampering(any_ctx):
        AuditEvent.delete().where(AuditEvent.id == victim.id).execute()
    result = audit.verify(any_ctx)
    assert not result.ok
    assert any("deleted or changed" in p for p in result.problems)


def _recompute(ctx, digest) -> None:
    """Rewrite every hash so the chain links up again (what an editor with SQL access does)."""
    prev = audit.GENESIS
    for event in AuditEvent.select().order_by(AuditEvent.id):
        fields = (event.at, event.kiosk_id, event.actor, event.action, event.target,
                  event.outcome, event.detail)  # fmt: skip
        new = digest(json.dumps([prev, *fields], ensure_ascii=False, separators=(",", ":")))
        AuditEvent.update(prev_hash=prev, hash=new).where(AuditEvent.id == event.id).execute()
        prev = new


def test_edit_and_recompute_is_detected_without_the_secret(any_ctx):
    _events(any_ctx)
    victim = AuditEvent.select().where(AuditEvent.action == "key.revoke").get()
    with tampering(any_ctx):
        AuditEvent.update(actor="staff:someone-else").where(AuditEvent.id == victim.id).execute()
        _recompute(any_ctx, lambda text: hashlib.sha256(text.encode()).hexdigest())
    result = audit.verify(any_ctx)
    assert not result.ok and any("edited" in p for p in result.problems)


def test_cutting_the_tail_is_caught_by_the_checkpoint(any_ctx):
    _events(any_ctx)
    before = _checkpoint(any_ctx)
    newest = [e.id for e in AuditEvent.select().order_by(AuditEvent.id.desc()).limit(2)]
    with tampering(any_ctx):
        AuditEvent.delete().where(AuditEvent.id.in_(newest)).execute()
    assert audit.verify(any_ctx).ok  # the shorter chain alone is consistent ...
    outcome = audit_checkpoint.verify_and_checkpoint(any_ctx)
    assert not outcome.result.ok  # ... the checkpoint knows it was longer
    assert any(
        f"a signed checkpoint saw {before.result.count}" in p and "deleted from the end" in p
        for p in outcome.result.problems
    )
    assert outcome.written is None  # the evidence is kept
    assert audit_checkpoint.read(any_ctx).count == before.result.count


def test_an_emptied_log_is_not_intact(any_ctx):
    _events(any_ctx)
    _checkpoint(any_ctx)
    with tampering(any_ctx):
        AuditEvent.delete().execute()
    outcome = audit_checkpoint.verify_and_checkpoint(any_ctx)
    assert not outcome.result.ok and outcome.result.count == 0


def test_a_rewritten_log_of_the_same_length_is_caught(any_ctx):
    _events(any_ctx)
    _checkpoint(any_ctx)
    with tampering(any_ctx):
        # Even with the right key, replacing the whole history changes the checkpointed head.
        AuditEvent.update(target="G-9999").where(AuditEvent.action == "key.issue").execute()
        key = audit.chain_key(any_ctx)
        import hmac

        _recompute(any_ctx, lambda text: hmac.new(key, text.encode(), "sha256").hexdigest())
    outcome = audit_checkpoint.verify_and_checkpoint(any_ctx)
    assert not outcome.result.ok
    assert any("differs from the signed checkpoint" in p for p in outcome.result.problems)


def test_a_forged_checkpoint_is_refused(ctx):
    _events(ctx)
    where = _checkpoint(ctx).written
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    data = json.loads(where.read_text())
    data["count"] = 1  # to hide a truncation
    where.write_text(json.dumps(data))
    with pytest.raises(KioskError, match="not signed with this district's secret"):
        audit_checkpoint.verify_and_checkpoint(ctx)


def test_a_different_secret_fails_verification(ctx, tmp_path):
    _events(ctx)
    (tmp_path / "kiosk.secret").write_text("f" * 64)
    result = audit.verify(ctx)
    assert not result.ok and "without this district's secret" in result.problems[0]


def test_events_from_before_the_key_are_anchored_by_the_first_keyed_event(any_ctx):
    db = any_ctx.store.db
    with tampering(any_ctx):
        AuditEvent.delete().execute()
        # Three events as schema 5 wrote them: plain SHA-256, not keyed.
        prev = audit.GENESIS
        for n in range(3):
            fields = [f"2026-01-0{n + 1}T00:00:00+00:00", "k", "system:cli", "old", f"T{n}",
                      "ok", "{}"]  # fmt: skip
            digest = audit._digest(None, prev, *fields)
            AuditEvent.create(**dict(zip(["at", "kiosk_id", "actor", "action", "target",
                                          "outcome", "detail"], fields, strict=True)),
                              prev_hash=prev, hash=digest, keyed=False)  # fmt: skip
            prev = digest
    with any_ctx.store.write():
        audit.record(any_ctx, SYSTEM, "key.issue", target="G-1001")
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions == ["old", "old", "old", audit.SEGMENT_ACTION, "key.issue"]
    result = audit.verify(any_ctx)
    assert result.ok and result.legacy == 3 and result.count == 5
    with tampering(any_ctx):  # rewrite the old, unkeyed part consistently
        AuditEvent.update(target="T-forged").where(AuditEvent.target == "T1").execute()
        legacy = AuditEvent.select().where(~AuditEvent.keyed).order_by(AuditEvent.id)
        prev = audit.GENESIS
        for event in legacy:
            fields = (event.at, event.kiosk_id, event.actor, event.action, event.target,
                      event.outcome, event.detail)  # fmt: skip
            new = audit._digest(None, prev, *fields)
            AuditEvent.update(prev_hash=prev, hash=new).where(AuditEvent.id == event.id).execute()
            prev = new
    result = audit.verify(any_ctx)
    assert not result.ok
    assert db is any_ctx.store.db


def test_postgresql_refuses_to_change_or_delete_events(backend, any_ctx):
    if backend == "sqlite":
        pytest.skip("SQLite has no roles; the chain and the checkpoint protect it")
    _events(any_ctx)
    for change in (
        lambda: AuditEvent.update(outcome="none").execute(),
        lambda: AuditEvent.delete().execute(),
        lambda: any_ctx.store.db.execute_sql('TRUNCATE "audit_event"'),
    ):
        with pytest.raises(DatabaseError, match="append-only"), any_ctx.store.write():
            change()
    assert audit.verify(any_ctx).ok


def test_cli_verify_writes_a_checkpoint_and_catches_truncation(ctx, tmp_path):
    _events(ctx)
    config = tmp_path / "cli.toml"
    config.write_text(f'[database]\nurl = "{ctx.store.db.database}"\n')
    runner = CliRunner()
    ok = runner.invoke(main, ["--config", str(config), "audit", "verify"])
    assert ok.exit_code == 0 and "intact" in ok.output and "Checkpoint written" in ok.output
    assert (tmp_path / "kiosk.audit-checkpoint").exists()
    cron = runner.invoke(main, ["--config", str(config), "audit", "checkpoint"])
    assert cron.exit_code == 0 and cron.output == ""
    AuditEvent.delete().where(AuditEvent.id == AuditEvent.select().count()).execute()
    bad = runner.invoke(main, ["--config", str(config), "audit", "verify"])
    assert bad.exit_code == 1 and "TAMPERED" in bad.output and "deleted from the end" in bad.output
    cron_bad = runner.invoke(main, ["--config", str(config), "audit", "checkpoint"])
    assert cron_bad.exit_code == 1 and "TAMPERED" in cron_bad.output


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
