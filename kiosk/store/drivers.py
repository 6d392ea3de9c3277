"""The optional PostgreSQL driver: installed with the ``postgres`` extra, not by default."""

from __future__ import annotations

from kiosk.errors import DatabaseError

POSTGRES_INSTALL = "pip install 'front-desk-kiosk[postgres]'"


def require_postgresql_driver() -> None:
    """Refuse a PostgreSQL URL plainly when psycopg is missing (peewee would only say
    "driver not installed" at the first query)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise DatabaseError("postgres_driver_missing", command=POSTGRES_INSTALL) from None
