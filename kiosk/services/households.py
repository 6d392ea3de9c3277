"""Which students a guardian's account sees, and why any household student is missing.

The seeds' commonest complaint is "I can't see all my children". The answer is always one of: no
relationship on record, the portal flag is off, a custody restriction, or the link sits on a
duplicate record of the same parent. Each is diagnosed here so staff can fix it on the spot.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import peewee as pw

from kiosk import audit
from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import NotFound, PermissionDenied
from kiosk.services.access import (
    can_serve_school,
    guardian_by_id,
    require_guardian_access,
    require_staff,
    student_by_id,
)
from kiosk.store.compiled import Compiled
from kiosk.store.models import (
    Guardian,
    HouseholdGuardian,
    HouseholdStudent,
    Relationship,
    School,
    Student,
)
from kiosk.text import fold, name_key


@dataclass(frozen=True)
class LinkedStudent:
    student_id: str
    name: str
    school: str
    grade: str
    student_number: str


@dataclass(frozen=True)
class MissingStudent:
    """A household student the account cannot see, why, and what fixes it."""

    student_id: str
    name: str
    school: str
    reason: str  # no_relationship | portal_off | custody | duplicate | inactive
    explanation: str
    fix: str
    duplicate_guardian_id: str = ""


def _student_view(student: Student) -> LinkedStudent:
    return LinkedStudent(
        student.sourced_id,
        f"{student.given_name} {student.family_name}",
        student.school.name,
        student.grade,
        student.student_number,
    )


def _visible(link: Relationship) -> bool:
    return (
        link.active
        and link.is_guardian
        and link.portal_access
        and not link.custody_restriction
        and link.student.active
    )


def guardian_links(guardian: Guardian) -> pw.ModelSelect:
    """The guardian's relationships with their students and schools, by student name."""
    return (
        Relationship.select(Relationship, Student, School)
        .join(Student)
        .join(School)
        .where(Relationship.guardian == guardian)
        .order_by(Student.family_name, Student.given_name)
    )


def visible_students(guardian: Guardian) -> list[LinkedStudent]:
    return [_student_view(link.student) for link in guardian_links(guardian) if _visible(link)]


def linked_students(ctx: Context, guardian_id: str) -> list[LinkedStudent]:
    with ctx.store.read():
        return visible_students(guardian_by_id(guardian_id))


def _same_person(a: Guardian, b: Guardian) -> str:
    """Why two person records look like one parent, or '' when they do not."""
    if name_key(f"{a.given_name} {a.family_name}") != name_key(f"{b.given_name} {b.family_name}"):
        return ""
    if a.phone_digits and a.phone_digits == b.phone_digits:
        return "same name and phone"
    if a.email and fold(a.email) == fold(b.email):
        return "same name and email"
    if a.address and fold(a.address) == fold(b.address):
        return "same name and address"
    if a.birth_date and a.birth_date == b.birth_date:
        return "same name and birth date"
    return ""


def diagnose(ctx: Context, actor: Actor, guardian_id: str) -> list[MissingStudent]:
    """Every student in the guardian's households that their account will not show."""
    require_staff(actor)
    with ctx.store.read():
        guardian = guardian_by_id(guardian_id)
        require_guardian_access(ctx, actor, guardian)
        return _diagnose(guardian)


def diagnose_for_parent(ctx: Context, guardian_id: str) -> list[MissingStudent]:
    """The same diagnosis for the signed-in parent themself: reasons without staff detail.

    The other record's ID stays with staff, and a student behind a custody restriction is not
    named (the parent is only told to see the registrar).
    """
    with ctx.store.read():
        found = _diagnose(guardian_by_id(guardian_id))
    return [
        replace(
            m,
            name="" if m.reason == "custody" else m.name,
            explanation="",
            fix="",
            duplicate_guardian_id="",
        )
        for m in found
    ]


#: The parent's students page in two queries compiled once (it is the web's busiest page).
_SHOWN = (
    Student.id,
    Student.sourced_id,
    Student.given_name,
    Student.family_name,
    School.name,
    Student.grade,
    Student.student_number,
)
_VISIBLE = Compiled(
    _SHOWN,
    lambda guardian_id: (
        Student.select(*_SHOWN)
        .join(School)
        .switch(Student)
        .join(Relationship)
        .join(Guardian)
        .where(
            Guardian.sourced_id == guardian_id,
            Relationship.active == True,  # noqa: E712 (SQL, not Python truth)
            Relationship.is_guardian == True,  # noqa: E712
            Relationship.portal_access == True,  # noqa: E712
            Relationship.custody_restriction == False,  # noqa: E712
            Student.active == True,  # noqa: E712
        )
        .order_by(Student.family_name, Student.given_name)
    ),
)
_IN_HOUSEHOLDS = Compiled(
    (HouseholdStudent.student,),
    lambda guardian_id: (
        HouseholdStudent.select(HouseholdStudent.student)
        .join(HouseholdGuardian, on=HouseholdGuardian.household == HouseholdStudent.household)
        .join(Guardian, on=HouseholdGuardian.guardian == Guardian.id)
        .where(Guardian.sourced_id == guardian_id)
    ),
)


def students_for_parent(
    ctx: Context, guardian_id: str
) -> tuple[list[LinkedStudent], list[MissingStudent]]:
    """``linked_students`` and ``diagnose_for_parent`` together, as the parent's page shows
    them; the diagnosis runs only when a household student is not among the visible ones."""
    # Two statements, no transaction: on PostgreSQL (read committed) one would not make them a
    # snapshot anyway, and it would double the round trips. A change between the two at worst
    # runs the full diagnosis below.
    with ctx.store.query():
        rows = _VISIBLE.rows(guardian_id)
        household = {row[0] for row in _IN_HOUSEHOLDS.rows(guardian_id)}
    linked = [
        LinkedStudent(sourced_id, f"{given} {family}", school, grade, number)
        for _, sourced_id, given, family, school, grade, number in rows
    ]
    if household <= {row[0] for row in rows}:
        return linked, []
    return linked, diagnose_for_parent(ctx, guardian_id)


def _diagnose(guardian: Guardian) -> list[MissingStudent]:
    households = HouseholdGuardian.select(HouseholdGuardian.household).where(
        HouseholdGuardian.guardian == guardian
    )
    students = (
        Student.select(Student, School)
        .join(School)
        .switch(Student)
        .join(HouseholdStudent)
        .where(HouseholdStudent.household.in_(households))
        .distinct()
        .order_by(Student.family_name, Student.given_name)
    )
    links = {
        link.student_id: link
        for link in Relationship.select().where(Relationship.guardian == guardian)
    }
    found: list[MissingStudent] = []
    for student in students:
        link = links.get(student.id)
        if link is None or not _visible(link):
            found.append(_why_missing(guardian, student, link))
    return found


def hidden_students(guardian: Guardian) -> list[MissingStudent]:
    """Household students the account cannot see, and linked students outside any household
    it cannot see either (a custody restriction, portal access off), in one list."""
    found = _diagnose(guardian)
    named = {m.student_id for m in found}
    for link in guardian_links(guardian):
        if link.student.sourced_id not in named and not _visible(link):
            found.append(_why_missing(guardian, link.student, link))
    return found


def _why_missing(guardian: Guardian, student: Student, link: Relationship | None) -> MissingStudent:
    """Why the account does not show ``student``, and who can fix it."""
    name = f"{student.given_name} {student.family_name}"

    def missing(reason: str, explanation: str, fix: str, duplicate: str = "") -> MissingStudent:
        return MissingStudent(
            student_id=student.sourced_id,
            name=name,
            school=student.school.name,
            reason=reason,
            explanation=explanation,
            fix=fix,
            duplicate_guardian_id=duplicate,
        )

    if link is None:
        twin = _duplicate_holding(guardian, student)
        if twin is None:
            return missing(
                "no_relationship",
                f"No parent/guardian relationship to {name} is recorded.",
                "Add the relationship after checking guardianship (registrar).",
            )
        other, why = twin
        return missing(
            "duplicate",
            f"The link to {name} is on another record of this parent ({other.sourced_id}: {why}).",
            "Merge the duplicate person records (registrar).",
            other.sourced_id,
        )
    if not student.active or not link.active:
        return missing(
            "inactive",
            f"{name}'s record or link is inactive in the roster.",
            "Check enrollment in the student information system.",
        )
    if link.custody_restriction:
        return missing(
            "custody",
            f"A custody restriction blocks portal access to {name}.",
            "Only the registrar may change this, with the court documents.",
        )
    if not link.is_guardian:
        return missing(
            "no_relationship",
            f"This person is recorded for {name} but not as a guardian.",
            "Mark the relationship as guardian after checking (registrar).",
        )
    return missing(
        "portal_off",
        f"Portal access is turned off for {name}.",
        "Turn portal access on for this relationship (registrar).",
    )


def _duplicate_holding(guardian: Guardian, student: Student) -> tuple[Guardian, str] | None:
    others = (
        Guardian.select()
        .join(Relationship)
        .where(Relationship.student == student, Guardian.id != guardian.id)
    )
    for other in others:
        why = _same_person(guardian, other)
        if why:
            return other, why
    return None


def set_relationship_flags(
    ctx: Context,
    actor: Actor,
    guardian_id: str,
    student_id: str,
    *,
    portal_access: bool | None = None,
    custody_restriction: bool | None = None,
    is_guardian: bool | None = None,
    create: bool = False,
) -> None:
    """Registrar fix: change (or with ``create``, add) a guardian-student relationship."""
    require_staff(actor, "registrar")
    with ctx.store.write():
        guardian = guardian_by_id(guardian_id)
        student = student_by_id(student_id)
        # Adding a link needs only the student's school: the guardian may have no link yet.
        if not create:
            require_guardian_access(ctx, actor, guardian)
        if not can_serve_school(actor, student.school_id):
            raise PermissionDenied("student_school_not_served")
        link = Relationship.get_or_none(
            Relationship.guardian == guardian, Relationship.student == student
        )
        if link is None:
            if not create:
                raise NotFound("no_relationship")
            link = Relationship.create(guardian=guardian, student=student)
        changes = {}
        for name, value in (
            ("portal_access", portal_access),
            ("custody_restriction", custody_restriction),
            ("is_guardian", is_guardian),
        ):
            if value is not None:
                setattr(link, name, value)
                changes[name] = value
        link.save()
        audit.record(
            ctx,
            actor,
            "relationship.create" if create else "relationship.update",
            target=f"{guardian.sourced_id}->{student.sourced_id}",
            detail=changes,
        )
