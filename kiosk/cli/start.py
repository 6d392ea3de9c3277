"""Commands that start the app or prepare its database: ``kiosk``, ``admin``, ``demo``,
``init``, ``doctor``."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable

import click

from kiosk.cli.common import State, ensure_sqlite_folder, friendly, state
from kiosk.config import Config


def run_app(st: State, *, demo: bool, admin: bool = False) -> None:
    @friendly
    def _run() -> None:
        from kiosk.supervise import run

        ctx = st.context()  # a missing or outdated database is refused here, in one line
        if admin:
            run(ctx, kiosk_mode=False, admin=True)
        else:
            run(ctx, demo=demo)

    _run()


@click.command()
def admin() -> None:
    """The admin console for district IT (reports, imports, merges, audit, staff).

    Starts at the staff sign-in; meant for SSH sessions (see docs/SSH.md). Unlike the kiosk it
    may be quit with ctrl+q.
    """
    run_app(state(), demo=False, admin=True)


@click.command()
@click.option("--demo", is_flag=True, help="Also load the demo district (only into an empty db).")
@friendly
def init(demo: bool) -> None:
    """Create or upgrade the database (safe to run again)."""
    set_up(state(), demo=demo, say=click.echo)


def set_up(st: State, *, demo: bool, say: Callable[[str], None]) -> None:
    """What ``kiosk init`` does: the schema, the district secret, the federation keys, the
    schools of kiosk.toml and (``demo``) the demo district into an empty database."""
    ensure_sqlite_folder(st.config)
    ctx = st.context(check_schema=False)
    before, after = ctx.store.migrate()
    say(
        f"Database ready at schema version {after}"
        + (
            f" (upgraded from {before})."
            if before and before != after
            else " (created)."
            if not before
            else " (already up to date)."
        )
    )
    from kiosk.services.schools import sync_config_schools

    create_secret_key(st.config)
    from kiosk.federation.keys import ensure_keys

    if ensure_keys(st.config):
        say("Created the federation signing key and certificate (owner-only files).")

    added = sync_config_schools(ctx)
    if added:
        say(f"Added {added} school(s) from kiosk.toml.")
    if demo:
        from kiosk.demo import load_demo

        if load_demo(ctx):
            say("Loaded the demo district (see README for sign-ins).")
        else:
            say("The database already has data; demo district not loaded.")


@click.command()
@friendly
def demo() -> None:
    """Create the demo database if missing, then run the app on it."""
    st = state()
    set_up(st, demo=True, say=lambda _line: None)  # as 'kiosk init --demo', quietly
    run_app(st, demo=True)


@click.command()
@click.option("--fix", is_flag=True, help="Make files owner-only; remove expired outbox mail.")
@friendly
def doctor(fix: bool) -> None:
    """Check the configuration, database and mail set-up, and say what is wrong."""
    from kiosk.doctor import run_checks

    failures = 0
    for check in run_checks(state().config_path, fix=fix):
        mark = "ok  " if check.ok else "FAIL"
        click.echo(f"[{mark}] {check.name}: {check.message}")
        failures += not check.ok
    sys.exit(1 if failures else 0)


def create_secret_key(config: Config) -> None:
    """The district's secret for keyed hashes, created once, owner-only; nothing else
    creates it (``kiosk.context.secret_key`` only reads it)."""
    if os.environ.get("KIOSK_SECRET"):
        return
    path = config.resolve(config.security.secret_file)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
