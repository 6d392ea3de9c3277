"""Many kiosks at once while the nightly roster import runs: searches and key issues.

N kiosk processes (spawned, each with its own connection, running the services as the app
does, without the screens) search the district and issue activation keys in a loop, from
before an import of the roster with 1% of the people changed starts until it has finished
(and at least a few rounds each). Every operation is timed; every failure is kept. Afterwards
the keys are counted in the database: each issue a kiosk was told succeeded must be there
(no lost writes), and the import must have written its changes.

The parent web runs beside them: ``kiosk serve`` with two workers signing a parent in again
and again on the same database (``bench.web_load``), whose sign-ins must all be in the audit log.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.web_load import WebLoad, WebLoadResult
from bench.workspace import Workspace

TAG = "-Nakamura"  # the changed family names of this run's import (not the import rows')
MIN_ROUNDS = 3  # each kiosk does at least this many searches and issues, however short


@dataclass
class ConcurrencyResult:
    backend: str
    kiosks: int
    import_s: float = 0.0
    searches: int = 0
    issues: int = 0
    keys_found: int = 0  # keys in the database afterwards, for those kiosks' guardians
    search_p50_ms: float = 0.0
    search_p95_ms: float = 0.0
    issue_p50_ms: float = 0.0
    issue_p95_ms: float = 0.0
    errors: list[str] = field(default_factory=list)
    import_changed: bool = False
    web: WebLoadResult | None = None

    @property
    def lost(self) -> int:
        return self.issues - self.keys_found + (self.web.lost if self.web else 0)

    @property
    def ok(self) -> bool:
        web_ok = self.web is not None and not self.web.errors and self.web.sign_ins > 0
        return not self.errors and self.lost == 0 and self.import_changed and web_ok


def _kiosk(config: str, guardians: list[str], words: list[str], seed: int, gate, stop, out):  # type: ignore[no-untyped-def]
    """One kiosk: search, and every other round issue a key, until told to stop."""
    from kiosk.auth import SYSTEM
    from kiosk.config import load_config
    from kiosk.context import make_context
    from kiosk.services.activation import issue_key
    from kiosk.services.people import search

    rng = random.Random(seed)
    ctx = make_context(load_config(config))
    searched: list[float] = []
    issued: list[float] = []
    done: list[str] = []
    errors: list[str] = []
    gate.wait(timeout=600)
    rounds = 0
    while rounds < MIN_ROUNDS or not stop.is_set():
        rounds += 1
        word = rng.choice(words)
        typed = word[: rng.randint(1, min(6, len(word)))]
        started = time.perf_counter()
        try:
            search(ctx, SYSTEM, typed)
            searched.append((time.perf_counter() - started) * 1000)
        except Exception as exc:
            errors.append(f"search: {type(exc).__name__}: {exc}")
        guardian = guardians[rounds % len(guardians)]
        started = time.perf_counter()
        try:
            issue_key(ctx, SYSTEM, guardian)
            issued.append((time.perf_counter() - started) * 1000)
            done.append(guardian)
        except Exception as exc:
            errors.append(f"issue: {type(exc).__name__}: {exc}")
    ctx.close()
    out.put((searched, issued, done, errors))


def eligible_guardians(ws: Workspace, count: int) -> list[str]:
    """Roster guardians who may get a key (active, a portal link, no account yet); ``g-`` is
    the generated roster's prefix, compared case-sensitively (SQLite's LIKE is not): the demo
    district's ``G-`` guardians are deactivated by the import the row runs."""
    con = ws.raw()
    rows = con.execute(
        "SELECT DISTINCT g.sourced_id, g.id FROM guardian g JOIN relationship r "
        "ON r.guardian_id = g.id WHERE g.active AND r.active AND r.is_guardian "
        "AND r.portal_access AND NOT r.custody_restriction AND substr(g.sourced_id, 1, 2) = 'g-' "
        "AND g.id NOT IN (SELECT guardian_id FROM portal_account) ORDER BY g.id"
    ).fetchall()
    con.close()
    return [r[0] for r in rows[:count]]


def _count_keys(ws: Workspace, guardians: list[str]) -> int:
    con = ws.raw()
    marks = ", ".join([ws.param] * len(guardians))
    sql = (
        "SELECT COUNT(*) FROM activation_key k JOIN guardian g ON g.id = k.guardian_id "  # noqa: S608
        f"WHERE g.sourced_id IN ({marks})"
    )
    count = con.execute(sql, guardians).fetchone()[0]
    con.close()
    return int(count)


def _changed_family(ws: Workspace) -> int:
    con = ws.raw()
    count = con.execute(
        "SELECT (SELECT COUNT(*) FROM student WHERE family_name LIKE '%%-Nakamura') + "
        "(SELECT COUNT(*) FROM guardian WHERE family_name LIKE '%%-Nakamura')"
    )
    value = int(count.fetchone()[0])
    con.close()
    return value


def _percentiles(samples: list[float]) -> tuple[float, float]:
    from bench.search import percentiles

    return percentiles(samples) if samples else (0.0, 0.0)


def measure(
    ws: Workspace, scratch: Path, kiosks: int, words: list[str], per_kiosk: int = 50
) -> ConcurrencyResult:
    """On a copy of ``ws``'s district (left as it was)."""
    from bench.import_ import change_roster

    result = ConcurrencyResult(ws.backend, kiosks)
    work = ws.copy_to(scratch / "concurrency")
    roster = scratch / "concurrency-roster"
    try:
        change_roster(ws.roster, roster, tag=TAG)
        before = _changed_family(work)
        guardians = eligible_guardians(work, kiosks * per_kiosk)
        keys_before = _count_keys(work, guardians)
        spawn = mp.get_context("spawn")
        gate, stop, out = spawn.Barrier(kiosks + 1), spawn.Event(), spawn.Queue()
        with work.active():  # the kiosks inherit the schema through the environment
            procs = [
                spawn.Process(
                    target=_kiosk,
                    args=(str(work.config_path), guardians[n::kiosks], words, n, gate, stop, out),
                )
                for n in range(kiosks)
            ]
            for proc in procs:
                proc.start()
        web = WebLoad(work, workers=2)
        web.start()
        gate.wait(timeout=600)  # every kiosk connected
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-m", "bench.import_", "importer", str(roster), work.url,
             str(work.config_path)],
            capture_output=True, text=True, timeout=7200, env=work.env(),
        )  # fmt: skip
        result.import_s = time.perf_counter() - started
        stop.set()
        result.web = web.stop()
        if child.returncode != 0:
            result.errors.append(f"import: {child.stderr.strip().splitlines()[-1:]}")
        searched, issued, done = [], [], []
        for _ in procs:
            s, i, d, e = out.get(timeout=600)
            searched += s
            issued += i
            done += d
            result.errors += e
        for proc in procs:
            proc.join(timeout=60)
        result.searches, result.issues = len(searched), len(done)
        result.search_p50_ms, result.search_p95_ms = _percentiles(searched)
        result.issue_p50_ms, result.issue_p95_ms = _percentiles(issued)
        result.keys_found = _count_keys(work, guardians) - keys_before
        result.import_changed = _changed_family(work) > before
    finally:
        work.discard()
        if roster.exists():
            import shutil

            shutil.rmtree(roster)
    return result
