"""Key redemption by 8 kiosk processes at once, on SQLite and on PostgreSQL.

For each of N keys, 8 processes (each with its own connection, as separate kiosks) wait at a
barrier and then all redeem the same key. Exactly one may succeed; every other must be told
the key was used; nothing else may happen. Redemptions per second is keys over the wall time
of all rounds (each round includes the losers' answers and a production argon2 hash).
"""

from __future__ import annotations

import multiprocessing as mp
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PROCESSES = 8
PASSWORD = "maple syrup on pancakes"

_ctx = None
_barrier = None


@dataclass
class RaceResult:
    backend: str
    keys: int
    processes: int
    successes_per_key: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped: str = ""

    @property
    def exactly_once(self) -> bool:
        return bool(self.successes_per_key) and all(n == 1 for n in self.successes_per_key)

    @property
    def per_second(self) -> float:
        return self.keys / self.seconds if self.seconds else 0.0


def _config(folder: Path, url: str):
    from kiosk.config import config_from_dict

    return config_from_dict(
        {
            "district": {"name": "Race District", "mobile_app_code": "RACE"},
            "database": {"url": url},
            "mail": {"mode": "outbox", "outbox_dir": str(folder / "outbox")},
            "security": {"secret_file": str(folder / "kiosk.secret")},
        },
        folder / "kiosk.toml",
    )


def _context(folder: Path, url: str, connect: dict):
    from kiosk.context import Context
    from kiosk.mail import make_mailer
    from kiosk.store.db import open_store

    config = _config(folder, url)
    return Context(config=config, store=open_store(url, **connect), mailer=make_mailer(config))


def _init(folder: str, url: str, connect: dict, barrier) -> None:  # type: ignore[no-untyped-def]
    global _ctx, _barrier
    _ctx = _context(Path(folder), url, connect)
    _barrier = barrier


def _redeem(args: tuple[str, str]) -> str:
    from kiosk.services import activation

    key, username = args
    _barrier.wait(timeout=120)  # type: ignore[union-attr]
    try:
        activation.redeem_key(_ctx, key, username, PASSWORD, PASSWORD)
        return "ok"
    except Exception as exc:
        return f"{type(exc).__name__}:{getattr(exc, 'code', '')}"


def _setup(ctx, keys: int) -> list[str]:  # type: ignore[no-untyped-def]
    from kiosk.store.models import Guardian, Relationship, School, Student
    from kiosk.text import fold

    with ctx.store.write():
        school = School.create(sourced_id="race-school", code="RACE", name="Race School")
        student = Student.create(
            sourced_id="race-student",
            student_number="1",
            given_name="Kid",
            family_name="Racer",
            search_name="kid racer",
            school=school,
        )
        ids = []
        for n in range(keys):
            g = Guardian.create(
                sourced_id=f"RACE-{n}",
                given_name="Racer",
                family_name=f"N{n}",
                search_name=fold(f"racer n{n}"),
            )
            Relationship.create(guardian=g, student=student)
            ids.append(g.sourced_id)
    return ids


def _run(
    backend: str, folder: Path, url: str, connect: dict, keys: int, processes: int
) -> RaceResult:
    from kiosk.auth import SYSTEM
    from kiosk.cli.start import create_secret_key
    from kiosk.services import activation

    folder.mkdir(parents=True, exist_ok=True)
    create_secret_key(_config(folder, url))  # as 'kiosk init' does: audit events are keyed
    ctx = _context(folder, url, connect)
    result = RaceResult(backend, keys, processes)
    try:
        ctx.store.migrate()
        guardians = _setup(ctx, keys)
        issued = [activation.issue_key(ctx, SYSTEM, g).key for g in guardians]
        spawn = mp.get_context("spawn")
        with spawn.Manager() as manager:
            barrier = manager.Barrier(processes)
            with spawn.Pool(
                processes, initializer=_init, initargs=(str(folder), url, connect, barrier)
            ) as pool:
                pool.map(len, ["warm"] * processes, chunksize=1)  # processes started
                started = time.perf_counter()
                for n, key in enumerate(issued):
                    tag = uuid.uuid4().hex[:6]
                    answers = pool.map(
                        _redeem, [(key, f"r{n}x{i}{tag}") for i in range(processes)], chunksize=1
                    )
                    result.successes_per_key.append(answers.count("ok"))
                    result.errors += [
                        a for a in answers if a != "ok" and not a.startswith("KeyProblem:used")
                    ]
                result.seconds = time.perf_counter() - started
    finally:
        ctx.close()
    return result


def measure_sqlite(folder: Path, keys: int, processes: int = PROCESSES) -> RaceResult:
    db = folder / "race.db"
    for stale in folder.glob("race.db*"):
        stale.unlink()
    try:
        return _run("SQLite", folder, f"sqlite:///{db}", {}, keys, processes)
    finally:
        for stale in folder.glob("race.db*"):
            stale.unlink()


def measure_postgres(folder: Path, url: str, keys: int, processes: int = PROCESSES) -> RaceResult:
    """In a throw-away schema; skipped (and said so) when the server cannot be reached."""
    try:
        import psycopg

        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:
        return RaceResult(
            "PostgreSQL", keys, processes, skipped=f"no server ({type(exc).__name__})"
        )
    try:
        options = {"options": f"-c search_path={schema}"}
        return _run("PostgreSQL", folder, url, options, keys, processes)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
