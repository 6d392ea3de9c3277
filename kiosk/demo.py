"""The demo district: small, deterministic, and full of the hard cases front desks meet.

Fixed IDs (documented in the README) so a walk-through, the tests and the snapshots all find the
same people. Staff and parent demo passwords are public: never use demo data for real families.
"""

from __future__ import annotations

import datetime as dt

from kiosk import audit
from kiosk.auth import SYSTEM
from kiosk.clock import iso
from kiosk.context import Context
from kiosk.passwords import normalize_username
from kiosk.store import search_index
from kiosk.store.models import (
    Guardian,
    Household,
    HouseholdGuardian,
    HouseholdStudent,
    PortalAccount,
    Relationship,
    School,
    SecurityPreferences,
    StaffSchool,
    StaffUser,
    Student,
)
from kiosk.text import digits, fold

STAFF = [
    # username, password, role, schools, display name
    ("desk", "front-desk-demo-pass", "front_desk", ["ES", "MS"], "Dana Desk"),
    ("hsdesk", "high-school-desk-demo", "front_desk", ["HS"], "Harper High"),
    ("registrar", "registrar-demo-pass", "registrar", ["ES", "MS", "HS"], "Rita Registrar"),
    ("admin", "district-admin-demo-pass", "district_admin", [], "Alex Admin"),
]
PARENT_PASSWORD = "blue-river-stone-lamp"
LIKED = ["apple", "bicycle", "cat", "dog", "flower", "moon", "star", "sun"]
DISLIKED = ["anchor", "boat", "cactus", "cloud", "fish", "hat", "rain", "shoe"]

SCHOOLS = [
    ("sch-es", "ES", "Lincoln Elementary"),
    ("sch-ms", "MS", "Roosevelt Middle"),
    ("sch-hs", "HS", "Jefferson High"),
]

# sourcedId, student number, given, family, birth date, grade, school code
STUDENTS = [
    ("S-2001", "100201", "Sofia", "Garcia", "2017-03-14", "3", "ES"),
    ("S-2002", "100202", "Mateo", "Garcia", "2013-09-02", "7", "MS"),
    ("S-2003", "100203", "Lucas", "Lopez", "2016-01-20", "4", "ES"),
    ("S-2004", "100204", "Mia", "Chen", "2012-05-11", "8", "MS"),
    ("S-2005", "100205", "Aarav", "Patel", "2010-11-30", "10", "HS"),
    ("S-2006", "100206", "Emma", "Wilson", "2015-07-07", "5", "ES"),
    ("S-2007", "100207", "Noah", "Wilson", "2013-02-18", "7", "MS"),
    ("S-2008", "100208", "Olivia", "Brown", "2016-10-05", "4", "ES"),
    ("S-2009", "100209", "Ava", "Nguyen", "2014-04-22", "6", "MS"),
    ("S-2010", "100210", "[bold]Liam[/bold]", "O'Neil", "2011-12-01", "9", "HS"),
]

# sourcedId, given, family, email, phone, address
GUARDIANS = [
    ("G-1001", "Maria", "Garcia", "maria.garcia@example.org", "555-0101", "12 Oak St"),
    ("G-1002", "Luis", "Garcia", "luis.garcia@example.org", "555-0102", "12 Oak St"),
    ("G-1003", "Ana", "Lopez", "ana.lopez@example.org", "555-0103", "40 Elm Ave"),
    ("G-1004", "Robert", "Chen", "robert.chen@example.org", "555-0104", "7 Pine Rd"),
    ("G-1005", "Priya", "Patel", "priya.patel@example.org", "555-0105", "88 Birch Ln"),
    ("G-1006", "James", "Wilson", "jwilson@example.org", "555-0106", "5 Cedar Ct"),
    ("G-1007", "James", "Wilson", "", "555-0106", ""),
    ("G-1008", "Kevin", "Brown", "kevin.brown@example.org", "555-0108", "19 Maple Dr"),
    ("G-1009", "Sarah", "Brown", "sarah.brown@example.org", "555-0109", "19 Maple Dr"),
    ("G-1010", "Hoa", "Nguyen", "hoa.nguyen@example.org", "555-0110", "3 Spruce Way"),
    ("G-1011", "Siobhan", "O'Neil", "s.oneil@example.org", "555-0111", "21 Ash Blvd"),
]

# guardian, student, portal_access, custody_restriction
LINKS = [
    ("G-1001", "S-2001", True, False),
    ("G-1001", "S-2002", True, False),
    ("G-1002", "S-2001", True, False),
    ("G-1002", "S-2002", True, False),
    ("G-1003", "S-2003", True, False),
    ("G-1004", "S-2004", True, False),
    ("G-1005", "S-2005", True, False),
    ("G-1006", "S-2006", True, False),
    ("G-1007", "S-2007", True, False),  # the duplicate record of James Wilson holds Noah
    ("G-1008", "S-2008", True, True),  # custody restriction
    ("G-1009", "S-2008", True, False),
    ("G-1010", "S-2009", False, False),  # portal access turned off
    ("G-1011", "S-2010", True, False),
]

# household, name, address, guardians, students
HOUSEHOLDS = [
    ("H-01", "Garcia", "12 Oak St", ["G-1001", "G-1002"], ["S-2001", "S-2002"]),
    ("H-02", "Lopez", "40 Elm Ave", ["G-1003"], ["S-2003"]),
    ("H-03", "Chen", "7 Pine Rd", ["G-1004"], ["S-2004"]),
    ("H-04", "Patel", "88 Birch Ln", ["G-1005"], ["S-2005"]),
    ("H-05", "Wilson", "5 Cedar Ct", ["G-1006"], ["S-2006", "S-2007"]),
    ("H-06", "Brown", "19 Maple Dr", ["G-1008", "G-1009"], ["S-2008"]),
    ("H-07", "Nguyen", "3 Spruce Way", ["G-1010"], ["S-2009"]),
    ("H-08", "O'Neil", "21 Ash Blvd", ["G-1011"], ["S-2010"]),
]

# guardian, username, state
ACCOUNTS = [
    ("G-1003", "alopez", "active"),
    ("G-1004", "rchen", "disabled"),
    ("G-1005", "ppatel", "locked"),
]


def _accounts(ctx: Context, guardians: dict, parent_hash: str, liked_hash: str) -> None:
    """The demo parents' accounts: active, disabled and locked ones, all with pictures."""
    now = ctx.clock.now()
    for g, username, state in ACCOUNTS:
        account = PortalAccount.create(
            guardian=guardians[g],
            username=username,
            username_norm=normalize_username(username),
            password_hash=parent_hash,
            created_at=iso(now - dt.timedelta(days=400)),
            enabled=state != "disabled",
            failed_attempts=ctx.config.security.lockout_threshold if state == "locked" else 0,
            locked_until=iso(now + dt.timedelta(days=3650)) if state == "locked" else None,
            recovery_email=guardians[g].email,
            recovery_email_verified=True,
            recovery_email_norm=fold(guardians[g].email),
            setup_skips=0,
        )
        SecurityPreferences.create(
            account=account,
            pictures=",".join(sorted(LIKED + DISLIKED)),
            liked_hash=liked_hash,
            updated_at=iso(now),
        )


def _staff(schools: dict, staff_hashes: dict[str, str], now: dt.datetime) -> None:
    for username, _password, role, codes, display in STAFF:
        staff = StaffUser.create(
            username=username,
            username_norm=username,
            display_name=display,
            role=role,
            password_hash=staff_hashes[username],
            created_at=iso(now),
        )
        for code in codes:
            StaffSchool.create(staff=staff, school=schools[code])


def load_demo(ctx: Context) -> bool:
    """Fill an empty database with the demo district; returns False if it had data already."""
    with ctx.store.read():
        if Student.select().exists() or StaffUser.select().exists():
            return False
    parent_hash = ctx.hasher.hash(PARENT_PASSWORD)
    liked_hash = ctx.hasher.hash(",".join(sorted(LIKED)))
    staff_hashes = {u: ctx.hasher.hash(p) for u, p, *_ in STAFF}
    now = ctx.clock.now()
    with ctx.store.write():
        schools = {}
        for sid, code, name in SCHOOLS:
            schools[code] = School.get_or_none(School.code == code) or School.create(
                sourced_id=sid, code=code, name=name
            )
        students = {}
        for sid, number, given, family, born, grade, school in STUDENTS:
            students[sid] = Student.create(
                sourced_id=sid,
                student_number=number,
                given_name=given,
                family_name=family,
                search_name=fold(f"{given} {family}"),
                birth_date=born,
                grade=grade,
                school=schools[school],
            )
        guardians = {}
        for sid, given, family, email, phone, address in GUARDIANS:
            guardians[sid] = Guardian.create(
                sourced_id=sid,
                given_name=given,
                family_name=family,
                search_name=fold(f"{given} {family}"),
                email=email,
                phone=phone,
                phone_digits=digits(phone),
                address=address,
            )
        for g, s, portal, custody in LINKS:
            Relationship.create(
                guardian=guardians[g],
                student=students[s],
                portal_access=portal,
                custody_restriction=custody,
                sourced_id=f"{g}:{s}",
            )
        for hid, name, address, gs, ss in HOUSEHOLDS:
            household = Household.create(sourced_id=hid, name=name, address=address)
            for g in gs:
                HouseholdGuardian.create(household=household, guardian=guardians[g])
            for s in ss:
                HouseholdStudent.create(household=household, student=students[s])
        _accounts(ctx, guardians, parent_hash, liked_hash)
        _staff(schools, staff_hashes, now)
        search_index.rebuild(ctx.store.db)
        audit.record(
            ctx,
            SYSTEM,
            "demo.load",
            detail={"students": len(STUDENTS), "guardians": len(GUARDIANS)},
        )
    return True
