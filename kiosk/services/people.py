"""Finding guardians and students, as staff type, and the guardian card staff work from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kiosk.auth import Actor
from kiosk.clock import parse
from kiosk.context import Context
from kiosk.errors import PermissionDenied
from kiosk.services.access import (
    can_serve_school,
    guardian_by_id,
    require_guardian_access,
    require_staff,
    student_by_id,
)
from kiosk.services.activation import account_state, live_key
from kiosk.services.desk_problems import Problem, card_problems
from kiosk.services.households import guardian_links
from kiosk.store import search_index
from kiosk.store.models import (
    Guardian,
    PortalAccount,
    Relationship,
)


@dataclass(frozen=True)
class SearchHit:
    kind: str  # guardian | student
    id: str  # sourcedId
    name: str
    school: str
    detail: str


def search(ctx: Context, actor: Actor, text: str, limit: int = 25) -> list[SearchHit]:
    """Guardians by name, phone or email; students by name or student number.

    Each typed word must start a word of the person's name (or their number, phone, email);
    the words are looked up in the prefix index, so this stays fast for a whole district.
    Staff see students of the schools they serve and guardians of those students; a district
    admin sees every active record.
    """
    require_staff(actor)
    tokens = search_index.query_tokens(text)
    if not tokens:
        return []
    db = ctx.store.db
    schools = None if actor.is_admin else actor.school_ids
    hits: list[SearchHit] = []
    with ctx.store.read():
        students = search_index.find(
            db, search_index.STUDENT, tokens, limit=limit, school_ids=schools
        )
        guardians = search_index.find(
            db, search_index.GUARDIAN, tokens, limit=limit, school_ids=schools
        )
        kids_of: dict[int, list[tuple[str, str]]] = {}
        guardian_ids = [g[0] for g in guardians]
        for gid, given, school in search_index.guardian_students(db, guardian_ids):
            kids_of.setdefault(gid, []).append((given, school))
    for _id, sourced_id, given, family, number, grade, school in sorted(
        students, key=lambda s: (s[3].casefold(), s[2].casefold(), s[0])
    ):
        hits.append(
            SearchHit(
                "student", sourced_id, f"{given} {family}", school, f"#{number} · grade {grade}"
            )
        )
    for gid, sourced_id, given, family, phone in sorted(
        guardians, key=lambda g: (g[3].casefold(), g[2].casefold(), g[0])
    ):
        kids = kids_of.get(gid, [])
        names = ", ".join(k[0] for k in kids[:4])
        schools_shown = ", ".join(sorted({k[1] for k in kids}))
        hits.append(
            SearchHit(
                "guardian",
                sourced_id,
                f"{given} {family}",
                schools_shown,
                f"{phone} · students: {names}",
            )
        )
    return hits


@dataclass(frozen=True)
class StudentLink:
    student_id: str
    name: str
    school: str
    grade: str
    is_guardian: bool
    portal_access: bool
    custody_restriction: bool
    eligible: bool  # may be chosen for a portal request


@dataclass(frozen=True)
class GuardianCard:
    guardian_id: str
    name: str
    phone: str
    email: str
    address: str
    students: list[StudentLink]
    account_username: str | None
    account_state: str | None
    key_expires_at: dt.datetime | None  # a live, unredeemed key
    problems: tuple[Problem, ...] = ()  # the common issues, named before any sub-screen


def guardian_card(ctx: Context, actor: Actor, guardian_id: str) -> GuardianCard:
    require_staff(actor)
    now = ctx.clock.now()
    with ctx.store.read():
        g = guardian_by_id(guardian_id)
        require_guardian_access(ctx, actor, g)
        links = guardian_links(g)
        students = [
            StudentLink(
                link.student.sourced_id,
                f"{link.student.given_name} {link.student.family_name}",
                link.student.school.name,
                link.student.grade,
                link.is_guardian,
                link.portal_access,
                link.custody_restriction,
                link.is_guardian
                and link.portal_access
                and not link.custody_restriction
                and link.active
                and link.student.active
                and (actor.is_admin or link.student.school_id in actor.school_ids),
            )
            for link in links
        ]
        account = PortalAccount.get_or_none(PortalAccount.guardian == g)
        key = live_key(g, now)
        return GuardianCard(
            g.sourced_id,
            f"{g.given_name} {g.family_name}",
            g.phone,
            g.email,
            g.address,
            students,
            account.username if account else None,
            account_state(account, now) if account else None,
            parse(key.expires_at) if key else None,
            tuple(card_problems(ctx, actor, g, account)),
        )


def student_guardians(ctx: Context, actor: Actor, student_id: str) -> list[SearchHit]:
    """The people recorded as a student's parents or guardians, for staff who found the child
    first. Staff outside the student's school see nothing (``PermissionDenied``)."""
    require_staff(actor)
    with ctx.store.read():
        student = student_by_id(student_id)
        if not can_serve_school(actor, student.school_id):
            raise PermissionDenied("student_not_served")
        links = (
            Relationship.select(Relationship, Guardian)
            .join(Guardian)
            .where(Relationship.student == student)
            .order_by(Guardian.family_name, Guardian.given_name)
        )
        hits = []
        for link in links:
            g = link.guardian
            flags = [link.relation or "parent"]
            if not link.is_guardian:
                flags.append("not a guardian")
            if not link.portal_access:
                flags.append("portal off")
            if link.custody_restriction:
                flags.append("custody restriction")
            hits.append(
                SearchHit(
                    "guardian",
                    g.sourced_id,
                    f"{g.given_name} {g.family_name}",
                    student.school.name,
                    f"{g.phone} · {', '.join(flags)}",
                )
            )
        return hits
