"""Henry County's online key request: prove a student's details, get a key by email.

The parent gives the student number, the student's birth date and the student's SSN (checked
against the keyed hash; see ``kiosk.ssn``) or, where no SSN is on file, the one other fact the
district chose (``[web] request_key_alternative``, from Henry County's guardianship questions:
the guardian's own birth date, home phone or mailing address on record). On a match, each
guardian of that student who may see them in the portal, has no account yet, has an email on
record (and, by the alternative, the same fact) gets their own new key, sent only to that
address. The caller learns nothing: there is no return value, and the web runs this
after it has answered, so the answer's timing does not depend on a match either.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk import audit, ssn
from kiosk.auth import Actor
from kiosk.context import Context, secret_key
from kiosk.errors import KioskError
from kiosk.services import activation, ratelimit
from kiosk.services.access import portal_link
from kiosk.store.models import Guardian, Household, PortalAccount, Relationship, Student
from kiosk.text import digits, fold, name_key

#: Who issues keys asked for online, as the audit log names it.
ONLINE = Actor(kind="system", name="web-key-request", role="district_admin")
#: Tries per student number per hour, from every address together: an SSN cannot be guessed.
PER_STUDENT = ratelimit.Limit("key-request:student", 5, 3600)


def _birth_date(given: str, guardian: Guardian) -> bool:
    return bool(guardian.birth_date) and guardian.birth_date == given.strip()


def _phone_digits(value: str) -> str:
    found = digits(value)
    return found[1:] if len(found) == 11 and found.startswith("1") else found  # +1 (US)


def _home_phone(given: str, guardian: Guardian) -> bool:
    on_file = _phone_digits(guardian.phone_digits or guardian.phone)
    return len(on_file) >= 7 and on_file == _phone_digits(given)


#: Street words written either way on forms and in rosters.
_STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "drive": "dr", "lane": "ln", "court": "ct",
    "boulevard": "blvd", "place": "pl", "circle": "cir", "highway": "hwy", "parkway": "pkwy",
    "north": "n", "south": "s", "east": "e", "west": "w", "apartment": "apt",
}  # fmt: skip


def address_key(value: str) -> str:
    """An address as compared: folded, punctuation dropped, street words abbreviated."""
    words = name_key(value).split()
    return " ".join(_STREET_WORDS.get(word, word) for word in words)


def _mailing_address(given: str, guardian: Guardian) -> bool:
    wanted = address_key(given)
    on_file = [guardian.address] + [
        m.household.address for m in guardian.household_memberships.join(Household)
    ]
    return bool(wanted) and any(a and address_key(a) == wanted for a in on_file)


#: What a district may accept instead of the student's SSN when none is on file.
ALTERNATIVES: dict[str, Callable[[str, Guardian], bool]] = {
    "guardian_birth_date": _birth_date,
    "home_phone": _home_phone,
    "mailing_address": _mailing_address,
}


def _eligible(
    ctx: Context, student: Student, matches: Callable[[Guardian], bool]
) -> list[Guardian]:
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
    return [g for g in query if g.id not in with_account and matches(g)]


def _matching_guardians(
    ctx: Context, student_number: str, birth_date: str, ssn_text: str, alternative: str
) -> list[Guardian]:
    number = (student_number or "").strip()[:64]
    if not number or not birth_date:
        return []
    other = ALTERNATIVES.get(ctx.config.web.request_key_alternative)
    with ctx.store.read():
        students = list(Student.select().where(Student.student_number == number, Student.active))
        for student in students:
            if student.birth_date != birth_date.strip():
                continue
            if student.ssn_hash:
                if ssn.matches(ssn_text, student.ssn_hash, secret_key(ctx.config)):
                    return _eligible(ctx, student, lambda g: True)
            elif other is not None and alternative.strip():
                return _eligible(ctx, student, lambda g: other(alternative, g))
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
