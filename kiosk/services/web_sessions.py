"""Parents' web sessions: kept in the database so every ``kiosk serve`` process shares them.

The browser holds a random id; the table holds only its SHA-256 (the id has 256 random bits, so
a fast hash is enough and a stolen table cannot be replayed). A session ends when it is idle too
long, when it is too old, when the parent signs out, or when the account's session epoch moves
(password change or reset, staff reset or disable, a merge). Sign-in always makes a new id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from kiosk import audit
from kiosk.clock import iso, parse
from kiosk.context import Context
from kiosk.services import accounts, throttle
from kiosk.store.compiled import Compiled
from kiosk.store.models import Guardian, PortalAccount, WebSession

#: Seconds between two writes of ``last_seen_at`` for one session (idle time is in minutes, so
#: one write a minute is exact enough and keeps page views from writing on every request).
_TOUCH_EVERY = 60


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class WebSessionState:
    """A live web session: the account's sign-in state and what this session did about set-up."""

    account: accounts.Session
    auth_time: dt.datetime
    setup_deferred: bool

    @property
    def pending(self) -> tuple[str, ...]:
        """What the parent must do before anything else (empty when fully usable)."""
        if self.account.restricted:
            return (accounts.CHANGE_PASSWORD,)
        return () if self.setup_deferred else self.account.requires


def _start(ctx: Context, account_session: accounts.Session) -> str:
    session_id = secrets.token_urlsafe(32)
    now = iso(ctx.clock.now())
    with ctx.store.write():
        WebSession.create(
            id_hash=_digest(session_id),
            account=account_session.account_id,
            epoch=account_session.epoch,
            created_at=now,
            last_seen_at=now,
            auth_time=now,
        )
    return session_id


def sign_in(
    ctx: Context, username: str, password: str, previous: str | None = None
) -> tuple[str, WebSessionState]:
    """Check the password (the account service's throttle, lockout and audit) and start a fresh
    session; any session the browser had before is ended (no session fixation)."""
    if previous:
        end(ctx, previous)
    account_session = accounts.sign_in(ctx, username, password)
    session_id = _start(ctx, account_session)
    return session_id, WebSessionState(account_session, ctx.clock.now(), False)


def start_for_new_account(ctx: Context, account_id: int, previous: str | None = None) -> str:
    """The session of an account just made from an activation key (the key proved who it is)."""
    if previous:
        end(ctx, previous)
    with ctx.store.read():
        account = PortalAccount.get_by_id(account_id)
        epoch = account.session_epoch
    probe = accounts.Session(account_id, account.username, "", epoch, False, (), False)
    return _start(ctx, probe)


#: Everything a page needs about its session, in one query compiled once (this runs before
#: every page: five peewee queries here were half the server's work on a light page).
_SESSION_COLUMNS = (
    WebSession.id,
    WebSession.created_at,
    WebSession.last_seen_at,
    WebSession.auth_time,
    WebSession.setup_deferred,
    WebSession.epoch,
    PortalAccount.id,
    PortalAccount.username,
    *accounts.LIVE_COLUMNS,
    PortalAccount.recovery_email,
    PortalAccount.recovery_email_verified,
    PortalAccount.setup_skips,
    Guardian.sourced_id,
    accounts.HAS_PICTURES,
)
_SESSION = Compiled(
    _SESSION_COLUMNS,
    lambda id_hash: (
        WebSession.select(*_SESSION_COLUMNS)
        .join(PortalAccount)
        .join(Guardian)
        .where(WebSession.id_hash == id_hash)
    ),
)


def load(ctx: Context, session_id: str | None) -> WebSessionState | None:
    """The live session for this id, or None (unknown, ended, idle or too old, epoch moved)."""
    if not session_id or len(session_id) > 128:
        return None
    web = ctx.config.web
    now = ctx.clock.now()
    with ctx.store.query():
        row = _SESSION.first(_digest(session_id))
    if row is None:
        return None
    (row_id, created_at, seen_at, auth_time, deferred, epoch, account_id, username,
     account_epoch, enabled, locked_until, must_change, email, email_verified, skips,
     guardian_id, has_pictures) = row  # fmt: skip
    created, seen = parse(created_at), parse(seen_at)
    if (
        now - seen > dt.timedelta(minutes=web.session_idle_minutes)
        or now - created > dt.timedelta(hours=web.session_absolute_hours)
        or account_epoch != epoch
        or not enabled
        or throttle.is_locked(locked_until, now)
    ):
        with ctx.store.write():
            WebSession.delete().where(WebSession.id == row_id).execute()
        return None
    requires, may_skip = accounts.requirements(
        must_change=must_change,
        email_confirmed=bool(email and email_verified),
        has_pictures=bool(has_pictures),
        skips=skips,
        allowed=ctx.config.security.setup_skips_allowed,
    )
    account = accounts.Session(
        account_id, username, guardian_id, epoch, must_change, requires, may_skip
    )
    if (now - seen).total_seconds() >= _TOUCH_EVERY:
        with ctx.store.write():
            WebSession.update(last_seen_at=iso(now)).where(WebSession.id == row_id).execute()
    return WebSessionState(account, parse(auth_time), bool(deferred))


def end(ctx: Context, session_id: str | None) -> bool:
    """Sign out: the session is deleted, so its cookie is worthless everywhere."""
    if not session_id:
        return False
    with ctx.store.write():
        row = WebSession.get_or_none(WebSession.id_hash == _digest(session_id))
        if row is None:
            return False
        WebSession.delete().where(WebSession.id == row.id).execute()
        account = PortalAccount.get_or_none(PortalAccount.id == row.account_id)
        if account is not None:
            audit.record(
                ctx,
                f"parent:{account.username}",
                "web.sign_out",
                target=account.guardian.sourced_id,
            )
    return True


def renew(ctx: Context, session_id: str, fresh: accounts.Session) -> str:
    """After the parent changed their own password (which ends every session): this browser
    goes on under a new id and the new epoch; every other session stays ended."""
    end(ctx, session_id)
    return _start(ctx, fresh)


def defer_setup(ctx: Context, session_id: str) -> WebSessionState | None:
    """Put off the recovery email and pictures for this session (counted by the account
    service: allowed ``setup_skips_allowed`` times, then required)."""
    state = load(ctx, session_id)
    if state is None:
        return None
    accounts.skip_setup(ctx, state.account)
    with ctx.store.write():
        WebSession.update(setup_deferred=True).where(
            WebSession.id_hash == _digest(session_id)
        ).execute()
    return load(ctx, session_id)


def purge_expired(ctx: Context) -> int:
    """Delete sessions past their idle or absolute lifetime (run on start-up of the web)."""
    web = ctx.config.web
    now = ctx.clock.now()
    idle = iso(now - dt.timedelta(minutes=web.session_idle_minutes))
    old = iso(now - dt.timedelta(hours=web.session_absolute_hours))
    with ctx.store.write():
        return (
            WebSession.delete()
            .where((WebSession.last_seen_at < idle) | (WebSession.created_at < old))
            .execute()
        )
