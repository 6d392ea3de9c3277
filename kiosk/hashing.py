"""Hashing of passwords, codes and answers: argon2id, with argon2-cffi's defaults.

Apart from ``kiosk.passwords`` (the district's password rules), so that building a context,
which every start does, imports neither the rules nor argon2: argon2 loads with the first hash.
"""

from __future__ import annotations

import functools
import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


#: Argon2 runs at most once per core at a time in a process: more would only share the cores
#: (each taking longer) and hold 64 MiB each; callers past that wait their turn here.
AT_ONCE = threading.BoundedSemaphore(len(os.sched_getaffinity(0)) or 1)


class Hasher:
    """argon2id with argon2-cffi's defaults; one place to verify, rehash and waste time."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._given = hasher
        self._dummy: str | None = None

    @functools.cached_property
    def _ph(self) -> PasswordHasher:
        if self._given is not None:
            return self._given
        from argon2 import PasswordHasher

        return PasswordHasher()

    def hash(self, secret: str) -> str:
        with AT_ONCE:
            return self._ph.hash(secret)

    def verify(self, stored: str | None, secret: str) -> bool:
        """True when ``secret`` matches. With no stored hash, spend the same time and say no."""
        if stored is None:
            if self._dummy is None:
                self._dummy = self._ph.hash("front-desk timing equaliser")
            stored, secret = self._dummy, secret + "\x00"
        from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

        try:
            with AT_ONCE:
                return self._ph.verify(stored, secret)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        from argon2.exceptions import InvalidHashError

        try:
            return self._ph.check_needs_rehash(stored)
        except InvalidHashError:
            return True
