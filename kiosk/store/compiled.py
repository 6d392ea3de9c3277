"""Read queries compiled to SQL once per database, then run with new values only.

peewee builds a query's SQL text anew on every run; on the parent web's hot path (the session
behind every page, the students page) that building cost several times the database's own work.
A ``Compiled`` query is built once with placeholder markers, its SQL kept, and each run binds the
caller's values as parameters (never spliced into SQL), converting columns as peewee would.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from typing import Any

import peewee as pw

from kiosk.store.models import database_proxy


class Compiled:
    """``build(*markers)`` returns a query selecting exactly ``columns``; ``rows(*values)`` runs
    it with ``values`` where the markers were. Each value must appear in the query once."""

    def __init__(
        self, columns: Sequence[pw.Node], build: Callable[..., pw.SelectQuery], arity: int = 1
    ) -> None:
        self.columns = tuple(columns)
        self.build = build
        self.arity = arity
        self.converters = [c.python_value if isinstance(c, pw.Field) else None for c in columns]
        self._sql: dict[int, tuple[pw.Database, str, list[Any]]] = {}

    def _compiled(self) -> tuple[pw.Database, str, list[Any]]:
        db = database_proxy.obj
        found = self._sql.get(id(db))
        if found is None or found[0] is not db:
            # Markers are plain text (the guarded text fields refuse control characters).
            markers = [f"compiled-marker-{n}-{secrets.token_hex(8)}" for n in range(self.arity)]
            sql, params = self.build(*markers).sql()
            slots = [_Slot(markers.index(p)) if p in markers else p for p in params]
            if sum(isinstance(s, _Slot) for s in slots) != self.arity:
                raise ValueError("each value must appear exactly once in a compiled query")
            found = (db, sql, slots)
            self._sql[id(db)] = found
        return found

    def rows(self, *values: Any) -> list[tuple[Any, ...]]:
        """Every row, each a tuple in the order of ``columns``."""
        db, sql, slots = self._compiled()
        params = [values[s.index] if isinstance(s, _Slot) else s for s in slots]
        cursor = db.execute_sql(sql, params)
        converters = self.converters
        return [
            tuple(
                value if convert is None or value is None else convert(value)
                for convert, value in zip(converters, row, strict=True)
            )
            for row in cursor.fetchall()
        ]

    def first(self, *values: Any) -> tuple[Any, ...] | None:
        found = self.rows(*values)
        return found[0] if found else None


class _Slot:
    """Where the caller's n-th value goes in the parameter list."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index
