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
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.hashing import Hasher
from kiosk.mail import Mailer, make_mailer
from kiosk.store import Store, open_store

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor


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

    def send_quietly(self, to: str, subject: str, body: str) -> None:
        """Send in the background, so the answer takes the same time whether or not an email
        goes out (forgot password/username must not reveal that an account exists)."""
        self._pending.append(mail_pool().submit(self._send_or_note, to, subject, body))

    def _send_or_note(self, to: str, subject: str, body: str) -> None:
        from kiosk.errors import KioskError

        try:
            self.mailer.send(to, subject, body)
        except KioskError:
            logging.getLogger("kiosk.mail").warning("a background email could not be sent")

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


def make_context(
    config: Config,
    *,
    clock: Clock | None = None,
    hasher: Hasher | None = None,
    check_schema: bool = True,
) -> Context:
    """Open the database (and check its schema unless ``kiosk init`` is about to migrate it)."""
    store = open_store(config.database_url, busy_timeout_ms=config.database.busy_timeout_ms)
    if check_schema:
        try:
            store.check_schema()
        except Exception:
            store.close()
            raise
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
