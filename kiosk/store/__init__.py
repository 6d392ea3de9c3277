"""Persistence: peewee models, database binding and schema versions. Never imports Textual."""

from kiosk.store.db import Store, open_store

__all__ = ["Store", "open_store"]
