"""Rate limits that every process shares: counters kept in the database.

A limit is "at most ``count`` allowed hits per ``window_seconds``" for one subject of a scope (a
client address, an account, a kiosk). Counting is the sliding-window counter: the current fixed
window plus the previous one weighted by how much of it still overlaps, so a burst at a window's
edge cannot double the limit and each subject needs at most two rows. Refused hits are not
counted, so hammering a limit never extends it for the subject's owner. Subjects are stored as
a digest: addresses and emails are not kept in clear.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

from kiosk.context import Context
from kiosk.store.models import RateCounter


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``window_seconds`` for each subject of ``scope``."""

    scope: str
    count: int
    window_seconds: int

    def __post_init__(self) -> None:
        if self.count < 1 or self.window_seconds < 1:
            raise ValueError("a rate limit needs a count and a window of at least 1")


@dataclass(frozen=True)
class Decision:
    allowed: bool
    #: Whole seconds until a hit would be allowed again (0 when this one was allowed).
    retry_after: int


def _subject(scope: str, subject: str) -> str:
    return hashlib.sha256(f"{scope}\x00{subject}".encode()).hexdigest()


def _rows(scope: str, key: str, starts: list[int]) -> dict[int, int]:
    query = RateCounter.select(RateCounter.window_start, RateCounter.hits).where(
        (RateCounter.scope == scope)
        & (RateCounter.subject == key)
        & RateCounter.window_start.in_(starts)
    )
    return {row.window_start: row.hits for row in query}


def _retry_after(limit: Limit, current: int, previous: int, elapsed: float) -> int:
    """Seconds until ``current + previous * overlap + 1`` fits in the limit again."""
    window = limit.window_seconds
    if current + 1 > limit.count:  # only the next window's start helps
        wait = window - elapsed + window * (1 - (limit.count - 1) / max(current, 1))
        return max(1, math.ceil(min(wait, 2 * window)))
    # the previous window's weight must fall to (count - 1 - current) / previous
    needed = 1 - (limit.count - 1 - current) / previous
    return max(1, math.ceil(needed * window - elapsed))


def hit(ctx: Context, limit: Limit, subject: str) -> Decision:
    """Count one attempt by ``subject`` and say whether it is within ``limit``.

    The counter is incremented before it is read back, inside one write transaction, so
    concurrent processes (SQLite or PostgreSQL) can never both take the last allowed hit.
    """
    now = ctx.clock.now().timestamp()
    window = limit.window_seconds
    start = int(now // window) * window
    elapsed = now - start
    key = _subject(limit.scope, subject)
    with ctx.store.write():
        (
            RateCounter.insert(
                scope=limit.scope,
                subject=key,
                window_start=start,
                hits=1,
                expires_at=start + 2 * window,
            )
            .on_conflict(
                conflict_target=[RateCounter.scope, RateCounter.subject, RateCounter.window_start],
                update={RateCounter.hits: RateCounter.hits + 1},
            )
            .execute()
        )
        counts = _rows(limit.scope, key, [start, start - window])
        current, previous = counts.get(start, 1), counts.get(start - window, 0)
        estimate = current + previous * (1 - elapsed / window)
        if estimate > limit.count:
            RateCounter.update(hits=RateCounter.hits - 1).where(
                (RateCounter.scope == limit.scope)
                & (RateCounter.subject == key)
                & (RateCounter.window_start == start)
            ).execute()
            return Decision(False, _retry_after(limit, current - 1, previous, elapsed))
        RateCounter.delete().where(
            (RateCounter.scope == limit.scope)
            & (RateCounter.subject == key)
            & (RateCounter.window_start < start - window)
        ).execute()
    return Decision(True, 0)


def clear(ctx: Context, limit: Limit, subject: str) -> None:
    """Forget ``subject``'s hits (e.g. after the owner proved who they are)."""
    with ctx.store.write():
        RateCounter.delete().where(
            (RateCounter.scope == limit.scope)
            & (RateCounter.subject == _subject(limit.scope, subject))
        ).execute()


def prune(ctx: Context) -> int:
    """Delete counters whose windows no longer matter; returns how many rows went."""
    now = int(ctx.clock.now().timestamp())
    with ctx.store.write():
        return RateCounter.delete().where(RateCounter.expires_at < now).execute()
