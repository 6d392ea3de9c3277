"""Bulk writes for imports: prepared ``executemany`` inserts and updates, ids handed out ahead.

peewee's ``insert_many`` builds SQL text for every value, which costs more than the database's
own work at district sizes; these helpers keep values as parameters (never spliced into SQL)
and let an importer give new rows their ids before inserting them, so links can be resolved in
the same pass. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

import peewee as pw

BATCH = 2000


def quote_name(name: str) -> str:
    """An identifier in double quotes (SQLite and PostgreSQL both accept them)."""
    return '"' + name.replace('"', '""') + '"'


class BulkInsert:
    """Inserts rows in chunks with one prepared statement (``executemany``).

    peewee's ``insert_many`` builds SQL text for every value, which costs more than SQLite's
    own work at district sizes; a prepared INSERT with parameters is what the raw baseline
    does, and the values are still parameters (never spliced into the SQL).
    """

    def __init__(self, db: pw.Database, model: type[pw.Model], fields: list[pw.Field]) -> None:
        self.cursor = db.cursor()
        columns = ", ".join(quote_name(f.column_name) for f in fields)
        marks = ", ".join([db.param] * len(fields))
        self.sql = (
            f"INSERT INTO {quote_name(model._meta.table_name)} ({columns}) "  # noqa: S608
            f"VALUES ({marks})"
        )
        self.pending: list[tuple] = []
        self.count = 0

    def add(self, values: tuple) -> None:
        self.pending.append(values)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.cursor.executemany(self.sql, self.pending)
            self.count += len(self.pending)
            self.pending = []


def update_many(db: pw.Database, model: type[pw.Model], columns: list[str], rows_: list) -> None:
    """UPDATE ... WHERE id = ? for many rows with one prepared statement (last value is id)."""
    if not rows_:
        return
    param = db.param
    table = quote_name(model._meta.table_name)
    sets = ", ".join(f"{quote_name(c)} = {param}" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE {quote_name('id')} = {param}"  # noqa: S608 - names come from the models
    cursor = db.cursor()
    for start in range(0, len(rows_), BATCH):
        cursor.executemany(sql, rows_[start : start + BATCH])


class IdMap(dict):
    """sourcedId -> row id; an unknown sourcedId gets the next free id (inserted later)."""

    def __init__(self, stored: dict[str, int], model: type[pw.Model]) -> None:
        super().__init__(stored)
        self.model = model
        self.next_id = (model.select(pw.fn.MAX(model.id)).scalar() or 0) + 1
        self.assigned = False

    def __missing__(self, sid: str) -> int:
        self[sid] = self.next_id
        self.next_id += 1
        self.assigned = True
        return self[sid]

    def fix_sequence(self, db: pw.Database) -> None:
        """PostgreSQL's id sequence must move past the ids given explicitly."""
        if self.assigned and isinstance(db, pw.PostgresqlDatabase):
            table = self.model._meta.table_name
            db.execute_sql(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (table, self.next_id - 1)
            )
