"""Opening a database, transactions and schema versions.

The same models run on SQLite (one file, the default for a single school) and PostgreSQL (a
district-wide install). Read-then-write work goes through ``Store.write()``, which on SQLite takes
the write lock up front (``BEGIN IMMEDIATE``) so two kiosks cannot both read "unused" and both
write "redeemed"; on PostgreSQL the services use conditional updates for the same guarantee.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee as pw

from kiosk.errors import DatabaseError, DatabaseLost
from kiosk.store import append_only, models

log = logging.getLogger("kiosk.store")

#: The schema version this code writes (the highest of ``MIGRATIONS``).
SCHEMA_VERSION = 8

#: Tables added by later versions are made by their own migration, not by version 1.
_LATER_MODELS = {models.SearchTerm, models.WebSession, *models.FEDERATION_MODELS}
_VERSION_1_MODELS = [m for m in models.ALL_MODELS if m not in _LATER_MODELS]


def _migrate_to_1(db: pw.Database) -> None:
    db.create_tables(_VERSION_1_MODELS, safe=True)


def _migrate_to_2(db: pw.Database) -> None:
    """The prefix word index for search as you type, filled from the existing people."""
    from kiosk.store import search_index

    db.create_tables([models.SearchTerm], safe=True)
    search_index.create_indexes(db)
    search_index.rebuild(db)


def _migrate_to_3(db: pw.Database) -> None:
    """Merged duplicate guardians point at the record they were merged into.

    A fresh database gets the column from ``create_tables`` in version 1; an older one gets it
    added here. Re-imports follow it so the SIS's duplicate does not come back.
    """
    table = models.Guardian._meta.table_name
    columns = {c.name for c in db.get_columns(table)}
    if "merged_into_id" not in columns:
        from playhouse.migrate import SchemaMigrator, migrate

        migrator = SchemaMigrator.from_database(db)
        migrate(migrator.add_column(table, "merged_into_id", models.Guardian.merged_into))


def _migrate_to_4(db: pw.Database) -> None:
    """Rate-limit counters shared by every kiosk and web process."""
    db.create_tables([models.RateCounter], safe=True)


def _migrate_to_5(db: pw.Database) -> None:
    """Sign-in failures are forgotten after a while and counted for unknown names too."""
    from playhouse.migrate import SchemaMigrator, migrate

    db.create_tables([models.SignInThrottle], safe=True)
    migrator = SchemaMigrator.from_database(db)
    for model in (models.PortalAccount, models.StaffUser):
        table = model._meta.table_name
        if "last_failure_at" not in {c.name for c in db.get_columns(table)}:
            migrate(migrator.add_column(table, "last_failure_at", model.last_failure_at))


def _migrate_to_7(db: pw.Database) -> None:
    """Server-side web sessions (``kiosk serve``), shared by every web process."""
    db.create_tables([models.WebSession], safe=True)


def _migrate_to_8(db: pw.Database) -> None:
    """Federation: SAML service providers, OIDC clients, authorization codes, access tokens."""
    db.create_tables(models.FEDERATION_MODELS, safe=True)


def _migrate_to_6(db: pw.Database) -> None:
    """The audit chain is keyed; PostgreSQL refuses to change or delete audit events.

    Older events keep their plain hashes: the first event written after this (see
    ``kiosk.audit``) anchors them under the key, so nothing is re-keyed (re-keying would also
    bless any edit made before the upgrade).
    """
    table = models.AuditEvent._meta.table_name
    append_only.protect(db, table)
    if _has_keyed_column(db):
        return
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    migrate(migrator.add_column(table, "keyed", models.AuditEvent.keyed))
    _strip_unsafe_addresses(db)


def _has_keyed_column(db: pw.Database) -> bool:
    """Whether schema 6 really ran: a build without it may have recorded the number (older
    ``migrate`` loops recorded versions they did not know), so the column is what counts."""
    table = models.AuditEvent._meta.table_name
    return "keyed" in {c.name for c in db.get_columns(table)}


def _strip_unsafe_addresses(db: pw.Database) -> None:
    """Addresses were the one imported column not checked for control characters before
    schema 6; now every text column refuses them, so stored ones are removed (the screens
    already stripped them before display)."""
    from kiosk.text import display, has_unsafe

    for model in (models.Guardian, models.Household):
        rows = model.select(model.id, model.address).where(model.address != "").tuples()
        for row_id, address in [r for r in rows if has_unsafe(r[1])]:
            model.update(address=display(address)).where(model.id == row_id).execute()


MIGRATIONS: dict[int, Callable[[pw.Database], None]] = {
    1: _migrate_to_1,
    2: _migrate_to_2,
    3: _migrate_to_3,
    4: _migrate_to_4,
    5: _migrate_to_5,
    6: _migrate_to_6,
    7: _migrate_to_7,
    8: _migrate_to_8,
}


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and the exceptions it was raised while handling (a few levels)."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(found) < 5:
        found.append(current)
        current = current.__context__
    return found


#: PostgreSQL's SQLSTATE for "disk full" (class 53, insufficient resources).
DISK_FULL_STATE = "53100"


@contextlib.contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn driver errors into messages that say what to do, without SQL or parameters."""
    try:
        yield
    except DatabaseError:
        raise
    except (pw.OperationalError, sqlite3.OperationalError) as exc:
        # The driver's message names the problem, never the bound values: keep it for IT.
        log.warning("database error: %s: %s", type(exc).__name__, exc)
        # SQLite rolls back by itself on a full disk; the driver's own rollback then fails
        # with "no transaction is active", hiding the cause, which is in the context.
        text = " ".join(str(e).lower() for e in _chain(exc))
        # PostgreSQL words its messages in the server's language: its SQLSTATE says it plainly.
        states = {getattr(e, "sqlstate", None) for e in _chain(exc)}
        if DISK_FULL_STATE in states or "disk is full" in text or "no space left" in text:
            raise DatabaseError("db_disk_full") from None
        if "locked" in text or "busy" in text:
            raise DatabaseError("db_busy") from None
        if "no such table" in text or ("does not exist" in text and "relation" in text):
            raise DatabaseError("db_not_set_up") from None
        if "unable to open" in text or "could not connect" in text or "connection" in text:
            raise DatabaseError("db_unreachable") from None
        if "readonly" in text or "read-only" in text:
            raise DatabaseError("db_readonly") from None
        raise DatabaseError("db_error") from None
    except pw.DatabaseError as exc:
        if append_only.REFUSAL in str(exc):
            raise DatabaseError("audit_append_only") from None
        raise
    except pw.InterfaceError:
        raise DatabaseError("db_closed") from None


@dataclass
class Store:
    """An open database with the models bound to it."""

    db: pw.Database
    url: str
    #: (device, inode) of the SQLite file when it was opened; None for PostgreSQL/in-memory.
    identity: tuple[int, int] | None = None

    @property
    def is_sqlite(self) -> bool:
        return isinstance(self.db, pw.SqliteDatabase)

    def check_file(self) -> None:
        """Refuse to go on if the SQLite file was deleted or replaced since it was opened.

        SQLite keeps writing to the open, unlinked file: every change (audit included) would
        vanish while the kiosk reports success.
        """
        if self.identity is None:
            return
        try:
            now = os.stat(self.db.database)
            same = (now.st_dev, now.st_ino) == self.identity
        except OSError:
            same = False
        if not same:
            raise DatabaseLost("db_lost", path=self.db.database)

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        self.check_file()
        with friendly_errors():
            ctx = self.db.atomic("IMMEDIATE") if self.is_sqlite else self.db.atomic()
            with ctx:
                yield
        self.check_file()  # committed into a file that is gone: say so, do not report success

    @contextlib.contextmanager
    def query(self) -> Iterator[None]:
        """One read statement on its own, outside a transaction: a single statement is
        consistent by itself, and on PostgreSQL this is one round trip instead of three
        (BEGIN, the statement, COMMIT), which every page's session read pays."""
        self.check_file()
        with friendly_errors():
            yield

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        self.check_file()
        with friendly_errors(), self.db.atomic():
            yield

    def ping(self) -> None:
        """One round trip (``SELECT 1``): the database answers, or a ``DatabaseError`` says why.
        For health checks, which a load balancer sends every few seconds."""
        self.check_file()
        with friendly_errors():
            self.db.execute_sql("SELECT 1")

    # -- schema ------------------------------------------------------------------------------

    def schema_version(self) -> int:
        return max(self.applied_versions(), default=0)

    def applied_versions(self) -> set[int]:
        """Every schema version applied (versions are owned by features and may land in any
        order, so a gap below the highest is possible and is filled by ``migrate``)."""
        with friendly_errors():
            if not self.db.table_exists(models.SchemaVersion._meta.table_name):
                return set()
            return {
                v for (v,) in models.SchemaVersion.select(models.SchemaVersion.version).tuples()
            }

    def check_schema(self) -> None:
        """Refuse to work on a database that is missing, old, or from a newer release."""
        version = self.schema_version()
        if version == 0:
            raise DatabaseError("db_not_set_up")
        if version > SCHEMA_VERSION:
            raise DatabaseError("db_newer", version=version, known=SCHEMA_VERSION)
        missing = set(MIGRATIONS) - self.applied_versions()
        if version < SCHEMA_VERSION or missing or not _has_keyed_column(self.db):
            raise DatabaseError("db_older", version=version, known=SCHEMA_VERSION)

    def migrate(self) -> tuple[int, int]:
        """Bring the schema up to date; idempotent. Returns (from_version, to_version)."""
        applied = self.applied_versions()
        before = max(applied, default=0)
        if before > SCHEMA_VERSION:
            self.check_schema()
        with self.write():
            for version in sorted(set(MIGRATIONS) - applied):
                MIGRATIONS[version](self.db)
                models.SchemaVersion.create(
                    version=version, applied_at=dt.datetime.now(dt.UTC).isoformat()
                )
            if 6 in applied and not _has_keyed_column(self.db):
                _migrate_to_6(self.db)  # recorded by a build that did not have it
        return before, SCHEMA_VERSION

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def _sqlite_path(url: str) -> str:
    """``sqlite:///rel.db`` is relative, ``sqlite:////abs.db`` absolute; a bare path is a path."""
    if url in (":memory:", "sqlite:///:memory:"):
        return ":memory:"
    if url.startswith("sqlite:///"):
        return unquote(url[len("sqlite:///") :])
    return url


def _create_owner_only(path: str) -> None:
    """A new database file is created 0600 (SQLite gives its -wal and -shm the same mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        pass  # SQLite's own open reports what is wrong, in the words of friendly_errors


def open_store(url: str, *, busy_timeout_ms: int = 10000, **connect_params: object) -> Store:
    """Open (without creating tables) the database at ``url`` and bind the models to it."""
    if url.startswith(("postgresql://", "postgres://")):
        from kiosk.store.drivers import require_postgresql_driver

        require_postgresql_driver()
        parsed = urlparse(url)
        params: dict[str, object] = {
            "host": parsed.hostname or "localhost",
            "port": parsed.port or 5432,
            "user": unquote(parsed.username) if parsed.username else None,
            "password": unquote(parsed.password) if parsed.password else None,
            "connect_timeout": 5,
        }
        params = {k: v for k, v in params.items() if v is not None}
        params.update(connect_params)
        db: pw.Database = pw.PostgresqlDatabase(
            (parsed.path or "/").lstrip("/") or "postgres", **params
        )
    else:
        path = _sqlite_path(url)
        if path != ":memory:":
            parent = Path(path).parent
            if not parent.exists():
                raise DatabaseError("db_folder", folder=parent)
            _create_owner_only(path)
        db = pw.SqliteDatabase(
            path,
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": busy_timeout_ms,
                "synchronous": "normal",
            },
            timeout=busy_timeout_ms / 1000,
            check_same_thread=False,
        )
    models.database_proxy.initialize(db)
    store = Store(db=db, url=url)
    with friendly_errors():
        db.connect(reuse_if_open=True)
    if isinstance(db, pw.SqliteDatabase) and db.database != ":memory:":
        opened = os.stat(db.database)
        store.identity = (opened.st_dev, opened.st_ino)
    return store
