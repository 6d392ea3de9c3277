"""Start-up work kept off the first paint: the database opens on first use, psycopg stays out
of a SQLite process, argon2 and smtplib load when first needed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest


def test_deferred_store_opens_on_first_use_and_reports_a_missing_database(tmp_path: Path):
    """The app's context opens the database after the first paint; a database that was never
    set up still gets the plain 'run kiosk init' message, at first use."""
    from kiosk.config import config_from_dict
    from kiosk.context import make_context
    from kiosk.errors import DatabaseError

    config = config_from_dict(
        {
            "database": {"url": str(tmp_path / "never-initialised.db")},
            "mail": {"mode": "outbox", "outbox_dir": str(tmp_path / "outbox")},
            "security": {"secret_file": str(tmp_path / "secret")},
        },
        tmp_path / "kiosk.toml",
    )
    ctx = make_context(config, defer_store=True)
    assert not ctx.store.opened  # nothing touched the database yet
    with pytest.raises(DatabaseError, match="kiosk init"):
        ctx.store.check_schema()
    with pytest.raises(DatabaseError, match="kiosk init"):  # the same answer every time
        _ = ctx.store.db
    ctx.close()


def loaded_in_a_fresh_process(setup: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a new interpreter has loaded once it has run ``setup``."""
    code = f"import sys; {setup}; print(sorted(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return ast.literal_eval(out.stdout.strip())


def test_a_sqlite_kiosk_imports_no_postgresql_driver_argon2_or_smtplib() -> None:
    setup = (
        "import kiosk.services.people; from kiosk.app import make_app; "
        "import kiosk.screens.welcome; from kiosk.store import open_store; "
        "s = open_store('sqlite:///:memory:'); s.db.execute_sql('select 1')"
    )
    assert loaded_in_a_fresh_process(setup, ("psycopg", "argon2", "smtplib")) == []


def test_the_kiosk_command_brings_no_database_layer_before_welcome() -> None:
    """Everything ``kiosk`` imports to paint Welcome: no ORM, driver, hashing or mail."""
    setup = "import kiosk.launch, kiosk.cli, kiosk.app, kiosk.screens.welcome"
    heavy = ("peewee", "psycopg", "argon2", "smtplib", "kiosk.services.reports", "kiosk.store")
    assert loaded_in_a_fresh_process(setup, heavy) == []


def test_postgresql_still_works_after_the_driver_was_held_back() -> None:
    """peewee gets the driver when a PostgreSQL store is opened (URL unreachable is fine:
    the point is the driver is found, not 'psycopg postgres driver not found')."""
    code = (
        "import kiosk.store, peewee; assert peewee.psycopg is None; "
        "kiosk.store.enable_postgresql(); import psycopg; assert peewee.psycopg is psycopg; "
        "db = peewee.PostgresqlDatabase('x'); print(type(db._adapter).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Psycopg3Adapter"


def test_the_app_import_runs_in_a_child_process_with_the_same_answers(ctx, tmp_path: Path):
    """The admin console's import cannot freeze the screen: it runs in its own process, and
    what comes back (a summary, or a refusal with every problem) is what import_roster says."""
    from bench.generate import generate
    from kiosk.context import SYSTEM
    from kiosk.services.roster import RosterRejected
    from kiosk.services.roster_process import import_roster_isolated
    from kiosk.store.models import Student

    generate(tmp_path / "roster", 60, seed=2)
    summary = import_roster_isolated(ctx, SYSTEM, tmp_path / "roster")
    assert summary.students == 60 and not summary.dry_run
    with ctx.store.read():  # written by the child, seen here
        assert Student.select().count() == 10 + 60  # the demo district and the roster
    (tmp_path / "roster" / "users.csv").write_text("sourcedId,givenName,familyName\n")
    with pytest.raises(RosterRejected) as refused:
        import_roster_isolated(ctx, SYSTEM, tmp_path / "roster")
    assert refused.value.problems and "nothing was changed" in str(refused.value)


async def test_an_unusable_database_stops_the_app_with_the_plain_message(tmp_path: Path):
    from kiosk.app import make_app
    from kiosk.config import config_from_dict
    from kiosk.context import make_context

    config = config_from_dict(
        {
            "database": {"url": str(tmp_path / "never-initialised.db")},
            "mail": {"mode": "outbox", "outbox_dir": str(tmp_path / "outbox")},
            "security": {"secret_file": str(tmp_path / "secret")},
        },
        tmp_path / "kiosk.toml",
    )
    app = make_app(make_context(config, defer_store=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.return_code == 1
    assert "kiosk init" in str(app.database_error)
