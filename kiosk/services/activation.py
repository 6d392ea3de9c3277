"""Portal requests and activation keys: verify, issue, email, revoke, redeem exactly once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee as pw

from kiosk import audit, keys
from kiosk.auth import Actor
from kiosk.clock import iso, parse
from kiosk.context import Context
from kiosk.errors import (
    KeyProblem,
    KioskError,
    Message,
    PermissionDenied,
    ValidationError,
    message,
    please_fix,
)
from kiosk.passwords import normalize_username, password_problems, username_problems
from kiosk.services import outgoing, parent_mail, ratelimit
from kiosk.services.access import (
    can_serve_school,
    guardian_by_id,
    live_key_condition,
    portal_link,
    require_guardian_access,
    require_staff,
    unused_key,
)
from kiosk.services.outgoing import Audited
from kiosk.store.models import (
    ActivationKey,
    Guardian,
    PortalAccount,
    PortalRequest,
    PortalRequestStudent,
    Relationship,
    Student,
)
from kiosk.text import check_text

#: Kinds of photo ID staff may record. Only the kind is kept, never the number.
ID_TYPES = {
    "drivers_license": "Driver's license",
    "state_id": "State ID card",
    "passport": "Passport",
    "military_id": "Military ID",
    "consular_id": "Consular ID (matrícula)",
    "other_government_id": "Other government photo ID",
}


class AlreadyHasAccount(KioskError):
    """The guardian already has an account: staff should look it up, not issue a key."""

    code = "has_account"

    def __init__(self, username: str, status: str) -> None:
        super().__init__("has_account", username=username, status=status)
        self.username = username
        self.status = status


def account_state(account: PortalAccount, now: dt.datetime) -> str:
    if not account.enabled:
        return "disabled"
    locked = parse(account.locked_until)
    if locked and locked > now:
        return "locked"
    if account.must_change_password:
        return "temporary password"
    return "active"


@dataclass(frozen=True)
class VerifiedRequest:
    request_id: int
    guardian_id: str
    guardian_name: str
    student_names: list[str]


@dataclass(frozen=True)
class IssuedKey:
    """A freshly issued key. ``key`` is the only copy in clear: show it, send it, forget it."""

    guardian_id: str
    guardian_name: str
    key: str  # formatted {XXXXXXXX-...}
    link: str  # what the QR code encodes
    expires_at: dt.datetime
    email: str


@dataclass(frozen=True)
class NewAccount:
    account_id: int
    username: str
    guardian_id: str


def _full_name(person: Guardian | Student) -> str:
    return f"{person.given_name} {person.family_name}".strip()


def _existing_account(guardian: Guardian, now: dt.datetime) -> None:
    account = PortalAccount.get_or_none(PortalAccount.guardian == guardian)
    if account is not None:
        raise AlreadyHasAccount(account.username, account_state(account, now))


def verify_request(
    ctx: Context,
    actor: Actor,
    guardian_id: str,
    student_ids: list[str],
    id_type: str,
    signature_witnessed: bool,
) -> VerifiedRequest:
    """Record that staff checked photo ID and watched the request form being signed."""
    require_staff(actor)
    if id_type not in ID_TYPES:
        raise ValidationError("id_type_missing")
    if not signature_witnessed:
        raise ValidationError("signature_missing")
    if not student_ids:
        raise ValidationError("students_missing")
    now = ctx.clock.now()
    with ctx.store.write():
        guardian = guardian_by_id(guardian_id)
        if not guardian.active:
            raise PermissionDenied("guardian_inactive")
        require_guardian_access(ctx, actor, guardian)
        _existing_account(guardian, now)
        students: list[Student] = []
        for sid in student_ids:
            link = (
                Relationship.select(Relationship, Student)
                .join(Student)
                .where(Relationship.guardian == guardian, Student.sourced_id == sid)
                .first()
            )
            if link is None:
                raise PermissionDenied("not_recorded_guardian", student=sid)
            name = _full_name(link.student)
            if not link.is_guardian or not link.active:
                raise PermissionDenied("not_a_guardian", name=name)
            if link.custody_restriction:
                raise PermissionDenied("custody_restriction", name=name)
            if not link.portal_access:
                raise PermissionDenied("portal_access_off", name=name)
            if not can_serve_school(actor, link.student.school_id):
                raise PermissionDenied("named_school_not_served", name=name)
            students.append(link.student)
        request = PortalRequest.create(
            guardian=guardian,
            staff=actor.staff_id,
            staff_name=actor.label,
            id_type=id_type,
            signature_witnessed=True,
            verified_at=iso(now),
            kiosk_id=ctx.kiosk_id,
        )
        PortalRequestStudent.insert_many(
            [{"request": request.id, "student": s.id} for s in students]
        ).execute()
        audit.record(
            ctx,
            actor,
            "request.verify",
            target=guardian.sourced_id,
            detail={"id_type": id_type, "students": [s.sourced_id for s in students]},
        )
    return VerifiedRequest(
        request.id, guardian.sourced_id, _full_name(guardian), [_full_name(s) for s in students]
    )


def issue_key(
    ctx: Context, actor: Actor, guardian_id: str, *, request_id: int | None = None
) -> IssuedKey:
    """Issue the guardian's one live key, revoking any earlier one."""
    require_staff(actor)
    now = ctx.clock.now()
    expires = now + dt.timedelta(days=ctx.config.keys.lifetime_days)
    key = keys.new_key()
    with ctx.store.write():
        guardian = guardian_by_id(guardian_id)
        if not guardian.active:
            raise PermissionDenied("guardian_inactive")
        require_guardian_access(ctx, actor, guardian)
        _existing_account(guardian, now)
        rights = (
            Relationship.select().where(Relationship.guardian == guardian, portal_link()).count()
        )
        if not rights:
            raise PermissionDenied("no_portal_students")
        revoked = (
            ActivationKey.update(revoked_at=iso(now))
            .where(
                ActivationKey.guardian == guardian,
                unused_key(),
            )
            .execute()
        )
        ActivationKey.create(
            guardian=guardian,
            key_hash=keys.hash_key(key),
            created_at=iso(now),
            expires_at=iso(expires),
            issued_by=actor.label,
            request=request_id,
        )
        audit.record(
            ctx,
            actor,
            "key.issue",
            target=guardian.sourced_id,
            detail={"expires_at": iso(expires), "revoked_previous": revoked},
        )
    return IssuedKey(
        guardian.sourced_id,
        _full_name(guardian),
        keys.format_key(key),
        keys.activation_link(ctx.config.activation_url, key),
        expires,
        guardian.email,
    )


def revoke_key(ctx: Context, actor: Actor, guardian_id: str) -> int:
    """Revoke the guardian's live key(s); returns how many were revoked."""
    require_staff(actor)
    now = ctx.clock.now_iso()
    with ctx.store.write():
        guardian = guardian_by_id(guardian_id)
        require_guardian_access(ctx, actor, guardian)
        count = (
            ActivationKey.update(revoked_at=now)
            .where(
                ActivationKey.guardian == guardian,
                unused_key(),
            )
            .execute()
        )
        audit.record(
            ctx,
            actor,
            "key.revoke",
            target=guardian.sourced_id,
            outcome="ok" if count else "none",
            detail={"revoked": count},
        )
    return count


def email_key(ctx: Context, actor: Actor, issued: IssuedKey) -> str:
    """Send a just-issued key to the guardian's email on record; returns the address."""
    require_staff(actor)
    if not issued.email:
        raise ValidationError("no_email_on_record")
    with ctx.store.read():
        live = ActivationKey.get_or_none(ActivationKey.key_hash == keys.hash_key(issued.key))
        if live is None or live.revoked_at or live.redeemed_at:
            raise KeyProblem("key_not_live")
    link = issued.link if ctx.config.activation_url else None
    email = parent_mail.key_email(ctx, issued.guardian_name, issued.key, issued.expires_at, link)
    what = Audited(actor, "key.email", issued.guardian_id)
    outgoing.send(ctx, issued.email, email.subject, email.body, what)
    return issued.email


# -- redeeming --------------------------------------------------------------------------------


def key_problem(state: str) -> KeyProblem:
    """Why a key cannot be used: ``unknown``, ``used``, ``revoked`` or ``expired``."""
    return KeyProblem(state)


def _key_state(row: ActivationKey | None, now: dt.datetime) -> str:
    if row is None:
        return "unknown"
    if row.redeemed_at:
        return "used"
    if row.revoked_at:
        return "revoked"
    if parse(row.expires_at) <= now:
        return "expired"
    return "live"


@dataclass(frozen=True)
class KeyCheck:
    guardian_name: str
    expires_at: dt.datetime


def check_key(ctx: Context, key_text: str) -> KeyCheck:
    """Is this key usable? Raises ``KeyProblem`` with what to do next when it is not."""
    digest = keys.hash_key(key_text)
    with ctx.store.read():
        row = ActivationKey.get_or_none(ActivationKey.key_hash == digest)
        state = _key_state(row, ctx.clock.now())
        if state != "live":
            raise key_problem(state)
        return KeyCheck(row.guardian.given_name, parse(row.expires_at))


class _Abort(Exception):
    def __init__(self, error: KioskError) -> None:
        self.error = error


def context_words(ctx: Context, *extra: str) -> list[str]:
    words = [ctx.config.district.name, *(s.name for s in ctx.config.schools), *extra]
    return [w for w in words if w]


def redeem_key(
    ctx: Context, key_text: str, username: str, password: str, password_again: str
) -> NewAccount:
    """Create the guardian's account from their key. Exactly once, however many kiosks try."""
    digest = keys.hash_key(key_text)  # raises KeyProblem for malformed input
    username = check_text(username, "Username", max_length=128).strip()
    now = ctx.clock.now()
    with ctx.store.read():
        row = ActivationKey.get_or_none(ActivationKey.key_hash == digest)
        state = _key_state(row, now)
        guardian = row.guardian if row else None
    if state != "live":
        with ctx.store.write():
            audit.record(
                ctx,
                "parent:anonymous",
                "key.redeem",
                outcome=state,
                target=guardian.sourced_id if guardian else "",
            )
        raise key_problem(state)
    problems = [
        message("username_problem", problem=p)
        for p in username_problems(username, ctx.config.usernames)
    ]
    words = context_words(ctx, username, guardian.email, guardian.given_name, guardian.family_name)
    problems += [
        message("password_problem", problem=p)
        for p in password_problems(password, ctx.config.passwords, context=words)
    ]
    if password != password_again:
        problems.append(message("password_again_differs"))
    if problems:
        raise please_fix(problems)
    norm = normalize_username(username)
    password_hash = ctx.hasher.hash(password)  # slow: done before taking the write lock
    try:
        with ctx.store.write():
            claimed = (
                ActivationKey.update(redeemed_at=iso(now))
                .where(
                    ActivationKey.id == row.id,
                    live_key_condition(iso(now)),
                )
                .execute()
            )
            if claimed != 1:
                fresh = ActivationKey.get_by_id(row.id)
                raise _Abort(key_problem(_key_state(fresh, ctx.clock.now())))
            if PortalAccount.select().where(PortalAccount.username_norm == norm).exists():
                raise _Abort(ValidationError("username_taken", username=username))
            if PortalAccount.select().where(PortalAccount.guardian == guardian.id).exists():
                raise _Abort(key_problem("used"))
            try:
                with ctx.store.db.atomic():
                    account = PortalAccount.create(
                        guardian=guardian.id,
                        username=username,
                        username_norm=norm,
                        password_hash=password_hash,
                        created_at=iso(now),
                    )
            except pw.IntegrityError:
                raise _Abort(ValidationError("username_taken", username=username)) from None
            ActivationKey.update(account=account).where(ActivationKey.id == row.id).execute()
            audit.record(ctx, f"parent:{username}", "account.create", target=guardian.sourced_id)
    except _Abort as abort:
        raise abort.error from None
    return NewAccount(account.id, username, guardian.sourced_id)


#: Username look-ups allowed per activation key and per kiosk (each one is audited). A parent
#: checks a few names; a script trying a list of names meets the limit quickly.
USERNAME_CHECKS_PER_KEY = ratelimit.Limit("username.check.key", count=20, window_seconds=600)
USERNAME_CHECKS_PER_KIOSK = ratelimit.Limit("username.check.kiosk", count=200, window_seconds=600)


def username_rules(ctx: Context, username: str) -> list[Message]:
    """What the district's username rules say about ``username`` (no look-up: nothing about
    other accounts), for feedback while the parent types."""
    return username_problems(username, ctx.config.usernames)


def username_available(ctx: Context, key_text: str, username: str) -> list[Message]:
    """Problems with a username, including 'taken', for the holder of a valid, live key.

    Without such a key nothing is looked up (usernames cannot be discovered without one);
    look-ups are rate limited per key and per kiosk and audited.
    """
    problems = username_rules(ctx, username)
    if problems:
        return problems
    try:
        digest = keys.hash_key(key_text)
    except KeyProblem:
        return [message("key_first")]
    with ctx.store.read():
        row = ActivationKey.get_or_none(ActivationKey.key_hash == digest)
        if _key_state(row, ctx.clock.now()) != "live":
            return [message("key_first")]
        guardian_id = row.guardian.sourced_id
    allowed = ratelimit.hit(ctx, USERNAME_CHECKS_PER_KIOSK, ctx.kiosk_id).allowed and (
        ratelimit.hit(ctx, USERNAME_CHECKS_PER_KEY, digest).allowed
    )
    taken = False
    with ctx.store.write():
        if allowed:
            norm = normalize_username(username)
            taken = PortalAccount.select().where(PortalAccount.username_norm == norm).exists()
        outcome = ("taken" if taken else "available") if allowed else "rate_limited"
        audit.record(
            ctx, "parent:anonymous", "key.username_check", outcome=outcome, target=guardian_id
        )
    if not allowed:
        return [message("username_check_later")]
    return [message("username_taken_short")] if taken else []


def live_key(guardian: Guardian, now: dt.datetime) -> ActivationKey | None:
    return (
        ActivationKey.select()
        .where(
            ActivationKey.guardian == guardian,
            live_key_condition(iso(now)),
        )
        .first()
    )


def account_from_key(ctx: Context, key_text: str) -> NewAccount | None:
    """The account made with this key (on the parent's own phone, say), or None while the key
    is unused. The desk's key screen asks, so staff can go on to the linked students."""
    digest = keys.hash_key(key_text)
    with ctx.store.read():
        row = ActivationKey.get_or_none(ActivationKey.key_hash == digest)
        if row is None or row.account_id is None:
            return None
        return NewAccount(row.account_id, row.account.username, row.guardian.sourced_id)
