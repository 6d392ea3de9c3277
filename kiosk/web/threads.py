"""Which worker threads a request's blocking work runs in.

Forms (POST) may hash a password (argon2: about 0.2 s of a core each, longer under a flood);
pages (GET, HEAD) only read. Pages get their own threads, so reading a page never waits for a
thread behind sign-ins that hash; forms use anyio's default threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from anyio import CapacityLimiter, to_thread
from anyio.lowlevel import RunVar
from starlette.types import Scope

#: Threads for pages, per process: their work is short database reads, and each thread holds
#: its own database connection (PostgreSQL counts them against max_connections).
PAGE_THREADS = 8
READS = ("GET", "HEAD")
T = TypeVar("T")
#: One limiter per event loop, as anyio keeps its default one.
_PAGES: RunVar[CapacityLimiter] = RunVar("front_desk_page_threads")


def _limiter(scope: Scope) -> CapacityLimiter | None:
    if scope.get("method") not in READS:
        return None  # anyio's default limiter
    try:
        return _PAGES.get()
    except LookupError:
        limiter = CapacityLimiter(PAGE_THREADS)
        _PAGES.set(limiter)
        return limiter


async def run_blocking(scope: Scope, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` in a worker thread of the request's kind."""
    return await to_thread.run_sync(fn, *args, limiter=_limiter(scope))
