"""Resident memory of a running kiosk on the district, against the bare Textual app.

The kiosk probe opens the district's database, answers one search (so the ORM, the search
path and SQLite's page cache are in memory, as at a front desk after the first look-up) and
paints the first screen; the bare probe paints one Static. Both run under
``bench.paint_driver``, which reads the resident memory when the first screen is written.
Median of N processes each.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from bench.startup import BARE, _one, as_installed


@dataclass(frozen=True)
class MemoryResult:
    bare_mib: float
    kiosk_mib: float

    @property
    def ratio(self) -> float:
        return self.kiosk_mib / self.bare_mib


def measure(
    config_path: str, *, runs: int = 3, query: str = "garcia", default_install: bool = False
) -> MemoryResult:
    """``default_install``: without the PostgreSQL driver (see ``bench.default_install``)."""
    probe = as_installed(["-m", "bench.probe", "kiosk", config_path, query], default_install)
    bare, kiosk = [], []
    for _ in range(runs):
        bare.append(_one(BARE)[1])
        kiosk.append(_one(probe)[1])
    return MemoryResult(statistics.median(bare), statistics.median(kiosk))
