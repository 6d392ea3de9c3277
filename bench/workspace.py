"""The district a benchmark run works on: generated once per run, imported once, reused.

A run folder holds the OneRoster files, a ``kiosk.toml`` and the kiosk database (the demo
district, for staff sign-ins, plus the imported synthetic district). Every measurement that
needs the district opens this database; the ones that change data work on a copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import pg
from kiosk.config import Config, load_config
from kiosk.context import Context, make_context

CONFIG = """# Written by the benchmark suite (python -m bench).
[district]
name = "Synthetic Unified School District"
mobile_app_code = "SUSD"

[[schools]]
code = "ES"
name = "Lincoln Elementary"
sourced_id = "sch-es"

[[schools]]
code = "MS"
name = "Roosevelt Middle"
sourced_id = "sch-ms"

[[schools]]
code = "HS"
name = "Jefferson High"
sourced_id = "sch-hs"

[support]
email = "portalhelp@example.org"
phone = "555-0100"

[portal]
url = "https://portal.example.org"
activation_url = "https://portal.example.org/activate#key={key}"

[database]
url = "{url}"

[mail]
mode = "outbox"
outbox_dir = "outbox"

[security]
secret_file = "kiosk.secret"
"""


@dataclass(frozen=True)
class Workspace:
    """A district's folder (roster, ``kiosk.toml``) and database: a SQLite file in the folder,
    or, when ``pg_url`` is set, a throw-away schema of that PostgreSQL server."""

    folder: Path
    students: int
    seed: int = 1
    pg_url: str = ""
    schema: str = ""
    roster_folder: Path | None = None  # shared by the SQLite and PostgreSQL districts

    @property
    def postgres(self) -> bool:
        return bool(self.pg_url)

    @property
    def backend(self) -> str:
        return "PostgreSQL" if self.postgres else "SQLite"

    @property
    def roster(self) -> Path:
        return self.roster_folder or self.folder / "roster"

    @property
    def db(self) -> Path:
        return self.folder / "kiosk.db"

    @property
    def url(self) -> str:
        return self.pg_url or f"sqlite:///{self.db}"

    @property
    def config_path(self) -> Path:
        return self.folder / "kiosk.toml"

    def config(self) -> Config:
        return load_config(self.config_path)

    def env(self) -> dict[str, str]:
        """The environment of a child process that works on this district."""
        env = dict(os.environ)
        if self.postgres:
            env["PGOPTIONS"] = pg.options(self.schema)
        return env

    @contextlib.contextmanager
    def active(self) -> Iterator[None]:
        """Connections opened (and children started) inside use this district's schema."""
        if not self.postgres:
            yield
            return
        before = os.environ.get("PGOPTIONS")
        os.environ["PGOPTIONS"] = pg.options(self.schema)
        try:
            yield
        finally:
            if before is None:
                os.environ.pop("PGOPTIONS", None)
            else:
                os.environ["PGOPTIONS"] = before

    def context(self) -> Context:
        with self.active():
            return make_context(self.config())

    def raw(self):  # type: ignore[no-untyped-def]
        """A plain DB-API connection to the district (sqlite3 or psycopg)."""
        if self.postgres:
            return pg.connect(self.pg_url, self.schema)
        import sqlite3

        return sqlite3.connect(self.db)

    @property
    def param(self) -> str:
        return "%s" if self.postgres else "?"

    def _sibling(self, folder: Path, schema: str = "") -> Workspace:
        folder.mkdir(parents=True, exist_ok=True)
        other = Workspace(folder, self.students, self.seed, self.pg_url, schema, self.roster)
        write_config(other)
        # The same district, so the same secret: its audit chain is keyed with it.
        shutil.copy2(self.secret_path, other.secret_path)
        return other

    @property
    def secret_path(self) -> Path:
        config = self.config()
        return config.resolve(config.security.secret_file)

    def fresh(self, folder: Path) -> Workspace:
        """A district with the demo data only (as before the import), for a load into it."""
        if self.postgres:
            schema = pg.new_name("bench_fresh")
            pg.clone_schema(self.pg_url, _demo_schema(self.schema), schema)
            return self._sibling(folder, schema)
        other = self._sibling(folder)
        shutil.copy(self.folder / "demo.db", other.db)
        return other

    def copy_to(self, folder: Path) -> Workspace:
        """This district, copied (for runs that write)."""
        if self.postgres:
            schema = pg.new_name("bench_copy")
            pg.clone_schema(self.pg_url, self.schema, schema)
            return self._sibling(folder, schema)
        other = self._sibling(folder)
        checkpoint(self.db)
        shutil.copy(self.db, other.db)
        return other

    def discard(self) -> None:
        """Remove the database (a copy's or a fresh one's)."""
        if self.postgres:
            pg.drop_schema(self.pg_url, self.schema)
            return
        for stale in self.folder.glob("kiosk.db*"):
            stale.unlink()


def _demo_schema(schema: str) -> str:
    return f"{schema}_demo"


def write_config(ws: Workspace) -> None:
    ws.config_path.write_text(CONFIG.replace("{url}", ws.url))


def checkpoint(db: Path) -> None:
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def generate_roster(folder: Path, students: int, seed: int = 1) -> Path:
    from bench.generate import generate

    if folder.exists():
        shutil.rmtree(folder)
    generate(folder, students, seed)
    return folder


def prepare(
    folder: Path, students: int, seed: int = 1, *, roster: Path | None = None, pg_url: str = ""
) -> Workspace:
    """A database with the demo district (the import comes later), on SQLite or in a new
    PostgreSQL schema; the roster is generated unless one is given."""
    from kiosk.demo import load_demo

    folder.mkdir(parents=True, exist_ok=True)
    schema = pg.create_schema(pg_url, "bench") if pg_url else ""
    ws = Workspace(folder, students, seed, pg_url, schema, roster)
    for stale in folder.glob("kiosk.db*"):
        stale.unlink()
    if roster is None:
        generate_roster(ws.roster, students, seed)
    write_config(ws)
    from kiosk.cli.start import create_secret_key

    create_secret_key(ws.config())  # as 'kiosk init' does: audit events are keyed with it
    with ws.active():
        ctx = make_context(ws.config(), check_schema=False)
    try:
        ctx.store.migrate()
        from kiosk.services.schools import sync_config_schools

        sync_config_schools(ctx)
        load_demo(ctx)
    finally:
        ctx.close()
    if ws.postgres:
        pg.clone_schema(pg_url, schema, _demo_schema(schema))
    else:
        checkpoint(ws.db)
        shutil.copy(ws.db, folder / "demo.db")
    return ws


def drop(ws: Workspace) -> None:
    """Drop a PostgreSQL district's schemas (its own and its demo copy)."""
    if ws.postgres:
        pg.drop_schema(ws.pg_url, ws.schema)
        pg.drop_schema(ws.pg_url, _demo_schema(ws.schema))
