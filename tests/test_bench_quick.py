"""The benchmark suite's quick mode runs end to end, so the suite never rots.

It builds a tiny district in a temporary folder and runs every measurement once: no timing is
asserted (a shared CI runner makes timings meaningless), but every row of the table must be
there with numbers in it, the import and the raw baseline must have loaded the same rows, and
docs/PERFORMANCE.md must not be touched.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bench.report import ROW_KEYS

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_quick_mode_reports_every_row_without_touching_the_docs(tmp_path: Path) -> None:
    doc = ROOT / "docs" / "PERFORMANCE.md"
    before = doc.read_bytes() if doc.exists() else None
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", "--workdir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout)
    rows = {row["key"]: row for row in result["rows"]}
    assert list(rows) == list(ROW_KEYS)
    for key, row in rows.items():
        assert not row["measured"].startswith("failed"), (key, row["measured"])
        assert row["figure"] not in ("", "-") or key == "race_postgres", (key, row)
    # Correctness is asserted even in quick mode: exactly one redemption per key.
    assert rows["race_sqlite"]["met"] is True
    assert rows["race_postgres"]["met"] in (True, None)  # None: no PostgreSQL here
    assert result["details"]["letters"]["letters"] == 20
    assert result["machine"]["cores"]
    assert (doc.read_bytes() if doc.exists() else None) == before


def test_raw_baseline_loads_the_same_rows_as_the_importer(tmp_path: Path) -> None:
    """The importer's yardstick is only fair if it writes what the importer writes."""
    from bench.generate import generate
    from bench.raw_baseline import load
    from kiosk.auth import SYSTEM
    from kiosk.config import config_from_dict
    from kiosk.context import make_context
    from kiosk.services.roster import import_roster
    from kiosk.store.db import open_store

    generate(tmp_path / "roster", 150, seed=5)
    for name in ("imported.db", "raw.db"):
        store = open_store(f"sqlite:///{tmp_path / name}")
        store.migrate()
        store.close()
    config = config_from_dict(
        {
            "database": {"url": str(tmp_path / "imported.db")},
            "mail": {"mode": "outbox", "outbox_dir": str(tmp_path / "outbox")},
            "security": {"secret_file": str(tmp_path / "secret")},
        },
        tmp_path / "kiosk.toml",
    )
    ctx = make_context(config)
    try:
        import_roster(ctx, SYSTEM, tmp_path / "roster")
    finally:
        ctx.close()
    load(tmp_path / "roster", tmp_path / "raw.db")
    columns = {
        "school": "sourced_id, code, name, active",
        "student": "id, sourced_id, student_number, given_name, family_name, search_name, "
        "birth_date, grade, school_id, active",
        "guardian": "id, sourced_id, given_name, family_name, search_name, email, phone, "
        "phone_digits, address, birth_date, active",
        "relationship": "sourced_id, guardian_id, student_id, relation, is_guardian, "
        "portal_access, custody_restriction, active",
        "household": "sourced_id, name, address, phone",
        "household_guardian": "(SELECT sourced_id FROM household h WHERE h.id = household_id), "
        "guardian_id",
        "household_student": "(SELECT sourced_id FROM household h WHERE h.id = household_id), "
        "student_id",
        "search_term": "term, kind, ref",
    }
    imported, raw = sqlite3.connect(tmp_path / "imported.db"), sqlite3.connect(tmp_path / "raw.db")
    for table, cols in columns.items():
        sql = f"SELECT {cols} FROM {table}"  # noqa: S608 - fixed names
        a, b = sorted(imported.execute(sql)), sorted(raw.execute(sql))
        assert a and a == b, table
    imported.close()
    raw.close()


def test_generated_district_has_the_issue_proportions(tmp_path: Path) -> None:
    """About 2 guardians per student, 1.7 guardian records per student, 20 schools."""
    from bench.generate import generate

    counts = generate(tmp_path / "roster", 5000, seed=1)
    assert counts["schools"] == 20
    assert 1.9 <= counts["links"] / counts["students"] <= 2.1
    assert 1.6 <= counts["guardians"] / counts["students"] <= 1.8


def test_the_report_rewrites_only_its_block_and_keeps_the_notes(tmp_path: Path) -> None:
    from bench import report
    from bench.report import Row

    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text(
        f"# Performance\n\nintro\n\n{report.BEGIN}\nold table\n{report.END}\n\n## Notes\nkept\n"
    )
    row = Row("search", "search", "by hand: 1 ms", "p95 2 ms", "2.00x", "<= 3x", True)
    late = Row("startup", "start | up", "bare", "400 ms", "1.50x", "<= 1.2x", False)
    table = report.markdown([row, late], {"cores": "2"}, "python -m bench --size large", 12.0)
    report.write(doc, table)
    text = doc.read_text()
    assert "old table" not in text and "intro" in text and "## Notes\nkept" in text
    assert "`python -m bench --size large`" in text and "cores 2" in text
    assert "| search | by hand: 1 ms | p95 2 ms | 2.00x | <= 3x | yes |" in text
    assert "start \\| up" in text and "| **NO** |" in text  # a pipe in a cell stays one cell
