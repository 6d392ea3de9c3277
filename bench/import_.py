"""OneRoster import of the district against a raw load of the same rows.

The raw load is ``sqlite3``'s ``executemany`` on SQLite and ``COPY`` on PostgreSQL. Both run in
a fresh child process on a copy of the same database (the demo district, before the import),
so neither inherits the other's caches or memory; then the importer imports the same files
again (nothing changed: it should write nothing) and a copy with 1% of the people changed.
Peak memory is the child's peak resident size (on PostgreSQL, the importing client's; the
server's is its own configuration). "Flat in file size" is checked by importing the same
people twice, once from files padded with a wide extra column (about three times the bytes):
a streaming importer's peak stays the same.
"""

from __future__ import annotations

import csv
import json
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.workspace import Workspace, checkpoint


@dataclass(frozen=True)
class ImportResult:
    importer_s: float
    baseline_s: float
    importer_peak_mib: float
    baseline_peak_mib: float
    flat_people: int
    plain_bytes: int
    padded_bytes: int
    plain_peak_mib: float
    padded_peak_mib: float
    reimport_s: float = 0.0  # the same files again
    reimport_peak_mib: float = 0.0
    changed_s: float = 0.0  # with 1% of the people changed
    changed_people: int = 0

    @property
    def ratio(self) -> float:
        return self.importer_s / self.baseline_s

    @property
    def memory_ratio(self) -> float:
        """Peak memory with 3x bigger files over peak memory with the plain files."""
        return self.padded_peak_mib / self.plain_peak_mib


def load_roster(ws: Workspace) -> None:
    """Import ``ws``'s roster without measuring it: the district the other rows work on when
    ``--rows`` leaves the import rows out."""
    _child("importer", ws.roster, ws)
    if not ws.postgres:
        checkpoint(ws.db)


def _child(kind: str, roster: Path, ws: Workspace) -> dict:
    """``kind``: "baseline" (the raw load for the workspace's database) or "importer"."""
    args = [sys.executable, "-m", "bench.import_", kind, str(roster), ws.url, str(ws.config_path)]
    out = subprocess.run(args, capture_output=True, text=True, timeout=7200, env=ws.env())
    if out.returncode != 0:
        raise RuntimeError(f"{kind} import failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def pad_roster(src: Path, dst: Path, width: int = 400) -> None:
    """The same roster with a wide ``metadata.notes`` column on every user row."""
    dst.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        if path.name != "users.csv":
            (dst / path.name).write_bytes(path.read_bytes())
    with (
        open(src / "users.csv", encoding="utf-8", newline="") as fin,
        open(dst / "users.csv", "w", encoding="utf-8", newline="") as fout,
    ):
        reader, writer = csv.reader(fin), csv.writer(fout)
        writer.writerow([*next(reader), "metadata.notes"])
        note = ("Pick-up notes and other SIS text the kiosk does not use. " * 10)[:width]
        for row in reader:
            writer.writerow([*row, note])


def change_roster(src: Path, dst: Path, every: int = 100, tag: str = "-Ortiz") -> int:
    """The same roster with one user in ``every`` changed as a nightly SIS export changes
    them: a new family name (ending in ``tag``), phone or email. Returns how many users were
    changed."""
    dst.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        if path.name != "users.csv":
            (dst / path.name).write_bytes(path.read_bytes())
    changed = 0
    with (
        open(src / "users.csv", encoding="utf-8", newline="") as fin,
        open(dst / "users.csv", "w", encoding="utf-8", newline="") as fout,
    ):
        reader, writer = csv.DictReader(fin), None
        for n, row in enumerate(reader):
            if writer is None:
                writer = csv.DictWriter(fout, fieldnames=list(row))
                writer.writeheader()
            if n % every == every // 2:
                changed += 1
                if row["role"] == "student" or n % 3 == 0:
                    row["familyName"] = row["familyName"] + tag
                elif n % 3 == 1:
                    row["phone"] = f"555-{n % 1000:03d}-{n % 10000:04d}"
                else:
                    row["email"] = f"changed.{n}@example.org"
            writer.writerow(row)
    return changed


def measure(ws: Workspace, scratch: Path, flat_people: int) -> ImportResult:
    """Import ``ws``'s roster into ``ws``'s database (kept for the other measurements), then
    import it again unchanged and with 1% of the people changed."""
    from bench.generate import generate

    scratch.mkdir(parents=True, exist_ok=True)
    base = ws.fresh(scratch / "baseline")
    try:
        baseline = _child("baseline", ws.roster, base)
    finally:
        base.discard()
    importer = _child("importer", ws.roster, ws)
    again = _child("importer", ws.roster, ws)
    changed_roster = scratch / "changed-roster"
    changed_people = change_roster(ws.roster, changed_roster)
    changed = _child("importer", changed_roster, ws)
    shutil.rmtree(changed_roster)
    if not ws.postgres:
        checkpoint(ws.db)

    # Peak memory against file size: the same people, plain and padded files.
    plain, padded = scratch / "flat-plain", scratch / "flat-padded"
    generate(plain, flat_people, ws.seed + 1)
    pad_roster(plain, padded)
    peaks = []
    for roster in (plain, padded):
        flat = ws.fresh(scratch / "flat")
        try:
            peaks.append(_child("importer", roster, flat)["peak_mib"])
        finally:
            flat.discard()
    plain_bytes, padded_bytes = _folder_bytes(plain), _folder_bytes(padded)
    shutil.rmtree(plain)
    shutil.rmtree(padded)
    return ImportResult(
        importer["seconds"],
        baseline["seconds"],
        importer["peak_mib"],
        baseline["peak_mib"],
        flat_people,
        plain_bytes,
        padded_bytes,
        peaks[0],
        peaks[1],
        again["seconds"],
        again["peak_mib"],
        changed["seconds"],
        changed_people,
    )


def _peak_mib() -> float:
    """This process's peak resident size (VmHWM: ru_maxrss would include the parent's, since
    Linux keeps it across fork and exec)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> None:
    import time

    kind, roster, url = argv[0], Path(argv[1]), argv[2]
    if kind == "baseline":
        from bench import raw_baseline

        before = _peak_mib()
        if url.startswith("postgresql"):
            seconds = raw_baseline.load_postgres(roster, url)
        else:
            seconds = raw_baseline.load(roster, Path(url.removeprefix("sqlite:///")))
    else:
        from kiosk.auth import SYSTEM
        from kiosk.config import load_config
        from kiosk.context import make_context
        from kiosk.services.roster import import_roster

        ctx = make_context(load_config(argv[3]))
        before = _peak_mib()
        started = time.perf_counter()
        summary = import_roster(ctx, SYSTEM, roster)
        seconds = time.perf_counter() - started
        ctx.close()
        if summary.students < 1:
            raise SystemExit("the import loaded no students")
    print(json.dumps({"seconds": seconds, "peak_mib": _peak_mib(), "start_mib": before}))


if __name__ == "__main__":
    main(sys.argv[1:])
