"""The store notices its SQLite file was deleted or replaced, and says when the disk is full."""

from __future__ import annotations

import os
import shutil

import pytest

from kiosk.app import make_app
from kiosk.auth import SYSTEM
from kiosk.errors import DatabaseError, DatabaseLost
from kiosk.screens.staff_sign_in import StaffSignInScreen
from kiosk.services import activation
from kiosk.store.models import ActivationKey, AuditEvent
from tests.staff_helpers import settled, wait_for


def _delete_database(ctx) -> None:
    path = ctx.store.db.database
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def test_writes_stop_when_the_database_file_is_deleted(ctx):
    activation.issue_key(ctx, SYSTEM, "G-1001")
    _delete_database(ctx)
    with pytest.raises(DatabaseLost, match="deleted or replaced"):
        activation.issue_key(ctx, SYSTEM, "G-1002")


def test_writes_stop_when_the_database_file_is_replaced(ctx, demo_template, tmp_path):
    path = ctx.store.db.database
    shutil.copy(demo_template, tmp_path / "other.db")
    os.replace(tmp_path / "other.db", path)  # a restore from backup under a running kiosk
    with pytest.raises(DatabaseLost):
        activation.issue_key(ctx, SYSTEM, "G-1002")
    with pytest.raises(DatabaseLost), ctx.store.read():  # and it stays stopped
        pass


def test_a_write_whose_file_vanished_during_it_is_not_reported_done(ctx):
    with pytest.raises(DatabaseLost), ctx.store.write():
        ActivationKey.update(revoked_at="x").where(ActivationKey.id == -1).execute()
        _delete_database(ctx)


def test_a_full_disk_gets_its_own_message(ctx):
    db = ctx.store.db
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")  # SQLite answers SQLITE_FULL from here
    before = AuditEvent.select().count()
    with pytest.raises(DatabaseError, match="The disk is full: nothing was saved"):
        for _ in range(200):
            activation.issue_key(ctx, SYSTEM, "G-1001")
    assert AuditEvent.select().count() >= before


async def test_the_kiosk_stops_with_a_plain_message_when_its_database_is_gone(ctx):
    app = make_app(ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        app.go_staff_sign_in()
        await settled(pilot)
        assert isinstance(app.screen, StaffSignInScreen)
        _delete_database(ctx)
        await pilot.press(*"desk", "enter", *"front-desk-demo-pass", "enter")
        await wait_for(pilot, lambda: app.database_error is not None)
        await app.workers.wait_for_complete()
    assert app.return_code == 1 and app.staff is None
    assert isinstance(app.database_error, DatabaseLost)
    assert "deleted or replaced" in str(app.database_error)


def test_a_full_disk_on_postgresql_is_known_by_its_sqlstate_in_any_language():
    """A server with lc_messages = 'es_ES' says "No queda espacio en el dispositivo"."""
    psycopg_errors = pytest.importorskip("psycopg.errors")
    import peewee as pw

    from kiosk.store.db import friendly_errors

    full = "The disk is full: nothing was saved"
    with pytest.raises(DatabaseError, match=full), friendly_errors():
        try:
            raise psycopg_errors.DiskFull("no se pudo extender el archivo: No queda espacio")
        except psycopg_errors.DiskFull as exc:
            raise pw.OperationalError(str(exc)) from exc
