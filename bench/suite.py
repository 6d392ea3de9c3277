"""The measurements of one run on one database: each row against its baseline in the same run.

``Suite.run`` builds the district on SQLite or in a throw-away PostgreSQL schema (the roster
files are generated once and shared), imports it (the import is itself measured, or loaded
unmeasured when ``--rows`` leaves it out) and runs every row on it. A row that fails says so
in the table; the others still run.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from bench.report import Row


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
    kiosks_sqlite: int
    kiosks_postgres: int
    rows: tuple[str, ...] | None = None  # None: every row


SIZES = {
    "xl": Sizes(1_000_000, 20_000, 0, 0, 0, 40, 0, 0, 0, 0, 0,
                ("import", "import_memory", "reimport", "reimport_changed", "search")),
    "large": Sizes(100_000, 20_000, 10_000, 10, 5, 40, 12, 10, 8, 4, 20),
    "small": Sizes(1_000, 1_000, 1_000, 10, 5, 40, 12, 10, 8, 4, 20),
    "quick": Sizes(200, 200, 20, 1, 1, 4, 2, 1, 3, 2, 3),
}  # fmt: skip


def ms(value: float) -> str:
    return f"{value:.1f} ms"


def x(value: float) -> str:
    return f"{value:.2f}x"


class Suite:
    """Every row on one database (``pg_url`` empty: SQLite)."""

    def __init__(
        self,
        sizes: Sizes,
        folder: Path,
        roster: Path,
        pg_url: str,
        log: Callable[[str], None],
    ) -> None:
        self.sizes = sizes
        self.folder = folder
        self.roster = roster
        self.pg_url = pg_url
        self.backend = "PostgreSQL" if pg_url else "SQLite"
        self.log = log
        self.rows: dict[str, Row] = {}
        self.details: dict[str, object] = {}

    def step(self, name: str, keys: tuple[str, ...], run: Callable[[], None]) -> None:
        """Run one measurement; a failure becomes a row that says so (the suite goes on)."""
        wanted = self.sizes.rows
        if wanted is not None and not set(keys) & set(wanted):
            return
        self.log(f"[{self.backend}] {name} ...")
        started = time.perf_counter()
        try:
            run()
        except Exception as exc:
            self.log(traceback.format_exc())
            for key in keys:
                self.rows.setdefault(
                    key,
                    Row(key, name, "-", f"failed: {type(exc).__name__}: {exc}"[:200], "-", "-",
                        False),
                )  # fmt: skip
        self.log(f"[{self.backend}] {name}: {time.perf_counter() - started:.1f} s")

    def not_measured(self, keys: tuple[str, ...], why: str) -> dict[str, Row]:
        return {k: Row(k, k, "-", f"not measured: {why}", "-", "-", None) for k in keys}

    def run(self, keys: tuple[str, ...]) -> dict[str, Row]:
        from bench.workspace import drop, prepare

        s = self.sizes
        self.log(f"[{self.backend}] district of {s.students:,} students in {self.folder} ...")
        self.ws = prepare(self.folder / "district", s.students, roster=self.roster,
                          pg_url=self.pg_url)  # fmt: skip
        self.scratch = self.folder / "scratch"
        self.scratch.mkdir(parents=True, exist_ok=True)
        try:
            with self.ws.active():  # children and the app's connections find the schema
                self._all()
        finally:
            drop(self.ws)
        return {k: self.rows[k] for k in keys if k in self.rows}

    def _all(self) -> None:
        from bench import federation, rows, web

        imports = ("import", "import_memory", "reimport", "reimport_changed")
        self.step("import", imports, lambda: rows.import_rows(self))
        self._load_roster_unless_imported(imports, ("startup", *federation.KEYS))
        self.step("search", ("search",), lambda: rows.search_row(self))
        self.step("startup", ("startup",), lambda: rows.startup_row(self))
        self.step("memory", ("memory",), lambda: rows.memory_row(self))
        self.step("typing", ("typing",), lambda: rows.typing_row(self))
        self.step("stall (account)", ("stall_account",), lambda: rows.stall_account_row(self))
        self.step("stall (import)", ("stall_import",), lambda: rows.stall_import_row(self))
        self.step("concurrency", ("concurrency",), lambda: rows.concurrency_row(self))
        self.step("letters", ("letters",), lambda: rows.letters_row(self))
        self.step("race", ("race",), lambda: rows.race_row(self))
        self.step("web", web.KEYS, lambda: web.web_rows(self))
        self.step("federation", federation.KEYS, lambda: self.rows.update(federation.rows(self.scratch / "federation", max(5, self.sizes.search_words))))  # fmt: skip  # noqa: E501

    def _load_roster_unless_imported(
        self, imports: tuple[str, ...], independent: tuple[str, ...]
    ) -> None:
        """With ``--rows`` leaving the import out, load the roster (unmeasured) for the rows
        that work on the district; if that fails, they say so and do not run on the demo."""
        wanted = self.sizes.rows
        if wanted is None or set(imports) & set(wanted):
            return
        needing = tuple(k for k in wanted if k not in independent)
        if not needing:
            return
        from bench import import_

        self.step("roster (not measured)", needing, lambda: import_.load_roster(self.ws))
        if any(k in self.rows for k in needing):  # the step failed and wrote these rows
            self.sizes = replace(self.sizes, rows=tuple(k for k in wanted if k not in needing))

    def keep(self, key: str, result: object) -> None:
        self.details[key] = asdict(result)  # type: ignore[call-overload]
