"""Mail that could not be sent is audited as failed, and ``kiosk doctor`` shows it."""

from __future__ import annotations

import pytest

from kiosk.auth import SYSTEM
from kiosk.mail import MailError
from kiosk.services import activation, recovery
from kiosk.store.models import AuditEvent
from tests.conftest import outbox
from tests.test_cli_admin import invoke


class BrokenMailer:
    """A mail server that is down."""

    def send(self, to: str, subject: str, body: str) -> None:
        raise MailError("Could not send email through 127.0.0.1:25.")


def _last(action: str) -> AuditEvent:
    return AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id.desc())[0]


def test_a_reset_code_that_could_not_be_sent_is_audited_as_failed(any_ctx):
    answer_when_working = recovery.request_password_reset(any_ctx, "alopez")
    outbox(any_ctx)
    assert _last("recovery.code_sent").outcome == "ok"
    any_ctx.mailer = BrokenMailer()
    answer = recovery.request_password_reset(any_ctx, "alopez")
    any_ctx.flush_mail()
    assert answer == answer_when_working  # the parent is told the same thing
    event = _last("recovery.code_sent")
    assert event.outcome == "failed" and event.target == "G-1003"


def test_a_username_reminder_that_could_not_be_sent_is_audited_as_failed(ctx):
    ctx.mailer = BrokenMailer()
    recovery.forgot_username(ctx, "ana.lopez@example.org")
    ctx.flush_mail()
    assert _last("recovery.username").outcome == "failed"


def test_an_emailed_key_that_failed_is_audited_as_failed(ctx):
    issued = activation.issue_key(ctx, SYSTEM, "G-1001")
    ctx.mailer = BrokenMailer()
    with pytest.raises(MailError):
        activation.email_key(ctx, SYSTEM, issued)
    assert _last("key.email").outcome == "failed"


def test_doctor_lists_recent_mail_failures(ctx, tmp_path):
    clean = invoke(ctx, tmp_path, "doctor")
    assert "[ok  ] mail failures: none in the last 7 days" in clean.output, clean.output
    ctx.mailer = BrokenMailer()
    recovery.request_password_reset(ctx, "alopez")
    ctx.flush_mail()
    result = invoke(ctx, tmp_path, "doctor")
    assert result.exit_code == 1
    assert "[FAIL] mail failures: 1 email(s) could not be sent" in result.output
    assert "recovery.code_sent G-1003" in result.output
