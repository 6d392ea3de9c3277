"""Passwords of parents and staff: sign in with the throttle, re-check, set, end sessions.

The one place a password is verified or set. Every attempt is first counted as a failure under
the write lock, and only then is the password checked (so parallel or repeated submissions
cannot share one allowance); a right password takes the count back to zero. Names that belong to
no account are counted the same way (by a digest of the name), so unknown, wrong, disabled and
locked all take the same path, the same time and get the same answer. The model is described in
docs/SECURITY.md, "Sign-in throttling and lockout".
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import peewee as pw

from kiosk import audit
from kiosk.auth import Actor
from kiosk.clock import iso
from kiosk.context import Context
from kiosk.passwords import normalize_username
from kiosk.services import throttle
from kiosk.store.models import PortalAccount, SignInThrottle, StaffUser

Account = PortalAccount | StaffUser

#: Which table holds each kind of account.
MODELS: dict[str, type[PortalAccount] | type[StaffUser]] = {
    "parent": PortalAccount,
    "staff": StaffUser,
}


@dataclass(frozen=True)
class Attempt:
    """What one password attempt found. ``account`` is set only when the password was right
    and the account may sign in; ``outcome`` is what the audit records."""

    account: Account | None
    outcome: str


def _digest(kind: str, norm: str) -> str:
    return hashlib.sha256(f"{kind}\x00{norm}".encode()).hexdigest()


def _locked_row(ctx: Context, query: pw.ModelSelect) -> pw.Model | None:
    """The row, locked until the write ends (SQLite's write lock already covers it)."""
    return (query if ctx.store.is_sqlite else query.for_update()).first()


def _name_counter(kind: str, norm: str, now: dt.datetime) -> SignInThrottle:
    """The name's own counter row, made if new, in one statement (an upsert, which also locks the
    row on PostgreSQL). Run for every name, an account's too, so both take the same writes."""
    subject = _digest(kind, norm)
    query = (
        SignInThrottle.insert(kind=kind, subject=subject, last_failure_at=iso(now))
        .on_conflict(
            conflict_target=[SignInThrottle.kind, SignInThrottle.subject],
            update={SignInThrottle.kind: SignInThrottle.kind},  # a no-op that returns the row
        )
        .returning(SignInThrottle)
        .objects(SignInThrottle)
    )
    return next(iter(query.execute()))


def count_failure(counter: Account | SignInThrottle, ctx: Context, now: dt.datetime) -> float:
    """Count this attempt as a failure until the password proves otherwise. Returns the delay
    to wait before checking it, or -1 while the counter is locked (nothing is counted then)."""
    policy = ctx.config.security
    if throttle.is_locked(counter.locked_until, now):
        _save_count(counter)  # unchanged, but written: a lock must not answer faster than a count
        return -1.0
    if throttle.forgotten(counter.last_failure_at, policy, now):
        counter.failed_attempts, counter.locked_until = 0, None
    delay = throttle.delay_for(counter.failed_attempts, policy)
    counter.failed_attempts += 1
    counter.last_failure_at = iso(now)
    if counter.failed_attempts >= policy.lockout_threshold:
        counter.locked_until = iso(now + dt.timedelta(minutes=policy.lockout_minutes))
    _save_count(counter)
    return delay


def _save_count(counter: Account | SignInThrottle) -> None:
    """Write the three counting columns only, the same statement for an account as for a name
    (a whole account row is wider and slower to write, which would tell the two apart)."""
    model = type(counter)
    counter.save(only=[model.failed_attempts, model.locked_until, model.last_failure_at])


def clear_failures(counter: Account | SignInThrottle) -> None:
    """Forget the failures (a right password, a staff unlock, a reset). Call inside a write."""
    counter.failed_attempts, counter.locked_until, counter.last_failure_at = 0, None, None


def _reserve(ctx: Context, kind: str, norm: str, now: dt.datetime) -> tuple[int | None, float]:
    """Count the attempt against the account, or against the name's own row when it is no
    account's; either way the same statements run, so the time says nothing about the name."""
    model = MODELS[kind]
    with ctx.store.write():
        counting = (model.id, model.failed_attempts, model.locked_until, model.last_failure_at)
        account = _locked_row(ctx, model.select(*counting).where(model.username_norm == norm))
        SignInThrottle.delete().where(
            SignInThrottle.last_failure_at < iso(throttle.forget_before(ctx.config, now))
        ).execute()  # counters that would be forgotten anyway: keeps the table small
        name_counter = _name_counter(kind, norm, now)
        return (account.id if account else None), count_failure(account or name_counter, ctx, now)


def _wait(ctx: Context, delay: float) -> None:
    if delay > 0:
        ctx.sleep(delay)


def attempt(
    ctx: Context, kind: str, username: str, password: str, *, signing_in: bool = True
) -> Attempt:
    """Check ``username`` and ``password`` of a ``parent`` or ``staff`` account, with the throttle.

    Exactly one argon2 verify and two short writes whatever the case; the caller audits and
    answers. A right password on an account that is enabled and not locked clears the count.
    """
    norm = normalize_username(username or "")
    model = MODELS[kind]
    account_id, delay = _reserve(ctx, kind, norm, ctx.clock.now())
    _wait(ctx, delay)
    # The same narrow queries whether or not the name is an account's; no exception for "none"
    # (peewee's get_or_none builds a DoesNotExist with the SQL text: measurably slower).
    by_id = model.select(model.id, model.password_hash, model.enabled, model.locked_until).where(
        model.id == (account_id or 0)
    )
    with ctx.store.read():
        found = by_id.first()
    ok = ctx.hasher.verify(found.password_hash if found else None, password or "")
    with ctx.store.write():
        found = by_id.first()
        if found is None:
            return Attempt(None, "failed")
        if delay < 0:
            return Attempt(None, "while_locked")
        if not found.enabled:
            return Attempt(None, "disabled")
        if not ok:
            locked = throttle.is_locked(found.locked_until, ctx.clock.now())
            return Attempt(None, "locked" if locked else "failed")
        account = model.get_by_id(found.id)  # the whole row, read only for a right password
        clear_failures(account)
        if signing_in:
            account.last_sign_in_at = ctx.clock.now_iso()
        if ctx.hasher.needs_rehash(account.password_hash):
            account.password_hash = ctx.hasher.hash(password)
        account.save()
        return Attempt(account, "ok")


def verify(ctx: Context, account: Account, password: str) -> bool:
    """Whether ``password`` is the account's, uncounted: only for comparing a new password
    with the current one, never as a check of who is typing (use ``recheck``)."""
    return ctx.hasher.verify(account.password_hash, password or "")


def recheck(ctx: Context, account: Account, password: str) -> bool:
    """The password of a signed-in person again (settings, leaving the parent side): counted
    like a sign-in, so a walk-up guesser meets the same delays and lock."""
    kind = "staff" if isinstance(account, StaffUser) else "parent"
    result = attempt(ctx, kind, account.username, password, signing_in=False)
    return result.account is not None and result.account.id == account.id


def failures(ctx: Context, account: Account) -> int:
    """Failures counted against ``account`` since its last right password (0 once forgotten)."""
    with ctx.store.read():
        fresh = type(account).get_by_id(account.id)
    if throttle.forgotten(fresh.last_failure_at, ctx.config.security, ctx.clock.now()):
        return 0
    return fresh.failed_attempts


def end_sessions(account: Account) -> None:
    """Sign the account out everywhere: sessions carry the epoch they started in."""
    if isinstance(account, PortalAccount):
        account.session_epoch += 1


def set_password(
    account: Account, password_hash: str, *, temporary: bool = False, expires_at: str | None = None
) -> None:
    """The new password (already hashed, outside the write lock) for ``account``; call inside a
    write. A ``temporary`` one must be changed at the next sign-in (a parent's also stops working
    at ``expires_at``). Failures are forgotten and every other session ends."""
    account.password_hash = password_hash
    account.must_change_password = temporary
    if isinstance(account, PortalAccount):
        account.temporary_password_expires_at = expires_at if temporary else None
    clear_failures(account)
    end_sessions(account)
    account.save()


def audit_attempt(ctx: Context, actor: str | Actor, action: str, result: Attempt, **kw) -> None:
    with ctx.store.write():
        audit.record(ctx, actor, action, outcome=result.outcome, **kw)
