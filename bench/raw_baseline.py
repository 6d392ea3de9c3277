"""The yardstick for the importer: a raw ``sqlite3`` load of the same rows.

``python -m bench.raw_baseline ROSTER_DIR DB_FILE`` creates the kiosk schema in an empty SQLite
file, reads users.csv once with the csv module and inserts the students, guardians and
guardian-student links with ``executemany`` in one transaction: no validation, no households,
no re-import logic. The importer is budgeted at 2.5x this time. Prints the seconds taken.
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import time
from pathlib import Path

from kiosk.store.db import open_store


def load(roster: Path, db_file: Path) -> float:
    store = open_store(f"sqlite:///{db_file}")
    store.migrate()
    store.close()
    started = time.perf_counter()
    con = sqlite3.connect(db_file)
    con.execute("PRAGMA journal_mode=wal")
    con.execute("PRAGMA synchronous=normal")
    con.execute("INSERT INTO school (sourced_id, code, name, active) VALUES ('x', 'x', 'x', 1)")
    students, guardians, pairs = [], [], []
    with open(roster / "users.csv", encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            sid = row["sourcedId"]
            name = f"{row['givenName']} {row['familyName']}"
            if row["role"] == "student":
                students.append(
                    (
                        sid,
                        row["identifier"],
                        row["givenName"],
                        row["familyName"],
                        name.lower(),
                        None,
                        row["grades"],
                        1,
                        1,
                    )
                )
                pairs.extend((agent, sid) for agent in row["agentSourcedIds"].split(","))
            else:
                guardians.append(
                    (
                        sid,
                        row["givenName"],
                        row["familyName"],
                        name.lower(),
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
    con.commit()
    con.close()
    return time.perf_counter() - started


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.raw_baseline ROSTER_DIR DB_FILE")
    print(f"{load(Path(sys.argv[1]), Path(sys.argv[2])):.2f}")
