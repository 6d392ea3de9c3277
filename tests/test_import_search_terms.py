"""The import keeps the search index right while writing only what changed.

A re-import used to delete and rewrite every search term (11 million rows for a district of a
million students); now only new people and people whose words changed get their terms
written. These tests prove the index still answers exactly what a full rebuild would, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.auth import SYSTEM
from kiosk.context import Context
from kiosk.services.people import search
from kiosk.services.roster import import_roster
from kiosk.store import search_index
from kiosk.store.models import SearchTerm
from tests.test_roster_import import USERS, write_roster


def _terms(ctx: Context) -> list[tuple]:
    with ctx.store.read():
        return sorted(SearchTerm.select(SearchTerm.id, SearchTerm.term, SearchTerm.kind,
                                        SearchTerm.ref).tuples())  # fmt: skip


def _found(ctx: Context, text: str) -> set[str]:
    return {hit.id for hit in search(ctx, SYSTEM, text)}


def _as_rebuilt(ctx: Context) -> tuple[list[tuple], list[tuple]]:
    """(the index as the import left it, the index a full rebuild writes), without row ids."""
    kept = sorted(row[1:] for row in _terms(ctx))
    with ctx.store.write():
        search_index.rebuild(ctx.store.db)
    return kept, sorted(row[1:] for row in _terms(ctx))


def test_reimport_writes_only_changed_terms(any_ctx: Context, tmp_path: Path) -> None:
    import_roster(any_ctx, SYSTEM, write_roster(tmp_path / "one"))
    assert "st1" in _found(any_ctx, "ana rey") and "p1" in _found(any_ctx, "555-010-2000")
    first = _terms(any_ctx)

    import_roster(any_ctx, SYSTEM, write_roster(tmp_path / "same"))
    assert _terms(any_ctx) == first  # unchanged roster: not one term row rewritten

    changed = USERS.replace("Ana,Reyes", "Zoe,Reyes").replace("(555) 010-2000", "555-777-1234")
    import_roster(any_ctx, SYSTEM, write_roster(tmp_path / "changed", users_csv=changed))
    assert "st1" not in _found(any_ctx, "ana") and "st1" in _found(any_ctx, "zoe")
    assert "p1" not in _found(any_ctx, "0102000") and "p1" in _found(any_ctx, "7771234")
    after = _terms(any_ctx)
    untouched = {row for row in first if row[3] not in {r[3] for r in after if r not in first}}
    assert untouched and untouched <= set(after)  # other people's rows kept their ids
    kept, rebuilt = _as_rebuilt(any_ctx)
    assert kept == rebuilt


def test_first_import_writes_the_same_index_as_a_rebuild(any_ctx: Context, tmp_path) -> None:
    from bench.generate import generate

    generate(tmp_path / "gen", 120, seed=4)
    import_roster(any_ctx, SYSTEM, tmp_path / "gen")
    kept, rebuilt = _as_rebuilt(any_ctx)
    assert len(kept) > 500 and kept == rebuilt


def test_postgres_plans_search_from_the_index_order_and_fresh_statistics(
    any_ctx: Context, tmp_path: Path
) -> None:
    """On PostgreSQL a short prefix must be read in the index's own order (the scan stops at
    the limit, no sort of every match), and the import leaves statistics for the planner."""
    from bench.generate import generate

    if any_ctx.store.is_sqlite:
        return  # SQLite's index order is plain ORDER BY term, id (test_search covers it)
    generate(tmp_path / "gen", 300, seed=4)
    import_roster(any_ctx, SYSTEM, tmp_path / "gen")
    db = any_ctx.store.db
    with any_ctx.store.read():
        # ANALYZE ran inside the import: the planner knows the tables are not empty.
        tuples = db.execute_sql(
            "SELECT reltuples FROM pg_class WHERE oid = 'search_term'::regclass"
        ).fetchone()[0]
        assert tuples > 1000
        # At this size a sort is cheap, so forbid it: only an ORDER BY in the index's own
        # order has a plan without one (a plain ORDER BY term does not).
        db.execute_sql("SET LOCAL enable_sort = off")
        sql = search_index._find_sql(db, search_index.GUARDIAN, 0, None)
        plan = "\n".join(
            row[0] for row in db.execute_sql("EXPLAIN " + sql, ["g", "g%", 30]).fetchall()
        )
    assert "Index Scan using search_term_prefix" in plan and "Sort" not in plan, plan
    found = search(any_ctx, SYSTEM, "g")
    assert sum(hit.kind == "guardian" for hit in found) == 25
