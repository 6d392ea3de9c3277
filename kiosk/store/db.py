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
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee as pw

from kiosk.errors import DatabaseError
from kiosk.store import models

log = logging.getLogger("kiosk.store")

#: The schema version this code writes. Each entry of ``MIGRATIONS`` moves from N-1 to N.
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


MIGRATIONS: dict[int, Callable[[pw.Database], None]] = {
    1: _migrate_to_1,
    2: _migrate_to_2,
    3: _migrate_to_3,
    4: _migrate_to_4,
    5: _migrate_to_5,
    7: _migrate_to_7,
    8: _migrate_to_8,
}


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
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise DatabaseError("db_busy") from None
        if "no such table" in text or ("does not exist" in text and "relation" in text):
            raise DatabaseError("db_not_set_up") from None
        if "unable to open" in text or "could not connect" in text or "connection" in text:
            raise DatabaseError("db_unreachable") from None
        if "readonly" in text or "read-only" in text:
            raise DatabaseError("db_readonly") from None
        raise DatabaseError("db_error") from None
    except pw.InterfaceError:
        raise DatabaseError("db_closed") from None


@dataclass
class Store:
    """An open database with the models bound to it."""

    db: pw.Database
    url: str

    @property
    def is_sqlite(self) -> bool:
        return isinstance(self.db, pw.SqliteDatabase)

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with friendly_errors():
            ctx = self.db.atomic("IMMEDIATE") if self.is_sqlite else self.db.atomic()
            with ctx:
                yield

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with friendly_errors(), self.db.atomic():
            yield

    # -- schema ------------------------------------------------------------------------------

    def schema_version(self) -> int:
        with friendly_errors():
            if not self.db.table_exists(models.SchemaVersion._meta.table_name):
                return 0
            row = models.SchemaVersion.select(pw.fn.MAX(models.SchemaVersion.version)).scalar()
            return int(row or 0)

    def check_schema(self) -> None:
        """Refuse to work on a database that is missing, old, or from a newer release."""
        version = self.schema_version()
        if version == 0:
            raise DatabaseError("db_not_set_up")
        if version > SCHEMA_VERSION:
            raise DatabaseError("db_newer", version=version, known=SCHEMA_VERSION)
        if version < SCHEMA_VERSION:
            raise DatabaseError("db_older", version=version, known=SCHEMA_VERSION)

    def migrate(self) -> tuple[int, int]:
        """Bring the schema up to date; idempotent. Returns (from_version, to_version)."""
        before = self.schema_version()
        if before > SCHEMA_VERSION:
            self.check_schema()
        with self.write():
            for version in range(before + 1, SCHEMA_VERSION + 1):
                # Versions are numbered per feature; one not in this build has nothing to do.
                if version in MIGRATIONS:
                    MIGRATIONS[version](self.db)
                models.SchemaVersion.create(
                    version=version, applied_at=dt.datetime.now(dt.UTC).isoformat()
                )
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
    return store
