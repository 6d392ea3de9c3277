"""A description of the machine a run measured, printed with every result."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys


def describe() -> dict[str, str]:
    cpu = ""
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        cpu = platform.processor()
    mem = ""
    try:
        with open("/proc/meminfo") as handle:
            kib = int(handle.readline().split()[1])
            mem = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import textual

    return {
        "cpu": cpu or "unknown",
        "cores": str(os.cpu_count()),
        "memory": mem or "unknown",
        "os": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "textual": textual.__version__,
    }
