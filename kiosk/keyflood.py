"""Keystroke floods: a device that types, or a paste without bracketed paste, can send a
megabyte of keys. Each would be queued and handled one by one (minutes, gigabytes), so keys
beyond a generous rate are dropped before they are queued.

The budget is a token bucket: ``BURST`` keys at once (a long pasted password or address fits),
refilled at ``RATE`` keys a second (far above anyone typing, or a scanner). Every field also
has a maximum length (``kiosk.widgets.fields``), so the keys that do get through stop there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

#: Keys accepted at once, and per second after that.
BURST = 1000
RATE = 1000.0


class KeyBudget:
    """Says whether one more key may be queued now (called from the terminal's input thread)."""

    def __init__(
        self,
        burst: int = BURST,
        rate: float = RATE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self.tokens = float(burst)
        self.last = clock()
        #: Keys dropped so far (for the log, and for tests).
        self.dropped = 0
        self.lock = threading.Lock()

    def allow(self) -> bool:
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
            self.last = now
            if self.tokens >= 1:
                self.tokens -= 1
                return True
            self.dropped += 1
            return False
