"""Parents' accounts after activation: sign in, first sign-in set-up, account settings."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, replace

from peewee import fn

from kiosk import audit
from kiosk.clock import iso, parse
from kiosk.context import Context
from kiosk.errors import (
    AuthenticationFailed,
    Label,
    PermissionDenied,
    ValidationError,
    message,
    please_fix,
)
from kiosk.passwords import password_problems
from kiosk.pictures import DISLIKED_COUNT, LIKED_COUNT, PICTURE_IDS
from kiosk.services import credentials, parent_mail, throttle
from kiosk.services.activation import context_words
from kiosk.services.outgoing import Audited
from kiosk.store.compiled import Compiled
from kiosk.store.models import EmailCode, PortalAccount, SecurityPreferences
from kiosk.text import check_text, fold

#: What a session must do before anything else.
CHANGE_PASSWORD = "change_password"
RECOVERY_EMAIL = "recovery_email"
PICTURES = "security_preferences"


@dataclass(frozen=True)
class Session:
    """A signed-in parent. ``restricted`` sessions (temporary password) may only set a password."""

    account_id: int
    username: str
    guardian_id: str
    epoch: int
    restricted: bool
    requires: tuple[str, ...]
    may_skip: bool


def requirements(
    *, must_change: bool, email_confirmed: bool, has_pictures: bool, skips: int, allowed: int
) -> tuple[tuple[str, ...], bool]:
    """What an account must do first, and whether it may put that off once more."""
    if must_change:
        return (CHANGE_PASSWORD,), False
    needs = []
    if not email_confirmed:
        needs.append(RECOVERY_EMAIL)
    if not has_pictures:
        needs.append(PICTURES)
    return tuple(needs), bool(needs) and skips < allowed


def _requirements(account: PortalAccount, skips_allowed: int) -> tuple[tuple[str, ...], bool]:
    return requirements(
        must_change=account.must_change_password,
        email_confirmed=bool(account.recovery_email and account.recovery_email_verified),
        has_pictures=SecurityPreferences.select()
        .where(SecurityPreferences.account == account)
        .exists(),
        skips=account.setup_skips,
        allowed=skips_allowed,
    )


def _session(ctx: Context, account: PortalAccount) -> Session:
    requires, may_skip = _requirements(account, ctx.config.security.setup_skips_allowed)
    return Session(
        account.id,
        account.username,
        account.guardian.sourced_id,
        account.session_epoch,
        account.must_change_password,
        requires,
        may_skip,
    )


def sign_in(ctx: Context, username: str, password: str) -> Session:
    """One generic failure for unknown user, wrong password, disabled or locked account."""
    result = credentials.attempt(ctx, "parent", username, password)
    account = result.account
    if account is None:
        credentials.audit_attempt(ctx, "parent:anonymous", "signin", result)
        raise AuthenticationFailed("signin_failed")
    who, target = f"parent:{account.username}", account.guardian.sourced_id
    temp_expiry = parse(account.temporary_password_expires_at)
    if account.must_change_password and temp_expiry and temp_expiry <= ctx.clock.now():
        expired = credentials.Attempt(None, "temporary_expired")
        credentials.audit_attempt(ctx, who, "signin", expired, target=target)
        raise AuthenticationFailed("temporary_expired")
    credentials.audit_attempt(ctx, who, "signin", result, target=target)
    with ctx.store.read():
        return _session(ctx, account)


def _refuse_ended(
    ctx: Context,
    session: Session,
    state: tuple[int, bool, str | None, bool] | None,
    *,
    allow_restricted: bool = False,
) -> None:
    """Refuse a session ended by a reset, disable or lock (or limited to a new password).
    ``state`` is the account's (session epoch, enabled, locked until, must change password)."""
    if state is None:
        raise PermissionDenied("session")
    epoch, enabled, locked_until, must_change = state
    if epoch != session.epoch or not enabled or throttle.is_locked(locked_until, ctx.clock.now()):
        raise PermissionDenied("session")
    if must_change and not allow_restricted:
        raise PermissionDenied("must_change")


def current(ctx: Context, session: Session, *, allow_restricted: bool = False) -> PortalAccount:
    """The session's account, refusing sessions ended by a reset, disable or lock."""
    account = PortalAccount.get_or_none(PortalAccount.id == session.account_id)
    state = None
    if account is not None:
        state = (
            account.session_epoch,
            account.enabled,
            account.locked_until,
            account.must_change_password,
        )
    _refuse_ended(ctx, session, state, allow_restricted=allow_restricted)
    return account  # type: ignore[return-value]  # _refuse_ended refused None


def refresh(ctx: Context, session: Session) -> Session:
    with ctx.store.read():
        return _session(ctx, current(ctx, session, allow_restricted=True))


@dataclass(frozen=True)
class Profile:
    """What account settings show the parent about their own account."""

    username: str
    recovery_email: str  # the verified address, or "" when none is confirmed
    has_pictures: bool


_PICTURES = SecurityPreferences.alias()
#: Whether the account has chosen its pictures, as a column of a query on PortalAccount.
HAS_PICTURES = fn.EXISTS(
    _PICTURES.select(_PICTURES.id).where(_PICTURES.account == PortalAccount.id)
)
#: The columns ``_refuse_ended`` decides on, in its order.
LIVE_COLUMNS = (
    PortalAccount.session_epoch,
    PortalAccount.enabled,
    PortalAccount.locked_until,
    PortalAccount.must_change_password,
)
_PROFILE_COLUMNS = (
    *LIVE_COLUMNS,
    PortalAccount.username,
    PortalAccount.recovery_email,
    PortalAccount.recovery_email_verified,
    HAS_PICTURES,
)
#: Account settings' page in one query compiled once (it is shown after every change).
_PROFILE = Compiled(
    _PROFILE_COLUMNS,
    lambda account_id: PortalAccount.select(*_PROFILE_COLUMNS).where(
        PortalAccount.id == account_id
    ),
)


def profile(ctx: Context, session: Session) -> Profile:
    with ctx.store.query():
        row = _PROFILE.first(session.account_id)
    _refuse_ended(ctx, session, row[:4] if row else None)
    username, email, verified, pictures = row[4:]  # type: ignore[index]
    return Profile(username, email if verified and email else "", bool(pictures))


def _check_password(ctx: Context, account: PortalAccount, password: str) -> None:
    if not credentials.recheck(ctx, account, password):
        raise AuthenticationFailed("current_password_wrong")


def _new_password_problems(ctx: Context, account: PortalAccount, new: str, again: str) -> None:
    g = account.guardian
    words = context_words(
        ctx, account.username, account.recovery_email or "", g.email, g.given_name, g.family_name
    )
    problems = password_problems(new, ctx.config.passwords, context=words)
    if new != again:
        problems.append(message("passwords_differ"))
    if problems:
        raise please_fix(problems)


def change_password(
    ctx: Context, session: Session, current_password: str, new: str, again: str
) -> Session:
    """Needs the current (or temporary) password. Ends other sessions; notifies by email."""
    with ctx.store.read():
        account = current(ctx, session, allow_restricted=True)
    _check_password(ctx, account, current_password)
    _new_password_problems(ctx, account, new, again)
    if credentials.verify(ctx, account, new):
        raise ValidationError("password_unchanged")
    new_hash = ctx.hasher.hash(new)
    with ctx.store.write():
        account = current(ctx, session, allow_restricted=True)
        credentials.set_password(account, new_hash)
        audit.record(
            ctx,
            f"parent:{account.username}",
            "account.password_change",
            target=account.guardian.sourced_id,
        )
        fresh = _session(ctx, account)
    parent_mail.notify(
        ctx,
        account.recovery_email if account.recovery_email_verified else None,
        "password_changed",
    )
    return fresh


# -- recovery email -----------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(value: str, field: str = "Email") -> str:
    email = check_text(value, field, max_length=254, required=True)
    if not _EMAIL.match(email):
        raise ValidationError("email_invalid", field=Label(field))
    return email


def new_code() -> str:
    """An 8-digit one-time code (shown and mailed in two groups of four)."""
    return f"{secrets.randbelow(10**8):08d}"


def issue_email_code(
    ctx: Context, account: PortalAccount, purpose: str, email: str, *, replace: bool = True
) -> str:
    """Create and store (hashed) a code; returns it for mailing. Call inside a write.

    ``replace`` ends the account's earlier codes for ``purpose``. Password-reset codes keep
    them: anyone can ask for a code, and a request the owner did not make must not cancel the
    one the owner is about to type (how many can be live is bounded by the request limit).
    """
    now = ctx.clock.now()
    code = new_code()
    if replace:
        EmailCode.update(used_at=iso(now)).where(
            EmailCode.account == account, EmailCode.purpose == purpose, EmailCode.used_at.is_null()
        ).execute()
    EmailCode.create(
        account=account,
        purpose=purpose,
        email=email,
        code_hash=ctx.hasher.hash(code),
        created_at=iso(now),
        expires_at=iso(now + dt.timedelta(minutes=ctx.config.security.email_code_minutes)),
    )
    return code


def _live_codes(ctx: Context, account: PortalAccount, purpose: str) -> list[EmailCode]:
    return list(
        EmailCode.select()
        .where(
            EmailCode.account == account,
            EmailCode.purpose == purpose,
            EmailCode.used_at.is_null(),
            EmailCode.expires_at > ctx.clock.now_iso(),
        )
        .order_by(EmailCode.id.desc())
    )


def check_email_code(ctx: Context, account: PortalAccount, purpose: str, code: str) -> EmailCode:
    """The live code row that ``code`` matches; counts wrong tries. Call inside a write.

    Wrong tries count against every live code of the account, so several live codes never
    give more than ``email_code_attempts`` guesses.
    """
    cleaned = re.sub(r"[\s-]", "", code or "")
    live = _live_codes(ctx, account, purpose)
    if not live:
        ctx.hasher.verify(None, cleaned)
        raise ValidationError("code_expired")
    allowed = ctx.config.security.email_code_attempts
    if max(row.attempts for row in live) >= allowed:
        raise ValidationError("code_attempts")
    for row in live:
        if ctx.hasher.verify(row.code_hash, cleaned):
            return row
    ids = [row.id for row in live]
    EmailCode.update(attempts=EmailCode.attempts + 1).where(EmailCode.id.in_(ids)).execute()
    left = allowed - max(row.attempts for row in live) - 1
    raise ValidationError("code_wrong", left=left) if left else ValidationError("code_attempts")


def spend_email_codes(ctx: Context, account: PortalAccount, purpose: str) -> None:
    """Every live code of ``purpose`` is used up (one of them just worked). Inside a write."""
    EmailCode.update(used_at=ctx.clock.now_iso()).where(
        EmailCode.account == account, EmailCode.purpose == purpose, EmailCode.used_at.is_null()
    ).execute()


def start_recovery_email(
    ctx: Context, session: Session, email: str, email_again: str, password: str
) -> str:
    """Email a confirmation code to the new recovery address; returns the address."""
    email = check_email(email, "Recovery email")
    if email.casefold() != (email_again or "").strip().casefold():
        raise ValidationError("emails_differ")
    with ctx.store.read():
        account = current(ctx, session)
    _check_password(ctx, account, password)
    with ctx.store.write():
        code = issue_email_code(ctx, account, "verify_email", email)
    what = Audited(f"parent:{account.username}", "email.code_sent", account.guardian.sourced_id)
    parent_mail.send_code(ctx, email, code, "verify", what)
    return email


def confirm_recovery_email(ctx: Context, session: Session, code: str) -> Session:
    error: ValidationError | None = None
    with ctx.store.write():
        account = current(ctx, session)
        try:
            row = check_email_code(ctx, account, "verify_email", code)
        except ValidationError as exc:
            error = exc  # the wrong try is counted: commit, then refuse
        else:
            old = account.recovery_email if account.recovery_email_verified else None
            row.used_at = ctx.clock.now_iso()
            row.save()
            account.recovery_email = row.email
            account.recovery_email_verified = True
            account.recovery_email_norm = fold(row.email)
            account.save()
            audit.record(
                ctx,
                f"parent:{account.username}",
                "account.email_set",
                target=account.guardian.sourced_id,
            )
            fresh = _session(ctx, account)
    if error is not None:
        raise error
    if old and old.casefold() != row.email.casefold():
        parent_mail.notify(ctx, old, "email_changed", email=row.email)
    return fresh


# -- pictures -----------------------------------------------------------------------------------


def _picture_set(liked: list[str], disliked: list[str]) -> tuple[list[str], str]:
    liked_set, disliked_set = set(liked), set(disliked)
    problems = []
    if len(liked_set) != LIKED_COUNT or len(liked) != LIKED_COUNT:
        problems.append(message("pictures_liked_count", n=LIKED_COUNT))
    if len(disliked_set) != DISLIKED_COUNT or len(disliked) != DISLIKED_COUNT:
        problems.append(message("pictures_disliked_count", n=DISLIKED_COUNT))
    if liked_set & disliked_set:
        problems.append(message("pictures_both"))
    if (liked_set | disliked_set) - PICTURE_IDS:
        problems.append(message("pictures_unknown"))
    if problems:
        raise please_fix(problems)
    return sorted(liked_set | disliked_set), ",".join(sorted(liked_set))


def set_pictures(
    ctx: Context,
    session: Session,
    liked: list[str],
    disliked: list[str],
    *,
    password: str | None = None,
) -> Session:
    """Save the 8 liked + 8 disliked pictures. Changing existing ones needs the password."""
    with ctx.store.read():
        account = current(ctx, session)
        existing = SecurityPreferences.get_or_none(SecurityPreferences.account == account)
    shown, liked_key = _picture_set(liked, disliked)
    if existing is not None:
        if password is None:
            raise AuthenticationFailed("password_for_pictures")
        _check_password(ctx, account, password)
    liked_hash = ctx.hasher.hash(liked_key)
    with ctx.store.write():
        account = current(ctx, session)
        SecurityPreferences.delete().where(SecurityPreferences.account == account).execute()
        SecurityPreferences.create(
            account=account,
            pictures=",".join(shown),
            liked_hash=liked_hash,
            updated_at=ctx.clock.now_iso(),
        )
        audit.record(
            ctx,
            f"parent:{account.username}",
            "account.pictures_set",
            outcome="changed" if existing else "ok",
            target=account.guardian.sourced_id,
        )
        fresh = _session(ctx, account)
    if existing is not None:
        parent_mail.notify(
            ctx,
            account.recovery_email if account.recovery_email_verified else None,
            "pictures_changed",
        )
    return fresh


def skip_setup(ctx: Context, session: Session) -> Session:
    """Put off the recovery email and pictures; allowed ``setup_skips_allowed`` times."""
    with ctx.store.write():
        account = current(ctx, session)
        requires, may_skip = _requirements(account, ctx.config.security.setup_skips_allowed)
        if not requires:
            return _session(ctx, account)
        if not may_skip:
            raise PermissionDenied("setup_required")
        account.setup_skips += 1
        account.save()
        audit.record(
            ctx,
            f"parent:{account.username}",
            "account.setup_skipped",
            target=account.guardian.sourced_id,
        )
        return replace(_session(ctx, account), requires=())


def change_recovery_email(
    ctx: Context, session: Session, password: str, email: str, email_again: str
) -> str:
    """Account settings: the same as first set-up; the old address is told on confirmation."""
    return start_recovery_email(ctx, session, email, email_again, password)
