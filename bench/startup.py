"""Cold start to the first interactive screen, against a bare app.

Each figure is the median of N fresh processes, timed from the parent's spawn to the moment the
child writes its first screen to the terminal, so interpreter start-up, imports and the first
rendering count, as a person at the terminal sees them (the time to exit does not). The kiosk
child is the real ``kiosk`` command (``python -m kiosk --config ...``); both run under
``bench.paint_driver``, which stands in for the terminal.
"""

from __future__ import annotations

import json
import os
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
    #: Resident memory at the first screen (in the --json details; the memory row is separate).
    bare_rss_mib: float
    kiosk_rss_mib: float

    @property
    def start_ratio(self) -> float:
        return self.kiosk_s / self.bare_s


ROOT = Path(__file__).resolve().parent.parent

#: The bare app, and the ``kiosk`` command exactly as a front desk starts it.
BARE = ["-m", "bench.probe", "bare"]


def kiosk_command(config_path: str, *, default_install: bool = False) -> list[str]:
    """The ``kiosk`` command; ``default_install``: without the PostgreSQL driver, as
    ``pip install front-desk-kiosk`` has it (``bench.default_install``)."""
    return as_installed(["-m", "kiosk", "--config", config_path], default_install)


def as_installed(args: list[str], default_install: bool) -> list[str]:
    """``python -m MODULE ...`` arguments, run as the default install when asked."""
    if not default_install:
        return args
    return ["-m", "bench.default_install", *args[1:]]


def paint_env() -> dict[str, str]:
    """The environment of a child run under ``bench.paint_driver``, on an 80x24 terminal."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_")}
    env.update(
        PYTHONPATH=str(ROOT),
        COLUMNS="80",
        LINES="24",
        TEXTUAL_DRIVER="bench.paint_driver:PaintTimingDriver",
    )
    return env


def _one(args: list[str]) -> tuple[float, float]:
    """(seconds from spawn to the first screen written, resident MiB then), as reported by
    ``bench.paint_driver``, which then asks the app to exit."""
    env = paint_env()
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
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

    for package in ("kiosk", "bench"):
        compileall.compile_dir(ROOT / package, quiet=1)


def measure(config_path: str, *, runs: int = 10, default_install: bool = False) -> StartupResult:
    """Alternate the runs so machine noise hits every side alike."""
    compile_bytecode()
    kiosk = kiosk_command(config_path, default_install=default_install)
    bare_t, kiosk_t, bare_m, kiosk_m = [], [], [], []
    _one(BARE)  # warm the file cache for both
    _one(kiosk)
    for _ in range(runs):
        t, m = _one(BARE)
        bare_t.append(t)
        bare_m.append(m)
        t, m = _one(kiosk)
        kiosk_t.append(t)
        kiosk_m.append(m)
    med = statistics.median
    return StartupResult(med(bare_t), med(kiosk_t), med(bare_m), med(kiosk_m))
