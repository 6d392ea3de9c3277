"""What every service call needs: configuration, the open store, mail, the clock, the hasher.

Built once by ``make_context`` (used by the CLI, the app and the tests alike) and passed down.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.errors import ConfigError
from kiosk.hashing import Hasher
from kiosk.mail import Mailer, make_mailer, send_in_background
from kiosk.store import Store, open_store

if TYPE_CHECKING:
    from concurrent.futures import Future


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
        ``then(sent)`` runs afterwards on the mail thread (to audit the outcome)."""
        self._pending.append(send_in_background(self.mailer, to, subject, body, then))

    def track_mail(self, pending: Future[None]) -> None:
        """Wait for this background email too in ``flush_mail``."""
        self._pending.append(pending)

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
    """The district's secret for keyed hashes (SSNs): ``$KIOSK_SECRET`` or the secret file,
    which only ``kiosk init`` creates."""
    env = os.environ.get("KIOSK_SECRET")
    if env:
        return env.encode()
    path = config.resolve(config.security.secret_file)
    try:
        return path.read_text().strip().encode()
    except FileNotFoundError:
        raise ConfigError("secret_missing", path=str(path)) from None
