"""The yardstick for the importer: a raw ``sqlite3`` ``executemany`` of the same rows.

``python -m bench.raw_baseline IMPORTED_DB`` reads every roster row an import wrote
(schools, students, guardians, relationships, households and their members) from IMPORTED_DB
into memory, creates the kiosk schema (same tables and indexes) in an empty OUT_DB, and times
inserting those rows with ``executemany`` in one transaction, commit included. It prints the
seconds. The importer (which also parses and validates the CSV files, diffs against what is
stored and derives households) is budgeted at 2.5x this time.

``python -m bench.raw_baseline --from-csv ROSTER_DIR`` is the other reading of "a raw load":
parse users.csv with the csv module and ``executemany`` the students, guardians and links it
names (no validation, no demographics, no households).
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from kiosk.store.db import open_store

TABLES = [
    "school",
    "student",
    "guardian",
    "relationship",
    "household",
    "household_guardian",
    "household_student",
]


def load(imported: Path, out: Path) -> float:
    store = open_store(f"sqlite:///{out}")
    store.migrate()
    store.close()
    source = sqlite3.connect(imported)
    data = {}
    for table in TABLES:
        cursor = source.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table names
        columns = [d[0] for d in cursor.description]
        data[table] = (columns, cursor.fetchall())
    source.close()
    con = sqlite3.connect(out, isolation_level=None)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("PRAGMA synchronous=normal")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("DELETE FROM school")
    started = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    for table in TABLES:
        columns, rows = data[table]
        marks = ", ".join("?" * len(columns))
        con.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def load_csv(roster: Path, out: Path) -> float:
    store = open_store(f"sqlite:///{out}")
    store.migrate()
    store.close()
    con = sqlite3.connect(out, isolation_level=None)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("PRAGMA synchronous=normal")
    con.execute("PRAGMA foreign_keys=ON")
    started = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO school (sourced_id, code, name, active) VALUES ('x', 'x', 'x', 1)")
    school = con.execute("SELECT id FROM school").fetchone()[0]
    students, guardians, pairs = [], [], []
    with open(roster / "users.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            sid, given, family = row["sourcedId"], row["givenName"], row["familyName"]
            if row["role"] == "student":
                students.append(
                    (
                        sid,
                        row["identifier"],
                        given,
                        family,
                        f"{given} {family}".lower(),
                        None,
                        row["grades"],
                        school,
                        1,
                    )
                )
                pairs.extend((a, sid) for a in row["agentSourcedIds"].split(",") if a)
            else:
                guardians.append(
                    (
                        sid,
                        given,
                        family,
                        f"{given} {family}".lower(),
                        row["email"],
                        row["phone"],
                        row["phone"].replace("-", ""),
                        "",
                        None,
                        1,
                    )
                )
    con.executemany(
        "INSERT INTO student (sourced_id, student_number, given_name, family_name, search_name, "
        "birth_date, grade, school_id, active) VALUES (?,?,?,?,?,?,?,?,?)",
        students,
    )
    con.executemany(
        "INSERT INTO guardian (sourced_id, given_name, family_name, search_name, email, phone, "
        "phone_digits, address, birth_date, active) VALUES (?,?,?,?,?,?,?,?,?,?)",
        guardians,
    )
    sids = dict(con.execute("SELECT sourced_id, id FROM student"))
    gids = dict(con.execute("SELECT sourced_id, id FROM guardian"))
    con.executemany(
        "INSERT INTO relationship (sourced_id, guardian_id, student_id, relation, is_guardian, "
        "portal_access, custody_restriction, active) VALUES (?,?,?,'parent',1,1,0,1)",
        ((f"{g}:{s}", gids[g], sids[s]) for g, s in pairs),
    )
    con.execute("COMMIT")
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--from-csv":
        with tempfile.TemporaryDirectory() as folder:
            print(f"{load_csv(Path(argv[1]), Path(folder) / 'baseline.db'):.2f}")
        return 0
    if len(argv) != 1:
        print(
            "usage: python -m bench.raw_baseline IMPORTED_DB | --from-csv ROSTER_DIR",
            file=sys.stderr,
        )
        return 2
    with tempfile.TemporaryDirectory() as folder:
        print(f"{load(Path(argv[0]), Path(folder) / 'baseline.db'):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
