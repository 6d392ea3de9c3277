"""Cold start to the first interactive screen, and resident memory, against a bare app.

Each figure is the median of N fresh processes (``bench.probe``), timed from the parent's spawn
to the child's first painted screen, so interpreter start-up and imports count, as a person at
the terminal sees them (the time to exit does not).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StartupResult:
    bare_s: float
    kiosk_s: float
    bare_rss_mib: float
    kiosk_rss_mib: float

    @property
    def start_ratio(self) -> float:
        return self.kiosk_s / self.bare_s

    @property
    def memory_ratio(self) -> float:
        return self.kiosk_rss_mib / self.bare_rss_mib


def _one(args: list[str]) -> tuple[float, float]:
    """(seconds from spawn to the first screen painted, resident MiB then)."""
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "bench.probe", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    line = json.loads([ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1])
    return line["ready_at"] - started, line["rss_kib"] / 1024


def compile_bytecode() -> None:
    """Compile the kiosk's modules (and the probe's) to bytecode, as installing a package does.

    Textual, the baseline's only code, was byte-compiled by pip when it was installed. The
    kiosk's own modules come from this checkout (an editable install), and where
    ``PYTHONDONTWRITEBYTECODE`` is set (this machine sets it) Python would compile them from
    source at every start: about 10 ms that an installed kiosk never pays. Both sides then start
    from bytecode, as they do in a deployment.
    """
    import compileall

    root = Path(__file__).resolve().parent.parent
    for package in ("kiosk", "bench"):
        compileall.compile_dir(root / package, quiet=1)


def measure(config_path: str, *, runs: int = 10, warm_query: str = "") -> StartupResult:
    """Alternate bare and kiosk runs so machine noise hits both alike."""
    compile_bytecode()
    bare_t, kiosk_t, bare_m, kiosk_m = [], [], [], []
    kiosk_args = ["kiosk", config_path] + ([warm_query] if warm_query else [])
    _one(["bare"])  # warm the file cache for both
    _one(kiosk_args)
    for _ in range(runs):
        t, m = _one(["bare"])
        bare_t.append(t)
        bare_m.append(m)
        t, m = _one(kiosk_args)
        kiosk_t.append(t)
        kiosk_m.append(m)
    med = statistics.median
    return StartupResult(med(bare_t), med(kiosk_t), med(bare_m), med(kiosk_m))
