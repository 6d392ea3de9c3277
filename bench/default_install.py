"""``python -m bench.default_install MODULE ARGS...``: run MODULE as the default install would.

``pip install front-desk-kiosk`` installs no PostgreSQL driver (it is the ``[postgres]`` extra);
the benchmark's own environment has it for the PostgreSQL column, and peewee imports it at its
own import when it is present (about 130 ms, see docs/PERFORMANCE.md). Marking the drivers
absent, with ``None`` in ``sys.modules`` (Python's documented way to make an import fail), gives
the SQLite column the start-up and memory of the default install, which is what a school on
SQLite runs.
"""

from __future__ import annotations

import runpy
import sys

#: The drivers the default install does not have.
ABSENT = ("psycopg", "psycopg2")


def main(argv: list[str]) -> None:
    for name in ABSENT:
        sys.modules[name] = None  # type: ignore[assignment]
    module, *args = argv
    sys.argv = [module, *args]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
