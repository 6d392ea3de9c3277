"""Forgot password and forgot username: the same answer whether or not anything matched.

A reset needs the single-use code mailed to the verified recovery address plus, when the parent
set them, the picture challenge (pick the 8 liked pictures out of the 16). Wrong picks count as
failed sign-in attempts; asking for a code never does, so nobody can be locked out by requests.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk import audit
from kiosk.context import Context
from kiosk.errors import Message, ValidationError, message
from kiosk.mail import DiscardingMailer
from kiosk.passwords import normalize_username
from kiosk.services import credentials, outgoing, parent_mail, ratelimit, throttle
from kiosk.services.accounts import (
    _new_password_problems,
    check_email_code,
    issue_email_code,
    spend_email_codes,
)
from kiosk.services.outgoing import Audited
from kiosk.store.models import PortalAccount, SecurityPreferences
from kiosk.text import fold

#: Reset codes one account may be sent, and one kiosk may send, per hour. With codes lasting
#: ``email_code_minutes`` (at most 30), at most this many of an account's codes are live at once.
CODES_PER_ACCOUNT = ratelimit.Limit("recovery.code.account", count=3, window_seconds=3600)
CODES_PER_KIOSK = ratelimit.Limit("recovery.code.kiosk", count=30, window_seconds=3600)


def _matching(identifier: str) -> list[PortalAccount]:
    ident = fold(identifier or "")
    if not ident:
        return []
    if "@" in ident:
        return list(
            PortalAccount.select().where(
                PortalAccount.recovery_email_norm == ident, PortalAccount.recovery_email_verified
            )
        )
    account = PortalAccount.get_or_none(PortalAccount.username_norm == normalize_username(ident))
    return [account] if account else []


def _within_limits(ctx: Context, accounts: list[PortalAccount]) -> list[PortalAccount]:
    """The accounts that may get another code now: every request counts against this kiosk,
    and each matched account against its own limit (the answer never says which)."""
    if not ratelimit.hit(ctx, CODES_PER_KIOSK, ctx.kiosk_id).allowed:
        return []
    return [a for a in accounts if ratelimit.hit(ctx, CODES_PER_ACCOUNT, str(a.id)).allowed]


def request_password_reset(ctx: Context, identifier: str) -> Message:
    """Send a reset code to the recovery email of the account named by username or email.

    Rate limited per account and per kiosk with the same answer; a refused request sends
    nothing and leaves the codes already sent working.
    """
    with ctx.store.read():
        matched = [
            a
            for a in _matching(identifier)
            if a.enabled and a.recovery_email and a.recovery_email_verified
        ]
    accounts = _within_limits(ctx, matched)
    sent = []
    with ctx.store.write():
        for account in accounts:
            code = issue_email_code(
                ctx, account, "reset_password", account.recovery_email, replace=False
            )
            sent.append((account.recovery_email, code))
        for account in matched:
            if account not in accounts:
                audit.record(
                    ctx,
                    "parent:anonymous",
                    "recovery.code_sent",
                    outcome="rate_limited",
                    target=account.guardian.sourced_id,
                )
        if not accounts:
            ctx.hasher.hash("equal time")  # the same argon2 work as a real code
        if not matched:
            audit.record(ctx, "parent:anonymous", "recovery.code_sent", outcome="no_match")
    if not accounts:
        parent_mail.code_email(ctx, "00000000", "reset")  # the same composing as a real code
    for (email, code), account in zip(sent, accounts, strict=True):
        what = Audited("parent:anonymous", "recovery.code_sent", account.guardian.sourced_id)
        parent_mail.send_code(ctx, email, code, "reset", what, quietly=True)
    return message("reset_code_sent", minutes=ctx.config.security.email_code_minutes)


@dataclass(frozen=True)
class ResetChallenge:
    """What the parent must answer next: the 16 pictures, or none if they never chose any."""

    pictures: tuple[str, ...]


def _find_code(ctx: Context, identifier: str, code: str) -> tuple[PortalAccount | None, object]:
    last_error: ValidationError | None = None
    for account in _matching(identifier):
        try:
            return account, check_email_code(ctx, account, "reset_password", code)
        except ValidationError as exc:
            last_error = exc
    return None, last_error


def check_reset_code(ctx: Context, identifier: str, code: str) -> ResetChallenge:
    with ctx.store.write():
        account, _row = _find_code(ctx, identifier, code)
        if account is not None:
            prefs = SecurityPreferences.get_or_none(SecurityPreferences.account == account)
            return ResetChallenge(tuple(prefs.pictures.split(",")) if prefs else ())
    raise ValidationError("code")


def finish_password_reset(
    ctx: Context, identifier: str, code: str, liked: list[str], new: str, again: str
) -> str:
    """Set the new password; ends every session and emails a notice. Returns the username."""
    error: Exception | None = None
    with ctx.store.write():
        account, row = _find_code(ctx, identifier, code)
        if account is None:
            error = ValidationError("code")
        else:
            prefs = SecurityPreferences.get_or_none(SecurityPreferences.account == account)
            if prefs is not None and not ctx.hasher.verify(
                prefs.liked_hash, ",".join(sorted(set(liked or [])))
            ):
                now = ctx.clock.now()
                credentials.count_failure(account, ctx, now)
                row.attempts += 1
                row.save()
                locked = throttle.is_locked(account.locked_until, now)
                audit.record(
                    ctx,
                    "parent:anonymous",
                    "recovery.pictures",
                    outcome="locked" if locked else "failed",
                    target=account.guardian.sourced_id,
                )
                error = ValidationError("pictures")
    if error is not None:
        raise error
    _new_password_problems(ctx, account, new, again)
    new_hash = ctx.hasher.hash(new)
    with ctx.store.write():
        account = PortalAccount.get_by_id(account.id)
        row = check_email_code(ctx, account, "reset_password", code)
        spend_email_codes(ctx, account, "reset_password")
        credentials.set_password(account, new_hash)
        audit.record(
            ctx,
            f"parent:{account.username}",
            "recovery.password_reset",
            target=account.guardian.sourced_id,
        )
    parent_mail.notify(ctx, account.recovery_email, "password_reset")
    return account.username


def _usernames_at(email: str) -> list[tuple[str, str]]:
    """(username, recovery address) of the enabled accounts with this verified address, as
    plain tuples: building model rows made a match about 50 µs slower than a miss."""
    ident = fold(email or "")
    if "@" not in ident:
        return []
    return list(
        PortalAccount.select(PortalAccount.username, PortalAccount.recovery_email)
        .where(
            PortalAccount.recovery_email_norm == ident,
            PortalAccount.recovery_email_verified,
            PortalAccount.enabled,
        )
        .tuples()
    )


def forgot_username(ctx: Context, email: str) -> Message:
    """Email the usernames whose verified recovery address this is.

    The same answer, and the same work before it, whether or not the address matched: the
    email is handed to the background sender last, so its composing and writing never
    delays the answer (that had made a match about 3 ms slower).
    """
    with ctx.store.read():
        accounts = _usernames_at(email)
    letter = parent_mail.username_email(ctx, [username for username, _ in accounts])
    subject, body = letter.subject, letter.body
    # Either way the email and its audit event are handed to the mail thread, so a match and
    # a miss do the same work before the answer; the event says what happened to the email.
    what = Audited("parent:anonymous", "recovery.username")
    if accounts:
        outgoing.send_quietly(ctx, accounts[0][1], subject, body, what)
    else:
        nowhere = DiscardingMailer(ctx.config.mail.from_address)
        outgoing.send_quietly(ctx, "", subject, body, what, mailer=nowhere, outcome="no_match")
    return message("username_sent")
