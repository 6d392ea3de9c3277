"""The district a benchmark run works on: generated once per run, imported once, reused.

A run folder holds the OneRoster files, a ``kiosk.toml`` and the kiosk database (the demo
district, for staff sign-ins, plus the imported synthetic district). Every measurement that
needs the district opens this database; the ones that change data work on a copy.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

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
url = "sqlite:///{db}"

[mail]
mode = "outbox"
outbox_dir = "outbox"

[security]
secret_file = "kiosk.secret"
"""


@dataclass(frozen=True)
class Workspace:
    folder: Path
    students: int
    seed: int = 1

    @property
    def roster(self) -> Path:
        return self.folder / "roster"

    @property
    def db(self) -> Path:
        return self.folder / "kiosk.db"

    @property
    def config_path(self) -> Path:
        return self.folder / "kiosk.toml"

    def config(self) -> Config:
        return load_config(self.config_path)

    def context(self) -> Context:
        return make_context(self.config())

    def fresh_db(self, target: Path) -> Path:
        """A copy of the demo-only database (before the import), for a load into it."""
        shutil.copy(self.folder / "demo.db", target)
        return target

    def copy_to(self, folder: Path) -> Workspace:
        """This workspace's config and database in another folder (for runs that write)."""
        folder.mkdir(parents=True, exist_ok=True)
        with_db = Workspace(folder, self.students, self.seed)
        write_config(with_db)
        checkpoint(self.db)
        shutil.copy(self.db, with_db.db)
        return with_db


def write_config(ws: Workspace) -> None:
    ws.config_path.write_text(CONFIG.replace("{db}", str(ws.db)))


def checkpoint(db: Path) -> None:
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def prepare(folder: Path, students: int, seed: int = 1) -> Workspace:
    """Generate the roster and a database with the demo district (the import comes later)."""
    from bench.generate import generate
    from kiosk.demo import load_demo

    folder.mkdir(parents=True, exist_ok=True)
    ws = Workspace(folder, students, seed)
    for stale in folder.glob("kiosk.db*"):
        stale.unlink()
    if ws.roster.exists():
        shutil.rmtree(ws.roster)
    generate(ws.roster, students, seed)
    write_config(ws)
    ctx = make_context(ws.config(), check_schema=False)
    try:
        ctx.store.migrate()
        from kiosk.services.schools import sync_config_schools

        sync_config_schools(ctx)
        load_demo(ctx)
    finally:
        ctx.close()
    checkpoint(ws.db)
    shutil.copy(ws.db, folder / "demo.db")
    return ws
