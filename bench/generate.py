"""A deterministic synthetic OneRoster 1.1 district, for import tests and the benchmark suite.

``python -m bench.generate OUT_DIR --students N [--seed S]`` writes manifest.csv, orgs.csv,
users.csv, enrollments.csv, demographics.csv, academicSessions.csv, courses.csv and
classes.csv. The same N and seed always give byte-identical files, so a benchmark compares like
with like. Families are built the way rosters look: one to four siblings sharing one or two
parents, and now and then a guardian of one child only (a step-parent or grandparent, some
``relative``): about 2 guardians per student and 1.7 guardian records per student across the
district (100,000 students: about 170,000 guardians), 20 schools, and some separated parents
who share a street address with another family.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

GIVEN = [
    "Maria",
    "Luis",
    "Ana",
    "Robert",
    "Priya",
    "James",
    "Kevin",
    "Sarah",
    "Hoa",
    "Siobhan",
    "Sofia",
    "Mateo",
    "Lucas",
    "Mia",
    "Aarav",
    "Emma",
    "Noah",
    "Olivia",
    "Ava",
    "Liam",
    "Chloe",
    "Ethan",
    "Grace",
    "Omar",
    "Fatima",
    "Yusuf",
    "Leila",
    "Diego",
    "Camila",
    "Elena",
    "Jonas",
    "Ingrid",
    "Kenji",
    "Yuki",
    "Amara",
    "Kwame",
    "Zoe",
    "Hannah",
    "Samuel",
    "Nora",
    "Ivan",
    "Daria",
    "Pedro",
    "Lucia",
    "Tomas",
    "Aisha",
    "Malik",
    "Rosa",
    "Miguel",
    "Wei",
    "Mei",
    "Arjun",
    "Ananya",
    "Bruno",
    "Clara",
]
FAMILY = [
    "Garcia",
    "Lopez",
    "Chen",
    "Patel",
    "Wilson",
    "Brown",
    "Nguyen",
    "O'Neil",
    "Smith",
    "Johnson",
    "Williams",
    "Jones",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Gonzalez",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Harris",
    "Sanchez",
    "Clark",
    "Ramirez",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "Hall",
    "Rivera",
    "Campbell",
    "Mitchell",
    "Carter",
    "Roberts",
    "Kowalski",
    "Müller",
    "Søren",
    "Nakamura",
    "Okafor",
    "Haddad",
    "Ivanova",
]
STREETS = [
    "Oak",
    "Elm",
    "Pine",
    "Birch",
    "Cedar",
    "Maple",
    "Spruce",
    "Ash",
    "Willow",
    "Chestnut",
    "Walnut",
    "Poplar",
]
KINDS = ["St", "Ave", "Rd", "Ln", "Ct", "Dr", "Way", "Blvd"]
DATE = "2026-08-01T00:00:00.000Z"
SCHOOL_YEAR_START = 2026

USER_FIELDS = [
    "sourcedId",
    "status",
    "dateLastModified",
    "enabledUser",
    "orgSourcedIds",
    "role",
    "username",
    "userIds",
    "givenName",
    "familyName",
    "middleName",
    "identifier",
    "email",
    "sms",
    "phone",
    "agentSourcedIds",
    "grades",
    "password",
    "metadata.address",
]


#: Children per family. With 1.7 shared parents per family and ``OWN_GUARDIAN`` this gives
#: about 2 guardians per student and 1.7 guardian records per student (siblings share).
KID_WEIGHTS = (82, 15, 2.5, 0.5)
#: The chance that a child also has a guardian of their own (not shared with siblings).
OWN_GUARDIAN = 0.3


def school_count(students: int) -> int:
    """20 schools from 1,000 students up (the benchmark sizes), fewer for tiny test rosters."""
    return max(3, min(20, students // 50))


def _grade_for(school_index: int, schools: int, rng: random.Random) -> str:
    band = school_index * 3 // schools  # elementary, middle, high
    grades = (["KG", "01", "02", "03", "04", "05"], ["06", "07", "08"], ["09", "10", "11", "12"])
    return rng.choice(grades[band])


def _birth_year(grade: str) -> int:
    level = 0 if grade == "KG" else int(grade)
    return SCHOOL_YEAR_START - 6 - level


def house_numbers(students: int) -> int:
    """House numbers 1..N: 9,999 (unchanged) up to 199,999 students, more above, so families
    share an address by chance as rarely at a million students as at 100,000 (with 9,999, a
    third of a million families' addresses collided, joining unrelated families' households)."""
    return 9999 * max(1, students // 100_000)


def generate(out: Path, students: int, seed: int = 1) -> dict[str, int]:
    """Write the district into ``out``; returns how many of each thing were written."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    schools = school_count(students)
    school_ids = [f"sch-{n:03d}" for n in range(1, schools + 1)]

    with open(out / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["propertyName", "value"])
        for row in (
            ("manifest.version", "1.0"),
            ("oneroster.version", "1.1"),
            ("file.academicSessions", "bulk"),
            ("file.categories", "absent"),
            ("file.classes", "bulk"),
            ("file.classResources", "absent"),
            ("file.courses", "bulk"),
            ("file.courseResources", "absent"),
            ("file.demographics", "bulk"),
            ("file.enrollments", "bulk"),
            ("file.lineItems", "absent"),
            ("file.orgs", "bulk"),
            ("file.resources", "absent"),
            ("file.results", "absent"),
            ("file.users", "bulk"),
            ("source.systemName", "bench.generate"),
            ("source.systemCode", f"seed-{seed}"),
        ):
            w.writerow(row)

    with open(out / "orgs.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "name",
                "type",
                "identifier",
                "parentSourcedId",
            ]
        )
        w.writerow(
            ["dist-1", "active", DATE, "Synthetic Unified School District", "district", "SUSD", ""]
        )
        for n, sid in enumerate(school_ids, start=1):
            kind = ("Elementary", "Middle", "High")[(n - 1) * 3 // schools]
            name = f"{rng.choice(FAMILY)} {kind} School"
            w.writerow([sid, "active", DATE, name, "school", f"S{n:03d}", "dist-1"])

    with open(out / "academicSessions.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "title",
                "type",
                "startDate",
                "endDate",
                "parentSourcedId",
                "schoolYear",
            ]
        )
        w.writerow(
            [
                "term-1",
                "active",
                DATE,
                "2026-2027",
                "schoolYear",
                "2026-08-15",
                "2027-06-10",
                "",
                "2027",
            ]
        )

    courses = [(f"crs-{sid}", sid) for sid in school_ids]
    with open(out / "courses.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "schoolYearSourcedId",
                "title",
                "courseCode",
                "grades",
                "orgSourcedId",
                "subjects",
                "subjectCodes",
            ]
        )
        for cid, sid in courses:
            w.writerow([cid, "active", DATE, "term-1", "Homeroom", "HR", "", sid, "", ""])
    with open(out / "classes.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "title",
                "grades",
                "courseSourcedId",
                "classCode",
                "classType",
                "location",
                "schoolSourcedId",
                "termSourcedIds",
                "subjects",
                "subjectCodes",
                "periods",
            ]
        )
        for cid, sid in courses:
            w.writerow(
                [
                    f"cls-{sid}",
                    "active",
                    DATE,
                    "Homeroom",
                    "",
                    cid,
                    "HR",
                    "homeroom",
                    "",
                    sid,
                    "term-1",
                    "",
                    "",
                    "",
                ]
            )

    users = open(out / "users.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
    enrollments = open(out / "enrollments.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
    demographics = open(out / "demographics.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
    counts = {"schools": schools, "students": 0, "guardians": 0, "links": 0}
    try:
        uw = csv.writer(users)
        ew = csv.writer(enrollments)
        dw = csv.writer(demographics)
        uw.writerow(USER_FIELDS)
        ew.writerow(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "classSourcedId",
                "schoolSourcedId",
                "userSourcedId",
                "role",
                "primary",
                "beginDate",
                "endDate",
            ]
        )
        dw.writerow(
            [
                "sourcedId",
                "status",
                "dateLastModified",
                "birthDate",
                "sex",
                "americanIndianOrAlaskaNative",
                "asian",
                "blackOrAfricanAmerican",
                "nativeHawaiianOrOtherPacificIslander",
                "white",
                "demographicRaceTwoOrMoreRaces",
                "hispanicOrLatinoEthnicity",
                "countryOfBirthCode",
                "stateOfBirthAbbreviation",
                "cityOfBirth",
                "publicSchoolResidenceStatus",
            ]
        )
        student_no = 0
        guardian_no = 0
        previous_address = ""
        numbers = house_numbers(students)
        while student_no < students:
            family = rng.choice(FAMILY)
            # Shared addresses: now and then a family lives where the previous one does.
            if previous_address and rng.random() < 0.05:
                address = previous_address
            else:
                address = f"{rng.randint(1, numbers)} {rng.choice(STREETS)} {rng.choice(KINDS)}"
            previous_address = address
            kids = min(students - student_no, rng.choices((1, 2, 3, 4), KID_WEIGHTS)[0])
            adults = 1 if rng.random() < 0.3 else 2
            # The parents every sibling shares: 1.7 on average.
            guardians: list[tuple[str, str, str, str, list[str]]] = []
            for a in range(adults):
                guardian_no += 1
                given = rng.choice(GIVEN)
                gfam = family if a == 0 or rng.random() < 0.7 else rng.choice(FAMILY)
                guardians.append((f"g-{guardian_no:07d}", given, gfam, "parent", []))
            shared = len(guardians)
            kid_ids = []
            for _ in range(kids):
                student_no += 1
                sid = f"s-{student_no:07d}"
                kid_ids.append(sid)
                school = rng.randrange(schools)
                grade = _grade_for(school, schools, rng)
                own = []
                if rng.random() < OWN_GUARDIAN:
                    # A step-parent, the other parent of a half-sibling, or a grandparent:
                    # linked to this child only.
                    guardian_no += 1
                    own.append(
                        (
                            f"g-{guardian_no:07d}",
                            rng.choice(GIVEN),
                            rng.choice(FAMILY),
                            rng.choice(("guardian", "relative")),
                            [sid],
                        )
                    )
                    guardians.extend(own)
                agents = ",".join(g[0] for g in guardians[:shared] + own)
                uw.writerow(
                    [
                        sid,
                        "active",
                        DATE,
                        "true",
                        school_ids[school],
                        "student",
                        f"stu{student_no}",
                        "",
                        rng.choice(GIVEN),
                        family,
                        "",
                        f"{100000 + student_no}",
                        "",
                        "",
                        "",
                        agents,
                        grade,
                        "",
                        address,
                    ]
                )
                ew.writerow(
                    [
                        f"enr-{student_no:07d}",
                        "active",
                        DATE,
                        f"cls-{school_ids[school]}",
                        school_ids[school],
                        sid,
                        "student",
                        "false",
                        "2026-08-15",
                        "2027-06-10",
                    ]
                )
                year = _birth_year(grade)
                dw.writerow(
                    [
                        sid,
                        "active",
                        DATE,
                        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        rng.choice(("male", "female")),
                        "false",
                        "false",
                        "false",
                        "false",
                        "false",
                        "false",
                        "false",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
                counts["links"] += shared + len(own)
            for n, (gid, given, gfam, role, only) in enumerate(guardians):
                phone = f"555-{rng.randint(0, 9999):04d}"
                email = f"{given.lower()}.{gid[2:]}@example.org"
                uw.writerow(
                    [
                        gid,
                        "active",
                        DATE,
                        "true",
                        "",
                        role,
                        "",
                        "",
                        given,
                        gfam,
                        "",
                        "",
                        email,
                        "",
                        phone,
                        ",".join(kid_ids if n < shared else only),
                        "",
                        "",
                        address,
                    ]
                )
                dw.writerow(
                    [
                        gid,
                        "active",
                        DATE,
                        f"{rng.randint(1960, 1998)}-{rng.randint(1, 12):02d}-"
                        f"{rng.randint(1, 28):02d}",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
            counts["guardians"] += len(guardians)
        counts["students"] = student_no
    finally:
        users.close()
        enrollments.close()
        demographics.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--students", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.students < 1:
        parser.error("--students must be at least 1")
    counts = generate(args.out_dir, args.students, args.seed)
    print(
        f"Wrote {counts['schools']} schools, {counts['students']} students, "
        f"{counts['guardians']} guardians ({counts['links']} links) to {args.out_dir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
