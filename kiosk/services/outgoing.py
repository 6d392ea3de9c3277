"""Email that is audited as what happened: sent, or failed.

An event saying a code or a notice went out is written only after the mail server (or the
outbox folder) took the message; when it could not, the same action is recorded with outcome
``failed`` so IT sees it (``kiosk doctor`` lists recent failures). What the person at the
screen is told does not change: forgot-password answers the same either way.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from kiosk import audit
from kiosk.auth import Actor
from kiosk.clock import iso
from kiosk.context import Context
from kiosk.errors import KioskError
from kiosk.mail import Mailer, send_in_background
from kiosk.store.models import AuditEvent

FAILED = "failed"
#: Actions recorded for outgoing mail (what ``recent_failures`` looks at).
MAIL_ACTIONS = (
    "recovery.code_sent",
    "recovery.username",
    "email.code_sent",
    "key.email",
    "mail.notice",
)

log = logging.getLogger("kiosk.mail")


@dataclass(frozen=True)
class Audited:
    """What to record about one message: who caused it, the action and its target."""

    actor: Actor | str
    action: str
    target: str = ""


def _record(ctx: Context, what: Audited, outcome: str) -> None:
    with ctx.store.write():
        audit.record(ctx, what.actor, what.action, target=what.target, outcome=outcome)


def send(ctx: Context, to: str, subject: str, body: str, what: Audited) -> None:
    """Send now; audit the outcome; a failure is raised to the caller after it is recorded."""
    try:
        ctx.mailer.send(to, subject, body)
    except KioskError:
        _record(ctx, what, FAILED)
        raise
    _record(ctx, what, "ok")


def send_quietly(
    ctx: Context, to: str, subject: str, body: str, what: Audited, *,
    mailer: Mailer | None = None, outcome: str = "ok",
) -> None:  # fmt: skip
    """Send in the background (the caller's answer takes the same time either way) and audit
    the outcome there: ``outcome`` when sent, ``failed`` when not. ``mailer`` stands in for
    the configured one (a miss hands its email to a mailer that delivers nothing)."""

    def done(sent: bool) -> None:
        try:
            _record(ctx, what, outcome if sent else FAILED)
        except KioskError:
            log.warning("the outcome of a background email could not be audited")

    if mailer is None:
        ctx.send_quietly(to, subject, body, then=done)
    else:
        ctx.track_mail(send_in_background(mailer, to, subject, body, done))


@dataclass(frozen=True)
class MailFailure:
    at: str
    action: str
    target: str


def recent_failures(ctx: Context, days: int = 7, limit: int = 20) -> list[MailFailure]:
    """Mail that could not be sent in the last ``days`` days, newest first."""
    since = iso(ctx.clock.now() - dt.timedelta(days=days))
    query = (
        AuditEvent.select(AuditEvent.at, AuditEvent.action, AuditEvent.target)
        .where(
            AuditEvent.outcome == FAILED,
            AuditEvent.action.in_(MAIL_ACTIONS),
            AuditEvent.at >= since,
        )
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    )
    with ctx.store.read():
        return [MailFailure(*row) for row in query.tuples()]
