"""Who the signed-in parent is, as a partner may see them, and whether anything may be issued.

Every assertion and token goes through ``subject_for``: a disabled, locked or reset account, a
temporary password or an unfinished first sign-in gets a plain refusal here, before any SAML or
OpenID Connect code runs, whatever the web session says.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from kiosk import audit
from kiosk.context import Context
from kiosk.errors import PermissionDenied
from kiosk.services import throttle
from kiosk.services.households import visible_students
from kiosk.store.models import PortalAccount, SecurityPreferences


@dataclass(frozen=True)
class Subject:
    """What the identity provider knows about one parent; profiles pick from it."""

    account_id: int
    username: str
    name: str
    guardian_id: str
    guardian_email: str
    email: str  # the verified recovery email, or ""
    students: tuple[str, ...]  # roster sourcedIds of the students this account may see
    session_epoch: int


def _setup_unfinished(ctx: Context, account: PortalAccount) -> bool:
    done = (
        account.recovery_email
        and account.recovery_email_verified
        and SecurityPreferences.select().where(SecurityPreferences.account == account).exists()
    )
    return not done and account.setup_skips >= ctx.config.security.setup_skips_allowed


def check_usable(ctx: Context, account: PortalAccount | None, epoch: int | None = None) -> None:
    """Refuse (``PermissionDenied``) an account that may not be vouched for right now."""
    if account is None or (epoch is not None and account.session_epoch != epoch):
        raise PermissionDenied("fed_session_ended")
    if not account.enabled:
        raise PermissionDenied("fed_disabled")
    if throttle.is_locked(account.locked_until, ctx.clock.now()):
        raise PermissionDenied("fed_locked")
    if account.must_change_password:
        raise PermissionDenied("fed_must_change")
    if _setup_unfinished(ctx, account):
        raise PermissionDenied("fed_setup")


def subject_for(ctx: Context, account_id: int, epoch: int | None = None) -> Subject:
    """The parent behind a session, checked usable; call inside a store transaction."""
    account = PortalAccount.get_or_none(PortalAccount.id == account_id)
    check_usable(ctx, account, epoch)
    assert account is not None
    guardian = account.guardian
    verified = account.recovery_email if account.recovery_email_verified else ""
    return Subject(
        account_id=account.id,
        username=account.username,
        name=f"{guardian.given_name} {guardian.family_name}".strip(),
        guardian_id=guardian.sourced_id,
        guardian_email=guardian.email or "",
        email=verified or "",
        students=tuple(s.student_id for s in visible_students(guardian)),
        session_epoch=account.session_epoch,
    )


def pairwise_sub(salt: str, guardian_id: str) -> str:
    """A subject stable per guardian and different for every client (OIDC Core 8.1)."""
    return hmac.new(salt.encode(), guardian_id.encode(), hashlib.sha256).hexdigest()


def guardian_identifier(ctx: Context, subject: Subject) -> str:
    """What the guardian-id profile sends as ``authenticationId`` ([federation] column)."""
    if ctx.config.federation.guardian_id_column == "email":
        if not subject.guardian_email:
            raise PermissionDenied("fed_no_identifier")
        return subject.guardian_email
    return subject.guardian_id


def record_refusal(
    ctx: Context, account_id: int, action: str, partner: str, refusal: PermissionDenied
) -> None:
    """Audit a refused issuance in its own transaction (the refusal itself rolls back)."""
    account = PortalAccount.get_or_none(PortalAccount.id == account_id)
    with ctx.store.write():
        audit.record(
            ctx,
            f"parent:{account.username if account else account_id}",
            action,
            outcome=refusal.code,
            target=account.guardian.sourced_id if account else "",
            detail={"partner": partner},
        )
