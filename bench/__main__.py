"""The benchmark suite: ``python -m bench [--size small|large|xl] [--db sqlite|postgresql|both]
[--json] [--quick]``.

Generates the synthetic district once, then for each database builds it (the import is itself
measured) and runs every measurement against a baseline measured in the same run on the same
machine and the same database; the table shows the databases side by side. PostgreSQL is the
server named by ``KIOSK_TEST_DATABASE_URL`` (or ``--pg``); each district lives in a throw-away
schema, dropped at the end. Results go into docs/PERFORMANCE.md (only ``--size large`` and
``--size xl`` do by default; any run can with ``--report PATH``). ``--size xl`` is a million
students on PostgreSQL: the import rows and search only. ``--quick`` is the CI mode: a small
district and few repetitions, every row still produced, no budget enforced (CI timings mean
nothing).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import report
from bench.suite import SIZES, Suite

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large", "xl"), default="small")
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--quick", action="store_true", help="CI mode: tiny sizes, every row")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--rows",
        type=lambda text: tuple(key.strip() for key in text.split(",") if key.strip()),
        help="only these rows, comma-separated (e.g. web_pages,web_signins,web_loop)",
    )
    parser.add_argument("--workdir", type=Path, help="where the district is built (kept)")
    parser.add_argument(
        "--report",
        type=Path,
        help="the Markdown file to update (default: docs/PERFORMANCE.md for --size large/xl)",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("KIOSK_TEST_DATABASE_URL") or PG_URL,
        help="the PostgreSQL server (default: KIOSK_TEST_DATABASE_URL)",
    )
    return parser


def _run_all(args: argparse.Namespace, folder: Path, log) -> tuple[dict, dict]:  # type: ignore[no-untyped-def]
    from bench import pg
    from bench.workspace import generate_roster

    sizes = SIZES["quick" if args.quick else args.size]
    if args.rows:
        unknown = set(args.rows) - set(report.ROW_KEYS)
        if unknown:
            raise SystemExit(f"unknown rows: {', '.join(sorted(unknown))}")
        sizes = dataclasses.replace(sizes, rows=args.rows)
    backends = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if args.size == "xl" and not args.quick:
        backends = ["postgresql"]  # a million students is a district-wide install
    log(f"generating a roster of {sizes.students:,} students ...")
    roster = generate_roster(folder / "roster", sizes.students)
    results: dict[str, dict] = {}
    details: dict[str, dict] = {}
    keys = report.ROW_KEYS if sizes.rows is None else sizes.rows
    for backend in backends:
        url = args.pg if backend == "postgresql" else ""
        suite = Suite(sizes, folder / backend, roster, url, log)
        why = pg.reachable(url) if url else ""
        if why:
            log(why)
            results[suite.backend] = suite.not_measured(keys, why)
            continue
        results[suite.backend] = suite.run(keys)
        details[suite.backend] = suite.details
    return results, details


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:])

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    temp = None
    if args.workdir is None:
        temp = tempfile.mkdtemp(prefix="kiosk-bench-")
        folder = Path(temp)
    else:
        folder = args.workdir
        folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        results, details = _run_all(args, folder, log)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    seconds = time.perf_counter() - started
    from bench.machine import describe

    machine = describe()
    target = args.report
    if target is None and not args.quick and args.size in ("large", "xl"):
        target = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"
    block = "xl" if args.size == "xl" and not args.quick else ""
    table = report.markdown(results, machine, command.strip(), seconds, block)
    if target is not None:
        report.write(target, table, block)
        log(f"wrote {target}")
    if args.json:
        print(json.dumps(report.as_json(results, machine, details, command.strip()), indent=2))
    else:
        print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
