"""The store: schema versions, migrations, both databases, and clear failures."""

from __future__ import annotations

import sqlite3

import pytest

from kiosk.errors import DatabaseError
from kiosk.store.db import MIGRATIONS, SCHEMA_VERSION, open_store
from kiosk.store.models import SchemaVersion, Student


def test_migrate_is_idempotent_and_records_the_version(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    assert store.schema_version() == 0
    assert store.migrate() == (0, SCHEMA_VERSION)
    assert store.migrate() == (SCHEMA_VERSION, SCHEMA_VERSION)
    assert SchemaVersion.select().count() == len(MIGRATIONS)
    store.check_schema()


def test_a_version_that_lands_later_below_the_highest_is_still_applied(tmp_path, monkeypatch):
    """Schema versions belong to features merged in any order: a gap is filled, not skipped."""
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    ran = []
    monkeypatch.setitem(MIGRATIONS, 0, lambda db: ran.append(db))  # a version below the top
    with pytest.raises(DatabaseError, match="run 'kiosk init' to upgrade"):
        store.check_schema()
    store.migrate()
    store.migrate()
    assert len(ran) == 1
    store.check_schema()


def test_sqlite_pragmas_are_set(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    db = store.db
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == 10000


def test_a_database_from_a_newer_release_is_refused(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    store.migrate()
    SchemaVersion.create(version=SCHEMA_VERSION + 1, applied_at="2030-01-01T00:00:00+00:00")
    with pytest.raises(DatabaseError, match="newer Front Desk"):
        store.check_schema()
    with pytest.raises(DatabaseError, match="Upgrade Front Desk"):
        store.migrate()


def test_an_empty_database_says_to_run_init(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with pytest.raises(DatabaseError, match="kiosk init"):
        store.check_schema()


def test_a_missing_folder_is_explained(tmp_path):
    with pytest.raises(DatabaseError, match="folder for the database file does not exist"):
        open_store(f"sqlite:///{tmp_path / 'nope' / 'a.db'}")


def test_a_locked_database_gives_a_clear_message(ctx):
    other = sqlite3.connect(ctx.store.db.database, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        ctx.store.db.execute_sql("PRAGMA busy_timeout = 50")
        with pytest.raises(DatabaseError, match="busy"), ctx.store.write():
            Student.update(grade="5").execute()
    finally:
        other.rollback()
        other.close()


def test_the_same_code_runs_on_both_databases(any_ctx):
    from kiosk.auth import SYSTEM
    from kiosk.services.people import search

    assert any_ctx.store.schema_version() == SCHEMA_VERSION
    names = [h.name for h in search(any_ctx, SYSTEM, "wilson") if h.kind == "guardian"]
    assert names == ["James Wilson", "James Wilson"]
