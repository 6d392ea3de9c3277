"""Who may act on whom: staff see only the schools they serve unless they are district admins."""

from __future__ import annotations

import peewee as pw

from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.errors import NotFound, PermissionDenied
from kiosk.store.models import ActivationKey, Guardian, PortalAccount, Relationship, Student


def guardian_by_id(guardian_id: str) -> Guardian:
    guardian = Guardian.get_or_none(Guardian.sourced_id == guardian_id)
    if guardian is None:
        raise NotFound("guardian_unknown", id=guardian_id)
    return guardian


def student_by_id(student_id: str) -> Student:
    student = Student.get_or_none(Student.sourced_id == student_id)
    if student is None:
        raise NotFound("student_unknown", id=student_id)
    return student


def guardian_school_ids(guardian: Guardian) -> set[int]:
    """Schools of the guardian's students; a merged record answers for the one it joined.

    (So staff can still find and act on the disabled account left on a merged record.)
    """
    ids = [guardian.id]
    if getattr(guardian, "merged_into_id", None):
        ids.append(guardian.merged_into_id)
    rows = Student.select(Student.school).join(Relationship).where(Relationship.guardian.in_(ids))
    return {row.school_id for row in rows}


def require_staff(actor: Actor, *roles: str) -> None:
    if actor.kind == "system":
        return
    if actor.kind != "staff":
        raise PermissionDenied("staff_only")
    if roles and actor.role not in roles and actor.role != "district_admin":
        raise PermissionDenied("role_forbidden")


def can_serve_school(actor: Actor, school_id: int) -> bool:
    return actor.is_admin or school_id in actor.school_ids


def require_guardian_access(ctx: Context, actor: Actor, guardian: Guardian) -> None:
    """Front desk and registrars act only for guardians with a student in a school they serve."""
    require_staff(actor)
    if actor.is_admin:
        return
    if not guardian_school_ids(guardian) & set(actor.school_ids):
        raise PermissionDenied("guardian_not_served")


def portal_link() -> pw.Expression:
    """A relationship that lets the guardian see the student in the portal (the rule of
    ``households.visible_students``, as a query condition)."""
    return (
        Relationship.active
        & Relationship.is_guardian
        & Relationship.portal_access
        & ~Relationship.custody_restriction
    )


def unused_key() -> pw.Expression:
    """An activation key neither redeemed nor revoked (it may have expired)."""
    return ActivationKey.redeemed_at.is_null() & ActivationKey.revoked_at.is_null()


def live_key_condition(now_iso: str) -> pw.Expression:
    """An activation key that still works at ``now_iso``: unused and not expired."""
    return unused_key() & (ActivationKey.expires_at > now_iso)


def awaiting_account() -> pw.Expression:
    """An active, unmerged guardian (joined as ``Guardian``) with no portal account yet, who
    may see at least the student joined as ``Student`` (with ``portal_link``)."""
    return (
        portal_link()
        & Student.active
        & Guardian.active
        & Guardian.merged_into.is_null()
        & ~pw.fn.EXISTS(
            PortalAccount.select(PortalAccount.id).where(PortalAccount.guardian == Guardian.id)
        )
    )
