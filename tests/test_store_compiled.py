"""Queries compiled once (``kiosk.store.compiled``): values stay parameters, columns come back as
peewee gives them, a new database gets its own SQL; the web's session is one statement."""

from __future__ import annotations

import shutil

import pytest

from kiosk.demo import PARENT_PASSWORD
from kiosk.services import web_sessions
from kiosk.store.compiled import Compiled
from kiosk.store.models import Guardian, PortalAccount
from tests.conftest import build_context

ACCOUNT = Compiled(
    (PortalAccount.username, PortalAccount.enabled, Guardian.sourced_id),
    lambda guardian_id: (
        PortalAccount.select(PortalAccount.username, PortalAccount.enabled, Guardian.sourced_id)
        .join(Guardian)
        .where(Guardian.sourced_id == guardian_id)
    ),
)


def test_a_compiled_query_binds_values_and_converts_columns(any_ctx):
    with any_ctx.store.read():
        assert ACCOUNT.rows("G-1003") == [("alopez", True, "G-1003")]
        assert isinstance(ACCOUNT.first("G-1003")[1], bool)  # not SQLite's 1
        # A value is a parameter, never SQL: a quote finds nothing and breaks nothing.
        assert ACCOUNT.rows("G-1003' OR '1'='1") == []
        assert ACCOUNT.first("nobody") is None


def test_a_compiled_query_follows_the_database_that_is_open(ctx, demo_template, config, tmp_path):
    with ctx.store.read():
        assert ACCOUNT.first("G-1003") is not None
    ctx.close()
    other = tmp_path / "other.db"
    shutil.copy(demo_template, other)
    second = build_context(config, f"sqlite:///{other}")
    try:
        with second.store.write():
            PortalAccount.update(username="renamed").execute()
        with second.store.read():
            assert ACCOUNT.first("G-1003")[0] == "renamed"
    finally:
        second.close()


def test_a_value_must_appear_once(ctx):
    twice = Compiled(
        (Guardian.id,),
        lambda v: Guardian.select(Guardian.id).where(
            (Guardian.sourced_id == v) | (Guardian.email == v)
        ),
    )
    with pytest.raises(ValueError), ctx.store.read():
        twice.rows("G-1003")


def test_loading_a_web_session_is_one_statement(any_ctx, monkeypatch):
    session_id, _ = web_sessions.sign_in(any_ctx, "alopez", PARENT_PASSWORD)
    db = any_ctx.store.db
    run = db.execute_sql
    statements: list[str] = []

    def counted(sql, params=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        statements.append(sql)
        return run(sql, params, *args, **kwargs)

    def begin(*args, **kwargs):  # type: ignore[no-untyped-def]
        statements.append("BEGIN")

    monkeypatch.setattr(db, "execute_sql", counted)
    monkeypatch.setattr(db, "begin", begin)
    state = web_sessions.load(any_ctx, session_id)
    assert state is not None and state.account.username == "alopez"
    assert state.account.guardian_id == "G-1003" and state.pending == ()
    # One round trip: the SELECT alone, without BEGIN and COMMIT around it.
    assert len(statements) == 1 and statements[0].lstrip().upper().startswith("SELECT")
