"""OneRoster import of the district against a raw ``sqlite3`` load of the same rows.

Both run in a fresh child process on a copy of the same database (the demo district, before
the import), so neither inherits the other's caches or memory. Peak memory is the child's
peak resident size. "Flat in file size" is checked by importing the same people twice, once
from files padded with a wide extra column (about three times the bytes): a streaming
importer's peak stays the same.
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.workspace import Workspace, checkpoint, write_config


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

    @property
    def ratio(self) -> float:
        return self.importer_s / self.baseline_s

    @property
    def memory_ratio(self) -> float:
        """Peak memory with 3x bigger files over peak memory with the plain files."""
        return self.padded_peak_mib / self.plain_peak_mib


def _child(kind: str, roster: Path, db: Path, config: Path | None = None) -> dict:
    args = [sys.executable, "-m", "bench.import_", kind, str(roster), str(db)]
    if config is not None:
        args.append(str(config))
    out = subprocess.run(args, capture_output=True, text=True, timeout=1800)
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


def measure(ws: Workspace, scratch: Path, flat_people: int) -> ImportResult:
    """Import ``ws``'s roster into ``ws.db`` (kept for the other measurements)."""
    from bench.generate import generate

    scratch.mkdir(parents=True, exist_ok=True)
    base_db = ws.fresh_db(scratch / "baseline.db")
    baseline = _child("baseline", ws.roster, base_db)
    base_db.unlink()
    importer = _child("importer", ws.roster, ws.db, ws.config_path)
    checkpoint(ws.db)

    # Peak memory against file size: the same people, plain and padded files.
    plain, padded = scratch / "flat-plain", scratch / "flat-padded"
    generate(plain, flat_people, ws.seed + 1)
    pad_roster(plain, padded)
    flat = Workspace(scratch / "flat", flat_people)
    flat.folder.mkdir(exist_ok=True)
    write_config(flat)
    peaks = []
    for roster in (plain, padded):
        ws.fresh_db(flat.db)
        peaks.append(_child("importer", roster, flat.db, flat.config_path)["peak_mib"])
        for stale in flat.folder.glob("kiosk.db*"):
            stale.unlink()
    return ImportResult(
        importer["seconds"],
        baseline["seconds"],
        importer["peak_mib"],
        baseline["peak_mib"],
        flat_people,
        _folder_bytes(plain),
        _folder_bytes(padded),
        peaks[0],
        peaks[1],
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

    kind, roster, db = argv[0], Path(argv[1]), Path(argv[2])
    if kind == "baseline":
        from bench.raw_baseline import load

        before = _peak_mib()
        seconds = load(roster, db)
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
