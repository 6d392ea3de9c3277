"""One function per row of the table: run the measurement, turn it into a ``Row``.

The same rows run on SQLite and on PostgreSQL; the baseline named in each row is measured on
the same database in the same run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.report import Row
from bench.suite import ms, x

if TYPE_CHECKING:
    from bench.suite import Suite


def import_rows(suite: Suite) -> None:
    from bench import import_

    r = import_.measure(suite.ws, suite.scratch, suite.sizes.flat_people)
    suite.keep("import", r)
    students = f"{suite.sizes.students:,} students"
    how = "COPY" if suite.ws.postgres else "raw sqlite3 executemany"
    suite.rows["import"] = Row(
        "import",
        f"OneRoster import, {students}",
        f"{how} of the same rows in one transaction: {r.baseline_s:.2f} s",
        f"{r.importer_s:.2f} s, peak {r.importer_peak_mib:.0f} MiB "
        f"(baseline peak {r.baseline_peak_mib:.0f} MiB)",
        x(r.ratio),
        "<= 2.5x",
        r.ratio <= 2.5,
    )
    suite.rows["import_memory"] = Row(
        "import_memory",
        f"import peak memory vs file size ({r.flat_people:,} students)",
        f"plain files {r.plain_bytes / 2**20:.1f} MiB: peak {r.plain_peak_mib:.0f} MiB",
        f"padded files {r.padded_bytes / 2**20:.1f} MiB: peak {r.padded_peak_mib:.0f} MiB",
        x(r.memory_ratio) + f" for {r.padded_bytes / r.plain_bytes:.1f}x the bytes",
        "flat (<= 1.1x)",
        r.memory_ratio <= 1.1,
    )
    suite.rows["reimport"] = Row(
        "reimport",
        f"re-import of the unchanged export, {students}",
        f"the first import: {r.importer_s:.2f} s",
        f"{r.reimport_s:.2f} s, peak {r.reimport_peak_mib:.0f} MiB",
        x(r.reimport_s / r.importer_s),
        "far faster than the first (< 0.5x)",
        r.reimport_s < 0.5 * r.importer_s,
    )
    suite.rows["reimport_changed"] = Row(
        "reimport_changed",
        f"re-import with 1% of the people changed ({r.changed_people:,} users)",
        f"the first import: {r.importer_s:.2f} s",
        f"{r.changed_s:.2f} s",
        x(r.changed_s / r.importer_s),
        "none (reported)",
        None,
    )


def search_row(suite: Suite) -> None:
    from bench import search

    ctx = suite.ws.context()
    try:
        words = search.sample_words(ctx, suite.sizes.search_words)
        r = search.measure(suite.ws, ctx, search.prefixes(words))
    finally:
        ctx.close()
    suite.keep("search", r)
    how = "psycopg" if suite.ws.postgres else "sqlite3"
    suite.rows["search"] = Row(
        "search",
        f"search service, 1-6 typed characters ({r.queries} queries)",
        f"hand-written indexed {how} query: p50 {ms(r.baseline_p50_ms)}, "
        f"p95 {ms(r.baseline_p95_ms)}",
        f"p50 {ms(r.service_p50_ms)}, p95 {ms(r.service_p95_ms)}",
        f"p95 {ms(r.service_p95_ms)}, {x(r.p95_ratio)}",
        "p95 <= 30 ms and <= 3x",
        r.service_p95_ms <= 30 and r.p95_ratio <= 3,
    )


def install_words(default: bool) -> str:
    """Which install a start-up or memory figure is of."""
    if default:
        return "default install (`pip install front-desk-kiosk`: no PostgreSQL driver)"
    return "with the `[postgres]` extra (peewee imports psycopg at start)"


def startup_row(suite: Suite) -> None:
    from bench import startup

    runs = suite.sizes.startup_runs
    default = not suite.pg_url  # SQLite: the default install, without the PostgreSQL driver
    r = startup.measure(str(suite.ws.config_path), runs=runs, default_install=default)
    suite.keep("startup", r)
    suite.rows["startup"] = Row(
        "startup",
        f"cold start to the first screen (median of {runs})",
        f"bare Textual app with one Static: {r.bare_s * 1000:.0f} ms",
        f"{r.kiosk_s * 1000:.0f} ms, the `kiosk` command, {install_words(default)}",
        x(r.start_ratio),
        "<= 2x",
        r.start_ratio <= 2,
    )


def memory_row(suite: Suite) -> None:
    from bench import memory

    default = not suite.pg_url
    runs = suite.sizes.memory_runs
    r = memory.measure(str(suite.ws.config_path), runs=runs, default_install=default)
    suite.keep("memory", r)
    suite.rows["memory"] = Row(
        "memory",
        "resident memory of a running kiosk on the district (after a search)",
        f"bare Textual app: {r.bare_mib:.1f} MiB",
        f"{r.kiosk_mib:.1f} MiB, {install_words(default)}",
        x(r.ratio),
        "<= 1.5x",
        r.ratio <= 1.5,
    )


def typing_row(suite: Suite) -> None:
    from bench import child, search

    ctx = suite.ws.context()
    try:
        words = search.sample_words(ctx, suite.sizes.typing_words, seed=11)
    finally:
        ctx.close()
    r = child.run("bench.typing:measure", suite.ws, words)
    suite.keep("typing", r)
    suite.rows["typing"] = Row(
        "typing",
        f"keystroke to painted results in the app ({r.keystrokes} keystrokes)",
        "none (human perception)",
        f"p50 {ms(r.p50_ms)}, p95 {ms(r.p95_ms)}, max {ms(r.max_ms)}",
        f"p95 {ms(r.p95_ms)}",
        "p95 <= 100 ms",
        r.p95_ms <= 100,
    )


def _stall(suite: Suite, key: str, what: str, r) -> None:  # type: ignore[no-untyped-def]
    suite.keep(key, r)
    suite.rows[key] = Row(
        key,
        what,
        f"10 ms timer, app idle: worst {ms(r.idle_ms)} late",
        f"worst {ms(r.stall_ms)} late over {r.ticks} ticks ({r.work_s:.1f} s of work)",
        ms(r.stall_ms),
        "<= 50 ms",
        r.stall_ms <= 50,
    )


def stall_account_row(suite: Suite) -> None:
    from bench import child

    what = "largest event-loop stall while an account is created"
    _stall(suite, "stall_account", what, child.run("bench.stall:measure_account", suite.ws))


def stall_import_row(suite: Suite) -> None:
    from bench import child

    what = f"largest event-loop stall while the app imports {suite.sizes.students:,} students"
    r = child.run("bench.stall:measure_import", suite.ws, suite.scratch)
    _stall(suite, "stall_import", what, r)


def concurrency_row(suite: Suite) -> None:
    from bench import concurrency, search

    s = suite.sizes
    kiosks = s.kiosks_postgres if suite.ws.postgres else s.kiosks_sqlite
    ctx = suite.ws.context()
    try:
        words = search.sample_words(ctx, 40, seed=13)
    finally:
        ctx.close()
    r = concurrency.measure(suite.ws, suite.scratch, kiosks, words)
    suite.keep("concurrency", r)
    errors = f"{len(r.errors)} errors" + (
        " (" + "; ".join(sorted(set(r.errors))[:3]) + ")" if r.errors else ""
    )
    suite.rows["concurrency"] = Row(
        "concurrency",
        "kiosks searching and issuing keys during a re-import with 1% changed",
        f"the import alone is in the rows above; it took {r.import_s:.1f} s here",
        f"{kiosks} kiosks: {r.searches} searches p50 {ms(r.search_p50_ms)}; {r.issues} keys issued "
        f"p50 {ms(r.issue_p50_ms)}; {r.keys_found} of them in the database; {errors}; "
        + (r.web.words() if r.web else "the web did not run"),
        f"search p95 {ms(r.search_p95_ms)}, issue p95 {ms(r.issue_p95_ms)}",
        "no errors, no lost writes",
        r.ok,
    )


def letters_row(suite: Suite) -> None:
    from bench import letters

    r = letters.measure(suite.ws, suite.scratch, suite.sizes.letters)
    suite.keep("letters", r)
    suite.rows["letters"] = Row(
        "letters",
        f"{r.letters:,} letters PDF with QR codes (keys issued)",
        f"qrcode + fpdf2, same pages in a bare loop: {r.baseline_s:.2f} s",
        f"{r.service_s:.2f} s ({r.pdf_mib:.1f} MiB PDF)",
        x(r.ratio),
        "<= 1.5x",
        r.ratio <= 1.5,
    )


def race_row(suite: Suite) -> None:
    from bench import race

    s = suite.sizes
    folder = suite.scratch / "race"
    if suite.ws.postgres:
        r = race.measure_postgres(folder, suite.pg_url, s.race_keys, s.race_processes)
    else:
        r = race.measure_sqlite(folder, s.race_keys, s.race_processes)
    suite.keep("race", r)
    ok = r.exactly_once and not r.errors
    errors = f"{len(r.errors)} errors" + (
        ": " + ", ".join(sorted(set(r.errors))) if r.errors else ""
    )
    suite.rows["race"] = Row(
        "race",
        f"key redemption race: {r.processes} processes x {r.keys} keys",
        "none",
        f"successes per key {sorted(set(r.successes_per_key))}, {errors}",
        f"{r.per_second:.2f} redemptions/s",
        "exactly one success per key, no errors",
        ok,
    )
