"""Bulk writes for imports: prepared inserts and updates, ids handed out ahead.

peewee's ``insert_many`` builds SQL text for every value, which costs more than the database's
own work at district sizes; these helpers keep values as parameters (never spliced into SQL)
and let an importer give new rows their ids before inserting them, so links can be resolved in
the same pass. On SQLite rows go in with one prepared ``executemany``; on PostgreSQL with
``COPY ... FROM STDIN`` (psycopg's ``cursor.copy``), which skips a statement per row.
"""

from __future__ import annotations

from collections.abc import Iterator

import peewee as pw

from kiosk.store.models import GUARDED_TEXT, unsafe_value
from kiosk.text import has_unsafe

BATCH = 2000
#: Rows per COPY on PostgreSQL: one round trip each, so larger than an executemany batch.
COPY_BATCH = 20000


def quote_name(name: str) -> str:
    """An identifier in double quotes (SQLite and PostgreSQL both accept them)."""
    return '"' + name.replace('"', '""') + '"'


def _guarded_positions(fields: list[pw.Field]) -> list[tuple[int, str]]:
    return [(i, f.name) for i, f in enumerate(fields) if isinstance(f, GUARDED_TEXT)]


def refuse_unsafe(rows_: list[tuple], guarded: list[tuple[int, str]]) -> None:
    """The text columns' rule (``kiosk.store.models.Text``) for prepared statements and COPY,
    which do not go through the fields: one regex pass over a batch's text, per column."""
    for i, name in guarded:
        values = [row[i] for row in rows_ if isinstance(row[i], str)]
        if has_unsafe("".join(values)):
            raise unsafe_value(name, next(v for v in values if has_unsafe(v)))


def is_postgres(db: pw.Database) -> bool:
    return isinstance(db, pw.PostgresqlDatabase)


class BulkInsert:
    """Inserts rows in chunks: ``executemany`` of one prepared INSERT on SQLite, ``COPY`` on
    PostgreSQL. Values are never spliced into SQL.
    """

    def __init__(self, db: pw.Database, model: type[pw.Model], fields: list[pw.Field]) -> None:
        self.cursor = db.cursor()
        table = quote_name(model._meta.table_name)
        columns = ", ".join(quote_name(f.column_name) for f in fields)
        self.copy = is_postgres(db)
        if self.copy:
            self.sql = f"COPY {table} ({columns}) FROM STDIN"
            self.batch = COPY_BATCH
        else:
            marks = ", ".join([db.param] * len(fields))
            self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            self.batch = BATCH
        self.pending: list[tuple] = []
        self.count = 0
        self.guarded = _guarded_positions(fields)

    def add(self, values: tuple) -> None:
        self.pending.append(values)
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        refuse_unsafe(self.pending, self.guarded)
        if self.copy:
            with self.cursor.copy(self.sql) as copy:
                for row in self.pending:
                    copy.write_row(row)
        else:
            self.cursor.executemany(self.sql, self.pending)
        self.count += len(self.pending)
        self.pending = []


def raw_rows(query: pw.Query, chunk: int = 10000) -> Iterator[tuple]:
    """A SELECT's rows as the driver returns them, without peewee's conversion of each value.

    A re-import reads every stored person, link and household to compare them with the
    roster; peewee's per-value conversion (``python_value``) cost three times the database's
    own work there. The values compare equal to the converted ones (SQLite's 0/1 == False/True).
    """
    cursor = query.model._meta.database.execute(query)
    while rows := cursor.fetchmany(chunk):
        yield from rows


def refresh_statistics(db: pw.Database, models: list[type[pw.Model]]) -> None:
    """ANALYZE the tables a bulk load wrote, on PostgreSQL.

    Its planner works from table statistics, which stay those of the empty tables until
    autovacuum gets round to them: right after a first import it guessed 6 matches for a
    prefix that had 20,000 and chose plans that read them all (200 ms a search instead of
    17 ms). Inside the import's transaction ANALYZE sees the rows just written; it samples a
    fixed number of rows, so it costs about the same at any size. SQLite needs nothing here.
    """
    if is_postgres(db):
        for model in models:
            db.execute_sql(f"ANALYZE {quote_name(model._meta.table_name)}")


def update_many(db: pw.Database, model: type[pw.Model], columns: list[str], rows_: list) -> None:
    """UPDATE ... WHERE id = ? for many rows with one prepared statement (last value is id)."""
    if not rows_:
        return
    param = db.param
    table = quote_name(model._meta.table_name)
    sets = ", ".join(f"{quote_name(c)} = {param}" for c in columns)
    sql = f"UPDATE {table} SET {sets} WHERE {quote_name('id')} = {param}"  # noqa: S608 - names come from the models
    cursor = db.cursor()
    guarded = _guarded_positions([model._meta.columns[c] for c in columns])
    for start in range(0, len(rows_), BATCH):
        refuse_unsafe(rows_[start : start + BATCH], guarded)
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
        if self.assigned and is_postgres(db):
            table = self.model._meta.table_name
            db.execute_sql(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", (table, self.next_id - 1)
            )
