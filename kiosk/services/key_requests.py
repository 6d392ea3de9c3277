"""Henry County's online key request: prove a student's details, get a key by email.

The parent gives the student number, the student's birth date and the student's SSN (checked
against the keyed hash; see ``kiosk.ssn``) or, where the district configured it and no SSN is on
file, the guardian's own birth date. On a match, each guardian of that student who may see them
in the portal, has no account yet and has an email on record gets their own new key, sent only
to that address. The caller learns nothing: there is no return value, and the web runs this
after it has answered, so the answer's timing does not depend on a match either.
"""

from __future__ import annotations

from kiosk import audit, ssn
from kiosk.auth import Actor
from kiosk.context import Context, secret_key
from kiosk.errors import KioskError
from kiosk.services import activation, ratelimit
from kiosk.services.access import portal_link
from kiosk.store.models import Guardian, PortalAccount, Relationship, Student
from kiosk.text import fold

#: Who issues keys asked for online, as the audit log names it.
ONLINE = Actor(kind="system", name="web-key-request", role="district_admin")
#: Tries per student number per hour, from every address together: an SSN cannot be guessed.
PER_STUDENT = ratelimit.Limit("key-request:student", 5, 3600)


def _eligible(ctx: Context, student: Student, guardian_birth_date: str) -> list[Guardian]:
    query = (
        Guardian.select()
        .join(Relationship)
        .where(
            Relationship.student == student,
            portal_link(),
            Guardian.active,
            Guardian.merged_into.is_null(),
            Guardian.email != "",
        )
    )
    with_account = {a.guardian_id for a in PortalAccount.select(PortalAccount.guardian)}
    found = [g for g in query if g.id not in with_account]
    if guardian_birth_date:
        found = [g for g in found if g.birth_date and g.birth_date == guardian_birth_date]
    return found


def _matching_guardians(
    ctx: Context, student_number: str, birth_date: str, ssn_text: str, alternative: str
) -> list[Guardian]:
    number = (student_number or "").strip()[:64]
    if not number or not birth_date:
        return []
    with ctx.store.read():
        students = list(Student.select().where(Student.student_number == number, Student.active))
        for student in students:
            if student.birth_date != birth_date.strip():
                continue
            if student.ssn_hash:
                if ssn.matches(ssn_text, student.ssn_hash, secret_key(ctx.config)):
                    return _eligible(ctx, student, "")
            elif ctx.config.web.request_key_alternative == "guardian_birth_date" and alternative:
                return _eligible(ctx, student, alternative.strip())
    return []


def request_key(
    ctx: Context, student_number: str, birth_date: str, ssn_text: str, alternative: str = ""
) -> None:
    """Email a new key to each matching guardian; audit what happened, never the answers."""
    if not ratelimit.hit(ctx, PER_STUDENT, fold(student_number or "")[:64]).allowed:
        with ctx.store.write():
            audit.record(ctx, "parent:anonymous", "key.request", outcome="limited")
        return
    guardians = _matching_guardians(ctx, student_number, birth_date, ssn_text, alternative)
    if not guardians:
        with ctx.store.write():
            audit.record(ctx, "parent:anonymous", "key.request", outcome="no_match")
        return
    for guardian in guardians:
        try:
            issued = activation.issue_key(ctx, ONLINE, guardian.sourced_id)
            activation.email_key(ctx, ONLINE, issued)
        except KioskError:
            with ctx.store.write():
                audit.record(
                    ctx, ONLINE, "key.request", outcome="failed", target=guardian.sourced_id
                )
            continue
        with ctx.store.write():
            audit.record(ctx, ONLINE, "key.request", target=guardian.sourced_id)
