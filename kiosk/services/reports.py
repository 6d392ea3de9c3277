"""Reports district IT and registrars ask for, as typed rows (the CLI prints, the app shows).

Each report is a function ``(ctx, actor, **options) -> list[Row]`` registered in ``REPORTS``
with a one-line description. Staff who are not district admins only see guardians with a
student in a school they serve.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, fields

import peewee as pw

from kiosk.auth import Actor
from kiosk.clock import iso, parse
from kiosk.context import Context
from kiosk.services.access import awaiting_account, live_key_condition, require_staff
from kiosk.services.activation import account_state
from kiosk.store.models import (
    ActivationKey,
    AuditEvent,
    Guardian,
    PortalAccount,
    Relationship,
    School,
    Student,
)


@dataclass(frozen=True)
class GuardianWithoutAccount:
    guardian_id: str
    name: str
    schools: str
    students: int
    has_live_key: bool


@dataclass(frozen=True)
class UnredeemedKey:
    guardian_id: str
    name: str
    issued_at: str
    expires_at: str
    days_left: int
    issued_by: str


@dataclass(frozen=True)
class AccountProblem:
    username: str
    guardian_id: str
    name: str
    state: str  # locked | disabled
    failed_attempts: int
    locked_until: str


@dataclass(frozen=True)
class NoRecoveryEmail:
    username: str
    guardian_id: str
    name: str
    recovery_email: str  # set but not verified, or empty
    setup_skips: int


@dataclass(frozen=True)
class SigninsPerWeek:
    school: str
    week: str  # ISO week, e.g. 2026-W47
    signins: int


def _scope(actor: Actor) -> pw.Expression | None:
    """Guardian ids with a student in a school the actor serves (None: no limit)."""
    if actor.is_admin:
        return None
    return (
        Relationship.select(Relationship.guardian)
        .join(Student)
        .where(Student.school.in_(list(actor.school_ids) or [-1]))
    )


def _limit(query: pw.ModelSelect, actor: Actor, column: pw.Field) -> pw.ModelSelect:
    scope = _scope(actor)
    return query if scope is None else query.where(column.in_(scope))


def _name(given: str, family: str) -> str:
    return f"{given} {family}".strip()


def guardians_without_accounts(ctx: Context, actor: Actor) -> list[GuardianWithoutAccount]:
    require_staff(actor)
    now = iso(ctx.clock.now())
    with ctx.store.read():
        query = (
            Relationship.select(
                Guardian.id,
                Guardian.sourced_id,
                Guardian.given_name,
                Guardian.family_name,
                School.name,
            )
            .join(Guardian)
            .switch(Relationship)
            .join(Student)
            .join(School)
            .where(awaiting_account())
            .order_by(Guardian.family_name, Guardian.given_name, Guardian.sourced_id)
        )
        query = _limit(query, actor, Guardian.id)
        live = set(
            gid
            for (gid,) in ActivationKey.select(ActivationKey.guardian)
            .where(
                live_key_condition(now),
            )
            .tuples()
        )
        rows: dict[int, list] = {}
        for gid, sid, given, family, school in query.tuples().iterator():
            entry = rows.setdefault(gid, [sid, _name(given, family), set(), 0])
            entry[2].add(school)
            entry[3] += 1
    return [
        GuardianWithoutAccount(sid, name, ", ".join(sorted(schools)), count, gid in live)
        for gid, (sid, name, schools, count) in rows.items()
    ]


def unredeemed_keys(
    ctx: Context, actor: Actor, expiring_within: int | None = None
) -> list[UnredeemedKey]:
    """Live keys not yet used; with ``expiring_within``, only those expiring in that many days."""
    require_staff(actor)
    now = ctx.clock.now()
    with ctx.store.read():
        query = (
            ActivationKey.select(ActivationKey, Guardian)
            .join(Guardian)
            .where(
                live_key_condition(iso(now)),
            )
            .order_by(ActivationKey.expires_at, Guardian.sourced_id)
        )
        if expiring_within is not None:
            horizon = now + dt.timedelta(days=expiring_within)
            query = query.where(ActivationKey.expires_at <= iso(horizon))
        query = _limit(query, actor, Guardian.id)
        found = []
        for key in query:
            expires = parse(key.expires_at)
            found.append(
                UnredeemedKey(
                    key.guardian.sourced_id,
                    _name(key.guardian.given_name, key.guardian.family_name),
                    key.created_at[:16].replace("T", " "),
                    key.expires_at[:16].replace("T", " "),
                    (expires - now).days,
                    key.issued_by,
                )
            )
        return found


def _accounts(actor: Actor) -> pw.ModelSelect:
    query = (
        PortalAccount.select(PortalAccount, Guardian)
        .join(Guardian)
        .order_by(PortalAccount.username_norm)
    )
    return _limit(query, actor, Guardian.id)


def locked_and_disabled(ctx: Context, actor: Actor) -> list[AccountProblem]:
    require_staff(actor)
    now = ctx.clock.now()
    with ctx.store.read():
        query = _accounts(actor).where(
            (~PortalAccount.enabled) | (PortalAccount.locked_until > iso(now))
        )
        return [
            AccountProblem(
                a.username,
                a.guardian.sourced_id,
                _name(a.guardian.given_name, a.guardian.family_name),
                account_state(a, now),
                a.failed_attempts,
                (a.locked_until or "")[:16].replace("T", " ") if a.enabled else "",
            )
            for a in query
        ]


def without_recovery_email(ctx: Context, actor: Actor) -> list[NoRecoveryEmail]:
    require_staff(actor)
    with ctx.store.read():
        query = _accounts(actor).where(~PortalAccount.recovery_email_verified)
        return [
            NoRecoveryEmail(
                a.username,
                a.guardian.sourced_id,
                _name(a.guardian.given_name, a.guardian.family_name),
                a.recovery_email or "",
                a.setup_skips,
            )
            for a in query
        ]


def signins_per_school_week(ctx: Context, actor: Actor) -> list[SigninsPerWeek]:
    """Successful parent sign-ins (audit ``signin`` events) per school of the guardian, per ISO
    week. A guardian with children in two schools counts for both."""
    require_staff(actor)
    counts: Counter[tuple[str, str]] = Counter()
    with ctx.store.read():
        schools_of: dict[str, set[str]] = {}
        links = (
            Relationship.select(Guardian.sourced_id, School.name, School.id)
            .join(Guardian)
            .switch(Relationship)
            .join(Student)
            .join(School)
            .tuples()
        )
        for sid, school, school_id in links.iterator():
            if actor.is_admin or school_id in actor.school_ids:
                schools_of.setdefault(sid, set()).add(school)
        events = (
            AuditEvent.select(AuditEvent.at, AuditEvent.target)
            .where(AuditEvent.action == "signin", AuditEvent.outcome == "ok")
            .tuples()
        )
        for at, target in events.iterator():
            when = parse(at)
            year, week, _ = when.isocalendar()
            for school in schools_of.get(target, ()):
                counts[(school, f"{year}-W{week:02d}")] += 1
    return [SigninsPerWeek(s, w, n) for (s, w), n in sorted(counts.items())]


@dataclass(frozen=True)
class Report:
    name: str
    description: str
    run: Callable[..., list]
    row_type: type


REPORTS: dict[str, Report] = {
    r.name: r
    for r in (
        Report(
            "no-account",
            "Guardians who may use the portal but have no account yet.",
            guardians_without_accounts,
            GuardianWithoutAccount,
        ),
        Report(
            "unredeemed-keys",
            "Activation keys issued but not used yet.",
            unredeemed_keys,
            UnredeemedKey,
        ),
        Report(
            "locked-disabled",
            "Portal accounts that are locked or disabled.",
            locked_and_disabled,
            AccountProblem,
        ),
        Report(
            "no-recovery-email",
            "Accounts without a verified recovery email.",
            without_recovery_email,
            NoRecoveryEmail,
        ),
        Report(
            "signins-per-week",
            "Parent sign-ins per school per week (from the audit log).",
            signins_per_school_week,
            SigninsPerWeek,
        ),
    )
}


def columns(report: Report) -> list[str]:
    return [f.name for f in fields(report.row_type)]


#: Fields holding a stored UTC time: shown in the district's time zone, with the date.
TIME_FIELDS = frozenset({"issued_at", "expires_at", "locked_until"})


def readable(report: Report, rows: list, time_zone: str) -> tuple[list[str], list[list[str]]]:
    """Column titles and cells as staff read them: "yes"/"no", local times with the date."""
    from kiosk.clock import local_text

    names = columns(report)

    def cell(name: str, value: object) -> str:
        if isinstance(value, bool):
            return "yes" if value else "no"
        if name in TIME_FIELDS:
            return local_text(value or None, time_zone)  # type: ignore[arg-type]
        return "" if value is None else str(value)

    body = [[cell(n, getattr(row, n)) for n in names] for row in rows]
    return [n.replace("_", " ") for n in names], body
