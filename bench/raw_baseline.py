"""The yardstick for the importer: a raw ``sqlite3`` ``executemany`` of the same rows.

``python -m bench.raw_baseline IMPORTED_DB [OUT_DB]`` reads every roster row an import wrote
(schools, students, guardians, relationships, households and their members) from IMPORTED_DB
into memory, creates the kiosk schema (same tables and indexes) in an empty OUT_DB, and times
inserting those rows with ``executemany`` in one transaction, commit included. It prints the
seconds. The importer (which also parses and validates the CSV files, diffs against what is
stored and derives households) is budgeted at 2.5x this time.
"""

from __future__ import annotations

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


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: python -m bench.raw_baseline IMPORTED_DB [OUT_DB]", file=sys.stderr)
        return 2
    if len(argv) == 2:
        print(f"{load(Path(argv[0]), Path(argv[1])):.2f}")
        return 0
    with tempfile.TemporaryDirectory() as folder:
        print(f"{load(Path(argv[0]), Path(folder) / 'baseline.db'):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
