"""Throw-away PostgreSQL schemas for the benchmark suite.

Every district the suite builds on PostgreSQL lives in its own schema of the server named by
``KIOSK_TEST_DATABASE_URL``, and is dropped when the run ends. A kiosk, an importing child or
an app started by the suite finds its schema through libpq's ``PGOPTIONS`` (``-c
search_path=...``), so the kiosk's own configuration stays a plain ``postgresql://`` URL.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg


def options(schema: str) -> str:
    return f"-c search_path={schema}"


def new_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def connect(url: str, schema: str = "", **kwargs: object) -> psycopg.Connection:
    import psycopg

    if schema:
        kwargs["options"] = options(schema)
    return psycopg.connect(url, connect_timeout=5, **kwargs)


def reachable(url: str) -> str:
    """'' if the server answers, else why not (for a row that says it was not measured)."""
    try:
        with connect(url, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"no PostgreSQL server at KIOSK_TEST_DATABASE_URL ({type(exc).__name__})"
    return ""


def create_schema(url: str, prefix: str = "bench") -> str:
    from psycopg import sql

    schema = new_name(prefix)
    with connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    return schema


def drop_schema(url: str, schema: str) -> None:
    from psycopg import sql

    with connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def clone_schema(url: str, source: str, target: str) -> None:
    """A copy of every table of ``source`` (rows, indexes, defaults) in a new ``target``
    schema, with its own id sequences moved past the copied ids."""
    from psycopg import sql

    with connect(url) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(target)))
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename",
                (source,),
            )
        ]
        for table in tables:
            new, old = sql.Identifier(target, table), sql.Identifier(source, table)
            conn.execute(sql.SQL("CREATE TABLE {} (LIKE {} INCLUDING ALL)").format(new, old))
            conn.execute(sql.SQL("INSERT INTO {} SELECT * FROM {}").format(new, old))
            has_id = conn.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
                "AND table_name = %s AND column_name = 'id' AND column_default LIKE 'nextval%%'",
                (target, table),
            ).fetchone()
            if has_id:
                seq = sql.Identifier(target, f"{table}_id_seq")
                conn.execute(sql.SQL("CREATE SEQUENCE {} OWNED BY {}.id").format(seq, new))
                conn.execute(
                    sql.SQL("ALTER TABLE {} ALTER id SET DEFAULT nextval({})").format(
                        new, sql.Literal(f'"{target}"."{table}_id_seq"')
                    )
                )
                conn.execute(
                    sql.SQL(
                        "SELECT setval({}, COALESCE((SELECT MAX(id) FROM {}), 0) + 1, false)"
                    ).format(sql.Literal(f'"{target}"."{table}_id_seq"'), new)
                )
            # A copy has no planner statistics until autovacuum runs: rows measured bad plans.
            conn.execute(sql.SQL("ANALYZE {}").format(new))
        conn.commit()
