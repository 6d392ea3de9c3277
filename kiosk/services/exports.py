"""CSV exports from the admin console: one owner-only file per export, in a stated folder.

The folder is ``[kiosk] export_dir`` (relative to ``kiosk.toml``). Every cell goes through
``csv_safe`` because these files are opened in spreadsheets and names come from the roster.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from kiosk import audit
from kiosk.auth import Actor
from kiosk.context import Context
from kiosk.services.access import require_staff
from kiosk.text import csv_safe

#: Rows one export may hold; a screen never shows more than this, so nothing is cut.
MAX_ROWS = 100_000


def export_folder(ctx: Context) -> Path:
    return ctx.config.resolve(ctx.config.kiosk.export_dir)


def write_csv(
    ctx: Context,
    actor: Actor,
    name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> Path:
    """Write ``rows`` under ``header`` to a new ``<name>-<time>.csv``; return its path."""
    require_staff(actor)
    folder = export_folder(ctx)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stem = f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}-{ctx.clock.now():%Y%m%d-%H%M%S}"
    path, fd = _new_file(folder, stem)
    count = 0
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([csv_safe(str(h)) for h in header])
        for row in rows:
            if count == MAX_ROWS:
                break
            writer.writerow([csv_safe("" if v is None else str(v)) for v in row])
            count += 1
    with ctx.store.write():
        audit.record(ctx, actor, "export.csv", target=name, detail={"rows": count})
    return path


def _new_file(folder: Path, stem: str) -> tuple[Path, int]:
    """A file nobody else can read, never one that already exists (two exports a second)."""
    for n in range(1, 100):
        path = folder / (f"{stem}.csv" if n == 1 else f"{stem}-{n}.csv")
        try:
            return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
    raise FileExistsError(stem)
