"""The benchmark suite: ``python -m bench [--size small|large] [--json] [--quick]``.

Builds the synthetic district once (generate, then import: the import is itself measured),
runs every measurement against a baseline measured in the same run on the same machine, and
writes the results table into docs/PERFORMANCE.md (only ``--size large`` does by default;
any run can with ``--report PATH``). ``--quick`` is the CI mode: a small district and few
repetitions, every row still produced, no budget enforced (CI timings mean nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import federation, report
from bench.report import Row

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Sizes:
    students: int
    flat_people: int
    letters: int
    startup_runs: int
    memory_runs: int
    search_words: int
    typing_words: int
    race_keys: int
    race_processes: int


SIZES = {
    "large": Sizes(100_000, 20_000, 10_000, 10, 5, 40, 12, 10, 8),
    "small": Sizes(1_000, 1_000, 1_000, 10, 5, 40, 12, 10, 8),
    "quick": Sizes(200, 200, 20, 1, 1, 4, 2, 1, 3),
}


def _ms(value: float) -> str:
    return f"{value:.1f} ms"


def _x(value: float) -> str:
    return f"{value:.2f}x"


class Suite:
    def __init__(self, sizes: Sizes, folder: Path, pg_url: str, log: Callable[[str], None]):
        self.sizes = sizes
        self.folder = folder
        self.pg_url = pg_url
        self.log = log
        self.rows: dict[str, Row] = {}
        self.details: dict[str, object] = {}

    def step(self, name: str, keys: tuple[str, ...], run: Callable[[], None]) -> None:
        """Run one measurement; a failure becomes a row that says so (the suite goes on)."""
        self.log(f"{name} ...")
        started = time.perf_counter()
        try:
            run()
        except Exception as exc:
            self.log(traceback.format_exc())
            for key in keys:
                self.rows.setdefault(
                    key,
                    Row(
                        key,
                        name,
                        "-",
                        f"failed: {type(exc).__name__}: {exc}"[:200],
                        "-",
                        "-",
                        False,
                    ),
                )
        self.log(f"{name}: {time.perf_counter() - started:.1f} s")

    # -- the measurements ------------------------------------------------------------------

    def run(self) -> list[Row]:
        from bench.workspace import prepare

        s = self.sizes
        self.log(f"district of {s.students} students in {self.folder} ...")
        self.ws = prepare(self.folder / "district", s.students)
        self.scratch = self.folder / "scratch"
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.step("import", ("import", "import_memory"), self._import)
        self.step("search", ("search",), self._search)
        self.step("startup", ("startup",), self._startup)
        self.step("memory", ("memory",), self._memory)
        self.step("typing", ("typing",), self._typing)
        self.step("stall (account)", ("stall_account",), self._stall_account)
        self.step("stall (import)", ("stall_import",), self._stall_import)
        self.step("letters", ("letters",), self._letters)
        self.step("race", ("race_sqlite", "race_postgres"), self._race)
        self.step(
            "federation",
            federation.KEYS,
            lambda: self.rows.update(
                federation.rows(self.scratch / "federation", max(5, self.sizes.search_words))
            ),
        )
        return [self.rows[k] for k in report.ROW_KEYS]

    def _import(self) -> None:
        from bench import import_

        r = import_.measure(self.ws, self.scratch, self.sizes.flat_people)
        self.details["import"] = asdict(r)
        self.rows["import"] = Row(
            "import",
            f"OneRoster import, {self.sizes.students:,} students",
            f"raw sqlite3 executemany of the same rows: {r.baseline_s:.2f} s",
            f"{r.importer_s:.2f} s, peak {r.importer_peak_mib:.0f} MiB "
            f"(baseline peak {r.baseline_peak_mib:.0f} MiB)",
            _x(r.ratio),
            "<= 2.5x",
            r.ratio <= 2.5,
        )
        self.rows["import_memory"] = Row(
            "import_memory",
            f"import peak memory vs file size ({r.flat_people:,} students)",
            f"plain files {r.plain_bytes / 2**20:.1f} MiB: peak {r.plain_peak_mib:.0f} MiB",
            f"padded files {r.padded_bytes / 2**20:.1f} MiB: peak {r.padded_peak_mib:.0f} MiB",
            _x(r.memory_ratio) + f" for {r.padded_bytes / r.plain_bytes:.1f}x the bytes",
            "flat (<= 1.1x)",
            r.memory_ratio <= 1.1,
        )

    def _search(self) -> None:
        from bench import search

        ctx = self.ws.context()
        try:
            words = search.sample_words(ctx, self.sizes.search_words)
            r = search.measure(ctx, str(self.ws.db), search.prefixes(words))
        finally:
            ctx.close()
        self.details["search"] = asdict(r)
        self.rows["search"] = Row(
            "search",
            f"search service, 1-6 typed characters ({r.queries} queries)",
            f"hand-written indexed sqlite3 query: p50 {_ms(r.baseline_p50_ms)}, "
            f"p95 {_ms(r.baseline_p95_ms)}",
            f"p50 {_ms(r.service_p50_ms)}, p95 {_ms(r.service_p95_ms)}",
            f"p95 {_ms(r.service_p95_ms)}, {_x(r.p95_ratio)}",
            "p95 <= 30 ms and <= 3x",
            r.service_p95_ms <= 30 and r.p95_ratio <= 3,
        )

    def _startup(self) -> None:
        from bench import startup

        r = startup.measure(str(self.ws.config_path), runs=self.sizes.startup_runs)
        self.details["startup"] = asdict(r)
        self.rows["startup"] = Row(
            "startup",
            f"cold start to the first screen (median of {self.sizes.startup_runs})",
            f"bare Textual app with one Static: {r.bare_s * 1000:.0f} ms",
            f"{r.kiosk_s * 1000:.0f} ms, the `kiosk` command",
            _x(r.start_ratio),
            "<= 2x",
            r.start_ratio <= 2,
        )

    def _memory(self) -> None:
        from bench import memory

        r = memory.measure(str(self.ws.config_path), runs=self.sizes.memory_runs)
        self.details["memory"] = asdict(r)
        self.rows["memory"] = Row(
            "memory",
            "resident memory of a running kiosk on the district (after a search)",
            f"bare Textual app: {r.bare_mib:.1f} MiB",
            f"{r.kiosk_mib:.1f} MiB",
            _x(r.ratio),
            "<= 1.5x",
            r.ratio <= 1.5,
        )

    def _typing(self) -> None:
        from bench import search, typing

        ctx = self.ws.context()
        try:
            words = search.sample_words(ctx, self.sizes.typing_words, seed=11)
        finally:
            ctx.close()
        r = typing.measure(self.ws, words)
        self.details["typing"] = asdict(r)
        self.rows["typing"] = Row(
            "typing",
            f"keystroke to painted results in the app ({r.keystrokes} keystrokes)",
            "none (human perception)",
            f"p50 {_ms(r.p50_ms)}, p95 {_ms(r.p95_ms)}, max {_ms(r.max_ms)}",
            f"p95 {_ms(r.p95_ms)}",
            "p95 <= 100 ms",
            r.p95_ms <= 100,
        )

    def _stall_row(self, key: str, what: str, r) -> None:  # type: ignore[no-untyped-def]
        self.details[key] = asdict(r)
        self.rows[key] = Row(
            key,
            what,
            f"10 ms timer, app idle: worst {_ms(r.idle_ms)} late",
            f"worst {_ms(r.stall_ms)} late over {r.ticks} ticks ({r.work_s:.1f} s of work)",
            _ms(r.stall_ms),
            "<= 50 ms",
            r.stall_ms <= 50,
        )

    def _stall_account(self) -> None:
        from bench import stall

        self._stall_row(
            "stall_account",
            "largest event-loop stall while an account is created",
            stall.measure_account(self.ws),
        )

    def _stall_import(self) -> None:
        from bench import stall

        self._stall_row(
            "stall_import",
            f"largest event-loop stall while the app imports {self.sizes.students:,} students",
            stall.measure_import(self.ws, self.scratch),
        )

    def _letters(self) -> None:
        from bench import letters

        r = letters.measure(self.ws, self.scratch, self.sizes.letters)
        self.details["letters"] = asdict(r)
        self.rows["letters"] = Row(
            "letters",
            f"{r.letters:,} letters PDF with QR codes (keys issued)",
            f"qrcode + fpdf2, same pages in a bare loop: {r.baseline_s:.2f} s",
            f"{r.service_s:.2f} s ({r.pdf_mib:.1f} MiB PDF)",
            _x(r.ratio),
            "<= 1.5x",
            r.ratio <= 1.5,
        )

    def _race(self) -> None:
        from bench import race

        s = self.sizes
        results = [
            race.measure_sqlite(self.scratch / "race", s.race_keys, s.race_processes),
            race.measure_postgres(
                self.scratch / "race", self.pg_url, s.race_keys, s.race_processes
            ),
        ]
        for key, r in zip(("race_sqlite", "race_postgres"), results, strict=True):
            self.details[key] = asdict(r)
            if r.skipped:
                self.rows[key] = Row(
                    key,
                    f"key redemption race on {r.backend}",
                    "none",
                    f"not measured: {r.skipped}",
                    "-",
                    "one success per key, no errors",
                    None,
                )
                continue
            ok = r.exactly_once and not r.errors
            errors = f"{len(r.errors)} errors" + (
                ": " + ", ".join(sorted(set(r.errors))) if r.errors else ""
            )
            self.rows[key] = Row(
                key,
                f"key redemption race on {r.backend}: {r.processes} processes x {r.keys} keys",
                "none",
                f"successes per key {sorted(set(r.successes_per_key))}, {errors}",
                f"{r.per_second:.2f} redemptions/s",
                "exactly one success per key, no errors",
                ok,
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--quick", action="store_true", help="CI mode: tiny sizes, every row")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--workdir", type=Path, help="where the district is built (kept)")
    parser.add_argument(
        "--report",
        type=Path,
        help="the Markdown file to update (default: docs/PERFORMANCE.md for --size large)",
    )
    parser.add_argument(
        "--pg",
        default=os.environ.get("KIOSK_TEST_DATABASE_URL") or PG_URL,
        help="PostgreSQL for the redemption race",
    )
    args = parser.parse_args(argv)
    sizes = SIZES["quick" if args.quick else args.size]
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
        suite = Suite(sizes, folder, args.pg, log)
        rows = suite.run()
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    seconds = time.perf_counter() - started
    from bench.machine import describe

    machine = describe()
    target = args.report
    if target is None and not args.quick and args.size == "large":
        target = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"
    table = report.markdown(rows, machine, command.strip(), seconds)
    if target is not None:
        report.write(target, table)
        log(f"wrote {target}")
    if args.json:
        print(json.dumps(report.as_json(rows, machine, suite.details, command.strip()), indent=2))
    else:
        print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
