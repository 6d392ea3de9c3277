"""The yardstick for the importer: a raw load of the same rows into the same tables.

``python -m bench.raw_baseline ROSTER_DIR DB_FILE`` loads a roster into a SQLite file that
already has the kiosk schema (``kiosk init``), reading the CSV files with the csv module and
inserting with ``executemany`` in one transaction; ``load_postgres`` does the same into a
PostgreSQL schema with ``COPY`` (psycopg's ``cursor.copy``), also in one transaction. It
writes every row the importer writes for a first import: the schools, students, guardians
and links, the households derived from shared guardians and shared addresses, and the search
index terms. It does none of the importer's work beyond that: no validation pass, no
re-import comparison, no ORM. The importer is budgeted
at 2.5x this time (``tests/test_bench_quick.py`` checks that each loads the same rows as
the importer).
"""

from __future__ import annotations

import csv
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from kiosk.store.search_index import guardian_terms, student_terms
from kiosk.text import digits, fold

_GUARDIAN_ROLES = {"parent", "guardian", "relative"}


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def _find(parent: dict, x: object) -> object:
    root = x
    while parent[root] != root:
        root = parent[root]
    while parent[x] != root:
        parent[x], x = root, parent[x]
    return root


def _union(parent: dict, a: object, b: object) -> None:
    parent.setdefault(a, a)
    parent.setdefault(b, b)
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)  # type: ignore[type-var]


class _SQLite:
    """Rows go in with one prepared ``executemany`` per table."""

    def __init__(self, db_file: Path) -> None:
        self.con = sqlite3.connect(db_file, isolation_level=None)
        self.con.execute("PRAGMA journal_mode=wal")
        self.con.execute("PRAGMA synchronous=normal")
        self.con.execute("PRAGMA foreign_keys=on")
        self.con.execute("PRAGMA cache_size=-131072")  # the importer's page cache, for a fair race
        self.con.execute("BEGIN IMMEDIATE")

    def query(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def insert(self, table: str, columns: str, rows: Iterable[tuple]) -> None:
        marks = ",".join("?" * len(columns.split(",")))
        self.con.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608

    def finish(self, _counters: dict[str, int]) -> None:
        self.con.execute("COMMIT")
        self.con.close()


class _Postgres:
    """Rows go in with one ``COPY ... FROM STDIN`` per table, in one transaction."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.con = psycopg.connect(url)  # the schema comes from PGOPTIONS

    def query(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def insert(self, table: str, columns: str, rows: Iterable[tuple]) -> None:
        with self.con.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self, counters: dict[str, int]) -> None:
        for table, last in counters.items():  # ids given explicitly: move the sequences on
            self.con.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (table, last))
        self.con.commit()
        self.con.close()


def load(roster: Path, db_file: Path) -> float:
    """Load ``roster`` into the SQLite file ``db_file``; returns the seconds taken."""
    started = time.perf_counter()
    _load(roster, _SQLite(db_file))
    return time.perf_counter() - started


def load_postgres(roster: Path, url: str) -> float:
    """Load ``roster`` into PostgreSQL with COPY; returns the seconds taken."""
    started = time.perf_counter()
    _load(roster, _Postgres(url))
    return time.perf_counter() - started


def _load(roster: Path, con: _SQLite | _Postgres) -> None:
    schools = [
        (row["sourcedId"], row.get("identifier") or row["sourcedId"], row["name"], 1)
        for row in _csv(roster / "orgs.csv")
        if row["type"] == "school"
    ]
    con.insert("school", "sourced_id, code, name, active", schools)
    school_ids = dict(con.query("SELECT sourced_id, id FROM school"))
    born = {row["sourcedId"]: row["birthDate"] or None for row in _csv(roster / "demographics.csv")}

    next_student = (con.query("SELECT MAX(id) FROM student")[0][0] or 0) + 1
    next_guardian = (con.query("SELECT MAX(id) FROM guardian")[0][0] or 0) + 1
    student_ids: dict[str, int] = {}
    guardian_ids: dict[str, int] = {}
    students, guardians, terms = [], [], []
    agents: list[tuple[str, str]] = []  # (guardian sourcedId, student sourcedId)
    roles: dict[str, str] = {}
    addresses: list[tuple[str, str]] = []
    for row in _csv(roster / "users.csv"):
        sid, given, family = row["sourcedId"], row["givenName"], row["familyName"]
        role = roles[sid] = row["role"]
        if role == "student":
            sid_id = student_ids[sid] = next_student
            next_student += 1
            number = row["identifier"]
            students.append(
                (
                    sid_id,
                    sid,
                    number,
                    given,
                    family,
                    fold(f"{given} {family}"),
                    born.get(sid),
                    row["grades"].split(",")[0],
                    school_ids[row["orgSourcedIds"].split(",")[0]],
                    1,
                )
            )
            terms.extend((t, "s", sid_id) for t in student_terms(given, family, number))
            agents.extend((a, sid) for a in row["agentSourcedIds"].split(",") if a)
        elif role in _GUARDIAN_ROLES:
            gid = guardian_ids[sid] = next_guardian
            next_guardian += 1
            phone, email, address = row["phone"], row["email"], row["metadata.address"]
            phone_digits = digits(phone)
            guardians.append(
                (
                    gid,
                    sid,
                    given,
                    family,
                    fold(f"{given} {family}"),
                    email,
                    phone,
                    phone_digits,
                    address,
                    born.get(sid),
                    1,
                )
            )
            terms.extend((t, "g", gid) for t in guardian_terms(given, family, phone_digits, email))
            if address:
                addresses.append((sid, address))
            agents.extend((sid, s) for s in row["agentSourcedIds"].split(",") if s)
    con.insert(
        "student",
        "id, sourced_id, student_number, given_name, family_name, search_name, birth_date, "
        "grade, school_id, active",
        students,
    )
    con.insert(
        "guardian",
        "id, sourced_id, given_name, family_name, search_name, email, phone, phone_digits, "
        "address, birth_date, active",
        guardians,
    )
    pairs = dict.fromkeys(
        (g, s) for g, s in agents if g in guardian_ids and s in student_ids
    )  # both sides name the link; one row each, in first-seen order
    con.insert(
        "relationship",
        "sourced_id, guardian_id, student_id, relation, is_guardian, portal_access, "
        "custody_restriction, active",
        (
            (
                f"{g}:{s}",
                guardian_ids[g],
                student_ids[s],
                "relative" if roles[g] == "relative" else "parent",
                roles[g] != "relative",
                True,
                False,
                True,
            )
            for g, s in pairs
        ),
    )
    # Households: students sharing a guardian, or whose guardians share an address.
    parent: dict = {}
    for g, s in pairs:
        _union(parent, ("g", g), ("s", s))
    by_address: dict[str, tuple[str, str]] = {}
    for g, address in addresses:
        key = fold(" ".join(address.split()))
        node = ("g", g)
        if node in parent:
            _union(parent, by_address.setdefault(key, node), node)
    groups: dict[object, tuple[list[str], list[str]]] = {}
    for node in parent:
        members = groups.setdefault(_find(parent, node), ([], []))
        members[node[0] == "s"].append(node[1])
    address_of = dict(addresses)
    family_of = {g[0]: g[3] for g in guardians}
    households, members_g, members_s = [], [], []
    for guardian_sids, student_sids in groups.values():
        gids = sorted(guardian_ids[g] for g in guardian_sids)
        by_id = {guardian_ids[g]: g for g in guardian_sids}
        hid = "roster:" + min(student_sids)
        address = next((address_of[by_id[g]] for g in gids if by_id[g] in address_of), "")
        households.append((hid, family_of[gids[0]] if gids else "", address, ""))
        members_g.append((hid, gids))
        members_s.append((hid, sorted(student_ids[s] for s in student_sids)))
    con.insert("household", "sourced_id, name, address, phone", households)
    household_ids = dict(con.query("SELECT sourced_id, id FROM household"))
    con.insert(
        "household_guardian",
        "household_id, guardian_id",
        ((household_ids[h], g) for h, gs in members_g for g in gs),
    )
    con.insert(
        "household_student",
        "household_id, student_id",
        ((household_ids[h], s) for h, ss in members_s for s in ss),
    )
    con.insert("search_term", "term, kind, ref", terms)
    con.finish({"student": next_student - 1, "guardian": next_guardian - 1})


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.raw_baseline ROSTER_DIR DB_FILE")
    print(f"{load(Path(sys.argv[1]), Path(sys.argv[2])):.2f}")
