"""PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the audit table (schema version 6).

A trigger binds every role that may not disable it, which is every role except the table's
owner and superusers: run the kiosk as an application role that does not own the tables
(docs/SECURITY.md shows the set-up) and the application can only append. The keyed chain and
the checkpoint still catch an owner or superuser who disables the trigger.

SQLite has no roles: anyone who can write the file can drop a trigger, so there the keyed
chain and the checkpoint are the protection.
"""

from __future__ import annotations

import peewee as pw

#: The message PostgreSQL raises; ``kiosk.store.db.friendly_errors`` recognises it.
REFUSAL = "audit events are append-only"


def _name(table: str, suffix: str) -> str:
    return f'"{table}_{suffix}"'


def protect(db: pw.Database, table: str) -> None:
    """Create (or re-create) the refusing function and triggers; idempotent."""
    if isinstance(db, pw.SqliteDatabase):
        return
    function = _name(table, "append_only")
    db.execute_sql(
        f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    for suffix, when, level in (
        ("no_change", "UPDATE OR DELETE", "ROW"),
        ("no_truncate", "TRUNCATE", "STATEMENT"),
    ):
        trigger = _name(table, suffix)
        db.execute_sql(f'DROP TRIGGER IF EXISTS {trigger} ON "{table}"')
        db.execute_sql(
            f'CREATE TRIGGER {trigger} BEFORE {when} ON "{table}" '
            f"FOR EACH {level} EXECUTE FUNCTION {function}()"
        )
