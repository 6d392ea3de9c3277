"""The benchmark suite's quick mode runs end to end, so the suite never rots.

It builds a tiny district in a temporary folder and runs every measurement once on SQLite and
(when ``KIOSK_TEST_DATABASE_URL`` names a server) on PostgreSQL: no timing is asserted (a
shared CI runner makes timings meaningless), but every row of the table must be there with
numbers in it on both databases, the importer and each raw baseline (executemany on SQLite,
COPY on PostgreSQL) must load the same rows, and docs/PERFORMANCE.md must not be touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import ROW_KEYS

ROOT = Path(__file__).resolve().parent.parent


PG_URL = os.environ.get("KIOSK_TEST_DATABASE_URL", "")


@pytest.mark.slow
def test_quick_mode_reports_every_row_on_both_databases(tmp_path: Path) -> None:
    doc = ROOT / "docs" / "PERFORMANCE.md"
    before = doc.read_bytes() if doc.exists() else None
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    db = "both" if PG_URL else "sqlite"
    out = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", "--db", db, "--workdir",
         str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,  # a generous guard, not a budget: under two CPU hogs it took over 300 s
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    backends = result["backends"]
    assert list(backends) == (["SQLite", "PostgreSQL"] if PG_URL else ["SQLite"])
    for backend, data in backends.items():
        rows = {row["key"]: row for row in data["rows"]}
        assert list(rows) == list(ROW_KEYS), backend
        for key, row in rows.items():
            assert not row["measured"].startswith(("failed", "not measured")), (backend, row)
            assert row["figure"] not in ("", "-"), (backend, key, row)
        details = data["details"]
        # Correctness is asserted even in quick mode: exactly one redemption per key, and
        # kiosks working through an import lose nothing.
        assert rows["race"]["met"] is True, backend
        assert rows["concurrency"]["met"] is True, (backend, details["concurrency"])
        assert details["concurrency"]["issues"] >= 3 * details["concurrency"]["kiosks"]
        web = details["concurrency"]["web"]  # the parent web signing in beside them
        assert web["workers"] == 2 and web["sign_ins"] >= 8 and web["errors"] == []
        assert web["audited"] == web["sign_ins"], backend
        assert details["letters"]["letters"] == 20
        assert details["import"]["changed_people"] >= 1
    if PG_URL:  # the baselines are the database's own: COPY, and a psycopg query
        pg_rows = {row["key"]: row for row in backends["PostgreSQL"]["rows"]}
        assert "COPY" in pg_rows["import"]["baseline"]
        assert "psycopg" in pg_rows["search"]["baseline"]
    assert result["machine"]["cores"]
    assert (doc.read_bytes() if doc.exists() else None) == before


def test_quick_mode_says_why_postgresql_was_not_measured(tmp_path: Path) -> None:
    from bench.__main__ import _parser, _run_all

    args = _parser().parse_args(
        ["--quick", "--db", "postgresql", "--pg", "postgresql://nobody@127.0.0.1:1/none"]
    )
    results, _details = _run_all(args, tmp_path, lambda _text: None)
    rows = results["PostgreSQL"]
    assert list(rows) == list(ROW_KEYS)
    assert all(r.met is None and "no PostgreSQL server" in r.measured for r in rows.values())


def test_the_concurrency_row_alone_runs_on_the_imported_district(tmp_path: Path) -> None:
    """``--rows concurrency`` without the import rows: the roster is loaded first (unmeasured),
    so the kiosks issue keys to roster guardians the re-import keeps, not to the demo's, which
    it deactivates (every issue failed with "inactive" before)."""
    from bench.__main__ import _parser, _run_all

    args = _parser().parse_args(
        ["--quick", "--db", "sqlite", "--rows", "concurrency", "--workdir", str(tmp_path)]
    )
    results, details = _run_all(args, tmp_path, lambda _text: None)
    row = results["SQLite"]["concurrency"]
    assert row.met is True, details["SQLite"]["concurrency"]["errors"][:3]
    assert details["SQLite"]["concurrency"]["issues"] >= 3 * 2


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_raw_baseline_loads_the_same_rows_as_the_importer(tmp_path: Path, backend: str) -> None:
    """The importer's yardstick is only fair if it writes what the importer writes: the
    executemany load on SQLite, the COPY load on PostgreSQL."""
    from bench.generate import generate
    from bench.workspace import drop, prepare
    from kiosk.auth import SYSTEM
    from kiosk.services.roster import import_roster

    if backend == "postgres" and not PG_URL:
        pytest.skip("needs KIOSK_TEST_DATABASE_URL")
    url = PG_URL if backend == "postgres" else ""
    roster = tmp_path / "roster"
    generate(roster, 150, seed=5)
    imported = prepare(tmp_path / "imported", 150, roster=roster, pg_url=url)
    raw = imported.fresh(tmp_path / "raw")
    try:
        ctx = imported.context()
        try:
            import_roster(ctx, SYSTEM, roster)
        finally:
            ctx.close()
        with raw.active():
            if url:
                from bench.raw_baseline import load_postgres

                load_postgres(roster, url)
            else:
                from bench.raw_baseline import load

                load(roster, raw.db)
        _assert_same_rows(imported, raw)
    finally:
        raw.discard()
        drop(imported)


def _assert_same_rows(imported, raw) -> None:  # type: ignore[no-untyped-def]
    # The roster's rows (the importer also retires the demo district's people and the
    # configured schools a roster does not list; the baseline writes only the roster's rows).
    queries = {
        "school": "SELECT sourced_id, code, name, active FROM school "
        "WHERE sourced_id LIKE 'sch-0%'",
        "student": "SELECT id, sourced_id, student_number, given_name, family_name, search_name, "
        "birth_date, grade, school_id, active FROM student WHERE substr(sourced_id, 1, 2) = 's-'",
        "guardian": "SELECT id, sourced_id, given_name, family_name, search_name, email, phone, "
        "phone_digits, address, birth_date, active FROM guardian "
        "WHERE substr(sourced_id, 1, 2) = 'g-'",
        "relationship": "SELECT sourced_id, guardian_id, student_id, relation, is_guardian, "
        "portal_access, custody_restriction, active FROM relationship "
        "WHERE substr(sourced_id, 1, 2) = 'g-'",
        "household": "SELECT sourced_id, name, address, phone FROM household "
        "WHERE sourced_id LIKE 'roster:%'",
        "household_guardian": "SELECT (SELECT sourced_id FROM household h WHERE h.id = "
        "household_id), guardian_id FROM household_guardian WHERE household_id IN "
        "(SELECT id FROM household WHERE sourced_id LIKE 'roster:%')",
        "household_student": "SELECT (SELECT sourced_id FROM household h WHERE h.id = "
        "household_id), student_id FROM household_student WHERE household_id IN "
        "(SELECT id FROM household WHERE sourced_id LIKE 'roster:%')",
        "search_term": "SELECT term, kind, ref FROM search_term",
    }
    a_con, b_con = imported.raw(), raw.raw()
    try:
        for table, sql in queries.items():
            a = sorted(a_con.execute(sql).fetchall())
            b = sorted(b_con.execute(sql).fetchall())
            assert a and a == b, table
        # Ids were given explicitly: the next row still gets a fresh one from the sequence.
        for con in (a_con, b_con):
            top = con.execute("SELECT MAX(id) FROM guardian").fetchone()[0]
            con.execute(
                "INSERT INTO guardian (sourced_id, given_name, family_name, search_name, email, "
                "phone, phone_digits, address, active) "
                "VALUES ('after', 'A', 'B', 'a b', '', '', '', '', TRUE)"
            )
            assert con.execute("SELECT MAX(id) FROM guardian").fetchone()[0] > top
    finally:
        a_con.close()
        b_con.close()


def test_generated_district_has_the_issue_proportions(tmp_path: Path) -> None:
    """About 2 guardians per student, 1.7 guardian records per student, 20 schools."""
    from bench.generate import generate

    counts = generate(tmp_path / "roster", 5000, seed=1)
    assert counts["schools"] == 20
    assert 1.9 <= counts["links"] / counts["students"] <= 2.1
    assert 1.6 <= counts["guardians"] / counts["students"] <= 1.8


@pytest.mark.parametrize("students", [1_000, 200_000, 1_000_000])
def test_families_share_an_address_by_chance_no_more_often_than_at_100000(students: int) -> None:
    """The expected share of families whose random address collides with another's (birthday
    bound) is no larger at any size than at 100,000 students (about 4%); with a fixed 9,999
    house numbers it was about 43% at a million."""
    from bench.generate import KINDS, STREETS, house_numbers

    def chance_share(size: int) -> float:
        families = size / 1.215  # students per family (KID_WEIGHTS)
        return families / (2 * house_numbers(size) * len(STREETS) * len(KINDS))

    assert chance_share(students) <= chance_share(100_000)


def test_the_report_rewrites_only_its_block_and_keeps_the_notes(tmp_path: Path) -> None:
    from bench import report
    from bench.report import Row

    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text(
        f"# Performance\n\nintro\n\n{report.BEGIN}\nold table\n{report.END}\n\n## Notes\nkept\n"
    )
    row = Row("search", "search", "by hand: 1 ms", "p95 2 ms", "2.00x", "<= 3x", True)
    pg_row = Row("search", "search", "by hand: 2 ms", "p95 5 ms", "2.50x", "<= 3x", True)
    late = Row("startup", "start | up", "bare", "400 ms", "1.50x", "<= 1.2x", False)
    results = {"SQLite": {"search": row, "startup": late}, "PostgreSQL": {"search": pg_row}}
    table = report.markdown(results, {"cores": "2"}, "python -m bench --size large", 12.0)
    report.write(doc, table)
    text = doc.read_text()
    assert "old table" not in text and "intro" in text and "## Notes\nkept" in text
    assert "`python -m bench --size large`" in text and "cores 2" in text
    assert "SQLite: measured" in text and "PostgreSQL: measured" in text
    # One line per row, the databases side by side; a database without the row says so.
    assert (
        "| search | <= 3x | p95 2 ms (baseline: by hand: 1 ms) | 2.00x | yes "
        "| p95 5 ms (baseline: by hand: 2 ms) | 2.50x | yes |" in text
    )
    assert "| not run | - | n/a |" in text
    assert "start \\| up" in text and "| **NO** |" in text  # a pipe in a cell stays one cell

    # The xl run has its own block: writing it keeps the large run's table.
    xl = report.markdown({"PostgreSQL": {"search": pg_row}}, {}, "python -m bench --size xl",
                         1.0, "xl")  # fmt: skip
    report.write(doc, xl, "xl")
    report.write(doc, xl, "xl")
    text = doc.read_text()
    assert "python -m bench --size large" in text and text.count("--size xl") == 1


@pytest.mark.skipif(not PG_URL, reason="KIOSK_TEST_DATABASE_URL is not set")
def test_a_cloned_postgres_district_is_planned_from_its_own_statistics() -> None:
    """Rows measured on a copy must plan as on the district: before, a copy had no
    statistics and the parent web's linked-students query scanned every student."""
    from bench import pg

    source = pg.create_schema(PG_URL, "t_clone_src")
    target = pg.new_name("t_clone_dst")
    try:
        with pg.connect(PG_URL, source) as conn:
            conn.execute("CREATE TABLE person (id serial PRIMARY KEY, name text)")
            conn.execute("INSERT INTO person (name) SELECT 'p' FROM generate_series(1, 5000)")
            conn.commit()
        pg.clone_schema(PG_URL, source, target)
        with pg.connect(PG_URL, target) as conn:
            plan = conn.execute("EXPLAIN (FORMAT JSON) SELECT * FROM person").fetchone()
        assert plan[0][0]["Plan"]["Plan Rows"] == 5000
    finally:
        pg.drop_schema(PG_URL, source)
        pg.drop_schema(PG_URL, target)
