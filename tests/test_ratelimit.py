"""Shared rate limits: a subject gets exactly its allowance, across processes and databases."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from kiosk.services import ratelimit
from kiosk.services.ratelimit import Limit
from kiosk.store.models import RateCounter

LIMIT = Limit("test.requests", count=5, window_seconds=60)


def _align(ctx) -> None:
    """Start each test at the beginning of a window, so the counts below are exact."""
    now = ctx.clock.now().timestamp()
    ctx.clock.advance(seconds=LIMIT.window_seconds - now % LIMIT.window_seconds + 0.001)


def test_allows_the_count_then_refuses_with_a_wait(any_ctx) -> None:
    _align(any_ctx)
    answers = [ratelimit.hit(any_ctx, LIMIT, "203.0.113.7") for _ in range(7)]
    assert [a.allowed for a in answers] == [True] * 5 + [False] * 2
    assert all(0 < a.retry_after <= 2 * LIMIT.window_seconds for a in answers[5:])


def test_subjects_and_scopes_are_independent(any_ctx) -> None:
    _align(any_ctx)
    for _ in range(5):
        assert ratelimit.hit(any_ctx, LIMIT, "a").allowed
    assert not ratelimit.hit(any_ctx, LIMIT, "a").allowed
    assert ratelimit.hit(any_ctx, LIMIT, "b").allowed
    other = Limit("test.other", count=1, window_seconds=60)
    assert ratelimit.hit(any_ctx, other, "a").allowed


def test_the_window_slides_and_refusals_do_not_extend_it(any_ctx) -> None:
    _align(any_ctx)
    for _ in range(5):
        ratelimit.hit(any_ctx, LIMIT, "a")
    for _ in range(50):  # hammering while refused must not push the owner's wait back
        assert not ratelimit.hit(any_ctx, LIMIT, "a").allowed
    refused = ratelimit.hit(any_ctx, LIMIT, "a")
    any_ctx.clock.advance(seconds=refused.retry_after)
    assert ratelimit.hit(any_ctx, LIMIT, "a").allowed
    # two whole windows later the history is gone entirely
    any_ctx.clock.advance(seconds=2 * LIMIT.window_seconds)
    assert [ratelimit.hit(any_ctx, LIMIT, "a").allowed for _ in range(6)] == [True] * 5 + [False]


def test_a_burst_at_the_window_edge_cannot_double_the_limit(any_ctx) -> None:
    _align(any_ctx)
    any_ctx.clock.advance(seconds=LIMIT.window_seconds - 1)  # the last second of a window
    assert sum(ratelimit.hit(any_ctx, LIMIT, "a").allowed for _ in range(5)) == 5
    any_ctx.clock.advance(seconds=2)  # the first second of the next one
    assert sum(ratelimit.hit(any_ctx, LIMIT, "a").allowed for _ in range(5)) == 0


def test_clear_and_prune(any_ctx) -> None:
    _align(any_ctx)
    for _ in range(5):
        ratelimit.hit(any_ctx, LIMIT, "a")
    ratelimit.clear(any_ctx, LIMIT, "a")
    assert ratelimit.hit(any_ctx, LIMIT, "a").allowed
    any_ctx.clock.advance(seconds=3 * LIMIT.window_seconds)
    assert ratelimit.prune(any_ctx) >= 1
    assert RateCounter.select().count() == 0


def test_subjects_are_not_stored_in_clear(any_ctx) -> None:
    ratelimit.hit(any_ctx, LIMIT, "parent@example.org")
    stored = [row.subject for row in RateCounter.select()]
    assert stored and all("example" not in s and "@" not in s for s in stored)


def _hammer(url: str, params: dict, rounds: int, queue) -> None:
    from kiosk.clock import Clock
    from kiosk.context import Context
    from kiosk.store.db import open_store

    store = open_store(url, **params)
    ctx = Context(config=None, store=store, mailer=None, clock=Clock())  # type: ignore[arg-type]
    allowed = sum(ratelimit.hit(ctx, BURST, "shared").allowed for _ in range(rounds))
    store.close()
    queue.put(allowed)


BURST = Limit("test.burst", count=25, window_seconds=3600)


def test_processes_share_one_allowance(any_ctx, tmp_path) -> None:
    """8 processes x 10 tries against one subject: exactly the limit is allowed, not more."""
    if any_ctx.store.is_sqlite:
        url, params = any_ctx.store.url, {}
    else:
        url = os.environ["KIOSK_TEST_DATABASE_URL"]
        schema = any_ctx.store.db.execute_sql("SELECT current_schema()").fetchone()[0]
        params = {"options": f"-c search_path={schema}"}
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    workers = [spawn.Process(target=_hammer, args=(url, params, 10, queue)) for _ in range(8)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    if sum(results) != BURST.count:
        pytest.fail(f"allowed {sum(results)} hits of {BURST.count} across processes: {results}")
