"""The UI keeps painting while argon2 runs: an account is created with the production
``PasswordHasher()`` in a worker, and a 10 ms timer on the UI thread never waits long.

One argon2 hash takes about 100 ms here, so hashing on the UI thread would show a gap of at
least that every time. A shared, loaded machine can delay any timer now and then, so the
measurement is repeated (a fresh key and account each time) and one clean run is enough.
"""

from __future__ import annotations

import itertools
import time

from kiosk.app import make_app
from kiosk.hashing import Hasher
from kiosk.services.activation import issue_key, redeem_key
from tests.staff_helpers import sign_in_as, wait_for

MAX_GAP_SECONDS = 0.100
ATTEMPTS = 3
GUARDIANS = ("G-1001", "G-1002", "G-1006")


async def largest_gap_while_creating(app, pilot, key: str, username: str) -> float:
    ctx = app.ctx
    ticks: list[float] = []
    timer = app.set_interval(0.01, lambda: ticks.append(time.perf_counter()))
    await pilot.pause(0.05)
    done: list[object] = []
    start = len(ticks)
    app.screen.run_service(
        lambda: redeem_key(ctx, key, username, "blue-river-stone-lamp", "blue-river-stone-lamp"),
        done.append,
        done.append,
    )
    await wait_for(pilot, lambda: bool(done))
    await pilot.pause(0.03)
    timer.stop()
    assert getattr(done[0], "username", None) == username, done[0]
    window = ticks[start:]
    assert len(window) >= 5
    return max(b - a for a, b in itertools.pairwise(window))


async def test_creating_an_account_never_stalls_the_event_loop(ctx, desk):
    ctx.hasher = Hasher()  # argon2-cffi defaults, as in production
    app = make_app(ctx)
    gaps: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot)
        for attempt, guardian in zip(range(ATTEMPTS), GUARDIANS, strict=True):
            issued = issue_key(ctx, desk, guardian)
            gaps.append(
                await largest_gap_while_creating(app, pilot, issued.key, f"parent{attempt}")
            )
            if gaps[-1] < MAX_GAP_SECONDS:
                break
    assert min(gaps) < MAX_GAP_SECONDS, [f"{g * 1000:.0f} ms" for g in gaps]
