"""What every service call needs: configuration, the open store, mail, the clock, the hasher.

Built once by ``make_context`` (used by the CLI, the app and the tests alike) and passed down.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.hashing import Hasher
from kiosk.mail import Mailer, make_mailer

if TYPE_CHECKING:  # the store (peewee, the driver) loads when first used; see DeferredStore
    from concurrent.futures import Future, ThreadPoolExecutor

    from kiosk.store.db import Store


def hold_back_psycopg() -> None:
    """Keep peewee from importing psycopg, whichever module imports peewee first.

    peewee imports its PostgreSQL driver when it is imported: 50 ms and 10 MiB in a SQLite
    kiosk that never uses it. Until peewee is imported, a finder at the front of
    ``sys.meta_path`` waits for it and runs peewee's import with psycopg unavailable; a
    PostgreSQL store hands the driver over later (``kiosk.store.enable_postgresql``).
    """
    import sys

    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    if any(getattr(f, "kiosk_hold", False) for f in sys.meta_path):
        return

    class _Hold:
        kiosk_hold = True

        @classmethod
        def find_spec(cls, name: str, path: object = None, target: object = None) -> Any:
            if name != "peewee":
                return None
            sys.meta_path.remove(cls)
            import importlib.util

            spec = importlib.util.find_spec("peewee")
            if spec is None or spec.loader is None or "psycopg" in sys.modules:
                return spec
            run = spec.loader.exec_module

            def exec_module(module: object) -> None:
                sys.modules["psycopg"] = None  # type: ignore[assignment]  # fails fast
                try:
                    run(module)  # type: ignore[arg-type]
                finally:
                    if "psycopg" in sys.modules and sys.modules["psycopg"] is None:
                        del sys.modules["psycopg"]

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, _Hold)  # type: ignore[arg-type]


hold_back_psycopg()

_mail_pool: ThreadPoolExecutor | None = None
_mail_pool_lock = threading.Lock()


def mail_pool() -> ThreadPoolExecutor:
    """The one thread that sends background email, started with the first such email."""
    global _mail_pool
    with _mail_pool_lock:
        if _mail_pool is None:
            from concurrent.futures import ThreadPoolExecutor

            _mail_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-mail")
        return _mail_pool


ROLES = ("front_desk", "registrar", "district_admin")
ROLE_LABELS = {
    "front_desk": "Front desk",
    "registrar": "Registrar",
    "district_admin": "District admin",
}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a staff member, a parent's account, or the command line/system."""

    kind: str  # staff | parent | system
    name: str
    role: str = ""
    staff_id: int | None = None
    account_id: int | None = None
    school_ids: frozenset[int] = frozenset()

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.name}"

    @property
    def is_admin(self) -> bool:
        return self.kind == "system" or self.role == "district_admin"


SYSTEM = Actor(kind="system", name="cli", role="district_admin")


@dataclass
class Context:
    config: Config
    store: Store
    mailer: Mailer
    clock: Clock = field(default_factory=Clock)
    hasher: Hasher = field(default_factory=Hasher)
    #: How growing sign-in delays are waited out (tests record instead of sleeping).
    sleep: Callable[[float], None] = time.sleep
    _pending: list[Future[None]] = field(default_factory=list, repr=False)

    def send_quietly(
        self, to: str, subject: str, body: str, *, then: Callable[[bool], None] | None = None
    ) -> None:
        """Send in the background, so the answer takes the same time whether or not an email
        goes out (forgot password/username must not reveal that an account exists).
        ``then(sent)`` runs afterwards in the sending thread (to audit the outcome)."""
        self._pending.append(mail_pool().submit(self._send_or_note, to, subject, body, then))

    def _send_or_note(
        self, to: str, subject: str, body: str, then: Callable[[bool], None] | None
    ) -> None:
        from kiosk.errors import KioskError

        try:
            self.mailer.send(to, subject, body)
            sent = True
        except KioskError:
            logging.getLogger("kiosk.mail").warning("a background email could not be sent")
            sent = False
        if then is not None:
            then(sent)

    def flush_mail(self, timeout: float = 30.0) -> None:
        """Wait for background emails (tests, and before the app exits)."""
        pending, self._pending = self._pending, []
        for future in pending:
            future.result(timeout=timeout)

    @property
    def kiosk_id(self) -> str:
        return self.config.kiosk.id

    def close(self) -> None:
        self.store.close()


class DeferredStore:
    """The database, opened (and its schema checked) the first time anything uses it.

    The app only needs the configuration to paint its Welcome screen; opening the database
    (and importing peewee and the driver) can wait until just after that first paint, which a
    parent sees as a faster start. Every attribute of ``Store`` is available; the first use
    opens it, from whichever thread. A failed check raises the same ``DatabaseError`` each
    time, so every screen gets the same plain message.
    """

    def __init__(self, url: str, *, busy_timeout_ms: int, check_schema: bool) -> None:
        self.url = url
        self._busy_timeout_ms = busy_timeout_ms
        self._check_schema = check_schema
        self._store: Store | None = None
        self._lock = threading.Lock()

    @property
    def opened(self) -> bool:
        return self._store is not None

    def open(self) -> Store:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    from kiosk.store.db import open_store

                    store = open_store(self.url, busy_timeout_ms=self._busy_timeout_ms)
                    if self._check_schema:
                        try:
                            store.check_schema()
                        except Exception:
                            store.close()
                            raise
                    self._store = store
        return self._store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.open(), name)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def make_context(
    config: Config,
    *,
    clock: Clock | None = None,
    hasher: Hasher | None = None,
    check_schema: bool = True,
    defer_store: bool = False,
) -> Context:
    """``defer_store``: open the database on first use (the app), not now (the CLI verbs)."""
    busy = config.database.busy_timeout_ms
    deferred = DeferredStore(config.database_url, busy_timeout_ms=busy, check_schema=check_schema)
    store: Any = deferred if defer_store else deferred.open()
    return Context(
        config=config,
        store=store,
        mailer=make_mailer(config),
        clock=clock or Clock(),
        hasher=hasher or Hasher(),
    )


def secret_key(config: Config) -> bytes:
    """The district's secret for keyed hashes (SSNs): ``$KIOSK_SECRET`` or the secret file."""
    env = os.environ.get("KIOSK_SECRET")
    if env:
        return env.encode()
    path = config.resolve(config.security.secret_file)
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()
