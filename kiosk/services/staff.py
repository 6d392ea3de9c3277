"""Staff: their own accounts and sign-in, and what they do to parents' accounts."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from kiosk import audit
from kiosk.auth import ROLES, Actor
from kiosk.clock import iso, parse
from kiosk.config import PasswordPolicy, UsernamePolicy
from kiosk.context import Context
from kiosk.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
    message,
    please_fix,
)
from kiosk.passwords import normalize_username, password_problems, username_problems
from kiosk.services import credentials
from kiosk.services.access import guardian_by_id, require_guardian_access, require_staff
from kiosk.services.activation import account_state
from kiosk.store import search_index
from kiosk.store.models import (
    Guardian,
    PortalAccount,
    Relationship,
    School,
    StaffSchool,
    StaffUser,
)
from kiosk.text import check_text, fold

#: Staff passwords always follow the NIST default, whatever parents' policy a district sets.
STAFF_PASSWORD_POLICY = PasswordPolicy()
STAFF_USERNAME_POLICY = UsernamePolicy(min_length=2, max_length=64)


#: The guardianship questions of the Henry County document, asked before a phone reset.
GUARDIANSHIP_QUESTIONS = {
    "parent_name": "The parent's full name",
    "student_name": "The student's proper name",
    "mailing_address": "The mailing address",
    "home_phone": "The home phone number",
    "ssn_or_student_id": "The student's SSN, or if not on file, the student ID number",
}
PROOFS = {
    "photo_id": "Photo ID checked in person",
    "guardianship_questions": "Guardianship questions answered",
}

# Unambiguous characters for temporary passwords read aloud or copied by hand.
_TEMP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class StaffInfo:
    username: str
    display_name: str
    role: str
    schools: list[str]
    enabled: bool


def add_staff(
    ctx: Context,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    schools: list[str],
    display_name: str = "",
) -> StaffInfo:
    require_staff(actor, "district_admin")
    username = check_text(username, "Username", max_length=64, required=True)
    display_name = check_text(display_name or username, "Name", max_length=100)
    if role not in ROLES:
        raise ValidationError("role_invalid", roles=", ".join(ROLES))
    problems = [
        message("username_problem", problem=p)
        for p in username_problems(username, STAFF_USERNAME_POLICY)
    ]
    problems += [
        message("password_problem", problem=p)
        for p in password_problems(password, STAFF_PASSWORD_POLICY, context=[username])
    ]
    if problems:
        raise please_fix(problems)
    password_hash = ctx.hasher.hash(password)
    with ctx.store.write():
        if (
            StaffUser.select()
            .where(StaffUser.username_norm == normalize_username(username))
            .exists()
        ):
            raise ValidationError("staff_exists", username=username)
        rows = []
        for code in schools:
            school = School.get_or_none((School.code == code) | (School.sourced_id == code))
            if school is None:
                known = ", ".join(s.code for s in School.select().order_by(School.code))
                raise NotFound("school_unknown", code=code, known=known or "none")
            rows.append(school)
        if role != "district_admin" and not rows:
            raise ValidationError("staff_needs_school")
        staff = StaffUser.create(
            username=username,
            username_norm=normalize_username(username),
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            created_at=ctx.clock.now_iso(),
        )
        for school in rows:
            StaffSchool.create(staff=staff, school=school)
        audit.record(
            ctx,
            actor,
            "staff.add",
            target=username,
            detail={"role": role, "schools": [s.code for s in rows]},
        )
    return StaffInfo(username, display_name, role, [s.code for s in rows], True)


def staff_actor(staff: StaffUser) -> Actor:
    ids = frozenset(link.school_id for link in staff.school_links)
    return Actor(
        kind="staff", name=staff.username, role=staff.role, staff_id=staff.id, school_ids=ids
    )


def staff_sign_in(ctx: Context, username: str, password: str) -> Actor:
    result = credentials.attempt(ctx, "staff", username, password)
    staff = result.account
    who = f"staff:{staff.username}" if staff else "staff:unknown"
    credentials.audit_attempt(ctx, who, "staff.signin", result)
    if staff is None:
        raise AuthenticationFailed("staff_signin_failed")
    with ctx.store.read():
        return staff_actor(staff)


@dataclass(frozen=True)
class Recheck:
    """The answer to a staff password re-check: right, or wrong (and whether that was one
    wrong password too many, so the staff member is now signed out)."""

    ok: bool
    signed_out: bool = False


def verify_staff_password(ctx: Context, actor: Actor, password: str) -> Recheck:
    """Re-check a signed-in staff member's password (leaving the parent side, exiting).

    Counted like a sign-in; after ``recheck_attempts`` wrong passwords in a row (or a lock) the
    answer says to sign the staff member out, so a parent left at the kiosk cannot keep guessing.
    """
    with ctx.store.read():
        staff = StaffUser.get_or_none(StaffUser.id == actor.staff_id)
    if staff is None:
        return Recheck(False, signed_out=True)
    ok = credentials.recheck(ctx, staff, password)
    failures = 0 if ok else credentials.failures(ctx, staff)
    signed_out = not ok and failures >= ctx.config.security.recheck_attempts
    with ctx.store.write():
        outcome = "ok" if ok else ("signed_out" if signed_out else "failed")
        audit.record(ctx, actor, "staff.reauth", outcome=outcome)
    return Recheck(ok, signed_out)


def list_staff(ctx: Context, actor: Actor) -> list[StaffInfo]:
    require_staff(actor, "district_admin")
    with ctx.store.read():
        return [
            StaffInfo(
                s.username,
                s.display_name,
                s.role,
                [link.school.code for link in s.school_links],
                s.enabled,
            )
            for s in StaffUser.select().order_by(StaffUser.username)
        ]


# -- parents' accounts, as staff see them ---------------------------------------------------


@dataclass(frozen=True)
class AccountStatus:
    username: str
    guardian_id: str
    guardian_name: str
    state: str  # active | disabled | locked | temporary password
    enabled: bool
    locked_until: dt.datetime | None
    failed_attempts: int
    last_sign_in_at: dt.datetime | None
    created_at: dt.datetime
    recovery_email: str | None
    recovery_email_verified: bool
    must_change_password: bool


def _status(account: PortalAccount, now: dt.datetime) -> AccountStatus:
    g = account.guardian
    locked = parse(account.locked_until)
    return AccountStatus(
        username=account.username,
        guardian_id=g.sourced_id,
        guardian_name=f"{g.given_name} {g.family_name}",
        state=account_state(account, now),
        enabled=account.enabled,
        locked_until=locked if locked and locked > now else None,
        failed_attempts=account.failed_attempts,
        last_sign_in_at=parse(account.last_sign_in_at),
        created_at=parse(account.created_at),
        recovery_email=account.recovery_email,
        recovery_email_verified=account.recovery_email_verified,
        must_change_password=account.must_change_password,
    )


def _account(ctx: Context, actor: Actor, username: str) -> PortalAccount:
    account = PortalAccount.get_or_none(
        PortalAccount.username_norm == normalize_username(username or "")
    )
    if account is None:
        raise NotFound("account_unknown", username=username)
    require_guardian_access(ctx, actor, account.guardian)
    return account


def account_status(ctx: Context, actor: Actor, username: str) -> AccountStatus:
    require_staff(actor)
    with ctx.store.read():
        return _status(_account(ctx, actor, username), ctx.clock.now())


def account_for_guardian(ctx: Context, actor: Actor, guardian_id: str) -> AccountStatus | None:
    require_staff(actor)
    with ctx.store.read():
        guardian = guardian_by_id(guardian_id)
        require_guardian_access(ctx, actor, guardian)
        account = PortalAccount.get_or_none(PortalAccount.guardian == guardian)
        return _status(account, ctx.clock.now()) if account else None


def find_accounts(ctx: Context, actor: Actor, text: str, limit: int = 20) -> list[AccountStatus]:
    """Accounts by username, guardian name, or a linked student's name or number."""
    require_staff(actor)
    needle = fold(text or "")
    if not needle:
        return []
    now = ctx.clock.now()
    db = ctx.store.db
    tokens = search_index.query_tokens(text)
    with ctx.store.read():
        guardian_ids = set(
            search_index.matching_refs(db, search_index.GUARDIAN, tokens, limit=limit * 3)
        )
        student_ids = search_index.matching_refs(db, search_index.STUDENT, tokens, limit=limit * 3)
        if student_ids:
            guardian_ids.update(
                r.guardian_id
                for r in Relationship.select(Relationship.guardian).where(
                    Relationship.student.in_(student_ids)
                )
            )
        condition = PortalAccount.username_norm.startswith(needle)
        if guardian_ids:
            condition = condition | PortalAccount.guardian.in_(sorted(guardian_ids))
        query = (
            PortalAccount.select(PortalAccount, Guardian)
            .join(Guardian)
            .where(condition)
            .order_by(PortalAccount.username_norm)
            .limit(limit * 3)
        )
        found = []
        for account in query:
            try:
                require_guardian_access(ctx, actor, account.guardian)
            except PermissionDenied:  # out of this staff member's schools
                continue
            found.append(_status(account, now))
            if len(found) >= limit:
                break
        return found


def temporary_password() -> str:
    """Four groups of four unambiguous characters (about 79 bits), easy to read aloud."""
    chars = "".join(secrets.choice(_TEMP_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class TemporaryPassword:
    """Shown once to staff to hand to the parent; never stored or logged in clear."""

    username: str
    password: str
    expires_at: dt.datetime


def reset_password(
    ctx: Context, actor: Actor, username: str, proof: str, answered: list[str] | None = None
) -> TemporaryPassword:
    """Reset to a random temporary password after identity was re-proven.

    ``proof`` is ``photo_id`` or ``guardianship_questions``; with questions, every one must have
    been answered correctly (``answered`` lists their ids).
    """
    require_staff(actor)
    if proof not in PROOFS:
        raise ValidationError("proof_missing")
    answered = sorted(set(answered or []))
    if proof == "guardianship_questions":
        missing = [GUARDIANSHIP_QUESTIONS[q] for q in GUARDIANSHIP_QUESTIONS if q not in answered]
        if missing:
            raise ValidationError("questions_open", missing="; ".join(missing))
    temp = temporary_password()
    temp_hash = ctx.hasher.hash(temp)
    now = ctx.clock.now()
    expires = now + dt.timedelta(hours=ctx.config.security.temporary_password_hours)
    with ctx.store.write():
        account = _account(ctx, actor, username)
        credentials.set_password(account, temp_hash, temporary=True, expires_at=iso(expires))
        audit.record(
            ctx,
            actor,
            "account.reset",
            target=account.guardian.sourced_id,
            detail={
                "username": account.username,
                "proof": proof,
                "questions": answered if proof != "photo_id" else [],
            },
        )
    return TemporaryPassword(account.username, temp, expires)


def _set(
    ctx: Context, actor: Actor, username: str, action: str, **changes: object
) -> AccountStatus:
    require_staff(actor)
    with ctx.store.write():
        account = _account(ctx, actor, username)
        for name, value in changes.items():
            setattr(account, name, value)
        if changes.get("enabled") is False:
            credentials.end_sessions(account)
        if action == "account.unlock":
            credentials.clear_failures(account)
        account.save()
        audit.record(
            ctx,
            actor,
            action,
            target=account.guardian.sourced_id,
            detail={"username": account.username},
        )
        return _status(account, ctx.clock.now())


def enable_account(ctx: Context, actor: Actor, username: str) -> AccountStatus:
    return _set(ctx, actor, username, "account.enable", enabled=True)


def disable_account(ctx: Context, actor: Actor, username: str) -> AccountStatus:
    return _set(ctx, actor, username, "account.disable", enabled=False)


def unlock_account(ctx: Context, actor: Actor, username: str) -> AccountStatus:
    return _set(ctx, actor, username, "account.unlock")


# -- managing staff users (district admins) ---------------------------------------------------


def _staff_user(username: str) -> StaffUser:
    staff = StaffUser.get_or_none(StaffUser.username_norm == normalize_username(username or ""))
    if staff is None:
        raise NotFound("staff_unknown", username=username)
    return staff


def _staff_info(staff: StaffUser) -> StaffInfo:
    return StaffInfo(
        staff.username,
        staff.display_name,
        staff.role,
        [link.school.code for link in staff.school_links],
        staff.enabled,
    )


def set_staff_enabled(ctx: Context, actor: Actor, username: str, enabled: bool) -> StaffInfo:
    """Disable (ends access: sign-in and re-checks fail) or re-enable a staff user."""
    require_staff(actor, "district_admin")
    with ctx.store.write():
        staff = _staff_user(username)
        if not enabled and actor.staff_id is not None and staff.id == actor.staff_id:
            raise ValidationError("disable_self")
        staff.enabled = enabled
        if enabled:
            credentials.clear_failures(staff)
        staff.save()
        audit.record(
            ctx, actor, "staff.enable" if enabled else "staff.disable", target=staff.username
        )
        return _staff_info(staff)


@dataclass(frozen=True)
class StaffReset:
    username: str
    #: The temporary password to hand over once, or None when the admin chose the password.
    temporary_password: str | None


def reset_staff_password(
    ctx: Context, actor: Actor, username: str, new_password: str | None = None
) -> StaffReset:
    """Give a staff user a new password: a random temporary one (must be changed at the next
    sign-in) unless the admin typed one, which must meet the staff password policy."""
    require_staff(actor, "district_admin")
    with ctx.store.read():
        staff = _staff_user(username)
    temporary = new_password is None
    password = temporary_password() if temporary else new_password
    if not temporary:
        problems = password_problems(password, STAFF_PASSWORD_POLICY, context=[staff.username])
        if problems:
            raise please_fix(problems)
    password_hash = ctx.hasher.hash(password)
    with ctx.store.write():
        staff = _staff_user(username)
        credentials.set_password(staff, password_hash, temporary=temporary)
        audit.record(
            ctx, actor, "staff.reset", target=staff.username, detail={"temporary": temporary}
        )
    return StaffReset(staff.username, password if temporary else None)


def staff_must_change_password(ctx: Context, actor: Actor) -> bool:
    """True after a reset to a temporary password, until the staff member sets their own."""
    with ctx.store.read():
        staff = StaffUser.get_or_none(StaffUser.id == actor.staff_id)
        return bool(staff and staff.must_change_password)


def change_staff_password(ctx: Context, actor: Actor, current: str, new: str) -> None:
    """A signed-in staff member replaces their password (needs the current one)."""
    require_staff(actor)
    with ctx.store.read():
        staff = StaffUser.get_or_none(StaffUser.id == actor.staff_id)
    if staff is None or not credentials.recheck(ctx, staff, current):
        raise AuthenticationFailed("staff_current_password_wrong")
    problems = password_problems(new, STAFF_PASSWORD_POLICY, context=[staff.username])
    if problems:
        raise please_fix(problems)
    password_hash = ctx.hasher.hash(new)
    with ctx.store.write():
        credentials.set_password(StaffUser.get_by_id(staff.id), password_hash)
        audit.record(ctx, actor, "staff.password_change", target=staff.username)
