"""Persistence: peewee models, database binding and schema versions. Never imports Textual.

peewee imports its PostgreSQL driver (psycopg) when it is imported, which costs a SQLite kiosk
about 50 ms of start-up and 10 MiB for a driver it never uses. ``kiosk.context`` holds psycopg
back from peewee's import (whichever module imports peewee first), and ``enable_postgresql``
(called by ``open_store`` for a PostgreSQL URL) loads the driver and hands it to peewee. If
something imported psycopg or peewee first, peewee has the driver already.
"""

from kiosk.context import hold_back_psycopg

hold_back_psycopg()


def enable_postgresql() -> None:
    """Give peewee the psycopg driver if it was held back at import time."""
    import peewee

    if peewee.psycopg is not None:
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg = psycopg
    peewee.TransactionStatus = TransactionStatus
    peewee.Json_pg3, peewee.Jsonb_pg3 = Json, Jsonb
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN


from kiosk.store.db import Store, open_store  # noqa: E402

__all__ = ["Store", "enable_postgresql", "open_store"]
